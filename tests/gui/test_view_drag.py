"""Mouse selections in the article view cover the letters the user dragged over.

Every test presses, moves and releases a real mouse on the viewport at points computed from
Qt's own text layout: ``across`` 0 is a glyph's leading edge (its right side in Arabic), 1 its
trailing edge. Pressing on the trailing half of a word's last letter is where Qt's nearest
cursor boundary falls after the word.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QPalette, QTextLine
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from annotator.gui.text_view import ArticleView
from annotator.model import load_default_schema
from annotator.model.text import is_mark

from conftest import SAMPLES

ALT = Qt.KeyboardModifier.AltModifier
NONE = Qt.KeyboardModifier.NoModifier
LEFT = Qt.MouseButton.LeftButton
SENTENCE = "قال وزير الخارجية الروسي سيرجي لافروف"
SIDES = [0.25, 0.5, 0.75]


def make_view(qtbot: QtBot, text: str, size: tuple[int, int] = (900, 300)) -> ArticleView:
    assert all(ord(ch) < 0x10000 for ch in text)  # Qt positions are code points here
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(*size)
    view.set_content(text, [], load_default_schema())
    view.show()
    qtbot.waitExposed(view)
    return view


def glyph_point(view: ArticleView, offset: int, across: float = 0.5) -> QPoint:
    """Return the viewport point ``across`` the glyph of the character at ``offset``."""
    view.scroll_to_offset(offset)
    block = view.document().findBlock(offset)
    layout = block.layout()
    relative = offset - block.position()
    line = layout.lineForTextPosition(relative)
    leading = line.cursorToX(relative)[0]
    trailing = line.cursorToX(relative, QTextLine.Edge.Trailing)[0]
    if leading == trailing:
        # The first letter of a Latin word or a number in Arabic text: Qt places its cursor
        # position on the Arabic side, so take where its glyph is drawn (left to right).
        box = line.glyphRuns(relative, 1)[0].boundingRect()
        leading, trailing = box.left(), box.right()
    corner = view.blockBoundingGeometry(block).translated(view.contentOffset()).topLeft()
    corner += layout.position()
    x = corner.x() + leading + (trailing - leading) * across
    return QPoint(round(x), round(corner.y() + line.y() + line.height() / 2))


def drag(qtbot: QtBot, view: ArticleView, text: str, a: QPoint, b: QPoint, modifier=NONE) -> str:
    """Drag from ``a`` to ``b``; return the part of ``text`` the view announces as selected."""
    port = view.viewport()
    with qtbot.waitSignal(view.selectionSnapped, timeout=1000) as signal:
        qtbot.mousePress(port, LEFT, modifier, a)
        qtbot.mouseMove(port, b)
        qtbot.mouseRelease(port, LEFT, modifier, b)
    start, end = signal.args
    assert view.selected_range() == (start, end)
    return text[start:end]


def middle(text: str, word: str) -> int:
    return text.index(word) + len(word) // 2


# ---- word snapping (the default) ------------------------------------------------------------


@pytest.mark.parametrize("across", SIDES)
def test_press_on_last_letter_keeps_that_word(qtbot: QtBot, across: float) -> None:
    view = make_view(qtbot, SENTENCE)
    press = glyph_point(view, SENTENCE.index("الخارجية") + len("الخارجية") - 1, across)
    release = glyph_point(view, middle(SENTENCE, "الروسي"))
    assert drag(qtbot, view, SENTENCE, press, release) == "الخارجية الروسي"


@pytest.mark.parametrize("across", SIDES)
def test_press_on_first_letter_and_drag_back_keeps_that_word(qtbot: QtBot, across: float) -> None:
    view = make_view(qtbot, SENTENCE)
    press = glyph_point(view, SENTENCE.index("سيرجي"), across)
    release = glyph_point(view, middle(SENTENCE, "الروسي"))
    assert drag(qtbot, view, SENTENCE, press, release) == "الروسي سيرجي"


@pytest.mark.parametrize("across", SIDES)
def test_press_on_first_letter_and_drag_forward(qtbot: QtBot, across: float) -> None:
    view = make_view(qtbot, SENTENCE)
    press = glyph_point(view, SENTENCE.index("وزير"), across)
    release = glyph_point(view, middle(SENTENCE, "الخارجية"))
    assert drag(qtbot, view, SENTENCE, press, release) == "وزير الخارجية"


@pytest.mark.parametrize("across", SIDES)
def test_release_on_a_letter_takes_its_word(qtbot: QtBot, across: float) -> None:
    view = make_view(qtbot, SENTENCE)
    press = glyph_point(view, middle(SENTENCE, "الخارجية"))
    first_of_next = glyph_point(view, SENTENCE.index("سيرجي"), across)
    assert drag(qtbot, view, SENTENCE, press, first_of_next) == "الخارجية الروسي سيرجي"
    last_of_previous = glyph_point(view, SENTENCE.index("وزير") + len("وزير") - 1, across)
    assert drag(qtbot, view, SENTENCE, press, last_of_previous) == "وزير الخارجية"


def test_drag_within_one_word_selects_it(qtbot: QtBot) -> None:
    view = make_view(qtbot, SENTENCE)
    word = SENTENCE.index("الخارجية")
    press = glyph_point(view, middle(SENTENCE, "الخارجية"))
    assert drag(qtbot, view, SENTENCE, press, glyph_point(view, word, 0.75)) == "الخارجية"
    assert drag(qtbot, view, SENTENCE, press, glyph_point(view, word + 7, 0.25)) == "الخارجية"


def test_new_drag_starting_inside_the_selection_selects_again(qtbot: QtBot) -> None:
    view = make_view(qtbot, SENTENCE)
    press = glyph_point(view, middle(SENTENCE, "الخارجية"))
    first = glyph_point(view, SENTENCE.index("الخارجية"))
    assert drag(qtbot, view, SENTENCE, press, first) == "الخارجية"
    # Qt would start dragging the selected text away from a press inside the selection.
    release = glyph_point(view, middle(SENTENCE, "الروسي"))
    assert drag(qtbot, view, SENTENCE, press, release) == "الخارجية الروسي"


def wrapped_view(qtbot: QtBot) -> tuple[ArticleView, str, list[tuple[int, int]]]:
    """A view narrow enough to wrap the sentence; returns it with its lines' code points."""
    text = " ".join([SENTENCE] * 4)
    view = make_view(qtbot, text, (380, 400))
    layout = view.document().firstBlock().layout()
    lines = [
        (line.textStart(), line.textStart() + line.textLength())
        for line in (layout.lineAt(i) for i in range(layout.lineCount()))
    ]
    assert len(lines) >= 3
    return view, text, lines


