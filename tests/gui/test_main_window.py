"""The main window driven through its real widgets; the store is read back after every edit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from window_helpers import SEED_ID, at, on_disk, open_window, press, use_private_settings

from annotator.gui import MainWindow
from annotator.gui.editor import ALL_ANNOTATORS
from annotator.store import Project


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path) -> Iterator[None]:
    """Keep the user's settings out of reach; leave the application left to right."""
    use_private_settings(tmp_path / "settings")
    yield
    QApplication.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


@pytest.fixture
def window(qtbot, seeded: Project) -> MainWindow:
    """A window on the seed article (with the "example" annotator's layer in the project)."""
    return open_window(qtbot, seeded.path)


def test_opens_on_own_layer_and_shows_example_layer_on_request(window: MainWindow) -> None:
    assert window.editor.document.id == SEED_ID
    assert window.annotation_list.span_ids() == []
    assert "88 annotation(s)" in window.statusBar().currentMessage()  # points at the others
    combo = window.layer_combo
    combo.setCurrentIndex(combo.findData("example"))
    combo.activated.emit(combo.currentIndex())
    assert len(window.text_view.spans()) == 88
    window.layer_actions["tester"].trigger()
    assert window.text_view.spans() == []
    window.layer_actions["example"].trigger()
    assert len(window.annotation_list.span_ids()) == len(window.project.spans(SEED_ID)) == 88
    assert len(window.text_view.spans()) == 88
    window.layer_actions[ALL_ANNOTATORS].trigger()
    assert len(window.text_view.spans()) == 88


def test_select_and_label_key_saves_a_whole_word_span(window: MainWindow, seed_text: str) -> None:
    start, end = at(seed_text, "لافروف", 3)
    window.text_view.select_range(start + 1, end - 2)  # a drag inside the word snaps to it
    press(window, "P")
    spans = on_disk(window.project.path)
    assert [(s.label, s.text_in(seed_text), s.annotator) for s in spans] == [
        ("PER", "لافروف", "tester")
    ]
    assert window.selected_span == spans[0].id
    assert window.status_combo.currentData() == "in_progress"
    assert window.document_list.model.row(0).status == "in_progress"
    assert window.inspector.heading.text().startswith("PER")


def test_relabel_delete_undo_redo(qtbot, window: MainWindow, seed_text: str) -> None:
    start, end = at(seed_text, "موسكو")
    window.text_view.select_range(start, end)
    window.annotate("PER")
    span_id = window.selected_span
    combo = window.inspector.label_combo
    combo.setCurrentIndex(combo.findData("GPE"))
    combo.activated.emit(combo.currentIndex())
    assert [s.label for s in on_disk(window.project.path)] == ["GPE"]
    press(window, "Delete")
    assert on_disk(window.project.path) == []
    assert window.text_view.spans() == []
    press(window, "Ctrl+Z")
    assert [(s.id, s.label) for s in on_disk(window.project.path)] == [(span_id, "GPE")]
    press(window, "Ctrl+Z")
    assert [s.label for s in on_disk(window.project.path)] == ["PER"]
    window.undo_stack.redo()
    window.undo_stack.redo()
    assert on_disk(window.project.path) == []


def test_label_key_relabels_the_selected_span(window: MainWindow, seed_text: str) -> None:
    window.text_view.select_range(*at(seed_text, "تاس"))
    window.annotate("PER")
    window.text_view.clear_selection()
    press(window, "O")
    assert [(s.label, s.text_in(seed_text)) for s in on_disk(window.project.path)] == [
        ("ORG", "تاس")
    ]


def test_move_edges_by_keyboard_strips_a_clitic(window: MainWindow, seed_text: str) -> None:
    # وواشنطن: word snapping takes the attached و; Alt+Shift+Left moves the start one letter on.
    start, end = at(seed_text, "وواشنطن")
    window.text_view.select_range(start, end)
    window.annotate("GPE")
    press(window, "Alt+Shift+Left")
    assert [s.text_in(seed_text) for s in on_disk(window.project.path)] == ["واشنطن"]
    press(window, "Alt+Right")
    assert [s.text_in(seed_text) for s in on_disk(window.project.path)] == ["واشنط"]
    press(window, "Alt+Left")
    press(window, "Alt+Shift+Right")
    assert [s.text_in(seed_text) for s in on_disk(window.project.path)] == ["وواشنطن"]
    window.undo_stack.undo()
    assert [s.text_in(seed_text) for s in on_disk(window.project.path)] == ["واشنطن"]


