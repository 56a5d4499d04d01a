"""Keyboard, mouse and zoom handling of the article view (the base class of ``ArticleView``)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QFont, QHelpEvent, QKeyEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QToolTip

from annotator.gui.fonts import DEFAULT_POINT_SIZE
from annotator.gui.plaintext import plain_tooltip
from annotator.model.document import Span
from annotator.model.text import snap_to_words

ZOOM_STEP = 1.12
ZOOM_LIMITS = (-8, 12)


class ViewInputMixin(QPlainTextEdit):
    """Zoom keys and wheel, selection snapping on release, span clicks, hover and tooltips."""

    spanClicked: Signal
    spanHovered: Signal
    ghostClicked: Signal
    _zoom: int
    _base_font: QFont
    _cache: dict
    _press_pos: QPoint | None
    _drag_anchor: tuple[int, int] | None
    _dragging: bool
    _word_drag: bool
    _alt_selection: bool
    _click_cycle: tuple[list[str], int]
    _hovered: str
    _text: str

    def _finish_selection(self) -> None:
        raise NotImplementedError

    def _spans_at_point(self, point: QPoint) -> list[Span]:
        raise NotImplementedError

    def _char_at_point(self, point: QPoint) -> tuple[int, int]:
        raise NotImplementedError

    def _set_selection(self, anchor: int, position: int) -> None:
        raise NotImplementedError

    def set_selected_span(self, span_id: str | None) -> None:
        """Outline ``span_id`` as the selected annotation."""
        raise NotImplementedError

    def _label_name(self, label: str) -> str:
        raise NotImplementedError

    def _relation_notes(self, span: Span) -> list[str]:
        raise NotImplementedError

    def _ghosts_at_point(self, point: QPoint) -> list[Span]:
        """Return the suggestions drawn under a viewport point (view_ghosts.py)."""
        return []

    def _ghost_lines(self, span: Span) -> list[str]:
        """Return the tooltip lines of a suggestion (view_ghosts.py)."""
        return []

    def _excerpt(self, span: Span, limit: int = 60) -> str:
        """Return the span's text, shortened for a tooltip."""
        text = self._text[span.start : span.end]
        return text if len(text) <= limit else text[: limit - 3] + "…"

    # ---- zoom ----------------------------------------------------------------------------

    def zoom_in(self) -> None:
        """Make the text larger."""
        self._set_zoom(self._zoom + 1)

    def zoom_out(self) -> None:
        """Make the text smaller."""
        self._set_zoom(self._zoom - 1)

    def reset_zoom(self) -> None:
        """Return to the default text size."""
        self._set_zoom(0)

    def zoom_level(self) -> int:
        """Return the zoom step: 0 is the default size, each step about 12 %."""
        return self._zoom

    def _set_zoom(self, steps: int) -> None:
        self._zoom = min(max(steps, ZOOM_LIMITS[0]), ZOOM_LIMITS[1])
        font = self.font()
        base = self._base_font.pointSizeF() or float(DEFAULT_POINT_SIZE)
        font.setPointSizeF(round(base * ZOOM_STEP**self._zoom, 1))
        self.setFont(font)
        self._cache.clear()

    # ---- input ---------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Ctrl + / Ctrl - / Ctrl 0 zoom; everything else is Qt's read-only navigation."""
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        key = event.key()
        if ctrl and key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
        elif ctrl and key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_out()
        elif ctrl and key == Qt.Key.Key_0:
            self.reset_zoom()
        else:
            super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        """A keyboard selection ends when Shift is released: snap it then."""
        super().keyReleaseEvent(event)
        if event.key() == Qt.Key.Key_Shift and self.textCursor().hasSelection():
            self._alt_selection = False
            self._finish_selection()

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Ctrl + wheel zooms in the same steps as the keyboard."""
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if event.angleDelta().y() > 0:
                self.zoom_in()
            elif event.angleDelta().y() < 0:
                self.zoom_out()
            event.accept()
            return
        super().wheelEvent(event)

    # A drag selects the characters it went over, from the one pressed to the one under the
    # pointer, both included. Qt's own selection runs between the cursor boundaries nearest to
    # the two points instead: pressing on the left half of a word's last letter (its trailing
    # side, right to left) put the boundary after the word, and snapping then dropped it.

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Remember the character pressed on and whether Alt asks for character precision."""
        point = event.position().toPoint()
        self._press_pos = point
        self._alt_selection = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        self._drag_anchor, self._dragging, self._word_drag = None, False, False
        fresh = event.button() == Qt.MouseButton.LeftButton and not (
            event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        )
        if fresh:
            self._drop_selection()
        super().mousePressEvent(event)
        # A triple click has just selected the paragraph: leave that to Qt.
        if fresh and not self.textCursor().hasSelection():
            self._drag_anchor = self._char_at_point(point)

    def _drop_selection(self) -> None:
        """Clear the selection where it is, without scrolling to it."""
        # Qt would start dragging the selected text out of a press inside it, not a new
        # selection; a read-only view has nothing to gain from that.
        cursor = self.textCursor()
        if cursor.hasSelection():
            value = self.verticalScrollBar().value()
            cursor.clearSelection()
            self.setTextCursor(cursor)
            self.verticalScrollBar().setValue(value)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        """Select the word under the pointer; dragging on extends the selection word by word."""
        super().mouseDoubleClickEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        point = event.position().toPoint()
        self._press_pos, self._dragging = point, False
        self._drag_anchor, self._word_drag = self._char_at_point(point), True
        self._select_dragged(point)

    def _is_drag(self, point: QPoint) -> bool:
        """Return True once the pointer has moved far enough from the press to select."""
        if not self._dragging and self._press_pos is not None:
            moved = (point - self._press_pos).manhattanLength()
            self._dragging = moved >= QApplication.startDragDistance()
        return self._dragging or self._word_drag or self.textCursor().hasSelection()

    def _select_dragged(self, point: QPoint) -> None:
        """Select from the character pressed on to the one under ``point``, both included."""
        if self._drag_anchor is None:
            return
        (a0, a1), (p0, p1) = self._drag_anchor, self._char_at_point(point)
        start, end = min(a0, p0), max(a1, p1)
        if self._word_drag:
            start, end = snap_to_words(self._text, start, end) or (a0, a0)
        if p0 < a0:
            self._set_selection(end, start)
        else:
            self._set_selection(start, end)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """End of a drag: snap the selection. A click without a drag selects a span."""
        super().mouseReleaseEvent(event)
        if self._press_pos is None or event.button() != Qt.MouseButton.LeftButton:
            return
        point = event.position().toPoint()
        if self._is_drag(point):
            self._select_dragged(point)
        self._press_pos, self._drag_anchor = None, None
        if self.textCursor().hasSelection():
            if event.modifiers() & Qt.KeyboardModifier.AltModifier:
                self._alt_selection = True
            self._finish_selection()
        else:
            self._click_at(point)

    def _click_at(self, point: QPoint) -> None:
        ids = [span.id for span in self._spans_at_point(point)]
        if not ids:
            self._click_cycle = ([], 0)
            # A suggestion is clicked only where no annotation is: the user's own spans win.
            ghosts = self._ghosts_at_point(point)
            if ghosts:
                self.ghostClicked.emit(ghosts[0].id)
            return
        previous, index = self._click_cycle
        index = (index + 1) % len(ids) if previous == ids else 0
        self._click_cycle = (ids, index)
        self.set_selected_span(ids[index])
        self.spanClicked.emit(ids[index])

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Extend a drag; report the span under the pointer while no button is held."""
        super().mouseMoveEvent(event)
        point = event.position().toPoint()
        if event.buttons() & Qt.MouseButton.LeftButton:
            if self._drag_anchor is not None and self._is_drag(point):
                self._select_dragged(point)
            return
        if event.buttons() != Qt.MouseButton.NoButton:
            return
        spans = self._spans_at_point(point)
        hovered = spans[0].id if spans else ""
        if hovered != self._hovered:
            self._hovered = hovered
            self.spanHovered.emit(hovered)

    def viewportEvent(self, event: QEvent) -> bool:
        """Show the labels of the spans (and suggestions) under the pointer as plain text."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            spans = self._spans_at_point(event.pos())
            ghosts = self._ghosts_at_point(event.pos())
            if spans or ghosts:
                tip = self._tooltip(spans, ghosts)
                QToolTip.showText(event.globalPos(), tip, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def _tooltip(self, spans: Sequence[Span], ghosts: Sequence[Span] = ()) -> str:
        lines = []
        for span in spans:
            name = self._label_name(span.label)
            lines.append(f"{name}: {self._excerpt(span)}")
            lines.extend(self._relation_notes(span))
        for ghost in ghosts:
            lines.extend(self._ghost_lines(ghost))
        return plain_tooltip("\n".join(lines))
