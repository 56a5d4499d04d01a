"""Shared helpers of the main-window tests: open a window, read the store back, press keys."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTreeView

from annotator.gui import MainWindow
from annotator.model.document import Span
from annotator.session import Layer
from annotator.store import Project

SEED_ID = "000_2024f0fe6e876b71"


def use_private_settings(folder: Path) -> None:
    """Point QSettings at ``folder`` so tests never touch the user's settings."""
    folder.mkdir(exist_ok=True)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))


def open_window(qtbot, path: Path, layer: str | None = None) -> MainWindow:
    """Open a window on ``path`` as annotator "tester", shown and active.

    ``layer``: then show that annotator's annotations, as View > Annotations shown does (a
    project where only others annotated opens on everyone's).
    """
    window = MainWindow(path, annotator="tester")
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    qtbot.waitUntil(window.isActiveWindow)  # label keys are window shortcuts
    if layer is not None:
        window.documents.layer_actions[Layer.of(layer)].trigger()
        assert window.session.layer == Layer.of(layer)
    return window


def on_disk(path: Path, doc_id: str = SEED_ID, annotator: str = "tester") -> list[Span]:
    """Read spans back through a second connection: what is on disk, not what the window holds."""
    with Project.open(path, annotator="reader") as project:
        return project.spans(doc_id, [annotator])


def at(text: str, word: str, nth: int = 0) -> tuple[int, int]:
    """Return the offsets of the ``nth`` occurrence of ``word`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return start, start + len(word)


def press(window: MainWindow, key: str) -> None:
    """Press a shortcut as a user would, through Qt's shortcut machinery."""
    combo = QKeySequence(key)[0]
    QTest.keyClick(window.text_view, combo.key(), combo.keyboardModifiers())


def list_cell(listing: QTreeView, row: int, column: int = 1) -> QModelIndex:
    """Return a cell of the annotation list (column 1: the span's text), scrolled into view."""
    index = listing.model().index(row, column)
    listing.scrollTo(index)
    return index


def click_list_row(qtbot, listing: QTreeView, row: int) -> None:
    """Click a row of the annotation list with the mouse."""
    point = listing.visualRect(list_cell(listing, row)).center()
    qtbot.mouseClick(listing.viewport(), Qt.MouseButton.LeftButton, pos=point)


def enter_on_list_row(listing: QTreeView, row: int) -> None:
    """Move to a row of the annotation list and press Enter on it."""
    # The keyboard focus is in the list, as it is for a person who moved there: Enter in the
    # article is Suggestions > Accept.
    listing.setFocus(Qt.FocusReason.TabFocusReason)
    listing.setCurrentIndex(list_cell(listing, row))
    QTest.keyClick(listing, Qt.Key.Key_Return)
