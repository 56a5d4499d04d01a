"""The label palette: one button per schema label with colour swatch, names and shortcut."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QButtonGroup, QToolButton, QVBoxLayout, QWidget

from annotator.model.schema import Label, Schema


def swatch(color: str, size: int = 14) -> QIcon:
    """Return a square icon filled with ``color`` (a label's colour)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


def label_caption(label: Label) -> str:
    """Return the palette text of a label: shortcut, Arabic and English names."""
    key = f"[{label.shortcut}]  " if label.shortcut else ""
    return f"{key}{label.name_ar} · {label.name_en} ({label.id})"


class LabelPalette(QWidget):
    """Clicking a label applies it to the selection (``labelChosen``); the last one is current."""

    labelChosen = Signal(str)

    def __init__(self, schema: Schema, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons: dict[str, QToolButton] = {}
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(1)
        for label in schema.labels:
            button = QToolButton()
            button.setText(label_caption(label))
            button.setIcon(swatch(label.color))
            button.setIconSize(QSize(14, 14))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setMinimumWidth(200)
            button.setToolTip(f"{label.name_en} — {label.name_ar}")
            button.clicked.connect(lambda _=False, lid=label.id: self._clicked(lid))
            self.group.addButton(button)
            self.buttons[label.id] = button
            layout.addWidget(button)
        layout.addStretch(1)
        self.current = schema.labels[0].id if schema.labels else ""
        if self.current:
            self.buttons[self.current].setChecked(True)

    def _clicked(self, label_id: str) -> None:
        self.set_current(label_id)
        self.labelChosen.emit(label_id)

    def set_current(self, label_id: str) -> None:
        """Mark ``label_id`` as the current label (used by "annotate all matches")."""
        self.current = label_id
        self.buttons[label_id].setChecked(True)
