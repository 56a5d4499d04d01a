"""The window notices when another process changes the project."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from annotator.errors import ProjectError
from annotator.gui.errors import log_path
from annotator.gui.main_window import MainWindow
from annotator.gui.watcher import ProjectWatcher
from annotator.model.text import snap_to_words
from annotator.store import Project

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def window(qtbot, seeded: Project) -> Iterator[MainWindow]:
    """A window on the seed article, as annotator "tester"."""
    opened = MainWindow(seeded.path, annotator="tester")
    qtbot.addWidget(opened)
    opened.show()
    yield opened


def import_elsewhere(project: Path, tmp_path: Path, text: str) -> None:
    """Import one article with the command line, in another process."""
    article = tmp_path / "elsewhere.txt"
    article.write_text(text, encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "annotator.cli", "import", str(project), str(article)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )


def test_commit_by_another_process_is_signalled(qtbot, project: Project, tmp_path: Path) -> None:
    """A CLI import into the open project makes the watcher emit changed."""
    watcher = ProjectWatcher(project, interval_ms=50)
    watcher.start()

    with qtbot.waitSignal(watcher.changed, timeout=10_000):
        import_elsewhere(project.path, tmp_path, "خبر من عملية أخرى")

    assert project.document_count() == 1


def test_own_edits_and_quiet_times_are_not_signalled(qtbot, project: Project) -> None:
    """The window's own commits do not trigger a refresh, nor does polling with no change."""
    watcher = ProjectWatcher(project)
    doc = project.add_document("قال الرئيس إن الاتفاق قريب")
    project.add_span(doc.id, 4, 10, "PER")

    with qtbot.assertNotEmitted(watcher.changed):
        assert watcher.check() is False
        assert watcher.check() is False


def test_closed_project_stops_the_watcher(qtbot, tmp_path: Path) -> None:
    """Polling after the project was closed stops quietly instead of raising."""
    project = Project.create(tmp_path / "p.sqlite")
    watcher = ProjectWatcher(project, interval_ms=50)
    watcher.start()
    project.close()

    assert watcher.check() is False
    assert not watcher.active


def add_span_elsewhere(project: Path, doc_id: str) -> str:
    """Add a span as "tester" from another process; return its id."""
    script = (
        "import sys; from annotator.store import Project;"
        "p = Project.open(sys.argv[1], annotator='tester');"
        f"print(p.add_span({doc_id!r}, 0, 4, 'PER').id); p.close()"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(project)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.stdout.strip()


def test_window_shows_work_done_by_another_process(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    """A CLI import and another program's span appear in the open window without reopening."""
    rows = window.document_list.model.rowCount()
    assert window.session.document is not None

    import_elsewhere(window.project.path, tmp_path, "خبر جديد من سطر الأوامر")
    qtbot.waitUntil(lambda: window.document_list.model.rowCount() == rows + 1, timeout=10_000)
    span_id = add_span_elsewhere(window.project.path, window.session.document.id)
    qtbot.waitUntil(lambda: span_id in window.session.spans, timeout=10_000)

    assert window.session.spans[span_id].text_in(window.session.text) == window.session.text[0:4]


def test_refresh_keeps_the_reader_where_they_were(qtbot, window: MainWindow) -> None:
    """Another process's commit neither scrolls the article back to the top nor drops the
    selection the annotator was making."""
    view = window.text_view
    window.resize(900, 500)
    text = window.session.text
    view.scroll_to_offset(len(text) - 1)
    qtbot.waitUntil(lambda: view.visible_range()[0] > 0, timeout=5_000)
    before = view.visible_range()
    word = snap_to_words(text, before[0] + 10, before[0] + 11)
    assert word is not None
    view.select_range(*word)
    span_id = add_span_elsewhere(window.project.path, window.session.document.id)
    qtbot.waitUntil(lambda: span_id in window.session.spans, timeout=10_000)

    assert view.visible_range() == before
    assert view.selected_range() == word


def test_about_names_the_error_log(qtbot, window: MainWindow) -> None:
    """Help > About says where the error log is."""
    window.actions_by_name["about"].trigger()

    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1
    assert f"Error log: {log_path()}" in boxes[0].text()
    boxes[0].done(0)


def test_read_only_window_never_writes(qtbot, tmp_path: Path) -> None:
    """--read-only: the window shows the project and every edit is refused; the file is unchanged."""
    path = tmp_path / "theirs.sqlite"
    with Project.create(path, annotator="sami") as project:
        project.add_document("قال الرئيس إن الاتفاق قريب")
    before = path.read_bytes()  # read while no connection is open: a close drops SQLite's locks
    window = MainWindow(path, annotator="tester", read_only=True)
    try:
        window.show()
        assert window.session.document is not None
        assert window.document_list.model.rowCount() == 1
        with pytest.raises(ProjectError, match="read-only"):
            window.project.add_span(window.session.document.id, 0, 3, "CUE")
    finally:
        window.close()

    assert path.read_bytes() == before


class Counting:
    """A project's data_version, moved by hand; on a file or on a server."""

    def __init__(self, on_server: bool) -> None:
        self.on_server = on_server
        self.version = 0

    def data_version(self) -> int:
        return self.version


def test_a_server_project_is_looked_at_four_times_a_second_a_file_every_second(qtbot) -> None:
    assert ProjectWatcher(Counting(on_server=True)).interval_ms == 250  # type: ignore[arg-type]
    assert ProjectWatcher(Counting(on_server=False)).interval_ms == 1000  # type: ignore[arg-type]


def test_on_a_server_a_commit_right_after_a_re_read_waits_half_a_second(qtbot) -> None:
    """A busy team: re-reads half a second apart at least, the waiting change never lost."""
    project = Counting(on_server=True)
    watcher = ProjectWatcher(project)  # type: ignore[arg-type]
    emitted: list[int] = []
    watcher.changed.connect(lambda: emitted.append(project.version))
    project.version = 1
    assert watcher.check() is True  # the first after a quiet spell: at once
    project.version = 2
    assert watcher.check() is False  # within half a second of the last re-read
    assert emitted == [1]
    watcher.start()
    qtbot.waitUntil(lambda: emitted == [1, 2], timeout=3_000)


def test_on_a_file_every_commit_is_read_at_the_next_look(qtbot) -> None:
    project = Counting(on_server=False)
    watcher = ProjectWatcher(project)  # type: ignore[arg-type]
    project.version = 1
    assert watcher.check() is True
    project.version = 2
    assert watcher.check() is True
