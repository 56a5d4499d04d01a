"""Values read from a project file, checked where they are read.

A project file may come from anyone, and SQLite keeps whatever was written into a column
whatever its declared type: a number where text belongs, a BLOB, JSON that is not JSON or nests
thousands deep, a status no version of the annotator writes. Every row the store turns into a
model value passes through here first. A value the annotator would never have written raises
StoredValueError naming the file, the table, the row and what is wrong, so that no caller (an
export, a merge, the window) meets it later as a TypeError or a RecursionError.

The checks on the paths that read many rows are type tests of the whole tuple (an export reads
millions of spans); what exactly is wrong is worked out only once a row has failed.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from annotator.errors import StoredValueError
from annotator.model.document import DOCUMENT_STATUSES, REVIEW_STATUSES, Document, Relation, Span
from annotator.model.limits import MAX_JSON_DEPTH, json_depth

# Column orders of the tuples read in bulk; the queries select in these orders.
DOCUMENT_COLUMNS = ("id", "title", "text", "meta", "content_hash", "status")
SPAN_COLUMNS = (
    "doc_id", "id", "start", "end", "label", "annotator", "attrs", "status", "created", "updated",
)  # fmt: skip
RELATION_COLUMNS = (
    "doc_id", "id", "type", "head", "tail", "annotator", "status", "created", "updated",
)  # fmt: skip
_DOCUMENT_TYPES = (str,) * len(DOCUMENT_COLUMNS)
_SPAN_TYPES = (str, str, int, int, str, str, str, str, str, str)
_RELATION_TYPES = (str,) * len(RELATION_COLUMNS)
_OUTSIDE = "the file was changed outside the annotator; restore a backup copy"
_NOT_UTF8 = re.compile(r"Could not decode to UTF-8 column '([^']*)'")


def shown(value: object, limit: int = 40) -> str:
    """Describe a stored value for a message: its kind and a short, escaped quote of it."""
    if value is None:
        return "NULL"
    if isinstance(value, bytes):
        return f"a BLOB of {len(value):,} bytes"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        # repr escapes control characters and bidi overrides: a message never carries them raw.
        return f"the text {value[:limit]!r}" + ("…" if len(value) > limit else "")
    return type(value).__name__


def quoted(value: object) -> str:
    """Quote a stored id or name for a message: escaped, and short however long it is."""
    if isinstance(value, str):
        return f"{value[:40]!r}" + ("…" if len(value) > 40 else "")
    return shown(value)


def damaged(path: Path, table: str, row: str, what: str) -> StoredValueError:
    """Return the error for a stored value the annotator never writes."""
    where = f"{table}, {row}" if row else table
    return StoredValueError(
        f"damaged value in table {where}: {what} ({_OUTSIDE})",
        table=table,
        row=row,
        path=path,
    )


@contextmanager
def decoding(path: Path, table: str) -> Iterator[None]:
    """Turn SQLite's complaint about stored text that is not UTF-8 into a StoredValueError."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        found = _NOT_UTF8.match(str(exc))
        if found is None:
            raise
        what = f"a value of column {found.group(1)} is not valid UTF-8 text"
        raise damaged(path, table, "", what) from None


def text(path: Path, table: str, row: str, column: str, value: object) -> str:
    """Return ``value`` when it is text; raise StoredValueError otherwise."""
    if type(value) is not str:
        raise damaged(path, table, row, f"{column} is {shown(value)}, not text")
    return value


def texts(path: Path, table: str, column: str, values: Sequence[object]) -> list[str]:
    """Return ``values`` (ids, names) when every one is text; raise StoredValueError otherwise."""
    for value in values:
        text(path, table, "", column, value)
    return list(values)  # type: ignore[arg-type]  # each was checked to be str just above


def json_value(path: Path, table: str, row: str, column: str, raw: object) -> Any:
    """Return the JSON value stored as text in ``raw``, nesting at most MAX_JSON_DEPTH deep."""
    try:
        value = orjson.loads(text(path, table, row, column, raw))
    except orjson.JSONDecodeError as exc:
        raise damaged(path, table, row, f"{column} is not JSON ({exc.msg})") from None
    if json_depth(value) > MAX_JSON_DEPTH:
        raise damaged(path, table, row, f"{column} nests deeper than {MAX_JSON_DEPTH} levels")
    return value


def json_object(path: Path, table: str, row: str, column: str, raw: object) -> dict[str, Any]:
    """Return the JSON object stored as text in ``raw``; anything else raises StoredValueError."""
    value = json_value(path, table, row, column, raw)
    if type(value) is not dict:
        raise damaged(path, table, row, f"{column} is JSON {_json_kind(value)}, not an object")
    return value


def one_of(
    path: Path, table: str, row: str, column: str, value: object, allowed: Sequence[str]
) -> str:
    """Return ``value`` when it is one of ``allowed``; raise StoredValueError otherwise."""
    if type(value) is not str or value not in allowed:
        raise damaged(
            path, table, row, f"{column} is {shown(value)}, not one of {', '.join(allowed)}"
        )
    return value


