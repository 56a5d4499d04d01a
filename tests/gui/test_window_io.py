"""File > Export and File > Import from the window: worker thread, progress, cancel, all or nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.errors import AnnotatorError
from annotator.gui import MainWindow
from annotator.gui.export_dialog import ExportDialog, set_checked
from annotator.gui.import_dialog import ImportDialog
from annotator.io.operations import Selection
from annotator.store import Project

from conftest import SEED_ID


@pytest.fixture
def window(qtbot, seeded: Project) -> MainWindow:
    """A window on the seed article."""
    opened = MainWindow(seeded.path, annotator="tester")
    qtbot.addWidget(opened)
    return opened


def test_export_dialog_choices_reach_the_file(qtbot, window: MainWindow, tmp_path: Path) -> None:
    dialog = ExportDialog(window.project, window.texts, window)
    qtbot.addWidget(dialog)
    set_checked(dialog.annotators, {"example"})
    set_checked(dialog.labels, {"PER"})
    dialog.path_edit.setText(str(tmp_path / "per.jsonl"))
    assert dialog.fmt() in [
        dialog.format_combo.itemData(i) for i in range(dialog.format_combo.count())
    ]
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("native"))
    job = window.files.export_to(dialog.out_path(), dialog.fmt(), dialog.selection())
    with qtbot.waitSignal(job.finished, timeout=60000):
        pass
    record = json.loads((tmp_path / "per.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert record["spans"] and {s["label"] for s in record["spans"]} == {"PER"}
    assert "per.jsonl" in window.statusBar().currentMessage()


def test_cancelled_export_leaves_no_file(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "many.sqlite"
    with Project.create(path, annotator="tester") as project:
        for i in range(20):
            project.add_document(f"خبر رقم {i}")
    window = MainWindow(path, annotator="tester")
    qtbot.addWidget(window)
    out = tmp_path / "out.jsonl"
    job = window.files.export_to(out, "native", Selection())
    # Press Cancel as soon as the first document is written (from the worker, no timing).
    job.worker.progressed.connect(
        lambda _n: job.worker.request_cancel(), Qt.ConnectionType.DirectConnection
    )
    with qtbot.waitSignal(job.finished, timeout=60000):
        pass
    assert not out.exists()
    assert list(tmp_path.glob("*.part")) == []
    assert "cancelled" in window.statusBar().currentMessage()


def test_import_adds_documents_to_the_list(qtbot, window: MainWindow, tmp_path: Path) -> None:
    article = tmp_path / "new.txt"
    article.write_text("عنوان جديد\n\nقال المتحدث إن الاجتماع انتهى.", encoding="utf-8")
    dialog = ImportDialog(window.project, window.texts, window)
    qtbot.addWidget(dialog)
    dialog.paths_edit.setText(str(article))
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("txt"))
    job = window.files.import_from(dialog)
    with qtbot.waitSignal(job.finished, timeout=60000):
        pass
    titles = [
        window.document_list.model.row(i).title
        for i in range(window.document_list.model.rowCount())
    ]
    assert "عنوان جديد" in titles
    with Project.open(window.project.path) as disk:
        assert disk.document_count() == 2


def test_import_dialog_keeps_thousands_of_chosen_files(qtbot, window: MainWindow) -> None:
    dialog = ImportDialog(window.project, window.texts, window)
    qtbot.addWidget(dialog)
    chosen = [Path(f"/corpus/2024/article-{n:05d}.txt") for n in range(3000)]
    dialog.paths_edit.setText(";".join(str(p) for p in chosen))
    assert dialog.paths() == chosen


def test_failed_import_is_reported_and_imports_nothing(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00broken \xc3")
    good = tmp_path / "good.txt"
    good.write_text("نص سليم", encoding="utf-8")
    dialog = ImportDialog(window.project, window.texts, window)
    qtbot.addWidget(dialog)
    dialog.paths_edit.setText(f"{good};{bad}")
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("txt"))
    job = window.files.import_from(dialog)
    with qtbot.waitSignal(job.finished, timeout=60000):
        pass
    assert "bad.txt" in window.statusBar().currentMessage()
    with Project.open(window.project.path) as disk:
        assert disk.document_count() == 1


def test_gui_command_opens_and_closes_a_project(tmp_path: Path, seeded: Project) -> None:
    script = (
        "import sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from annotator.gui.app import application\n"
        "from annotator.cli import main\n"
        "app = application()\n"
        "def close():\n"
        "    titles = [w.windowTitle() for w in QApplication.topLevelWidgets() if w.isVisible()]\n"
        "    print('TITLES', titles)\n"
        "    QApplication.closeAllWindows()\n"
        "QTimer.singleShot(0, close)\n"
        f"main(['gui', {str(seeded.path)!r}, '--annotator', 'tester'])\n"
    )
    env = {"QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path), "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "لافروف: لا يوجد رد" in result.stdout


def test_token_format_export_says_what_it_left_out(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    dialog = ExportDialog(window.project, window.texts, window)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(tmp_path / "seed.jsonl"))
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("conll"))
    assert dialog.out_path() == tmp_path / "seed.conll"
    set_checked(dialog.annotators, {"example"})
    job = window.files.export_to(dialog.out_path(), dialog.fmt(), dialog.selection())
    with qtbot.waitSignal(job.finished, timeout=60000):
        pass
    lines = (tmp_path / "seed.conll").read_text(encoding="utf-8").splitlines()
    assert "لافروف B-PER" in lines
    box = window.files.export_report_box
    assert box is not None and "nested or overlapping" in box.detailedText()


def test_only_gold_checked_exports_the_gold_layer(qtbot, window: MainWindow) -> None:
    with window.project.as_reviewer():  # gold is written only by review
        window.project.add_span("000_2024f0fe6e876b71", 0, 4, "MISC", annotator="gold")
    dialog = ExportDialog(window.project, window.texts, window)
    qtbot.addWidget(dialog)
    set_checked(dialog.annotators, {"gold"})
    assert dialog.selection().gold


def _corrected_example(tmp_path: Path) -> Path:
    """The example annotation with its first span's label changed, as a colleague's fix."""
    from conftest import SEED_EXAMPLE

    record = json.loads(SEED_EXAMPLE.read_text(encoding="utf-8").splitlines()[0])
    first = record["spans"][0]
    assert first["label"] == "PER"
    first["label"] = "ORG"
    fixed = tmp_path / "fixed.jsonl"
    fixed.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    return fixed


@pytest.mark.parametrize("apply", [False, True])
def test_reimported_correction_is_reported_or_applied(
    qtbot, tmp_path: Path, seeded: Project, apply: bool
) -> None:
    fixed = _corrected_example(tmp_path)
    window = MainWindow(seeded.path, annotator="example")
    qtbot.addWidget(window)
    dialog = ImportDialog(window.project, window.texts, window)
    qtbot.addWidget(dialog)
    dialog.paths_edit.setText(str(fixed))
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("native"))
    dialog.annotator_edit.setText("example")
    assert dialog.update_box.isChecked()  # a correction is applied unless the user says not to
    if not apply:
        qtbot.mouseClick(dialog.update_box, Qt.MouseButton.LeftButton)
    job = window.files.import_from(dialog)
    with qtbot.waitSignal(job.finished, timeout=60000):
        pass
    with Project.open(seeded.path, annotator="reader") as project:
        (span,) = [s for s in project.spans(SEED_ID, ["example"]) if s.id == "g1"]
    assert span.label == ("ORG" if apply else "PER")
    box = window.files.import_report_box
    assert box is not None
    detail = box.detailedText()
    if apply:
        assert "updated 1 annotation(s)" in detail
    else:
        assert "1 annotation(s) differ from what the project holds and were NOT applied" in detail
        assert "Apply corrections" in detail


# ---- File > Export with a split -------------------------------------------------------------


def accept_export(out: Path, split: str, seed: int) -> Callable[[ExportDialog], int]:
    """Return an ``exec`` for the export dialog that fills it in as a person would, then OK."""

    def exec_(dialog: ExportDialog) -> int:
        dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("native"))
        dialog.path_edit.setText(str(out))
        dialog.split_edit.setText(split)
        dialog.seed_spin.setValue(seed)
        return 1

    return exec_


def export_from_menu(qtbot, window: MainWindow) -> None:
    """Run File > Export and wait for its job, when one starts."""
    window.files.job = None
    window.files.export_dialog()
    if window.files.job is not None:
        with qtbot.waitSignal(window.files.job.finished, timeout=60000):
            pass


def test_export_split_in_the_window_reports_each_parts_count(qtbot, seeded, tmp_path, monkeypatch):
    for n in range(11):
        seeded.add_document(f"قال بوتين إن موسكو مستعدة للحوار {n}", doc_id=f"n{n:02d}")
    window = MainWindow(seeded.path, annotator="tester")
    qtbot.addWidget(window)
    out = tmp_path / "out" / "news.jsonl"
    out.parent.mkdir()
    monkeypatch.setattr(ExportDialog, "exec", accept_export(out, "80,10,10", 1))
    export_from_menu(qtbot, window)
    box = window.files.export_report_box
    assert box is not None
    for name, count in [("train", 9), ("dev", 1), ("test", 2)]:
        part = out.with_name(f"news.{name}.jsonl")
        assert len(part.read_text(encoding="utf-8").splitlines()) == count
        line = f"{name}: {count} document(s) in {part}"
        assert line in window.statusBar().currentMessage()
        assert line in box.informativeText().splitlines()


def test_export_split_leaving_a_part_empty_is_refused_in_the_window(
    qtbot, seeded, tmp_path, monkeypatch
):
    reported: list[AnnotatorError] = []
    monkeypatch.setattr(MainWindow, "report_error", lambda self, exc: reported.append(exc))
    window = MainWindow(seeded.path, annotator="tester")
    qtbot.addWidget(window)
    out = tmp_path / "out" / "news.jsonl"
    out.parent.mkdir()
    monkeypatch.setattr(ExportDialog, "exec", accept_export(out, "80,10,10", 0))
    export_from_menu(qtbot, window)
    [refused] = reported
    assert "would leave the dev and test parts empty (1 document(s): train 1, dev 0, test 0)" in (
        str(refused)
    )
    monkeypatch.setattr(ExportDialog, "exec", accept_export(out, "80,ten,10", 0))
    export_from_menu(qtbot, window)
    assert "--split takes numbers" in str(reported[-1])
    assert list(out.parent.iterdir()) == []
