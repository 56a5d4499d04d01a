"""How annotations look in the article view, painted over the text, never into the document.

Entities are a translucent-looking background in their label's colour (blended with the page
colour once, then painted opaque), under the text; nested entities are inset so the outer
colour still shows. Quotes and claims are underlines stacked
by nesting depth, each with ticks at its two logical ends: quotes solid, claims dashed. Cues are
a dotted box. The selected span gets a dark outline, the spans linked to it a dashed purple
one, find hits a yellow (current: orange) background. Suggestions ("ghosts") are outlined, never
filled: a dashed outline with rounded corners in their label's colour over whatever the user's
layer shows there; the one in focus gets a light tint under the text and a thick solid outline. Painting over the glyphs keeps every
shaping run intact, so Arabic letters stay joined even when a span ends inside a word.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QTextBlock

from annotator.gui.offsets import OffsetMap
from annotator.gui.view_geometry import BlockLines, Edge, is_rtl_char, mixes_directions
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
GHOST_PEN = 2.0
GHOST_FOCUS_PEN = 3.0
GHOST_DASHES = [2.0, 1.5]  # in pen widths
GHOST_RADIUS = 4.0  # rounded corners: a ghost never looks like a cue's square dotted box
GHOST_FOCUS_ALPHA = 70
UNKNOWN_COLOR = "#9e9e9e"


@dataclass(frozen=True, slots=True)
class LabelStyle:
    """What the view needs to know about a label: its kind, colours and display name."""

    kind: str
    color: QColor
    name: str
    # An entity's background: the label colour as if at ENTITY_ALPHA over the page, painted
    # opaque because per-pixel blending was the costliest part of a repaint.
    fill: QColor


def blend(color: QColor, background: QColor, alpha: int = ENTITY_ALPHA) -> QColor:
    """Return ``color`` at ``alpha``/255 over ``background``, as one opaque colour."""
    share = alpha / 255

    def mix(a: int, b: int) -> int:
        return round(a * share + b * (1 - share))

    return QColor(
        mix(color.red(), background.red()),
        mix(color.green(), background.green()),
        mix(color.blue(), background.blue()),
    )


def make_style(kind: str, color: str, name: str, background: QColor) -> LabelStyle:
    """Return a label style whose entity fill is made once, not once per span."""
    return LabelStyle(kind, QColor(color), name, blend(QColor(color), background))


def label_styles(schema: Schema, background: QColor) -> dict[str, LabelStyle]:
    """Return the drawing style of every label of ``schema`` over ``background``."""
    return {
        label.id: make_style(
            label.kind, label.color, f"{label.name_en} · {label.name_ar}", background
        )
        for label in schema.labels
    }


def style_of(styles: dict[str, LabelStyle], label: str) -> LabelStyle:
    """Return the style of ``label``; a label the schema lacks is drawn as a grey entity."""
    return styles.get(label) or make_style("entity", UNKNOWN_COLOR, label, QColor("white"))


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
    offsets = ctx.offsets
    if offsets.is_identity:
        return start, end, end - 1
    return offsets.to_qt(start), offsets.to_qt(end), offsets.to_qt(end - 1)


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
    mixed_block = block_is_mixed(ctx, block)
    kinds = {s.id: style_of(ctx.styles, s.label) for s in spans}
    slots = stack_slots([s for s in spans if kinds[s.id].kind == "entity"])
    slots |= stack_slots([s for s in spans if kinds[s.id].kind in ("quote", "claim")])
    lines = BlockLines(block)
    shapes: list[SpanShape] = []
    for span in spans:
        # Only a span holding Latin or digits needs the per-run path; the rest is one run.
        mixed = mixed_block and mixes_directions(ctx.text[span.start : span.end])
        qs, qe, last = qt_range(ctx, span.start, span.end)
        rects = lines.rects(qs, qe, last, mixed)
        if not rects:
            continue
        shape = SpanShape(span, kinds[span.id], slots.get(span.id, 0), rects)
        if shape.style.kind in ("quote", "claim"):
            _add_edges(ctx, lines, shape, (qs, last), mixed)
        shapes.append(shape)
    return shapes


def _add_edges(
    ctx: BlockContext, lines: BlockLines, shape: SpanShape, ends: tuple[int, int], mixed: bool
) -> None:
    first, last = ends
    span = shape.span
    rtl = is_rtl_char(ctx.text[span.start])
    shape.start_edge = lines.edge(first, leading=True, rtl_char=rtl, mixed=mixed)
    rtl = is_rtl_char(ctx.text[span.end - 1])
    shape.end_edge = lines.edge(last, leading=False, rtl_char=rtl, mixed=mixed)


# ---- painting --------------------------------------------------------------------------------


@dataclass(slots=True)
class BlockPaint:
    """One block's shapes, grouped by colour and pen so painting is a few batched calls."""

    shapes: list[SpanShape]
    fills: dict[int, tuple[QColor, list[QRectF]]] = field(default_factory=dict)
    strokes: dict[tuple[int, bool], tuple[QPen, list[QLineF]]] = field(default_factory=dict)
    boxes: dict[int, tuple[QPen, list[QRectF]]] = field(default_factory=dict)
    ghosts: list[SpanShape] = field(default_factory=list)  # suggestions, laid out alike


