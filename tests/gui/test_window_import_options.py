"""File > Import takes the same choices as the command line: label renames, new labels, offsets.

A person filling in the dialog types the renames, ticks the boxes and reads, in the report box,
what the readers met (each layer read, what they skipped), as the command line prints it.
"""

from __future__ import annotations

from pathlib import Path

import orjson
from PySide6.QtCore import QPoint, Qt

from annotator.gui import MainWindow
from annotator.gui.import_dialog import ImportDialog
from annotator.store import Project

TEXT = "قال بوتين في موسكو"


def _dialog(qtbot, window: MainWindow, path: Path, fmt: str) -> ImportDialog:
    dialog = ImportDialog(window.project, window.texts, window)
    qtbot.addWidget(dialog)
    dialog.paths_edit.setText(str(path))
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData(fmt))
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _run(qtbot, window: MainWindow, dialog: ImportDialog) -> None:
    job = window.files.import_from(dialog)
    with qtbot.waitSignal(job.finished, timeout=60000):
        pass


def _labels(path: Path) -> list[tuple[str, str]]:
    with Project.open(path, read_only=True) as project:
        doc = project.document(next(iter(project.document_ids())))
        return [(s.text_in(doc.text), s.label) for s in project.spans(doc.id)]


def test_renames_typed_in_the_dialog_are_applied(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite"
    Project.create(path, annotator="mona").close()
    data = tmp_path / "anercorp.jsonl"
    entities = [{"id": 1, "start_offset": 4, "end_offset": 9, "label": "PERS"},
                {"id": 2, "start_offset": 13, "end_offset": 18, "label": "OCC"}]  # fmt: skip
    data.write_bytes(orjson.dumps({"text": TEXT, "entities": entities}) + b"\n")
    window = MainWindow(path, annotator="mona")
    qtbot.addWidget(window)
    dialog = _dialog(qtbot, window, data, "doccano")
    # doccano counts UTF-16 units unless its project counts grapheme clusters: both offered.
    assert dialog.offsets_combo.isEnabled() and dialog.offsets() is None
    assert "grapheme" in dialog.offsets_combo.itemText(1).lower()
    qtbot.keyClicks(dialog.label_map_edit, "PERS=PER")
    box = dialog.new_labels_box  # clicked on its square, as a person does
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert box.isChecked()
    _run(qtbot, window, dialog)
    assert sorted(_labels(path)) == [("بوتين", "PER"), ("موسكو", "OCC")]
    box = window.files.import_report_box
    assert box is not None
    assert "added 1 label(s) to the project's schema: OCC" in box.detailedText()
    # The window offers the new label at once: in the palette, and a click there annotates.
    assert "OCC" in window.label_palette.label_ids
    doc_id = window.project.document_ids()[0]
    window.open_document(doc_id)
    window.text_view.select_range(0, 3)
    window.label_palette.click("OCC")
    assert ("قال", "OCC") in _labels(path)


def test_a_wrong_rename_is_an_error_and_imports_nothing(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite"
    Project.create(path, annotator="mona").close()
    data = tmp_path / "a.jsonl"
    data.write_bytes(orjson.dumps({"text": TEXT, "entities": []}) + b"\n")
    window = MainWindow(path, annotator="mona")
    qtbot.addWidget(window)
    shown: list[str] = []
    window.files.report = lambda exc: shown.append(str(exc))  # type: ignore[method-assign]
    dialog = _dialog(qtbot, window, data, "doccano")
    qtbot.keyClicks(dialog.label_map_edit, "PERS")
    _run(qtbot, window, dialog)
    with Project.open(path, read_only=True) as project:
        assert project.document_count() == 0


def test_layers_read_from_label_studio_are_listed(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite"
    Project.create(path, annotator="mona").close()
    region = {"from_name": "label", "to_name": "text", "type": "labels",
              "value": {"start": 4, "end": 9, "text": "بوتين", "labels": ["PER"]}}  # fmt: skip
    task = {
        "id": 7,
        "data": {"text": TEXT},
        "annotations": [
            {"completed_by": {"email": "huda@example.org"}, "result": [{**region, "id": "a"}]},
            {"completed_by": {"email": "sami@example.org"}, "result": [{**region, "id": "b"}]},
        ],
    }
    data = tmp_path / "ls.json"
    data.write_bytes(orjson.dumps([task]))
    window = MainWindow(path, annotator="mona")
    qtbot.addWidget(window)
    _run(qtbot, window, _dialog(qtbot, window, data, "labelstudio"))
    box = window.files.import_report_box
    assert box is not None
    detail = box.detailedText()
    assert "read layer huda@example.org: 1 span(s)" in detail
    assert "read layer sami@example.org: 1 span(s)" in detail
