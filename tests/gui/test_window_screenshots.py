"""Screenshots of the window on the seed article, written to build/screenshots/window-*.png.

Annotations are made through the window (select, label key, link mode) from the offsets of the
example annotation, so the pictures show what a user's session produces. Each picture is then
checked where a user would look: entity backgrounds in their label's colour at the span's
rectangles, the selected span's outline along its rectangles and nothing drawn elsewhere, linked
spans in dashed purple, the current find hit in orange over its word only. Positions come from
the view itself (``rects_for_span``, ``point_for_offset``), so the checks hold with any font.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPalette

from annotator.gui import MainWindow
from annotator.gui.view_paint import HIT_CURRENT, LINKED, SELECTED, blend
from annotator.paths import SEEDS
from annotator.session import Layer
from annotator.store import Project

# Written under build/ (ignored by git) so a test run leaves the checkout clean; the copies in
# docs/screenshots/ are refreshed by hand after looking at these.
SHOTS = Path(
    os.environ.get("ANNOTATOR_SCREENSHOTS")
    or Path(__file__).resolve().parents[2] / "build" / "screenshots"
)
SEED_ID = "000_2024f0fe6e876b71"
Pixels = np.ndarray  # height x width x RGB, one article viewport


def example_spans() -> list[dict]:
    """The example annotation's spans of the seed article."""
    path = SEEDS / f"{SEED_ID}.example.jsonl"
    return json.loads(path.read_text(encoding="utf-8"))["spans"]


def mark(window: MainWindow, start: int, end: int, label: str) -> str:
    """Select ``[start, end)`` with character precision and press the label: the new span id."""
    window.text_view.set_character_precision(True)
    window.text_view.select_range(start, end)
    window.annotate(label)
    window.text_view.set_character_precision(False)
    made = window.session.selected_span()
    assert made is not None and (made.start, made.end, made.label) == (start, end, label)
    return made.id


def rgb(image: QImage) -> Pixels:
    """Return an image's pixels as an array of RGB triples."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    data = np.frombuffer(image.constBits(), np.uint8, count=height * stride).copy()
    return data.reshape(height, stride)[:, : width * 3].reshape(height, width, 3)


def article(window: MainWindow, shot: QImage) -> Pixels:
    """Cut the article's viewport out of a picture of the whole window."""
    viewport = window.text_view.viewport()
    corner = viewport.mapTo(window, QPoint(0, 0))
    scale = shot.devicePixelRatio()
    assert scale == 1, "the checks below read viewport coordinates as pixels"
    left, top = corner.x(), corner.y()
    return rgb(shot)[top : top + viewport.height(), left : left + viewport.width()]


