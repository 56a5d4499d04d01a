"""File > Import: files, format, encoding and annotator; one transaction, off the UI thread.

Folders are walked and records counted as the command line does it (``io.operations``), so the
progress dialog counts records, not chosen paths. The store asks the Job's cancel check before
every record, inside its one transaction, so a cancelled import rolls back and imports nothing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from annotator.errors import AnnotatorError
from annotator.gui.dialogs import ok_cancel
from annotator.gui.export_dialog import path_row
from annotator.gui.i18n import Texts
from annotator.gui.jobs import CancelCheck, Job, Progress
from annotator.gui.plaintext import plain_tooltip
from annotator.io.base import ReadReport
from annotator.io.labels import parse_label_map
from annotator.io.operations import count_records, import_paths, input_files
from annotator.io.registry import get_format, readable
from annotator.store import Project

ENCODINGS = ("utf-8", "cp1256", "utf-16", "iso-8859-6")
MAX_PATHS_TEXT = 2**31 - 1
UPDATE_TIP = (
    "Annotations that the files change in their own layer (other edges, label or attributes,"
    " matched by id or by place) replace the stored ones; without it they are only counted"
)
# What each offset unit is called where the other program sets it.
OFFSET_UNITS = {
    "utf16": "UTF-16 code units (doccano's default)",
    "graphemes": "Grapheme clusters (doccano: Count grapheme clusters as one character)",
}
LABEL_MAP_TIP = (
    "Rename the files' labels to the project's as they are read, e.g. PERS=PER for ANERcorp;"
    " separate several with commas"
)
NEW_LABELS_TIP = (
    "A label the project's schema lacks is added to it as an entity label; without it such a"
    " file is refused, naming the file and line"
)
REMOVE_TIP = (
    "Annotations that the files' layers hold in the project and the files no longer do are"
    " removed; without it they are kept and counted"
)


class ImportDialog(QDialog):
    """Asks which files to import, in which format and encoding, and whose annotations they are."""

    def __init__(self, project: Project, texts: Texts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(texts("Import"))
        self.texts = texts
        self.paths_edit = QLineEdit()
        # QLineEdit keeps 32,767 characters by default: a few hundred chosen files would be cut.
        self.paths_edit.setMaxLength(MAX_PATHS_TEXT)
        browse = QPushButton(texts("Browse…"))
        browse.clicked.connect(self._browse)
        self.format_combo = QComboBox()
        for name in readable():
            self.format_combo.addItem(f"{name} — {get_format(name).description}", name)
        self.encoding_combo = QComboBox()
        self.encoding_combo.setEditable(True)
        self.encoding_combo.addItems(list(ENCODINGS))
        self.annotator_edit = QLineEdit(project.annotator)
        # The unit a file's offsets count, for a format that has more than one (doccano's
        # "Count grapheme clusters as one character" setting).
        self.offsets_combo = QComboBox()
        self.label_map_edit = QLineEdit()
        self.label_map_edit.setPlaceholderText("PERS=PER, MISC=NORP")
        self.label_map_edit.setToolTip(plain_tooltip(texts(LABEL_MAP_TIP)))
        self.new_labels_box = QCheckBox(texts("Add labels the schema lacks"))
        self.new_labels_box.setToolTip(plain_tooltip(texts(NEW_LABELS_TIP)))
        self.update_box = QCheckBox(texts("Apply corrections to annotations already imported"))
        self.update_box.setToolTip(plain_tooltip(texts(UPDATE_TIP)))
        self.update_box.setChecked(True)
        self.remove_box = QCheckBox(texts("Remove annotations the files no longer hold"))
        self.remove_box.setToolTip(plain_tooltip(texts(REMOVE_TIP)))
        form = QFormLayout(self)
        form.addRow(texts("File"), path_row(self.paths_edit, browse))
        form.addRow(texts("Format"), self.format_combo)
        form.addRow(texts("Encoding"), self.encoding_combo)
        form.addRow(texts("Annotator"), self.annotator_edit)
        form.addRow(texts("Offsets"), self.offsets_combo)
        form.addRow(texts("Rename labels"), self.label_map_edit)
        form.addRow("", self.new_labels_box)
        form.addRow("", self.update_box)
        form.addRow("", self.remove_box)
        buttons = ok_cancel(self)
        form.addRow(buttons)
        self.format_combo.currentIndexChanged.connect(self._format_changed)
        self._format_changed()

    def _format_changed(self) -> None:
        units = get_format(self.fmt()).offset_units
        self.offsets_combo.clear()
        for unit in units:
            self.offsets_combo.addItem(self.texts(OFFSET_UNITS.get(unit, unit)), unit)
        self.offsets_combo.setEnabled(len(units) > 1)

    def offsets(self) -> str | None:
        """Return the offset unit chosen, None for the format's own."""
        unit = self.offsets_combo.currentData()
        return str(unit) if unit and self.offsets_combo.currentIndex() > 0 else None

    def label_map(self) -> dict[str, str]:
        """Return the label renames typed (FROM=TO, separated by commas); raise InputError."""
        items = [item for item in self.label_map_edit.text().split(",") if item.strip()]
        return parse_label_map(items)

    def _browse(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, self.windowTitle())
        if paths:
            self.paths_edit.setText(";".join(paths))

    def paths(self) -> list[Path]:
        """Return the chosen files or folders (separated by ';' in the text box)."""
        return [Path(p.strip()) for p in self.paths_edit.text().split(";") if p.strip()]

    def fmt(self) -> str:
        """Return the chosen format name."""
        return str(self.format_combo.currentData())

    def encoding(self) -> str:
        """Return the chosen text encoding."""
        return self.encoding_combo.currentText().strip() or "utf-8"

    def annotator(self) -> str | None:
        """Return whose annotations the input holds (None: the user)."""
        return self.annotator_edit.text().strip() or None


def start_import(parent: QWidget, texts: Texts, project: Project, dialog: ImportDialog) -> Job:
    """Start importing in a worker thread; the Job's ``succeeded`` carries the ImportReport."""
    project_path, me = project.path, project.annotator
    paths, fmt, encoding, annotator = (
        dialog.paths(),
        dialog.fmt(),
        dialog.encoding(),
        dialog.annotator(),
    )
    on_change = "update" if dialog.update_box.isChecked() else "keep"
    remove_missing = dialog.remove_box.isChecked()
    new_labels = "add" if dialog.new_labels_box.isChecked() else "refuse"
    offsets = dialog.offsets()
    read = ReadReport()

    problem: AnnotatorError | None = None
    try:
        label_map = dialog.label_map()
        files = input_files(paths, fmt)
        total = count_records(files, fmt)
    except AnnotatorError as exc:
        # Reported by the job like any failed import, in the same dialog.
        files, total, problem, label_map = paths, 0, exc, {}

    def work(progress: Progress, cancelled: CancelCheck) -> object:
        if problem is not None:
            raise problem
        with Project.open(project_path, annotator=me) as opened:
            report = import_paths(
                opened,
                files,
                fmt=fmt,
                encoding=encoding,
                annotator=annotator,
                progress=progress,
                cancelled=cancelled,
                on_change=on_change,
                remove_missing=remove_missing,
                label_map=label_map,
                new_labels=new_labels,
                read_report=read,
                offsets=offsets,
            )
        # What the readers met (each layer read, what they skipped) is said with the rest.
        layers = [f"read {line}" for line in read.layer_lines()] if get_format(fmt).layers else []
        report.read_lines = layers + read.lines()
        return report

    job = Job(parent, texts("Importing…"), texts("Cancel"), total, work)
    job.start()
    return job
