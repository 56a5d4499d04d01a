"""Quotes JSONL: one record per QUOTE span with every speaker and cue and a context holding them.

``{"doc_id", "quote_id", "text", "start", "end", "type", "annotator", "speakers": [mention],
"cues": [mention], "context": {"text", "start", "end"}, "offsets": {"unit": "code_point", "end":
"exclusive"}, "schema": {"name", "version"}}`` with mention = ``{"id", "text", "start", "end",
"label"}``. Offsets are code points into the document text, end exclusive. ``speakers`` are the
tails of every SPEAKER link of the quote, ``cues`` those of its CUE links, each list by position.
``context`` runs over whole sentences from the earliest to the latest of the quote and its linked
mentions, so ``context["text"][m["start"] - context["start"]:m["end"] - context["start"]]`` is
``m["text"]`` for the quote and each mention. ``schema.version`` is :attr:`Schema.version`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from typing import IO, Any

from annotator.io.alignment import label_kinds, schema_of, sentence_bounds, write_record_lines
from annotator.io.base import AnnotatedDocument
from annotator.model.document import Document, Span

OFFSETS = {"unit": "code_point", "end": "exclusive"}


def kind_of(label: str, options: dict[str, Any]) -> str:
    """Return the schema kind of ``label`` (entity, quote, cue, claim); "entity" if unknown."""
    return label_kinds(options).get(label, "entity")


def stamp(options: dict[str, Any]) -> dict[str, Any]:
    """Return the fields every quote and claim record ends with: offset unit and schema."""
    found: dict[str, Any] | None = options.get("record_stamp")
    if found is None:
        schema = schema_of(options)
        found = {"offsets": OFFSETS, "schema": {"name": schema.name, "version": schema.version}}
        options["record_stamp"] = found  # hashed once per export, not once per record
    return found


def mention(span: Span, text: str) -> dict[str, Any]:
    """Return ``{"id", "text", "start", "end", "label"}`` of a span."""
    return {
        "id": span.id,
        "text": span.text_in(text),
        "start": span.start,
        "end": span.end,
        "label": span.label,
    }


class Links:
    """The spans each span of one document links to, by relation type."""

    def __init__(self, item: AnnotatedDocument) -> None:
        by_id = {s.id: s for s in item.spans}
        self.tails: dict[tuple[str, str], dict[str, Span]] = {}
        for rel in item.relations:
            tail = by_id.get(rel.tail)
            if tail is not None:
                self.tails.setdefault((rel.head, rel.type), {})[tail.id] = tail

    def of(self, head: Span, rel_type: str) -> list[Span]:
        """Return every span ``head`` links to with ``rel_type``, each once, by position."""
        tails = self.tails.get((head.id, rel_type), {}).values()
        return sorted(tails, key=lambda s: (s.start, s.end, s.id))


class SentenceContext:
    """Finds the sentences around a range of a document, computed once per document."""

    def __init__(self, doc: Document) -> None:
        self.text = doc.text
        bounds = sentence_bounds(doc)
        self.starts = [a for a, _ in bounds]
        self.ends = [b for _, b in bounds]

    def around(self, start: int, end: int) -> dict[str, Any]:
        """Return ``{"text", "start", "end"}`` of the sentences that ``[start, end)`` touches."""
        if not self.starts:
            return {"text": self.text[start:end], "start": start, "end": end}
        first = min(bisect_right(self.ends, start), len(self.ends) - 1)
        last = max(bisect_left(self.starts, end) - 1, first)
        a, b = min(self.starts[first], start), max(self.ends[last], end)
        return {"text": self.text[a:b], "start": a, "end": b}

    def covering(self, spans: list[Span]) -> dict[str, Any]:
        """Return the sentences from the earliest to the latest of ``spans`` (not empty)."""
        return self.around(min(s.start for s in spans), max(s.end for s in spans))


def quote_records(item: AnnotatedDocument, options: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the quote records of one document."""
    doc = item.document
    quotes = [s for s in item.spans if kind_of(s.label, options) == "quote"]
    if not quotes:
        return []
    context, links, end = SentenceContext(doc), Links(item), stamp(options)
    records = []
    for quote in quotes:
        speakers, cues = links.of(quote, "SPEAKER"), links.of(quote, "CUE")
        records.append(
            {
                "doc_id": doc.id,
                "quote_id": quote.id,
                "text": quote.text_in(doc.text),
                "start": quote.start,
                "end": quote.end,
                "type": quote.attrs.get("type"),
                "annotator": quote.annotator,
                "speakers": [mention(s, doc.text) for s in speakers],
                "cues": [mention(s, doc.text) for s in cues],
                "context": context.covering([quote, *speakers, *cues]),
                **end,
            }
        )
    return records


def write(items: Iterable[AnnotatedDocument], out: IO[bytes], options: dict[str, Any]) -> None:
    """Write one JSON line per quote."""
    write_record_lines(items, out, options, quote_records)
