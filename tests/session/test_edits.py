"""Edits through the session, read back through a second connection: undo and redo, links,
layers, edges. (Ported from the window's old undo-command and link-mode tests.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.errors import OwnershipError, SchemaError, ValidationError
from annotator.model.document import Span
from annotator.model.schema import RelationType
from annotator.session import EditingSession, Layer
from annotator.session.editing import step_edge
from annotator.store import Project

TEXT = "قال الرئيس إن الاتفاق مهم. وأضاف بوتين أن روسيا مستعدة."
PUTIN = (33, 38)  # بوتين
SAYING = (39, 55)  # أن روسيا مستعدة.
PRESIDENT = (4, 10)  # الرئيس


def reopened(project: Project) -> Project:
    """A second connection to the same file: what is on disk, not what the session holds."""
    return Project.open(project.path, annotator="reader")


@pytest.fixture
def session(project: Project) -> EditingSession:
    """A session on a one-sentence article, showing the user's ("tester") own layer."""
    doc = project.add_document(TEXT)
    opened = EditingSession(project)
    opened.open_document(doc.id)
    return opened


def mark(session: EditingSession, where: tuple[int, int], label: str) -> Span:
    """Select ``where`` and press the label's key."""
    session.set_text_selection(where)
    return session.annotate(label)


def test_edits_write_at_once_and_undo_redo(session: EditingSession) -> None:
    span_id = mark(session, PUTIN, "PER").id
    with reopened(session.project) as disk:
        assert disk.span(session.doc_id, span_id).text_in(TEXT) == "بوتين"
    session.annotate("ORG")  # no text selected: relabels the selected annotation
    session.delete_selected()
    with reopened(session.project) as disk:
        assert disk.spans(session.doc_id) == []
    session.undo()
    with reopened(session.project) as disk:
        assert disk.span(session.doc_id, span_id).label == "ORG"
    session.undo()
    session.undo()
    with reopened(session.project) as disk:
        assert disk.spans(session.doc_id) == []
    session.redo()
    with reopened(session.project) as disk:
        assert [s.id for s in disk.spans(session.doc_id)] == [span_id]
    assert list(session.spans) == [span_id]


def test_delete_restores_relations_on_undo(session: EditingSession) -> None:
    quote = mark(session, SAYING, "QUOTE")
    speaker = mark(session, PUTIN, "PER")
    link = session.link("SPEAKER", quote.id, speaker.id)
    session.select(speaker.id)
    session.delete_selected()
    with reopened(session.project) as disk:
        assert disk.relations(session.doc_id) == []
    session.undo()
    with reopened(session.project) as disk:
        assert [r.id for r in disk.relations(session.doc_id)] == [link.id]


def test_relabel_to_another_kind_is_refused_and_attribute_undo_restores(
    session: EditingSession,
) -> None:
    # A relabel no longer changes a span's kind: QUOTE to CLAIM (which dropped the quote's
    # type) is refused, and the attribute stays on disk.
    quote = mark(session, SAYING, "QUOTE")
    session.set_attribute(quote.id, "type", "indirect")
    with pytest.raises(ValidationError, match="only within its kind"):
        session.relabel("CLAIM", quote.id)
    with reopened(session.project) as disk:
        stored = disk.span(session.doc_id, quote.id)
    assert (stored.label, stored.attrs) == ("QUOTE", {"type": "indirect"})
    assert session.spans[quote.id].attrs == {"type": "indirect"}
    session.undo()  # the attribute change: the schema's default comes back
    with reopened(session.project) as disk:
        assert disk.span(session.doc_id, quote.id).attrs == {"type": "direct"}


def test_refused_edit_raises_before_reaching_the_history(session: EditingSession) -> None:
    quote = mark(session, SAYING, "QUOTE")
    date = mark(session, PRESIDENT, "DATE")
    with pytest.raises(SchemaError):
        session.link("SPEAKER", quote.id, date.id)
    assert len(session.history.done) == 2
    with reopened(session.project) as disk:
        assert disk.relations(session.doc_id) == []


def add_theirs(session: EditingSession, where: tuple[int, int], label: str) -> Span:
    """Add a span to annotator "example"'s layer, as their own window would."""
    with Project.open(session.project.path, annotator="example") as example:
        return example.add_span(session.doc_id, *where, label)


def test_other_annotators_layer_is_read_only(session: EditingSession) -> None:
    theirs = add_theirs(session, PRESIDENT, "PER")
    session.set_layer(Layer.of("example"))
    assert [s.annotator for s in session.spans.values()] == ["example"]
    assert not session.editable()
    session.select(theirs.id)
    with pytest.raises(ValidationError, match="read-only"):
        session.annotate("ORG")
    with pytest.raises(ValidationError, match="read-only"):
        mark(session, PUTIN, "PER")
    with reopened(session.project) as disk:
        assert disk.spans(session.doc_id) == [theirs]