def shoot(qtbot, window: MainWindow, name: str) -> Pixels:
    """Save the whole window as build/screenshots/window-<name>.png; return its article."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = picture(qtbot, window)
    path = SHOTS / f"window-{name}.png"
    assert shot.save(str(path))
    assert QImage(str(path)) == shot  # what was written is what is checked
    return article(window, shot)


def picture(qtbot, window: MainWindow) -> QImage:
    """Return the whole window as drawn now."""
    qtbot.wait(1)  # let queued paint events run
    return window.grab().toImage()


def is_color(pixels: Pixels, color: QColor, tolerance: int = 0) -> np.ndarray:
    """Return where ``pixels`` are ``color`` (within ``tolerance`` per channel)."""
    want = np.array([color.red(), color.green(), color.blue()], dtype=int)
    return np.all(np.abs(pixels.astype(int) - want) <= tolerance, axis=-1)


def inside(shape: tuple[int, ...], rects: list[QRect], margin: int) -> np.ndarray:
    """Return a mask of the pixels within ``margin`` of any of ``rects``."""
    mask = np.zeros(shape[:2], dtype=bool)
    for r in rects:
        top, left = max(r.top() - margin, 0), max(r.left() - margin, 0)
        mask[top : r.bottom() + margin + 1, left : r.right() + margin + 1] = True
    return mask


def rects_of(window: MainWindow, *span_ids: str) -> list[QRect]:
    """Return the on-screen rectangles of ``span_ids``, each of which must be on screen."""
    rects = []
    for span_id in span_ids:
        pieces = window.text_view.rects_for_span(span_id)
        assert pieces, f"span {span_id} is not on screen"
        rects.extend(pieces)
    return rects


def along_top_and_bottom(pixels: Pixels, rects: list[QRect], color: QColor) -> float:
    """Return the share of columns over the top and bottom edges of ``rects`` drawn in ``color``.

    The topmost piece's top edge and the lowest piece's bottom edge are outer edges of the
    outline whatever the line breaks; a pen a few pixels either side of the edge counts. An
    edge past the top or bottom of the article is left out.
    """
    hits = is_color(pixels, color)
    first = min(rects, key=lambda r: r.top())
    last = max(rects, key=lambda r: r.bottom())
    covered: list[bool] = []
    for rect, y in ((first, first.top()), (last, last.bottom())):
        if 3 <= y < len(pixels) - 4:
            covered.extend(hits[y - 3 : y + 4, rect.left() + 3 : rect.right() - 2].any(axis=0))
    assert covered, "neither edge of the span is on screen"
    return float(np.mean(covered))


def assert_outlines(
    qtbot, window: MainWindow, shot: Pixels, selected: str, linked: list[str]
) -> None:
    """The selected span is outlined along its rectangles, the linked ones dashed in purple,
    and nothing else in the article changes when the selection goes."""
    assert window.text_view.selected_span_id() == selected
    assert along_top_and_bottom(shot, rects_of(window, selected), SELECTED) > 0.9
    purple = is_color(shot, LINKED)
    for span_id in linked:
        near = inside(shot.shape, rects_of(window, span_id), 3)
        assert (purple & near).sum() > 10, f"linked span {span_id} is not outlined"
    assert not (purple & ~inside(shot.shape, rects_of(window, *linked), 3)).any()
    window.select_span(None)
    unselected = article(window, picture(qtbot, window))
    window.select_span(selected)
    changed = np.any(shot != unselected, axis=-1)
    assert changed.sum() > 100
    marks = inside(shot.shape, rects_of(window, selected, *linked), 3)
    assert not (changed & ~marks).any(), "selecting drew outside the span and its links"


def assert_entity_colors(window: MainWindow, shot: Pixels) -> int:
    """Every entity on screen that no other covers shows its label's colour; return how many."""
    view = window.text_view
    page, fills = entity_fills(window)
    shown = [s for s in view.spans() if s.label in fills and view.rects_for_span(s.id)]
    checked = 0
    for span in shown:
        if any(o.id != span.id and o.start < span.end and span.start < o.end for o in shown):
            continue  # nested: the inner one's colour is painted over part of it
        whole = [r for r in view.rects_for_span(span.id) if view.viewport().rect().contains(r)]
        if not whole:
            continue  # cut by the top or bottom of the article
        rect = whole[0]
        colors = shot[rect.top() : rect.bottom() + 1, rect.left() : rect.right() + 1]
        found, counts = np.unique(colors.reshape(-1, 3), axis=0, return_counts=True)
        main = QColor(*(int(c) for c in found[counts.argmax()]))
        nearest = min(fills, key=lambda label: distance(fills[label], main))
        assert main != page and nearest == span.label, (span, main.name())
        checked += 1
    return checked


def distance(a: QColor, b: QColor) -> int:
    """Return how far apart two colours are (sum of channel differences)."""
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue())


def entity_fills(window: MainWindow) -> tuple[QColor, dict[str, QColor]]:
    """Return the page colour and each entity label's background colour over it."""
    view = window.text_view
    page = view.palette().color(QPalette.ColorRole.Base)
    labels = [label for label in window.project.schema.labels if label.kind == "entity"]
    return page, {label.id: blend(QColor(label.color), page) for label in labels}


def orange_columns(window: MainWindow, shot: Pixels, start: int, end: int) -> list[bool]:
    """Return, per character of ``[start, end)``, whether the current-hit orange is there."""
    page, fills = entity_fills(window)
    orange = np.zeros(shot.shape[:2], dtype=bool)
    for under in [page, *fills.values()]:
        over = blend(QColor(HIT_CURRENT.rgb()), under, HIT_CURRENT.alpha())
        orange |= is_color(shot, over, 2)
    found = []
    for offset in range(start, end):
        point = window.text_view.point_for_offset(offset)
        found.append(
            bool(orange[point.y() - 8 : point.y() + 9, point.x() - 2 : point.x() + 3].any())
        )
    return found


@pytest.fixture
def window(qtbot, seeded: Project) -> MainWindow:
    """A large window on the seed article with every example entity marked by hand."""
    opened = MainWindow(seeded.path, annotator="tester")
    qtbot.addWidget(opened)
    opened.resize(1500, 950)
    opened.show()
    qtbot.waitExposed(opened)
    opened.set_layer("tester")  # only "example" annotated, so the window opened on everyone's
    for span in example_spans():
        if span["label"] not in ("QUOTE", "CUE", "CLAIM"):
            mark(opened, span["start"], span["end"], span["label"])
    return opened


