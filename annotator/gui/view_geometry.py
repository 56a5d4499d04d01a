"""Where a range of the article sits on screen: rectangles per line, split by direction.

Everything here works in one block's local coordinates (the block's top-left corner at 0, 0);
the view adds the block's origin when it paints. Ranges are absolute Qt positions.

A range holding only Arabic (and neutral characters) is laid out as one right-to-left run, so
it is one rectangle per line between ``cursorToX`` at its two edges. A range that holds Latin
letters or digits is reordered into several runs: there ``QTextLine.glyphRuns`` gives one glyph
run per visual piece, so each piece is drawn over exactly its own characters.

The other way round, ``BlockLines.char_at`` names the character drawn under a point: a mouse
press on a letter is on that letter, whichever half of its glyph it hits.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain

from PySide6.QtCore import QRectF
from PySide6.QtGui import QTextBlock, QTextLine

# Bidi classes that open a left-to-right run inside a right-to-left paragraph.
_LTR_CLASSES = frozenset({"L", "EN", "AN", "LRE", "LRO", "LRI", "FSI"})
# Characters that never do (Arabic letters and marks, spaces, common punctuation): skipped
# before asking unicodedata, so checking an Arabic paragraph costs one regex pass.
_SURELY_RTL_OR_NEUTRAL = re.compile(
    "[\u0606-\u065f\u066a\u066d-\u06dc\u06de-\u06ef\u06fa-\u06ff\u0750-\u077f"
    "\u08a0-\u08e1\u08e3-\u08ff\ufb50-\ufdff\ufe70-\ufefe\\s!-/:-@\\[-`{-~"
    "\u00a0-\u00a9\u00ab-\u00b1\u00b4\u00b6-\u00b8\u00bb-\u00bf"
    "\u2000-\u200d\u200f-\u2029\u202b\u202c\u202e-\u2065\u2067\u2069-\u206f]+"
)
_TRAILING = QTextLine.Edge.Trailing  # looked up once: enum access is slow in a hot loop
_MERGE_GAP = 0.75  # px: pieces this close are one visual piece (rounding between glyph runs)


def mixes_directions(text: str) -> bool:
    """Return True when ``text`` holds anything laid out left to right (Latin, digits)."""
    rest = _SURELY_RTL_OR_NEUTRAL.sub("", text)
    return any(unicodedata.bidirectional(ch) in _LTR_CLASSES for ch in rest)


def is_rtl_char(ch: str) -> bool:
    """Return True unless ``ch`` is laid out left to right (neutrals follow the paragraph)."""
    return unicodedata.bidirectional(ch) not in _LTR_CLASSES


@dataclass(frozen=True, slots=True)
class Edge:
    """The vertical line where a span starts or ends (its logical edge, wherever it lands)."""

    x: float
    top: float
    bottom: float


def _merge(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for low, high in sorted(intervals):
        if merged and low <= merged[-1][1] + _MERGE_GAP:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def line_intervals(
    line: QTextLine, start: int, end: int, last_char: int, mixed: bool
) -> list[tuple[float, float]]:
    """Return the x-intervals covering block-relative positions ``[start, end)`` of one line."""
    if mixed:
        runs = line.glyphRuns(start, end - start)
        boxes = [run.boundingRect() for run in runs]
        intervals = [(b.left(), b.right()) for b in boxes if b.right() > b.left()]
        if intervals:
            return _merge(intervals)
    first = _cursor_x(line, start)
    last = _cursor_x(line, last_char, _TRAILING)
    return [(min(first, last), max(first, last))]


def _cursor_x(line: QTextLine, pos: int, edge: QTextLine.Edge = QTextLine.Edge.Leading) -> float:
    # PySide6 returns (x, position) here; its stubs say "object".
    found = line.cursorToX(pos, edge)
    return float(found[0])  # type: ignore[index]


def _extent(line: QTextLine, start: int, end: int) -> tuple[float, float]:
    """Return the x-interval of the grapheme at block-relative ``[start, end)`` on ``line``."""
    leading, trailing = _cursor_x(line, start), _cursor_x(line, start, _TRAILING)
    if leading == trailing:
        # The first letter of a left-to-right run in right-to-left text: its cursor position
        # is the run's edge on the Arabic side, so only the glyphs say where it is drawn.
        for run in line.glyphRuns(start, end - start):
            box = run.boundingRect()
            return box.left(), box.right()
    return min(leading, trailing), max(leading, trailing)


class BlockLines:
    """The laid-out lines of one block, looked up by position without asking Qt each time."""

    def __init__(self, block: QTextBlock) -> None:
        layout = block.layout()
        self.layout = layout
        self.base = block.position()
        self.end = self.base + block.length() - 1
        count = layout.lineCount() if layout is not None else 0
        self.lines = [layout.lineAt(i) for i in range(count)]
        self.starts = [line.textStart() for line in self.lines]
        self.ends = [line.textStart() + line.textLength() for line in self.lines]
        origin = layout.position() if layout is not None else None
        self.x0 = origin.x() if origin is not None else 0.0
        self.y0 = origin.y() if origin is not None else 0.0
        # Line tops and heights asked once per block, not once per span.
        self.tops = [self.y0 + line.y() for line in self.lines]
        self.heights = [line.height() for line in self.lines]

    def line_index(self, position: int) -> int:
        """Return the index of the line holding absolute Qt ``position``."""
        return max(bisect_right(self.starts, position - self.base) - 1, 0)

    def char_at(self, x: float, y: float) -> tuple[int, int] | None:
        """Return the absolute Qt range of the character drawn at block-local ``(x, y)``, if any.

        The range covers a whole grapheme (a letter with its marks, a surrogate pair); None when
        the point is beside the text of its line (its margin, past its end) or between lines.
        """
        number = bisect_right(self.tops, y) - 1
        if number < 0 or y >= self.tops[number] + self.heights[number]:
            return None
        line, layout = self.lines[number], self.layout
        first, stop = self.starts[number], self.ends[number]
        x -= self.x0
        # The character lies on one side of the nearest cursor boundary; in mixed-direction
        # text it can sit elsewhere in the line, so the whole line is the fallback.
        near = line.xToCursor(x)
        nearby = (layout.previousCursorPosition(near), near)
        for start in chain(nearby, self._graphemes(first, stop)):
            if first <= start < stop:
                end = min(layout.nextCursorPosition(start), stop)
                low, high = _extent(line, start, end)
                if low <= x <= high:
                    return self.base + start, self.base + end
        return None

    def _graphemes(self, start: int, stop: int) -> Iterator[int]:
        """Yield where each grapheme of block-relative ``[start, stop)`` starts."""
        while start < stop:
            yield start
            after = self.layout.nextCursorPosition(start)
            if after <= start:
                return
            start = after

    def rects(self, start: int, end: int, last_char: int, mixed: bool) -> list[QRectF]:
        """Return rectangles over absolute Qt positions ``[start, end)`` clipped to the block.

        ``last_char`` is where the range's last character starts (a surrogate pair starts one
        before ``end - 1``).
        """
        base = self.base
        start, end = max(start, base), min(end, self.end)
        if not self.lines or end <= start:
            return []
        rel_start, rel_end = start - base, end - base
        first = bisect_right(self.starts, rel_start) - 1
        final = bisect_right(self.starts, rel_end - 1) - 1
        tail = last_char - base
        if first == final and not mixed:
            # The common case, a word on one line: two cursorToX calls and one rectangle.
            line = self.lines[first]
            tail = tail if rel_start <= tail < rel_end else rel_end - 1
            x1, x2 = _cursor_x(line, rel_start), _cursor_x(line, tail, _TRAILING)
            if x1 > x2:
                x1, x2 = x2, x1
            return [QRectF(self.x0 + x1, self.tops[first], x2 - x1, self.heights[first])]
        rects: list[QRectF] = []
        for number in range(max(first, 0), final + 1):
            a = max(rel_start, self.starts[number])
            b = min(rel_end, self.ends[number])
            if a >= b:
                continue
            line_tail = min(max(tail, a), b - 1)
            top, height = self.tops[number], self.heights[number]
            for low, high in line_intervals(self.lines[number], a, b, line_tail, mixed):
                rects.append(QRectF(self.x0 + low, top, high - low, height))
        return rects

    def edge(self, position: int, *, leading: bool, rtl_char: bool, mixed: bool) -> Edge | None:
        """Return the edge before (``leading``) or after the character at Qt ``position``."""
        if not self.lines or not self.base <= position < max(self.end, self.base + 1):
            return None
        number = self.line_index(position)
        line = self.lines[number]
        rel = position - self.base
        runs = line.glyphRuns(rel, 1) if mixed else []
        if runs:
            box = runs[0].boundingRect()
            # A right-to-left character starts at its right side and ends at its left side.
            x = box.right() if leading == rtl_char else box.left()
        else:
            edge = QTextLine.Edge.Leading if leading else QTextLine.Edge.Trailing
            x = _cursor_x(line, rel, edge)
        top = self.tops[number]
        return Edge(self.x0 + x, top, top + self.heights[number])


def range_rects(
    block: QTextBlock, start: int, end: int, last_char: int, mixed: bool
) -> list[QRectF]:
    """Return block-local rectangles over absolute Qt positions ``[start, end)``."""
    return BlockLines(block).rects(start, end, last_char, mixed)
