"""Document > Next / Previous / Next not done over the list as filtered, and the filter bar.

Driven with real keys and clicks in the orders people use them, careless ones included (a
filter that empties the list and then Next, Next at the end, a filter changed while a document
is open), reading the project back through a second connection afterwards.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QWidget
from window_helpers import open_window, press

from annotator.gui import MainWindow
from annotator.gui import document_list as document_list_module
from annotator.model.document import DocumentRecord, Span
from annotator.store import Project
from annotator.store.reviews import set_review_status

TEXT = "قال المتحدث باسم الكرملين إن موسكو مستعدة للحوار"
STATUSES = {"d02": "done", "d03": "done", "d05": "in_progress", "d07": "done", "d11": "done"}
MONA = ("d01", "d05", "d09")
KARIM = ("d04", "d08")


def doc(n: int) -> str:
    """Return the id of document ``n``."""
    return f"d{n:02d}"


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """Twelve documents d00-d11: statuses, PER spans by mona and karim, d09 reviewed."""
    target = tmp_path / "twelve.sqlite"
    with Project.create(target, annotator="tester") as project:
        records = []
        for n in range(12):
            who = "mona" if doc(n) in MONA else "karim" if doc(n) in KARIM else None
            spans = (Span(f"s{n}", "", 4, 11, "PER", annotator=who),) if who else ()
            text = f"{TEXT} {n}" if n != 7 else f"{TEXT} في جنيفَ {n}"  # with a fatha
            records.append(DocumentRecord(text=text, id=doc(n), title=f"خبر رقم {n}", spans=spans))
        project.import_documents(records)
        for doc_id, status in STATUSES.items():
            project.set_document_status(doc_id, status)
        set_review_status(project, "d09", "reviewed")
    return target


def shown(window: MainWindow) -> str | None:
    """Return the id of the open document."""
    return window.session.doc_id


def listed(window: MainWindow) -> list[str]:
    """Return the ids the document list shows, loaded so far."""
    model = window.document_list.model
    return [model.row(i).id for i in range(model.rowCount())]


def selected_row(window: MainWindow) -> str | None:
    """Return the id of the list's selected row, if any."""
    rows = window.document_list.table.selectionModel().selectedRows()
    return window.document_list.model.row(rows[0].row()).id if rows else None


def choose(qtbot, combo: QComboBox, caption: str) -> None:
    """Open a combo box with the mouse and click the item showing ``caption``."""
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    index = combo.model().index(combo.findText(caption), 0)
    assert index.row() >= 0, caption
    view.scrollTo(index)
    point = view.visualRect(index).center()
    qtbot.wait(QApplication.doubleClickInterval() + 50)  # a popup ignores a release that soon
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: not view.isVisible())


def type_in(widget: QWidget, text: str) -> None:
    """Type ``text`` key by key, Arabic too (QTest's keyClicks cannot type Arabic)."""
    widget.setFocus()
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def click_row(qtbot, window: MainWindow, doc_id: str) -> None:
    """Click the list's row of ``doc_id`` with the mouse."""
    table = window.document_list.table
    index = window.document_list.model.index(listed(window).index(doc_id), 0)
    table.scrollTo(index)
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center()
    )


def message(window: MainWindow) -> str:
    """Return the status bar's message."""
    return window.statusBar().currentMessage()


def statuses_on_disk(path: Path) -> dict[str, str]:
    """Return every document's status, read through a second connection."""
    with Project.open(path, annotator="reader") as project:
        return {r.id: r.status for r in project.document_rows(0, 100)}


# ---- next and previous --------------------------------------------------------------------


def test_next_and_previous_keys_walk_the_list_in_order(qtbot, path: Path) -> None:
    window = open_window(qtbot, path)
    assert shown(window) == "d00" and selected_row(window) == "d00"
    before = statuses_on_disk(path)
    press(window, "Ctrl+PgDown")
    press(window, "Ctrl+PgDown")
    assert shown(window) == "d02"
    assert window.session.text == f"{TEXT} 2"
    assert selected_row(window) == "d02"
    assert window.windowTitle().startswith("خبر رقم 2")
    press(window, "Ctrl+PgUp")
    assert shown(window) == "d01" and selected_row(window) == "d01"
    assert statuses_on_disk(path) == before  # moving changes nothing on disk


