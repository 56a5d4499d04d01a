"""How annotations look in the article view, painted over the text, never into the document.

Entities are a translucent background in their label's colour, painted under the text (nested
entities are inset so the outer colour still shows). Quotes and claims are underlines stacked
by nesting depth, each with ticks at its two logical ends: quotes solid, claims dashed. Cues are
a dotted box. The selected span gets a dark outline, the spans linked to it a dashed purple
one, find hits a yellow (current: orange) background. Painting over the glyphs keeps every
shaping run intact, so Arabic letters stay joined even when a span ends inside a word.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QTextBlock

from annotator.gui.offsets import OffsetMap
from annotator.gui.view_geometry import Edge, edge_at, is_rtl_char, mixes_directions, range_rects
from annotator.gui.view_index import stack_slots
from annotator.model.document import Span
from annotator.model.schema import Schema

ENTITY_ALPHA = 105
SLOT_STEP = 4.0  # px between stacked underlines
INSET_STEP = 3.0  # px a nested entity background is inset per level
SELECTED = QColor("#111111")
LINKED = QColor("#8e24aa")
HIT = QColor(255, 235, 59, 170)
HIT_CURRENT = QColor(255, 152, 0, 210)
HIT_PARTIAL_BORDER = QColor("#8d6e63")
UNKNOWN_COLOR = "#9e9e9e"


@dataclass(frozen=True, slots=True)
class LabelStyle:
    """What the view needs to know about a label: its kind, colour and display name."""

    kind: str
    color: QColor
    name: str


def label_styles(schema: Schema) -> dict[str, LabelStyle]:
    """Return the drawing style of every label of ``schema``."""
    return {
        label.id: LabelStyle(label.kind, QColor(label.color), f"{label.name_en} · {label.name_ar}")
        for label in schema.labels
    }


def style_of(styles: dict[str, LabelStyle], label: str) -> LabelStyle:
    """Return the style of ``label``; a label the schema lacks is drawn as a grey entity."""
    return styles.get(label) or LabelStyle("entity", QColor(UNKNOWN_COLOR), label)


@dataclass(slots=True)
class SpanShape:
    """Where one span is drawn inside one block (block-local coordinates)."""

    span: Span
    style: LabelStyle
    slot: int
    rects: list[QRectF]
    start_edge: Edge | None = None
    end_edge: Edge | None = None


@dataclass(slots=True)
class BlockContext:
    """The stored text and its offset map, shared by every block of a document."""

    text: str
    offsets: OffsetMap
    styles: dict[str, LabelStyle]
    mixed: dict[int, bool] = field(default_factory=dict)


def qt_range(ctx: BlockContext, start: int, end: int) -> tuple[int, int, int]:
    """Return Qt start, end and the Qt position where the last character starts."""
    return ctx.offsets.to_qt(start), ctx.offsets.to_qt(end), ctx.offsets.to_qt(end - 1)


def block_is_mixed(ctx: BlockContext, block: QTextBlock) -> bool:
    """Return (and remember) whether a block mixes directions, read from the stored text."""
    number = block.blockNumber()
    if number not in ctx.mixed:
        low = ctx.offsets.to_code_point(block.position())
        high = ctx.offsets.to_code_point(block.position() + block.length() - 1)
        ctx.mixed[number] = mixes_directions(ctx.text[low:high])
    return ctx.mixed[number]


def block_shapes(ctx: BlockContext, block: QTextBlock, spans: list[Span]) -> list[SpanShape]:
    """Lay out the shapes of ``spans`` (those overlapping ``block``) inside that block."""
    mixed = block_is_mixed(ctx, block)
    kinds = {s.id: style_of(ctx.styles, s.label) for s in spans}
    slots = stack_slots([s for s in spans if kinds[s.id].kind == "entity"])
    slots |= stack_slots([s for s in spans if kinds[s.id].kind in ("quote", "claim")])
    low, high = block.position(), block.position() + block.length() - 1
    shapes: list[SpanShape] = []
    for span in spans:
        qs, qe, last = qt_range(ctx, span.start, span.end)
        rects = range_rects(block, max(qs, low), min(qe, high), last, mixed)
        if not rects:
            continue
        shape = SpanShape(span, kinds[span.id], slots.get(span.id, 0), rects)
        if shape.style.kind in ("quote", "claim"):
            _add_edges(ctx, block, shape, (qs, last), (low, high))
        shapes.append(shape)
    return shapes


def _add_edges(
    ctx: BlockContext,
    block: QTextBlock,
    shape: SpanShape,
    ends: tuple[int, int],
    block_range: tuple[int, int],
) -> None:
    first, last = ends
    span = shape.span
    if block_range[0] <= first < block_range[1] or first == block_range[0]:
        rtl = is_rtl_char(ctx.text[span.start])
        shape.start_edge = edge_at(block, first, leading=True, rtl_char=rtl)
    if block_range[0] <= last < block_range[1]:
        rtl = is_rtl_char(ctx.text[span.end - 1])
        shape.end_edge = edge_at(block, last, leading=False, rtl_char=rtl)


# ---- painting --------------------------------------------------------------------------------


def paint_under(painter: QPainter, origin: QPointF, shapes: Iterable[SpanShape]) -> None:
    """Paint entity backgrounds (under the text)."""
    painter.setPen(Qt.PenStyle.NoPen)
    for shape in shapes:
        if shape.style.kind != "entity":
            continue
        color = QColor(shape.style.color)
        color.setAlpha(ENTITY_ALPHA)
        inset = min(shape.slot, 3) * INSET_STEP
        for rect in shape.rects:
            painter.fillRect(rect.translated(origin).adjusted(0, inset, 0, -inset), color)


def paint_over(painter: QPainter, origin: QPointF, shapes: Iterable[SpanShape]) -> None:
    """Paint quote and claim underlines with their end ticks, and cue boxes (over the text)."""
    for shape in shapes:
        kind = shape.style.kind
        if kind in ("quote", "claim"):
            _paint_underline(painter, origin, shape, dashed=kind == "claim")
        elif kind == "cue":
            pen = QPen(shape.style.color, 1.5, Qt.PenStyle.DotLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for rect in shape.rects:
                painter.drawRect(rect.translated(origin).adjusted(1, 2, -1, -2))


def _paint_underline(painter: QPainter, origin: QPointF, shape: SpanShape, dashed: bool) -> None:
    pen = QPen(shape.style.color, 2.0, Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    painter.setPen(pen)
    lift = 1.5 + shape.slot * SLOT_STEP
    for rect in shape.rects:
        r = rect.translated(origin)
        painter.drawLine(
            QPointF(r.left(), r.bottom() - lift), QPointF(r.right(), r.bottom() - lift)
        )
    pen.setStyle(Qt.PenStyle.SolidLine)
    painter.setPen(pen)
    for edge in (shape.start_edge, shape.end_edge):
        if edge is None:
            continue
        x = origin.x() + edge.x
        bottom = origin.y() + edge.bottom - lift
        top = origin.y() + edge.top + (edge.bottom - edge.top) * 0.45
        painter.drawLine(QPointF(x, top), QPointF(x, bottom))


def paint_outline(
    painter: QPainter, origin: QPointF, rects: Iterable[QRectF], color: QColor, dashed: bool
) -> None:
    """Outline ``rects`` (the selected span solid, linked spans dashed)."""
    pen = QPen(color, 2.0, Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for rect in rects:
        painter.drawRect(rect.translated(origin).adjusted(-1, 0, 1, -1))


def paint_hits(
    painter: QPainter, origin: QPointF, hits: Iterable[tuple[list[QRectF], bool, bool]]
) -> None:
    """Paint find hits ``(rects, whole_word, current)``; hits inside a longer word get a border."""
    for rects, whole_word, current in hits:
        for rect in rects:
            r = rect.translated(origin)
            painter.fillRect(r, HIT_CURRENT if current else HIT)
            if not whole_word:
                painter.setPen(QPen(HIT_PARTIAL_BORDER, 1.0, Qt.PenStyle.DashLine))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(r.adjusted(0, 0, -1, -1))
