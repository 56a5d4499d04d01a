"""Opening a project file safely: checks, pragmas, migrations, backups before upgrades."""

from __future__ import annotations

import functools
import os
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

from sqlite_utils import Database

from annotator.errors import ProjectBusyError, ProjectError
from annotator.store.failures import DAMAGED_HINT, ProjectConnection
from annotator.store.journals import check_journals
from annotator.store.migrations import migrations

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
# Slow network drives may need longer; tests need shorter. Read at every connect().
BUSY_TIMEOUT_ENV = "ANNOTATOR_BUSY_TIMEOUT_MS"
# SQLITE_READONLY_CANTINIT, SQLITE_READONLY_DIRECTORY: no WAL index can be made beside the file.
_NO_WAL_INDEX = (1288, 1544)
_READONLY_ROLLBACK = 776  # a hot journal that a read-only connection cannot play back
_CANTOPEN = 14
READ_ONLY_HINT = "make it writable to save edits, or look at it with: annotator gui --read-only"


def busy_timeout_ms() -> int:
    """Return how long a write waits for another program's lock, in milliseconds."""
    value = os.environ.get(BUSY_TIMEOUT_ENV, "").strip()
    return int(value) if value.isdigit() else BUSY_TIMEOUT_MS


def _check_path(path: Path, *, create: bool) -> None:
    if path.is_dir():
        raise ProjectError("is a folder, not a project file", path=path)
    if not path.exists():
        if not create:
            raise ProjectError("no such project file (create one with: annotator init)", path=path)
        if not path.parent.is_dir():
            raise ProjectError("the folder for the project does not exist", path=path)
        return
    # No peek at the file's first bytes here: closing any descriptor of a database file drops
    # every POSIX lock this process holds on it, including those of a connection already open
    # (the window's), and another program could then checkpoint under it. SQLite reports a
    # file that is not a database itself (see _describe).


def _check_writable(path: Path) -> None:
    # SQLite would open a write-protected file read-only without a word and fail at the
    # first edit; say so up front instead.
    if path.exists() and not os.access(path, os.W_OK):
        raise ProjectError(f"the project file is read-only: {READ_ONLY_HINT}", path=path)
    if not os.access(path.parent, os.W_OK):
        raise ProjectError(
            "the folder of the project is read-only (SQLite writes its journal beside the"
            f" file): {READ_ONLY_HINT}",
            path=path,
        )


def connect(path: Path, *, read_only: bool, create: bool) -> Database:
    """Open ``path`` as a hardened SQLite connection wrapped in a sqlite-utils Database."""
    _check_path(path, create=create)
    if not read_only:
        _check_writable(path)
    # Before SQLite sees the file: it would apply a journal of another database at once.
    check_journals(path, create=create)
    conn = _open_read_only(path) if read_only else _open(str(path))
    conn.isolation_level = None  # transactions are explicit: BEGIN IMMEDIATE ... COMMIT
    try:
        # Project files come from other people: no code may run from their schema.
        conn.execute("PRAGMA trusted_schema=OFF")
        if hasattr(conn, "enable_load_extension"):
            conn.enable_load_extension(False)
        conn.execute(f"PRAGMA busy_timeout={busy_timeout_ms()}")
        conn.execute("PRAGMA foreign_keys=ON")
        ok = _quick_check(conn)
        if ok != "ok":
            raise ProjectError(f"the project file is damaged ({ok})", path=path)
        if not create:
            _check_is_project(conn, path)
            check_code_objects(conn, path)
        # Only now may the file be written to: switching to WAL rewrites its header.
        if not read_only:
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if mode != "wal":
                raise ProjectError("cannot switch the project file to WAL journaling", path=path)
            # FULL syncs the WAL at every commit: an edit the window showed survives a power
            # loss too, not only a killed process. One fsync per human edit is cheap.
            conn.execute("PRAGMA synchronous=FULL")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise _describe(exc, path) from exc
    except ProjectError:
        conn.close()
        raise
    conn.path = path  # from now on a storage failure names the file (store/failures.py)
    return Database(conn, execute_plugins=False)


def _open(target: str, *, uri: bool = False) -> ProjectConnection:
    conn = sqlite3.connect(target, uri=uri, check_same_thread=False, factory=ProjectConnection)
    assert isinstance(conn, ProjectConnection)
    return conn


