"""The main window driven through its real widgets; the store is read back after every edit."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QComboBox
from window_helpers import (
    SEED_ID,
    at,
    click_list_row,
    list_cell,
    on_disk,
    open_window,
    press,
)

from annotator.gui import MainWindow
from annotator.gui.file_controller import OPEN_WINDOWS
from annotator.session import Layer
from annotator.store import Project


@pytest.fixture
def window(qtbot, seeded: Project) -> MainWindow:
    """A window on the seed article showing the user's own (empty) layer; the "example"
    annotator's 88 annotations are in the project."""
    return open_window(qtbot, seeded.path, layer="tester")


def choose_in_combo(combo: QComboBox, layer: Layer) -> None:
    """Pick ``layer`` in the toolbar's Show box as the user would."""
    index = next(i for i in range(combo.count()) if combo.itemData(i) == layer)
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def test_opens_on_everyones_layer_while_only_others_annotated(qtbot, seeded: Project) -> None:
    # "tester" has no annotation here and "example" has 88: the window shows them all.
    window = open_window(qtbot, seeded.path)
    assert window.session.document.id == SEED_ID
    assert window.session.layer == Layer.everyone()
    assert len(window.annotation_list.span_ids()) == len(window.text_view.spans()) == 88
    choose_in_combo(window.documents.layer_combo, Layer.of("tester"))
    assert window.annotation_list.span_ids() == []
    assert window.text_view.spans() == []
    assert "88 annotation(s)" in window.statusBar().currentMessage()  # points at the others
    show = window.documents  # View > Annotations shown is rebuilt at every switch
    show.layer_actions[Layer.of("example")].trigger()
    assert len(window.annotation_list.span_ids()) == len(window.project.spans(SEED_ID)) == 88
    assert len(window.text_view.spans()) == 88
    show.layer_actions[Layer.of("tester")].trigger()
    assert window.text_view.spans() == []
    show.layer_actions[Layer.everyone()].trigger()
    assert len(window.text_view.spans()) == 88


def test_opens_on_own_layer_once_the_user_has_annotations(
    qtbot, seeded: Project, seed_text: str
) -> None:
    seeded.add_span(SEED_ID, *at(seed_text, "بوتين"), "PER")  # by "tester"
    window = open_window(qtbot, seeded.path)
    assert window.session.layer == Layer.of("tester")
    shown = [window.session.spans[i] for i in window.annotation_list.span_ids()]
    assert [(s.text_in(seed_text), s.annotator) for s in shown] == [("بوتين", "tester")]


def test_own_annotations_are_made_on_everyones_layer_and_others_stay_read_only(
    qtbot, seeded: Project, seed_text: str
) -> None:
    window = open_window(qtbot, seeded.path)
    assert window.session.layer == Layer.everyone()
    window.text_view.select_range(*at(seed_text, "لافروف", 3))
    press(window, "P")
    press(window, "O")  # the user's own annotation relabels here too
    spans = on_disk(window.project.path)
    assert [(s.label, s.text_in(seed_text)) for s in spans] == [("ORG", "لافروف")]
    assert spans[0].id in {s.id for s in window.text_view.spans()}
    example = window.project.spans(SEED_ID, ["example"])[0]
    window.select_span(example.id)
    press(window, "Delete")
    assert "example" in window.statusBar().currentMessage()
    assert len(on_disk(window.project.path, annotator="example")) == 88


def test_select_and_label_key_saves_a_whole_word_span(window: MainWindow, seed_text: str) -> None:
    start, end = at(seed_text, "لافروف", 3)
    window.text_view.select_range(start + 1, end - 2)  # a drag inside the word snaps to it
    press(window, "P")
    spans = on_disk(window.project.path)
    assert [(s.label, s.text_in(seed_text), s.annotator) for s in spans] == [
        ("PER", "لافروف", "tester")
    ]
    assert window.session.selected == spans[0].id
    assert window.documents.status_combo.currentData() == "in_progress"
    assert window.document_list.model.row(0).status == "in_progress"
    assert window.inspector.heading.text().startswith("PER")


