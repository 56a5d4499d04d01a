"""The label palette: one row per schema label with colour swatch, shortcut, Arabic and English names."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from annotator.gui.plaintext import plain_tooltip
from annotator.model.schema import Schema


def swatch(color: str, size: int = 14) -> QIcon:
    """Return a square icon filled with ``color`` (a label's colour)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


class LabelPalette(QTableWidget):
    """Clicking a label applies it to the selection (``labelChosen``); the last one is current."""

    labelChosen = Signal(str)

    def __init__(self, schema: Schema, parent: QWidget | None = None) -> None:
        super().__init__(len(schema.labels), 3, parent)
        self.label_ids: list[str] = []
        self.current = ""
        self.setHorizontalHeaderLabels(["", "عربي", "English"])
        self.verticalHeader().hide()
        self.setShowGrid(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # label keys must keep reaching the window
        self.cellClicked.connect(lambda row, _column: self._clicked(self.label_ids[row]))
        self.set_schema(schema)

    def set_schema(self, schema: Schema) -> None:
        """Show the labels of ``schema`` (again after an import added some)."""
        self.label_ids = schema.label_ids
        self.setRowCount(len(schema.labels))
        for row, label in enumerate(schema.labels):
            key = QTableWidgetItem(swatch(label.color), label.shortcut)
            key.setToolTip(plain_tooltip(label.id))
            self.setItem(row, 0, key)
            self.setItem(row, 1, QTableWidgetItem(label.name_ar))
            self.setItem(row, 2, QTableWidgetItem(f"{label.name_en} ({label.id})"))
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.resizeRowsToContents()
        current = getattr(self, "current", "")
        self.current = current if current in self.label_ids else (self.label_ids or [""])[0]
        if self.current:
            self.selectRow(self.label_ids.index(self.current))
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        """As tall as all its rows, so every label is in view when there is room."""
        rows = self.verticalHeader().length() + self.horizontalHeader().height()
        return QSize(super().sizeHint().width(), rows + 2 * self.frameWidth())

    def _clicked(self, label_id: str) -> None:
        self.set_current(label_id)
        self.labelChosen.emit(label_id)

    def click(self, label_id: str) -> None:
        """Click the row of ``label_id``, as the user would."""
        row = self.label_ids.index(label_id)
        self.cellClicked.emit(row, 1)

    def set_current(self, label_id: str) -> None:
        """Mark ``label_id`` as the current label (used by "annotate all matches")."""
        self.current = label_id
        self.selectRow(self.label_ids.index(label_id))
