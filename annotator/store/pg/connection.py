"""A PostgreSQL project: a psycopg 3 connection with the small surface the store uses.

The store speaks to its database through what sqlite-utils' ``Database`` offers it:
``execute(sql, params)`` returning a cursor, ``query(sql, params)`` yielding dict rows,
``conn.execute`` / ``conn.executemany`` / ``conn.in_transaction``, ``atomic()`` and
``table_names()``. :class:`PgDatabase` offers the same over psycopg, and every statement, written
once in the SQLite dialect, is translated to PostgreSQL's (:mod:`annotator.store.pg.dialect`),
once per distinct statement. A failure the store maps by SQLite's exception classes (a unique
key taken, a busy database) is raised as that class, so the store's mapping to the user's errors
holds on both backends.

Transactions are explicit, as on SQLite: the connection is in autocommit mode and the store
sends ``BEGIN IMMEDIATE`` (here ``BEGIN ISOLATION LEVEL REPEATABLE READ``: a write racing
another client's on the same row fails instead of overwriting it) or ``BEGIN`` for a read
snapshot, then ``COMMIT`` or ``ROLLBACK``.
"""

from __future__ import annotations

import itertools
import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

import psycopg
from psycopg import errors
from psycopg.rows import dict_row
from sqlite_utils import Database

from annotator.errors import ProjectError, ValidationError
from annotator.store.pg.changes import Changes
from annotator.store.pg.dialect import translate
from annotator.store.pg.location import ServerLocation
from annotator.store.pg.refusals import refusal

DIALECT = "postgresql"
_SAVEPOINT = re.compile(r"^\s*SAVEPOINT\s+(\w+)\s*$", re.I)
_RELEASE = re.compile(r"^\s*RELEASE\s+(?:SAVEPOINT\s+)?(\w+)\s*$", re.I)
_CREATE_TEMPORARY = re.compile(r"^\s*CREATE\s+TABLE\s+IF\s+NOT\s+EXISTS\s+pg_temp\.(\w+)", re.I)
# Rows a streamed query fetches from the server at a time (an export reads 200 documents a chunk).
STREAM_PAGE = 200
_STREAMS = itertools.count(1)  # names of the server-side cursors, unique in the process


def _as_sqlite(exc: psycopg.Error) -> sqlite3.Error | ValidationError:
    """Return the SQLite exception the store expects for a PostgreSQL failure.

    A write the project's roles do not allow is the user's OwnershipError, saying what the
    server refused (:mod:`annotator.store.pg.refusals`); text PostgreSQL cannot store is a
    ValidationError.
    """
    message = (exc.diag.message_primary or str(exc)).strip()
    if isinstance(exc, psycopg.DataError) and "NUL" in message:
        # An import refuses such text first, naming its file; this is the net for any other.
        return ValidationError(
            "a text holding a NUL character (U+0000) cannot be stored in a project on a"
            " PostgreSQL server; nothing was changed"
        )
    if isinstance(exc, errors.IntegrityError):
        return sqlite3.IntegrityError(message)
    if isinstance(exc, errors.SerializationFailure | errors.DeadlockDetected):
        return sqlite3.OperationalError(f"database is busy: {message}")
    if isinstance(exc, errors.LockNotAvailable):
        return sqlite3.OperationalError(f"database is locked: {message}")
    if isinstance(exc, errors.InsufficientPrivilege):
        return refusal(exc)
    if isinstance(exc, errors.ReadOnlySqlTransaction):
        return sqlite3.OperationalError(f"attempt to write a readonly database: {message}")
    return sqlite3.OperationalError(message)


class PgConnection:
    """The ``conn`` half: statements in the SQLite dialect, run on a PostgreSQL connection."""

    dialect = DIALECT
    immutable = False

    def __init__(self, raw: psycopg.Connection[Any], location: ServerLocation) -> None:
        self.raw = raw
        self.path = location
        self._begun_by = ""  # the savepoint that began the open transaction, if one did

    @property
    def in_transaction(self) -> bool:
        """Return True inside BEGIN ... COMMIT."""
        status = self.raw.info.transaction_status
        return status != psycopg.pq.TransactionStatus.IDLE

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> psycopg.Cursor[Any]:
        """Run one statement written in the SQLite dialect."""
        statement = translate(sql)
        try:
            if self._savepoint_ends_transaction(sql):
                return self.raw.execute("COMMIT" if self._healthy() else "ROLLBACK")
            temporary = _CREATE_TEMPORARY.match(statement)
            if temporary is not None:
                return self._create_temporary(temporary.group(1), statement)
            return self.raw.execute(statement, list(parameters))
        except psycopg.Error as exc:
            raise _as_sqlite(exc) from exc

    def _create_temporary(self, name: str, statement: str) -> psycopg.Cursor[Any]:
        """Make a temporary table, on a read-only project too (as SQLite's temp schema allows).

        PostgreSQL refuses CREATE in a read-only transaction, even of a temporary table: outside
        a transaction the table is made in a read-write one of its own.
        """
        found = self.raw.execute("SELECT to_regclass(%s) IS NOT NULL", [f"pg_temp.{name}"])
        if found.fetchone() == (True,):
            return found
        if self.in_transaction:
            return self.raw.execute(statement)
        self.raw.execute("BEGIN READ WRITE")
        try:
            self.raw.execute(statement)
        except BaseException:
            self.raw.execute("ROLLBACK")
            raise
        return self.raw.execute("COMMIT")

    def _savepoint_ends_transaction(self, sql: str) -> bool:
        """Keep SQLite's savepoints: one outside a transaction begins it, its RELEASE commits.

        Return True when ``sql`` releases the savepoint that began the open transaction.
        """
        if not self.in_transaction:
            self._begun_by = ""
            began = _SAVEPOINT.match(sql)
            if began is not None:
                self.raw.execute(translate("BEGIN"))
                self._begun_by = began.group(1).lower()
            return False
        released = _RELEASE.match(sql)
        if released is None or released.group(1).lower() != self._begun_by:
            return False
        self._begun_by = ""
        return True

    def _healthy(self) -> bool:
        """Return False once a failed statement has aborted the open transaction."""
        return self.raw.info.transaction_status != psycopg.pq.TransactionStatus.INERROR

    def executemany(self, sql: str, rows: Any) -> None:
        """Run one statement for each row of parameters."""
        statement = translate(sql)
        try:
            with self.raw.cursor() as cursor:
                cursor.executemany(statement, [list(row) for row in rows])
        except psycopg.Error as exc:
            raise _as_sqlite(exc) from exc

    def close(self) -> None:
        """Close the connection."""
        self.raw.close()


