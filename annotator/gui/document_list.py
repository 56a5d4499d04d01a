"""The document list: a table model over a filtered DocumentListing, fetched page by page.

Rows load as the view scrolls to them (canFetchMore / fetchMore, one page by key each time);
a filter change reads one page. How many documents match is counted a slice of the project at a
time between events, so at 100,000 documents the list shows its first page at once and the
count follows.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.errors import AnnotatorError
from annotator.gui.filter_bar import FilterBar
from annotator.gui.i18n import Texts
from annotator.gui.plaintext import plain_tooltip
from annotator.store import DocumentRow, Project
from annotator.store.listing import PAGE, DocumentFilter, DocumentListing

Index = QModelIndex | QPersistentModelIndex
COUNT_SLICE = 10_000  # positions counted per step: a few milliseconds at most
REVEAL_ROWS = 5_000  # the list loads this many rows at most to show the open document


class DocumentListModel(QAbstractTableModel):
    """Title, annotation count and status of each document; rows load lazily as they scroll in.

    Qt asks for rows from inside its event loop, where an exception would escape every caller:
    a project error met while loading rows stops the loading and is emitted as ``failed``.
    ``counted`` is emitted when :attr:`total` changes (None while counting).
    """

    HEADERS = ("Title", "Annotations", "Status")
    failed = Signal(object)  # an AnnotatorError met while loading rows
    counted = Signal()

    def __init__(self, project: Project, texts: Texts | None = None) -> None:
        super().__init__()
        self.project = project
        self.texts = texts or Texts()
        self.listing = DocumentListing(project)
        self.total: int | None = None
        self._rows: list[DocumentRow] = []
        self._where: dict[str, int] = {}  # document id -> row
        self._far: str | None = None  # a match too far after the loaded rows to load up to
        self._more = True  # another page may follow the loaded rows
        self._counter = QTimer(self, interval=0)
        self._counter.timeout.connect(self._count_slice)
        self._slice = (0, 0, 0)  # next position to count, last position, matches so far
        self._start_count()

    @property
    def filter(self) -> DocumentFilter:
        """Return the filter the list applies."""
        return self.listing.filter

    def set_filter(self, where: DocumentFilter) -> None:
        """Show only the documents ``where`` lets through; reload from the first page."""
        try:
            listing = DocumentListing(self.project, where)
        except AnnotatorError as exc:
            self.failed.emit(exc)
            return
        self.beginResetModel()
        self.listing.close()
        self.listing = listing
        self._set_rows([])
        self._more = True
        self.endResetModel()
        self.fetchMore(QModelIndex())  # the view asks for more rows only once it lays out again
        self._start_count()

    def reload(self) -> None:
        """Reload the rows shown and search the text again (documents may have been added)."""
        if self.filter.text:
            try:
                listing = DocumentListing(self.project, self.filter)
            except AnnotatorError as exc:
                self.failed.emit(exc)
                return
            self.listing.close()
            self.listing = listing
        self.refresh()

    def refresh(self) -> None:
        """Reload the rows already shown (counts and statuses change as the user annotates)."""
        self.beginResetModel()
        wanted = max(len(self._rows), PAGE)
        try:
            self._set_rows(self.listing.rows(None, wanted))
            self._more = len(self._rows) == wanted
        except AnnotatorError as exc:
            self._more = False  # keep what was shown
            self.failed.emit(exc)
        self.endResetModel()
        self._start_count()

    def _set_rows(self, rows: list[DocumentRow]) -> None:
        self._rows = rows
        self._where = {row.id: i for i, row in enumerate(rows)}
        self._far = None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Return how many rows are loaded so far."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Return the number of columns: title, annotations, status."""
        return 0 if parent.isValid() else len(self.HEADERS)

    def canFetchMore(self, parent: Index) -> bool:
        """Return True while documents beyond the loaded pages may match."""
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index) -> None:
        """Load the next page of rows from the store."""
        if parent.isValid() or not self._more:
            return
        after = self._rows[-1].id if self._rows else None
        try:
            page = self.listing.rows(after, PAGE)
        except AnnotatorError as exc:
            self._more = False  # show what was read; ask no more
            self.failed.emit(exc)
            return
        self._more = len(page) == PAGE
        if not page:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self._where.update((row.id, first + i) for i, row in enumerate(page))
        self._far = None  # nearer now
        self.endInsertRows()
        if not self._more and self._counter.isActive():
            self._finish_count(len(self._rows))  # every match is loaded: that is the count

    def row(self, index: int) -> DocumentRow:
        """Return the document row shown at ``index``."""
        return self._rows[index]

    def row_of(self, doc_id: str) -> int | None:
        """Return the row showing ``doc_id``, or None when it is not loaded."""
        return self._where.get(doc_id)

    def reveal(self, doc_id: str) -> int | None:
        """Return the row of ``doc_id``, loading pages up to it when it is near enough.

        Near enough is within REVEAL_ROWS matching documents of the loaded rows: Next from the
        last loaded row loads one page, and a restart reopening a document far down the list
        does not load the whole list.
        """
        row = self._where.get(doc_id)
        if row is not None or not self._more:
            return row
        try:
            if self._far is not None and not self.listing.precedes(doc_id, self._far):
                return None  # at or after a document already found too far: Next far down
            if not self.listing.matches(doc_id):
                return None
            after = self._rows[-1].id if self._rows else None
            if self.listing.count_before(doc_id, after, REVEAL_ROWS) >= REVEAL_ROWS:
                self._far = doc_id
                return None
        except AnnotatorError as exc:
            self.failed.emit(exc)
            return None
        while doc_id not in self._where and self._more:
            self.fetchMore(QModelIndex())
        return self._where.get(doc_id)

    # ---- counting ------------------------------------------------------------------------

    def _start_count(self) -> None:
        self._counter.stop()
        if not self._more:  # every match is loaded: that is the count
            self._finish_count(len(self._rows))
            return
        try:
            if self.listing.filter.is_empty:
                self._finish_count(self.listing.count())  # read from an index: no slices needed
                return
            bounds = self.listing.position_range()
        except AnnotatorError as exc:
            self.failed.emit(exc)
            self._finish_count(len(self._rows))
            return
        if bounds is None:
            self._finish_count(0)
            return
        self._slice = (bounds[0], bounds[1], 0)
        self.total = None
        self.counted.emit()
        self._counter.start()

    def _count_slice(self) -> None:
        low, high, found = self._slice
        top = min(low + COUNT_SLICE, high + 1)
        try:
            found += self.listing.count_between(low, top)
        except AnnotatorError as exc:
            self._counter.stop()
            self.failed.emit(exc)
            return
        self._slice = (top, high, found)
        if top > high:
            self._finish_count(found)

    def _finish_count(self, total: int) -> None:
        self._counter.stop()
        self.total = total
        self.counted.emit()

    def counting(self) -> bool:
        """Return True while the matching documents are being counted."""
        return self._counter.isActive()

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
    """Filter bar over the document table; emits ``documentActivated(doc_id)`` on a click or
    Enter, and ``filterChanged(filter)`` when the user changes the filter."""

    documentActivated = Signal(str)
    filterChanged = Signal(object)  # DocumentFilter

    def __init__(self, project: Project, texts: Texts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = DocumentListModel(project, texts)
        # Its choices come from DocumentController.
        self.filter_bar = FilterBar(texts, me=project.annotator)
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
        layout.setSpacing(0)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.table)
        self.filter_bar.changed.connect(self._filter_chosen)
        self.model.counted.connect(lambda: self.filter_bar.show_count(self.model.total))
        self.filter_bar.show_count(self.model.total)
        self.table.clicked.connect(self._activated)
        self.table.activated.connect(self._activated)

    def _filter_chosen(self, where: DocumentFilter) -> None:
        self.model.set_filter(where)
        self.filterChanged.emit(where)

    def set_filter(self, where: DocumentFilter) -> None:
        """Apply ``where`` and show it in the filter bar (a restart restoring the saved one)."""
        self.filter_bar.set_filter(where)
        self.model.set_filter(where)

    def _activated(self, index: QModelIndex) -> None:
        self.documentActivated.emit(self.model.row(index.row()).id)

    def select_document(self, doc_id: str) -> None:
        """Select the row of ``doc_id`` (loading pages up to it if near), else no row."""
        row = self.model.reveal(doc_id)
        if row is None:
            self.table.clearSelection()
        else:
            self.table.selectRow(row)

    def show_current(self, doc_id: str) -> None:
        """Refresh the rows and select the row of ``doc_id`` without re-emitting activation."""
        self.model.refresh()
        self.select_document(doc_id)
