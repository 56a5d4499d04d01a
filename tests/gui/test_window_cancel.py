"""Cancel and Esc in the window's import and export progress dialogs stop the job halfway.

The job is held after its first document until the test has pressed Cancel (or Esc) on the
real progress dialog, so the press always lands while the job is running. Then the disk is
checked: nothing imported, no file written, no temporary file left.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from annotator.gui import MainWindow, export_dialog, import_dialog
from annotator.gui.import_dialog import ImportDialog
from annotator.gui.jobs import Job
from annotator.io.operations import Selection
from annotator.model.document import DocumentRecord, Span
from annotator.store import Project

DOCUMENTS = 2000
KEYS = ["cancel-button", "esc", "esc-elsewhere"]
HOLD_TIMEOUT = 30  # seconds the held job waits for the press before the test fails


class Hold:
    """Wraps an API call the window makes so its work waits after the first document.

    The wait ends when the test calls ``release`` (after pressing Cancel); ``released`` tells
    whether that happened before the timeout.
    """

    def __init__(self, call: Callable[..., Any]) -> None:
        self.call = call
        self.pressed = threading.Event()
        self.released: bool | None = None

    def __call__(self, *args: Any, progress: Callable[[int], None], **kwargs: Any) -> Any:
        def held(step: int) -> None:
            progress(step)  # the dialog's value moves: the test knows the job is running
            if self.released is None:
                self.released = self.pressed.wait(HOLD_TIMEOUT)

        return self.call(*args, progress=held, **kwargs)

    def release(self) -> None:
        """Let the work go on past its first document."""
        self.pressed.set()


def press(qtbot: QtBot, job: Job, hold: Hold, key: str) -> None:
    """Press the dialog's Cancel button or Esc while the job is held, then wait for its end."""
    errors: list[object] = []
    job.failed.connect(errors.append)
    qtbot.waitUntil(lambda: job.dialog.value() > 0 or bool(errors), timeout=HOLD_TIMEOUT * 1000)
    assert not errors
    qtbot.waitUntil(job.dialog.isVisible, timeout=HOLD_TIMEOUT * 1000)
    if key == "cancel-button":
        button = job.dialog.findChild(QPushButton)
        assert button is not None and button.text() == "Cancel"
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    elif key == "esc":  # as a user presses it: the dialog is the active window
        job.dialog.activateWindow()
        qtbot.waitUntil(job.dialog.isActiveWindow)
        qtbot.keyClick(job.dialog, Qt.Key.Key_Escape)
    else:  # with another window active, Esc reaches QDialog.reject instead of the shortcut
        other = QWidget()
        qtbot.addWidget(other)
        other.show()
        other.activateWindow()
        qtbot.waitUntil(lambda: other.isActiveWindow() and not job.dialog.isActiveWindow())
        qtbot.keyClick(job.dialog, Qt.Key.Key_Escape)
    hold.release()
    with qtbot.waitSignal(job.finished, timeout=120000):
        pass
    assert hold.released, "the job was not held until the press"


def document_count(path: Path) -> int:
    with Project.open(path, annotator="reader") as project:
        return project.document_count()


@pytest.fixture
def articles(tmp_path: Path) -> list[Path]:
    """A few thousand small articles, one .txt file each."""
    folder = tmp_path / "articles"
    folder.mkdir()
    paths = []
    for n in range(DOCUMENTS):
        path = folder / f"{n:05d}.txt"
        path.write_text(f"خبر رقم {n}\n\nقال المتحدث إن الاجتماع رقم {n} انتهى.", "utf-8")
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def large_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed project holding a few thousand documents, each with one span by "mona"."""
    path = tmp_path_factory.mktemp("large") / "large.sqlite"
    text = "قال لافروف إن الاجتماع رقم {n} انتهى."
    records = (
        DocumentRecord(
            text=text.format(n=n),
            id=f"d{n:05d}",
            spans=(Span("s1", f"d{n:05d}", 4, 10, "PER", annotator="mona"),),
        )
        for n in range(DOCUMENTS)
    )
    with Project.create(path, annotator="mona") as project:
        project.import_documents(records)
    return path


@pytest.fixture
def large(large_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the large project for this test."""
    path = tmp_path / "large.sqlite"
    path.write_bytes(large_template.read_bytes())
    return path


@pytest.mark.parametrize("key", KEYS)
def test_cancelled_import_imports_nothing(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    seeded: Project,
    articles: list[Path],
    key: str,
) -> None:
    hold = Hold(import_dialog.import_paths)
    monkeypatch.setattr(import_dialog, "import_paths", hold)
    window = MainWindow(seeded.path, annotator="tester")
    qtbot.addWidget(window)
    dialog = ImportDialog(window.project, window.texts, window)
    qtbot.addWidget(dialog)
    dialog.paths_edit.setText(";".join(str(p) for p in articles))
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("txt"))
    job = window.files.import_from(dialog)
    press(qtbot, job, hold, key)
    assert document_count(seeded.path) == 1
    assert window.statusBar().currentMessage() == "Import cancelled; nothing was imported"


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("fmt", ["conll", "native"])
def test_cancelled_export_writes_no_file(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, large: Path, fmt: str, key: str
) -> None:
    hold = Hold(export_dialog.export)
    monkeypatch.setattr(export_dialog, "export", hold)
    window = MainWindow(large, annotator="mona")
    qtbot.addWidget(window)
    folder = tmp_path / "out"
    folder.mkdir()
    job = window.files.export_to(folder / f"news.{fmt}", fmt, Selection(annotators=("mona",)))
    press(qtbot, job, hold, key)
    assert list(folder.iterdir()) == []  # neither the file nor its .part
    assert document_count(large) == DOCUMENTS
    assert window.statusBar().currentMessage() == "Export cancelled; no file was written"
