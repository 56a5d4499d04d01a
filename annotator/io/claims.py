"""Claims JSONL: one record per CLAIM span with its claimant and the quote that carries it.

``{"doc_id", "claim_id", "text", "start", "end", "check_worthy", "annotator", "claimant": {"id",
"text", "start", "end", "label"} | null, "quote": {"id", "text", "start", "end", "label", "type"} |
null, "sentence": {"text", "start", "end"}}``. Offsets are code points, end exclusive. The claimant
is the tail of the CLAIMANT link, the quote that of the CARRIED_BY link (first by position).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from annotator.io.alignment import write_record_lines
from annotator.io.base import AnnotatedDocument
from annotator.io.quotes import SentenceContext, kind_of, linked, mention


def claim_records(item: AnnotatedDocument, options: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the claim records of one document."""
    doc = item.document
    claims = [s for s in item.spans if kind_of(s.label, options) == "claim"]
    if not claims:
        return []
    context = SentenceContext(doc)
    records = []
    for claim in claims:
        carrier = linked(item, claim, "CARRIED_BY")
        quote = mention(carrier, doc.text)
        if quote is not None and carrier is not None:
            quote["type"] = carrier.attrs.get("type")
        records.append(
            {
                "doc_id": doc.id,
                "claim_id": claim.id,
                "text": claim.text_in(doc.text),
                "start": claim.start,
                "end": claim.end,
                "check_worthy": claim.attrs.get("check_worthy"),
                "annotator": claim.annotator,
                "claimant": mention(linked(item, claim, "CLAIMANT"), doc.text),
                "quote": quote,
                "sentence": context.around(claim.start, claim.end),
            }
        )
    return records


def write(items: Iterable[AnnotatedDocument], out: IO[bytes], options: dict[str, Any]) -> None:
    """Write one JSON line per claim."""
    write_record_lines(items, out, options, claim_records)
