"""A picture of the window with the search dock's hits in context, written to
build/screenshots/search-dock.png, and checked where a reader looks: in every row the hit's
background sits in the middle of the column, as wide as the hit's own words, with the letters
drawn over it and context on both sides (the words before it to its right)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF
from PySide6.QtTest import QTest
from search_corpus import add_articles
from test_search_dock import type_text, wait_idle
from test_window_screenshots import SHOTS, is_color, rgb
from window_helpers import open_window, press

from annotator.gui.search_results import CONTEXT_COLUMN, kwic_layout
from annotator.gui.view_paint import HIT, blend
from annotator.io.operations import import_paths
from annotator.model.kwic import Kwic
from annotator.paths import SEEDS
from annotator.store import Project


@pytest.fixture
def path(tmp_path: Path) -> Path:
    made = tmp_path / "news.sqlite"
    with Project.create(made, annotator="tester") as project:
        import_paths(project, [SEEDS / "000_2024f0fe6e876b71.txt"], fmt="txt")
        add_articles(project)
    return made


def test_each_hit_is_marked_in_the_middle_of_its_context(qtbot, path: Path) -> None:
    window = open_window(qtbot, path)
    window.resize(1500, 950)
    press(window, "Ctrl+Shift+F")
    panel = window.search.panel
    type_text(panel.query, "لافروف")
    QTest.keyClick(panel.query, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    table = panel.table
    table.clearSelection()
    qtbot.wait(1)
    shot = window.grab().toImage()
    assert shot.devicePixelRatio() == 1, "the checks read widget coordinates as pixels"
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert shot.save(str(SHOTS / "search-dock.png"))
    pixels = rgb(shot)
    fill = blend(HIT, QColor("white"), HIT.alpha())
    font = table.font()
    checked = 0
    for row in range(panel.results.rowCount()):
        rect = table.visualRect(panel.results.index(row, CONTEXT_COLUMN))
        if not table.viewport().rect().contains(rect):
            continue
        corner = table.viewport().mapTo(window, rect.topLeft())
        band = pixels[
            corner.y() + 2 : corner.y() + rect.height() - 2, corner.x() : corner.x() + rect.width()
        ]
        marked = np.flatnonzero(is_color(band, fill, tolerance=3).any(axis=0))
        assert marked.size, f"row {row}: no hit background"
        kwic = panel.results.hits[row].context
        width = QFontMetricsF(font).horizontalAdvance(kwic.hit)  # the hit's words, measured
        assert abs((marked[-1] - marked[0] + 1) - width) <= 3, f"row {row}: as wide as the hit"
        assert abs((marked[0] + marked[-1]) / 2 - rect.width() / 2) <= 2, f"row {row}: centred"
        inked = (band.sum(axis=-1) < 300).any(axis=0)  # dark text pixels, column by column
        assert inked[marked[0] : marked[-1] + 1].any(), f"row {row}: letters over the mark"
        if kwic.before.strip():
            assert inked[marked[-1] + 4 :].any(), f"row {row}: the words before, to the right"
        if kwic.after.strip():
            assert inked[: marked[0] - 4].any(), f"row {row}: the words after, to the left"
        checked += 1
    assert checked >= 3


def test_the_words_before_a_hit_stand_to_its_right(qtbot) -> None:
    """Reading order, right to left, also when the line starts with a Latin word."""
    layout, pieces = kwic_layout(QFont(), Kwic("NATO: قال ", "لافروف", " إن 2024"))
    line = layout.lineAt(0)
    assert len(pieces) == 1
    assert line.cursorToX(0)[0] > pieces[0][1]  # NATO, read first, right of the hit
    assert line.cursorToX(len("NATO: قال لافروف إن"))[0] < pieces[0][0]  # 2024 left of it
