"""Who may write what in a server project, enforced by PostgreSQL itself.

Each project database gets three group roles, named after it (role names are the cluster's, so
the database's name keeps two projects' groups apart): ``<db>__annotators``,
``<db>__curators`` and ``<db>__managers``. A person is a login role that is a member of one of
them (``annotator team add``, :mod:`annotator.store.pg.team`), and the project's annotator is
that login (``current_user``). What each group may do is said to the server, not to the
program, so a connection with the person's own password through ``psql`` gets no further:

- ``spans`` and ``relations``: everyone reads; a row may be written only in the writer's lane
  (:data:`MAY_WRITE`): an annotator's own layer, for a curator also ``gold``, for a manager any.
  A new row outside the lane violates the row-level security policy; changing or deleting an
  existing row outside it is refused by the trigger ``annotator_guard`` (a policy alone would
  skip such rows without a word, and ``UPDATE 0`` is no refusal). A link joins spans of its own
  layer only.
- In a *blind* project (the setting ``blind`` = ``on``, written by a manager) an annotator reads
  only their own spans and links, and the review decisions, until the document is reviewed.
- ``review_decisions`` and ``document_reviews``: curators and managers write.
- ``project`` (the schema and settings) and ``assignments``: managers write, everyone reads;
  a person marks only their own assignment done (the column ``done``).
- ``documents``: managers import and edit; anyone sets a status (columns ``status``, ``updated``).
- suggestions, their links and decisions: each person's own rows; trained models: anyone.

The role that made the project owns its tables and stays its administrator: row-level security
is enabled, not forced, so the owner (and a superuser) is not bound by it, and only it may add
people (creating a login needs the right to create roles).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, LiteralString

import psycopg
from psycopg import sql

from annotator.errors import ProjectError
from annotator.store.pg.connection import PgDatabase

ROLES = ("annotator", "curator", "manager")
NAME_BYTES = 63  # PostgreSQL cuts longer names short, which could join two projects' groups
# Group role name: the database's name, then this. The functions below build the same names
# from current_database(), so their text is the same in every project.
SEPARATOR = "__"

# Who may write a row of layer `layer`: its own person, a curator gold, a manager any.
_MEMBER_FUNCTION = """
CREATE OR REPLACE FUNCTION {schema}.annotator_member(grp text) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT pg_has_role(current_user, (current_database() || '__' || grp)::name, 'USAGE')
$$
"""
_MAY_WRITE_FUNCTION = """
CREATE OR REPLACE FUNCTION {schema}.annotator_may_write(layer text) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT layer = current_user::text
        OR (layer = 'gold' AND {schema}.annotator_member('curators'))
        OR {schema}.annotator_member('managers')
