"""The article view's span lookup: same answers as a brute-force scan, after any edits."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.gui.view_index import LONG, HitIndex, SpanIndex, stack_slots
from annotator.model import Span

TEXT_LENGTH = 3 * LONG


@st.composite
def spans(draw: st.DrawFn, prefix: str = "s") -> list[Span]:
    count = draw(st.integers(0, 40))
    result = []
    for i in range(count):
        start = draw(st.integers(0, TEXT_LENGTH - 1))
        # Mostly word-sized spans, sometimes a long quote that crosses LONG.
        length = draw(st.one_of(st.integers(1, 12), st.integers(LONG - 5, 2 * LONG)))
        end = min(start + length, TEXT_LENGTH)
        result.append(Span(f"{prefix}{i}", "d", start, end, "PER"))
    return result


def brute(all_spans: list[Span], start: int, end: int) -> set[str]:
    return {s.id for s in all_spans if s.start < end and s.end > start}


@settings(max_examples=200, deadline=None)
@given(spans(), spans("n"), st.data())
def test_overlapping_matches_a_scan_after_adds_and_removes(
    first: list[Span], added: list[Span], data: st.DataObject
) -> None:
    index = SpanIndex(first)
    current = {s.id: s for s in first}
    for span in added:
        index.add(span)
        current[span.id] = span
    for span_id in (
        data.draw(st.lists(st.sampled_from(sorted(current)), unique=True)) if current else []
    ):
        index.remove(span_id)
        del current[span_id]
    start = data.draw(st.integers(0, TEXT_LENGTH - 1))
    end = data.draw(st.integers(start + 1, TEXT_LENGTH))
    assert {s.id for s in index.overlapping(start, end)} == brute(
        list(current.values()), start, end
    )
    innermost = index.at(start)
    assert [s.end - s.start for s in innermost] == sorted(s.end - s.start for s in innermost)
    assert len(index) == len(current)


@settings(max_examples=200, deadline=None)
@given(spans())
def test_overlapping_spans_never_share_a_slot(all_spans: list[Span]) -> None:
    slots = stack_slots(all_spans)
    for a in all_spans:
        for b in all_spans:
            if a.id != b.id and a.overlaps(b):
                assert slots[a.id] != slots[b.id]


def test_nested_spans_stack_outside_in() -> None:
    quote, claim, inner = (
        Span("q", "d", 0, 50, "QUOTE"),
        Span("c", "d", 0, 50, "CLAIM"),
        Span("i", "d", 10, 20, "QUOTE"),
    )
    assert stack_slots([inner, claim, quote]) == {"c": 0, "q": 1, "i": 2}


def test_hits_are_found_by_range_with_their_index() -> None:
    hits = HitIndex([(30, 35, False), (0, 5, True), (10, 15, True)])
    assert hits.overlapping(4, 12) == [(0, 0, 5, True), (1, 10, 15, True)]
    assert hits.overlapping(16, 29) == []
