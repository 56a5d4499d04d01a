"""The open document's annotations in text order; clicking one jumps to it in the article."""

from __future__ import annotations

from bisect import bisect_left
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from annotator.gui.i18n import Texts
from annotator.gui.inspector import short
from annotator.gui.palette import swatch
from annotator.model.document import Span
from annotator.model.schema import Schema


def _order(span: Span) -> tuple[int, int, str]:
    return (span.start, -span.end, span.id)


class AnnotationList(QTreeWidget):
    """Label, text and annotator of every shown span; emits ``spanActivated(span_id)``."""

    spanActivated = Signal(str)

    def __init__(self, schema: Schema, texts: Texts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.schema = schema
        self.setColumnCount(3)
        for column, key in enumerate(("Label", "Text", "Annotator")):
            texts.bind(partial(self._set_header, column), key)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.itemClicked.connect(self._clicked)
        self.itemActivated.connect(self._clicked)
        self._items: dict[str, QTreeWidgetItem] = {}
        self._keys: list[tuple[int, int, str]] = []  # sort keys of the rows, for bisect
        self._colors = {label.id: label.color for label in schema.labels}

    def _set_header(self, column: int, text: str) -> None:
        # Looked up each time: holding the header item's wrapper outlives the item at close.
        header = self.headerItem()
        if header is not None:
            header.setText(column, text)

    def show_spans(self, spans: list[Span], text: str) -> None:
        """List ``spans`` ordered by position in the text."""
        self.clear()
        self._items, self._keys = {}, []
        ordered = sorted(spans, key=_order)
        self.addTopLevelItems([self._item(span, text) for span in ordered])
        self._keys = [_order(span) for span in ordered]

    def add(self, span: Span, text: str) -> None:
        """Insert one span at its place (no rebuild: cheap with thousands of spans)."""
        key = _order(span)
        row = bisect_left(self._keys, key)
        self._keys.insert(row, key)
        self.insertTopLevelItem(row, self._item(span, text))

    def remove(self, span_id: str) -> None:
        """Remove one span's row."""
        item = self._items.pop(span_id, None)
        if item is not None:
            row = self.indexOfTopLevelItem(item)
            del self._keys[row]
            self.takeTopLevelItem(row)

    def replace(self, span: Span, text: str) -> None:
        """Show a changed span (label or edges) at its new place."""
        self.remove(span.id)
        self.add(span, text)

    def _item(self, span: Span, text: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem([span.label, short(span.text_in(text)), span.annotator])
        item.setIcon(0, swatch(self._colors.get(span.label, "#cccccc")))
        item.setData(0, Qt.ItemDataRole.UserRole, span.id)
        item.setToolTip(1, f"[{span.start}, {span.end})")
        self._items[span.id] = item
        return item

    def span_ids(self) -> list[str]:
        """Return the listed span ids in display order."""
        items = (self.topLevelItem(i) for i in range(self.topLevelItemCount()))
        return [item.data(0, Qt.ItemDataRole.UserRole) for item in items if item is not None]

    def mark_selected(self, span_id: str | None) -> None:
        """Select the row of ``span_id`` (or none) without emitting ``spanActivated``."""
        self.blockSignals(True)
        self.clearSelection()
        item = self._items.get(span_id or "")
        if item is not None:
            item.setSelected(True)
            self.scrollToItem(item)
        self.blockSignals(False)

    def _clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        self.spanActivated.emit(item.data(0, Qt.ItemDataRole.UserRole))