def test_relabel_delete_undo_redo(qtbot, window: MainWindow, seed_text: str) -> None:
    start, end = at(seed_text, "موسكو")
    window.text_view.select_range(start, end)
    window.annotate("PER")
    span_id = window.session.selected
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
    window.actions_by_name["redo"].trigger()  # Edit > Redo
    window.actions_by_name["redo"].trigger()
    assert on_disk(window.project.path) == []


def test_label_key_relabels_the_selected_span(window: MainWindow, seed_text: str) -> None:
    window.text_view.select_range(*at(seed_text, "تاس"))
    window.annotate("PER")
    window.text_view.clear_selection()
    press(window, "O")
    assert [(s.label, s.text_in(seed_text)) for s in on_disk(window.project.path)] == [
        ("ORG", "تاس")
    ]


def test_palette_click_labels_the_text_selection_else_the_selected_annotation(
    window: MainWindow, seed_text: str
) -> None:
    view, palette = window.text_view, window.label_palette
    view.select_range(*at(seed_text, "بيسكوف"))
    palette.click("PER")
    person = window.session.selected
    view.select_range(*at(seed_text, "موسكو"))  # text selected: a new annotation
    palette.click("GPE")
    window.select_span(person)  # no text selected: the selected annotation is relabelled
    palette.click("ORG")
    assert sorted((s.label, s.text_in(seed_text)) for s in on_disk(window.project.path)) == [
        ("GPE", "موسكو"),
        ("ORG", "بيسكوف"),
    ]