def test_the_keys_work_with_the_focus_in_the_list_or_the_filter_box(qtbot, path: Path) -> None:
    window = open_window(qtbot, path)
    table = window.document_list.table
    click_row(qtbot, window, "d04")
    assert shown(window) == "d04" and table.hasFocus()
    QTest.keyClick(table, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert shown(window) == "d05"
    box = window.document_list.filter_bar.text_edit
    box.setFocus()
    QTest.keyClick(box, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert shown(window) == "d04"


def test_the_ends_of_the_list_are_said_in_the_status_bar(qtbot, path: Path) -> None:
    window = open_window(qtbot, path)
    press(window, "Ctrl+PgUp")
    assert shown(window) == "d00"
    assert message(window) == "Start of the list: no previous document"
    click_row(qtbot, window, "d11")
    press(window, "Ctrl+PgDown")
    press(window, "Ctrl+PgDown")  # pressed again: still nothing after the last one
    assert shown(window) == "d11"
    assert message(window) == "End of the list: no next document"


def test_next_not_done_skips_what_is_done_and_follows_status_changes(qtbot, path: Path) -> None:
    window = open_window(qtbot, path)
    press(window, "Ctrl+Shift+PgDown")
    assert shown(window) == "d01"
    press(window, "Ctrl+3")  # mark d01 done, then on to the next one not done
    press(window, "Ctrl+Shift+PgDown")
    assert shown(window) == "d04"  # d02 and d03 are done
    press(window, "Ctrl+Shift+PgDown")
    assert shown(window) == "d05"
    click_row(qtbot, window, "d10")
    press(window, "Ctrl+Shift+PgDown")  # only d11 (done) is left
    assert shown(window) == "d10"
    assert message(window) == "Every later document in the list is done"
    assert statuses_on_disk(path) == {
        **{doc(n): "not_started" for n in range(12)},
        **STATUSES,
        "d01": "done",
    }


def test_next_follows_the_filter_chosen_with_the_mouse(qtbot, path: Path) -> None:
    window = open_window(qtbot, path)
    bar = window.document_list.filter_bar
    choose(qtbot, bar.status_combo, "not done")
    assert listed(window) == [doc(n) for n in (0, 1, 4, 5, 6, 8, 9, 10)]
    assert bar.count_label.text() == "8 document(s)"
    choose(qtbot, bar.annotator_combo, "mona")
    assert listed(window) == ["d01", "d05", "d09"]
    press(window, "Ctrl+PgDown")
    assert shown(window) == "d01"
    press(window, "Ctrl+PgDown")
    assert shown(window) == "d05" and selected_row(window) == "d05"
    qtbot.mouseClick(bar.review_box, Qt.MouseButton.LeftButton)  # d09 is reviewed
    assert listed(window) == ["d01", "d05"]
    press(window, "Ctrl+PgDown")
    assert shown(window) == "d05"
    assert message(window) == "End of the list: no next document"
    choose(qtbot, bar.label_combo, "GPE · Geopolitical entity")
    assert listed(window) == []
    assert bar.count_label.text() == "0 document(s)"


def test_a_filter_that_empties_the_list_then_next(qtbot, path: Path) -> None:
    window = open_window(qtbot, path)
    box = window.document_list.filter_bar.text_edit
    type_in(box, "لا يوجد")
    QTest.keyClick(box, Qt.Key.Key_Return)
    assert listed(window) == []
    press(window, "Ctrl+PgDown")
    press(window, "Ctrl+Shift+PgDown")
    press(window, "Ctrl+PgUp")
    assert shown(window) == "d00"  # the open document stays open
    assert message(window) == "No document matches the filter"
    qtbot.mouseClick(window.document_list.filter_bar.clear_button, Qt.MouseButton.LeftButton)
    assert len(listed(window)) == 12 and box.text() == ""


def test_the_text_filter_applies_once_typing_pauses(qtbot, path: Path) -> None:
    window = open_window(qtbot, path)
    box = window.document_list.filter_bar.text_edit
    type_in(box, "رقم 1")  # in the titles only
    assert len(listed(window)) == 12  # still typing
    qtbot.waitUntil(lambda: listed(window) == ["d01", "d10", "d11"])
    box.clear()
    type_in(box, "جنيف")  # in d07's text, where it has a fatha
    qtbot.waitUntil(lambda: listed(window) == ["d07"])
    press(window, "Ctrl+PgDown")
    assert shown(window) == "d07"
    assert window.document_list.filter_bar.count_label.text() == "1 document(s)"


def test_a_document_added_elsewhere_joins_the_filtered_list(qtbot, path: Path) -> None:
    window = open_window(qtbot, path)
    box = window.document_list.filter_bar.text_edit
    type_in(box, "جنيف")
    QTest.keyClick(box, Qt.Key.Key_Return)
    assert listed(window) == ["d07"]
    with Project.open(path, annotator="other") as other:  # another program imports one
        other.add_document("وصل الوفد إلى جنيف اليوم", doc_id="d12", title="خبر جديد")
    qtbot.waitUntil(lambda: listed(window) == ["d07", "d12"], timeout=10_000)
    press(window, "Ctrl+PgDown")
    press(window, "Ctrl+PgDown")
    assert shown(window) == "d12"


def test_changing_the_filter_while_a_document_is_open(qtbot, path: Path) -> None:
    window = open_window(qtbot, path)
    click_row(qtbot, window, "d06")
    window.text_view.select_range(0, 3)  # the reader has selected قال
    assert window.session.text_selection == (0, 3)
    bar = window.document_list.filter_bar
    choose(qtbot, bar.annotator_combo, "karim")
    # d06 is not karim's: it stays open, selection and all, with no row selected.
    assert listed(window) == ["d04", "d08"]
    assert shown(window) == "d06" and window.session.text_selection == (0, 3)
    assert selected_row(window) is None
    press(window, "Ctrl+PgDown")  # the next of karim's after d06
    assert shown(window) == "d08" and selected_row(window) == "d08"
    assert window.session.text_selection is None  # opening a document drops the selection
    press(window, "Ctrl+PgUp")
    press(window, "Ctrl+PgUp")
    assert shown(window) == "d04"
    assert message(window) == "Start of the list: no previous document"


def test_the_filter_and_the_document_survive_a_restart(qtbot, path: Path) -> None:
    first = MainWindow(path, annotator="tester")  # closing deletes it: not for qtbot
    first.show()
    first.activateWindow()
    qtbot.waitUntil(first.isActiveWindow)  # the keys are window shortcuts
    bar = first.document_list.filter_bar
    choose(qtbot, bar.status_combo, "not done")
    choose(qtbot, bar.annotator_combo, "mona")
    qtbot.mouseClick(bar.review_box, Qt.MouseButton.LeftButton)
    press(first, "Ctrl+PgDown")
    press(first, "Ctrl+PgDown")
    assert first.session.doc_id == "d05"
    first.close()
    second = open_window(qtbot, path)
    again = second.document_list.filter_bar
    assert again.status_combo.currentText() == "not done"
    assert again.annotator_combo.currentText() == "mona"
    assert again.review_box.isChecked()
    assert listed(second) == ["d01", "d05"]
    assert shown(second) == "d05" and selected_row(second) == "d05"
    press(second, "Ctrl+PgUp")
    assert shown(second) == "d01"


def test_a_saved_filter_naming_an_annotator_who_left_is_still_shown(
    qtbot, path: Path, tmp_path: Path
) -> None:
    from annotator.gui import preferences

    preferences.set_document_filter(path, '{"annotator": "salma", "statuses": ["done", 7]}')
    window = open_window(qtbot, path)
    bar = window.document_list.filter_bar
    assert bar.annotator_combo.currentText() == "salma"
    assert bar.status_combo.currentText() == "done"
    assert listed(window) == []
    assert shown(window) == "d00"  # nothing in the list: the project's first document


# ---- lazy at any size ---------------------------------------------------------------------


@pytest.fixture
def many(tmp_path: Path) -> Path:
    """1,000 documents; every third one done."""
    target = tmp_path / "many.sqlite"
    with Project.create(target, annotator="tester") as project:
        project.import_documents(
            DocumentRecord(text=f"{TEXT} {n}", id=f"m{n:04d}", title=f"خبر {n}")
            for n in range(1000)
        )
        with project.write():
            project.db.execute("UPDATE documents SET status = 'done' WHERE position % 3 = 0")
    return target


def test_the_list_loads_a_page_at_a_time_and_counts_in_slices(
    qtbot, many: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(document_list_module, "COUNT_SLICE", 100)
    window = open_window(qtbot, many)
    model = window.document_list.model
    bar = window.document_list.filter_bar
    page = document_list_module.PAGE
    assert model.rowCount() <= 2 * page and model.total == 1000
    choose(qtbot, bar.status_combo, "not done")
    assert model.rowCount() == page  # one page read; the count follows in slices
    assert model.counting() and bar.count_label.text() == "counting…"
    qtbot.waitUntil(lambda: model.total == 666)
    assert bar.count_label.text() == "666 document(s)"
    assert model.rowCount() == page
    # Next from the last loaded row loads one more page, not the whole list.
    click_row(qtbot, window, model.row(page - 1).id)
    press(window, "Ctrl+PgDown")
    assert shown(window) == model.row(page).id == "m0301"  # m0300 is done
    assert model.rowCount() == 2 * page
    assert selected_row(window) == "m0301"


@pytest.mark.parametrize(("last", "revealed"), [("m0250", True), ("m0900", False)])
def test_a_restart_down_the_list_loads_only_what_it_shows(
    qtbot, many: Path, monkeypatch: pytest.MonkeyPatch, last: str, revealed: bool
) -> None:
    from annotator.gui import preferences

    monkeypatch.setattr(document_list_module, "REVEAL_ROWS", 300)
    preferences.set_last_document(many, last)
    window = open_window(qtbot, many)
    assert shown(window) == last
    # Near the loaded rows, the pages up to it load and its row is selected; far down the
    # list, nothing more loads.
    assert selected_row(window) == (last if revealed else None)
    assert window.document_list.model.rowCount() <= 2 * document_list_module.PAGE
    press(window, "Ctrl+PgDown")
    assert shown(window) == f"m{int(last[1:]) + 1:04d}"


def test_next_far_down_the_list_does_not_measure_the_distance_again(
    qtbot, many: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.gui import preferences
    from annotator.store.listing import DocumentListing

    monkeypatch.setattr(document_list_module, "REVEAL_ROWS", 300)
    measured: list[str] = []
    count_before = DocumentListing.count_before

    def spy(self: DocumentListing, doc_id: str, after: str | None, most: int) -> int:
        measured.append(doc_id)
        return count_before(self, doc_id, after, most)

    monkeypatch.setattr(DocumentListing, "count_before", spy)
    preferences.set_last_document(many, "m0900")
    window = open_window(qtbot, many)
    for _ in range(5):
        press(window, "Ctrl+PgDown")
    assert shown(window) == "m0905" and measured == ["m0900"]
    window.open_document("m0250")  # back near the loaded rows: shown in the list again
    assert selected_row(window) == "m0250"


def test_the_filter_bar_in_arabic(qtbot, path: Path) -> None:
    window = open_window(qtbot, path)
    window.actions_by_name["language_ar"].trigger()
    bar = window.document_list.filter_bar
    assert bar.status_combo.itemText(0) == "أي حالة"
    assert bar.annotator_combo.itemText(0) == "أي معلّق"
    assert bar.review_box.text() == "حالات مراجعة مفتوحة"
    assert window.actions_by_name["next_document"].text() == "المستند ال&تالي"
    press(window, "Ctrl+PgUp")
    assert message(window) == "بداية القائمة: لا مستند سابق"
