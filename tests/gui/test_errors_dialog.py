"""An exception nobody caught in the window: a dialog says what happened and where the log is."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from annotator.errors import ProjectBusyError
from annotator.gui import errors


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the user's data folder at tmp_path and install the hook for one test."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    QCoreApplication.setOrganizationName("arabic-news-annotator")
    QCoreApplication.setApplicationName("annotator")
    previous = errors.install_excepthook()
    yield tmp_path / "data"
    sys.excepthook = previous
    for box in list(errors._open_dialogs):
        box.done(0)


def open_error_dialogs() -> list[QMessageBox]:
    """Return the error dialogs on screen."""
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.isVisible() and w.windowTitle() == errors.TITLE
    ]


@pytest.mark.qt_no_exception_capture
def test_exception_in_a_slot_shows_a_dialog_and_is_logged(qtbot, data_home: Path) -> None:
    """A button whose action crashes: the user sees the error, the log has the traceback."""
    button = QPushButton("Crash")
    qtbot.addWidget(button)

    def crash() -> None:
        raise RuntimeError("the span list is out of step")

    button.clicked.connect(crash)
    button.show()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(open_error_dialogs()) == 1)

    box = open_error_dialogs()[0]
    log = data_home / "arabic-news-annotator" / "annotator" / "annotator.log"
    assert errors.log_path() == log
    assert "RuntimeError: the span list is out of step" in box.text()
    assert "Every edit finished before this is saved" in box.text()
    assert str(log) in box.text()
    assert "in crash" in box.detailedText()
    logged = log.read_text(encoding="utf-8")
    assert "Traceback" in logged and "the span list is out of step" in logged


def test_annotator_error_is_shown_in_the_users_words_as_plain_text(qtbot, data_home: Path) -> None:
    """A named error reads as the CLI prints it, and markup in it is shown, not rendered."""
    exc = ProjectBusyError("<b>busy</b>: another window is writing", path="p.sqlite")

    errors.excepthook(type(exc), exc, None)

    box = open_error_dialogs()[0]
    assert box.text().startswith("p.sqlite: <b>busy</b>: another window is writing\n")
    assert box.textFormat() == Qt.TextFormat.PlainText


def test_unwritable_log_still_shows_the_error(qtbot, data_home: Path) -> None:
    """When the log cannot be written the dialog still appears and says so."""
    data_home.mkdir(parents=True)
    (data_home / "arabic-news-annotator").write_text("a file where the folder should be")

    errors.excepthook(ValueError, ValueError("bad offset"), None)

    box = open_error_dialogs()[0]
    assert "ValueError: bad offset" in box.text()
    assert "The log could not be written." in box.text()
