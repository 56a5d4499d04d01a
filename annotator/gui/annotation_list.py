"""The open document's annotations in text order; clicking one selects it in the article.

A table model over the shown spans: rows are drawn only when they scroll into view, so a
document with thousands of annotations opens as fast as one with a few.
"""

from __future__ import annotations

from bisect import bisect_left

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from annotator.gui.i18n import Texts
from annotator.gui.inspector import short
from annotator.gui.palette import swatch
from annotator.model.document import Span
from annotator.model.schema import Schema

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Label", "Text", "Annotator")


def _order(span: Span) -> tuple[int, int, str]:
    return (span.start, -span.end, span.id)


class AnnotationModel(QAbstractTableModel):
    """Spans sorted by position; each cell is worked out only when the view asks for it."""

    def __init__(self, schema: Schema, texts: Texts) -> None:
        super().__init__()
        self.texts = texts
        self.text = ""
        self.spans: list[Span] = []
        self._keys: list[tuple[int, int, str]] = []
        self._icons: dict[str, QIcon] = {}
        self._colors = {label.id: label.color for label in schema.labels}

    def set_schema(self, schema: Schema) -> None:
        """Take the colours of ``schema``'s labels (after an import added some)."""
        self._colors = {label.id: label.color for label in schema.labels}
        self._icons = {}

    def reset(self, spans: list[Span], text: str) -> None:
        """Show ``spans`` of ``text``."""
        self.beginResetModel()
        self.text = text
        self.spans = sorted(spans, key=_order)
        self._keys = [_order(span) for span in self.spans]
        self.endResetModel()

    def add(self, span: Span) -> None:
        """Insert one span at its place."""
        key = _order(span)
        row = bisect_left(self._keys, key)
        self.beginInsertRows(QModelIndex(), row, row)
        self._keys.insert(row, key)
        self.spans.insert(row, span)
        self.endInsertRows()

    def remove(self, span_id: str) -> None:
        """Remove one span's row (nothing when it is not listed)."""
        row = self.row_of(span_id)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._keys[row]
        del self.spans[row]
        self.endRemoveRows()

    def row_of(self, span_id: str) -> int | None:
        """Return the row of ``span_id``, or None."""
        return next((i for i, span in enumerate(self.spans) if span.id == span_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Return the number of listed spans."""
        return 0 if parent.isValid() else len(self.spans)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Return label, text and annotator."""
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Return one cell: label, the span's text (one line, shortened) or the annotator."""
        if not index.isValid():
            return None
        span = self.spans[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (span.label, short(span.text_in(self.text)), span.annotator)[column]
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return self._icon(span.label)
        if role == Qt.ItemDataRole.ToolTipRole and column == 1:
            return f"[{span.start}, {span.end})"  # numbers only: never read as markup
        if role == Qt.ItemDataRole.UserRole:
            return span.id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Return the translated column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.texts(HEADERS[section])
        return None

    def _icon(self, label: str) -> QIcon:
        icon = self._icons.get(label)
        if icon is None:
            icon = self._icons[label] = swatch(self._colors.get(label, "#cccccc"))
        return icon


class AnnotationList(QTableView):
    """Label, text and annotator of every shown span; emits ``spanActivated(span_id)``."""

    spanActivated = Signal(str)

    def __init__(self, schema: Schema, texts: Texts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list_model = AnnotationModel(schema, texts)
        self.setModel(self.list_model)
        texts.bind(self._retitle, "Label")
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        # A table, not a tree: a tree lays out every row of a long document when it opens.
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Widths from the schema, not from the rows: fitting columns to their contents would
        # read every row of a long document at every change.
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(label.id) for label in schema.labels), default=40)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, widest + self.iconSize().width() + 3 * metrics.averageCharWidth())
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, metrics.horizontalAdvance("annotator") + metrics.averageCharWidth())
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.clicked.connect(self._clicked)
        self.activated.connect(self._clicked)
        self._marking = False

    def _retitle(self, _text: str) -> None:
        model = self.list_model
        model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADERS) - 1)

    def show_spans(self, spans: list[Span], text: str) -> None:
        """List ``spans`` ordered by position in the text."""
        self.list_model.reset(spans, text)

    def add(self, span: Span, text: str) -> None:
        """Insert one span at its place (no rebuild: cheap with thousands of spans)."""
        self.list_model.text = text
        self.list_model.add(span)

    def remove(self, span_id: str) -> None:
        """Remove one span's row."""
        self.list_model.remove(span_id)

    def replace(self, span: Span, text: str) -> None:
        """Show a changed span (label or edges) at its new place."""
        self.remove(span.id)
        self.add(span, text)

    def span_ids(self) -> list[str]:
        """Return the listed span ids in display order."""
        return [span.id for span in self.list_model.spans]

    def cell_text(self, span_id: str, column: int) -> str:
        """Return what a row shows in one column (0 label, 1 text, 2 annotator)."""
        row = self.list_model.row_of(span_id)
        if row is None:
            raise KeyError(span_id)
        return str(self.list_model.data(self.list_model.index(row, column)))

    def row_rect(self, span_id: str) -> QRect:
        """Scroll the row of ``span_id`` into view and return its text cell's rectangle."""
        row = self.list_model.row_of(span_id)
        if row is None:
            raise KeyError(span_id)
        index = self.list_model.index(row, 1)
        self.scrollTo(index)
        return self.visualRect(index)

    def mark_selected(self, span_id: str | None) -> None:
        """Select the row of ``span_id`` (or none) without emitting ``spanActivated``."""
        self._marking = True
        try:
            self.clearSelection()
            row = self.list_model.row_of(span_id) if span_id else None
            if row is not None:
                index = self.list_model.index(row, 0)
                flags = (
                    self.selectionModel().SelectionFlag.ClearAndSelect
                    | self.selectionModel().SelectionFlag.Rows
                )
                self.selectionModel().select(index, flags)
                self.scrollTo(index)
        finally:
            self._marking = False

    def _clicked(self, index: QModelIndex) -> None:
        if index.isValid() and not self._marking:
            self.spanActivated.emit(self.list_model.spans[index.row()].id)
