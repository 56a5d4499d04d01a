"""Suggestions in their own layer: stored apart, accepted with their links, rejected for good."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from annotator.errors import Cancelled, StaleEditError
from annotator.model.document import Document, Span
from annotator.model.suggestions import Proposal, Proposals, ProposedLink
from annotator.store import Project
from annotator.suggest.run import run_recommender

TEXT = "قال الوزير سيرجي لافروف إن موسكو لم تتلق ردا. وأكد لافروف أن واشنطن صامتة."


def at(word: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(word, start + 1)
    return start, start + len(word)


class Fixed:
    """A recommender proposing the same things in every document (a user's own model)."""

    name = "fixed"

    def __init__(self, proposals: Proposals) -> None:
        self.proposals = proposals
        self.prepared_on: str | None = None

    def prepare(self, project: Project, source: str, *, progress=None, cancelled=None) -> None:  # type: ignore[no-untyped-def]
        self.prepared_on = source

    def propose(self, document: Document, known: Sequence[Span]) -> Proposals:
        return self.proposals


def quote_proposals() -> Proposals:
    quote = Proposal(*at("موسكو لم تتلق ردا"), "QUOTE", {"type": "indirect"}, key="q")
    cue = Proposal(*at("قال"), "CUE", key="c")
    speaker = Proposal(*at("سيرجي لافروف"), "PER", key="p")
    other = Proposal(*at("واشنطن"), "GPE", key="w")
    links = [ProposedLink("SPEAKER", "q", "p"), ProposedLink("CUE", "q", "c")]
    return Proposals([quote, cue, speaker, other], links)


@pytest.fixture
def doc(project: Project) -> str:
    return project.add_document(TEXT, title="t").id


def words(project: Project, doc_id: str, spans: Sequence[Span]) -> list[tuple[str, str]]:
    text = project.document(doc_id).text
    return sorted((s.label, text[s.start : s.end]) for s in spans)


def test_a_run_stores_suggestions_apart_from_every_layer(project: Project, doc: str) -> None:
    report = run_recommender(project, Fixed(quote_proposals()), source="gold")
    assert (report.stored.stored, report.stored.links, report.proposed) == (4, 2, 4)
    assert project.spans(doc) == [] and project.relations(doc) == []
    shown = project.suggestions(doc)
    assert words(project, doc, shown.spans) == [
        ("CUE", "قال"),
        ("GPE", "واشنطن"),
        ("PER", "سيرجي لافروف"),
        ("QUOTE", "موسكو لم تتلق ردا"),
    ]
    assert {s.annotator for s in shown.spans} == {"suggest:fixed"}
    assert len(shown.pending) == 4
    assert project.suggestions(doc, annotator="someone-else").spans == []


def test_accepting_a_quote_brings_its_cue_speaker_and_links(project: Project, doc: str) -> None:
    run_recommender(project, Fixed(quote_proposals()), source="gold")
    mine = project.add_span(doc, *at("سيرجي لافروف"), "PER")  # already in the person's layer
    shown = project.suggestions(doc)
    quote = next(s for s in shown.spans if s.label == "QUOTE")
    accepted = project.accept_suggestions(doc, [quote])
    layer = project.spans(doc, ["tester"])
    assert words(project, doc, layer) == [
        ("CUE", "قال"),
        ("PER", "سيرجي لافروف"),
        ("QUOTE", "موسكو لم تتلق ردا"),
    ]
    assert [s.id for s in accepted.reused] == [mine.id]  # not doubled
    by_id = {s.id: s for s in layer}
    links = {(r.type, by_id[r.head].label, by_id[r.tail].label) for r in project.relations(doc)}
    assert links == {("SPEAKER", "QUOTE", "PER"), ("CUE", "QUOTE", "CUE")}
    assert next(s for s in layer if s.label == "QUOTE").attrs == {"type": "indirect"}
    sources = project.span_sources(doc)
    assert {by_id[i].label for i in sources} == {"QUOTE", "CUE"}  # the PER was made by hand
    assert set(sources.values()) == {"fixed"}
    pending = project.suggestions(doc)
    assert words(project, doc, [s for s in pending.spans if s.id in pending.pending]) == [
        ("GPE", "واشنطن")
    ]


def test_undo_of_an_accept_removes_exactly_it_and_redo_brings_the_same_ids(
    project: Project, doc: str
) -> None:
    run_recommender(project, Fixed(quote_proposals()), source="gold")
    mine = project.add_span(doc, *at("سيرجي لافروف"), "PER")
    quote = next(s for s in project.suggestions(doc).spans if s.label == "QUOTE")
    accepted = project.accept_suggestions(doc, [quote])
    project.undo_accept(accepted)
    assert project.spans(doc) == [mine] and project.relations(doc) == []
    assert len(project.suggestions(doc).pending) == 3  # the PER is in the layer already
    project.redo_accept(accepted)
    assert {s.id for s in project.spans(doc)} == {mine.id} | {s.id for s in accepted.added}
    assert {r.id for r in project.relations(doc)} == {r.id for r in accepted.relations}


def test_undo_of_an_accept_is_refused_when_the_span_changed_since(
    project: Project, doc: str
) -> None:
    run_recommender(project, Fixed(quote_proposals()), source="gold")
    cue = next(s for s in project.suggestions(doc).spans if s.label == "CUE")
    accepted = project.accept_suggestions(doc, [cue])
    project.update_span(doc, accepted.added[0].id, label="PER", expected=accepted.added[0])
    with pytest.raises(StaleEditError, match="changed since it was accepted"):
        project.undo_accept(accepted)
    assert words(project, doc, project.spans(doc)) == [("PER", "قال")]


def test_a_rejected_suggestion_is_not_proposed_again_until_the_reject_is_undone(
    project: Project, doc: str
) -> None:
    run_recommender(project, Fixed(quote_proposals()), source="gold")
    gpe = next(s for s in project.suggestions(doc).spans if s.label == "GPE")
    rejected = project.reject_suggestions(doc, [gpe])
    rerun = run_recommender(project, Fixed(quote_proposals()), source="gold")
    assert (rerun.stored.stored, rerun.stored.skipped_decided, rerun.stored.removed) == (3, 1, 4)
    assert "GPE" not in {s.label for s in project.suggestions(doc).spans}
    project.undo_reject(rejected)
    run_recommender(project, Fixed(quote_proposals()), source="gold")
    assert "GPE" in {s.label for s in project.suggestions(doc).spans}


def test_a_rejected_speaker_is_left_out_when_its_quote_is_accepted(
    project: Project, doc: str
) -> None:
    run_recommender(project, Fixed(quote_proposals()), source="gold")
    shown = project.suggestions(doc).spans
    project.reject_suggestions(doc, [s for s in shown if s.label == "PER"])
    accepted = project.accept_suggestions(doc, [s for s in shown if s.label == "QUOTE"])
    assert words(project, doc, accepted.skipped) == [("PER", "سيرجي لافروف")]
    assert words(project, doc, project.spans(doc)) == [
        ("CUE", "قال"),
        ("QUOTE", "موسكو لم تتلق ردا"),
    ]
    assert [r.type for r in project.relations(doc)] == ["CUE"]


def test_accepting_a_suggestion_replaced_by_a_new_run_is_refused(
    project: Project, doc: str
) -> None:
    run_recommender(project, Fixed(quote_proposals()), source="gold")
    old = project.suggestions(doc).spans
    run_recommender(project, Fixed(quote_proposals()), source="gold")
    with pytest.raises(StaleEditError, match="replaced by a new run"):
        project.accept_suggestions(doc, old[:1])
    assert project.spans(doc) == []


def test_invalid_proposals_are_refused_and_counted_the_rest_stored(
    project: Project, doc: str
) -> None:
    bad = Proposals(
        [
            Proposal(*at("لافروف"), "PER", key="p"),
            Proposal(0, 999, "PER"),
            Proposal(*at("موسكو"), "NOPE"),
            Proposal(*at("قال"), "CUE", key="c"),
        ],
        [ProposedLink("SPEAKER", "c", "p")],  # SPEAKER goes from a QUOTE, not a CUE
    )
    report = run_recommender(project, Fixed(bad), source="gold")
    assert (report.stored.stored, report.stored.links, report.stored.refused) == (2, 0, 3)
    assert "[0, 999)" in report.stored.reasons[0] and "NOPE" in report.stored.reasons[1]
    assert "SPEAKER" in report.stored.reasons[2]
    assert any("refused 3 invalid" in line for line in report.lines())


def test_a_cancelled_run_keeps_the_earlier_suggestions(project: Project, doc: str) -> None:
    run_recommender(project, Fixed(quote_proposals()), source="gold")
    before = project.suggestions(doc).spans
    with pytest.raises(Cancelled):
        run_recommender(project, Fixed(Proposals()), source="gold", cancelled=lambda: True)
    assert project.suggestions(doc).spans == before


def test_statistics_count_pending_accepted_and_rejected_per_label(
    project: Project, doc: str
) -> None:
    run_recommender(project, Fixed(quote_proposals()), source="gold")
    shown = {s.label: s for s in project.suggestions(doc).spans}
    project.accept_suggestions(doc, [shown["CUE"]])
    project.reject_suggestions(doc, [shown["GPE"]])
    stats = {(s.recommender, s.label): s for s in project.suggestion_stats()}
    assert (stats["fixed", "CUE"].pending, stats["fixed", "CUE"].accepted) == (0, 1)
    assert (stats["fixed", "GPE"].rejected, stats["fixed", "GPE"].acceptance) == (1, 0.0)
    assert (stats["fixed", "PER"].pending, stats["fixed", "PER"].acceptance) == (1, None)
    assert stats["fixed", "CUE"].acceptance == 1.0


def test_a_model_is_kept_in_the_project_file(project: Project) -> None:
    project.save_model("crf", b"\x00model", {"source": "gold", "documents": 3})
    with Project.open(project.path, annotator="reader") as reader:
        stored = reader.load_model("crf")
    assert stored is not None and (stored.data, stored.info) == (
        b"\x00model",
        {"source": "gold", "documents": 3},
    )
    assert project.load_model("other") is None
