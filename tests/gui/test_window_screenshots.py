"""Screenshots of the window on the seed article, written to build/screenshots/window-*.png.

Annotations are made through the window (select, label key, link mode) from the offsets of the
example annotation, so the pictures show what a user's session produces.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.gui import MainWindow
from annotator.session import Layer
from annotator.store import Project

# Written under build/ (ignored by git) so a test run leaves the checkout clean; the copies in
# docs/screenshots/ are refreshed by hand after looking at these.
SHOTS = Path(
    os.environ.get("ANNOTATOR_SCREENSHOTS")
    or Path(__file__).resolve().parents[2] / "build" / "screenshots"
)
SEED_ID = "000_2024f0fe6e876b71"


def example_spans() -> list[dict]:
    """The example annotation's spans of the seed article."""
    path = Path(__file__).resolve().parents[2] / "seeds" / f"{SEED_ID}.example.jsonl"
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


def shoot(qtbot, window: MainWindow, name: str) -> Path:
    """Save the whole window as build/screenshots/window-<name>.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    qtbot.wait(1)  # let queued paint events run
    path = SHOTS / f"window-{name}.png"
    assert window.grab().save(str(path))
    return path


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
    assert shoot(qtbot, window, "entities").stat().st_size > 0
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
    shoot(qtbot, window, "quote")
    claim = mark(window, 2195, 2262, "CLAIM")
    start = seed_text.index("الدول الغربية اتهمت")
    west = next(s.id for s in window.session.spans.values() if s.start == start)
    window.select_span(claim)
    window.actions_by_name["link"].trigger()
    window.editing.span_clicked(west)
    window.editing.escape()
    assert [r.type for r in window.session.relations_of(claim)] == ["CLAIMANT"]
    shoot(qtbot, window, "claim")
    window.select_span(None)
    window.find_bar.open_bar()
    window.find_bar.query.setText("بوتين")
    window.find_bar.next()
    shoot(qtbot, window, "find")
    window.label_palette.set_current("PER")
    dialog = window.editing.annotate_all_dialog()
    assert dialog is not None and dialog.label() == "PER"
    assert dialog.grab().save(str(SHOTS / "window-annotate-all.png"))
    dialog.reject()
    window.find_bar.close_bar()
    window.set_language("ar")
    window.select_span(quote)
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    shoot(qtbot, window, "arabic-ui")
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
    reopened.select_span(span_at(reopened, 1128, "QUOTE"))
    shoot(qtbot, reopened, "reopened")