def _open_read_only(path: Path) -> ProjectConnection:
    """Open ``path`` with ``mode=ro``, or ``immutable=1`` on read-only media (see below)."""
    conn = _open(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
    try:
        # The first read opens the WAL index (NAME-shm), which a reader creates if missing.
        conn.execute("PRAGMA schema_version").fetchone()
        return conn
    except sqlite3.DatabaseError as exc:
        conn.close()
        if not _no_wal_index(exc, path):
            raise _describe(exc, path) from exc
    # The folder is read-only (a CD, a read-only share) and has no NAME-shm: SQLite cannot
    # read the file as usual. Without a NAME-wal the file alone holds every commit and nothing
    # can change it there, which is what immutable=1 assumes; with one, reading the file alone
    # would silently miss its latest commits.
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise ProjectError(
            f"its latest changes are in {wal.name}, and reading them needs a NAME-shm file"
            " beside it, which this read-only folder cannot take: copy the folder to a"
            " writable place and open the copy",
            path=path,
        )
    conn = _open(f"file:{quote(str(path.resolve()))}?immutable=1", uri=True)
    conn.immutable = True
    return conn


def _no_wal_index(exc: sqlite3.Error, path: Path) -> bool:
    """Return True when SQLite failed because no NAME-shm can be made beside ``path``."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code in _NO_WAL_INDEX:
        return True
    # With a NAME-wal present SQLite says only "unable to open" (CANTOPEN).
    return (
        code == _CANTOPEN
        and not Path(f"{path}-shm").exists()
        and not os.access(path.parent, os.W_OK)
    )


def _check_is_project(conn: sqlite3.Connection, path: Path) -> None:
    # An existing file that is not a project must be refused before anything writes to it:
    # otherwise the migrations would turn someone's empty or unrelated database into one.
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:
        raise ProjectError(
            "an empty file, not a project (create one with: annotator init)", path=path
        )
    if "_sqlite_migrations" not in tables:
        raise ProjectError("not an annotator project (an SQLite file of something else)", path=path)


def _quick_check(conn: sqlite3.Connection) -> str:
    """Check the schema and the settings table; return "ok" or SQLite's first complaint."""
    # A full quick_check reads every page: over a second at 100,000 documents, at every open.
    # Reading the schema and checking the small settings table stays constant; a damaged page
    # elsewhere is still reported by SQLite ("malformed") when it is read.
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    pragma = "PRAGMA quick_check(project)" if "project" in tables else "PRAGMA quick_check"
    return str(conn.execute(pragma).fetchone()[0])


def _not_a_database(path: Path) -> str:
    # Only reached when SQLite refused the file, so no connection of ours holds locks on it.
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        return f"cannot read the project file: {exc.strerror}"
    if head != SQLITE_MAGIC:
        return "not a project file (not an SQLite database)"
    return f"the project file is damaged (its header is invalid); {DAMAGED_HINT}"


def _describe(exc: sqlite3.Error, path: Path) -> ProjectError:
    text = str(exc)
    if getattr(exc, "sqlite_errorcode", None) == _READONLY_ROLLBACK:
        return ProjectError(
            f"a transaction left unfinished in {path.name}-journal must be undone before the"
            " project can be read, which writes to it: open it once for editing (not"
            " --read-only), then try again",
            path=path,
        )
    if "readonly" in text or "read-only" in text:
        return ProjectError(f"the project file is read-only: {READ_ONLY_HINT}", path=path)
    if "not a database" in text:
        return ProjectError(_not_a_database(path), path=path)
    if "malformed" in text:
        return ProjectError(f"the project file is damaged ({text}); {DAMAGED_HINT}", path=path)
    if "locked" in text or "busy" in text:
        return ProjectBusyError(
            "the project is busy: another window or command is writing to it; try again",
            path=path,
        )
    if "unable to open" in text:
        return ProjectError("cannot open the project file (check its folder and rights)", path=path)
    return ProjectError(f"cannot open the project: {text}", path=path)


def known_migrations() -> list[str]:
    """Return the names of the schema versions this program knows, oldest first."""
    return [m.name for m in migrations._migrations]


@functools.cache
def _own_code_objects() -> frozenset[tuple[str, str, str]]:
    """Return (type, name, sql) of every trigger and view some schema version creates."""
    db = Database(memory=True)
    found: set[tuple[str, str, str]] = set()
    for stop in [*known_migrations()[1:], None]:
        migrations.apply(db, stop_before=stop)
        found.update(db.execute(_CODE_OBJECTS).fetchall())
    db.close()
    return frozenset(found)


_CODE_OBJECTS = "SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'view')"


def check_code_objects(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a file holding a trigger or view the annotator did not create."""
    # trusted_schema=OFF only stops schema code from calling unsafe functions: a planted
    # trigger of plain SQL (DELETE FROM spans) would still run on the next edit.
    own = _own_code_objects()
    for kind, name, sql in conn.execute(_CODE_OBJECTS).fetchall():
        if (kind, name, sql) not in own:
            raise ProjectError(
                f"the file holds a {kind} {name!r} that the annotator did not create and that"
                " could change data; it was not opened (ask its author for a clean copy)",
                path=path,
            )


def backup_copy(db: Database, path: Path, version: int) -> Path:
    """Write a consistent copy of the project beside it before an upgrade; return its path."""
    backup = path.with_name(f"{path.name}.v{version}.bak")
    n = 1
    while backup.exists():  # never overwrite an earlier backup
        n += 1
        backup = path.with_name(f"{path.name}.v{version}-{n}.bak")
    # The backup API copies committed pages, WAL included, even while others read the file;
    # copying the main file alone could miss commits still in the -wal.
    try:
        with closing(sqlite3.connect(backup)) as target:
            db.conn.backup(target)
    except sqlite3.Error as exc:
        backup.unlink(missing_ok=True)
        raise ProjectError(f"cannot write the backup before upgrading: {exc}", path=backup) from exc
    return backup


def prepare_schema(db: Database, path: Path, *, read_only: bool) -> None:
    """Refuse projects from a newer version; back up and upgrade projects from an older one."""
    try:
        applied = [m.name for m in migrations.applied(db)]
    except sqlite3.DatabaseError as exc:
        raise _describe(exc, path) from exc
    known = known_migrations()
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise ProjectError(
            "the project was saved by a newer version of the annotator (schema version"
            f" {unknown[-1]}); install that version to open it",
            path=path,
        )
    has_tables = bool(db.table_names())
    if has_tables and not applied:
        raise ProjectError("not an annotator project (an SQLite file of something else)", path=path)
    pending = migrations.pending(db)
    if not pending:
        return
    if read_only:
        raise ProjectError(
            "the project was made by an older version and needs an upgrade;"
            " open it once without --read-only",
            path=path,
        )
    backup = backup_copy(db, path, len(applied)) if applied else None
    try:
        migrations.apply(db)
    except sqlite3.Error as exc:
        if backup is None:
            raise _describe(exc, path) from exc
        raise ProjectError(
            f"upgrading the project failed and was undone ({exc}); the copy from before is"
            f" {backup.name}",
            path=path,
        ) from exc


def needs_upgrade(db: Database) -> bool:
    """Return True when the file was made by an older version (some migrations pending)."""
    applied = [m.name for m in migrations.applied(db)]
    newer = set(applied) - set(known_migrations())
    return bool(applied) and not newer and bool(migrations.pending(db))


def upgraded_snapshot(db: Database, path: Path) -> tuple[Database, Path]:
    """Copy an older project to a temporary file and upgrade the copy, leaving ``path`` as is.

    Reading a colleague's older file (merge, list, export) must neither fail nor change it.
    Returns the upgraded copy, opened, and its path (the caller deletes it when done).
    """
    fd, name = tempfile.mkstemp(prefix="annotator-", suffix=".sqlite")
    os.close(fd)
    snapshot = Path(name)
    try:
        with closing(sqlite3.connect(snapshot)) as target:
            db.conn.backup(target)
        conn = _open(str(snapshot))
        copy = Database(conn, execute_plugins=False)
        copy.conn.isolation_level = None
        copy.conn.execute("PRAGMA trusted_schema=OFF")
        copy.conn.execute("PRAGMA foreign_keys=ON")
        migrations.apply(copy)
        conn.path = path  # a failure reading the copy names the file it was made from
    except sqlite3.Error as exc:
        snapshot.unlink(missing_ok=True)
        raise ProjectError(f"cannot read the older project: {exc}", path=path) from exc
    finally:
        db.close()
    return copy, snapshot
