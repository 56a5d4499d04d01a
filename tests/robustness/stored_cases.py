"""Project files whose stored values were changed behind the annotator's back, as an attacker or
another program could: with sqlite3 directly, check constraints off.

Shared by the command-line tests (test_stored_values.py) and the window's
(tests/gui/test_stored_values_window.py). Each case is a copy of the filled project (the seed
article, 88 example spans, 35 relations) with one value replaced, what the error must say about
it, and which commands read that value and so must refuse the file.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

SEED_ID = "000_2024f0fe6e876b71"
DEEP = "[" * 5000 + "]" * 5000  # far past orjson's 1,024 and Python's stack
NESTED = '{"a": ' + "[" * 100 + "]" * 100 + "}"  # valid JSON, deeper than any meta
FIRST_SPAN = "rowid = (SELECT MIN(rowid) FROM spans)"
FIRST_RELATION = "rowid = (SELECT MIN(rowid) FROM relations)"
WHERE_DOC = f"damaged value in table documents, document '{SEED_ID}': "
WHERE_SPAN = f"damaged value in table spans, span 'g1' of document '{SEED_ID}': "
WHERE_RELATION = f"damaged value in table relations, relation 'r1' of document '{SEED_ID}': "
OUTSIDE = " (the file was changed outside the annotator; restore a backup copy)"
STORED_SCHEMA = "the label schema stored in the project is not valid: "

# The commands of the tests, and which values each reads.
DOC_READERS = frozenset({"show", "export", "merge-from", "agree"})
LISTED = DOC_READERS | {"list"}  # id, title and status are in the document list
# Merging into a project reads the annotations of the documents that get new work.
SPAN_READERS = frozenset({"show", "export", "merge-from", "agree", "merge-into"})
RELATION_READERS = SPAN_READERS
EVERY_COMMAND = frozenset({"list", "show", "export", "merge-from", "agree", "merge-into"})


@dataclass(frozen=True)
class StoredCase:
    """One damaged value: the SQL that plants it, what the reason says, who must refuse it."""

    sql: tuple[str, ...]
    expect: str  # the reason starts with this
    readers: frozenset[str]


def _doc(column: str, value: str) -> tuple[str, ...]:
    return (f"UPDATE documents SET {column} = {value}",)


def _span(column: str, value: str) -> tuple[str, ...]:
    return (f'UPDATE spans SET "{column}" = {value} WHERE {FIRST_SPAN}',)


def _relation(column: str, value: str) -> tuple[str, ...]:
    return (f"UPDATE relations SET {column} = {value} WHERE {FIRST_RELATION}",)


def _schema(value: str) -> tuple[str, ...]:
    return (f"UPDATE project SET value = {value} WHERE key = 'schema'",)


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


CASES: dict[str, StoredCase] = {
    # ---- documents
    "meta-not-json": StoredCase(
        _doc("meta", "'{\"source\": '"), WHERE_DOC + "meta is not JSON (", DOC_READERS
    ),
    "meta-a-list": StoredCase(
        _doc("meta", "'[1, 2]'"), WHERE_DOC + "meta is JSON a list, not an object", DOC_READERS
    ),
    "meta-nested-5000-deep": StoredCase(
        _doc("meta", _quoted(DEEP)), WHERE_DOC + "meta is not JSON (depth limit", DOC_READERS
    ),
    "meta-nested-100-deep": StoredCase(
        _doc("meta", _quoted(NESTED)), WHERE_DOC + "meta nests deeper than 64 levels", DOC_READERS
    ),
    "meta-a-blob": StoredCase(
        _doc("meta", "x'7b7d'"), WHERE_DOC + "meta is a BLOB of 2 bytes, not text", DOC_READERS
    ),
    "text-a-blob": StoredCase(
        _doc("text", "CAST(text AS BLOB)"), WHERE_DOC + "text is a BLOB of", DOC_READERS
    ),
    "text-not-utf8": StoredCase(
        _doc("text", "CAST(x'41ff42' AS TEXT)"),
        "damaged value in table documents: a value of column text is not valid UTF-8 text",
        DOC_READERS,
    ),
    "title-a-blob": StoredCase(
        _doc("title", "x'00ff'"), WHERE_DOC + "title is a BLOB of 2 bytes, not text", LISTED
    ),
    "status-unknown": StoredCase(
        _doc("status", "'archived'"),
        WHERE_DOC + "status is the text 'archived', not one of not_started, in_progress, done",
        LISTED,
    ),
    "status-a-blob": StoredCase(
        _doc("status", "x'01'"), WHERE_DOC + "status is a BLOB of 1 bytes, not text", LISTED
    ),
    "content-hash-a-number": StoredCase(
        # TEXT affinity turns a number into text; a BLOB stays a BLOB.
        _doc("content_hash", "x'0102'"),
        WHERE_DOC + "content_hash is a BLOB",
        DOC_READERS | {"merge-into"},
    ),
    "id-a-blob": StoredCase(
        (
            "INSERT INTO documents (id, position, title, text, meta, content_hash, status,"
            " created, updated) VALUES (x'6869', 9, 'planted', 'نص مزروع', '{}', 'h', 'done',"
            " '', '')",
        ),
        "damaged value in table documents",
        frozenset({"list", "export", "merge-from", "agree"}),  # show reads the seed article
    ),
    # ---- spans
    "start-text": StoredCase(
        _span("start", "'abc'"),
        WHERE_SPAN + "start is the text 'abc', not a whole number",
        SPAN_READERS,
    ),
    "end-fractional": StoredCase(
        _span("end", "85.5"),
        WHERE_SPAN + "end is the number 85.5, not a whole number",
        SPAN_READERS,
    ),
    "start-negative": StoredCase(
        _span("start", "-5"), WHERE_SPAN + "its offsets [-5, ", SPAN_READERS
    ),
    "end-before-start": StoredCase(_span("end", "0"), WHERE_SPAN + "its offsets [", SPAN_READERS),
    "label-a-blob": StoredCase(
        _span("label", "CAST(label AS BLOB)"),
        WHERE_SPAN + "label is a BLOB of 3 bytes",
        SPAN_READERS,
    ),
    "annotator-a-blob": StoredCase(
        _span("annotator", "x'00'"), "damaged value in table spans", SPAN_READERS
    ),
    "span-id-a-blob": StoredCase(
        _span("id", "x'6731'"),
        "damaged value in table spans, span a BLOB of 2 bytes",
        SPAN_READERS,
    ),
    "attrs-not-json": StoredCase(
        _span("attrs", "'type=direct'"), WHERE_SPAN + "attrs is not JSON (", SPAN_READERS
    ),
    "attrs-a-list": StoredCase(
        _span("attrs", "'[\"direct\"]'"),
        WHERE_SPAN + "attrs is not a JSON object of text values",
        SPAN_READERS,
    ),
    "attrs-number-values": StoredCase(
        _span("attrs", "'{\"type\": 1}'"),
        WHERE_SPAN + "attrs is not a JSON object of text values",
        SPAN_READERS,
    ),
    "attrs-nested": StoredCase(
        _span("attrs", _quoted('{"type": ' + NESTED + "}")),
        WHERE_SPAN + "attrs is not a JSON object of text values",
        SPAN_READERS,
    ),
    "attrs-5000-deep": StoredCase(
        _span("attrs", _quoted(DEEP)),
        WHERE_SPAN + "attrs is not JSON (depth limit",
        SPAN_READERS,
    ),
    "span-status-unknown": StoredCase(
        _span("status", "'maybe'"),
        WHERE_SPAN + "status is the text 'maybe', not one of pending, accepted, rejected",
        SPAN_READERS,
    ),
    # ---- relations
    "relation-type-a-blob": StoredCase(
        _relation("type", "CAST(type AS BLOB)"),
        WHERE_RELATION + "type is a BLOB of 7 bytes",
        RELATION_READERS,
    ),
    "relation-head-a-blob": StoredCase(
        _relation("head", "CAST(head AS BLOB)"),
        WHERE_RELATION + "head is a BLOB",
        RELATION_READERS,
    ),
    # ---- the project's settings
    "schema-not-toml": StoredCase(
        _schema("'labels = ['"), STORED_SCHEMA + "not a valid schema file", EVERY_COMMAND
    ),
    "schema-a-blob": StoredCase(
        _schema("CAST(value AS BLOB)"),
        "damaged value in table project, setting 'schema': value is a BLOB of",
        EVERY_COMMAND,
    ),
    "schema-labels-a-number": StoredCase(_schema("'labels = 5'"), STORED_SCHEMA, EVERY_COMMAND),
    "schema-without-labels": StoredCase(_schema("'name = \"x\"'"), STORED_SCHEMA, EVERY_COMMAND),
    # ---- review: merging into a project reads its review statuses
    "review-status-unknown": StoredCase(
        (
            "INSERT INTO document_reviews (doc_id, status, reviewer, updated)"
            f" VALUES ('{SEED_ID}', 'approved', 'rev', '')",
        ),
        f"damaged value in table document_reviews, the review of document '{SEED_ID}': status is"
        " the text 'approved', not one of unreviewed, in_review, reviewed",
        frozenset({"merge-into"}),
    ),
}


def plant(source: Path, target: Path, statements: tuple[str, ...]) -> Path:
    """Copy ``source`` to ``target`` and run ``statements`` on the copy as another program would."""
    shutil.copyfile(source, target)
    with closing(sqlite3.connect(target)) as conn:
        conn.execute("PRAGMA ignore_check_constraints = ON")  # an attacker's own connection
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    return target
