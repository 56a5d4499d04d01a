"""Pieces of the review panel: case rows, the edit dialog and the agreement table."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Qt
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

from annotator.gui.dialogs import ok_cancel
from annotator.gui.plaintext import plain_tooltip
from annotator.model.offsets import Alignment, char_span, misalignment
from annotator.model.schema import Schema
from annotator.review.compare import AGREED, ATTRIBUTE, BOUNDARY, LABEL, ONLY, Case, Option
from annotator.review.report import number
from annotator.store.reviews import Decision


def document_caption(doc_id: str, title: str, status: str) -> str:
    """Return a document's entry in the panel's list: id, title and review status."""
    return f"{doc_id} — {title} [{status.replace('_', ' ')}]"


# decide(doc_id, case keys the decision affects, the decision): runs the decision, e.g. as an
# undoable edit; an AnnotatorError it raises is shown as for a decision run by the panel.
Decide = Callable[[str, list[str], Callable[[], object]], None]

BUTTONS = {  # the panel's buttons, in their order on screen
    "previous": "◀ Previous",
    "next": "Next ▶",
    "accept": "Accept",
    "reject": "Reject",
    "edit": "Edit…",
    "accept_agreed": "Accept all agreed",
}
SHORTCUTS = {
    "next": "F8",
    "previous": "Shift+F8",
    "accept": "Ctrl+Shift+A",
    "reject": "Ctrl+Shift+R",
    "edit": "Ctrl+Shift+E",
    "accept_agreed": "Ctrl+Shift+G",
}


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
CASE_COLUMNS = ("Case", "Decision", "Missing", "Versions")
SHORT_WORDS = 40  # quotes run to hundreds of characters: the list shows their start
AGREEMENT_COLUMNS = (
    "Pair",
    "Label",
    "Spans a / b",
    "F1 exact",
    "F1 overlap",
    "Kappa",
    "Alpha",
    "Links F1",
)
FSI, PDI = "\u2068", "\u2069"  # first-strong isolate: Arabic pieces keep their own direction


def shorten(words: str, limit: int = SHORT_WORDS) -> str:
    """Return ``words`` cut at a word break near ``limit`` characters, with an ellipsis."""
    if len(words) <= limit:
        return words
    cut = words.rfind(" ", 0, limit)
    # Cutting at a space never separates a letter from its combining marks.
    return words[: cut if cut > 0 else limit] + " …"


def quoted(words: str, limit: int = SHORT_WORDS) -> str:
    """Return ``words`` shortened, isolated and in guillemets for a left-to-right line.

    Without the isolate, "«head» → «tail»" with two Arabic pieces becomes one right-to-left
    run and shows the arrow pointing the wrong way.
    """
    return f"«{FSI}{shorten(words, limit)}{PDI}»"


def attribute_names(case: Case) -> tuple[str, ...]:
    """Return the attributes any version of ``case`` sets, so the others can say "not set"."""
    return tuple(sorted({name for o in case.options for name, _ in o.attrs}))


def option_text(
    option: Option, text: str, limit: int = SHORT_WORDS, names: tuple[str, ...] = ()
) -> str:
    """Describe one version of a case: label or link, its words, and who marked it.

    ``names`` are attributes to show as "not set" when this version has no value for them.
    """
    who = ", ".join(option.annotators)
    if option.head is not None and option.tail is not None:
        head = quoted(text[option.head[0] : option.head[1]], limit)
        tail = quoted(text[option.tail[0] : option.tail[1]], limit)
        return f"{option.label}: {head} → {tail} ({who})"
    words = quoted(text[option.start : option.end], limit)
    values = dict.fromkeys(names, "not set") | dict(option.attrs)
    attrs = " ".join(f"{k}={v}" for k, v in sorted(values.items()))
    return f"{option.label} {words}{' ' + attrs if attrs else ''} ({who})"


def case_kind(case: Case) -> str:
    """Return the case's kind in words, with "link" for relation cases."""
    name = KIND_NAMES[case.kind]
    return f"link: {name}" if case.target == "relation" else name


DECISION_MARKS = {"accepted": "✓", "rejected": "✗", "edited": "✎"}


def decision_text(decision: Decision | None) -> str:
    """Describe a decision: what, by whom; empty while the case is open."""
    if decision is None:
        return ""
    return f"{DECISION_MARKS[decision.decision]} {decision.decision} by {decision.reviewer}"


def case_item(case: Case, text: str, decision: Decision | None) -> QTreeWidgetItem:
    """Return a colour-coded row for one case."""
    versions = " | ".join(option_text(o, text, names=attribute_names(case)) for o in case.options)
    item = QTreeWidgetItem(
        [case_kind(case), decision_text(decision), ", ".join(case.missing), versions]
    )
    brush = QBrush(QColor(KIND_COLORS[case.kind]))
    for column in range(len(CASE_COLUMNS)):
        item.setBackground(column, brush)
    if decision is not None:
        # Grey text marks a settled case; italics would fall back to a face without Arabic.
        grey = QBrush(QColor("#666666"))
        for column in range(len(CASE_COLUMNS)):
            item.setForeground(column, grey)
    names = attribute_names(case)
    tip = "\n".join(option_text(o, text, 400, names) for o in case.options)
    item.setToolTip(3, plain_tooltip(tip))
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
        self.preview.setTextFormat(Qt.TextFormat.PlainText)  # article text, never markup
        self.problem = QLabel()  # why OK is off: an edge inside a letter's cluster
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        self.buttons = ok_cancel(self)
        form = QFormLayout(self)
        form.addRow("Start", self.start)
        form.addRow("End", self.end)
        form.addRow("Label", self.label)
        form.addRow("Text", self.preview)
        form.addRow(self.problem)
        form.addRow(self.buttons)
        self._preview()

    def _preview(self) -> None:
        start, end = self.start.value(), self.end.value()
        self.preview.setText(self._text[start:end] if start < end else "—")
        # The strict policy: offsets the reviewer typed are kept or refused, never moved.
        aligned = start < end and char_span(self._text, start, end, Alignment.STRICT) is not None
        error = misalignment(self._text, start, end)
        self.problem.setText(error.message if error is not None else "")
        self.problem.setVisible(error is not None)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(aligned)

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
        """Fill the table from an ``agreement`` result: per pair, all labels then each label."""
        rows: list[list[str]] = []
        for pair in result["pairs"]:
            name = f"{pair['a']} × {pair['b']}"
            labels: list[tuple[str, Mapping[str, Any]]] = [("all", pair)]
            labels += list(pair["per_label"].items())
            for label, scores in labels:
                rows.append(
                    [
                        name,
                        label,
                        f"{scores['spans_a']} / {scores['spans_b']}",
                        number(scores["span_f1_exact"]),
                        number(scores["span_f1_overlap"]),
                        number(scores["kappa_tokens"]),
                        number(scores["alpha"]),
                        number(pair["links_f1"]) if label == "all" else "",
                    ]
                )
        self.setRowCount(len(rows))
        for row, cells in enumerate(rows):
            for column, value in enumerate(cells):
                self.setItem(row, column, QTableWidgetItem(value))
        self.resizeColumnsToContents()

    def cell_text(self, row: int, column: int) -> str:
        """Return the text of one cell ("" when empty)."""
        item = self.item(row, column)
        return item.text() if item is not None else ""
