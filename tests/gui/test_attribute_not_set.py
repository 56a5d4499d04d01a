"""An attribute a file did not give stays "not set": in the store, the inspector and export.

Before, every imported QUOTE became ``type=direct`` and every CLAIM ``check_worthy=yes`` (the
schema's defaults written in), so an indirect quote taken back from doccano became direct. A span
a person draws in the window still starts with the default, shown where they can change it.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from PySide6.QtCore import Qt
from window_helpers import SEED_ID, at, on_disk, open_window

from annotator.gui import MainWindow
from annotator.gui.inspector import NOT_SET
from annotator.io.operations import import_paths
from annotator.store import Project

QUOTE_WORDS = "موسكو لم تتلق بعد"


@pytest.fixture
def imported(seeded: Project, seed_text: str, tmp_path: Path) -> Path:
    """The seed with one QUOTE imported from doccano, which carries no attributes."""
    start, end = at(seed_text, QUOTE_WORDS)
    line = {"text": seed_text, "entities": [{"id": 1, "label": "QUOTE",
            "start_offset": start, "end_offset": end}]}  # fmt: skip
    data = tmp_path / "quote.jsonl"
    # doccano counts UTF-16 units; the seed has no character outside the BMP before the quote.
    assert all(ord(c) < 0x10000 for c in seed_text[:end])
    data.write_bytes(orjson.dumps(line) + b"\n")
    report = import_paths(seeded, [data], fmt="doccano", annotator="tester")
    assert report.spans == 1
    return seeded.path


def test_import_writes_no_default(imported: Path, seed_text: str) -> None:
    (span,) = on_disk(imported)
    assert span.text_in(seed_text) == QUOTE_WORDS
    assert span.attrs == {}


def _choose(qtbot, combo, text: str) -> None:
    """Open the combo box's list and click ``text`` in it, as a person does."""
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    index = view.model().index(combo.findText(text), 0)
    point = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_inspector_says_not_set_then_sets_and_unsets(qtbot, imported: Path, seed_text: str) -> None:
    window: MainWindow = open_window(qtbot, imported, layer="tester")
    (span,) = on_disk(imported)
    window.select_span(span.id)
    combo = window.inspector.attribute_combos["type"]
    assert combo.currentText() == NOT_SET
    _choose(qtbot, combo, "indirect")
    assert [s.attrs for s in on_disk(imported)] == [{"type": "indirect"}]
    combo = window.inspector.attribute_combos["type"]
    _choose(qtbot, combo, NOT_SET)
    assert [s.attrs for s in on_disk(imported)] == [{}]
    window.undo()
    assert [s.attrs for s in on_disk(imported)] == [{"type": "indirect"}]


def test_a_quote_drawn_by_hand_starts_with_the_default_shown(
    qtbot, seeded: Project, seed_text: str
) -> None:
    window: MainWindow = open_window(qtbot, seeded.path, layer="tester")
    window.text_view.select_range(*at(seed_text, QUOTE_WORDS))
    window.annotate("QUOTE")
    assert [s.attrs for s in on_disk(seeded.path, SEED_ID)] == [{"type": "direct"}]
    assert window.inspector.attribute_combos["type"].currentText() == "direct"
