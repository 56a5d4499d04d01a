"""Where a range of the article sits on screen: rectangles per line, split by direction.

Everything here works in one block's local coordinates (the block's top-left corner at 0, 0);
the view adds the block's origin when it paints. Ranges are Qt positions inside the block.

A line that is all Arabic (and neutral characters) is laid out as one right-to-left run, so a
range is one rectangle between ``cursorToX`` at its two edges. A line that mixes in Latin or
digits is reordered into several runs: there ``QTextLine.glyphRuns`` gives one glyph run per
visual piece, so each piece is drawn over exactly its own characters.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from PySide6.QtCore import QRectF
from PySide6.QtGui import QTextBlock, QTextLayout, QTextLine

# Bidi classes that open a left-to-right run inside a right-to-left paragraph.
_LTR_CLASSES = frozenset({"L", "EN", "AN", "LRE", "LRO", "LRI", "FSI"})
_RTL_CLASSES = frozenset({"R", "AL", "RLE", "RLO", "RLI"})
_MERGE_GAP = 0.75  # px: pieces this close are one visual piece (rounding between glyph runs)


def mixes_directions(text: str) -> bool:
    """Return True when ``text`` holds anything laid out left to right (Latin, digits)."""
    return any(unicodedata.bidirectional(ch) in _LTR_CLASSES for ch in text)


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
    """Return the x-intervals covering Qt positions ``[start, end)`` of one line."""
    if mixed:
        runs = line.glyphRuns(start, end - start)
        intervals = [(r.boundingRect().left(), r.boundingRect().right()) for r in runs]
        intervals = [(a, b) for a, b in intervals if b > a]
        if intervals:
            return _merge(intervals)
    first = line.cursorToX(start)[0]
    last = line.cursorToX(last_char, QTextLine.Edge.Trailing)[0]
    return [(min(first, last), max(first, last))]


def range_rects(
    block: QTextBlock, start: int, end: int, last_char: int, mixed: bool
) -> list[QRectF]:
    """Return block-local rectangles over Qt positions ``[start, end)`` (absolute positions).

    ``last_char`` is the Qt position where the range's last character starts (a surrogate pair
    starts one before ``end - 1``).
    """
    layout: QTextLayout = block.layout()
    base = block.position()
    rel_start, rel_end = start - base, end - base
    if layout is None or layout.lineCount() == 0 or rel_end <= rel_start:
        return []
    origin = layout.position()
    first = layout.lineForTextPosition(rel_start).lineNumber()
    final = layout.lineForTextPosition(max(rel_start, rel_end - 1)).lineNumber()
    rects: list[QRectF] = []
    for number in range(max(first, 0), max(final, first) + 1):
        line = layout.lineAt(number)
        a = max(rel_start, line.textStart())
        b = min(rel_end, line.textStart() + line.textLength())
        if a >= b:
            continue
        tail = min(max(last_char - base, a), b - 1)
        top = origin.y() + line.y()
        for low, high in line_intervals(line, a, b, tail, mixed):
            rects.append(QRectF(origin.x() + low, top, high - low, line.height()))
    return rects


def edge_at(block: QTextBlock, position: int, *, leading: bool, rtl_char: bool) -> Edge | None:
    """Return the edge before (``leading``) or after the character at Qt ``position``."""
    layout = block.layout()
    rel = position - block.position()
    if layout is None or layout.lineCount() == 0:
        return None
    line = layout.lineForTextPosition(rel)
    if not line.isValid():
        return None
    runs = line.glyphRuns(rel, 1)
    if runs:
        box = runs[0].boundingRect()
        # A right-to-left character starts at its right side and ends at its left side.
        x = box.right() if leading == rtl_char else box.left()
    else:
        edge = QTextLine.Edge.Leading if leading else QTextLine.Edge.Trailing
        x = line.cursorToX(rel, edge)[0]
    origin = layout.position()
    top = origin.y() + line.y()
    return Edge(origin.x() + x, top, top + line.height())