class PgDatabase:
    """What the store uses of sqlite-utils' Database, over PostgreSQL."""

    dialect = DIALECT

    def __init__(self, raw: psycopg.Connection[Any], location: ServerLocation) -> None:
        self.conn = PgConnection(raw, location)

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> psycopg.Cursor[Any]:
        """Run one statement written in the SQLite dialect; return its cursor."""
        return self.conn.execute(sql, parameters)

    def query(self, sql: str, parameters: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
        """Yield the rows of a query as dicts."""
        statement = translate(sql)
        try:
            with self.conn.raw.cursor(row_factory=dict_row) as cursor:
                cursor.execute(statement, list(parameters))
                rows = cursor.fetchall()
        except psycopg.Error as exc:
            raise _as_sqlite(exc) from exc
        yield from rows

    def stream(self, sql: str, parameters: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        """Yield a query's rows as tuples, :data:`STREAM_PAGE` at a time from a server-side cursor.

        psycopg's ordinary cursor holds every row of a result in this process: a walk over
        every document would hold every text of the project. A named cursor keeps the result on
        the server. Inside a transaction (an export's snapshot) it reads that transaction's
        snapshot and ends with it. Outside one it is declared WITH HOLD: the server keeps the
        result of that moment, and the edits the caller commits meanwhile (a recommender storing
        a chunk at a time) do not close it.
        """
        statement = translate(sql)
        hold = not self.conn.in_transaction
        try:
            with self.conn.raw.cursor(f"annotator_rows_{next(_STREAMS)}", withhold=hold) as rows:
                rows.itersize = STREAM_PAGE
                rows.execute(statement, list(parameters))
                yield from rows
        except psycopg.Error as exc:
            raise _as_sqlite(exc) from exc

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """Run the block in a savepoint of the open transaction."""
        name = f"atomic_{id(self)}_{self._depth}"
        self._depth += 1
        self.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            self.execute(f"ROLLBACK TO SAVEPOINT {name}")
            self.execute(f"RELEASE SAVEPOINT {name}")
            raise
        finally:
            self._depth -= 1
        self.execute(f"RELEASE SAVEPOINT {name}")

    _depth = 0

    def changes(self) -> int | None:
        """Return how many commits of other clients this project has been told of (NOTIFY)."""
        if self.conn.raw.closed:
            return None
        return self.listener.count()

    listener: Any = None

    def table_names(self) -> list[str]:
        """Return the project's tables (in the connection's schema search path)."""
        rows = self.conn.raw.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() ORDER BY table_name"
        ).fetchall()
        return [str(r[0]) for r in rows]

    def close(self) -> None:
        """Close the connection."""
        if self.listener is not None:
            self.listener.close()
        self.conn.close()


def as_database(db: PgDatabase | Database) -> Database:
    """Return ``db`` typed as the store's Database: a PgDatabase offers the part it uses."""
    return cast(Database, db)


def is_server(db: object) -> bool:
    """Return True for a PostgreSQL project's database, False for an SQLite file's."""
    return getattr(db, "dialect", "sqlite") == DIALECT


# Asked for the password when libpq found none (no ~/.pgpass line, no PGPASSWORD) or the server
# refused the one it found: the CLI sets a terminal prompt, the window a dialog. It returns the
# password, or None to give up. The password is kept for this process's connections to that
# server only (the listening one among them), never written anywhere.
PasswordPrompt = Callable[[ServerLocation, str], "str | None"]
password_prompt: PasswordPrompt | None = None
_NEEDS_PASSWORD = ("no password supplied", "password authentication failed")


def connect(location: ServerLocation, *, read_only: bool) -> PgDatabase:
    """Connect to the project database at ``location`` (libpq finds the password, else ask)."""
    try:
        raw = psycopg.connect(location.conninfo, autocommit=True, connect_timeout=10)
    except psycopg.OperationalError as exc:
        reason = _first_line(exc)
        password = None
        if password_prompt is not None and any(p in str(exc) for p in _NEEDS_PASSWORD):
            password = password_prompt(location, reason)
        if not password:
            raise ProjectError(f"cannot connect: {reason}", path=location) from exc
        location.password = password
        try:
            raw = psycopg.connect(location.conninfo, autocommit=True, connect_timeout=10)
        except psycopg.OperationalError as again:
            raise ProjectError(f"cannot connect: {_first_line(again)}", path=location) from again
    if read_only:
        raw.execute("SET default_transaction_read_only = on")
    raw.execute("SET lock_timeout = '5s'")
    db = PgDatabase(raw, location)
    db.listener = Changes(location, raw.info.backend_pid)
    return db


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
