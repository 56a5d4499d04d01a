"""Properties of comparison and agreement on random annotations of an Arabic sentence."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.model.document import Span
from annotator.model.tokens import tokenize
from annotator.review.agreement import count_document, scores
from annotator.review.compare import AGREED, compare

TEXT = "قال وزير الخارجية الروسي سيرجي لافروف إن موسكو لم تتلق ردًا من واشنطن"
TOKENS = tokenize(TEXT)
LABELS = ("PER", "GPE", "ORG")


@st.composite
def layer(draw: st.DrawFn, who: str) -> list[Span]:
    picks = draw(
        st.lists(
            st.tuples(st.integers(0, len(TOKENS) - 1), st.integers(0, 2), st.sampled_from(LABELS)),
            max_size=6,
        )
    )
    spans: dict[tuple[int, int, str], Span] = {}
    for first, extra, label in picks:
        last = min(first + extra, len(TOKENS) - 1)
        key = (TOKENS[first].start, TOKENS[last].end, label)
        spans[key] = Span(f"{who}{len(spans)}", "d", key[0], key[1], label, annotator=who)
    return list(spans.values())


def relabel(spans: list[Span], who: str) -> list[Span]:
    return [Span(f"{who}{s.id}", "d", s.start, s.end, s.label, annotator=who) for s in spans]


@settings(max_examples=60, deadline=None)
@given(layer("a"))
def test_an_annotator_agrees_fully_with_a_copy_of_itself(spans: list[Span]) -> None:
    result = scores(count_document(TOKENS, spans, relabel(spans, "b"), [], []))
    if spans:
        assert result["span_f1_exact"] == 1.0
        assert result["span_f1_overlap"] == 1.0
        assert result["kappa_tokens"] in (None, 1.0)
    else:
        assert result["span_f1_exact"] is None


@settings(max_examples=60, deadline=None)
@given(layer("a"), layer("b"))
def test_scores_do_not_depend_on_which_annotator_comes_first(a: list[Span], b: list[Span]) -> None:
    forward = scores(count_document(TOKENS, a, b, [], []))
    backward = scores(count_document(TOKENS, b, a, [], []))
    for key in ("span_f1_exact", "span_f1_overlap", "kappa_tokens", "alpha"):
        if forward[key] is None:
            assert backward[key] is None
        else:
            assert abs(forward[key] - backward[key]) < 1e-9


@settings(max_examples=60, deadline=None)
@given(layer("a"), layer("b"))
def test_every_span_is_in_one_case_and_agreed_cases_are_exact_matches(
    a: list[Span], b: list[Span]
) -> None:
    cases = compare(a + b, [], ("a", "b"))
    ids = [i for c in cases for o in c.options for i in o.ids]
    assert sorted(ids) == sorted(s.id for s in a + b)
    keys_a = {(s.start, s.end, s.label) for s in a}
    keys_b = {(s.start, s.end, s.label) for s in b}
    agreed = {(c.start, c.end, c.options[0].label) for c in cases if c.kind == AGREED}
    assert agreed == keys_a & keys_b
    exact = scores(count_document(TOKENS, a, b, [], []))["span_f1_exact"]
    if a or b:
        assert exact == 2 * len(agreed) / (len(a) + len(b))