def test_text_selection_is_dropped_when_the_layer_or_the_annotation_changes(
    qtbot, window: MainWindow, seed_text: str
) -> None:
    view = window.text_view
    view.select_range(*at(seed_text, "بيسكوف"))
    window.annotate("PER")
    person = window.session.selected
    view.select_range(*at(seed_text, "موسكو"))
    window.set_layer(Layer.everyone())
    window.set_layer("tester")
    assert view.selected_range() is None
    press(window, "G")  # nothing is selected any more: nothing is saved
    assert "select some text" in window.statusBar().currentMessage()
    view.select_range(*at(seed_text, "موسكو"))
    listing = window.annotation_list
    click_list_row(qtbot, listing, listing.span_ids().index(person))
    assert view.selected_range() is None
    press(window, "O")  # acts on the annotation clicked, not on the text selected before
    assert [(s.label, s.text_in(seed_text)) for s in on_disk(window.project.path)] == [
        ("ORG", "بيسكوف")
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
    press(window, "Ctrl+Z")
    assert [s.text_in(seed_text) for s in on_disk(window.project.path)] == ["واشنطن"]


def test_edge_never_splits_a_letter_from_its_marks(window: MainWindow, seed_text: str) -> None:
    start, end = at(seed_text, "رَدًّا")
    window.text_view.select_range(start, end)
    window.annotate("MISC")
    press(window, "Alt+Right")
    span = on_disk(window.project.path)[0]
    assert span.text_in(seed_text) == "رَدًّ"  # the alef went; the dal kept shadda and tanween


def test_entity_across_a_paragraph_break_is_refused_with_a_message(
    window: MainWindow, seed_text: str
) -> None:
    start, end = at(seed_text, "سيرجي لافروف\nسيرجي لافروف")
    window.text_view.set_character_precision(True)
    window.text_view.select_range(start, end)
    press(window, "P")
    assert "PER span may not cross a paragraph" in window.statusBar().currentMessage()
    assert on_disk(window.project.path) == []
    press(window, "Q")  # a quote may span paragraphs
    assert [(s.label, s.start, s.end) for s in on_disk(window.project.path)] == [
        ("QUOTE", start, end)
    ]


def test_find_all_previews_then_annotates_as_one_undo_step(
    qtbot, window: MainWindow, seed_text: str
) -> None:
    press(window, "Ctrl+F")
    assert window.find_bar.isVisible()
    window.find_bar.query.setText("بايدن")
    palette = window.label_palette
    row_rect = palette.visualItemRect(palette.item(palette.label_ids.index("PER"), 1))
    qtbot.mouseClick(palette.viewport(), Qt.MouseButton.LeftButton, pos=row_rect.center())
    assert palette.current == "PER"  # nothing is selected in the text, so nothing is saved
    assert on_disk(window.project.path) == []
    dialog = window.editing.annotate_all_dialog()
    assert dialog.label() == "PER"  # the dialog starts on the palette's label
    kinds = dialog.kinds()
    assert kinds.count("whole word") == seed_text.count(" بايدن")
    assert "inside a longer word" in kinds  # وبايدن is shown, not silently annotated
    dialog.accept()
    spans = on_disk(window.project.path)
    assert {(s.label, s.text_in(seed_text)) for s in spans} == {("PER", "بايدن")}
    assert len(spans) == kinds.count("whole word")
    press(window, "Ctrl+Z")
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
    window.document_list.filter_bar.text_edit.setText("جنيف")  # applies once typing pauses
    qtbot.waitUntil(lambda: table.model().rowCount() == 1)
    qtbot.mouseClick(
        table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=table.visualRect(table.model().index(0, 0)).center(),
    )
    assert window.session.text == "نص ثان"


def test_offsets_after_emoji_and_no_break_space(qtbot, tmp_path: Path) -> None:
    text = "🙂🙂 قال\u00a0بوتين إن روسيا 🇷🇺 مستعدة"
    with Project.create(tmp_path / "emoji.sqlite", annotator="tester") as project:
        project.add_document(text, title="emoji")
    window = open_window(qtbot, tmp_path / "emoji.sqlite")
    for word, label in (("بوتين", "PER"), ("مستعدة", "MISC"), ("روسيا", "GPE")):
        window.text_view.select_range(*at(text, word))
        window.annotate(label)
    spans = on_disk(window.project.path, window.session.doc_id)
    assert sorted((s.start, s.end, s.text_in(text)) for s in spans) == sorted(
        (*at(text, w), w) for w in ("بوتين", "مستعدة", "روسيا")
    )


def test_document_status_from_the_toolbar(window: MainWindow) -> None:
    combo = window.documents.status_combo
    combo.setCurrentIndex(combo.findData("done"))
    combo.activated.emit(combo.currentIndex())
    with Project.open(window.project.path) as disk:
        assert disk.document(SEED_ID).status == "done"
    assert window.document_list.model.row(0).status == "done"
    assert window.actions_by_name["status_done"].isChecked()
    press(window, "Ctrl+2")
    with Project.open(window.project.path) as disk:
        assert disk.document(SEED_ID).status == "in_progress"
    assert combo.currentData() == "in_progress"
    press(window, "Ctrl+Z")
    with Project.open(window.project.path) as disk:
        assert disk.document(SEED_ID).status == "done"
    assert combo.currentData() == "done"


def test_arabic_ui_mirrors_the_window(window: MainWindow) -> None:
    window.actions_by_name["language_ar"].trigger()
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.menus["file"].title() == "&ملف"
    assert window.docks["documents"].windowTitle() == "المستندات"
    window.actions_by_name["language_en"].trigger()
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
    window.documents.layer_actions[Layer.of("example")].trigger()
    window.text_view.select_range(*at(seed_text, "جنيف"))
    window.annotate("GPE")
    assert "read-only" in window.statusBar().currentMessage()
    assert on_disk(window.project.path) == []
    assert len(on_disk(window.project.path, annotator="example")) == 88


def test_reopened_window_shows_what_was_saved(qtbot, seeded: Project, seed_text: str) -> None:
    first = MainWindow(seeded.path, annotator="tester")  # closing deletes it: not for qtbot
    first.show()
    first.set_layer("tester")  # the project opens on everyone's layer: only "example" annotated
    first.text_view.select_range(*at(seed_text, "بيسكوف"))
    first.annotate("PER")
    first.resize(701, 555)
    first.close()
    second = open_window(qtbot, seeded.path)  # the user has annotations now: their own layer
    assert [
        second.session.spans[i].text_in(seed_text) for i in second.annotation_list.span_ids()
    ] == ["بيسكوف"]
    assert second.size().width() == 701
    assert str(seeded.path.resolve()) in [a.text() for a in second.menus["recent"].actions()]


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
    first = window.session.selected
    view.select_range(*at(seed_text, "الاتحاد الأوروبي", 2))
    window.annotate("ORG")
    press(window, "Esc")
    assert window.session.selected is None and view.selected_span_id() is None
    qtbot.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=view.point_for_offset(at(seed_text, "بيسكوف")[0] + 2),
    )
    assert window.session.selected == first
    assert window.inspector.text_label.text() == "بيسكوف"
    click_list_row(qtbot, window.annotation_list, 1)
    second = window.session.selected
    assert window.session.spans[second].text_in(seed_text) == "الاتحاد الأوروبي"
    low, high = view.visible_range()
    assert low <= window.session.spans[second].start < high


