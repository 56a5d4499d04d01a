"""The article view driven like a user would: selections, clicks, drawing, right to left."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import fontpkg_noto_sans_arabic as noto
import pytest
from PySide6.QtCore import QEvent, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QFontInfo, QHelpEvent, QImage, QTextDocument, QTextLine
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from annotator.errors import OffsetError
from annotator.gui import fonts
from annotator.gui.text_view import ArticleView
from annotator.model import Span, load_default_schema
from annotator.model.text import is_mark
from annotator.store import Project

from conftest import SAMPLES, SEED_ID

ALT = Qt.KeyboardModifier.AltModifier
LEFT = Qt.MouseButton.LeftButton


def make_view(
    qtbot: QtBot, text: str, spans: list[Span] | None = None, size: tuple[int, int] = (900, 700)
) -> ArticleView:
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(*size)
    view.set_content(text, spans or [], load_default_schema())
    view.show()
    qtbot.waitExposed(view)
    return view


@pytest.fixture
def seed_view(qtbot: QtBot, seeded: Project) -> Iterator[ArticleView]:
    text = seeded.document(SEED_ID).text
    view = make_view(qtbot, text, seeded.spans(SEED_ID))
    yield view


def span(span_id: str, start: int, end: int, label: str) -> Span:
    return Span(span_id, "d", start, end, label)


def drag(qtbot: QtBot, view: ArticleView, a: QPoint, b: QPoint, modifier=None) -> None:
    mods = modifier or Qt.KeyboardModifier.NoModifier
    port = view.viewport()
    qtbot.mousePress(port, LEFT, mods, a)
    qtbot.mouseMove(port, b)
    qtbot.mouseRelease(port, LEFT, mods, b)


def colour_near(image: QImage, rect: QRect, colour: QColor, tolerance: int = 40) -> bool:
    """Return True when some pixel inside ``rect`` is close to ``colour`` (a drawn mark)."""
    for y in range(max(rect.top(), 0), min(rect.bottom() + 1, image.height())):
        for x in range(max(rect.left(), 0), min(rect.right() + 1, image.width())):
            pixel = image.pixelColor(x, y)
            if (
                abs(pixel.red() - colour.red())
                + abs(pixel.green() - colour.green())
                + abs(pixel.blue() - colour.blue())
                <= tolerance
            ):
                return True
    return False


# ---- offsets at the boundary ------------------------------------------------------------------


def test_word_after_emoji_is_selected_with_code_point_offsets(qtbot: QtBot) -> None:
    text = "قال 😀😀 لافروف اليوم"
    view = make_view(qtbot, text)
    start = text.index("لافروف")
    with qtbot.waitSignal(view.selectionSnapped) as signal:
        drag(qtbot, view, view.point_for_offset(start + 1), view.point_for_offset(start + 3))
    a, b = signal.args
    assert text[a:b] == "لافروف"
    assert view.selected_range() == (a, b)


def test_word_after_no_break_space_in_seed(seed_view: ArticleView, seed_text: str) -> None:
    assert seed_text[838] == "\u00a0"
    start = seed_text.index("وكان", 838)
    seed_view.select_range(start + 1, start + 2)
    a, b = seed_view.selected_range()
    assert seed_text[a:b] == "وكان"
    assert seed_view.span_at(seed_text.index("دميتري"))[0].label == "PER"


# ---- snapping -----------------------------------------------------------------------------


def test_selection_inside_lavrov_snaps_to_the_word(seed_view: ArticleView, seed_text: str) -> None:
    assert seed_text[79:85] == "لافروف"
    seed_view.select_range(81, 83)
    assert seed_view.selected_range() == (79, 85)


def test_selection_never_ends_between_letter_and_mark(
    seed_view: ArticleView, seed_text: str
) -> None:
    # رَدًّا at 252..258: the selection ends right after د, before its marks ً and ّ.
    assert seed_text[252:258] == "رَدًّا" and is_mark(seed_text[255])
    seed_view.select_range(252, 255)
    assert seed_view.selected_range() == (252, 258)
    seed_view.set_character_precision(True)
    a, b = seed_view.selected_range()
    assert (a, b) == (252, 257)
    assert not is_mark(seed_text[b])


def test_selection_of_spaces_holds_no_word(seed_view: ArticleView, seed_text: str) -> None:
    gap = seed_text.index("\n\n")
    seed_view.select_range(gap, gap + 2)
    assert seed_view.selected_range() is None


def test_mouse_drag_snaps_on_release(qtbot: QtBot, seed_view: ArticleView) -> None:
    with qtbot.waitSignal(seed_view.selectionSnapped) as signal:
        drag(qtbot, seed_view, seed_view.point_for_offset(80), seed_view.point_for_offset(83))
    assert signal.args == [79, 85]
    cursor = seed_view.textCursor()
    assert (cursor.selectionStart(), cursor.selectionEnd()) == (79, 85)


def test_alt_drag_keeps_character_precision(
    qtbot: QtBot, seed_view: ArticleView, seed_text: str
) -> None:
    with qtbot.waitSignal(seed_view.selectionSnapped) as signal:
        drag(qtbot, seed_view, seed_view.point_for_offset(80), seed_view.point_for_offset(83), ALT)
    a, b = signal.args
    assert 79 <= a < b <= 85 and (a, b) != (79, 85)
    assert seed_text[a:b] in "لافروف"


def test_character_precision_toggle_keeps_clitic_out(
    seed_view: ArticleView, seed_text: str
) -> None:
    # وواشنطن: the entity is واشنطن without the attached و.
    start = seed_text.index("وواشنطن")
    seed_view.set_character_precision(True)
    seed_view.select_range(start + 1, start + 7)
    a, b = seed_view.selected_range()
    assert seed_text[a:b] == "واشنطن"
    seed_view.set_character_precision(False)
    a, b = seed_view.selected_range()
    assert seed_text[a:b] == "وواشنطن"


def test_keyboard_selection_snaps_when_shift_is_released(
    qtbot: QtBot, seed_view: ArticleView
) -> None:
    seed_view.select_range(81, 81)
    seed_view.setFocus()
    qtbot.keyPress(seed_view, Qt.Key.Key_Shift)
    # Right-to-left text: the Left arrow moves forward through the logical text.
    qtbot.keyClick(seed_view, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    with qtbot.waitSignal(seed_view.selectionSnapped) as signal:
        qtbot.keyRelease(seed_view, Qt.Key.Key_Shift)
    assert signal.args == [79, 85]


# ---- clicking spans -------------------------------------------------------------------------


def test_click_on_span_emits_its_id_and_cycles(qtbot: QtBot, seed_view: ArticleView) -> None:
    # موسكو at 234: GPE g11 inside CLAIM g13 inside QUOTE g10.
    ids = [s.id for s in seed_view.span_at(236)]
    assert len(ids) == 3
    point = seed_view.point_for_offset(236)
    clicked = []
    seed_view.spanClicked.connect(clicked.append)
    for _ in range(4):
        qtbot.mouseClick(seed_view.viewport(), LEFT, pos=point)
    labels = [next(s.label for s in seed_view.spans() if s.id == i) for i in clicked]
    assert labels == ["GPE", "CLAIM", "QUOTE", "GPE"]
    assert seed_view.selected_span_id() == clicked[-1]


def test_click_outside_spans_emits_nothing(qtbot: QtBot, seed_view: ArticleView) -> None:
    clicked: list[str] = []
    seed_view.spanClicked.connect(clicked.append)
    qtbot.mouseClick(seed_view.viewport(), LEFT, pos=seed_view.point_for_offset(0))
    assert clicked == []


# ---- drawing --------------------------------------------------------------------------------


def test_nested_spans_are_both_drawn(seed_view: ArticleView) -> None:
    by_label = {s.label: s for s in seed_view.span_at(236)}
    gpe = seed_view.rects_for_span(by_label["GPE"].id)
    quote = seed_view.rects_for_span(by_label["QUOTE"].id)
    claim = seed_view.rects_for_span(by_label["CLAIM"].id)
    assert gpe and quote and claim
    assert gpe != quote != claim
    assert quote[0].contains(gpe[0].center()) and claim[0].contains(gpe[0].center())
    image = seed_view.viewport().grab().toImage()
    # The quote's red underline and the claim's blue dashes both show under the shared words.
    assert colour_near(image, quote[0], QColor("#cc0000"))
    assert colour_near(image, claim[0], QColor("#3d85c6"))


def test_text_starts_at_the_right_edge(seed_view: ArticleView) -> None:
    first = seed_view.rects_for_span(seed_view.span_at(79)[0].id)[0]
    assert first.right() > seed_view.viewport().width() * 0.8


def warm_pixels(image: QImage, rect: QRect) -> int:
    """Count pixels in ``rect`` tinted orange (red well above blue): a PER background."""
    return sum(
        1
        for y in range(rect.top(), rect.bottom())
        for x in range(rect.left(), rect.right())
        if image.pixelColor(x, y).red() - image.pixelColor(x, y).blue() > 30
    )


def test_added_span_is_drawn_and_removed_span_is_not(qtbot: QtBot, seed_text: str) -> None:
    view = make_view(qtbot, seed_text)
    view.add_span(span("new", 79, 85, "PER"))
    rects = view.rects_for_span("new")
    assert len(rects) == 1
    area = rects[0].width() * rects[0].height()
    assert warm_pixels(view.viewport().grab().toImage(), rects[0]) > area // 2
    view.remove_span("new")
    assert view.rects_for_span("new") == []
    assert view.span_at(80) == []
    assert warm_pixels(view.viewport().grab().toImage(), rects[0]) == 0


def test_multi_line_span_gets_a_piece_per_line(seed_view: ArticleView) -> None:
    quote = next(s for s in seed_view.span_at(400) if s.label == "QUOTE")
    rects = seed_view.rects_for_span(quote.id)
    assert len({r.top() for r in rects}) == len(rects) >= 3


def test_mixed_direction_span_covers_exactly_its_characters(qtbot: QtBot) -> None:
    text = (SAMPLES / "mixed-direction.txt").read_text(encoding="utf-8")
    latin = text.index("Reuters")
    date = text.index("يوم 12")
    # A sloppy date span ending inside "2024": its two visual pieces straddle "24".
    sloppy = text.index("2024") + 2
    spans = [span("org", latin, latin + 7, "ORG"), span("date", date, sloppy, "DATE")]
    view = make_view(qtbot, text, spans)
    line = view.document().firstBlock().layout().lineAt(0)
    origin_x = view.contentOffset().x()
    for item in spans:
        rects = view.rects_for_span(item.id)
        covered = set()
        for rect in rects:
            for x in range(rect.left() + 2, rect.right() - 1):
                pos = line.xToCursor(x - origin_x, QTextLine.CursorPosition.CursorOnCharacter)
                covered.add(pos)
                assert item.start <= pos < item.end, (item.id, x, pos)
        letters = {i for i in range(item.start, item.end) if not text[i].isspace()}
        assert covered >= letters
    assert len(view.rects_for_span("date")) == 2


def test_markup_shows_literally(qtbot: QtBot) -> None:
    text = "<b>عاجل</b> <script>alert(1)</script>\nسطر&nbsp;ثان"
    view = make_view(qtbot, text)
    block, lines = view.document().firstBlock(), []
    while block.isValid():
        lines.append(block.text())
        block = block.next()
    assert "\n".join(lines) == text
    assert view.document().firstBlock().charFormat().fontWeight() < 600


def test_zoom_keys_change_text_size(qtbot: QtBot, seed_view: ArticleView) -> None:
    before = seed_view.rects_for_span(seed_view.span_at(79)[0].id)[0].height()
    qtbot.keyClick(seed_view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(seed_view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    grown = seed_view.rects_for_span(seed_view.span_at(79)[0].id)[0].height()
    assert grown > before
    qtbot.keyClick(seed_view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert seed_view.rects_for_span(seed_view.span_at(79)[0].id)[0].height() == before


def test_scroll_to_offset_brings_the_end_into_view(seed_view: ArticleView, seed_text: str) -> None:
    seed_view.resize(700, 300)
    end = len(seed_text) - 3
    seed_view.scroll_to_offset(end)
    low, high = seed_view.visible_range()
    assert low <= end <= high
    assert low > 0
    seed_view.scroll_to_offset(0)
    low, high = seed_view.visible_range()
    assert low == 0 and high < end


# ---- screenshots (look at them: build/screenshots/view-*.png) ---------------------------------

# Written under build/ (ignored by git) so a test run leaves the checkout clean; the copies in
# docs/screenshots/ are refreshed by hand after looking at these.
SHOTS = Path(
    os.environ.get("ANNOTATOR_SCREENSHOTS")
    or Path(__file__).resolve().parents[2] / "build" / "screenshots"
)


def save(view: ArticleView, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"view-{name}.png"
    assert view.grab().save(str(path))
    return path


def test_screenshots_of_the_seed_article(qtbot: QtBot, seeded: Project, seed_text: str) -> None:
    view = make_view(qtbot, seed_text, seeded.spans(SEED_ID), (900, 640))
    quote = next(s for s in view.span_at(236) if s.label == "QUOTE")
    linked = {r.tail for r in seeded.relations(SEED_ID) if r.head == quote.id}
    view.set_selected_span(quote.id)
    view.set_linked_spans(linked)
    assert len(linked) == 2 and all(view.rects_for_span(i) for i in linked)
    view.scroll_to_offset(150)
    shots = [save(view, "seed-quote")]
    view.set_selected_span(None)
    view.set_linked_spans(set())
    claim_start = seed_text.index("اتهمت روسيا")
    view.scroll_to_offset(claim_start)
    view.select_range(claim_start + 2, claim_start + 9)
    shots.append(save(view, "seed-claim"))
    assert all(p.stat().st_size > 20_000 for p in shots)


def test_screenshot_of_partial_word_spans(qtbot: QtBot, seed_text: str) -> None:
    sergei = seed_text.index("سيرجي")
    spans = [
        span("part", 79, 82, "PER"),  # لاف of لافروف: the span ends inside the word
        span("sergei", sergei + 1, sergei + 4, "PER"),  # يرج: both edges inside سيرجي
        span("gpe", 107, 112, "GPE"),
    ]
    view = make_view(qtbot, seed_text, spans, (700, 420))
    view.select_range(125, 127)  # a raw selection inside أمريكا, before snapping
    assert len(view.rects_for_span("part")) == 1
    save(view, "partial-word")


def test_screenshot_of_multi_line_and_nested_spans(qtbot: QtBot, seed_text: str) -> None:
    washington = seed_text.index("وواشنطن") + 1
    quote = seed_text.index("الاتصالات جارية")
    cue = seed_text.index("صرح")
    spans = [
        span("clitic", washington, washington + 6, "GPE"),  # واشنطن without its و
        span("long", quote, quote + 184, "QUOTE"),  # runs over several lines
        span("inner", quote, quote + 60, "CLAIM"),  # same start as the quote: stacked
        span("deep", quote + 20, quote + 40, "QUOTE"),  # nested once more
        span("cue", cue, cue + 3, "CUE"),
    ]
    view = make_view(qtbot, seed_text, spans, (700, 600))
    hits = [(m, m + 5, True) for m in (seed_text.index("موسكو", quote),)]
    view.set_find_hits(
        [*hits, (seed_text.index("بوتين", quote), seed_text.index("بوتين", quote) + 5, False)], 0
    )
    view.scroll_to_offset(quote + 184)
    view.set_selected_span("long")
    view.set_linked_spans({"clitic", "cue"})
    assert len(view.rects_for_span("long")) >= 3
    save(view, "multiline")


def test_screenshot_of_mixed_direction_line(qtbot: QtBot) -> None:
    text = (SAMPLES / "mixed-direction.txt").read_text(encoding="utf-8")
    spans = [
        span("org", text.index("Reuters"), text.index("Reuters") + 7, "ORG"),
        span("date", text.index("12 مارس"), text.index("2024") + 4, "DATE"),
        span("imf", text.index("صندوق"), text.index("IMF") + 3, "ORG"),
        span("q", text.index("نتوقع"), text.index("تدريجيًا") + 8, "QUOTE"),
    ]
    view = make_view(qtbot, text, spans, (760, 200))
    assert len(view.rects_for_span("imf")) >= 1
    save(view, "mixed")


# ---- hover, tooltips, fonts, marks ----------------------------------------------------------


def test_text_with_carriage_returns_is_refused(qtbot: QtBot) -> None:
    view = ArticleView()
    qtbot.addWidget(view)
    with pytest.raises(OffsetError):
        view.set_content("سطر\r\nثان", [], load_default_schema())


def test_tooltip_names_the_label_and_shows_markup_literally(qtbot: QtBot) -> None:
    text = "<b>عاجل</b> قال لافروف"
    view = make_view(qtbot, text, [span("m", 0, 11, "MISC")])
    point = view.point_for_offset(4)
    port = view.viewport()
    event = QHelpEvent(QEvent.Type.ToolTip, point, port.mapToGlobal(point))
    QApplication.sendEvent(port, event)
    shown = QTextDocument()
    shown.setHtml(QToolTip.text())
    assert shown.toPlainText() == "Miscellaneous · متفرقات: <b>عاجل</b>"


def test_tooltip_lists_the_links_of_a_quote(qtbot: QtBot, seeded: Project) -> None:
    text = seeded.document(SEED_ID).text
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(900, 700)
    spans, relations = seeded.spans(SEED_ID), seeded.relations(SEED_ID)
    view.set_content(text, spans, seeded.schema, relations)
    view.show()
    qtbot.waitExposed(view)
    point = view.point_for_offset(300)  # inside the first quote, outside its entities
    port = view.viewport()
    QApplication.sendEvent(port, QHelpEvent(QEvent.Type.ToolTip, point, port.mapToGlobal(point)))
    shown = QTextDocument()
    shown.setHtml(QToolTip.text())
    assert "SPEAKER → سيرجي لافروف" in shown.toPlainText()
    assert "CUE → قال" in shown.toPlainText()


def test_hover_reports_the_span_under_the_pointer(qtbot: QtBot, seed_view: ArticleView) -> None:
    with qtbot.waitSignal(seed_view.spanHovered) as signal:
        qtbot.mouseMove(seed_view.viewport(), seed_view.point_for_offset(81))
    assert signal.args == ["g1"]


def test_article_font_is_the_packaged_arabic_face(qtbot: QtBot) -> None:
    view = make_view(qtbot, "قال")
    assert QFontInfo(view.font()).family() == noto.FAMILY


def count_pixels(image: QImage, rect: QRect, test) -> int:
    """Count pixels inside ``rect`` for which ``test(QColor)`` holds."""
    return sum(
        1
        for y in range(rect.top(), rect.bottom() + 1)
        for x in range(rect.left(), rect.right() + 1)
        if test(image.pixelColor(x, y))
    )


def test_find_hits_current_one_stands_out(qtbot: QtBot, seed_text: str) -> None:
    view = make_view(qtbot, seed_text)
    first, second = 151, 164  # the two "سيرجي لافروف" captions
    view.set_find_hits([(first, first + 5, True), (second, second + 5, True)], 1)
    image = view.viewport().grab().toImage()

    def box(offset: int) -> QRect:
        point = view.point_for_offset(offset)
        return QRect(point.x() - 6, point.y() - 12, 12, 24)

    def orange(c: QColor) -> bool:
        return c.red() > 230 and 140 < c.green() < 200 and c.blue() < 110

    def yellow(c: QColor) -> bool:
        return c.red() > 230 and c.green() > 225 and c.blue() < 170

    assert count_pixels(image, box(second + 2), orange) > 60
    assert count_pixels(image, box(first + 2), yellow) > 60
    assert count_pixels(image, box(first + 2), orange) == 0


def test_selected_span_gets_an_outline(qtbot: QtBot, seed_view: ArticleView) -> None:
    rect = seed_view.rects_for_span("g1")[0]
    top_row = QRect(rect.left() + 3, rect.top(), rect.width() - 6, 1)

    def dark(c: QColor) -> bool:
        return c.lightness() < 90

    before = count_pixels(seed_view.viewport().grab().toImage(), top_row, dark)
    seed_view.set_selected_span("g1")
    after = count_pixels(seed_view.viewport().grab().toImage(), top_row, dark)
    assert before < top_row.width() // 4 and after > top_row.width() * 3 // 4


def test_missing_font_package_falls_back_clearly(monkeypatch, caplog, qtbot: QtBot) -> None:
    monkeypatch.setattr(fonts, "FONT_PACKAGES", ("fontpkg_not_installed_anywhere",))
    assert fonts.arabic_family() == fonts.FALLBACK_FAMILY
    assert "no Arabic font package" in caplog.text
    with pytest.raises(fonts.FontError):
        fonts.arabic_family(strict=True)
