"""The window's panels without a window: document list model, undo commands, find, link mode."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QUndoStack

from annotator.errors import SchemaError, ValidationError
from annotator.gui import commands
from annotator.gui.document_list import PAGE, DocumentListModel
from annotator.gui.editor import DocumentEditor, step_edge
from annotator.gui.find_bar import AnnotateAllDialog, FindBar
from annotator.gui.i18n import Texts
from annotator.gui.linking import LinkMode
from annotator.store import Project


def reopened(project: Project) -> Project:
    """A second connection to the same file: what is on disk, not what the window holds."""
    return Project.open(project.path, annotator="reader")


def test_document_list_loads_pages_lazily_and_filters(qtbot, project: Project) -> None:
    for i in range(PAGE + 50):
        project.add_document(f"نص رقم {i}", title=f"خبر {i}")
    project.add_document("نص آخر", title="<b>عنوان</b>")
    model = DocumentListModel(project)
    root = QModelIndex()
    assert model.rowCount() == 0 and model.canFetchMore(root)
    model.fetchMore(root)
    assert model.rowCount() == PAGE
    model.fetchMore(root)
    assert model.rowCount() == PAGE + 51 and not model.canFetchMore(root)
    model.set_filter("<b>")
    model.fetchMore(root)
    assert model.rowCount() == 1
    # The title is handed to the view as a plain string, the tags intact.
    assert model.data(model.index(0, 0)) == "<b>عنوان</b>"
    assert "&lt;b&gt;" in model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert model.data(model.index(0, 2)) == "not started"


def test_document_list_shows_counts_and_status(qtbot, seeded: Project) -> None:
    model = DocumentListModel(seeded, Texts("ar"))
    model.fetchMore(QModelIndex())
    doc_id = model.row(0).id
    assert model.data(model.index(0, 1)) == len(seeded.spans(doc_id)) == 88
    assert model.data(model.index(0, 2)) == "لم يبدأ"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "العنوان"


@pytest.fixture
def editor(qtbot, project: Project) -> DocumentEditor:
    doc = project.add_document("قال الرئيس إن الاتفاق مهم. وأضاف بوتين أن روسيا مستعدة.")
    opened = DocumentEditor(project)
    opened.open(doc.id)
    return opened


def test_commands_write_at_once_and_undo_redo(editor: DocumentEditor) -> None:
    stack = QUndoStack()
    text = editor.text
    add = commands.push(stack, commands.AddSpan(editor, 33, 38, "PER"))
    span_id = add.span.id
    with reopened(editor.project) as disk:
        assert disk.span(editor.doc_id, span_id).text_in(text) == "بوتين"
    commands.push(stack, commands.relabel(editor, span_id, "ORG"))
    commands.push(stack, commands.DeleteSpan(editor, span_id))
    with reopened(editor.project) as disk:
        assert disk.spans(editor.doc_id) == []
    stack.undo()
    with reopened(editor.project) as disk:
        assert disk.span(editor.doc_id, span_id).label == "ORG"
    stack.undo()
    stack.undo()
    with reopened(editor.project) as disk:
        assert disk.spans(editor.doc_id) == []
    stack.redo()
    with reopened(editor.project) as disk:
        assert [s.id for s in disk.spans(editor.doc_id)] == [span_id]
    assert list(editor.spans) == [span_id]


def test_delete_restores_relations_on_undo(editor: DocumentEditor) -> None:
    stack = QUndoStack()
    quote = commands.push(stack, commands.AddSpan(editor, 39, 55, "QUOTE")).span
    speaker = commands.push(stack, commands.AddSpan(editor, 33, 38, "PER")).span
    link = commands.push(stack, commands.AddRelation(editor, "SPEAKER", quote.id, speaker.id))
    commands.push(stack, commands.DeleteSpan(editor, speaker.id))
    with reopened(editor.project) as disk:
        assert disk.relations(editor.doc_id) == []
    stack.undo()
    with reopened(editor.project) as disk:
        assert [r.id for r in disk.relations(editor.doc_id)] == [link.relation.id]


def test_relabel_undo_restores_attributes(editor: DocumentEditor) -> None:
    stack = QUndoStack()
    quote = commands.push(stack, commands.AddSpan(editor, 39, 55, "QUOTE")).span
    commands.push(stack, commands.set_attribute(editor, quote.id, "type", "indirect"))
    commands.push(stack, commands.relabel(editor, quote.id, "CLAIM"))
    assert editor.spans[quote.id].attrs == {"check_worthy": "yes"}
    stack.undo()
    with reopened(editor.project) as disk:
        assert disk.span(editor.doc_id, quote.id).attrs == {"type": "indirect"}


def test_refused_edit_raises_before_reaching_the_stack(editor: DocumentEditor) -> None:
    stack = QUndoStack()
    quote = commands.push(stack, commands.AddSpan(editor, 39, 55, "QUOTE")).span
    date = commands.push(stack, commands.AddSpan(editor, 4, 10, "DATE")).span
    with pytest.raises(SchemaError):
        commands.push(stack, commands.AddRelation(editor, "SPEAKER", quote.id, date.id))
    assert stack.count() == 2


def test_other_annotators_layer_is_read_only(editor: DocumentEditor) -> None:
    editor.project.add_span(editor.doc_id, 4, 10, "PER", annotator="example")
    editor.set_layer("example")
    assert [s.annotator for s in editor.spans.values()] == ["example"]
    with pytest.raises(ValidationError, match="read-only"):
        editor.check_editable()


def test_step_edge_keeps_marks_with_their_letter() -> None:
    text = "بِسْمِ الله"
    assert step_edge(text, 0, True) == 2  # ب with its kasra
    assert step_edge(text, 2, True) == 4
    assert step_edge(text, 4, False) == 2
    assert step_edge(text, 6, True) == 7
    assert step_edge(text, len(text), True) == len(text)


def test_find_ignores_hamza_and_marks_and_flags_partial_hits(qtbot) -> None:
    bar = FindBar(Texts())
    qtbot.addWidget(bar)
    text = "قال الرئيس إنَّ الحوار مهم وبالحوار نصل إلى الحوار"
    bar.set_text(text)
    with qtbot.waitSignal(bar.hitsChanged) as signal:
        bar.query.setText("الحوار")
    hits, current = signal.args
    assert [text[s:e] for s, e, _ in hits] == ["الحوار", "الحوار", "الحوار"]
    assert [whole for *_, whole in hits] == [True, False, True]
    assert current == 0 and bar.count.text() == "1 of 3"
    bar.previous()
    assert bar.current == 2
    bar.query.setText("ان")  # matches إنَّ with its shadda and fatha
    assert text[bar.matches[0].start : bar.matches[0].end] == "إنَّ"


def test_annotate_all_preview_leaves_partial_hits_unchecked(qtbot) -> None:
    text = "الحوار مهم وبالحوار نصل"
    bar = FindBar(Texts())
    qtbot.addWidget(bar)
    bar.set_text(text)
    bar.query.setText("الحوار")
    dialog = AnnotateAllDialog(Texts(), text, bar.matches, "EVENT", [])
    qtbot.addWidget(dialog)
    assert dialog.kinds() == ["whole word", "inside a longer word"]
    assert [(m.start, m.end) for m in dialog.checked()] == [(0, 6)]
    assert "⟦الحوار⟧" in dialog.table.item(1, 0).text()


def test_link_mode_picks_the_only_fitting_type_and_explains_refusals(editor) -> None:
    stack = QUndoStack()
    quote = commands.push(stack, commands.AddSpan(editor, 39, 55, "QUOTE")).span
    per = commands.push(stack, commands.AddSpan(editor, 33, 38, "PER")).span
    date = commands.push(stack, commands.AddSpan(editor, 4, 10, "DATE")).span
    mode = LinkMode(editor.project.schema, lambda fits: None)
    with pytest.raises(SchemaError):
        mode.start(per)
    mode.start(quote)
    assert mode.relation_for(per).id == "SPEAKER"
    with pytest.raises(SchemaError, match="not to DATE"):
        mode.relation_for(date)


def test_arabic_texts_switch_every_bound_string(qtbot) -> None:
    from PySide6.QtWidgets import QApplication, QLabel

    texts = Texts()
    label = QLabel()
    qtbot.addWidget(label)
    texts.bind(label.setText, "Documents")
    texts.set_language("ar")
    assert label.text() == "المستندات"
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    texts.set_language("en")
    assert label.text() == "Documents"
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight


def test_undo_while_another_layer_is_shown_changes_only_the_store(editor: DocumentEditor) -> None:
    stack = QUndoStack()
    span = commands.push(stack, commands.AddSpan(editor, 33, 38, "PER")).span
    editor.set_layer("example")
    stack.undo()
    assert editor.spans == {}
    with reopened(editor.project) as disk:
        assert disk.spans(editor.doc_id) == []
    stack.redo()
    assert editor.spans == {}
    editor.set_layer(editor.project.annotator)
    assert list(editor.spans) == [span.id]


def test_annotate_all_preview_skips_hits_already_annotated(qtbot) -> None:
    text = "الحوار مهم والحوار نافع. الحوار"
    from annotator.model.document import Span
    from annotator.model.text import find_matches

    hits = find_matches(text, "الحوار")
    existing = [Span("s1", "d", 0, 6, "EVENT"), Span("s2", "d", 19, 31, "EVENT")]
    dialog = AnnotateAllDialog(Texts(), text, hits, "EVENT", existing)
    qtbot.addWidget(dialog)
    assert dialog.kinds() == [
        "already annotated",
        "inside a longer word",
        "inside a EVENT annotation",
    ]
    assert dialog.checked() == []
    dialog.set_checked(1, True)
    assert [(m.start, m.end) for m in dialog.checked()] == [(12, 18)]


def test_annotation_list_keeps_text_order_when_spans_come_and_go(qtbot) -> None:
    from annotator.gui.annotation_list import AnnotationList
    from annotator.model.document import Span
    from annotator.model.schema import load_default_schema

    text = "قال بوتين إن روسيا مستعدة"
    listing = AnnotationList(load_default_schema(), Texts())
    qtbot.addWidget(listing)
    listing.show_spans([Span("b", "d", 13, 18, "GPE")], text)
    listing.add(Span("a", "d", 4, 9, "PER"), text)
    listing.add(Span("c", "d", 19, 25, "MISC"), text)
    assert listing.span_ids() == ["a", "b", "c"]
    listing.replace(Span("a", "d", 19, 25, "PER"), text)
    listing.remove("c")
    assert listing.span_ids() == ["b", "a"]
    assert listing.topLevelItem(1).text(1) == "مستعدة"


def test_link_mode_asks_when_several_types_fit() -> None:
    from annotator.model.document import Span
    from annotator.model.schema import parse_schema

    schema = parse_schema(
        """
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
    )
    asked: list[list[str]] = []

    def chooser(fits):
        asked.append([r.id for r in fits])
        return fits[1]

    mode = LinkMode(schema, chooser)
    mode.start(Span("q", "d", 0, 5, "QUOTE"))
    assert mode.relation_for(Span("p", "d", 6, 9, "PER")).id == "MENTIONS"
    assert asked == [["SPEAKER", "MENTIONS"]]
