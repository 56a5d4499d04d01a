"""The consistency report in the window: opened by its key, a place activated by a double click
or Enter opens the article with that span or those words selected, ready for a label key."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTreeWidgetItem
from window_helpers import at, on_disk, open_window, press

from annotator.cli import main
from annotator.gui.consistency_panel import LABELS_COLUMN, TEXT_COLUMN, ConsistencyPanel
from annotator.gui.file_controller import OPEN_WINDOWS
from annotator.gui.i18n import Texts
from annotator.gui.main_window import MainWindow
from annotator.review.consistency import CONFLICT, Finding, Place
from annotator.store import Project

# بايدن is PER in d1 and ORG in d2; in d3 it is written but not labelled.
D1 = "قال الرئيس بايدن إن موسكو ترفض الحوار"
D2 = "أعلنت موسكو أن بايدن وصل إلى جنيف"
D3 = "استقبل الرئيس بايدن نظيره في واشنطن"


@pytest.fixture
def path(tmp_path: Path) -> Path:
    made = tmp_path / "corpus.sqlite"
    with Project.create(made, annotator="tester") as project:
        for doc_id, text in (("d1", D1), ("d2", D2), ("d3", D3)):
            project.add_document(text, doc_id=doc_id)
        project.add_span("d1", *at(D1, "بايدن"), "PER")
        project.add_span("d2", *at(D2, "بايدن"), "ORG")
        project.add_span("d3", *at(D3, "واشنطن"), "GPE")
    return made


def open_report(qtbot, window: MainWindow) -> None:
    """Press the report's key and wait for the findings."""
    press(window, "Ctrl+Shift+K")
    controller = window.consistency
    qtbot.waitUntil(controller.dock.isVisible)
    qtbot.waitUntil(lambda: controller.job is None and bool(controller.panel.findings))


def double_click(qtbot, window: MainWindow, item: QTreeWidgetItem) -> None:
    tree = window.consistency.panel.tree
    tree.scrollToItem(item)
    point = tree.visualItemRect(item).center()
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_report_lists_the_conflict_and_a_double_click_selects_the_span(qtbot, path: Path) -> None:
    window = open_window(qtbot, path)
    window.open_document("d3")
    open_report(qtbot, window)
    panel = window.consistency.panel
    assert panel.layers() == ["tester"]  # the user's own layer first
    tree = panel.tree
    texts = [tree.topLevelItem(k).text(TEXT_COLUMN) for k in range(tree.topLevelItemCount())]
    assert texts == ["بايدن", "بايدن"]  # one conflict, one unlabelled occurrence
    assert tree.topLevelItem(0).text(LABELS_COLUMN) == "PER 1 · ORG 1"
    # The first place of the conflict is a span to change; a double click jumps to it.
    conflict = next(f for f in panel.findings if f.kind == "labels")
    row = panel.findings.index(conflict)
    tree.topLevelItem(row).setExpanded(True)
    first = panel.place_items(row)[0]
    place = first.data(0, Qt.ItemDataRole.UserRole)[1]
    double_click(qtbot, window, first)
    assert window.session.document is not None
    assert window.session.document.id == place.doc_id
    span = window.session.selected_span()
    assert span is not None and (span.start, span.end) == (place.start, place.end)
    assert window.text_view.hasFocus()
    press(window, "P")  # the fix: relabel the selected span
    assert {s.label for s in on_disk(path, place.doc_id) if s.id == span.id} == {"PER"}


def test_enter_on_an_unlabelled_place_selects_the_words_for_a_label_key(qtbot, path: Path) -> None:
    window = open_window(qtbot, path)
    window.open_document("d1")
    open_report(qtbot, window)
    panel = window.consistency.panel
    row = next(k for k, f in enumerate(panel.findings) if f.kind == "unlabelled")
    panel.tree.topLevelItem(row).setExpanded(True)
    item = panel.place_items(row)[0]
    assert "⟦بايدن⟧" in item.text(TEXT_COLUMN)
    panel.tree.setFocus()
    panel.tree.setCurrentItem(item)
    QTest.keyClick(panel.tree, Qt.Key.Key_Return)
    assert window.session.document is not None and window.session.document.id == "d3"
    assert window.text_view.selected_range() == at(D3, "بايدن")
    press(window, "P")
    assert ("d3", *at(D3, "بايدن"), "PER") in {
        (s.doc_id, s.start, s.end, s.label) for s in on_disk(path, "d3")
    }


def test_gui_consistency_opens_the_window_with_the_report_shown(
    qtbot, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The window is opened as `annotator gui` opens it; the event loop is the test's own.
    monkeypatch.setattr(QApplication, "exec", lambda _app: 0)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run() installs its own
    result = CliRunner().invoke(main, ["gui", str(path), "--consistency"])
    assert result.exit_code == 0, result.output
    window = OPEN_WINDOWS.pop()
    qtbot.addWidget(window)
    controller = window.consistency
    assert controller.dock.isVisible()
    qtbot.waitUntil(lambda: controller.job is None and bool(controller.panel.findings))
    assert len(controller.panel.findings) == 2


def test_the_words_column_runs_right_to_left_against_its_right_edge(qtbot) -> None:
    panel = ConsistencyPanel(Texts())
    qtbot.addWidget(panel)
    panel.resize(900, 300)
    panel.show()
    qtbot.waitExposed(panel)
    place = Place("d1", 4, 9, "PER", "s1")
    finding = Finding(CONFLICT, "mona", "بايدن", "بايدن", (("PER", 1), ("ORG", 1)), 0, 1, (place,))
    panel.show_findings([finding], {place: "قال ⟦بايدن⟧: نعم."})
    tree = panel.tree
    item = panel.place_items(0)[0]
    row = tree.visualItemRect(item)
    left = tree.header().sectionPosition(TEXT_COLUMN)
    width = tree.header().sectionSize(TEXT_COLUMN)
    image = tree.viewport().grab().toImage()
    background = image.pixelColor(left + width // 2, row.center().y())
    inked = [
        x
        for x in range(left, left + width)
        for y in range(row.top(), row.bottom())
        if image.pixelColor(x, y) != background
    ]
    assert inked and min(inked) > left + width // 2  # the words sit at the column's right edge
