"""Annotate all across the project: the plan of each hit, one undo step over many documents."""

from __future__ import annotations

from pathlib import Path

import pytest
from search_corpus import UN, UN_INSIDE, UN_WHOLE, add_articles, brute_force

from annotator.errors import OwnershipError, StaleEditError, ValidationError
from annotator.session import EditingSession, Layer
from annotator.session.annotate_all import (
    ALREADY,
    INSIDE_SPAN,
    INSIDE_WORD,
    REFUSED,
    WHOLE_WORD,
    annotate_all_report,
    plan_hits,
)
from annotator.store import Project
from annotator.store.search import Hit


@pytest.fixture
def news(project: Project) -> Project:
    add_articles(project)
    return project


def layer(project: Project, annotator: str = "tester") -> list[tuple[str, str, str]]:
    """(document, label, text) of every span of the layer, read through a second connection."""
    with Project.open(project.path, annotator="reader") as reader:
        return [
            (doc_id, s.label, reader.document(doc_id).text[s.start : s.end])
            for doc_id in reader.document_ids()
            for s in reader.spans(doc_id, [annotator])
        ]


def test_whole_words_are_checked_and_hits_inside_words_are_not(news: Project) -> None:
    planned = list(plan_hits(news, news.search(UN)))
    assert [p.kind("ORG") for p in planned] == [WHOLE_WORD, INSIDE_WORD, WHOLE_WORD, INSIDE_WORD]
    assert sum(p.checked("ORG") for p in planned) == UN_WHOLE
    assert sum(p.offered("ORG") and not p.checked("ORG") for p in planned) == UN_INSIDE


def test_an_identical_span_of_the_layer_is_already_annotated(news: Project) -> None:
    first, *_ = brute_force(news, UN)
    news.add_span(first.doc_id, first.start, first.end, "ORG")
    with Project.open(news.path, annotator="other") as other:
        other.add_span(first.doc_id, first.start, first.end, "ORG")
    planned = list(plan_hits(news, news.search(UN)))
    assert planned[0].kind("ORG") == ALREADY and not planned[0].offered("ORG")
    assert planned[0].kind("GPE") == WHOLE_WORD  # another label: still offered
    # Only one layer counts: "other" has the span, "third" has not.
    assert next(plan_hits(news, [first], annotator="other")).kind("ORG") == ALREADY
    assert next(plan_hits(news, [first], annotator="third")).kind("ORG") == WHOLE_WORD


def test_a_hit_inside_a_span_of_the_label_is_offered_unchecked(news: Project) -> None:
    first, *_ = brute_force(news, UN)
    news.add_span(first.doc_id, first.start - len("مع "), first.end, "ORG")
    planned = next(plan_hits(news, [first]))
    assert planned.kind("ORG") == INSIDE_SPAN and planned.offered("ORG")
    assert not planned.checked("ORG")


def test_a_hit_across_a_line_break_is_refused_for_one_line_labels(news: Project) -> None:
    hit = next(news.search("واشنطن.\nوأضاف"))
    planned = next(plan_hits(news, [hit]))
    assert planned.kind("PER") == REFUSED
    assert "line break" in planned.reason("PER")
    assert planned.kind("QUOTE") == WHOLE_WORD  # a quote may run over paragraphs


def test_annotate_hits_is_one_undo_step_over_several_documents(news: Project) -> None:
    session = EditingSession(news)
    ids = news.document_ids()
    session.open_document(ids[0])
    changed: list[list[str]] = []
    session.documents_changed.connect(changed.append)
    hits = [h for h in news.search(UN) if h.whole_word]
    assert session.annotate_hits(hits, "ORG") == UN_WHOLE
    expected = [(ids[0], "ORG", "الأمم المتحدة"), (ids[5], "ORG", "الامم المتحده")]
    assert layer(news) == expected
    assert changed == [[ids[0], ids[5]]]
    shown = [(s.label, session.text[s.start : s.end]) for s in session.spans.values()]
    assert shown == [("ORG", "الأمم المتحدة")]  # the open document follows
    first_ids = {s.id for doc in ids for s in news.spans(doc, ["tester"])}

    session.undo()
    assert layer(news) == [] and session.spans == {}
    assert session.document is not None and session.document.id == ids[0]  # no jump
    session.redo()
    assert layer(news) == expected
    assert {s.id for doc in ids for s in news.spans(doc, ["tester"])} == first_ids


def test_one_refused_hit_adds_nothing(news: Project) -> None:
    session = EditingSession(news)
    hits = [*news.search(UN), Hit(news.document_ids()[0], 70, 80, False)]  # across \n
    with pytest.raises(ValidationError, match="line break"):
        session.annotate_hits(hits, "ORG")
    assert layer(news) == [] and session.history.next_undo() is None


def test_a_read_only_layer_or_gold_is_refused(news: Project, tmp_path: Path) -> None:
    session = EditingSession(news)
    session.set_layer(Layer.of("someone"))
    with pytest.raises(ValidationError, match="read-only"):
        session.annotate_hits(list(news.search(UN)), "ORG")
    with (
        Project.open(news.path, annotator="gold") as as_gold,
        pytest.raises(OwnershipError, match="gold"),
    ):
        EditingSession(as_gold).annotate_hits(list(as_gold.search(UN)), "ORG")
    assert layer(news) == [] and layer(news, "gold") == []


def test_the_report_counts_added_already_unchecked_and_refused(news: Project) -> None:
    first, *_ = brute_force(news, UN)
    news.add_span(first.doc_id, first.start, first.end, "ORG")
    across = Hit(news.document_ids()[0], 70, 80, False)
    planned = list(plan_hits(news, [*news.search(UN), across]))
    chosen = [p.hit for p in planned if p.checked("ORG")]
    report = annotate_all_report(planned, chosen, "ORG")
    assert (report.added, report.documents, report.already, report.unchecked) == (1, 1, 1, 2)
    assert report.refused_count == 1 and "line break" in report.refused[0][0]


def test_undo_is_refused_when_another_window_changed_one_of_the_spans(news: Project) -> None:
    session = EditingSession(news)
    session.annotate_hits(list(news.search(UN)), "ORG")
    with Project.open(news.path, annotator="tester") as other:
        doc_id = news.document_ids()[5]
        changed = other.spans(doc_id, ["tester"])[0]
        other.update_span(doc_id, changed.id, label="GPE")
    with pytest.raises(StaleEditError, match="changed since it was shown"):
        session.undo()
    assert [label for _, label, _ in layer(news)] == ["ORG", "ORG", "GPE", "ORG"]
    assert session.history.next_undo() is None  # it can no longer be undone
