"""Suggestions in the article view ("ghosts"): where they are drawn, which is in focus, clicks.

A ghost is a recommender's pending suggestion, drawn over the user's own layer as an outline
in its label's colour (``view_paint.paint_ghosts``), never as a fill and never by changing the
document's formats, so letters stay joined when a ghost covers part of a word (لافروف in
ولافروف). Ghost shapes are laid out with the annotations of the same visible block and kept
in the view's block cache (``BlockPaint.ghosts``), so drawing them costs what is on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from PySide6.QtCore import QPoint, QPointF, QRect, Signal
from PySide6.QtGui import QPainter, QTextBlock

from annotator.gui.view_index import SpanIndex
from annotator.gui.view_input import ViewInputMixin
from annotator.gui.view_paint import (
    BlockContext,
    BlockPaint,
    SpanShape,
    block_shapes,
    paint_ghost_tint,
    paint_ghosts,
)
from annotator.model.document import Span

Frame = tuple[QTextBlock, QPointF]
PlannedFrame = tuple[QTextBlock, QPointF, BlockPaint]


class GhostMixin(ViewInputMixin):
    """The ghosts of the open document: ``set_ghosts``, ``set_focused_ghost``, hit tests."""

    ghostClicked: Signal
    _ctx: BlockContext
    _cache: dict
    _ghosts: SpanIndex
    _focused_ghost: str | None
    _ghost_tip: Callable[[str], str]

    def _init_ghosts(self) -> None:
        self._ghosts = SpanIndex()
        self._focused_ghost = None
        self._ghost_tip = _no_tip

    def _visible_blocks(self, clip: QRect | None = None) -> Iterator[Frame]:
        raise NotImplementedError

    def _plan(self, block: QTextBlock) -> BlockPaint:
        raise NotImplementedError

    # ---- content -------------------------------------------------------------------------

    def set_ghosts(
        self, spans: Iterable[Span], tooltip: Callable[[str], str] | None = None
    ) -> None:
        """Show these suggestions as ghosts; ``tooltip(id)`` says what one is (on hover)."""
        self._ghosts = SpanIndex(spans)
        if self._focused_ghost not in self._ghosts:
            self._focused_ghost = None
        self._ghost_tip = tooltip or _no_tip
        self._cache.clear()  # ghost shapes live in the block plans
        self.viewport().update()

    def set_focused_ghost(self, ghost_id: str | None) -> None:
        """Mark one ghost as the one Enter accepts and Backspace rejects (None: none)."""
        self._focused_ghost = ghost_id if ghost_id in self._ghosts else None
        self.viewport().update()

    def focused_ghost(self) -> str | None:
        """Return the id of the ghost in focus, if any."""
        return self._focused_ghost

    def ghosts(self) -> list[Span]:
        """Return the ghosts shown, in reading order."""
        return sorted(self._ghosts, key=lambda s: (s.start, s.end, s.id))

    def caret_offset(self) -> int:
        """Return where the caret is, as a code point of the stored text (Tab starts there)."""
        return self._ctx.offsets.to_code_point(self.textCursor().position())

    def _ghost_shapes(self, block: QTextBlock, start: int, end: int) -> list[SpanShape]:
        """Lay out the ghosts overlapping code points ``[start, end)`` of ``block``."""
        if not len(self._ghosts) or end <= start:
            return []
        found = self._ghosts.overlapping(start, end)
        return block_shapes(self._ctx, block, found) if found else []

    # ---- geometry ------------------------------------------------------------------------

    def rects_for_ghost(self, ghost_id: str) -> list[QRect]:
        """Return the visible pieces of a ghost in viewport coordinates (empty off screen)."""
        rects: list[QRect] = []
        for block, origin in self._visible_blocks():
            for shape in self._plan(block).ghosts:
                if shape.span.id == ghost_id:
                    rects.extend(r.translated(origin).toAlignedRect() for r in shape.rects)
        return rects

    def _ghosts_at_point(self, point: QPoint) -> list[Span]:
        """Return the ghosts drawn under a viewport point, innermost (shortest) first."""
        found: dict[str, Span] = {}
        target = QPointF(point)
        for block, origin in self._visible_blocks(QRect(point, point)):
            local = target - origin
            for shape in self._plan(block).ghosts:
                if any(r.contains(local) for r in shape.rects):
                    found[shape.span.id] = shape.span
        return sorted(found.values(), key=lambda s: (s.end - s.start, s.start, s.id))

    def _ghost_lines(self, span: Span) -> list[str]:
        return [self._ghost_tip(span.id)]

    # ---- painting ------------------------------------------------------------------------

    def _paint_ghost_tints(self, painter: QPainter, frames: list[PlannedFrame]) -> None:
        if self._focused_ghost is None:
            return
        for _, origin, plan in frames:
            if plan.ghosts:
                paint_ghost_tint(painter, origin, plan.ghosts, self._focused_ghost)

    def _paint_ghost_outlines(self, painter: QPainter, frames: list[PlannedFrame]) -> None:
        for _, origin, plan in frames:
            if plan.ghosts:
                paint_ghosts(painter, origin, plan.ghosts, self._focused_ghost)


def _no_tip(ghost_id: str) -> str:
    return "suggestion"
