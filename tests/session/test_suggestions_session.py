"""Ghosts in the session: Tab moves between them, Enter accepts, Backspace rejects, all undoable."""

from __future__ import annotations

import pytest

from annotator.errors import ValidationError
from annotator.model.suggestions import Proposal, Proposals, ProposedLink
from annotator.session import EditingSession, Layer
from annotator.store import Project
from annotator.suggest.run import run_recommender

TEXT = "قال الوزير سيرجي لافروف إن موسكو لم تتلق ردا. وأكد لافروف أن واشنطن صامتة."


def at(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


class Fixed:
    name = "fixed"

    def prepare(self, project, source, *, progress=None, cancelled=None):  # type: ignore[no-untyped-def]
        pass

    def propose(self, document, known):  # type: ignore[no-untyped-def]
        quote = Proposal(*at("موسكو لم تتلق ردا"), "QUOTE", {"type": "indirect"}, key="q")
        return Proposals(
            [
                Proposal(*at("قال"), "CUE", key="c"),
                Proposal(*at("سيرجي لافروف"), "PER", key="p"),
                quote,
                Proposal(*at("واشنطن"), "GPE", key="w"),
            ],
            [ProposedLink("SPEAKER", "q", "p"), ProposedLink("CUE", "q", "c")],
        )


@pytest.fixture
def session(project: Project) -> EditingSession:
    doc = project.add_document(TEXT, title="t")
    run_recommender(project, Fixed(), source="gold")
    opened = EditingSession(project)
    opened.open_document(doc.id)
    return opened


def shown(session: EditingSession) -> list[str]:
    return [f"{s.label}:{TEXT[s.start : s.end]}" for s in session.ghosts()]


def mine(session: EditingSession) -> list[str]:
    spans = session.project.spans(session.doc_id, ["tester"])
    return sorted(f"{s.label}:{TEXT[s.start : s.end]}" for s in spans)


def test_tab_visits_the_ghosts_in_reading_order_and_wraps(session: EditingSession) -> None:
    assert shown(session) == [
        "CUE:قال",
        "PER:سيرجي لافروف",
        "QUOTE:موسكو لم تتلق ردا",
        "GPE:واشنطن",
    ]
    visited = [session.next_suggestion() for _ in range(5)]
    assert [TEXT[s.start : s.end] for s in visited if s] == [
        "قال",
        "سيرجي لافروف",
        "موسكو لم تتلق ردا",
        "واشنطن",
        "قال",
    ]
    back = session.next_suggestion(forward=False)
    assert back is not None and TEXT[back.start : back.end] == "واشنطن"


def test_tab_starts_after_the_caret_when_no_ghost_is_in_focus(session: EditingSession) -> None:
    found = session.next_suggestion(after=TEXT.index("وأكد"))
    assert found is not None and TEXT[found.start : found.end] == "واشنطن"


def test_enter_accepts_with_links_and_focus_moves_on(session: EditingSession) -> None:
    session.next_suggestion(after=TEXT.index("موسكو"))
    session.accept_suggestion()
    assert mine(session) == ["CUE:قال", "PER:سيرجي لافروف", "QUOTE:موسكو لم تتلق ردا"]
    assert sorted(r.type for r in session.relations.values()) == ["CUE", "SPEAKER"]
    assert shown(session) == ["GPE:واشنطن"]
    focused = session.ghost(session.focused_suggestion or "")
    assert focused is not None and TEXT[focused.start : focused.end] == "واشنطن"
    assert session.history.next_undo() is not None
    assert session.undo() == "accept QUOTE «موسكو لم تتلق ردا» from fixed"
    assert mine(session) == [] and len(shown(session)) == 4
    session.redo()
    assert len(mine(session)) == 3


def test_backspace_rejects_and_undo_brings_the_ghost_back(session: EditingSession) -> None:
    session.next_suggestion(after=TEXT.index("واشنطن"))
    session.reject_suggestion()
    assert "GPE:واشنطن" not in shown(session) and mine(session) == []
    assert session.undo() == "reject GPE «واشنطن» from fixed"
    assert "GPE:واشنطن" in shown(session)


def test_accept_all_is_one_undo_step(session: EditingSession) -> None:
    assert session.accept_all_suggestions() == 4
    assert len(mine(session)) == 4 and shown(session) == []
    session.undo()
    assert mine(session) == [] and len(shown(session)) == 4
    assert session.history.next_undo() is None


def test_enter_without_a_ghost_in_focus_changes_nothing(session: EditingSession) -> None:
    with pytest.raises(ValidationError, match="press Tab"):
        session.accept_suggestion()
    assert mine(session) == []


def test_ghosts_are_not_shown_over_another_persons_layer(session: EditingSession) -> None:
    session.set_layer(Layer.of("someone"))
    assert session.ghosts() == []
    with pytest.raises(ValidationError, match="your own layer"):
        session.accept_all_suggestions()


def test_selecting_text_takes_the_focus_from_the_ghost(session: EditingSession) -> None:
    session.next_suggestion()
    session.set_text_selection(at("موسكو"))
    assert session.focused_suggestion is None
    with pytest.raises(ValidationError):
        session.accept_suggestion()


# ---- what the session reads, and when ----------------------------------------------------------


class Reads:
    """Counts the project's reads of suggestions (a read after every edit made annotating slow)."""

    def __init__(self, project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = project.suggestions

        def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
            self.count += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(project, "suggestions", counted)


def select_and_annotate(session: EditingSession, words: str, label: str) -> None:
    session.set_text_selection(at(words))
    session.annotate(label)


def test_annotating_works_out_the_ghosts_in_memory(
    session: EditingSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = Reads(session.project, monkeypatch)
    select_and_annotate(session, "سيرجي لافروف", "PER")  # by hand, where a ghost is
    assert shown(session) == ["CUE:قال", "QUOTE:موسكو لم تتلق ردا", "GPE:واشنطن"]
    select_and_annotate(session, "وأكد", "CUE")  # where no ghost is: nothing changes
    assert len(shown(session)) == 3
    session.undo()
    session.undo()
    assert len(shown(session)) == 4  # the ghost is back with the hand-made name gone
    assert reads.count == 0
    session.next_suggestion(after=TEXT.index("واشنطن"))
    session.reject_suggestion()  # a decision: read again
    assert reads.count > 0 and "GPE:واشنطن" not in shown(session)
    reads.count = 0
    session.undo()
    assert reads.count > 0 and "GPE:واشنطن" in shown(session)


def test_a_document_without_suggestions_never_reads_them(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = project.add_document(TEXT, title="t")
    reads = Reads(project, monkeypatch)
    session = EditingSession(project)
    session.open_document(doc.id)
    select_and_annotate(session, "سيرجي لافروف", "PER")
    session.undo()
    session.set_layer(Layer.everyone())
    assert reads.count == 0 and session.ghosts() == []


def test_a_read_only_project_shows_no_ghosts_and_decides_nothing(
    session: EditingSession,
) -> None:
    path = session.project.path
    with Project.open(path, annotator="tester", read_only=True) as project:
        viewer = EditingSession(project)
        viewer.open_document(session.doc_id)
        assert len(viewer.suggested.pending) == 4  # stored, waiting
        assert viewer.ghosts() == [] and viewer.next_suggestion() is None
        with pytest.raises(ValidationError, match="read-only"):
            viewer.accept_all_suggestions()
        viewer.focused_suggestion = next(iter(viewer.suggested.pending))  # even so
        with pytest.raises(ValidationError, match="read-only"):
            viewer.reject_suggestion()


def test_accepting_a_quote_leaves_out_the_speaker_the_user_rejected(
    session: EditingSession,
) -> None:
    session.next_suggestion(after=TEXT.index("سيرجي"))
    session.reject_suggestion()
    quote = next(s for s in session.ghosts() if s.label == "QUOTE")
    session.focus_suggestion(quote.id)
    links = [
        (kind, TEXT[end.start : end.end], out) for kind, end, out in session.ghost_links(quote.id)
    ]
    assert sorted(links) == [("CUE", "قال", False), ("SPEAKER", "سيرجي لافروف", True)]
    session.accept_suggestion()
    assert mine(session) == ["CUE:قال", "QUOTE:موسكو لم تتلق ردا"]
    assert [(kind, TEXT[s.start : s.end]) for kind, s in session.left_out] == [
        ("SPEAKER", "سيرجي لافروف")
    ]
    session.next_suggestion()
    session.reject_suggestion()  # another decision says nothing of the accept's
    assert session.left_out == []


def test_on_everyones_layer_only_the_users_own_spans_hide_ghosts(
    session: EditingSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Project.open(session.project.path, annotator="someone") as other:
        other.add_span(session.doc_id, *at("واشنطن"), "GPE")
    session.set_layer(Layer.everyone())
    assert len(shown(session)) == 4  # someone else's واشنطن is not the user's
    reads = Reads(session.project, monkeypatch)
    select_and_annotate(session, "موسكو لم تتلق ردا", "QUOTE")
    assert shown(session) == ["CUE:قال", "PER:سيرجي لافروف", "GPE:واشنطن"]
    assert reads.count == 0
