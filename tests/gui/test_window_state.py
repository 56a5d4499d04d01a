"""What a key or a click acts on, in the orders a person really uses the window.

Each test here drives real widgets with mouse and key events and reads the project file back
through a second connection: an edit changes exactly what the user pointed at, or is refused
with a message and changes nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPushButton, QWidget
from window_helpers import SEED_ID, at, on_disk, open_window, press

from annotator.gui import MainWindow
from annotator.session import Layer
from annotator.store import Project


@pytest.fixture
def window(qtbot, seeded: Project) -> MainWindow:
    opened = open_window(qtbot, seeded.path)
    opened.set_layer("tester")
    return opened


def click_palette(qtbot, window: MainWindow, label_id: str) -> None:
    palette = window.label_palette
    row = palette.label_ids.index(label_id)
    rect = palette.visualItemRect(palette.item(row, 2))
    qtbot.mouseClick(palette.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def click_listed(qtbot, window: MainWindow, span_id: str) -> None:
    listed = window.annotation_list
    rect = listed.row_rect(span_id)
    qtbot.mouseClick(listed.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def drag(qtbot, window: MainWindow, start: int, last: int) -> None:
    """Press on the letter at ``start`` and release on the letter at ``last``."""
    view = window.text_view
    end = view.point_for_offset(last)
    begin = view.point_for_offset(start)  # scrolled in after ``last``: both stay on screen
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=begin)
    qtbot.mouseMove(view.viewport(), pos=end)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=end)


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` key by key (QTest's keyClicks cannot type Arabic letters)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def annotate_words(window: MainWindow, words: str, key: str, nth: int = 0) -> str:
    start, end = at(window.session.text, words, nth)
    window.text_view.select_range(start, end)
    press(window, key)
    span = window.session.selected_span()
    assert span is not None and window.session.text[span.start : span.end] == words
    return span.id


def stored(path: Path) -> list[tuple[str, str, dict[str, str]]]:
    text = Project.open(path, annotator="reader").document(SEED_ID).text
    return [(s.label, text[s.start : s.end], dict(s.attrs)) for s in on_disk(path)]


# ---- 1. a palette click never changes a span's kind or drops what it carries ---------------


def test_palette_click_on_a_selected_quote_is_refused(qtbot, window: MainWindow) -> None:
    path = window.project.path
    annotate_words(window, "موسكو لم تتلق بعد", "Q")
    assert stored(path) == [("QUOTE", "موسكو لم تتلق بعد", {"type": "direct"})]
    click_palette(qtbot, window, "NORP")
    assert stored(path) == [("QUOTE", "موسكو لم تتلق بعد", {"type": "direct"})]
    assert "only within its kind" in window.statusBar().currentMessage()
    assert window.session.selected_span().label == "QUOTE"  # still shown as it is on disk


def test_palette_click_on_a_linked_quote_says_why(qtbot, window: MainWindow) -> None:
    path = window.project.path
    cue = annotate_words(window, "قال", "V")
    quote = annotate_words(window, "موسكو لم تتلق بعد", "Q")
    window.session.link("CUE", quote, cue)
    click_palette(qtbot, window, "ORG")
    message = window.statusBar().currentMessage()
    assert "QUOTE is a quote and ORG is an entity" in message
    assert "a CUE link starts" not in message
    assert [label for label, _, _ in stored(path)] == ["CUE", "QUOTE"]


def test_palette_click_relabels_within_the_kind_and_keeps_the_link(
    qtbot, window: MainWindow
) -> None:
    path = window.project.path
    speaker = annotate_words(window, "سيرجي لافروف", "P", nth=2)
    quote = annotate_words(window, "موسكو لم تتلق بعد", "Q")
    window.session.link("SPEAKER", quote, speaker)
    window.select_span(speaker)
    click_palette(qtbot, window, "ORG")
    assert ("ORG", "سيرجي لافروف", {}) in stored(path)
    with Project.open(path, annotator="reader") as project:
        assert [(r.type, r.tail) for r in project.relations(SEED_ID, ["tester"])] == [
            ("SPEAKER", speaker)
        ]


# ---- 2. a stale text selection never takes a label key ---------------------------------------


def test_selection_from_another_layer_does_not_take_the_next_key(qtbot, window: MainWindow) -> None:
    path = window.project.path
    org = annotate_words(window, "الولايات المتحدة", "O")
    window.set_layer("example")
    far = at(window.session.text, "جنيف")
    drag(qtbot, window, far[0], far[1] - 1)
    assert window.session.text_selection == far
    window.set_layer("tester")
    assert window.session.text_selection is None
    assert not window.text_view.textCursor().hasSelection()
    click_listed(qtbot, window, org)
    press(window, "G")
    assert stored(path) == [("GPE", "الولايات المتحدة", {})]


def test_picking_an_annotation_drops_the_text_selection(qtbot, window: MainWindow) -> None:
    path = window.project.path
    org = annotate_words(window, "الولايات المتحدة", "O")
    far = at(window.session.text, "جنيف")
    drag(qtbot, window, far[0], far[1] - 1)
    click_listed(qtbot, window, org)
    press(window, "G")
    assert stored(path) == [("GPE", "الولايات المتحدة", {})]


# ---- 4. two windows on one project -----------------------------------------------------------


def test_undo_in_one_window_never_deletes_another_windows_edit(qtbot, seeded: Project) -> None:
    a = open_window(qtbot, seeded.path)
    a.set_layer("tester")
    person = annotate_words(a, "سيرجي لافروف", "P", nth=2)
    b = open_window(qtbot, seeded.path)
    b.set_layer("tester")
    assert person in b.session.spans
    click_listed(qtbot, b, person)
    press(b, "N")
    assert stored(seeded.path) == [("NORP", "سيرجي لافروف", {})]
    a.activateWindow()
    qtbot.waitUntil(a.isActiveWindow)
    press(a, "Ctrl+Z")
    assert stored(seeded.path) == [("NORP", "سيرجي لافروف", {})]
    assert "changed since it was shown" in a.statusBar().currentMessage()
    assert a.session.spans[person].label == "NORP"  # A shows what is on disk
    b.activateWindow()
    qtbot.waitUntil(b.isActiveWindow)
    press(b, "Ctrl+Z")
    assert stored(seeded.path) == [("PER", "سيرجي لافروف", {})]
    assert "no span" not in b.statusBar().currentMessage()


def test_window_refreshes_when_another_window_deletes(qtbot, seeded: Project) -> None:
    a = open_window(qtbot, seeded.path)
    a.set_layer("tester")
    person = annotate_words(a, "سيرجي لافروف", "P", nth=2)
    with Project.open(seeded.path, annotator="tester") as other:
        other.delete_span(SEED_ID, person)
    qtbot.waitUntil(lambda: person not in a.session.spans, timeout=5000)  # the watcher
    assert person not in [s.id for s in a.text_view.spans()]
    assert a.annotation_list.span_ids() == []


# ---- 5. focus after find and palette: Ctrl+Z undoes the document's last edit ----------------


def test_annotate_all_then_ctrl_z_undoes_the_annotations(qtbot, window: MainWindow) -> None:
    path = window.project.path
    press(window, "Ctrl+F")
    type_text(window.find_bar.query, "موسكو")
    qtbot.mouseClick(window.find_bar.buttons["Annotate all…"], Qt.MouseButton.LeftButton)
    dialog = window.editing.annotate_all_preview
    assert dialog is not None
    dialog.set_label("GPE")
    made = len(dialog.checked())
    assert made >= 2
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert [label for label, _, _ in stored(path)] == ["GPE"] * made
    assert QApplication.focusWidget() is window.text_view
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(path) == []
    assert window.find_bar.query.text() == "موسكو"


def test_ctrl_z_in_the_find_box_undoes_the_last_edit(qtbot, window: MainWindow) -> None:
    path = window.project.path
    annotate_words(window, "الولايات المتحدة", "O")
    press(window, "Ctrl+F")
    type_text(window.find_bar.query, "جنيف")
    assert QApplication.focusWidget() is window.find_bar.query
    qtbot.keyClick(window.find_bar.query, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(path) == []


def test_palette_click_gives_the_focus_back_to_the_article(qtbot, window: MainWindow) -> None:
    path = window.project.path
    press(window, "Ctrl+F")
    type_text(window.find_bar.query, "جنيف")
    start, end = at(window.session.text, "جنيف")
    window.text_view.select_range(start, end)
    click_palette(qtbot, window, "GPE")
    assert stored(path) == [("GPE", "جنيف", {})]
    assert QApplication.focusWidget() is window.text_view
    qtbot.keyClick(window.text_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(path) == []


# ---- 6. a drag that overshoots into the next paragraph ---------------------------------------


def test_drag_across_a_paragraph_break_is_refused_for_an_entity(qtbot, window: MainWindow) -> None:
    path = window.project.path
    text = window.session.text
    start = at(text, "سيرجي لافروف", 2)[0]
    last = at(text, "وأضاف")[0] + 2
    drag(qtbot, window, start, last)
    selection = window.session.text_selection
    assert selection is not None and "\n" in text[selection[0] : selection[1]]
    press(window, "P")
    assert stored(path) == []
    assert "may not cross a paragraph" in window.statusBar().currentMessage()
    press(window, "Q")  # a quote may run over paragraphs
    assert [label for label, _, _ in stored(path)] == ["QUOTE"]


# ---- 8. layout --------------------------------------------------------------------------------


def test_article_keeps_half_the_width_and_reset_layout_brings_it_back(
    qtbot, window: MainWindow
) -> None:
    article = window.centralWidget()
    qtbot.waitUntil(lambda: article.width() >= window.width() // 2 - 16)
    docks = [window.docks["documents"], window.docks["labels"]]
    window.resizeDocks(docks, [window.width(), window.width()], Qt.Orientation.Horizontal)
    QApplication.processEvents()
    # Squeezed as far as the docks can push: the longest word of the article still fits a
    # line twice over, so no word is broken across lines.
    longest = max(window.session.text.split(), key=len)
    room = window.text_view.viewport().width()
    assert room >= 2 * window.text_view.fontMetrics().horizontalAdvance(longest)
    window.actions_by_name["reset_layout"].trigger()
    qtbot.waitUntil(lambda: article.width() >= window.width() // 2 - 16)


def test_first_window_fits_the_screen_and_shows_the_demo_annotations(
    qtbot, seeded: Project
) -> None:
    window = open_window(qtbot, seeded.path)
    area = window.screen().availableGeometry()
    assert window.frameGeometry().width() <= area.width()
    assert window.height() <= area.height()
    assert window.session.layer == Layer.everyone()
    assert len(window.text_view.spans()) == 88
    assert window.documents.layer_combo.currentText() == "All annotators"


# ---- 9. review decisions in the same history; counts follow every edit ----------------------


def test_document_list_count_follows_every_edit(qtbot, window: MainWindow) -> None:
    model = window.document_list.model

    def count() -> str:
        return str(model.data(model.index(model.row_of(SEED_ID), 1)))

    assert count() == "88"
    annotate_words(window, "الولايات المتحدة", "O")
    assert count() == "89"
    press(window, "Ctrl+Z")
    assert count() == "88"
    press(window, "Ctrl+Shift+Z")
    assert count() == "89"


def test_review_decision_is_undone_and_redone_with_the_edit_keys(qtbot, window: MainWindow) -> None:
    path = window.project.path
    annotate_words(window, "الولايات المتحدة", "O")
    window.review.toggle.trigger()
    panel = window.review.panel
    qtbot.waitUntil(lambda: panel.current_case() is not None)
    button: QPushButton = panel.buttons["accept"]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    gold_after = on_disk(path, annotator="gold")
    assert len(gold_after) == 1
    press(window, "Ctrl+Z")
    assert on_disk(path, annotator="gold") == []
    assert "review decision" in window.statusBar().currentMessage()
    press(window, "Ctrl+Shift+Z")
    assert on_disk(path, annotator="gold") == gold_after


SCALED_WINDOW = """
import sys
from pathlib import Path
from PySide6.QtCore import QSettings
from annotator.gui.app import application
from annotator.gui.main_window import MainWindow
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, sys.argv[2])
app = application()
window = MainWindow(Path(sys.argv[1]), annotator="tester")
window.show()
app.processEvents()
view = window.text_view
longest = max(window.session.text.split(), key=len)
print(window.width(), window.centralWidget().width(), view.viewport().width(),
      view.fontMetrics().horizontalAdvance(longest), window.screen().availableGeometry().width())