def test_edge_never_splits_a_letter_from_its_marks(window: MainWindow, seed_text: str) -> None:
    start, end = at(seed_text, "رَدًّا")
    window.text_view.select_range(start, end)
    window.annotate("MISC")
    press(window, "Alt+Right")
    span = on_disk(window.project.path)[0]
    assert span.text_in(seed_text) == "رَدًّ"  # the alef went; the dal kept shadda and tanween


def test_find_all_previews_then_annotates_as_one_undo_step(
    qtbot, window: MainWindow, seed_text: str
) -> None:
    press(window, "Ctrl+F")
    assert window.find_bar.isVisible()
    window.find_bar.query.setText("بايدن")
    palette = window.palette
    row_rect = palette.visualItemRect(palette.item(palette.label_ids.index("PER"), 1))
    qtbot.mouseClick(palette.viewport(), Qt.MouseButton.LeftButton, pos=row_rect.center())
    assert palette.current == "PER"  # nothing is selected in the text, so nothing is saved
    assert on_disk(window.project.path) == []
    dialog = window.annotate_all_dialog()
    kinds = dialog.kinds()
    assert kinds.count("whole word") == seed_text.count(" بايدن")
    assert "inside a longer word" in kinds  # وبايدن is shown, not silently annotated
    dialog.accept()
    spans = on_disk(window.project.path)
    assert {s.text_in(seed_text) for s in spans} == {"بايدن"}
    assert len(spans) == kinds.count("whole word")
    window.undo_stack.undo()
    assert on_disk(window.project.path) == []


def test_document_list_filter_and_plain_titles(qtbot, tmp_path: Path) -> None:
    with Project.create(tmp_path / "titles.sqlite", annotator="tester") as project:
        project.add_document("نص أول", title="<b>عنوان</b>")
        project.add_document("نص ثان", title="خبر عن جنيف")
        project.add_document("نص ثالث", title="خبر عن موسكو")
    window = open_window(qtbot, tmp_path / "titles.sqlite")
    table = window.document_list.table
    assert table.model().rowCount() == 3
    assert table.model().index(0, 0).data() == "<b>عنوان</b>"
    window.document_list.filter_edit.setText("جنيف")
    assert table.model().rowCount() == 1
    qtbot.mouseClick(
        table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=table.visualRect(table.model().index(0, 0)).center(),
    )
    assert window.editor.text == "نص ثان"


def test_offsets_after_emoji_and_no_break_space(qtbot, tmp_path: Path) -> None:
    text = "🙂🙂 قال\u00a0بوتين إن روسيا 🇷🇺 مستعدة"
    with Project.create(tmp_path / "emoji.sqlite", annotator="tester") as project:
        project.add_document(text, title="emoji")
    window = open_window(qtbot, tmp_path / "emoji.sqlite")
    for word, label in (("بوتين", "PER"), ("مستعدة", "MISC"), ("روسيا", "GPE")):
        window.text_view.select_range(*at(text, word))
        window.annotate(label)
    spans = on_disk(window.project.path, window.editor.doc_id)
    assert sorted((s.start, s.end, s.text_in(text)) for s in spans) == sorted(
        (*at(text, w), w) for w in ("بوتين", "مستعدة", "روسيا")
    )


def test_document_status_from_the_toolbar(window: MainWindow) -> None:
    combo = window.status_combo
    combo.setCurrentIndex(combo.findData("done"))
    combo.activated.emit(combo.currentIndex())
    with Project.open(window.project.path) as disk:
        assert disk.document(SEED_ID).status == "done"
    assert window.document_list.model.row(0).status == "done"
    assert window.actions["status_done"].isChecked()
    press(window, "Ctrl+2")
    with Project.open(window.project.path) as disk:
        assert disk.document(SEED_ID).status == "in_progress"
    assert window.status_combo.currentData() == "in_progress"
    press(window, "Ctrl+Z")
    with Project.open(window.project.path) as disk:
        assert disk.document(SEED_ID).status == "done"
    assert window.status_combo.currentData() == "done"