def _json_kind(value: object) -> str:
    kinds = {
        list: "a list",
        str: "a string",
        int: "a number",
        float: "a number",
        bool: "true/false",
    }
    return kinds.get(type(value), "null")


def _wrong_type(row: Sequence[Any], columns: Sequence[str], types: Sequence[type]) -> str:
    if len(row) != len(columns):
        return f"the row has {len(row)} columns, not {len(columns)}"
    for column, value, kind in zip(columns, row, types, strict=True):
        if type(value) is not kind:
            wanted = "a whole number" if kind is int else "text"
            return f"{column} is {shown(value)}, not {wanted}"
    return ""


# ---- documents ----------------------------------------------------------------------------


def document(path: Path, row: Sequence[Any]) -> Document:
    """Return the document of a ``DOCUMENT_COLUMNS`` row, every value checked."""
    if tuple(map(type, row)) != _DOCUMENT_TYPES or row[5] not in DOCUMENT_STATUSES:
        raise _document_problem(path, row)
    meta = json_object(path, "documents", f"document {quoted(row[0])}", "meta", row[3])
    return Document(row[0], row[1], row[2], meta, row[4], row[5])


def document_row(path: Path, row: Sequence[Any]) -> tuple[str, str, str]:
    """Return ``(id, title, status)`` of a document-list row, every value checked."""
    if tuple(map(type, row)) != (str, str, str) or row[2] not in DOCUMENT_STATUSES:
        raise _document_problem(path, (row[0], row[1], "", "{}", "", row[2]))
    return row[0], row[1], row[2]


def _document_problem(path: Path, row: Sequence[Any]) -> StoredValueError:
    where = f"document {quoted(row[0])}"
    what = _wrong_type(row, DOCUMENT_COLUMNS, _DOCUMENT_TYPES) or (
        f"status is {shown(row[5])}, not one of {', '.join(DOCUMENT_STATUSES)}"
    )
    return damaged(path, "documents", where, what)


# ---- spans and relations ------------------------------------------------------------------


def span(path: Path, row: Sequence[Any]) -> Span:
    """Return the span of a ``SPAN_COLUMNS`` row, every value checked (cheaply: see above)."""
    if (
        tuple(map(type, row)) != _SPAN_TYPES
        or not 0 <= row[2] < row[3]
        or row[7] not in REVIEW_STATUSES
    ):
        raise _span_problem(path, row)
    attrs: dict[str, str] | None = {} if row[6] == "{}" else _text_object(row[6])
    if attrs is None:  # what is wrong is worked out only now, message and all
        span_attrs(path, _span_row(row), row[6])
    return Span(row[1], row[0], row[2], row[3], row[4], row[5], attrs or {}, row[7], row[8], row[9])


def _text_object(raw: str) -> dict[str, str] | None:
    """Return the JSON object of text values in ``raw``, or None when it is something else."""
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    # One type test per value keeps it cheap, and a value nested thousands deep is refused
    # without walking it (orjson itself stops at 1,024 levels).
    if type(value) is not dict:
        return None
    for item in value.values():
        if type(item) is not str:
            return None
    return value


def _span_row(row: Sequence[Any]) -> str:
    return f"span {quoted(row[1])} of document {quoted(row[0])}"


def span_attrs(path: Path, row: str, raw: object) -> dict[str, str]:
    """Return a span's attributes stored as ``raw``: a JSON object of text values."""
    try:
        value = orjson.loads(text(path, "spans", row, "attrs", raw))
    except orjson.JSONDecodeError as exc:
        raise damaged(path, "spans", row, f"attrs is not JSON ({exc.msg})") from None
    # Attribute values are text (QUOTE type=direct).
    if type(value) is not dict or not all(type(v) is str for v in value.values()):
        raise damaged(path, "spans", row, "attrs is not a JSON object of text values")
    return value


def _span_problem(path: Path, row: Sequence[Any]) -> StoredValueError:
    what = _wrong_type(row, SPAN_COLUMNS, _SPAN_TYPES)
    if not what and not 0 <= row[2] < row[3]:
        what = f"its offsets [{row[2]}, {row[3]}) are not 0 <= start < end"
    if not what:
        what = f"status is {shown(row[7])}, not one of {', '.join(REVIEW_STATUSES)}"
    return damaged(path, "spans", _span_row(row) if len(row) > 1 else "a row", what)


def relation(path: Path, row: Sequence[Any]) -> Relation:
    """Return the relation of a ``RELATION_COLUMNS`` row, every value checked."""
    if tuple(map(type, row)) != _RELATION_TYPES:
        where = (
            f"relation {quoted(row[1])} of document {quoted(row[0])}" if len(row) > 1 else "a row"
        )
        what = _wrong_type(row, RELATION_COLUMNS, _RELATION_TYPES)
        raise damaged(path, "relations", where, what)
    return Relation(row[1], row[0], *row[2:])
