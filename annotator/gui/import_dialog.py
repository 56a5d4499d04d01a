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
from annotator.io.operations import count_records, import_paths, input_files
from annotator.io.registry import get_format, readable
from annotator.store import Project

ENCODINGS = ("utf-8", "cp1256", "utf-16", "iso-8859-6")
MAX_PATHS_TEXT = 2**31 - 1
UPDATE_TIP = (
    "Annotations of this annotator that the files change (same id, other edges, label or"
    " attributes) replace the stored ones; without it they are only counted"
)


class ImportDialog(QDialog):
    """Asks which files to import, in which format and encoding, and whose annotations they are."""

    def __init__(self, project: Project, texts: Texts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(texts("Import"))
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
        self.update_box = QCheckBox(texts("Apply corrections to annotations already imported"))
        self.update_box.setToolTip(plain_tooltip(texts(UPDATE_TIP)))
        form = QFormLayout(self)
        form.addRow(texts("File"), path_row(self.paths_edit, browse))
        form.addRow(texts("Format"), self.format_combo)
        form.addRow(texts("Encoding"), self.encoding_combo)
        form.addRow(texts("Annotator"), self.annotator_edit)
        form.addRow("", self.update_box)
        buttons = ok_cancel(self)
        form.addRow(buttons)

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
    update = dialog.update_box.isChecked()

    problem: AnnotatorError | None = None
    try:
        files = input_files(paths, fmt)
        total = count_records(files, fmt)
    except AnnotatorError as exc:
        # Reported by the job like any failed import, in the same dialog.
        files, total, problem = paths, 0, exc

    def work(progress: Progress, cancelled: CancelCheck) -> object:
        if problem is not None:
            raise problem
        with Project.open(project_path, annotator=me) as opened:
            return import_paths(
                opened,
                files,
                fmt=fmt,
                encoding=encoding,
                annotator=annotator,
                progress=progress,
                cancelled=cancelled,
                update=update,
            )

    job = Job(parent, texts("Importing…"), texts("Cancel"), total, work)
    job.start()
    return job