def test_arabic_ui_mirrors_the_window(window: MainWindow) -> None:
    window.actions["language_ar"].trigger()
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.menus["file"].title() == "&ملف"
    assert window.docks["documents"].windowTitle() == "المستندات"
    window.actions["language_en"].trigger()
    assert window.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert window.menus["file"].title() == "&File"


def test_plain_text_in_inspector(window: MainWindow, seed_text: str) -> None:
    window.text_view.select_range(*at(seed_text, "بوتين"))
    window.annotate("PER")
    assert window.inspector.text_label.textFormat() == Qt.TextFormat.PlainText
    assert window.inspector.text_label.text() == "بوتين"


def test_edit_on_another_layer_is_refused_with_a_message(
    window: MainWindow, seed_text: str
) -> None:
    window.layer_actions["example"].trigger()
    window.text_view.select_range(*at(seed_text, "جنيف"))
    window.annotate("GPE")
    assert "read-only" in window.statusBar().currentMessage()
    assert on_disk(window.project.path) == []
    assert len(on_disk(window.project.path, annotator="example")) == 88


def test_reopened_window_shows_what_was_saved(qtbot, seeded: Project, seed_text: str) -> None:
    first = MainWindow(seeded.path, annotator="tester")  # closing deletes it: not for qtbot
    first.show()
    first.text_view.select_range(*at(seed_text, "بيسكوف"))
    first.annotate("PER")
    first.resize(701, 555)
    first.close()
    second = open_window(qtbot, seeded.path)
    assert [
        second.editor.spans[i].text_in(seed_text) for i in second.annotation_list.span_ids()
    ] == ["بيسكوف"]
    assert second.size().width() == 701
    assert str(seeded.path.resolve()) in [a.text() for a in second.recent_menu.actions()]


def test_key_event_with_arabic_text_reaches_the_find_box(qtbot, window: MainWindow) -> None:
    press(window, "Ctrl+F")
    event = QKeyEvent(QKeyEvent.Type.KeyPress, 0, Qt.KeyboardModifier.NoModifier, "ب")
    QApplication.sendEvent(window.find_bar.query, event)
    assert window.find_bar.query.text() == "ب"
    assert window.find_bar.matches


def test_click_selects_a_span_and_the_list_jumps_to_one(
    qtbot, window: MainWindow, seed_text: str
) -> None:
    view = window.text_view
    view.select_range(*at(seed_text, "بيسكوف"))
    window.annotate("PER")
    first = window.selected_span
    view.select_range(*at(seed_text, "الاتحاد الأوروبي", 2))
    window.annotate("ORG")
    window.escape()
    assert window.selected_span is None and view.selected_span_id() is None
    qtbot.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=view.point_for_offset(at(seed_text, "بيسكوف")[0] + 2),
    )
    assert window.selected_span == first
    assert window.inspector.text_label.text() == "بيسكوف"
    item = window.annotation_list.topLevelItem(1)
    window.annotation_list.itemClicked.emit(item, 0)
    second = window.selected_span
    assert window.editor.spans[second].text_in(seed_text) == "الاتحاد الأوروبي"
    low, high = view.visible_range()
    assert low <= window.editor.spans[second].start < high


def test_undo_after_switching_documents_goes_back_to_that_document(qtbot, tmp_path: Path) -> None:
    with Project.create(tmp_path / "two.sqlite", annotator="tester") as project:
        first = project.add_document("قال بوتين إن روسيا مستعدة", title="أول").id
        second = project.add_document("قال بايدن إن أمريكا مستعدة", title="ثان").id
    window = open_window(qtbot, tmp_path / "two.sqlite")
    window.text_view.select_range(4, 9)
    window.annotate("PER")
    window.open_document(second)
    window.undo_stack.undo()
    assert window.editor.doc_id == first
    assert on_disk(window.project.path, first) == []
    assert window.document_list.table.currentIndex().row() == 0
    window.open_document(second)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)  # qtbot closes it again
    window.close()
    assert open_window(qtbot, tmp_path / "two.sqlite").editor.doc_id == second  # reopens there


