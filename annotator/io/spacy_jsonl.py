"""spaCy/Prodigy JSONL: ``text``, ``tokens``, ``spans`` and ``relations``, one document per line.

Offsets are code points (Python ``str`` indices, what ``Doc.char_span`` takes), end exclusive;
``token_end`` is inclusive, as Prodigy writes it. A relation's ``head`` and ``child`` are the index
of the last token of the head and child spans, with both spans given in full (Prodigy's
``rel.manual`` shape). Spans whose edge falls inside a token are left out and reported.

Tokens follow spaCy's convention so that ``Doc(vocab, words, spaces)`` gives back the stored text
exactly: ``ws`` is one trailing U+0020 space; any other whitespace (line breaks, U+00A0, a second
space) is a token of its own, as spaCy's tokenizer makes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

import orjson

from annotator.io.alignment import align, report_of
from annotator.io.base import AnnotatedDocument
from annotator.model.document import Span
from annotator.model.tokens import Token


def _span(span: Span, first: int, last: int) -> dict[str, Any]:
    return {
        "start": span.start,
        "end": span.end,
        "token_start": first,
        "token_end": last,
        "label": span.label,
    }


def spacy_tokens(text: str, tokens: list[Token]) -> tuple[list[dict[str, Any]], list[int]]:
    """Return spaCy-style tokens (whitespace tokens added) and the new index of each token."""
    out: list[dict[str, Any]] = []
    new_index: list[int] = []

    def add(start: int, end: int, ws: bool) -> None:
        out.append({"text": text[start:end], "start": start, "end": end, "id": len(out), "ws": ws})

    first = tokens[0].start if tokens else len(text)
    if first > 0:
        add(0, first, False)
    for k, tok in enumerate(tokens):
        gap_end = tokens[k + 1].start if k + 1 < len(tokens) else len(text)
        ws = text.startswith(" ", tok.end) and tok.end < gap_end
        new_index.append(len(out))
        add(tok.start, tok.end, ws)
        if tok.end + ws < gap_end:
            add(tok.end + ws, gap_end, False)
    return out, new_index


def to_json(item: AnnotatedDocument, options: dict[str, Any]) -> dict[str, Any]:
    """Return the Prodigy/spaCy object of one document (reporting spans that do not fit)."""
    report = report_of(options)
    aligned = align(item, item.spans, report)
    tokens, new_index = spacy_tokens(item.document.text, aligned.tokens)
    spans = {
        s.id: _span(s, new_index[aligned.ranges[s.id][0]], new_index[aligned.ranges[s.id][1]])
        for s in item.spans
        if s.id in aligned.ranges
    }
    relations = [
        {
            "head": spans[r.head]["token_end"],
            "child": spans[r.tail]["token_end"],
            "head_span": spans[r.head],
            "child_span": spans[r.tail],
            "label": r.type,
        }
        for r in item.relations
        if r.head in spans and r.tail in spans
    ]
    report.spans += len(spans)
    report.relations += len(relations)
    return {
        "text": item.document.text,
        "tokens": tokens,
        "spans": list(spans.values()),
        "relations": relations,
        "meta": {"doc_id": item.document.id, "title": item.document.title},
    }


def write(items: Iterable[AnnotatedDocument], out: IO[bytes], options: dict[str, Any]) -> None:
    """Write one Prodigy/spaCy JSON line per document."""
    report = report_of(options)
    for item in items:
        out.write(orjson.dumps(to_json(item, options)))
        out.write(b"\n")
        report.documents += 1
