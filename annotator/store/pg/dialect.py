"""The store's statements, written in SQLite's dialect, said in PostgreSQL's.

The store writes plain SQL both engines accept, with a few SQLite spellings translated here:
``?`` placeholders (psycopg's are ``%s``, so a literal ``%`` is doubled), ``BEGIN IMMEDIATE`` (a
write transaction) and ``BEGIN`` (a read snapshot), ``INSERT OR IGNORE`` / ``INSERT OR REPLACE``
(``ON CONFLICT`` on the table's key), ``rowid`` (the ``seq`` column PostgreSQL's tables carry
where the store orders by insertion) and the probe of ``sqlite_master`` a snapshot starts with.
Each distinct statement is translated once.
"""

from __future__ import annotations

import functools
import re

_TABLE = re.compile(
    r"^\s*CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)\s*\((.*)\)\s*$", re.I | re.S
)
_TABLE_KEY = re.compile(r"\bPRIMARY\s+KEY\s*\(([^)]*)\)", re.I)
_COLUMN_KEY = re.compile(r"^\s*\"?(\w+)\"?\s+\w+[^,\n]*\bPRIMARY\s+KEY\b", re.I | re.M)
_INSERT_OR = re.compile(
    r"^\s*INSERT\s+OR\s+(IGNORE|REPLACE)\s+INTO\s+([\w.]+)\s*(\(([^)]*)\))?", re.I | re.S
)
_WITHOUT_ROWID = re.compile(r"\)\s*WITHOUT\s+ROWID\s*$", re.I)
_TEMP = re.compile(r"\btemp\.", re.I)
_LIKE = re.compile(r"\bLIKE\b")
_GROUP_CONCAT = re.compile(r"\bgroup_concat\((\w+)\)", re.I)
# SQLite's index hint: PostgreSQL plans itself.
_INDEXED = re.compile(r"\s+INDEXED\s+BY\s+\w+", re.I)
_BEGIN = re.compile(r"^\s*BEGIN(\s+IMMEDIATE|\s+DEFERRED)?\s*$", re.I)
_PROBE = re.compile(r"^\s*SELECT\s+1\s+FROM\s+sqlite_master\b.*$", re.I | re.S)
_ROWID = re.compile(r"\browid\b", re.I)
# A transaction's reads see one state; a write racing another client's on the same row fails
# (could not serialize) rather than overwriting it: the store's version checks hold across
# clients as they do in one SQLite file.
BEGIN = "BEGIN ISOLATION LEVEL REPEATABLE READ"


@functools.lru_cache(maxsize=2048)
def translate(sql: str) -> str:
    """Return ``sql`` (SQLite's dialect) in PostgreSQL's, with psycopg's placeholders."""
    if _BEGIN.match(sql):
        return BEGIN
    if _PROBE.match(sql):
        return "SELECT 1"
    upsert = _INSERT_OR.match(sql)
    suffix = ""
    if upsert:
        how, table, columns = upsert.group(1).upper(), upsert.group(2), upsert.group(4) or ""
        sql = "INSERT INTO " + sql[upsert.start(2) :]
        if how == "IGNORE":
            suffix = " ON CONFLICT DO NOTHING"
        else:
            keys = primary_keys()[table.lower()]
            names = [c.strip().strip('"') for c in columns.split(",")]
            updates = ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in names if c not in keys)
            target = ", ".join(f'"{k}"' for k in keys)
            action = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
            suffix = f" ON CONFLICT ({target}) {action}"
    sql = _WITHOUT_ROWID.sub(")", sql.rstrip().rstrip(";"))
    # SQLite's temporary schema is PostgreSQL's pg_temp; LIKE ignores ASCII case in SQLite.
    sql = _LIKE.sub("ILIKE", _TEMP.sub("pg_temp.", _INDEXED.sub("", sql)))
    sql = _GROUP_CONCAT.sub(r"string_agg(CAST(\1 AS TEXT), ',')", sql)
    return _placeholders(sql) + suffix


@functools.cache
def primary_keys() -> dict[str, tuple[str, ...]]:
    """Return each table's key (what INSERT OR REPLACE conflicts on), read off the migrations."""
    # Imported here: the schema module uses the connection, which uses this module.
    from annotator.store.pg.schema import steps

    keys: dict[str, tuple[str, ...]] = {}
    for _name, statements in steps():
        for statement in statements:
            table = _TABLE.match(statement)
            if table is None:
                continue
            body = table.group(2)
            found = _TABLE_KEY.search(body)
            if found is not None:
                columns = tuple(c.strip().strip('"') for c in found.group(1).split(","))
            else:
                columns = tuple(m.group(1) for m in _COLUMN_KEY.finditer(body))
            keys[table.group(1).lower()] = columns
    return keys


def _placeholders(sql: str) -> str:
    """Turn ``?`` into ``%s`` and ``%`` into ``%%`` outside quoted strings and names."""
    out: list[str] = []
    quote = ""
    for ch in sql:
        if quote:
            out.append("%%" if ch == "%" else ch)
            if ch == quote:
                quote = ""
            continue
        if ch in "'\"":
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        else:
            out.append(ch)
    return _ROWID.sub("seq", "".join(out))