def test_project_that_cannot_open_is_reported(qtbot, window: MainWindow, tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database", encoding="utf-8")
    window.open_project(junk)
    assert "junk.sqlite" in window.statusBar().currentMessage()
    assert window.isVisible()  # the open project stays open


def test_preferences_name_is_saved_and_used(qtbot, window: MainWindow) -> None:
    from annotator.gui import preferences
    from annotator.store import default_annotator

    assert preferences.annotator_name() == default_annotator()
    dialog = preferences.PreferencesDialog(window.texts, window)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("mona")
    dialog.accept()
    assert preferences.annotator_name() == "mona"
    second = MainWindow(window.project.path)
    qtbot.addWidget(second)
    assert second.project.annotator == "mona"


def test_undo_the_store_refuses_is_reported(window: MainWindow, seed_text: str) -> None:
    window.text_view.select_range(*at(seed_text, "بيسكوف"))
    window.annotate("PER")
    span_id = window.selected_span
    with Project.open(window.project.path, annotator="tester") as other:
        other.delete_span(SEED_ID, span_id)  # another program removes it behind the window
    window.undo_stack.undo()
    assert span_id in window.statusBar().currentMessage()


def test_mouse_drag_then_label_key_after_the_no_break_space(
    qtbot, window: MainWindow, seed_text: str
) -> None:
    # The seed article's U+00A0 sits just before this paragraph; Qt shows it as a space.
    nbsp = seed_text.index("\u00a0")
    start, end = at(seed_text, "دميتري بيسكوف")
    assert nbsp < start
    view = window.text_view
    first, last = view.point_for_offset(start + 1), view.point_for_offset(end - 2)
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=first)
    qtbot.mouseMove(viewport, pos=last)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=last)
    assert view.selected_range() == (start, end)
    press(window, "P")
    assert [(s.start, s.end, s.text_in(seed_text)) for s in on_disk(window.project.path)] == [
        (start, end, "دميتري بيسكوف")
    ]


def test_labelling_with_no_document_open_says_so(qtbot, tmp_path: Path) -> None:
    Project.create(tmp_path / "empty.sqlite", annotator="tester").close()
    window = open_window(qtbot, tmp_path / "empty.sqlite")
    press(window, "P")
    assert "select some text" in window.statusBar().currentMessage()
    window.text_view.set_content("", [], window.project.schema)
    window.annotate("PER")
    assert window.statusBar().currentMessage()


def test_new_project_opens_in_a_new_window(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from annotator.gui.window_actions import OPEN_WINDOWS

    target = tmp_path / "fresh.sqlite"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)  # qtbot closes it again
    press(window, "Ctrl+N")
    fresh = OPEN_WINDOWS[-1]
    qtbot.addWidget(fresh)
    assert fresh.project.path == target and fresh.isVisible() and not window.isVisible()
    assert fresh.document_list.model.rowCount() == 0
    assert [a.text() for a in fresh.recent_menu.actions()][:2] == [
        str(target.resolve()),
        str(window.project.path.resolve()),
    ]
    fresh.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    OPEN_WINDOWS.remove(fresh)


def test_markup_in_an_article_shows_literally(qtbot, tmp_path: Path) -> None:
    text = "قال <b>المتحدث</b> إن <script>alert(1)</script> خبر"
    with Project.create(tmp_path / "markup.sqlite", annotator="tester") as project:
        project.add_document(text, title="<i>عنوان</i>")
    window = open_window(qtbot, tmp_path / "markup.sqlite")
    window.text_view.set_character_precision(True)
    window.text_view.select_range(*at(text, "<b>المتحدث</b>"))
    window.annotate("PER")
    assert window.inspector.text_label.text() == "<b>المتحدث</b>"
    assert window.annotation_list.topLevelItem(0).text(1) == "<b>المتحدث</b>"
    assert window.windowTitle().startswith("<i>عنوان</i>")
    assert window.document_list.model.index(0, 0).data() == "<i>عنوان</i>"
    assert [s.text_in(text) for s in on_disk(window.project.path, window.editor.doc_id)] == [
        "<b>المتحدث</b>"
    ]
