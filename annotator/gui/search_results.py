"""The corpus search's result list: a Qt model read a page at a time, and the context line drawn.

Each row is one hit: its document's title and a keyword-in-context line. The line is laid out
as one right-to-left paragraph (Arabic letters stay joined across the hit's edges, the
context reads in order), moved so the hit sits in the middle of the column, and the hit is
painted over: a background as the article's Find shows it, dashed when the hit is inside a
longer word. Nothing here searches: :class:`SearchResults` asks for the next page
(``moreWanted``) when the view scrolls to its end, and is handed the page.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPen, QTextLayout, QTextOption
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from annotator.gui.i18n import Texts
from annotator.gui.offsets import OffsetMap
from annotator.gui.plaintext import plain_tooltip
from annotator.gui.view_geometry import line_intervals, mixes_directions
from annotator.gui.view_paint import HIT, HIT_CURRENT, HIT_PARTIAL_BORDER
from annotator.model.kwic import Kwic
from annotator.session.corpus_search import Page, ShownHit

Index = QModelIndex | QPersistentModelIndex
KWIC_ROLE = Qt.ItemDataRole.UserRole + 1  # (Kwic, whole_word) of a row, for the delegate
HIT_ROLE = Qt.ItemDataRole.UserRole + 2  # the ShownHit of a row
TITLE_COLUMN, CONTEXT_COLUMN = 0, 1
COLUMNS = ("Document", "In context")


class SearchResults(QAbstractTableModel):
    """The hits found so far; ``moreWanted`` asks for the next page when the view needs it."""

    moreWanted = Signal()

    def __init__(self, texts: Texts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.texts = texts
        self.hits: list[ShownHit] = []
        self.next_document = 0  # where the next page starts
        self.documents = 0  # in the project, when the search started
        self.complete = True  # every document searched
        self.stopped = False  # cancelled: no page is asked for until the next search
        self.loading = False
        # The column titles follow the interface language (the key itself is not shown).
        texts.bind(lambda _t: self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 1), "")

    def clear(self) -> None:
        """Forget every hit: a new search starts."""
        self.beginResetModel()
        self.hits, self.next_document, self.documents = [], 0, 0
        self.complete, self.stopped, self.loading = False, False, True
        self.endResetModel()

    def add_page(self, page: Page) -> None:
        """Append a page of hits; the search goes on from where the page stopped."""
        self.loading = False
        self.next_document, self.documents = page.next_document, page.documents
        self.complete = page.complete
        if page.hits:
            first = len(self.hits)
            self.beginInsertRows(QModelIndex(), first, first + len(page.hits) - 1)
            self.hits += page.hits
            self.endInsertRows()

    def stop(self) -> None:
        """The search was cancelled (or failed): ask for no more pages."""
        self.loading = False
        self.stopped = True

    def document_count(self) -> int:
        """Return how many documents the hits found so far are in."""
        return len({s.hit.doc_id for s in self.hits})

    # ---- the model ------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """One row per hit."""
        return 0 if parent.isValid() else len(self.hits)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """The document and the context line."""
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Column titles in the interface language."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.texts(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The title, the context line (plain, and for the delegate), tooltips."""
        if not index.isValid():
            return None
        shown = self.hits[index.row()]
        if role == HIT_ROLE:
            return shown
        if index.column() == TITLE_COLUMN:
            if role == Qt.ItemDataRole.DisplayRole:
                return shown.title or shown.hit.doc_id
            if role == Qt.ItemDataRole.ToolTipRole:
                return plain_tooltip(f"{shown.title}\n{shown.hit.doc_id}")
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return shown.context.line
        if role == KWIC_ROLE:
            return shown.context, shown.hit.whole_word
        if role == Qt.ItemDataRole.ToolTipRole:
            where = "whole word" if shown.hit.whole_word else "inside a longer word"
            return plain_tooltip(f"{shown.context.line}\n({self.texts(where)})")
        return None

    def canFetchMore(self, parent: Index) -> bool:
        """More hits may follow: documents are left and no page is on its way."""
        return not (parent.isValid() or self.complete or self.stopped or self.loading)

    def fetchMore(self, parent: Index) -> None:
        """The view scrolled to the end: ask for the next page."""
        if self.canFetchMore(parent):
            self.loading = True
            self.moreWanted.emit()


class KwicDelegate(QStyledItemDelegate):
    """Draws a context line right to left, the hit centred in the column and painted over."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        """Draw the cell's background, then the line with the hit marked."""
        value = index.data(KWIC_ROLE)
        if value is None:
            super().paint(painter, option, index)
            return
        kwic, whole_word = value
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""  # the style draws selection and focus; the line is drawn below
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        rect = QRectF(option.rect)
        color = option.palette.color(role)
        paint_kwic(
            painter, rect, opt.font, kwic, whole_word, color, HIT_CURRENT if selected else HIT
        )


def kwic_layout(font: QFont, kwic: Kwic) -> tuple[QTextLayout, list[tuple[float, float]]]:
    """Lay a context line out as one right-to-left line; return it with the hit's x pieces.

    The hit is one piece in an Arabic line, several where Latin or digits reorder it.
    """
    layout = QTextLayout(kwic.line, font)
    text_option = QTextOption()
    text_option.setTextDirection(Qt.LayoutDirection.RightToLeft)
    text_option.setWrapMode(QTextOption.WrapMode.NoWrap)
    layout.setTextOption(text_option)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(1_000_000)
    line.setLineWidth(line.naturalTextWidth())
    line.setPosition(QPointF(0, 0))
    layout.endLayout()
    offsets = OffsetMap(kwic.line)
    first, stop = len(kwic.before), len(kwic.before) + len(kwic.hit)
    if first == stop:
        return layout, []
    start, end = offsets.to_qt(first), offsets.to_qt(stop)
    last = offsets.to_qt(stop - 1)
    return layout, line_intervals(line, start, end, last, mixes_directions(kwic.line))


def paint_kwic(
    painter: QPainter,
    rect: QRectF,
    font: QFont,
    kwic: Kwic,
    whole_word: bool,
    color: QColor,
    fill: QColor = HIT,
) -> None:
    """Draw ``kwic`` in ``rect``: the hit's middle at the rect's middle, clipped to it.

    The hit gets ``fill`` behind it (the article's Find colours: a selected row's text is
    white, so it gets the stronger one), and a dashed frame when it is inside a longer word.
    """
    layout, pieces = kwic_layout(font, kwic)
    line = layout.lineAt(0)
    middle = (pieces[0][0] + pieces[-1][1]) / 2 if pieces else line.naturalTextWidth() / 2
    dx = rect.center().x() - middle
    top = rect.top() + (rect.height() - line.height()) / 2
    painter.save()
    painter.setClipRect(rect)
    for left, right in pieces:
        mark = QRectF(left + dx, top, right - left, line.height())
        painter.fillRect(mark, fill)
        if not whole_word:
            painter.setPen(QPen(HIT_PARTIAL_BORDER, 1.0, Qt.PenStyle.DashLine))
            painter.drawRect(mark.adjusted(0.5, 0.5, -0.5, -0.5))
    painter.setPen(color)
    layout.draw(painter, QPointF(dx, top))
    painter.restore()
