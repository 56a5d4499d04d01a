"""Annotate all across the project: the preview of every hit with its checkbox, and the report.

Which hits are checked, offered unchecked or only shown comes from
:mod:`annotator.session.annotate_all` (:class:`PlannedHit`); this module shows them and keeps
the user's ticks. Whole words are checked; hits inside a longer word or inside an annotation
of the label are offered unchecked; hits already annotated with the label, or refused by the
schema, are shown greyed with the reason and cannot be checked. Choosing another label checks
the list again for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.dialogs import ok_cancel
from annotator.gui.fonts import arabic_family
from annotator.gui.i18n import Texts
from annotator.gui.plaintext import plain_label, plain_message, plain_tooltip
from annotator.gui.search_results import KWIC_ROLE, KwicDelegate
from annotator.model.kwic import Kwic
from annotator.model.schema import Schema
from annotator.session.annotate_all import REFUSED, AnnotateAllReport, PlannedHit
from annotator.store.search import Hit

Index = QModelIndex | QPersistentModelIndex
CHECK_COLUMN, TITLE_COLUMN, CONTEXT_COLUMN, KIND_COLUMN = 0, 1, 2, 3
COLUMNS = ("", "Document", "In context", "")


@dataclass(frozen=True)
class PreviewRow:
    """One hit of the preview: its plan, its document's title and its context line."""

    planned: PlannedHit
    title: str
    context: Kwic


class PreviewModel(QAbstractTableModel):
    """The hits with a checkbox each, for one label at a time."""

    def __init__(self, texts: Texts, rows: Sequence[PreviewRow], label: str) -> None:
        super().__init__()
        self.texts, self.rows = texts, list(rows)
        self.label = label
        self.ticked = [r.planned.checked(label) for r in self.rows]

    def set_label(self, label: str) -> None:
        """Check the list again for ``label``: the user's ticks start over."""
        self.beginResetModel()
        self.label = label
        self.ticked = [r.planned.checked(label) for r in self.rows]
        self.endResetModel()

    def kind(self, row: int) -> str:
        """Return what hit ``row`` is for the label, as shown (with the schema's reason)."""
        planned = self.rows[row].planned
        kind = planned.kind(self.label)
        shown = self.texts(kind, label=self.label)
        if kind == REFUSED:
            return f"{shown}: {planned.reason(self.label)}"
        return shown

    def chosen(self) -> list[Hit]:
        """Return the checked hits, in project order."""
        return [r.planned.hit for r, on in zip(self.rows, self.ticked, strict=True) if on]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """One row per hit."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Checkbox, document, context, kind."""
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Column titles in the interface language."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.texts(COLUMNS[section]) if COLUMNS[section] else ""
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Hits already annotated or refused are shown greyed; the others can be ticked."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if not self.rows[index.row()].planned.offered(self.label):
            return Qt.ItemFlag.ItemIsSelectable
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == CHECK_COLUMN:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The tick, the title, the context line and the kind of each hit."""
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        shown = self.rows[row]
        if column == CHECK_COLUMN and role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if self.ticked[row] else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole:
            if column == TITLE_COLUMN:
                return shown.title or shown.planned.hit.doc_id
            if column == CONTEXT_COLUMN:
                return shown.context.line
            if column == KIND_COLUMN:
                return self.kind(row)
        if role == KWIC_ROLE and column == CONTEXT_COLUMN:
            return shown.context, shown.planned.hit.whole_word
        if role == Qt.ItemDataRole.ToolTipRole and column in (CONTEXT_COLUMN, KIND_COLUMN):
            return plain_tooltip(f"{shown.context.line}\n{self.kind(row)}")
        return None

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Tick or untick a hit that can be annotated."""
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != CHECK_COLUMN:
            return False
        if not self.rows[index.row()].planned.offered(self.label):
            return False
        state = value.value if isinstance(value, Qt.CheckState) else value
        self.ticked[index.row()] = state == Qt.CheckState.Checked.value
        self.dataChanged.emit(index, index, [role])
        return True


