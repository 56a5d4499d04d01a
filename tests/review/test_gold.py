"""Adjudication into the gold layer: decisions, who made them, and what survives a re-merge."""

from __future__ import annotations

from pathlib import Path

import pytest
from review_helpers import TEXT, annotator_project, mona_and_sami

from annotator.errors import OffsetError, ValidationError
from annotator.model.document import GOLD_ANNOTATOR
from annotator.review.compare import AGREED, BOUNDARY, LABEL, ONLY, Comparison, compare_document
from annotator.review.gold import (
    accept,
    accept_all_agreed,
    edit,
    refresh_review_status,
    reject,
)
from annotator.review.merge import merge_records, project_records
from annotator.store import Project
from annotator.store.reviews import decisions, review_status


@pytest.fixture
def review(tmp_path: Path) -> Project:
    return mona_and_sami(tmp_path)


def cases_of(project: Project) -> Comparison:
    return compare_document(project, "d1", ["mona", "sami"])


def gold_texts(project: Project) -> list[tuple[str, str]]:
    return [(s.text_in(TEXT), s.label) for s in project.spans("d1", [GOLD_ANNOTATOR])]


def test_merged_work_shows_every_kind_of_case(review: Project) -> None:
    found = [(c.kind, c.target) for c in cases_of(review).cases]
    assert found.count((AGREED, "span")) == 2
    assert (BOUNDARY, "span") in found
    assert (LABEL, "span") in found
    assert (ONLY, "span") in found
    assert found.count((ONLY, "relation")) == 2


def test_accept_puts_the_chosen_option_into_gold_with_reviewer_and_time(review: Project) -> None:
    comparison = cases_of(review)
    conflict = next(c for c in comparison.cases if c.kind == LABEL)
    org = [o.label for o in conflict.options].index("ORG")
    accept(review, "d1", conflict, org)
    assert gold_texts(review) == [("موسكو", "ORG")]
    gold = review.spans("d1", [GOLD_ANNOTATOR])[0]
    assert gold.status == "accepted"
    with Project.open(review.path, read_only=True) as again:
        made = decisions(again, "d1")[conflict.key]
    assert (made.decision, made.reviewer) == ("accepted", "reviewer")
    assert made.decided.startswith("20")
    assert made.gold_ids == (gold.id,)


def test_reject_after_accept_takes_the_span_out_of_gold(review: Project) -> None:
    only = next(c for c in cases_of(review).cases if c.kind == ONLY and c.target == "span")
    accept(review, "d1", only)
    assert gold_texts(review) == [("واشنطن", "GPE")]
    reject(review, "d1", only)
    assert gold_texts(review) == []
    assert decisions(review, "d1")[only.key].decision == "rejected"


def test_edit_puts_corrected_offsets_into_gold(review: Project) -> None:
    boundary = next(c for c in cases_of(review).cases if c.kind == BOUNDARY)
    start = TEXT.index("بايدن")
    edit(review, "d1", boundary, start, start + len("بايدن"), "PER")
    assert gold_texts(review) == [("بايدن", "PER")]
    assert decisions(review, "d1")[boundary.key].detail["label"] == "PER"


def test_relations_cannot_be_edited(review: Project) -> None:
    link = next(c for c in cases_of(review).cases if c.target == "relation")
    with pytest.raises(ValidationError):
        edit(review, "d1", link, 0, 3, "PER")


def test_accepting_a_link_brings_its_ends_into_gold(review: Project) -> None:
    link = next(
        c
        for c in cases_of(review).cases
        if c.target == "relation" and c.options[0].annotators == ("mona",)
    )
    accept(review, "d1", link)
    assert sorted(gold_texts(review)) == [("بايدن", "PER"), ("ترفض الحوار", "QUOTE")]
    (rel,) = review.relations("d1", [GOLD_ANNOTATOR])
    assert rel.type == "SPEAKER"
    assert review.span("d1", rel.tail).text_in(TEXT) == "بايدن"
    reject(review, "d1", link)
    assert gold_texts(review) == []


def test_accept_all_agreed_then_status_follows_the_open_cases(review: Project) -> None:
    comparison = cases_of(review)
    assert review_status(review, "d1") == "unreviewed"
    assert accept_all_agreed(review, comparison) == 2
    assert sorted(gold_texts(review)) == [("ترفض الحوار", "QUOTE"), ("قال", "CUE")]
    assert accept_all_agreed(review, comparison) == 0
    assert refresh_review_status(review, comparison) == "in_review"
    for case in comparison.cases:
        if case.disagreement:
            reject(review, "d1", case)
    assert refresh_review_status(review, comparison) == "reviewed"
    assert review_status(review, "d1") == "reviewed"


def test_decisions_survive_a_later_merge_and_new_cases_appear(
    review: Project, tmp_path: Path
) -> None:
    comparison = cases_of(review)
    only = next(c for c in comparison.cases if c.kind == ONLY and c.target == "span")
    reject(review, "d1", only)
    for case in comparison.cases:
        if case.key != only.key:
            accept(review, "d1", case)
    assert refresh_review_status(review, comparison) == "reviewed"
    # Later, mona sends more work: she now marks واشنطن too and adds الحوار as EVENT.
    more = annotator_project(
        tmp_path / "mona2.sqlite", "mona", [("واشنطن", "GPE"), ("الحوار", "EVENT")]
    )
    report = merge_records(review, project_records(more))
    assert report.reopened == ["d1"]
    assert review_status(review, "d1") == "in_review"
    after = cases_of(review)
    made = decisions(review, "d1")
    # The rejected case is the same place (now agreed by both) and stays rejected.
    assert after.case(only.key) is not None
    assert made[only.key].decision == "rejected"
    assert ("واشنطن", "GPE") not in gold_texts(review)
    fresh = [c for c in after.cases if c.key not in made]
    assert [(c.kind, TEXT[c.start : c.end]) for c in fresh] == [(ONLY, "الحوار")]


def test_edit_refuses_an_edge_between_a_letter_and_its_tashkeel(tmp_path: Path) -> None:
    text = "لم تتلق بعد رَدًّا وَاضِحًا"
    mona = annotator_project(tmp_path / "m.sqlite", "mona", [("رَدًّا", "MISC")], text=text)
    sami = annotator_project(tmp_path / "s.sqlite", "sami", [("وَاضِحًا", "MISC")], text=text)
    with Project.create(tmp_path / "r.sqlite", annotator="reviewer") as project:
        for path in (mona, sami):
            merge_records(project, project_records(path))
        case = compare_document(project, "d1", ["mona", "sami"]).cases[0]
        start = text.index("رَدًّا")
        # start + 1 is the fatha after ر: the span would cut ر off its mark.
        with pytest.raises(OffsetError):
            edit(project, "d1", case, start, start + 1, "MISC")
        assert project.spans("d1", [GOLD_ANNOTATOR]) == []
        edit(project, "d1", case, start, start + 2, "MISC")
        (gold,) = project.spans("d1", [GOLD_ANNOTATOR])
        assert gold.text_in(text) == "رَ"