def plan_block(shapes: list[SpanShape]) -> BlockPaint:
    """Group a block's shapes into batches: backgrounds, underlines and ticks, cue boxes."""
    plan = BlockPaint(shapes)
    for shape in shapes:
        kind, color = shape.style.kind, shape.style.color
        if kind == "entity":
            fill = shape.style.fill
            inset = min(shape.slot, 3) * INSET_STEP
            batch = plan.fills.setdefault(id(fill), (fill, []))[1]
            if inset:
                batch.extend(r.adjusted(0, inset, 0, -inset) for r in shape.rects)
            else:
                batch.extend(shape.rects)
        elif kind in ("quote", "claim"):
            _plan_underline(plan, shape, dashed=kind == "claim")
        elif kind == "cue":
            pen = QPen(color, 1.5, Qt.PenStyle.DotLine)
            batch = plan.boxes.setdefault(color.rgba(), (pen, []))[1]
            batch.extend(r.adjusted(1, 2, -1, -2) for r in shape.rects)
    return plan


def _pen(plan: BlockPaint, color: QColor, dashed: bool) -> list[QLineF]:
    key = (color.rgba(), dashed)
    if key not in plan.strokes:
        pen = QPen(color, 2.0, Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        plan.strokes[key] = (pen, [])
    return plan.strokes[key][1]


def _plan_underline(plan: BlockPaint, shape: SpanShape, dashed: bool) -> None:
    lift = 1.5 + shape.slot * SLOT_STEP
    lines = _pen(plan, shape.style.color, dashed)
    for r in shape.rects:
        lines.append(QLineF(r.left(), r.bottom() - lift, r.right(), r.bottom() - lift))
    ticks = _pen(plan, shape.style.color, False)
    for edge in (shape.start_edge, shape.end_edge):
        if edge is not None:
            top = edge.top + (edge.bottom - edge.top) * 0.45
            ticks.append(QLineF(edge.x, top, edge.x, edge.bottom - lift))


def paint_under(painter: QPainter, origin: QPointF, plan: BlockPaint) -> None:
    """Paint entity backgrounds (under the text)."""
    if not plan.fills:
        return
    painter.translate(origin)
    painter.setPen(Qt.PenStyle.NoPen)
    for color, rects in plan.fills.values():
        painter.setBrush(color)
        painter.drawRects(rects)
    painter.translate(-origin)


def paint_over(painter: QPainter, origin: QPointF, plan: BlockPaint) -> None:
    """Paint quote and claim underlines with their end ticks, and cue boxes (over the text)."""
    if not plan.strokes and not plan.boxes:
        return
    painter.translate(origin)
    for pen, lines in plan.strokes.values():
        painter.setPen(pen)
        painter.drawLines(lines)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for pen, rects in plan.boxes.values():
        painter.setPen(pen)
        painter.drawRects(rects)
    painter.translate(-origin)


def outline_path(rects: Iterable[QRectF], radius: float = 0.0) -> QPainterPath:
    """Return the union of ``rects`` (a span's pieces) as one contour, a pixel wider."""
    path = QPainterPath()
    for rect in rects:
        piece = QPainterPath()
        # Overlapping the next line by half a pixel makes the union one contour, not a stack.
        piece.addRoundedRect(rect.adjusted(-1, 0, 1, 0.5), radius, radius)
        path = path.united(piece)
    return path


def paint_outline(
    painter: QPainter, origin: QPointF, rects: Iterable[QRectF], color: QColor, dashed: bool
) -> None:
    """Outline ``rects`` as one shape (the selected span solid, linked spans dashed)."""
    pen = QPen(color, 2.0, Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(outline_path(rects).translated(origin))


def paint_ghost_tint(
    painter: QPainter, origin: QPointF, shapes: Iterable[SpanShape], focused: str | None
) -> None:
    """Tint the suggestion in focus lightly in its label's colour (under the text)."""
    for shape in shapes:
        if shape.span.id == focused:
            tint = QColor(shape.style.color)
            tint.setAlpha(GHOST_FOCUS_ALPHA)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(tint)
            painter.drawPath(outline_path(shape.rects, GHOST_RADIUS).translated(origin))


def paint_ghosts(
    painter: QPainter, origin: QPointF, shapes: Iterable[SpanShape], focused: str | None
) -> None:
    """Outline suggestions over the text: dotted, the one in focus solid and thicker."""
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for shape in shapes:
        if shape.span.id == focused:
            pen = QPen(shape.style.color, GHOST_FOCUS_PEN, Qt.PenStyle.SolidLine)
        else:
            pen = QPen(shape.style.color, GHOST_PEN, Qt.PenStyle.CustomDashLine)
            pen.setDashPattern(GHOST_DASHES)
        painter.setPen(pen)
        painter.drawPath(outline_path(shape.rects, GHOST_RADIUS).translated(origin))


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
