"""Pieces of the review panel: case rows, the edit dialog and the agreement table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidgetItem,
    QWidget,
)

from annotator.model.schema import Schema
from annotator.review.compare import AGREED, ATTRIBUTE, BOUNDARY, LABEL, ONLY, Case, Option
from annotator.review.report import number
from annotator.store.reviews import Decision

# Light backgrounds keep the black Arabic text readable; the kind is also written out in the
# first column, so the colour is never the only cue.
KIND_COLORS = {
    AGREED: "#d9ead3",
    ONLY: "#fff2cc",
    LABEL: "#f4cccc",
    BOUNDARY: "#e4d7f5",
    ATTRIBUTE: "#cfe2f3",
}
KIND_NAMES = {
    AGREED: "agreed",
    ONLY: "only one side",
    LABEL: "label conflict",
    BOUNDARY: "boundary conflict",
    ATTRIBUTE: "attribute conflict",
}
CASE_COLUMNS = ("Case", "Versions", "Text", "Missing", "Decision")
AGREEMENT_COLUMNS = ("Pair", "Docs", "F1 exact", "F1 overlap", "Kappa", "Alpha", "Links F1")


def option_text(option: Option, text: str) -> str:
    """Describe one version of a case: label or link, its words, and who marked it."""
    who = ", ".join(option.annotators)
    if option.head is not None and option.tail is not None:
        head = text[option.head[0] : option.head[1]]
        tail = text[option.tail[0] : option.tail[1]]
        return f"{option.label}: «{head}» → «{tail}» ({who})"
    words = text[option.start : option.end]
    attrs = " ".join(f"{k}={v}" for k, v in option.attrs)
    return f"{option.label} «{words}»{' ' + attrs if attrs else ''} ({who})"


def case_kind(case: Case) -> str:
    """Return the case's kind in words, with "link" for relation cases."""
    name = KIND_NAMES[case.kind]
    return f"link: {name}" if case.target == "relation" else name


def decision_text(decision: Decision | None) -> str:
    """Describe a decision: what, by whom; empty while the case is open."""
    if decision is None:
        return ""
    return f"{decision.decision} by {decision.reviewer}"


def case_item(case: Case, text: str, decision: Decision | None) -> QTreeWidgetItem:
    """Return a colour-coded row for one case."""
    versions = " | ".join(option_text(o, text) for o in case.options)
    item = QTreeWidgetItem(
        [
            case_kind(case),
            versions,
            text[case.start : case.end],
            ", ".join(case.missing),
            decision_text(decision),
        ]
    )
    brush = QBrush(QColor(KIND_COLORS[case.kind]))
    for column in range(len(CASE_COLUMNS)):
        item.setBackground(column, brush)
    if decision is not None:
        font = item.font(0)
        font.setItalic(True)
        for column in range(len(CASE_COLUMNS)):
            item.setFont(column, font)
    item.setToolTip(1, "\n".join(option_text(o, text) for o in case.options))
    return item


class EditDialog(QDialog):
    """Correct a span case before it goes into gold: start, end (code points) and label."""

    def __init__(
        self, text: str, case: Case, schema: Schema, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit into gold")
        self._text = text
        first = case.options[0]
        self.start = QSpinBox()
        self.end = QSpinBox()
        for box, value in ((self.start, first.start), (self.end, first.end)):
            box.setRange(0, len(text))
            box.setValue(value)
            box.valueChanged.connect(self._preview)
        self.label = QComboBox()
        for label_id in schema.label_ids:
            self.label.addItem(label_id, label_id)
        self.label.setCurrentIndex(max(0, self.label.findData(first.label)))
        self.preview = QLabel()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Start", self.start)
        form.addRow("End", self.end)
        form.addRow("Label", self.label)
        form.addRow("Text", self.preview)
        form.addRow(self.buttons)
        self._preview()

    def _preview(self) -> None:
        start, end = self.start.value(), self.end.value()
        self.preview.setText(self._text[start:end] if start < end else "—")

    def values(self) -> tuple[int, int, str]:
        """Return the chosen start, end and label."""
        return self.start.value(), self.end.value(), str(self.label.currentData())


class AgreementTable(QTableWidget):
    """Agreement numbers, one row per pair of annotators."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(AGREEMENT_COLUMNS), parent)
        self.setHorizontalHeaderLabels(list(AGREEMENT_COLUMNS))
        self.verticalHeader().hide()
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)

    def show_result(self, result: Mapping[str, Any]) -> None:
        """Fill the table from an ``annotator.review.agreement.agreement`` result."""
        pairs: Sequence[Mapping[str, Any]] = result["pairs"]
        self.setRowCount(len(pairs))
        for row, pair in enumerate(pairs):
            cells = [
                f"{pair['a']} × {pair['b']}",
                str(pair["documents"]),
                number(pair["span_f1_exact"]),
                number(pair["span_f1_overlap"]),
                number(pair["kappa_tokens"]),
                number(pair["alpha"]),
                number(pair["links_f1"]),
            ]
            for column, value in enumerate(cells):
                self.setItem(row, column, QTableWidgetItem(value))
        self.resizeColumnsToContents()

    def cell_text(self, row: int, column: int) -> str:
        """Return the text of one cell ("" when empty)."""
        item = self.item(row, column)
        return item.text() if item is not None else ""