class AnnotateAcrossDialog(QDialog):
    """Preview of annotate all over the project's hits, with its own label chooser."""

    def __init__(
        self,
        texts: Texts,
        query: str,
        rows: Sequence[PreviewRow],
        label: str,
        schema: Schema,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.texts = texts
        self.setWindowTitle(texts("Annotate all in the project"))
        self.label_combo = QComboBox()
        for option in schema.labels:
            self.label_combo.addItem(
                f"{option.id} — {option.name_en} / {option.name_ar}", option.id
            )
        self.label_combo.setCurrentIndex(max(0, self.label_combo.findData(label)))
        self.model = PreviewModel(texts, rows, self.label())
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(CONTEXT_COLUMN, KwicDelegate(self.table))
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        font = self.table.font()
        font.setFamily(arabic_family())
        self.table.setFont(font)
        header = self.table.horizontalHeader()
        for column in (CHECK_COLUMN, TITLE_COLUMN, KIND_COLUMN):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(CONTEXT_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.query = plain_label(texts("Hits of «{query}»", query=query))
        self.question = plain_label()
        self.model.dataChanged.connect(lambda *_a: self._ask())
        self.model.modelReset.connect(self._ask)
        self.label_combo.currentIndexChanged.connect(lambda _i: self.model.set_label(self.label()))
        layout = QVBoxLayout(self)
        chooser = QHBoxLayout()
        chooser.addWidget(QLabel(texts("Label:")))
        chooser.addWidget(self.label_combo, 1)
        layout.addWidget(self.query)
        layout.addLayout(chooser)
        layout.addWidget(self.question)
        layout.addWidget(self.table, 1)
        layout.addWidget(ok_cancel(self))
        self._ask()
        self.resize(900, 520)

    def label(self) -> str:
        """Return the label the checked hits will get."""
        return str(self.label_combo.currentData())

    def set_label(self, label_id: str) -> None:
        """Choose the label, as picking it in the box does."""
        self.label_combo.setCurrentIndex(self.label_combo.findData(label_id))

    def chosen(self) -> list[Hit]:
        """Return the hits that will be annotated."""
        return self.model.chosen()

    def kinds(self) -> list[str]:
        """Return the kind column as shown, one entry per hit."""
        return [self.model.kind(row) for row in range(self.model.rowCount())]

    def _ask(self) -> None:
        chosen = self.chosen()
        documents = len({h.doc_id for h in chosen})
        self.question.setText(
            self.texts(
                "Annotate {n} hit(s) in {d} document(s) as {label}?",
                n=len(chosen),
                d=documents,
                label=self.label(),
            )
        )


def report_text(texts: Texts, report: AnnotateAllReport) -> str:
    """Return the report box's text: what was added, and what was skipped and why."""
    lines = [
        texts(
            "Added {n} {label} annotation(s) in {d} document(s).",
            n=report.added,
            label=report.label,
            d=report.documents,
        ),
        texts("Skipped, already annotated: {n}", n=report.already),
        texts("Left unchecked: {n}", n=report.unchecked),
        texts("Refused by the schema: {n}", n=report.refused_count),
    ]
    lines += [f"  {count} × {why}" for why, count in report.refused]
    return "\n".join(lines)


def report_line(texts: Texts, report: AnnotateAllReport) -> str:
    """Return the report in one line, for the status bar."""
    return texts(
        "Annotate all: added {n}, already annotated {m}, unchecked {k}, refused {r}",
        n=report.added,
        m=report.already,
        k=report.unchecked,
        r=report.refused_count,
    )


def report_box(texts: Texts, report: AnnotateAllReport, parent: QWidget) -> QMessageBox:
    """Return the report box (not yet shown), its text never read as markup."""
    return plain_message(
        QMessageBox.Icon.Information,
        texts("Annotate all in the project"),
        report_text(texts, report),
        parent,
    )