def test_on_everyones_layer_the_others_spans_and_links_stay_theirs(
    session: EditingSession,
) -> None:
    with Project.open(session.project.path, annotator="example") as example:
        quote = example.add_span(session.doc_id, *SAYING, "QUOTE")
        person = example.add_span(session.doc_id, *PUTIN, "PER")
        link = example.add_relation(session.doc_id, "SPEAKER", quote.id, person.id)
    session.set_layer(Layer.everyone())
    assert session.editable()  # the user may annotate here, and edit only their own
    session.select(person.id)
    with pytest.raises(OwnershipError, match="belongs to example; tester can change only"):
        session.delete_selected()
    with pytest.raises(OwnershipError, match="SPEAKER link belongs to example"):
        session.delete_relation(link.id)
    assert session.history.done == []
    with reopened(session.project) as disk:
        assert disk.spans(session.doc_id) == sorted([quote, person], key=lambda s: s.start)
        assert disk.relations(session.doc_id) == [link]


def test_step_edge_keeps_marks_with_their_letter() -> None:
    text = "بِسْمِ الله"
    assert step_edge(text, 0, True) == 2  # ب with its kasra
    assert step_edge(text, 2, True) == 4
    assert step_edge(text, 4, False) == 2
    assert step_edge(text, 6, True) == 7
    assert step_edge(text, len(text), True) == len(text)


def test_step_edge_takes_an_emoji_sequence_in_one_step() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # man ZWJ woman ZWJ girl
    text = f"قال {family} نعم"
    assert step_edge(text, 4, True) == 9
    assert step_edge(text, 9, False) == 4


def never_asked(fits: list[RelationType]) -> RelationType | None:
    """A chooser for links where one type fits: asking would be a mistake."""
    raise AssertionError(f"asked to choose among {[r.id for r in fits]}")


def test_link_mode_picks_the_only_fitting_type_and_explains_refusals(
    session: EditingSession,
) -> None:
    quote = mark(session, SAYING, "QUOTE")
    per = mark(session, PUTIN, "PER")
    date = mark(session, PRESIDENT, "DATE")
    session.select(per.id)
    with pytest.raises(SchemaError):
        session.start_link_mode()
    assert session.link_head is None
    session.select(quote.id)
    session.start_link_mode()
    relation = session.link_to(per.id, never_asked)
    assert relation is not None and relation.type == "SPEAKER"
    with pytest.raises(SchemaError, match="not to DATE"):
        session.link_to(date.id, never_asked)
    with reopened(session.project) as disk:
        assert [(r.type, r.head, r.tail) for r in disk.relations(session.doc_id)] == [
            ("SPEAKER", quote.id, per.id)
        ]


def test_undo_while_another_layer_is_shown_changes_only_the_store(
    session: EditingSession,
) -> None:
    span = mark(session, PUTIN, "PER")
    session.set_layer(Layer.of("example"))
    session.undo()
    assert session.spans == {}
    with reopened(session.project) as disk:
        assert disk.spans(session.doc_id) == []
    session.redo()
    assert session.spans == {}
    session.set_layer(Layer.of(session.project.annotator))
    assert list(session.spans) == [span.id]


SCHEMA_WITH_TWO_LINKS = """
[[labels]]
id = "QUOTE"
kind = "quote"
[[labels]]
id = "PER"
[[relations]]
id = "SPEAKER"
head = ["QUOTE"]
tail = ["PER"]
[[relations]]
id = "MENTIONS"
head = ["QUOTE"]
tail = ["PER"]
"""


def test_link_mode_asks_when_several_types_fit(tmp_path: Path) -> None:
    schema = tmp_path / "two_links.toml"
    schema.write_text(SCHEMA_WITH_TWO_LINKS, encoding="utf-8")
    asked: list[list[str]] = []

    def chooser(fits: list[RelationType]) -> RelationType | None:
        asked.append([r.id for r in fits])
        return fits[1]

    with Project.create(tmp_path / "p.sqlite", annotator="tester", schema=schema) as project:
        session = EditingSession(project)
        session.open_document(project.add_document(TEXT).id)
        quote = mark(session, SAYING, "QUOTE")
        per = mark(session, PUTIN, "PER")
        session.select(quote.id)
        session.start_link_mode()
        relation = session.link_to(per.id, chooser)
        assert relation is not None and relation.type == "MENTIONS"
        assert asked == [["SPEAKER", "MENTIONS"]]
        assert [r.type for r in project.relations(session.doc_id)] == ["MENTIONS"]
