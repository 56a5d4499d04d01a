"""Claims JSONL: one record per CLAIM span with every claimant and every quote that carries it.

``{"doc_id", "claim_id", "text", "start", "end", "check_worthy", "annotator", "claimants":
[mention], "quotes": [mention + "type"], "context": {"text", "start", "end"}, "offsets",
"schema"}``, mentions and the last three fields as in :mod:`annotator.io.quotes`. Offsets are
code points, end exclusive. ``claimants`` are the tails of the claim's CLAIMANT links, ``quotes``
those of its CARRIED_BY links, each by position; ``context`` covers whole sentences from the
earliest to the latest of the claim, its claimants and its carrying quotes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from annotator.io.alignment import write_record_lines
from annotator.io.base import AnnotatedDocument
from annotator.io.quotes import Links, SentenceContext, kind_of, mention, stamp


def claim_records(item: AnnotatedDocument, options: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the claim records of one document."""
    doc = item.document
    claims = [s for s in item.spans if kind_of(s.label, options) == "claim"]
    if not claims:
        return []
    context, links, end = SentenceContext(doc), Links(item), stamp(options)
    records = []
    for claim in claims:
        claimants, carriers = links.of(claim, "CLAIMANT"), links.of(claim, "CARRIED_BY")
        records.append(
            {
                "doc_id": doc.id,
                "claim_id": claim.id,
                "text": claim.text_in(doc.text),
                "start": claim.start,
                "end": claim.end,
                "check_worthy": claim.attrs.get("check_worthy"),
                "annotator": claim.annotator,
                "claimants": [mention(s, doc.text) for s in claimants],
                "quotes": [{**mention(q, doc.text), "type": q.attrs.get("type")} for q in carriers],
                "context": context.covering([claim, *claimants, *carriers]),
                **end,
            }
        )
    return records


def write(items: Iterable[AnnotatedDocument], out: IO[bytes], options: dict[str, Any]) -> None:
    """Write one JSON line per claim."""
    write_record_lines(items, out, options, claim_records)