def test_screenshots(qtbot, window: MainWindow, seed_text: str) -> None:
    window.select_span(None)
    window.text_view.scroll_to_offset(0)
    shot = shoot(qtbot, window, "entities")
    shown = window.text_view.toPlainText()  # Qt gives a no-break space back as a space
    assert shown == seed_text.replace("\u00a0", " ")
    assert assert_entity_colors(window, shot) >= 10

    quote = mark(window, 354, 801, "QUOTE")
    cue = mark(window, 340, 344, "CUE")
    speaker = next(
        s.id for s in window.session.spans.values() if (s.start, s.label) == (345, "PER")
    )
    window.select_span(quote)
    window.actions_by_name["link"].trigger()
    window.editing.span_clicked(speaker)
    window.editing.span_clicked(cue)
    window.editing.escape()
    window.select_span(quote)
    assert window.inspector.links.count() == 2
    assert_outlines(qtbot, window, shoot(qtbot, window, "quote"), quote, [speaker, cue])

    claim = mark(window, 2195, 2262, "CLAIM")
    start = seed_text.index("الدول الغربية اتهمت")
    west = next(s.id for s in window.session.spans.values() if s.start == start)
    window.select_span(claim)
    window.actions_by_name["link"].trigger()
    window.editing.span_clicked(west)
    window.editing.escape()
    assert [r.type for r in window.session.relations_of(claim)] == ["CLAIMANT"]
    assert_outlines(qtbot, window, shoot(qtbot, window, "claim"), claim, [west])

    window.select_span(None)
    window.find_bar.open_bar()
    window.find_bar.query.setText("بوتين")
    window.find_bar.next()
    hit = window.find_bar.current_match()
    assert hit is not None and seed_text[hit.start : hit.end] == "بوتين"
    shot = shoot(qtbot, window, "find")
    total = seed_text.count("بوتين")
    assert window.find_bar.count.text() == f"2 of {total}"
    assert all(orange_columns(window, shot, hit.start, hit.end))
    before = seed_text.rindex(" ", 0, hit.start - 1) + 1  # the word before: not the hit
    assert not any(orange_columns(window, shot, before, hit.start - 1))

    window.label_palette.set_current("PER")
    dialog = window.editing.annotate_all_dialog()
    assert dialog is not None and dialog.label() == "PER"
    assert dialog.grab().save(str(SHOTS / "window-annotate-all.png"))
    # Every hit is listed, and each is already a PER annotation or inside one: none is ticked.
    assert dialog.kinds() == [
        "inside a PER annotation",  # فلاديمير بوتين
        "inside a PER annotation",
        "already annotated",
        "inside a PER annotation",
        "already annotated",
    ]
    assert dialog.checked() == []
    dialog.reject()
    window.find_bar.close_bar()
    documents = window.docks["documents"]
    assert documents.geometry().center().x() < window.width() // 2  # the list on the left
    window.set_language("ar")
    window.select_span(quote)
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    shot = shoot(qtbot, window, "arabic-ui")
    assert documents.windowTitle() == "المستندات"
    assert documents.geometry().center().x() > window.width() // 2  # mirrored: on the right
    assert_outlines(qtbot, window, shot, quote, [speaker, cue])  # the article looks the same
    window.set_language("en")


def link(window: MainWindow, head: str, *tails: str) -> None:
    """Select ``head``, turn link mode on, click each tail, leave link mode."""
    window.select_span(head)
    window.actions_by_name["link"].trigger()
    for tail in tails:
        window.editing.span_clicked(tail)
    window.editing.escape()


def span_at(window: MainWindow, start: int, label: str) -> str:
    """Return the id of the shown ``label`` span starting at ``start``."""
    return next(s.id for s in window.session.spans.values() if (s.start, s.label) == (start, label))


def test_session_survives_closing_and_reopening(qtbot, window: MainWindow, seed_text: str) -> None:
    lavrov = mark(window, 354, 801, "QUOTE")
    link(window, lavrov, span_at(window, 345, "PER"), mark(window, 340, 344, "CUE"))
    peskov = mark(window, 1128, 1204, "QUOTE")
    link(window, peskov, span_at(window, 1119, "PER"), mark(window, 1115, 1118, "CUE"))
    claim = mark(window, 2195, 2262, "CLAIM")
    link(window, claim, span_at(window, seed_text.index("الدول الغربية اتهمت"), "GPE"))
    saved = {(s.start, s.end, s.label) for s in window.session.spans.values()}
    links = {r.type for r in window.session.relations.values()}
    path = window.project.path
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)  # qtbot closes it again
    window.close()
    reopened = MainWindow(path, annotator="tester")
    qtbot.addWidget(reopened)
    reopened.resize(1500, 950)
    reopened.show()
    qtbot.waitExposed(reopened)
    assert reopened.session.layer == Layer.of("tester")  # the user's own, now they annotated
    assert {(s.start, s.end, s.label) for s in reopened.session.spans.values()} == saved
    assert len(reopened.session.relations) == 5 and links == {"SPEAKER", "CUE", "CLAIMANT"}
    quote = span_at(reopened, 1128, "QUOTE")
    reopened.select_span(quote)
    shot = shoot(qtbot, reopened, "reopened")
    linked = [span_at(reopened, 1119, "PER"), span_at(reopened, 1115, "CUE")]
    assert_outlines(qtbot, reopened, shot, quote, linked)
    assert assert_entity_colors(reopened, shot) >= 5