def word_around(text: str, offset: int) -> str:
    start = text.rfind(" ", 0, offset) + 1
    end = text.find(" ", offset)
    return text[start : end if end != -1 else len(text)]


@pytest.mark.parametrize("across", SIDES)
def test_drag_from_end_of_a_line_onto_the_next(qtbot: QtBot, across: float) -> None:
    view, text, lines = wrapped_view(qtbot)
    end_of_line = lines[0][1] - 1
    assert text[end_of_line] == " "  # a wrapped line ends with the space it broke at
    last, first = word_around(text, end_of_line - 1), word_around(text, lines[1][0])
    target = glyph_point(view, lines[1][0] + 2)
    picked = drag(qtbot, view, text, glyph_point(view, end_of_line - 1, across), target)
    assert picked == f"{last} {first}"


def test_drag_past_the_end_of_the_last_line(qtbot: QtBot) -> None:
    view, text, lines = wrapped_view(qtbot)
    end = lines[-1][1]
    assert end == len(text)
    beyond = glyph_point(view, end - 1)
    beyond.setX(beyond.x() - 40)  # the empty space left of the paragraph's last letter
    assert view.viewport().rect().contains(beyond)
    before_last = text.rindex("سيرجي") + 2
    picked = drag(qtbot, view, text, glyph_point(view, before_last), beyond)
    assert picked == "سيرجي لافروف"


# ---- double click ---------------------------------------------------------------------------


def double_click(qtbot: QtBot, view: ArticleView, point: QPoint) -> None:
    """Press, release, press and double-click at ``point``, as Qt 6 delivers a double click."""
    port = view.viewport()
    qtbot.mousePress(port, LEFT, NONE, point)
    qtbot.mouseRelease(port, LEFT, NONE, point)
    qtbot.mousePress(port, LEFT, NONE, point)
    event = QMouseEvent(
        QMouseEvent.Type.MouseButtonDblClick,
        QPointF(point),
        QPointF(port.mapToGlobal(point)),
        LEFT,
        LEFT,
        NONE,
    )
    QApplication.sendEvent(port, event)


@pytest.mark.parametrize("across", SIDES)
def test_double_click_on_last_letter_selects_its_word(qtbot: QtBot, across: float) -> None:
    view = make_view(qtbot, SENTENCE)
    last = SENTENCE.index("الخارجية") + len("الخارجية") - 1
    point = glyph_point(view, last, across)
    with qtbot.waitSignal(view.selectionSnapped) as signal:
        double_click(qtbot, view, point)
        qtbot.mouseRelease(view.viewport(), LEFT, NONE, point)
    start, end = signal.args
    assert SENTENCE[start:end] == "الخارجية"


