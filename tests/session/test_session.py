"""The editing session without Qt: what a label key acts on, relabel rules, history, versions."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.errors import StaleEditError, ValidationError
from annotator.model.text import find_matches
from annotator.session import EditingSession, Layer
from annotator.store import Project

from conftest import SEED_ID

# «سيرجي لافروف» and «وزير الخارجية الروسي» in the seed article (code points).
LAVROV = "سيرجي لافروف"


@pytest.fixture
def session(seeded: Project) -> EditingSession:
    opened = EditingSession(seeded)
    opened.open_document(SEED_ID)
    return opened


def at(session: EditingSession, words: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = session.text.index(words, start + 1)
    return start, start + len(words)


def test_label_key_annotates_the_text_selection(session: EditingSession) -> None:
    session.set_text_selection(at(session, LAVROV))
    span = session.annotate("PER")
    assert session.text[span.start : span.end] == LAVROV
    stored = session.project.spans(SEED_ID, ["tester"])
    assert [(s.label, session.text[s.start : s.end]) for s in stored] == [("PER", LAVROV)]
    assert session.selected == span.id and session.text_selection is None


def test_label_key_without_text_selection_relabels_the_selected_annotation(
    session: EditingSession,
) -> None:
    session.set_text_selection(at(session, LAVROV))
    span = session.annotate("PER")
    session.annotate("ORG")
    assert [s.label for s in session.project.spans(SEED_ID, ["tester"])] == ["ORG"]
    assert session.spans[span.id].label == "ORG"


def test_nothing_selected_is_refused(session: EditingSession) -> None:
    with pytest.raises(ValidationError, match="select some text first"):
        session.annotate("PER")
    assert session.project.spans(SEED_ID, ["tester"]) == []


def test_text_selection_cleared_by_layer_document_and_annotation_changes(
    session: EditingSession,
) -> None:
    seen: list[object] = []
    session.text_selection_changed.connect(seen.append)
    session.set_text_selection(at(session, LAVROV))
    session.set_layer(Layer.of("example"))
    assert session.text_selection is None
    session.set_layer(Layer.of("tester"))
    session.set_text_selection(at(session, LAVROV))
    span = session.annotate("PER")
    session.set_text_selection((0, 3))
    session.select(span.id)
    assert session.text_selection is None
    session.set_text_selection((0, 3))
    session.open_document(SEED_ID)
    assert session.text_selection is None
    assert seen[-1] is None


def test_relabel_across_kinds_is_refused_and_changes_nothing(session: EditingSession) -> None:
    session.set_text_selection(at(session, LAVROV))
    session.annotate("QUOTE")
    quote = session.selected_span()
    assert quote is not None and quote.attrs  # the schema filled in the quote's type
    with pytest.raises(ValidationError, match="only within its kind"):
        session.annotate("NORP")
    stored = session.project.span(SEED_ID, quote.id)
    assert stored.label == "QUOTE" and stored.attrs == quote.attrs


def test_relabel_within_kind_keeps_links_and_refuses_to_break_one(session: EditingSession) -> None:
    session.set_text_selection(at(session, LAVROV))
    person = session.annotate("PER")
    session.set_text_selection(at(session, "قال"))
    quote = session.annotate("QUOTE")
    session.link("SPEAKER", quote.id, person.id)
    session.select(person.id)
    session.annotate("ORG")  # an organisation may speak too: allowed, the link is kept
    assert [r.head for r in session.project.relations(SEED_ID, ["tester"])] == [quote.id]
    with pytest.raises(ValidationError, match="would break its SPEAKER link"):
        session.annotate("DATE")
    assert session.project.span(SEED_ID, person.id).label == "ORG"
    assert len(session.project.relations(SEED_ID, ["tester"])) == 1


def test_undo_redo_of_every_edit_kind(session: EditingSession) -> None:
    project = session.project
    session.set_text_selection(at(session, LAVROV))
    person = session.annotate("PER")
    session.annotate("ORG")
    session.move_edge("end", False)
    session.set_text_selection(at(session, "قال"))
    quote = session.annotate("QUOTE")
    session.set_attribute(quote.id, "type", "indirect")
    session.link("SPEAKER", quote.id, person.id)
    session.select(person.id)
    session.delete_selected()
    assert project.spans(SEED_ID, ["tester"]) == [project.span(SEED_ID, quote.id)]
    assert project.relations(SEED_ID, ["tester"]) == []
    session.undo()  # the delete: person and its link are back
    assert project.span(SEED_ID, person.id).label == "ORG"
    assert len(project.relations(SEED_ID, ["tester"])) == 1
    for _ in range(6):
        session.undo()
    assert project.spans(SEED_ID, ["tester"]) == []
    assert session.undo() is None
    for _ in range(7):
        session.redo()
    assert [s.id for s in project.spans(SEED_ID, ["tester"])] == [quote.id]
    assert set(session.spans) == {quote.id}


def test_annotate_all_is_one_step(session: EditingSession) -> None:
    matches = [m for m in find_matches(session.text, "موسكو") if m.whole_word]
    assert len(matches) >= 2
    session.annotate_matches(matches, "GPE")
    assert len(session.project.spans(SEED_ID, ["tester"])) == len(matches)
    session.undo()
    assert session.project.spans(SEED_ID, ["tester"]) == []


def test_read_only_layer_refuses_edits(session: EditingSession) -> None:
    session.set_layer(Layer.of("example"))
    example = next(iter(session.spans.values()))
    session.select(example.id)
    with pytest.raises(ValidationError, match="read-only"):
        session.annotate("ORG")
    assert session.project.span(SEED_ID, example.id) == example


def test_stale_undo_is_refused_and_the_view_follows_the_disk(
    seeded: Project, tmp_path: Path
) -> None:
    a = EditingSession(seeded)
    a.open_document(SEED_ID)
    with Project.open(seeded.path, annotator="tester") as other:
        b = EditingSession(other)
        b.open_document(SEED_ID)
        a.set_text_selection(at(a, LAVROV))
        person = a.annotate("PER")
        b.refresh()
        b.select(person.id)
        b.annotate("NORP")
        with pytest.raises(StaleEditError, match="changed since it was shown"):
            a.undo()
        # A's undo deleted nothing; A now shows what is on disk.
        assert other.span(SEED_ID, person.id).label == "NORP"
        assert a.spans[person.id].label == "NORP"
        assert a.history.next_undo() is None
        b.undo()
        assert other.span(SEED_ID, person.id).label == "PER"


def test_edit_of_an_annotation_deleted_elsewhere_is_refused(seeded: Project) -> None:
    a = EditingSession(seeded)
    a.open_document(SEED_ID)
    a.set_text_selection(at(a, LAVROV))
    person = a.annotate("PER")
    with Project.open(seeded.path, annotator="tester") as other:
        other.delete_span(SEED_ID, person.id)
    with pytest.raises(StaleEditError, match="deleted since"):
        a.annotate("ORG")
    assert person.id not in a.spans and a.selected is None
    assert seeded.spans(SEED_ID, ["tester"]) == []


def test_status_is_undoable(session: EditingSession) -> None:
    session.set_status("done")
    assert session.project.document(SEED_ID).status == "done"
    session.undo()
    assert session.project.document(SEED_ID).status == "not_started"
