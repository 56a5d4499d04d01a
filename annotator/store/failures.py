"""SQLite failures of a project file, named: a damaged page or a disk error says which file.

Every connection to a project is a :class:`ProjectConnection`. Once the file is open, a storage
failure (SQLite's CORRUPT, NOTADB, IOERR, FULL or CANTOPEN) that any statement or any row
fetched meets is raised as a :class:`~annotator.errors.StorageError` naming the file, wherever
the read happens: an export halfway through, the window's document list, a merge. Other SQLite
errors (busy, constraint, SQL) pass unchanged to the code that handles them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotator.errors import StorageError

DAMAGED_HINT = "restore it from a backup copy"
# SQLite's primary result codes (the low byte of the extended code) for a file that cannot be
# read or written as it should.
_CORRUPT, _NOTADB, _IOERR, _FULL, _CANTOPEN = 11, 26, 10, 13, 14


def storage_error(exc: sqlite3.Error, path: Path) -> StorageError | None:
    """Return ``exc`` as a StorageError naming ``path``, or None when it is no storage failure."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return None
    primary = code & 0xFF
    if primary in (_CORRUPT, _NOTADB):
        return StorageError(f"the project file is damaged ({exc}); {DAMAGED_HINT}", path=path)
    if primary == _IOERR:
        return StorageError(
            f"reading or writing the project file failed ({exc}); check the disk or the"
            " network drive, then try again",
            path=path,
        )
    if primary == _FULL:
        return StorageError(f"the disk holding the project file is full ({exc})", path=path)
    if primary == _CANTOPEN:
        return StorageError(
            f"the project file cannot be opened any more ({exc}); check its folder and rights",
            path=path,
        )
    return None


def _reraise(exc: sqlite3.Error, cursor: sqlite3.Cursor) -> None:
    path = getattr(cursor.connection, "path", None)
    named = storage_error(exc, path) if path is not None else None
    if named is not None:
        raise named from exc


class ProjectCursor(sqlite3.Cursor):
    """A cursor whose storage failures name the project file (see the module's text)."""

    def execute(self, sql: str, parameters: Any = (), /) -> ProjectCursor:
        """Run one statement."""
        try:
            return super().execute(sql, parameters)
        except sqlite3.DatabaseError as exc:
            _reraise(exc, self)
            raise

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any], /) -> ProjectCursor:
        """Run one statement for each set of parameters."""
        try:
            return super().executemany(sql, seq_of_parameters)
        except sqlite3.DatabaseError as exc:
            _reraise(exc, self)
            raise

    def executescript(self, sql_script: str, /) -> sqlite3.Cursor:
        """Run several statements."""
        try:
            return super().executescript(sql_script)
        except sqlite3.DatabaseError as exc:
            _reraise(exc, self)
            raise

    def fetchone(self) -> Any:
        """Return the next row, or None."""
        try:
            return super().fetchone()
        except sqlite3.DatabaseError as exc:
            _reraise(exc, self)
            raise

    def fetchmany(self, size: int | None = 1) -> list[Any]:
        """Return up to ``size`` more rows."""
        try:
            return super().fetchmany(size)
        except sqlite3.DatabaseError as exc:
            _reraise(exc, self)
            raise

    def fetchall(self) -> list[Any]:
        """Return the remaining rows."""
        try:
            return super().fetchall()
        except sqlite3.DatabaseError as exc:
            _reraise(exc, self)
            raise

    def __next__(self) -> Any:
        try:
            return super().__next__()
        except sqlite3.DatabaseError as exc:
            _reraise(exc, self)
            raise


class ProjectConnection(sqlite3.Connection):
    """A connection to a project file: its cursors name the file in storage failures.

    ``path`` is set once the file is open (until then failures are described by the opening
    code); ``immutable`` says the file was opened with ``immutable=1`` (read-only media).
    """

    path: Path | None = None
    immutable: bool = False

    def cursor(self, factory: Any = ProjectCursor) -> Any:
        """Return a new cursor (a ProjectCursor unless another factory is given)."""
        return super().cursor(factory)

    def execute(self, sql: str, parameters: Any = (), /) -> ProjectCursor:
        """Run one statement on a new cursor."""
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> ProjectCursor:
        """Run one statement for each set of parameters on a new cursor."""
        return self.cursor().executemany(sql, parameters)

    def executescript(self, sql_script: str, /) -> sqlite3.Cursor:
        """Run several statements on a new cursor."""
        result: sqlite3.Cursor = self.cursor().executescript(sql_script)
        return result
