"""The project's tables on PostgreSQL: the SQLite migrations' own statements, in order.

Each migration of :mod:`annotator.store.migrations` keeps its statements as text; here the same
text is applied to PostgreSQL with the few type names PostgreSQL spells otherwise (``REAL`` ->
``DOUBLE PRECISION``, ``BLOB`` -> ``BYTEA``), and recorded in ``schema_migrations``. On top:

- ``relations.seq``: the insertion order SQLite gives as ``rowid``;
- a statement trigger on every table another client's window shows, sending ``NOTIFY
  annotator_changes`` with the table's name: PostgreSQL delivers it when the transaction
  commits, and an open window re-reads what changed (:mod:`annotator.store.pg.changes`);
- no full-text index: the corpus search reads every text on a server project (migration
  ``m004`` is SQLite's FTS5 and is recorded as applied without tables).

A database holding migrations this program does not know was made by a newer version and is
refused, as a newer project file is.
"""

from __future__ import annotations

import re

from annotator.errors import ProjectError
from annotator.store import migrations as sqlite_migrations
from annotator.store.annotations import now
from annotator.store.pg import roles
from annotator.store.pg.connection import PgDatabase

NOTIFY_CHANNEL = "annotator_changes"
WATCHED = (
    "project",
    "documents",
    "spans",
    "relations",
    "review_decisions",
    "document_reviews",
    "suggestions",
    "suggestion_links",
    "suggestion_decisions",
    "assignments",
)
_TYPES = ((re.compile(r"\bREAL\b"), "DOUBLE PRECISION"), (re.compile(r"\bBLOB\b"), "BYTEA"))

_NOTIFY_FUNCTION = f"""
CREATE OR REPLACE FUNCTION annotator_changed() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('{NOTIFY_CHANNEL}', TG_TABLE_NAME);
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""


def _statements(ddl: str) -> list[str]:
    for pattern, name in _TYPES:
        ddl = pattern.sub(name, ddl)
    return [s.strip() for s in ddl.split(";") if s.strip()]


def _after_m001() -> list[str]:
    return ["ALTER TABLE relations ADD COLUMN seq BIGSERIAL", _NOTIFY_FUNCTION]


def steps() -> list[tuple[str, list[str]]]:
    """Return every migration's name and its PostgreSQL statements, in order."""
    found: list[tuple[str, list[str]]] = []
    for migration in sqlite_migrations.migrations._migrations:
        name = migration.name
        ddl = getattr(sqlite_migrations, name.upper(), None)  # m001_initial -> M001_INITIAL
        statements = [] if ddl is None else _statements(ddl)
        if name == "m001_initial":
            statements += _after_m001()
        found.append((name, statements))
    return found


def _notify_triggers(db: PgDatabase, tables: list[str]) -> None:
    for table in WATCHED:
        if table in tables:
            db.conn.raw.execute(f"DROP TRIGGER IF EXISTS {table}_changed ON {table}")
            db.conn.raw.execute(
                f"CREATE TRIGGER {table}_changed AFTER INSERT OR UPDATE OR DELETE ON {table}"
                " FOR EACH STATEMENT EXECUTE FUNCTION annotator_changed()"
            )


def applied(db: PgDatabase) -> list[str]:
    """Return the migrations recorded in the database (none for an empty one).

    A login that is not a member of the project sees its tables' names but may read none of
    them: refused, saying so (not "an empty database").
    """
    raw = db.conn.raw
    found = raw.execute(
        "SELECT to_regclass('schema_migrations') IS NOT NULL,"
        " has_table_privilege(to_regclass('schema_migrations'), 'SELECT')"
    ).fetchone()
    if not found or not found[0]:
        return []
    if not found[1]:
        user = raw.info.user or "this login"
        raise ProjectError(
            f"{user} is not a member of this project: its administrator adds people with"
            f" `annotator team add {db.conn.path} NAME --role annotator`",
            path=db.conn.path,
        )
    rows = raw.execute("SELECT name FROM schema_migrations ORDER BY applied, name")
    return [str(r[0]) for r in rows]


def prepare(db: PgDatabase, *, read_only: bool, create: bool) -> None:
    """Create or upgrade the project's tables; refuse a database of something else or newer."""
    location = db.conn.path
    done = applied(db)
    known = [name for name, _ in steps()]
    newer = [name for name in done if name not in known]
    if newer:
        raise ProjectError(
            "the project was saved by a newer version of the annotator (schema version"
            f" {newer[-1]}); install that version to open it",
            path=location,
        )
    tables = db.table_names()
    if not done and tables:
        raise ProjectError(
            "not an annotator project: the database already holds other tables", path=location
        )
    if not done and not create:
        raise ProjectError(
            "not an annotator project (an empty database): make one with `annotator init URL`",
            path=location,
        )
    pending = [(name, sql) for name, sql in steps() if name not in done]
    if not pending:
        return
    if read_only:
        raise ProjectError(
            "the project was made by an older version and needs an upgrade; open it once"
            " without --read-only",
            path=location,
        )
    raw = db.conn.raw
    with raw.transaction():
        raw.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied TEXT)"
        )
        for name, statements in pending:
            for statement in statements:
                raw.execute(statement)
            raw.execute(
                "INSERT INTO schema_migrations (name, applied) VALUES (%s, %s)", [name, now()]
            )
        _notify_triggers(db, db.table_names())
    if done and roles.exist(db):  # an upgrade's new tables get the team's rights too
        roles.setup(db)
