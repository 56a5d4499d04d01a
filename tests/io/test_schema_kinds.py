"""Entities, quotes and cues are what the schema's label kinds say, never a list of names."""

from __future__ import annotations

import io
import json

from annotator.io import conll, quotes
from annotator.io.base import AnnotatedDocument
from annotator.model.document import Document, Relation, Span
from annotator.model.schema import parse_schema

SCHEMA = parse_schema(
    """
name = "court reporting"
[[labels]]
id = "JUDGE"
kind = "entity"
[[labels]]
id = "STATEMENT"
kind = "quote"
[[labels]]
id = "QUOTE"
kind = "entity"
[[labels]]
id = "SAID"
kind = "cue"
[[relations]]
id = "SPEAKER"
head = ["STATEMENT"]
tail = ["@entity"]
"""
)
TEXT = "قال القاضي إن الجلسة رفعت"  # قال [0, 3), القاضي [4, 10), إن الجلسة رفعت [11, 25)


def document() -> AnnotatedDocument:
    spans = [
        Span("c", "d", 0, 3, "SAID", "x"),
        Span("j", "d", 4, 10, "JUDGE", "x"),
        Span("s", "d", 11, 25, "STATEMENT", "x"),
        Span("q", "d", 14, 20, "QUOTE", "x"),  # in this schema QUOTE names an entity
    ]
    return AnnotatedDocument(
        Document("d", "t", TEXT), spans, [Relation("r", "d", "SPEAKER", "s", "j")]
    )


def test_bio_tags_the_schemas_entities_whatever_their_names() -> None:
    out = io.BytesIO()
    conll.write([document()], out, {"schema": SCHEMA})
    tags = dict(line.split() for line in out.getvalue().decode().splitlines()[2:] if line)
    assert tags == {
        "قال": "O",  # a cue
        "القاضي": "B-JUDGE",
        "إن": "O",  # inside the STATEMENT, a quote: not tagged
        "الجلسة": "B-QUOTE",
        "رفعت": "O",
    }


def test_the_quote_export_takes_the_schemas_quote_labels() -> None:
    out = io.BytesIO()
    quotes.write([document()], out, {"schema": SCHEMA})
    (record,) = [json.loads(line) for line in out.getvalue().splitlines()]
    assert (record["quote_id"], record["text"]) == ("s", "إن الجلسة رفعت")
    assert [s["text"] for s in record["speakers"]] == ["القاضي"]
