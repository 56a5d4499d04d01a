"""File > Export: choose format, annotators, labels and a split; write off the UI thread, cancellable.

annotator.io.operations.export writes to a temporary file and renames it at the end, so a
cancelled or failed export leaves no file under the chosen name; a split that would leave a part
empty is refused before any file is written, as `annotator export --split` refuses it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QWidget,
)

from annotator.gui.dialogs import ok_cancel
from annotator.gui.i18n import Texts
from annotator.gui.jobs import CancelCheck, Job, Progress
from annotator.io.alignment import ExportReport
from annotator.io.operations import Selection, export
from annotator.io.registry import get_format, writable
from annotator.io.split import Split
from annotator.model.document import GOLD_ANNOTATOR
from annotator.store import Project
from annotator.store.pg.location import ServerLocation


def checklist(items: list[tuple[str, str]]) -> QListWidget:
    """Return a list of unchecked items (value, caption)."""
    widget = QListWidget()
    for value, caption in items:
        item = QListWidgetItem(caption)
        item.setData(Qt.ItemDataRole.UserRole, value)
        item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
        item.setCheckState(Qt.CheckState.Unchecked)
        widget.addItem(item)
    widget.setMaximumHeight(120)
    return widget


def checked_values(widget: QListWidget) -> list[str]:
    """Return the values of the checked items."""
    items = (widget.item(i) for i in range(widget.count()))
    return [
        i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked
    ]


def set_checked(widget: QListWidget, values: set[str]) -> None:
    """Check exactly the items whose value is in ``values``."""
    for i in range(widget.count()):
        item = widget.item(i)
        on = item.data(Qt.ItemDataRole.UserRole) in values
        item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


def path_row(edit: QLineEdit, browse: QPushButton) -> QWidget:
    """Return a line edit and its Browse button side by side."""
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit, 1)
    layout.addWidget(browse)
    return row


def default_out_path(project: Project) -> Path:
    """Where File > Export proposes to write: beside a project file, named after it; for a
    server project (no file of its own) in the home folder, named after its database."""
    where = project.path
    if isinstance(where, ServerLocation):
        return Path.home() / f"{where.database}.jsonl"
    return where.with_suffix(".jsonl")


class ExportDialog(QDialog):
    """Asks what to export and where."""

    def __init__(self, project: Project, texts: Texts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(texts("Export"))
        self.format_combo = QComboBox()
        for name in writable():
            self.format_combo.addItem(f"{name} — {get_format(name).description}", name)
        self.annotators = checklist([(n, n) for n in project.annotators()])
        self.labels = checklist(
            [(lab.id, f"{lab.id} · {lab.name_ar}") for lab in project.schema.labels]
        )
        self.path_edit = QLineEdit(str(default_out_path(project)))
        self.split_edit = QLineEdit()
        self.split_edit.setPlaceholderText(
            texts("e.g. 80,10,10 (train, dev, test); empty: one file")
        )
        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, 2**31 - 1)
        browse = QPushButton(texts("Browse…"))
        browse.clicked.connect(self._browse)
        self.format_combo.currentIndexChanged.connect(self._format_changed)
        form = QFormLayout(self)
        form.addRow(texts("Format"), self.format_combo)
        form.addRow(texts("Annotators (none checked = all)"), self.annotators)
        form.addRow(texts("Labels (none checked = all)"), self.labels)
        form.addRow(texts("File"), path_row(self.path_edit, browse))
        form.addRow(texts("Split"), self.split_edit)
        form.addRow(texts("Seed"), self.seed_spin)
        buttons = ok_cancel(self)
        form.addRow(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.windowTitle(), self.path_edit.text())
        if path:
            self.path_edit.setText(path)

    def _format_changed(self, _index: int) -> None:
        suffix = get_format(self.fmt()).suffix
        if suffix and self.path_edit.text().strip():
            self.path_edit.setText(str(self.out_path().with_suffix(suffix)))

    def fmt(self) -> str:
        """Return the chosen format name."""
        return str(self.format_combo.currentData())

    def out_path(self) -> Path:
        """Return the file to write."""
        return Path(self.path_edit.text().strip())

    def split(self) -> Split | None:
        """Return the chosen split (None: one file); raise InputError when it is not valid."""
        spec = self.split_edit.text().strip()
        return Split.parse(spec, self.seed_spin.value()) if spec else None

    def selection(self) -> Selection:
        """Return the chosen annotators and labels."""
        annotators = tuple(checked_values(self.annotators))
        labels = frozenset(checked_values(self.labels))
        if annotators == (GOLD_ANNOTATOR,):  # the reviewed layer, as `export --gold` writes it
            return Selection(gold=True, labels=labels)
        return Selection(annotators=annotators or None, labels=labels)


def start_export(
    parent: QWidget,
    texts: Texts,
    project: Project,
    out: Path,
    fmt: str,
    selection: Selection,
    split: Split | None = None,
) -> Job:
    """Start writing ``out`` in a worker thread; the returned Job reports the outcome."""
    project_path = project.path
    total = project.document_count() if selection.doc_ids is None else len(selection.doc_ids)

    def work(progress: Progress, cancelled: CancelCheck) -> object:
        report = ExportReport()
        with Project.open(project_path, read_only=True) as opened:
            report.documents = export(
                opened,
                out,
                fmt=fmt,
                selection=selection,
                progress=progress,
                cancelled=cancelled,
                report=report,
                split=split,
            )
        return report

    job = Job(parent, texts("Exporting…"), texts("Cancel"), total, work)
    job.start()
    return job
