"""File > Import walks a folder and counts records as the command line does (io.operations)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from annotator import cli
from annotator.gui import MainWindow
from annotator.gui.import_dialog import ImportDialog
from annotator.store import Project


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A folder of doccano files, one in a subfolder, beside a file of another kind."""
    folder = tmp_path / "corpus"
    (folder / "2024").mkdir(parents=True)
    lines = [json.dumps({"id": f"n{n}", "text": f"خبر رقم {n}", "entities": []}) for n in range(30)]
    (folder / "a.jsonl").write_text("\n".join(lines[:20]) + "\n", encoding="utf-8")
    (folder / "2024" / "b.jsonl").write_text("\n".join(lines[20:]) + "\n", encoding="utf-8")
    (folder / "readme.txt").write_text("ليس من الملفات", encoding="utf-8")
    return folder


def test_the_window_and_the_cli_import_the_same_folder_alike(
    qtbot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, corpus: Path
) -> None:
    totals: list[int] = []
    real_bar = cli.progress_bar

    def recording_bar(total: int, label: str) -> Any:
        totals.append(total)  # the length of the terminal's bar
        return real_bar(total, label)

    monkeypatch.setattr(cli, "progress_bar", recording_bar)
    by_cli = tmp_path / "cli.sqlite"
    assert CliRunner().invoke(cli.main, ["init", str(by_cli)]).exit_code == 0
    result = CliRunner().invoke(
        cli.main, ["import", str(by_cli), str(corpus), "--format", "doccano"]
    )
    assert result.exit_code == 0, result.output

    by_window = tmp_path / "window.sqlite"
    Project.create(by_window, annotator="tester").close()
    window = MainWindow(by_window, annotator="tester")
    qtbot.addWidget(window)
    dialog = ImportDialog(window.project, window.texts, window)
    qtbot.addWidget(dialog)
    dialog.paths_edit.setText(str(corpus))
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("doccano"))
    job = window.files.import_from(dialog)
    # The progress dialog counts the folder's records, as the terminal bar does: 30, not 1 path.
    assert job.dialog.maximum() == totals[0] == 30
    with qtbot.waitSignal(job.finished, timeout=60000):
        pass
    with Project.open(by_cli) as a, Project.open(by_window) as b:
        assert a.document_ids() == b.document_ids()
        assert len(b.document_ids()) == 30


def test_a_missing_path_fails_in_the_job_like_any_import(
    qtbot, seeded: Project, tmp_path: Path
) -> None:
    window = MainWindow(seeded.path, annotator="tester")
    qtbot.addWidget(window)
    dialog = ImportDialog(window.project, window.texts, window)
    qtbot.addWidget(dialog)
    dialog.paths_edit.setText(str(tmp_path / "gone"))
    job = window.files.import_from(dialog)
    with qtbot.waitSignal(job.finished, timeout=60000):
        pass
    assert "no such file" in window.statusBar().currentMessage()
