"""Every writer streams (one document written before the next is read); random round trips."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.io.base import AnnotatedDocument, ReadOptions
from annotator.io.doccano import record_from_json
from annotator.io.doccano import to_json as doccano_json
from annotator.io.labelstudio import to_json as labelstudio_json
from annotator.io.labelstudio_read import record_from_task
from annotator.io.registry import get_format, writable
from annotator.model.document import Document, Relation, Span

WRITERS = [name for name in writable() if name not in ("native", "jsonl")]


def sample(n: int) -> AnnotatedDocument:
    text = f"قال لافروف 🔴 في موسكو رقم {n}."
    spans = [
        Span("a", "d", 4, 10, "PER", "x"),
        Span("q", "d", 16, 21, "QUOTE", "x", {"type": "direct"}),
        Span("c", "d", 16, 21, "CLAIM", "x", {"check_worthy": "yes"}),
    ]
    relation = Relation("r", "d", "SPEAKER", "q", "a", "x")
    return AnnotatedDocument(Document(f"d{n}", "t", text), spans, [relation])


@pytest.mark.parametrize("fmt", WRITERS)
def test_each_document_is_written_before_the_next_is_read(fmt, tmp_path):
    out = io.BytesIO()
    written: list[int] = []

    def documents() -> Iterator[AnnotatedDocument]:
        for n in range(5):
            written.append(out.tell())
            yield sample(n)

    get_format(fmt).write(documents(), out, {"path": tmp_path / "x.jsonl"})  # type: ignore[misc]
    # A writer that collected the documents first would show no growth between reads.
    assert all(b > a for a, b in pairwise(written))


arabic = st.text(alphabet=st.sampled_from("قالوزيرموسكوًٌَُِّْـ 🔴📢\u00a0"), min_size=1, max_size=30)


@st.composite
def documents(draw: st.DrawFn) -> AnnotatedDocument:
    text = draw(arabic.filter(lambda t: t.strip() != ""))
    spans = []
    for k in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        spans.append(Span(f"s{k}", "d", start, end, draw(st.sampled_from(["PER", "GPE"])), "x"))
    relations = (
        [Relation("r0", "d", "CLAIMANT", spans[0].id, spans[1].id, "x")] if len(spans) > 1 else []
    )
    return AnnotatedDocument(Document("d", "t", text), spans, relations)


def shape(spans, relations) -> tuple[list, list]:
    by_id = {s.id: s for s in spans}
    return (
        sorted((s.start, s.end, s.label) for s in spans),
        sorted(
            (r.type, by_id[r.head].start, by_id[r.head].end, by_id[r.tail].start) for r in relations
        ),
    )


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_doccano_and_labelstudio_round_trip_random_text_with_marks_and_emoji(item):
    options = ReadOptions(annotator="x")
    for record in (
        record_from_json(json.loads(json.dumps(doccano_json(item))), options),
        record_from_task(json.loads(json.dumps(labelstudio_json(item))), options),
    ):
        assert record.text == item.document.text
        assert shape(record.spans, record.relations) == shape(item.spans, item.relations)
