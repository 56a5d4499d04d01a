"""Quotes JSONL: one record per QUOTE span with its speaker, cue and sentence context.

``{"doc_id", "quote_id", "text", "start", "end", "type", "annotator", "speaker": {"id", "text",
"start", "end", "label"} | null, "cue": {"id", "text", "start", "end", "label"} | null,
"sentence": {"text", "start", "end"}}``. Offsets are code points into the document text, end
exclusive; ``sentence`` covers every sentence the quote touches. The speaker is the tail of the
quote's SPEAKER link (the first by position when there are several), the cue that of its CUE link.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from typing import IO, Any

from annotator.io.alignment import label_kinds, sentence_bounds, write_record_lines
from annotator.io.base import AnnotatedDocument
from annotator.model.document import Document, Span


def kind_of(label: str, options: dict[str, Any]) -> str:
    """Return the schema kind of ``label`` (entity, quote, cue, claim); "entity" if unknown."""
    return label_kinds(options).get(label, "entity")


def mention(span: Span | None, text: str) -> dict[str, Any] | None:
    """Return ``{"id", "text", "start", "end", "label"}`` of a span, or None."""
    if span is None:
        return None
    return {
        "id": span.id,
        "text": span.text_in(text),
        "start": span.start,
        "end": span.end,
        "label": span.label,
    }


def linked(item: AnnotatedDocument, head: Span, rel_type: str) -> Span | None:
    """Return the first span (by position) that ``head`` links to with ``rel_type``."""
    by_id = {s.id: s for s in item.spans}
    tails = [
        by_id[r.tail]
        for r in item.relations
        if r.head == head.id and r.type == rel_type and r.tail in by_id
    ]
    return min(tails, key=lambda s: (s.start, s.end), default=None)


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


def quote_records(item: AnnotatedDocument, options: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the quote records of one document."""
    doc = item.document
    quotes = [s for s in item.spans if kind_of(s.label, options) == "quote"]
    if not quotes:
        return []
    context = SentenceContext(doc)
    return [
        {
            "doc_id": doc.id,
            "quote_id": q.id,
            "text": q.text_in(doc.text),
            "start": q.start,
            "end": q.end,
            "type": q.attrs.get("type"),
            "annotator": q.annotator,
            "speaker": mention(linked(item, q, "SPEAKER"), doc.text),
            "cue": mention(linked(item, q, "CUE"), doc.text),
            "sentence": context.around(q.start, q.end),
        }
        for q in quotes
    ]


def write(items: Iterable[AnnotatedDocument], out: IO[bytes], options: dict[str, Any]) -> None:
    """Write one JSON line per quote."""
    write_record_lines(items, out, options, quote_records)
