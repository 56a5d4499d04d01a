"""Shared helpers of the main-window tests: open a window, read the store back, press keys."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest

from annotator.gui import MainWindow
from annotator.model.document import Span
from annotator.store import Project

SEED_ID = "000_2024f0fe6e876b71"


def use_private_settings(folder: Path) -> None:
    """Point QSettings at ``folder`` so tests never touch the user's settings."""
    folder.mkdir(exist_ok=True)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))


def open_window(qtbot, path: Path) -> MainWindow:
    """Open a window on ``path`` as annotator "tester", shown and active."""
    window = MainWindow(path, annotator="tester")
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    qtbot.waitUntil(window.isActiveWindow)  # label keys are window shortcuts
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
