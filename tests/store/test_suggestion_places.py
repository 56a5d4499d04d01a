"""Decisions on suggestions are by place: whichever recommender proposed it, once per person.

Two recommenders may propose the same span (start, end, label): the person sees one ghost
there, and accepting or rejecting it decides the place for every recommender, now and in
later runs. Two windows on one file (two Project objects) cannot decide a place twice.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from annotator.errors import StaleEditError
from annotator.model.document import Document, Relation, Span
from annotator.model.suggestions import Proposal, Proposals, ProposedLink
from annotator.store import Project
from annotator.store.suggestions import pending_ids
from annotator.suggest.run import run_recommender

TEXT = "قال الوزير سيرجي لافروف إن موسكو لم تتلق ردا. وأكد لافروف أن واشنطن صامتة."


def at(words: str) -> tuple[int, int]:
    start = TEXT.index(words)
    return start, start + len(words)


def place(words: str, label: str) -> tuple[int, int, str]:
    return (*at(words), label)


class Fixed:
    """A recommender of a given name proposing the same things in every document."""

    def __init__(self, name: str, proposals: Proposals) -> None:
        self.name = name
        self.proposals = proposals

    def prepare(self, project: Project, source: str, *, progress=None, cancelled=None) -> None:  # type: ignore[no-untyped-def]
        pass

    def propose(self, document: Document, known: Sequence[Span]) -> Proposals:
        return self.proposals


def names() -> Fixed:
    """A `strings`-like recommender: the speaker and the capital, no links."""
    return Fixed(
        "names",
        Proposals([Proposal(*at("سيرجي لافروف"), "PER"), Proposal(*at("واشنطن"), "GPE")]),
    )


def quotes() -> Fixed:
    """A `quotes`-like recommender: a quote linked to its cue and to the same speaker."""
    quote = Proposal(*at("موسكو لم تتلق ردا"), "QUOTE", {"type": "indirect"}, key="q")
    cue = Proposal(*at("قال"), "CUE", key="c")
    speaker = Proposal(*at("سيرجي لافروف"), "PER", key="p")
    links = [ProposedLink("SPEAKER", "q", "p"), ProposedLink("CUE", "q", "c")]
    return Fixed("quotes", Proposals([quote, cue, speaker], links))


@pytest.fixture
def doc(project: Project) -> str:
    return project.add_document(TEXT, title="t").id


def ghosts(project: Project, doc_id: str) -> list[str]:
    """The pending ghosts as the window lists them: label, words, recommender."""
    found = project.suggestions(doc_id)
    return sorted(
        f"{s.label}:{TEXT[s.start : s.end]}:{s.annotator}"
        for s in found.spans
        if s.id in found.pending
    )


def layer(project: Project, doc_id: str) -> list[str]:
    return sorted(f"{s.label}:{TEXT[s.start : s.end]}" for s in project.spans(doc_id, ["tester"]))


def test_a_place_two_recommenders_propose_is_one_ghost_the_linked_one(
    project: Project, doc: str
) -> None:
    run_recommender(project, names(), source="gold")
    run_recommender(project, quotes(), source="gold")
    assert len(project.suggestions(doc).spans) == 5  # both PER suggestions are kept
    assert ghosts(project, doc) == [
        "CUE:قال:suggest:quotes",
        "GPE:واشنطن:suggest:names",
        "PER:سيرجي لافروف:suggest:quotes",  # the one the quote links to
        "QUOTE:موسكو لم تتلق ردا:suggest:quotes",
    ]


def test_without_links_the_first_recommender_by_name_is_shown(project: Project, doc: str) -> None:
    place = Proposals([Proposal(*at("واشنطن"), "GPE")])
    run_recommender(project, Fixed("zeta", place), source="gold")
    run_recommender(project, Fixed("alpha", place), source="gold")
    assert ghosts(project, doc) == ["GPE:واشنطن:suggest:alpha"]


def test_rejecting_a_place_rejects_every_recommenders_suggestion_there(
    project: Project, doc: str
) -> None:
    run_recommender(project, names(), source="gold")
    run_recommender(project, quotes(), source="gold")
    found = project.suggestions(doc)
    speaker = next(s for s in found.spans if s.id in found.pending and s.label == "PER")
    project.reject_suggestions(doc, [speaker])
    assert "PER" not in {g.split(":")[0] for g in ghosts(project, doc)}
    stats = {(s.recommender, s.label): s for s in project.suggestion_stats()}
    assert (stats["names", "PER"].rejected, stats["names", "PER"].pending) == (1, 0)
    assert (stats["quotes", "PER"].rejected, stats["quotes", "PER"].pending) == (1, 0)
    rerun = run_recommender(project, names(), source="gold")
    assert (rerun.stored.stored, rerun.stored.skipped_decided) == (1, 1)  # only واشنطن


def test_a_rerun_of_another_recommender_leaves_out_a_rejected_place(
    project: Project, doc: str
) -> None:
    run_recommender(project, names(), source="gold")
    gpe = next(s for s in project.suggestions(doc).spans if s.label == "GPE")
    project.reject_suggestions(doc, [gpe])
    capital = Proposals([Proposal(*at("واشنطن"), "GPE"), Proposal(*at("موسكو"), "GPE")])
    report = run_recommender(project, Fixed("crf", capital), source="gold")
    assert (report.stored.stored, report.stored.skipped_decided) == (1, 1)
    assert ghosts(project, doc) == ["GPE:موسكو:suggest:crf", "PER:سيرجي لافروف:suggest:names"]


def test_accepting_a_quote_leaves_out_a_speaker_rejected_as_another_ghost(
    project: Project, doc: str
) -> None:
    run_recommender(project, names(), source="gold")
    per = next(s for s in project.suggestions(doc).spans if s.label == "PER")
    project.reject_suggestions(doc, [per])  # rejected as the names ghost
    run_recommender(project, quotes(), source="gold")  # proposes the same speaker, linked
    quote = next(s for s in project.suggestions(doc).spans if s.label == "QUOTE")
    accepted = project.accept_suggestions(doc, [quote])
    assert [TEXT[s.start : s.end] for s in accepted.skipped] == ["سيرجي لافروف"]
    assert layer(project, doc) == ["CUE:قال", "QUOTE:موسكو لم تتلق ردا"]
    assert [r.type for r in project.relations(doc, ["tester"])] == ["CUE"]


def test_accepting_a_place_accepts_it_for_every_recommender(project: Project, doc: str) -> None:
    run_recommender(project, names(), source="gold")
    run_recommender(project, quotes(), source="gold")
    quote = next(s for s in project.suggestions(doc).spans if s.label == "QUOTE")
    accepted = project.accept_suggestions(doc, [quote])
    assert layer(project, doc) == ["CUE:قال", "PER:سيرجي لافروف", "QUOTE:موسكو لم تتلق ردا"]
    assert ghosts(project, doc) == ["GPE:واشنطن:suggest:names"]
    stats = {(s.recommender, s.label): (s.pending, s.accepted) for s in project.suggestion_stats()}
    assert stats["names", "PER"] == (0, 1) and stats["quotes", "PER"] == (0, 1)
    sources = project.span_sources(doc)  # the span came from the quotes suggestion
    per = next(s for s in accepted.added if s.label == "PER")
    assert sources[per.id] == "quotes"
    project.undo_accept(accepted)  # every row it wrote is forgotten: both PER wait again
    assert len(ghosts(project, doc)) == 4
    stats = {(s.recommender, s.label): (s.pending, s.accepted) for s in project.suggestion_stats()}
    assert stats["names", "PER"] == (1, 0) and stats["quotes", "PER"] == (1, 0)


def test_a_place_proposed_twice_keeps_the_links_to_both_keys(project: Project, doc: str) -> None:
    """Two quotes each with their own key for the same cue: both CUE links are stored."""
    first = Proposal(*at("موسكو لم تتلق ردا"), "QUOTE", {"type": "indirect"}, key="q1")
    second = Proposal(*at("واشنطن صامتة"), "QUOTE", {"type": "indirect"}, key="q2")
    cue_once, cue_again = (
        Proposal(*at("قال"), "CUE", key="c1"),
        Proposal(*at("قال"), "CUE", key="c2"),
    )
    links = [ProposedLink("CUE", "q1", "c1"), ProposedLink("CUE", "q2", "c2")]
    proposals = Proposals([first, cue_once, second, cue_again], links)
    report = run_recommender(project, Fixed("two", proposals), source="gold")
    assert (report.stored.stored, report.stored.links) == (3, 2)
    found = project.suggestions(doc)
    quote = next(s for s in found.spans if TEXT[s.start : s.end] == "واشنطن صامتة")
    project.accept_suggestions(doc, [quote])
    assert layer(project, doc) == ["CUE:قال", "QUOTE:واشنطن صامتة"]
    assert [r.type for r in project.relations(doc, ["tester"])] == ["CUE"]


# ---- pending in memory --------------------------------------------------------------------


def span(sid: str, words: str, label: str, recommender: str) -> Span:
    return Span(sid, "d", *at(words), label, f"suggest:{recommender}")


def test_pending_ids_is_one_per_place_undecided_and_not_annotated() -> None:
    spans = [
        span("a", "واشنطن", "GPE", "zeta"),
        span("b", "واشنطن", "GPE", "alpha"),
        span("c", "سيرجي لافروف", "PER", "names"),
        span("d", "سيرجي لافروف", "PER", "quotes"),
        span("e", "موسكو لم تتلق ردا", "QUOTE", "quotes"),
        span("f", "قال", "CUE", "names"),
        span("g", "موسكو", "GPE", "names"),
    ]
    links = [Relation("l", "d", "SPEAKER", "e", "d", "suggest:quotes")]
    assert pending_ids(spans, links, set(), set()) == {"b", "d", "e", "f", "g"}
    decided = {place("قال", "CUE")}
    own = {place("موسكو", "GPE")}
    assert pending_ids(spans, links, decided, own) == {"b", "d", "e"}


def test_suggestions_take_the_callers_places_and_say_what_was_decided(
    project: Project, doc: str
) -> None:
    run_recommender(project, names(), source="gold")
    gpe = next(s for s in project.suggestions(doc).spans if s.label == "GPE")
    project.reject_suggestions(doc, [gpe])
    found = project.suggestions(doc, own={place("سيرجي لافروف", "PER")})
    assert found.pending == frozenset() and found.decided == {place("واشنطن", "GPE")}
    per = next(s.id for s in found.spans if s.label == "PER")
    assert project.suggestions(doc).pending == {per}  # the layer holds no PER in fact


def test_has_suggestions_is_per_document_and_person(project: Project, doc: str) -> None:
    other = project.add_document("نص آخر بلا اقتراحات.", title="u").id
    assert not project.has_suggestions(doc)
    run_recommender(project, names(), source="gold", doc_ids=[doc])
    assert project.has_suggestions(doc) and not project.has_suggestions(other)
    assert not project.has_suggestions(doc, annotator="someone-else")


# ---- two windows ----------------------------------------------------------------------------


@pytest.fixture
def two_windows(tmp_path: Path) -> Iterator[tuple[Project, Project, str]]:
    """Two Project objects on one file, as two windows of the same person."""
    path = tmp_path / "two.sqlite"
    with Project.create(path, annotator="tester") as first:
        doc_id = first.add_document(TEXT, title="t").id
        run_recommender(first, names(), source="gold")
        with Project.open(path, annotator="tester") as second:
            yield first, second, doc_id


DECIDE = ["accept_suggestions", "reject_suggestions"]


@pytest.mark.parametrize("first_decision", DECIDE)
@pytest.mark.parametrize("second_decision", DECIDE)
def test_a_place_decided_in_another_window_is_refused(
    two_windows: tuple[Project, Project, str], first_decision: str, second_decision: str
) -> None:
    a, b, doc = two_windows
    shown_in_a = next(s for s in a.suggestions(doc).spans if s.label == "GPE")
    shown_in_b = next(s for s in b.suggestions(doc).spans if s.label == "GPE")
    getattr(a, first_decision)(doc, [shown_in_a])
    before = (
        layer(b, doc),
        [(s.recommender, s.accepted, s.rejected) for s in b.suggestion_stats()],
    )
    with pytest.raises(StaleEditError, match="decided since"):
        getattr(b, second_decision)(doc, [shown_in_b])
    after = (layer(b, doc), [(s.recommender, s.accepted, s.rejected) for s in b.suggestion_stats()])
    assert after == before
    assert layer(b, doc) == (["GPE:واشنطن"] if first_decision == "accept_suggestions" else [])


def test_a_redo_of_an_accept_decided_meanwhile_elsewhere_is_refused(
    two_windows: tuple[Project, Project, str],
) -> None:
    a, b, doc = two_windows
    gpe = next(s for s in a.suggestions(doc).spans if s.label == "GPE")
    accepted = a.accept_suggestions(doc, [gpe])
    a.undo_accept(accepted)
    b.reject_suggestions(doc, [gpe])
    with pytest.raises(StaleEditError, match="decided since"):
        a.redo_accept(accepted)
    assert layer(a, doc) == []


def test_a_redo_of_a_reject_is_refused_once_another_recommenders_copy_was_accepted(
    two_windows: tuple[Project, Project, str],
) -> None:
    a, b, doc = two_windows
    gpe = next(s for s in a.suggestions(doc).spans if s.label == "GPE")
    rejected = a.reject_suggestions(doc, [gpe])  # as the names suggestion
    a.undo_reject(rejected)
    run_recommender(b, Fixed("names", Proposals()), source="gold")  # names no longer proposes it
    run_recommender(b, Fixed("crf", Proposals([Proposal(*at("واشنطن"), "GPE")])), source="gold")
    b.accept_suggestions(doc, [s for s in b.suggestions(doc).spans if s.label == "GPE"])
    with pytest.raises(StaleEditError, match="decided since"):
        a.redo_reject(rejected)
    stats = {(s.recommender, s.label): (s.accepted, s.rejected) for s in a.suggestion_stats()}
    assert stats["crf", "GPE"] == (1, 0) and ("names", "GPE") not in stats
