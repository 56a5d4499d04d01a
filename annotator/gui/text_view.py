"""The article view: right-to-left Arabic text with annotations painted over it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QTextBlock,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from annotator.errors import OffsetError
from annotator.gui.fonts import article_font
from annotator.gui.offsets import OffsetMap, Rounding
from annotator.gui.view_geometry import BlockLines, mixes_directions
from annotator.gui.view_ghosts import GhostMixin
from annotator.gui.view_index import HitIndex, SpanIndex
from annotator.gui.view_paint import (
    LINKED,
    SELECTED,
    BlockContext,
    BlockPaint,
    SpanShape,
    block_is_mixed,
    block_shapes,
    label_styles,
    paint_hits,
    paint_outline,
    paint_over,
    paint_under,
    plan_block,
    qt_range,
)
from annotator.model.document import Relation, Span
from annotator.model.offsets import Alignment, char_span
from annotator.model.schema import Schema

Frame = tuple[QTextBlock, QPointF]


class ArticleView(GhostMixin):
    """Read-only right-to-left view of one article with its spans drawn over the text.

    Offsets in and out are code points into the stored text the caller passes in; the view never
    reads text back from the document.

    Content: ``set_content(text, spans, schema, relations=[])`` shows a document;
    ``set_spans(spans, relations)``, ``add_span(span)``, ``remove_span(span_id)`` and
    ``replace_span(span)`` update it incrementally (only the affected visible blocks repaint).

    Selection: ``select_range(start, end)`` selects exactly as a mouse drag would, before snapping
    (no signal). ``selected_range()`` returns the selection snapped to whole words, or only made
    cluster-safe in character mode (Alt held while selecting, or
    ``set_character_precision(True)``); None when it holds no word. A mouse drag covers every
    character it went over, the one pressed on and the one released on included (whichever half
    of the glyph was hit); a double click selects a word, and dragging on adds whole words. When
    a mouse or keyboard (Shift released) selection ends, the view shows the snapped range and
    emits ``selectionSnapped(start, end)``. Clicking a span without dragging selects it (innermost
    first; clicking again at the same place cycles through overlapping spans) and emits
    ``spanClicked(span_id)``; hovering emits ``spanHovered(span_id or "")`` and shows a tooltip.

    Marks: ``set_selected_span(span_id | None)``, ``set_linked_spans(ids)``,
    ``set_find_hits([(start, end, whole_word)], current_index | None)``,
    ``scroll_to_offset(offset)``. Suggestions: ``set_ghosts``, ``set_focused_ghost`` and
    ``ghostClicked(id)`` (``view_ghosts.py``). Queries: ``span_at(offset)`` (innermost first),
    ``visible_range()``, ``selected_span_id()``. Zoom: ``zoom_in()``, ``zoom_out()``,
    ``reset_zoom()`` (Ctrl +, Ctrl -, Ctrl 0, Ctrl + wheel).

    For tests and automation: ``point_for_offset(offset)`` (viewport point at the middle of that
    character, scrolling to it first) and ``rects_for_span(span_id)`` (its visible pieces in
    viewport coordinates).
    """

    selectionSnapped = Signal(int, int)
    spanClicked = Signal(str)
    spanHovered = Signal(str)
    ghostClicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        # Lines always wrap (a long URL anywhere), so a horizontal scroll bar is never needed.
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Mirrors the scroll bar to the left, as Arabic readers expect; text direction is set
        # on the document below, which is what actually lays the text out right to left.
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self._zoom = 0
        self._text = ""
        self._ctx = BlockContext("", OffsetMap(""), {})
        self._schema: Schema | None = None
        self._index = SpanIndex()
        self._relations: list[Relation] = []
        self._cache: dict[int, BlockPaint] = {}
        self._selected_id: str | None = None
        self._linked: set[str] = set()
        self._hits = HitIndex()
        self._current_hit: int | None = None
        self._char_precision = False
        self._alt_selection = False
        self._press_pos: QPoint | None = None
        self._drag_anchor: tuple[int, int] | None = None
        self._dragging = False
        self._word_drag = False
        self._click_cycle: tuple[list[str], int] = ([], 0)
        self._hovered = ""
        self._cached_width = -1
        self._init_ghosts()
        self.viewport().setMouseTracking(True)
        self._keep_selection_visible()
        self._base_font = article_font()
        self.setFont(self._base_font)
        self._apply_direction()

    def _keep_selection_visible(self) -> None:
        # The selection must stay visible while the annotator clicks the label palette.
        palette = self.palette()
        for role in (QPalette.ColorRole.Highlight, QPalette.ColorRole.HighlightedText):
            active = palette.color(QPalette.ColorGroup.Active, role)
            palette.setColor(QPalette.ColorGroup.Inactive, role, active)
        self.setPalette(palette)

    def _apply_direction(self) -> None:
        doc = self.document()
        option = doc.defaultTextOption()
        option.setTextDirection(Qt.LayoutDirection.RightToLeft)
        option.setAlignment(Qt.AlignmentFlag.AlignRight)
        doc.setDefaultTextOption(option)

    # ---- content -------------------------------------------------------------------------

    def set_content(
        self,
        text: str,
        spans: Iterable[Span],
        schema: Schema,
        relations: Iterable[Relation] = (),
    ) -> None:
        """Show ``text`` (stored text, always as plain text) with its spans and relations."""
        if "\r" in text:
            # Qt would make "\r\n" one block separator: offsets after it would drift by one.
            raise OffsetError("stored text uses \\n line endings only; this text holds \\r")
        self._text = text
        self._schema = schema
        self._ctx = BlockContext(text, OffsetMap(text), label_styles(schema, self._page_color()))
        self._index = SpanIndex(spans)
        self._relations = list(relations)
        self._cache.clear()
        self._init_ghosts()  # the suggestions of another text: the session sends the new ones
        self._selected_id, self._linked = None, set()
        self._hits, self._current_hit = HitIndex(), None
        self._click_cycle, self._alt_selection = ([], 0), False
        self._drag_anchor = None
        self.setPlainText(text)
        if self.document().defaultTextOption().textDirection() != Qt.LayoutDirection.RightToLeft:
            self._apply_direction()

    def set_spans(self, spans: Iterable[Span], relations: Iterable[Relation] = ()) -> None:
        """Replace every span and relation shown."""
        self._index = SpanIndex(spans)
        self._relations = list(relations)
        self._cache.clear()
        self.viewport().update()

    def add_span(self, span: Span) -> None:
        """Show one more span; only the blocks it touches are laid out and repainted again."""
        self._index.add(span)
        self._invalidate(span.start, span.end)

    def remove_span(self, span_id: str) -> None:
        """Stop showing a span."""
        span = self._index.remove(span_id)
        if self._selected_id == span_id:
            self._selected_id = None
        self._linked.discard(span_id)
        self._invalidate(span.start, span.end)

    def replace_span(self, span: Span) -> None:
        """Show a changed span (new offsets, label or attributes) in place of the old one."""
        if span.id in self._index:
            old = self._index.remove(span.id)
            self._invalidate(old.start, old.end)
        self.add_span(span)

    def spans(self) -> list[Span]:
        """Return every span shown, in no particular order."""
        return list(self._index)

    def span_at(self, offset: int) -> list[Span]:
        """Return the spans covering the character at ``offset``, innermost first."""
        return self._index.at(offset)

    # ---- marks ---------------------------------------------------------------------------

    def set_selected_span(self, span_id: str | None) -> None:
        """Outline ``span_id`` as the selected annotation (None: no outline)."""
        self._selected_id = span_id
        self.viewport().update()

    def selected_span_id(self) -> str | None:
        """Return the id of the outlined span, if any."""
        return self._selected_id

    def set_linked_spans(self, ids: Iterable[str]) -> None:
        """Highlight the spans linked to the selected quote or claim."""
        self._linked = set(ids)
        self.viewport().update()

    def set_find_hits(self, hits: Iterable[tuple[int, int, bool]], current: int | None) -> None:
        """Highlight find hits ``(start, end, whole_word)``; ``current`` indexes the focused one."""
        self._hits = HitIndex(hits)
        self._current_hit = current
        self.viewport().update()

    # ---- selection -----------------------------------------------------------------------

    def set_character_precision(self, on: bool) -> None:
        """Select by character (cluster-safe) instead of snapping to whole words."""
        self._char_precision = on

    def character_precision(self) -> bool:
        """Return True when selections keep character precision."""
        return self._char_precision

    def select_range(self, start: int, end: int, *, exact: bool = False) -> None:
        """Select code points ``[start, end)`` exactly as a mouse drag would, before snapping.

        With ``exact`` the range is kept as it is, as an Alt-drag's is, rather than snapped to
        whole words: a search hit inside a longer word (الحوار in بالحوار) stays that hit.
        """
        if not 0 <= min(start, end) <= max(start, end) <= len(self._text):
            raise OffsetError(f"selection [{start}, {end}) is outside the text")
        if exact:
            self._alt_selection = True  # before the selection signals: they read it
        self._set_selection(start, end)
        self._alt_selection = exact

    def _set_selection(self, anchor: int, position: int) -> None:
        """Select from code point ``anchor`` to ``position`` (the end that follows the mouse)."""
        offsets = self._ctx.offsets
        cursor = QTextCursor(self.document())
        cursor.setPosition(offsets.to_qt(anchor))
        cursor.setPosition(offsets.to_qt(position), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def selected_range(self) -> tuple[int, int] | None:
        """Return the selection in code points, snapped (word mode) or cluster-safe; or None."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start, end = self._ctx.offsets.range_to_code_points(
            cursor.selectionStart(), cursor.selectionEnd()
        )
        precise = self._char_precision or self._alt_selection
        return char_span(self._text, start, end, Alignment.CLUSTERS if precise else Alignment.WORDS)

    def clear_selection(self) -> None:
        """Drop the text selection (spans stay as they are)."""
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)

    def _finish_selection(self) -> None:
        snapped = self.selected_range()
        if snapped is None:
            self.clear_selection()
            return
        alt = self._alt_selection
        self.select_range(*snapped)
        self._alt_selection = alt
        self.selectionSnapped.emit(*snapped)

    # ---- geometry ------------------------------------------------------------------------

    def _visible_blocks(self, clip: QRect | None = None) -> Iterator[Frame]:
        """Yield the blocks intersecting ``clip`` (default: the viewport) with their origins."""
        clip = clip or self.viewport().rect()
        block = self.firstVisibleBlock()
        offset = self.contentOffset()
        top = self.blockBoundingGeometry(block).translated(offset).top() if block.isValid() else 0
        while block.isValid() and top <= clip.bottom():
            height = self.blockBoundingRect(block).height()
            if block.isVisible() and top + height >= clip.top():
                yield block, QPointF(offset.x(), top)
            top += height
            block = block.next()

    def _block_range(self, block: QTextBlock) -> tuple[int, int]:
        offsets = self._ctx.offsets
        end = block.position() + block.length() - 1
        return offsets.to_code_point(block.position()), offsets.to_code_point(end)

    def _plan(self, block: QTextBlock) -> BlockPaint:
        """Return the block's shapes and paint batches, laid out once until something changes."""
        number = block.blockNumber()
        plan = self._cache.get(number)
        if plan is None:
            start, end = self._block_range(block)
            spans = self._index.overlapping(start, end) if end > start else []
            plan = plan_block(block_shapes(self._ctx, block, spans) if spans else [])
            plan.ghosts = self._ghost_shapes(block, start, end)
            self._cache[number] = plan
        return plan

    def _shapes(self, block: QTextBlock) -> list[SpanShape]:
        return self._plan(block).shapes

    def _invalidate(self, start: int, end: int) -> None:
        """Forget the shapes of the blocks ``[start, end)`` touches and repaint those on screen."""
        qs, qe, _ = qt_range(self._ctx, start, end)
        doc = self.document()
        first = doc.findBlock(qs).blockNumber()
        last = doc.findBlock(max(qs, qe - 1)).blockNumber()
        for number in range(first, last + 1):
            self._cache.pop(number, None)
        width = self.viewport().width()
        for block, origin in self._visible_blocks():
            if first <= block.blockNumber() <= last:
                height = self.blockBoundingRect(block).height()
                self.viewport().update(QRect(0, int(origin.y()) - 1, width, int(height) + 3))

    def _range_rects(self, block: QTextBlock, start: int, end: int) -> list[QRectF]:
        """Return block-local rectangles over code points ``[start, end)`` clipped to ``block``."""
        qs, qe, last = qt_range(self._ctx, start, end)
        mixed = block_is_mixed(self._ctx, block) and mixes_directions(self._text[start:end])
        return BlockLines(block).rects(qs, qe, last, mixed)

    def rects_for_span(self, span_id: str) -> list[QRect]:
        """Return the visible pieces of a span in viewport coordinates (empty when off screen)."""
        rects: list[QRect] = []
        for block, origin in self._visible_blocks():
            for shape in self._shapes(block):
                if shape.span.id == span_id:
                    rects.extend(r.translated(origin).toAlignedRect() for r in shape.rects)
        return rects

    def point_for_offset(self, offset: int) -> QPoint:
        """Return the viewport point in the middle of the character at ``offset`` (scrolled in)."""
        if not 0 <= offset < len(self._text):
            raise OffsetError(f"offset {offset} is outside the text")
        self.scroll_to_offset(offset)
        block = self.document().findBlock(self._ctx.offsets.to_qt(offset))
        for candidate, origin in self._visible_blocks():
            if candidate.blockNumber() == block.blockNumber():
                rects = self._range_rects(block, offset, offset + 1)
                if rects:
                    return rects[0].translated(origin).center().toPoint()
        raise OffsetError(f"offset {offset} is not on screen (a line separator?)")

    def scroll_to_offset(self, offset: int) -> None:
        """Scroll so the character at ``offset`` is on screen (centred when it was not)."""
        position = self._ctx.offsets.to_qt(min(max(offset, 0), len(self._text)))
        target = QTextCursor(self.document())
        target.setPosition(position)
        if self.viewport().rect().contains(self.cursorRect(target)):
            return
        # Qt lays blocks out lazily, so only its own cursor code knows where a far line lands;
        # borrow it, then put the user's selection back without scrolling to it.
        saved = self.textCursor()
        self.setTextCursor(target)
        self.centerCursor()
        value = self.verticalScrollBar().value()
        self.setTextCursor(saved)
        self.verticalScrollBar().setValue(value)

    def visible_range(self) -> tuple[int, int]:
        """Return the code-point range of the lines on screen ``(start, end)``."""
        frames = list(self._visible_blocks())
        if not frames:
            return 0, 0
        (first, top_origin), (last, bottom_origin) = frames[0], frames[-1]
        lines = BlockLines(first)
        start = lines.base
        for number, top in enumerate(lines.tops):
            if top_origin.y() + top + lines.heights[number] > 0:
                start = lines.base + lines.starts[number]
                break
        lines = BlockLines(last)
        end = lines.end
        for number in reversed(range(len(lines.lines))):
            if bottom_origin.y() + lines.tops[number] < self.viewport().height():
                end = lines.base + lines.ends[number]
                break
        offsets = self._ctx.offsets
        return offsets.to_code_point(start), offsets.to_code_point(end, Rounding.END)

    def _char_at_point(self, point: QPoint) -> tuple[int, int]:
        """Return the code points of the character drawn under a viewport point.

        Off the text (a margin, past a line's end, below the last line) the range is empty, at
        the cursor boundary Qt puts nearest to the point.
        """
        target = QPointF(point)
        for block, origin in self._visible_blocks(QRect(point, point)):
            local = target - origin
            hit = BlockLines(block).char_at(local.x(), local.y())
            if hit is not None:
                return self._ctx.offsets.range_to_code_points(*hit)
        position = self._ctx.offsets.to_code_point(self.cursorForPosition(point).position())
        return position, position

    def _spans_at_point(self, point: QPoint) -> list[Span]:
        """Return the spans drawn under a viewport point, innermost (shortest) first."""
        found: dict[str, Span] = {}
        target = QPointF(point)
        for block, origin in self._visible_blocks(QRect(point, point)):
            local = target - origin
            for shape in self._shapes(block):
                if any(r.contains(local) for r in shape.rects):
                    found[shape.span.id] = shape.span
        return sorted(found.values(), key=lambda s: (s.end - s.start, s.start, s.id))

    # ---- painting ------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        """Paint backgrounds under the text, let Qt draw the text, then lines and outlines."""
        frames = [
            (block, origin, self._plan(block))
            for block, origin in self._visible_blocks(event.rect())
        ]
        painter = QPainter(self.viewport())
        for _, origin, plan in frames:
            paint_under(painter, origin, plan)
        self._paint_ghost_tints(painter, frames)
        self._paint_hits(painter, frames)
        painter.end()
        super().paintEvent(event)
        painter = QPainter(self.viewport())
        marked = self._selected_id is not None or bool(self._linked)
        for _, origin, plan in frames:
            # Outlines first, so a selected quote's underline still shows on top of its box.
            if marked:
                self._paint_marks(painter, origin, plan.shapes)
            paint_over(painter, origin, plan)
        self._paint_ghost_outlines(painter, frames)
        painter.end()

    def _paint_marks(self, painter: QPainter, origin: QPointF, shapes: list[SpanShape]) -> None:
        for shape in shapes:
            if shape.span.id == self._selected_id:
                paint_outline(painter, origin, shape.rects, SELECTED, dashed=False)
            elif shape.span.id in self._linked:
                paint_outline(painter, origin, shape.rects, LINKED, dashed=True)

    def _paint_hits(
        self, painter: QPainter, frames: list[tuple[QTextBlock, QPointF, BlockPaint]]
    ) -> None:
        if not self._hits.hits:
            return
        for block, origin, _ in frames:
            start, end = self._block_range(block)
            pieces = [
                (self._range_rects(block, a, b), whole, i == self._current_hit)
                for i, a, b, whole in self._hits.overlapping(start, end)
            ]
            paint_hits(painter, origin, pieces)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Forget laid-out shapes when the width (and so the line breaks) changes."""
        super().resizeEvent(event)
        if self.viewport().width() != self._cached_width:
            self._cached_width = self.viewport().width()
            self._cache.clear()

    def changeEvent(self, event: QEvent) -> None:
        """Forget laid-out shapes when the font (zoom) or the colours change."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._cache.clear()
        elif event.type() == QEvent.Type.PaletteChange and self._schema is not None:
            self._ctx.styles = label_styles(self._schema, self._page_color())
            self._cache.clear()

    def _page_color(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.Base)

    def _label_name(self, label: str) -> str:
        style = self._ctx.styles.get(label)
        return style.name if style else label

    def _relation_notes(self, span: Span) -> list[str]:
        """Return one tooltip line per link starting at ``span`` (e.g. SPEAKER → لافروف)."""
        notes = []
        for relation in self._relations:
            if relation.head == span.id and relation.tail in self._index:
                tail = self._index.get(relation.tail)
                notes.append(f"    {relation.type} → {self._excerpt(tail, 40)}")
        return notes
