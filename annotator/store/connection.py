"""Opening a project file safely: checks, pragmas, migrations, backups before upgrades."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from urllib.parse import quote

from sqlite_utils import Database

from annotator.errors import ProjectError
from annotator.store.migrations import migrations

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000


def _check_path(path: Path, *, create: bool) -> None:
    if path.is_dir():
        raise ProjectError("is a folder, not a project file", path=path)
    if not path.exists():
        if not create:
            raise ProjectError("no such project file (create one with: annotator init)", path=path)
        if not path.parent.is_dir():
            raise ProjectError("the folder for the project does not exist", path=path)
        return
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise ProjectError(f"cannot read the project file: {exc.strerror}", path=path) from exc
    if head and head != SQLITE_MAGIC:
        raise ProjectError("not a project file (not an SQLite database)", path=path)


def connect(path: Path, *, read_only: bool, create: bool) -> Database:
    """Open ``path`` as a hardened SQLite connection wrapped in a sqlite-utils Database."""
    _check_path(path, create=create)
    if read_only:
        uri = f"file:{quote(str(path.resolve()))}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    else:
        conn = sqlite3.connect(str(path), check_same_thread=False)
    conn.isolation_level = None  # transactions are explicit: BEGIN IMMEDIATE ... COMMIT
    try:
        # Project files come from other people: no code may run from their schema.
        conn.execute("PRAGMA trusted_schema=OFF")
        if hasattr(conn, "enable_load_extension"):
            conn.enable_load_extension(False)
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys=ON")
        if not read_only:
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if mode != "wal":
                raise ProjectError("cannot switch the project file to WAL journaling", path=path)
            conn.execute("PRAGMA synchronous=NORMAL")
        ok = _quick_check(conn)
        if ok != "ok":
            raise ProjectError(f"the project file is damaged ({ok})", path=path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise _describe(exc, path) from exc
    except ProjectError:
        conn.close()
        raise
    return Database(conn, execute_plugins=False)


def _quick_check(conn: sqlite3.Connection) -> str:
    """Check the schema and the settings table; return "ok" or SQLite's first complaint."""
    # A full quick_check reads every page: over a second at 100,000 documents, at every open.
    # Reading the schema and checking the small settings table stays constant; a damaged page
    # elsewhere is still reported by SQLite ("malformed") when it is read.
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    pragma = "PRAGMA quick_check(project)" if "project" in tables else "PRAGMA quick_check"
    return str(conn.execute(pragma).fetchone()[0])


def _describe(exc: sqlite3.Error, path: Path) -> ProjectError:
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        return ProjectError("the project file is read-only (open it with --read-only)", path=path)
    if "not a database" in text or "malformed" in text:
        return ProjectError("not a project file, or the file is damaged", path=path)
    if "locked" in text or "busy" in text:
        return ProjectError("the project is busy in another program; try again", path=path)
    return ProjectError(f"cannot open the project: {text}", path=path)


def known_migrations() -> list[str]:
    """Return the names of the schema versions this program knows, oldest first."""
    return [m.name for m in migrations._migrations]


def prepare_schema(db: Database, path: Path, *, read_only: bool) -> None:
    """Refuse projects from a newer version; back up and upgrade projects from an older one."""
    applied = [m.name for m in migrations.applied(db)]
    known = known_migrations()
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise ProjectError(
            "the project was saved by a newer version of the annotator; upgrade to open it",
            path=path,
        )
    has_tables = bool(db.table_names())
    if has_tables and not applied:
        raise ProjectError("not an annotator project (an SQLite file of something else)", path=path)
    pending = migrations.pending(db)
    if not pending:
        return
    if read_only:
        raise ProjectError("the project needs an upgrade; open it once for writing", path=path)
    if applied:
        backup = path.with_name(f"{path.name}.v{len(applied)}.bak")
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy2(path, backup)
    try:
        migrations.apply(db)
    except sqlite3.Error as exc:
        raise _describe(exc, path) from exc