def test_undo_after_switching_documents_goes_back_to_that_document(qtbot, tmp_path: Path) -> None:
    with Project.create(tmp_path / "two.sqlite", annotator="tester") as project:
        first = project.add_document("قال بوتين إن روسيا مستعدة", title="أول").id
        second = project.add_document("قال بايدن إن أمريكا مستعدة", title="ثان").id
    window = open_window(qtbot, tmp_path / "two.sqlite")
    window.text_view.select_range(4, 9)
    window.annotate("PER")
    window.open_document(second)
    window.actions_by_name["undo"].trigger()  # Edit > Undo
    assert window.session.doc_id == first
    assert on_disk(window.project.path, first) == []
    assert window.document_list.table.currentIndex().row() == 0
    window.open_document(second)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)  # qtbot closes it again
    window.close()
    assert open_window(qtbot, tmp_path / "two.sqlite").session.doc_id == second  # reopens there


def test_project_that_cannot_open_is_reported(qtbot, window: MainWindow, tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database", encoding="utf-8")
    window.files.open_project(junk)
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
    span_id = window.session.selected
    with Project.open(window.project.path, annotator="tester") as other:
        other.delete_span(SEED_ID, span_id)  # another program removes it behind the window
    press(window, "Ctrl+Z")
    assert span_id in window.statusBar().currentMessage()
    # The view re-read the disk, and the refused edit left the history.
    assert span_id not in {s.id for s in window.text_view.spans()}
    assert window.annotation_list.span_ids() == []
    assert not window.actions_by_name["undo"].isEnabled()


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
    path = tmp_path / "empty.sqlite"
    Project.create(path, annotator="tester").close()
    window = open_window(qtbot, path)
    status = window.statusBar()
    press(window, "P")
    assert "select some text" in status.currentMessage()
    status.clearMessage()  # the next label key must say it again, not leave the last words
    window.text_view.set_content("", [], window.project.schema)
    window.annotate("PER")
    assert "select some text" in status.currentMessage()
    assert window.session.selected is None and window.text_view.selected_span_id() is None
    assert window.text_view.spans() == [] and window.annotation_list.span_ids() == []
    with Project.open(path, annotator="reader") as disk:  # nothing was made on disk either
        assert disk.document_count() == 0


def test_new_project_opens_in_a_new_window(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "fresh.sqlite"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)  # qtbot closes it again
    press(window, "Ctrl+N")
    fresh = OPEN_WINDOWS[-1]
    qtbot.addWidget(fresh)
    assert fresh.project.path == target and fresh.isVisible() and not window.isVisible()
    assert fresh.document_list.model.rowCount() == 0
    assert [a.text() for a in fresh.menus["recent"].actions()][:2] == [
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
    assert list_cell(window.annotation_list, 0).data() == "<b>المتحدث</b>"
    assert window.windowTitle().startswith("<i>عنوان</i>")
    assert window.document_list.model.index(0, 0).data() == "<i>عنوان</i>"
    assert [s.text_in(text) for s in on_disk(window.project.path, window.session.doc_id)] == [
        "<b>المتحدث</b>"
    ]
