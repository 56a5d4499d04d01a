"""Comparison cases: which spans agree, which conflict, and how."""

from __future__ import annotations

from annotator.model.document import Relation, Span
from annotator.review.compare import (
    AGREED,
    ATTRIBUTE,
    BOUNDARY,
    LABEL,
    ONLY,
    compare,
)

NAMES = ("mona", "sami")


def span(sid: str, who: str, start: int, end: int, label: str, **attrs: str) -> Span:
    return Span(sid, "d", start, end, label, annotator=who, attrs=attrs)


def kinds(cases: list) -> list[tuple[str, str]]:
    return [(c.kind, c.key) for c in cases]


def test_same_offsets_and_label_is_agreed() -> None:
    cases = compare([span("1", "mona", 0, 5, "PER"), span("2", "sami", 0, 5, "PER")], [], NAMES)
    assert kinds(cases) == [(AGREED, "span:0:5:PER")]
    assert cases[0].options[0].annotators == NAMES
    assert not cases[0].disagreement


def test_span_only_one_side_has_names_who_is_missing() -> None:
    cases = compare([span("1", "mona", 0, 5, "PER")], [], NAMES)
    assert kinds(cases) == [(ONLY, "span:0:5:PER")]
    assert cases[0].missing == ("sami",)


def test_same_offsets_different_label_is_a_label_conflict() -> None:
    cases = compare([span("1", "mona", 6, 11, "PER"), span("2", "sami", 6, 11, "ORG")], [], NAMES)
    assert kinds(cases) == [(LABEL, "label:6:11")]
    assert [o.label for o in cases[0].options] == ["ORG", "PER"]
    assert cases[0].options[1].annotators == ("mona",)


def test_overlapping_same_label_is_a_boundary_conflict() -> None:
    # وواشنطن: one annotator took the attached و, the other did not.
    cases = compare([span("1", "mona", 10, 17, "GPE"), span("2", "sami", 11, 17, "GPE")], [], NAMES)
    assert kinds(cases) == [(BOUNDARY, "boundary:GPE:10-17,11-17")]
    assert (cases[0].start, cases[0].end) == (10, 17)


def test_quote_and_claim_on_the_same_words_agree_when_both_mark_both() -> None:
    spans = [
        span(f"{who}{label}", who, 20, 40, label) for who in NAMES for label in ("QUOTE", "CLAIM")
    ]
    cases = compare(spans, [], NAMES)
    assert kinds(cases) == [(AGREED, "span:20:40:CLAIM"), (AGREED, "span:20:40:QUOTE")]


def test_extra_label_on_agreed_offsets_is_one_sided_not_a_conflict() -> None:
    spans = [
        span("1", "mona", 20, 40, "QUOTE"),
        span("2", "sami", 20, 40, "QUOTE"),
        span("3", "mona", 20, 40, "CLAIM"),
    ]
    assert kinds(compare(spans, [], NAMES)) == [
        (ONLY, "span:20:40:CLAIM"),
        (AGREED, "span:20:40:QUOTE"),
    ]


def test_different_attributes_on_an_agreed_span() -> None:
    spans = [
        span("1", "mona", 20, 40, "QUOTE", type="direct"),
        span("2", "sami", 20, 40, "QUOTE", type="indirect"),
    ]
    cases = compare(spans, [], NAMES)
    assert kinds(cases) == [(ATTRIBUTE, "span:20:40:QUOTE")]
    assert [dict(o.attrs) for o in cases[0].options] == [{"type": "direct"}, {"type": "indirect"}]


def test_relations_compare_by_type_and_end_offsets_not_ids() -> None:
    spans = [
        span("q1", "mona", 20, 40, "QUOTE"),
        span("p1", "mona", 0, 5, "PER"),
        span("q2", "sami", 20, 40, "QUOTE"),
        span("p2", "sami", 0, 5, "PER"),
        span("o2", "sami", 6, 11, "ORG"),
    ]
    relations = [
        Relation("r1", "d", "SPEAKER", "q1", "p1", annotator="mona"),
        Relation("r2", "d", "SPEAKER", "q2", "p2", annotator="sami"),
        Relation("r3", "d", "SPEAKER", "q2", "o2", annotator="sami"),
    ]
    cases = [c for c in compare(spans, relations, NAMES) if c.target == "relation"]
    assert [(c.kind, c.key) for c in cases] == [
        (AGREED, "rel:SPEAKER:20:40:QUOTE>0:5:PER"),
        (ONLY, "rel:SPEAKER:20:40:QUOTE>6:11:ORG"),
    ]
    assert cases[1].missing == ("mona",)


def test_every_span_lands_in_exactly_one_case() -> None:
    spans = [
        span("1", "mona", 0, 5, "PER"),
        span("2", "sami", 0, 5, "ORG"),
        span("3", "mona", 10, 17, "GPE"),
        span("4", "sami", 11, 17, "GPE"),
        span("5", "mona", 30, 35, "DATE"),
        span("6", "sami", 30, 35, "DATE"),
        span("7", "sami", 50, 55, "NORP"),
    ]
    cases = compare(spans, [], NAMES)
    ids = sorted(i for c in cases for o in c.options for i in o.ids)
    assert ids == ["1", "2", "3", "4", "5", "6", "7"]
    assert [c.kind for c in cases] == [LABEL, BOUNDARY, AGREED, ONLY]


def test_gold_and_other_annotators_are_left_out() -> None:
    spans = [span("1", "gold", 0, 5, "PER"), span("2", "model:x", 0, 5, "PER")]
    assert compare(spans, [], NAMES) == []


def test_three_annotators_name_who_is_missing_and_agree_only_when_all_do() -> None:
    names = ("mona", "sami", "huda")
    spans = [
        span("1", "mona", 0, 5, "PER"),
        span("2", "sami", 0, 5, "PER"),
        span("3", "mona", 6, 11, "GPE"),
        span("4", "sami", 6, 11, "GPE"),
        span("5", "huda", 6, 11, "GPE"),
    ]
    cases = compare(spans, [], names)
    assert [(c.kind, c.missing) for c in cases] == [(ONLY, ("huda",)), (AGREED, ())]