window.close()
"""


@pytest.mark.parametrize("scale", ["1", "2"])
def test_article_keeps_half_the_window_at_every_scale_factor(
    seeded: Project, tmp_path: Path, scale: str
) -> None:
    import os
    import subprocess
    import sys

    # A 1600 x 1000 laptop screen: at scale factor 2 the window has 800 x 500 to live in.
    screens = tmp_path / "screen.json"
    screens.write_text(
        '{"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1600, "height": 1000,'
        ' "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}'
    )
    env = {
        **os.environ,
        "QT_SCALE_FACTOR": scale,
        "QT_QPA_PLATFORM": f"offscreen:configfile={screens}",
    }
    done = subprocess.run(
        [sys.executable, "-c", SCALED_WINDOW, str(seeded.path), str(tmp_path / "settings")],
        env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    window, article, room, word, screen = map(int, done.stdout.split())
    assert window <= screen
    assert article >= window // 2 - 16
    assert room >= 2 * word  # the longest word fits a line twice over: no word is broken


def test_read_only_media_is_said_in_the_window(
    qtbot, seeded: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A project SQLite could open only as an unchangeable file (read-only media) says so."""
    opened = Project.open

    def immutable_open(*args: object, **kwargs: object) -> Project:
        project = opened(*args, **kwargs)  # type: ignore[arg-type]
        project.immutable = True  # as the store sets it when the folder cannot take NAME-shm
        return project

    monkeypatch.setattr(Project, "open", staticmethod(immutable_open))
    window = open_window(qtbot, seeded.path)
    assert "read-only media" in window.statusBar().currentMessage()
