"""The window on a project file with planted values: one error naming the file, never a crash.

Opening the window either fails with the error (the start-up dialog shows it) or opens and
reports it as the document is shown; what a list's model meets while Qt asks it for rows reaches
the window's error hook as that same error, shown in its own words, never as "Something went
wrong". The cases are the command-line tests' (tests/robustness/stored_cases.py).
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import TracebackType

import pytest
from PySide6.QtWidgets import QApplication
from stored_cases import CASES, plant

from annotator.errors import AnnotatorError, StoredValueError
from annotator.gui import MainWindow
from annotator.gui.errors import message_for


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_window_reports_a_damaged_value_and_does_not_crash(
    name: str, filled: Path, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = plant(filled, tmp_path / "planted.sqlite", CASES[name].sql)
    reported: list[AnnotatorError] = []
    uncaught: list[BaseException] = []

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        uncaught.append(exc)

    monkeypatch.setattr(sys, "excepthook", hook)
    monkeypatch.setattr(MainWindow, "report_error", lambda self, exc: reported.append(exc))
    try:
        window = MainWindow(bad, annotator="tester")
    except AnnotatorError as exc:  # app.run shows it in the start-up dialog
        reported.append(exc)
    else:
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.repaint()  # the lists fetch their rows as they are drawn
        QApplication.processEvents()

    if "list" in CASES[name].readers or "show" in CASES[name].readers:
        # The window lists the documents and shows the first one: it reads these values.
        assert reported or uncaught, "the damaged value was shown without a word"
    for exc in [*reported, *uncaught]:
        assert isinstance(exc, StoredValueError), repr(exc)
        assert str(exc).startswith(f"{bad}: "), str(exc)
        assert message_for(exc, None).startswith(f"{bad}: ")  # not "Something went wrong"
