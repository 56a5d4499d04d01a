"""The search dock as a person uses it: Ctrl+Shift+F, an Arabic query typed key by key, Enter,
a click on a hit, annotate all with its preview, Ctrl+Z and Ctrl+Shift+Z; the project file is
read back through a second connection after each step."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QModelIndex, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPushButton, QTableView, QWidget
from search_corpus import UN, add_articles, brute_force
from window_helpers import open_window, press

from annotator.gui import MainWindow, search_dock
from annotator.gui.search_annotate import CHECK_COLUMN
from annotator.model.document import DocumentRecord
from annotator.session import corpus_search
from annotator.store import Project

HOLD_TIMEOUT = 30


@pytest.fixture
def path(tmp_path: Path) -> Path:
    made = tmp_path / "news.sqlite"
    with Project.create(made, annotator="tester") as project:
        add_articles(project)
    return made


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` key by key (QTest's keyClicks cannot type Arabic letters)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def search(qtbot, window: MainWindow, query: str) -> None:
    """Ctrl+Shift+F, type the query, Enter; wait for the first page."""
    press(window, "Ctrl+Shift+F")
    panel = window.search.panel
    qtbot.waitUntil(lambda: window.search.dock.isVisible() and panel.query.hasFocus())
    type_text(panel.query, query)
    QTest.keyClick(panel.query, Qt.Key.Key_Return)
    wait_idle(qtbot, window)


def wait_idle(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.search.job is None and not window.search.panel.results.loading)


def cell(table: QTableView, row: int, column: int = 1) -> QModelIndex:
    index = table.model().index(row, column)
    table.scrollTo(index)
    return index


def click_row(qtbot, table: QTableView, row: int, column: int = 1) -> None:
    point = table.visualRect(cell(table, row, column)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=point)


def listed(window: MainWindow) -> list[tuple[str, int, int, bool]]:
    return [
        (s.hit.doc_id, s.hit.start, s.hit.end, s.hit.whole_word)
        for s in window.search.panel.results.hits
    ]


def on_disk(path: Path, annotator: str = "tester") -> list[tuple[str, str, str, str]]:
    """(document, id, label, text) of every span of the layer, through a second connection."""
    with Project.open(path, annotator="reader") as reader:
        return [
            (doc_id, s.id, s.label, reader.document(doc_id).text[s.start : s.end])
            for doc_id in reader.document_ids()
            for s in reader.spans(doc_id, [annotator])
        ]


def listed_counts(window: MainWindow, doc_ids: list[str]) -> list[tuple[int, str]]:
    """The annotation count and status the document list shows for each of ``doc_ids``."""
    model = window.document_list.model
    rows = [model.row_of(doc_id) for doc_id in doc_ids]
    return [(model.row(r).span_count, model.row(r).status) for r in rows if r is not None]


def key_to_focus(key: str) -> None:
    """Press a shortcut on the widget that has the keyboard focus, as a person does."""
    from PySide6.QtGui import QKeySequence

    combo = QKeySequence(key)[0]
    target = QApplication.focusWidget()
    assert target is not None
    QTest.keyClick(target, combo.key(), combo.keyboardModifiers())


# ---- searching and going to a hit ------------------------------------------------------------


def test_a_query_typed_without_hamza_or_taa_marbuta_lists_what_a_scan_finds(
    qtbot, path: Path
) -> None:
    window = open_window(qtbot, path)
    search(qtbot, window, UN)
    expected = brute_force(window.project, UN)
    assert listed(window) == [(h.doc_id, h.start, h.end, h.whole_word) for h in expected]
    assert len(expected) == 4
    summary = window.search.panel.summary.text()
    assert "4 hit(s) in 4 document(s)" in summary and UN in summary
    first = window.search.panel.results.hits[0]
    assert first.context.hit == "الأمم المتحدة"  # the stored form, hamza and ة as written


def test_whole_words_only_leaves_out_hits_inside_longer_words(qtbot, path: Path) -> None:
    window = open_window(qtbot, path)
    press(window, "Ctrl+Shift+F")
    qtbot.mouseClick(window.search.panel.whole_words, Qt.MouseButton.LeftButton)
    window.search.panel.focus_query()
    type_text(window.search.panel.query, UN)
    QTest.keyClick(window.search.panel.query, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    expected = brute_force(window.project, UN, whole_words=True)
    assert listed(window) == [(h.doc_id, h.start, h.end, True) for h in expected]


def test_a_click_on_a_hit_opens_its_article_with_the_hit_selected(qtbot, path: Path) -> None:
    window = open_window(qtbot, path)
    ids = window.project.document_ids()
    window.open_document(ids[0])
    search(qtbot, window, UN)
    table = window.search.panel.table
    click_row(qtbot, table, 1)
    session = window.session
    assert session.document is not None and session.document.id == ids[1]
    assert session.text_selection is not None
    start, end = session.text_selection
    assert session.text[start:end] == "الأمم المتحدة"  # inside بالأمم: the hit, not the word
    assert (start, end) == listed(window)[1][1:3]
    assert window.text_view.selected_range() == (start, end)
    # Enter on another row does the same; a label key then annotates the hit.
    table.setCurrentIndex(cell(table, 3))
    QTest.keyClick(table, Qt.Key.Key_Return)
    assert session.document.id == ids[6]
    start, end = session.text_selection
    assert session.text[start:end] == "الأمم المتّحدة"
    press(window, "O")
    assert [(d, label, text) for d, _, label, text in on_disk(path)] == [
        (ids[6], "ORG", "الأمم المتّحدة")
    ]


def test_a_search_leaves_the_articles_text_selection_until_a_hit_is_chosen(
    qtbot, path: Path
) -> None:
    window = open_window(qtbot, path)
    ids = window.project.document_ids()
    window.open_document(ids[2])
    text = window.session.text
    start = text.index("أنقرة")
    window.text_view.select_range(start, start + len("أنقرة"))
    selected = window.session.text_selection
    assert selected == (start, start + len("أنقرة"))
    search(qtbot, window, "الحوار")
    assert window.session.document.id == ids[2] and window.session.text_selection == selected
    row = [s.hit.doc_id for s in window.search.panel.results.hits].index(ids[2])
    click_row(qtbot, window.search.panel.table, row)
    start, end = window.session.text_selection
    assert window.session.text[start:end] == "الحوار"


# ---- many hits: a page at a time, and Cancel ------------------------------------------------


@pytest.fixture
def big(tmp_path: Path) -> Path:
    made = tmp_path / "big.sqlite"
    with Project.create(made, annotator="tester") as project:
        project.import_documents(
            DocumentRecord(text=f"خبر رقم {n}: دعت الأمم المتحدة إلى الحوار", title=f"خبر {n}")
            for n in range(600)
        )
    return made


def test_the_list_reads_more_hits_as_it_is_scrolled(
    qtbot, big: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(corpus_search, "PAGE", 40)
    monkeypatch.setattr(corpus_search, "FIRST_WINDOW", 16)
    window = open_window(qtbot, big)
    search(qtbot, window, "الحوار")
    results, table = window.search.panel.results, window.search.panel.table
    first = results.rowCount()
    assert 40 <= first < 600, "only the first page is read"
    assert "so far" in window.search.panel.summary.text()
    for _ in range(100):  # each drag to the end reads one more page at most
        if results.complete:
            break
        bar = table.verticalScrollBar()  # the scroll bar dragged to its end
        bar.setValue(bar.maximum())
        wait_idle(qtbot, window)
    assert results.rowCount() == 600
    expected = brute_force(window.project, "الحوار")
    assert listed(window) == [(h.doc_id, h.start, h.end, h.whole_word) for h in expected]
    assert "600 hit(s) in 600 document(s)" in window.search.panel.summary.text()


class Hold:
    """Wraps search_page so its work waits after its first window until Cancel was pressed."""

    def __init__(self, call: Callable[..., Any]) -> None:
        self.call = call
        self.pressed = threading.Event()

    def __call__(self, *args: Any, progress: Callable[[int], None], **kwargs: Any) -> Any:
        def held(step: int) -> None:
            progress(step)
            self.pressed.wait(HOLD_TIMEOUT)

        return self.call(*args, progress=held, **kwargs)


def test_cancel_stops_a_long_search_halfway(
    qtbot, big: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(corpus_search, "FIRST_WINDOW", 16)
    hold = Hold(corpus_search.search_page)
    monkeypatch.setattr(search_dock, "search_page", hold)
    window = open_window(qtbot, big)
    press(window, "Ctrl+Shift+F")
    panel = window.search.panel
    type_text(panel.query, "الحوار")
    QTest.keyClick(panel.query, Qt.Key.Key_Return)
    job = window.search.job
    assert job is not None
    qtbot.waitUntil(lambda: job.dialog.value() > 0 and job.dialog.isVisible(), timeout=10000)
    button = job.dialog.findChild(QPushButton)
    assert button is not None and button.text() == "Cancel"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    hold.pressed.set()
    qtbot.waitUntil(lambda: window.search.job is None)
    assert panel.results.rowCount() == 0 and panel.results.stopped
    assert not panel.results.canFetchMore(QModelIndex())
    assert "stopped" in panel.summary.text()
    # The next Enter searches again, to the end.
    monkeypatch.setattr(search_dock, "search_page", hold.call)
    panel.focus_query()
    QTest.keyClick(panel.query, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    assert panel.results.rowCount() >= corpus_search.PAGE


# ---- annotate all ----------------------------------------------------------------------------


def open_preview(qtbot, window: MainWindow):
    qtbot.mouseClick(window.search.panel.annotate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.search.preview is not None and window.search.preview.isVisible())
    return window.search.preview


def test_annotate_all_previews_adds_in_one_step_and_undo_takes_all_back(qtbot, path: Path) -> None:
    with Project.open(path, annotator="tester") as project:
        ids = project.document_ids()
        first = brute_force(project, UN)[0]
        kept = project.add_span(first.doc_id, first.start, first.end, "ORG")  # already there
    window = open_window(qtbot, path, layer="tester")
    window.open_document(ids[5])
    search(qtbot, window, UN)
    preview = open_preview(qtbot, window)
    preview.set_label("ORG")
    assert preview.kinds() == [
        "already annotated",
        "inside a longer word",
        "whole word",
        "inside a longer word",
    ]
    assert [(h.doc_id, h.whole_word) for h in preview.chosen()] == [(ids[5], True)]
    already = preview.model.index(0, CHECK_COLUMN)
    assert not preview.model.flags(already) & Qt.ItemFlag.ItemIsEnabled
    # Tick the hit inside بالأمم with the keyboard: Space on its checkbox.
    preview.table.setFocus()
    preview.table.setCurrentIndex(preview.model.index(1, CHECK_COLUMN))
    QTest.keyClick(preview.table, Qt.Key.Key_Space)
    assert [h.doc_id for h in preview.chosen()] == [ids[1], ids[5]]
    assert "2 hit(s) in 2 document(s) as ORG" in preview.question.text()
    ok = preview.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    expected = [
        (ids[0], "ORG", "الأمم المتحدة"),
        (ids[1], "ORG", "الأمم المتحدة"),
        (ids[5], "ORG", "الامم المتحده"),
    ]
    assert [(d, label, text) for d, _, label, text in on_disk(path)] == expected
    added_ids = [span_id for _, span_id, _, _ in on_disk(path)]
    box = window.search.report_box
    assert box is not None and box.isVisible()
    assert "Added 2 ORG annotation(s) in 2 document(s)." in box.text()
    assert "already annotated: 1" in box.text() and "Left unchecked: 1" in box.text()
    assert "added 2, already annotated 1, unchecked 1" in window.statusBar().currentMessage()
    # The open article shows its new span at once; the list counts the others' too.
    shown = [window.session.text[s.start : s.end] for s in window.session.spans.values()]
    assert shown == ["الامم المتحده"]
    assert listed_counts(window, ids[:2]) == [(1, "in_progress"), (1, "in_progress")]
    box.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)

    window.search.panel.table.setFocus()
    qtbot.waitUntil(window.search.panel.table.hasFocus)
    key_to_focus("Ctrl+Z")
    assert on_disk(path) == [(ids[0], kept.id, "ORG", "الأمم المتحدة")]
    assert window.session.spans == {} and window.session.document.id == ids[5]
    assert listed_counts(window, ids[:2]) == [(1, "in_progress"), (0, "in_progress")]
    window.search.panel.query.setFocus()  # Undo and Redo reach the window from the box too
    qtbot.waitUntil(window.search.panel.query.hasFocus)
    key_to_focus("Ctrl+Shift+Z")
    assert [span_id for _, span_id, _, _ in on_disk(path)] == added_ids


def test_annotate_all_works_on_the_listed_hits_after_the_box_was_edited(qtbot, path: Path) -> None:
    window = open_window(qtbot, path, layer="tester")
    ids = window.project.document_ids()
    window.open_document(ids[2])  # no hit here: the list is refreshed for the others
    search(qtbot, window, UN)
    panel = window.search.panel
    panel.focus_query()
    type_text(panel.query, "الحوار")  # typed over the query, Enter not pressed
    assert panel.query.text() == "الحوار"
    preview = open_preview(qtbot, window)
    assert UN in preview.query.text()
    assert [(h.doc_id, h.start, h.end) for h in (r.planned.hit for r in preview.model.rows)] == [
        (h.doc_id, h.start, h.end) for h in brute_force(window.project, UN)
    ]
    preview.set_label("ORG")
    preview.accept()
    words = [text for _, _, _, text in on_disk(path)]
    assert words == ["الأمم المتحدة", "الامم المتحده"]
    assert listed_counts(window, [ids[0], ids[5]]) == [(1, "in_progress")] * 2


def test_annotate_all_on_another_annotators_layer_is_refused(qtbot, path: Path) -> None:
    with Project.open(path, annotator="mona") as project:
        project.add_span(project.document_ids()[0], 0, 3, "PER")
    window = open_window(qtbot, path, layer="mona")
    search(qtbot, window, UN)
    preview = open_preview(qtbot, window)
    preview.set_label("ORG")
    preview.accept()
    assert "read-only" in window.statusBar().currentMessage()
    assert on_disk(path) == [] and window.search.report_box is None


def test_the_dock_follows_the_interface_language(qtbot, path: Path) -> None:
    window = open_window(qtbot, path)
    window.set_language("ar")
    search(qtbot, window, UN)
    panel = window.search.panel
    assert panel.label_combo.itemText(0) == "أي تسمية"
    assert panel.annotator_combo.itemText(0) == "أي معلّق"
    assert panel.where_combo.itemText(0) == "داخل هذه التعليقات"
    assert panel.summary.text().endswith("4 نتيجة في 4 مستند")
    assert window.search.dock.windowTitle() == "بحث"
