"""The window's panels without a window: document list model, find bar, "annotate all"
preview, UI language, annotation list. Edits, undo and link mode are tested on the editing
session itself, in tests/session."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from annotator.gui.document_list import PAGE, DocumentListModel
from annotator.gui.find_bar import AnnotateAllDialog, FindBar
from annotator.gui.i18n import Texts
from annotator.model.schema import load_default_schema
from annotator.store import Project
from annotator.store.listing import DocumentFilter


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
    model.set_filter(DocumentFilter(text="<b>"))
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
    dialog = AnnotateAllDialog(Texts(), text, bar.matches, "EVENT", [], load_default_schema())
    qtbot.addWidget(dialog)
    assert dialog.label() == "EVENT"
    assert dialog.kinds() == ["whole word", "inside a longer word"]
    assert [(m.start, m.end) for m in dialog.checked()] == [(0, 6)]
    assert "⟦الحوار⟧" in dialog.table.item(1, 0).text()


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


def test_annotate_all_preview_skips_hits_already_annotated(qtbot) -> None:
    text = "الحوار مهم والحوار نافع. الحوار"
    from annotator.model.document import Span
    from annotator.model.text import find_matches

    hits = find_matches(text, "الحوار")
    existing = [Span("s1", "d", 0, 6, "EVENT"), Span("s2", "d", 19, 31, "EVENT")]
    dialog = AnnotateAllDialog(Texts(), text, hits, "EVENT", existing, load_default_schema())
    qtbot.addWidget(dialog)
    assert dialog.kinds() == [
        "already annotated",
        "inside a longer word",
        "inside a EVENT annotation",
    ]
    assert dialog.checked() == []
    dialog.set_checked(1, True)
    assert [(m.start, m.end) for m in dialog.checked()] == [(12, 18)]
    # Another label in the dialog's chooser: the EVENT annotations no longer hold hits back.
    dialog.set_label("MISC")
    assert dialog.label() == "MISC"
    assert dialog.kinds() == ["whole word", "inside a longer word", "whole word"]
    assert [(m.start, m.end) for m in dialog.checked()] == [(0, 6), (25, 31)]


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
    assert listing.model().index(1, 1).data() == "مستعدة"
