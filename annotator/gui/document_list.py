"""The document list: a table model over Project.document_rows, fetched page by page."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.errors import AnnotatorError
from annotator.gui.i18n import Texts
from annotator.gui.plaintext import plain_tooltip
from annotator.store import DocumentRow, Project

PAGE = 200
Index = QModelIndex | QPersistentModelIndex


class DocumentListModel(QAbstractTableModel):
    """Title, annotation count and status of each document; rows load lazily as they scroll in.

    Qt asks for rows from inside its event loop, where an exception would escape every caller:
    a project error met while loading rows stops the loading and is emitted as ``failed``.
    """

    HEADERS = ("Title", "Annotations", "Status")
    failed = Signal(object)  # an AnnotatorError met while loading rows

    def __init__(self, project: Project, texts: Texts | None = None) -> None:
        super().__init__()
        self.project = project
        self.texts = texts or Texts()
        self.contains = ""
        self._rows: list[DocumentRow] = []
        self._total = project.document_count()

    def set_filter(self, contains: str) -> None:
        """Show only documents whose title contains ``contains``; reload from the first page."""
        self.beginResetModel()
        self.contains = contains
        self._rows = []
        try:
            self._total = self.project.document_count(contains)
        except AnnotatorError as exc:
            self._total = 0
            self.failed.emit(exc)
        self.endResetModel()
        self.fetchMore(QModelIndex())  # the view asks for more rows only once it lays out again

    def refresh(self) -> None:
        """Reload the rows already shown (counts and statuses change as the user annotates)."""
        self.beginResetModel()
        loaded = max(len(self._rows), PAGE)
        try:
            self._total = self.project.document_count(self.contains)
            self._rows = self.project.document_rows(0, loaded, self.contains)
        except AnnotatorError as exc:
            self._total = len(self._rows)  # keep what was shown
            self.failed.emit(exc)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Return how many rows are loaded so far."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Return the number of columns: title, annotations, status."""
        return 0 if parent.isValid() else len(self.HEADERS)

    def canFetchMore(self, parent: Index) -> bool:
        """Return True while documents beyond the loaded pages exist."""
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index) -> None:
        """Load the next page of rows from the store."""
        if parent.isValid():
            return
        try:
            page = self.project.document_rows(len(self._rows), PAGE, self.contains)
        except AnnotatorError as exc:
            self._total = len(self._rows)  # show what was read; ask no more
            self.failed.emit(exc)
            return
        if not page:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def row(self, index: int) -> DocumentRow:
        """Return the document row shown at ``index``."""
        return self._rows[index]

    def row_of(self, doc_id: str) -> int | None:
        """Return the row showing ``doc_id``, or None when it is not loaded."""
        return next((i for i, r in enumerate(self._rows) if r.id == doc_id), None)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Return the cell text; titles are plain strings, never interpreted as markup."""
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.title, row.span_count, self.texts(row.status))[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            # Tooltips are rich text when they look like HTML: escape so tags show literally.
            return plain_tooltip(row.title)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Return the column titles in the UI language."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.texts(self.HEADERS[section])
        return None


class DocumentList(QWidget):
    """Filter box over the document table; emits ``documentActivated(doc_id)`` on selection."""

    documentActivated = Signal(str)

    def __init__(self, project: Project, texts: Texts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = DocumentListModel(project, texts)
        self.filter_edit = QLineEdit()
        self.filter_edit.setClearButtonEnabled(True)
        texts.bind(self.filter_edit.setPlaceholderText, "Filter by title")
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.table)
        self.filter_edit.textChanged.connect(self.model.set_filter)
        self.table.clicked.connect(self._activated)
        self.table.activated.connect(self._activated)

    def _activated(self, index: QModelIndex) -> None:
        self.documentActivated.emit(self.model.row(index.row()).id)

    def show_current(self, doc_id: str) -> None:
        """Refresh the rows and select the row of ``doc_id`` without re-emitting activation."""
        self.model.refresh()
        row = self.model.row_of(doc_id)
        if row is not None:
            self.table.selectRow(row)
