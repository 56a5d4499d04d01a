"""Review decisions undone and redone: snapshots of cases put back exactly, ids and times included."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from review_helpers import TEXT, mona_and_sami, offsets

from annotator.errors import StaleEditError
from annotator.model.document import GOLD_ANNOTATOR
from annotator.review.compare import AGREED, BOUNDARY, LABEL, ONLY, Case, compare_document
from annotator.review.gold import (
    GoldSnapshot,
    accept,
    accept_all_agreed,
    agreed_open_cases,
    edit,
    refresh_review_status,
    reject,
    restore,
    snapshot,
)
from annotator.store import Project
from annotator.store.reviews import decisions, review_state, review_status


@pytest.fixture
def review(tmp_path: Path) -> Project:
    return mona_and_sami(tmp_path)


def case_of(
    project: Project, kind: str, target: str = "span", *, who: str = "", label: str = ""
) -> Case:
    cases = compare_document(project, "d1", ["mona", "sami"]).cases
    return next(
        c
        for c in cases
        if (c.kind, c.target) == (kind, target)
        and who in ("", *c.options[0].annotators)
        and label in ("", c.options[0].label)
    )


def stored(project: Project) -> tuple[Any, ...]:
    """Everything a decision touches: gold spans and links, decisions, the review status."""
    with Project.open(project.path, read_only=True, annotator="reader") as again:
        return (
            again.spans("d1", [GOLD_ANNOTATOR]),
            sorted(again.relations("d1", [GOLD_ANNOTATOR]), key=lambda r: r.id),
            decisions(again, "d1"),
            review_state(again, "d1"),
        )


def decided(project: Project, keys: list[str], action: Any) -> tuple[GoldSnapshot, GoldSnapshot]:
    """Run a decision as the window's session will: snapshot, act, refresh status, snapshot."""
    before = snapshot(project, "d1", keys)
    action()
    refresh_review_status(project, compare_document(project, "d1", ["mona", "sami"]))
    return before, snapshot(project, "d1", keys)


def gold_words(project: Project) -> list[tuple[str, str]]:
    return sorted((s.text_in(TEXT), s.label) for s in project.spans("d1", [GOLD_ANNOTATOR]))


def test_undo_and_redo_of_an_accept(review: Project) -> None:
    conflict = case_of(review, LABEL)
    org = [o.label for o in conflict.options].index("ORG")
    empty = stored(review)
    before, after = decided(review, [conflict.key], lambda: accept(review, "d1", conflict, org))
    accepted = stored(review)
    assert gold_words(review) == [("موسكو", "ORG")]
    assert review_status(review, "d1") == "in_review"
    restore(review, before)
    assert stored(review) == empty
    assert review_status(review, "d1") == "unreviewed"
    restore(review, before)  # twice is the same as once
    assert stored(review) == empty
    restore(review, after)
    assert stored(review) == accepted  # the same gold span id, decision time and status
    restore(review, after)
    assert stored(review) == accepted


def test_undo_of_a_reject_brings_back_the_accepted_link_and_its_ends(review: Project) -> None:
    link = case_of(review, ONLY, "relation", who="mona")
    accept(review, "d1", link)
    accepted = stored(review)
    spans, relations, _made, _status = accepted
    assert len(spans) == 2 and len(relations) == 1
    before, after = decided(review, [link.key], lambda: reject(review, "d1", link))
    rejected = stored(review)
    assert gold_words(review) == []
    assert decisions(review, "d1")[link.key].decision == "rejected"
    restore(review, before)
    assert stored(review) == accepted
    assert {s.id for s in review.spans("d1", [GOLD_ANNOTATOR])} == {s.id for s in spans}
    restore(review, after)
    assert stored(review) == rejected


def test_undo_of_an_edit_brings_back_the_earlier_accepted_span(review: Project) -> None:
    boundary = case_of(review, BOUNDARY)
    accept(review, "d1", boundary)  # the first version: one annotator's edges
    accepted = stored(review)
    start, end = offsets(TEXT, "بايدن")
    before, after = decided(
        review, [boundary.key], lambda: edit(review, "d1", boundary, start, end, "PER")
    )
    edited = stored(review)
    assert gold_words(review) == [("بايدن", "PER")]
    restore(review, before)
    assert stored(review) == accepted
    restore(review, after)
    assert stored(review) == edited
    assert decisions(review, "d1")[boundary.key].detail == {
        "start": start,
        "end": end,
        "label": "PER",
    }


def test_undo_of_accept_all_agreed_keeps_what_another_decision_holds(review: Project) -> None:
    # mona's link ends at the QUOTE both annotators marked: its gold span is shared.
    link = case_of(review, ONLY, "relation", who="mona")
    accept(review, "d1", link)
    linked = stored(review)
    comparison = compare_document(review, "d1", ["mona", "sami"])
    keys = [c.key for c in agreed_open_cases(review, comparison)]
    assert len(keys) == 2
    before, after = decided(review, keys, lambda: accept_all_agreed(review, comparison))
    all_agreed = stored(review)
    assert gold_words(review) == [("بايدن", "PER"), ("ترفض الحوار", "QUOTE"), ("قال", "CUE")]
    restore(review, before)
    assert stored(review) == linked
    assert gold_words(review) == [("بايدن", "PER"), ("ترفض الحوار", "QUOTE")]
    restore(review, after)
    assert stored(review) == all_agreed
    assert {c.kind for c in comparison.cases if c.key in keys} == {AGREED}


def test_redo_refuses_when_someone_put_gold_at_the_same_place(review: Project) -> None:
    only = case_of(review, ONLY)
    before, after = decided(review, [only.key], lambda: accept(review, "d1", only))
    restore(review, before)
    # Meanwhile another review decision (another reviewer's window) puts واشنطن in gold.
    with review.as_reviewer():
        review.add_span(
            "d1", only.start, only.end, "GPE", annotator=GOLD_ANNOTATOR, status="accepted"
        )
    meanwhile = stored(review)
    with pytest.raises(StaleEditError, match="already holds another GPE span"):
        restore(review, after)
    assert stored(review) == meanwhile


def test_undo_refuses_when_a_shared_gold_span_was_changed(review: Project) -> None:
    link = case_of(review, ONLY, "relation", who="mona")
    accept(review, "d1", link)  # its QUOTE end is also the agreed QUOTE case's gold
    quote = case_of(review, AGREED, label="QUOTE")
    accept(review, "d1", quote)
    before, _after = decided(review, [quote.key], lambda: reject(review, "d1", quote))
    (shared,) = (s for s in review.spans("d1", [GOLD_ANNOTATOR]) if s.label == "QUOTE")
    with review.as_reviewer():  # another reviewer's decision changes it meanwhile
        review.update_span("d1", shared.id, status="rejected")
    meanwhile = stored(review)
    with pytest.raises(StaleEditError, match="was changed since"):
        restore(review, before)
    assert stored(review) == meanwhile