@pytest.mark.parametrize("across", SIDES)
def test_double_click_and_drag_selects_whole_words(qtbot: QtBot, across: float) -> None:
    view = make_view(qtbot, SENTENCE)
    view.set_character_precision(True)  # a double click selects words all the same
    first = SENTENCE.index("سيرجي")
    double_click(qtbot, view, glyph_point(view, first, across))
    target = glyph_point(view, SENTENCE.index("الخارجية") + 1)
    with qtbot.waitSignal(view.selectionSnapped) as signal:
        qtbot.mouseMove(view.viewport(), target)
        qtbot.mouseRelease(view.viewport(), LEFT, NONE, target)
    start, end = signal.args
    assert SENTENCE[start:end] == "الخارجية الروسي سيرجي"


# ---- character precision --------------------------------------------------------------------


@pytest.fixture
def vowelled() -> str:
    text = (SAMPLES / "diacritics-tatweel.txt").read_text(encoding="utf-8")
    assert "الْحِوَارَ مُسْتَمِرٌّ" in text
    return text


@pytest.mark.parametrize("how", ["menu", "alt"])
def test_character_precision_keeps_the_letters_dragged_with_their_marks(
    qtbot: QtBot, vowelled: str, how: str
) -> None:
    view = make_view(qtbot, vowelled)
    modifier = ALT if how == "alt" else NONE
    view.set_character_precision(how == "menu")
    # الْحِوَارَ without its article: from ح (trailing half) to ر (leading half).
    ha = vowelled.index("الْحِوَارَ") + 3
    ra = ha + 5
    assert vowelled[ha] == "ح" and vowelled[ra] == "ر"
    press, release = glyph_point(view, ha, 0.75), glyph_point(view, ra, 0.25)
    assert drag(qtbot, view, vowelled, press, release, modifier) == "حِوَارَ"
    # Backwards, ending on ر of مُسْتَمِرٌّ: its two marks stay with it.
    word = vowelled.index("مُسْتَمِرٌّ")
    ra = word + 8
    assert vowelled[ra] == "ر" and is_mark(vowelled[ra + 1]) and is_mark(vowelled[ra + 2])
    press, release = glyph_point(view, ra, 0.75), glyph_point(view, word + 2)
    assert drag(qtbot, view, vowelled, press, release, modifier) == "سْتَمِرٌّ"


def test_character_precision_on_latin_and_digits_in_arabic(qtbot: QtBot) -> None:
    text = (SAMPLES / "mixed-direction.txt").read_text(encoding="utf-8")
    view = make_view(qtbot, text)
    view.set_character_precision(True)
    reuters, year = text.index("Reuters"), text.index("2024")
    press, release = glyph_point(view, reuters), glyph_point(view, reuters + 6)
    assert drag(qtbot, view, text, press, release) == "Reuters"
    press, release = glyph_point(view, year + 3), glyph_point(view, year + 1)
    assert drag(qtbot, view, text, press, release) == "024"


# ---- what the user sees ---------------------------------------------------------------------


def test_highlight_covers_the_word_pressed_on(qtbot: QtBot, tmp_path) -> None:
    view = make_view(qtbot, SENTENCE, (600, 120))
    last = SENTENCE.index("الخارجية") + len("الخارجية") - 1
    press = glyph_point(view, last, 0.75)
    drag(qtbot, view, SENTENCE, press, glyph_point(view, middle(SENTENCE, "الروسي")))
    image = view.viewport().grab().toImage()
    highlight = view.palette().color(QPalette.ColorRole.Highlight).rgb()
    dpr = image.devicePixelRatio()

    def highlighted_share(word: str) -> float:
        """Return the share of the word's box (between its outer glyph edges) in the highlight."""
        start = SENTENCE.index(word)
        right, left = glyph_point(view, start, 0.0), glyph_point(view, start + len(word) - 1, 1.0)
        xs = range(round((left.x() + 1) * dpr), round((right.x() - 1) * dpr))
        ys = range(round((right.y() - 12) * dpr), round((right.y() + 12) * dpr))
        hits = sum(image.pixelColor(x, y).rgb() == highlight for x in xs for y in ys)
        return hits / (len(xs) * len(ys))

    # The letters' strokes take the rest of the box.
    assert highlighted_share("الخارجية") > 0.6
    assert highlighted_share("الروسي") > 0.6
    assert highlighted_share("وزير") == highlighted_share("سيرجي") == 0
    assert view.grab().save(str(tmp_path / "drag.png"))
