"""The window notices when another process changes the project."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from annotator.gui.watcher import ProjectWatcher
from annotator.store import Project

ROOT = Path(__file__).resolve().parents[2]


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