$$
"""
# Before a row is changed or deleted: a row outside the writer's lane is refused, naming it.
# The owner, a superuser and the cascades of foreign keys (run as the owner) pass.
_GUARD_FUNCTION = """
CREATE OR REPLACE FUNCTION {schema}.annotator_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    old_row jsonb := to_jsonb(OLD);
    layer text := OLD.annotator;
    whose text := CASE layer WHEN 'gold' THEN 'the gold layer''s' ELSE layer || '''s' END;
    what text := CASE TG_TABLE_NAME WHEN 'spans' THEN 'annotation'
        WHEN 'relations' THEN 'link' ELSE 'assignment of document' END;
    rule text := CASE WHEN TG_TABLE_NAME = 'assignments'
        THEN 'each person marks only their own assignments'
        WHEN layer = 'gold' THEN 'only curators write the gold layer'
        ELSE 'each annotator writes only their own layer' END;
BEGIN
    IF pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE')
        OR (SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user)
        OR {schema}.annotator_may_write(layer) THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% may not % % % %: %', current_user,
        CASE TG_OP WHEN 'DELETE' THEN 'delete' ELSE 'change' END, whose, what,
        coalesce(old_row ->> 'id', old_row ->> 'doc_id'), rule
        USING ERRCODE = 'insufficient_privilege', TABLE = TG_TABLE_NAME;
END
$$
"""
_FUNCTIONS = (_MEMBER_FUNCTION, _MAY_WRITE_FUNCTION, _GUARD_FUNCTION)

# Table privileges: (table, privileges, groups). "A" annotators, "C" curators, "M" managers.
GRANTS: tuple[tuple[str, str, str], ...] = (
    ("schema_migrations", "SELECT", "ACM"),
    ("project", "SELECT", "ACM"),
    ("project", "INSERT, UPDATE, DELETE", "M"),
    ("documents", "SELECT", "ACM"),
    ("documents", "UPDATE (status, updated)", "AC"),
    ("documents", "INSERT, UPDATE, DELETE", "M"),
    ("spans", "SELECT, INSERT, UPDATE, DELETE", "ACM"),
    ("relations", "SELECT, INSERT, UPDATE, DELETE", "ACM"),
    ("review_decisions", "SELECT", "ACM"),
    ("review_decisions", "INSERT, UPDATE, DELETE", "CM"),
    ("document_reviews", "SELECT", "ACM"),
    ("document_reviews", "INSERT, UPDATE, DELETE", "CM"),
    ("assignments", "SELECT", "ACM"),
    ("assignments", "UPDATE (done)", "AC"),
    ("assignments", "INSERT, UPDATE, DELETE", "M"),
    ("suggestions", "SELECT, INSERT, UPDATE, DELETE", "ACM"),
    ("suggestion_links", "SELECT, INSERT, UPDATE, DELETE", "ACM"),
    ("suggestion_decisions", "SELECT, INSERT, UPDATE, DELETE", "ACM"),
    ("recommender_models", "SELECT, INSERT, UPDATE, DELETE", "ACM"),
)
SEQUENCES = (("relations", "seq"),)  # a serial column's sequence: each insert draws from it

# An annotator of a blind project sees the row when it is their own or its document reviewed.
_SEEN = (
    "NOT EXISTS (SELECT 1 FROM project WHERE key = 'blind' AND value = 'on')"
    " OR EXISTS (SELECT 1 FROM document_reviews AS r"
    " WHERE r.doc_id = {table}.doc_id AND r.status = 'reviewed')"
)
_OWN_SPANS = (
    "EXISTS (SELECT 1 FROM spans AS s WHERE s.doc_id = relations.doc_id"
    " AND s.id = relations.{end} AND s.annotator = relations.annotator)"
)
_LINK_IN_LAYER = (
    f"annotator_member('managers') OR ({_OWN_SPANS.format(end='head')}"
    f" AND {_OWN_SPANS.format(end='tail')})"
)


def _layer_policies(table: str, check: str) -> list[tuple[str, str, str, str, str]]:
    """(name, command, groups, USING, WITH CHECK) of a table of layers: spans, relations."""
    seen = _SEEN.format(table=table)
    return [
        ("read_all", "SELECT", "CM", "true", ""),
        ("read_seen", "SELECT", "A", f"annotator = current_user OR {seen}", ""),
        ("insert", "INSERT", "ACM", "", check),
        # Every row seen may be aimed at: annotator_guard refuses the ones outside the lane.
        ("update", "UPDATE", "ACM", "true", check),
        ("delete", "DELETE", "ACM", "true", ""),
    ]


_OWN = "annotator = current_user"
POLICIES: dict[str, list[tuple[str, str, str, str, str]]] = {
    "spans": _layer_policies("spans", "annotator_may_write(annotator)"),
    "relations": _layer_policies(
        "relations", f"annotator_may_write(annotator) AND ({_LINK_IN_LAYER})"
    ),
    "review_decisions": [
        ("read_seen", "SELECT", "A", _SEEN.format(table="review_decisions"), ""),
        ("review", "ALL", "CM", "true", "true"),
    ],
    **{
        table: [("own", "ALL", "AC", _OWN, _OWN), ("manage", "ALL", "M", "true", "true")]
        for table in ("suggestions", "suggestion_links", "suggestion_decisions")
    },
}
GUARDED = {"spans": "UPDATE OR DELETE", "relations": "UPDATE OR DELETE", "assignments": "UPDATE"}


def group_names(database: str) -> dict[str, str]:
    """Return the group role of each of :data:`ROLES` in project database ``database``."""
    return {role: f"{database}{SEPARATOR}{role}s" for role in ROLES}


def check_can_create_roles(db: PgDatabase) -> None:
    """Refuse, before anything is made, a login that may not create the project's roles."""
    location = db.conn.path
    longest = max(group_names(location.database).values(), key=lambda n: len(n.encode()))
    if len(longest.encode()) > NAME_BYTES:
        raise ProjectError(
            f"the database's name is too long for its roles' names ({longest!r} is over"
            f" {NAME_BYTES} bytes): use a database name of at most"
            f" {NAME_BYTES - len(longest.encode()) + len(location.database.encode())} bytes",
            path=location,
        )
    if not can_create_roles(db):
        user = db.conn.raw.info.user
        raise ProjectError(
            f"{user} may not create roles on this server, and a team project makes its own"
            " (annotators, curators, managers): run `annotator init` as a role with CREATEROLE"
            " (or a superuser), e.g. the server's administrator",
            path=location,
        )


def can_create_roles(db: PgDatabase) -> bool:
    """Return True when the connection's login may create roles (CREATEROLE or superuser)."""
    row = db.conn.raw.execute(
        "SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user"
    ).fetchone()
    return bool(row and row[0])


def setup(db: PgDatabase) -> None:
    """Make the project's group roles (if missing) and give each its rights, in one transaction.

    Run when the project is made and after an upgrade adds tables; running it again changes
    nothing.
    """
    raw = db.conn.raw
    groups = group_names(db.conn.path.database)
    with raw.transaction():
        schema = str(_one(raw, "SELECT current_schema()"))
        for name in groups.values():
            if _one(raw, "SELECT count(*) FROM pg_roles WHERE rolname = %s", [name]) == 0:
                raw.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(name)))
        ids = {key[0].upper(): sql.Identifier(name) for key, name in groups.items()}
        everyone = sql.SQL(", ").join(ids.values())
        # Before PostgreSQL 15 anyone may create objects in the public schema, and an object of
        # theirs could stand in for one the owner's statements name.
        raw.execute(sql.SQL("REVOKE CREATE ON SCHEMA {} FROM PUBLIC").format(_ident(schema)))
        raw.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(_ident(schema), everyone))
        for function in _FUNCTIONS:
            raw.execute(sql.SQL(_sql(function)).format(schema=_ident(schema)))
        tables = _tables(raw)
        _grant(raw, tables, ids, everyone)
        _policies(raw, tables, ids)
        for table, events in GUARDED.items():
            if table in tables:
                _guard(raw, schema, table, events)


def _grant(
    raw: psycopg.Connection[Any],
    tables: set[str],
    ids: dict[str, sql.Identifier],
    everyone: sql.Composable,
) -> None:
    for table in sorted(tables):
        raw.execute(sql.SQL("REVOKE ALL ON {} FROM {}").format(_ident(table), everyone))
    for table, privileges, groups in GRANTS:
        if table in tables:
            raw.execute(
                sql.SQL("GRANT {} ON {} TO {}").format(
                    sql.SQL(_sql(privileges)), _ident(table), _groups(ids, groups)
                )
            )
    for table, column in SEQUENCES:
        if table in tables:
            sequence = _one(raw, "SELECT pg_get_serial_sequence(%s, %s)", [table, column])
            raw.execute(
                sql.SQL("GRANT USAGE, SELECT ON SEQUENCE {} TO {}").format(
                    sql.SQL(_sql(str(sequence))), everyone
                )
            )


def _policies(
    raw: psycopg.Connection[Any], tables: set[str], ids: dict[str, sql.Identifier]
) -> None:
    for table, policies in POLICIES.items():
        if table not in tables:
            continue
        # Enabled, not forced: the owner (the project's administrator) is not bound by them.
        raw.execute(sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(_ident(table)))
        for name, command, groups, using, check in policies:
            policy = sql.Identifier(f"{table}_{name}")
            raw.execute(sql.SQL("DROP POLICY IF EXISTS {} ON {}").format(policy, _ident(table)))
            statement = sql.SQL("CREATE POLICY {} ON {} FOR {} TO {}").format(
                policy, _ident(table), sql.SQL(_sql(command)), _groups(ids, groups)
            )
            if using:
                statement += sql.SQL(" USING ({})").format(sql.SQL(_sql(using)))
            if check:
                statement += sql.SQL(" WITH CHECK ({})").format(sql.SQL(_sql(check)))
            raw.execute(statement)


def _guard(raw: psycopg.Connection[Any], schema: str, table: str, events: str) -> None:
    trigger = sql.Identifier(f"{table}_guard")
    raw.execute(sql.SQL("DROP TRIGGER IF EXISTS {} ON {}").format(trigger, _ident(table)))
    raw.execute(
        sql.SQL(
            "CREATE TRIGGER {} BEFORE {} ON {} FOR EACH ROW EXECUTE FUNCTION {}.annotator_guard()"
        ).format(trigger, sql.SQL(_sql(events)), _ident(table), _ident(schema))
    )


def _tables(raw: psycopg.Connection[Any]) -> set[str]:
    rows = raw.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
    )
    return {str(r[0]) for r in rows}


def _groups(ids: dict[str, sql.Identifier], letters: str) -> sql.Composed:
    return sql.SQL(", ").join(ids[letter] for letter in letters)


def _ident(name: str) -> sql.Identifier:
    return sql.Identifier(name)


def _sql(text: str) -> LiteralString:
    # The statements above are this module's own constants (no value from outside reaches them):
    # names and values from outside go through sql.Identifier and parameters.
    return text


def _one(raw: psycopg.Connection[Any], query: str, params: Iterable[object] = ()) -> object:
    row = raw.execute(_sql(query), list(params)).fetchone()
    return None if row is None else row[0]


def exist(db: PgDatabase) -> bool:
    """Return True when the project's three group roles are on the server."""
    names = list(group_names(db.conn.path.database).values())
    found = _one(db.conn.raw, "SELECT count(*) FROM pg_roles WHERE rolname = ANY(%s)", [names])
    return found == len(names)
