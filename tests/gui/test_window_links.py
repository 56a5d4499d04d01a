"""Quotes and claims in the window: attributes, link mode, refused links, deleting links."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from window_helpers import (
    SEED_ID,
    at,
    enter_on_list_row,
    on_disk,
    open_window,
    press,
)

from annotator.errors import SchemaError
from annotator.gui import MainWindow
from annotator.store import Project


@pytest.fixture
def window(qtbot, seeded: Project) -> MainWindow:
    """A window on the seed article, showing the user's own layer."""
    return open_window(qtbot, seeded.path, layer="tester")


def test_quote_with_speaker_and_cue_linked_by_clicking(
    qtbot, window: MainWindow, seed_text: str
) -> None:
    quote_text = "يمكنك أن ترى عدد النقاشات الحادة"
    view = window.text_view
    view.select_range(*at(seed_text, quote_text))
    window.annotate("QUOTE")
    quote = window.session.selected
    view.select_range(*at(seed_text, "لافروف", 3))
    window.annotate("PER")
    speaker = window.session.selected
    view.set_character_precision(True)
    view.select_range(*at(seed_text, "أضاف"))
    window.annotate("CUE")
    view.set_character_precision(False)
    window.select_span(quote)
    press(window, "K")
    assert window.session.link_head == quote
    assert window.actions_by_name["link"].isChecked()
    for target in (speaker, window.session.spans and _span_with(window, "CUE")):
        point = view.point_for_offset(window.session.spans[target].start + 1)
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    with Project.open(window.project.path) as disk:
        links = {(r.type, r.head, r.tail) for r in disk.relations(SEED_ID, ["tester"])}
    assert links == {("SPEAKER", quote, speaker), ("CUE", quote, _span_with(window, "CUE"))}
    assert window.inspector.links.count() == 2
    assert view.selected_span_id() == quote


def _span_with(window: MainWindow, label: str) -> str:
    return next(s.id for s in window.session.spans.values() if s.label == label)


def test_forbidden_link_is_refused_with_a_message(window: MainWindow, seed_text: str) -> None:
    window.text_view.select_range(*at(seed_text, "الخميس"))
    window.annotate("DATE")
    date = window.session.selected
    window.text_view.select_range(*at(seed_text, "موسكو لم تتلق بعد"))
    window.annotate("QUOTE")
    quote = window.session.selected
    with pytest.raises(SchemaError, match="DATE"):
        window.session.link("SPEAKER", quote, date)
    window.actions_by_name["link"].trigger()
    window.editing.span_clicked(date)
    assert "refused" in window.statusBar().currentMessage()
    assert "DATE" in window.statusBar().currentMessage()
    with Project.open(window.project.path) as disk:
        assert disk.relations(SEED_ID, ["tester"]) == []


def test_quote_attribute_set_in_inspector(window: MainWindow, seed_text: str) -> None:
    window.text_view.select_range(*at(seed_text, "موسكو لم تتلق بعد"))
    window.annotate("QUOTE")
    combo = window.inspector.attribute_combos["type"]
    combo.setCurrentText("indirect")
    combo.activated.emit(combo.currentIndex())
    assert [s.attrs for s in on_disk(window.project.path)] == [{"type": "indirect"}]


def test_delete_link_in_the_inspector_and_undo(qtbot, window: MainWindow, seed_text: str) -> None:
    window.text_view.select_range(*at(seed_text, "موسكو لم تتلق بعد"))
    window.annotate("CLAIM")
    claim = window.session.selected
    window.text_view.select_range(*at(seed_text, "سيرجي لافروف", 2))
    window.annotate("PER")
    person = window.session.selected
    window.select_span(claim)
    press(window, "K")
    window.editing.span_clicked(person)  # link mode: a click links, the claim stays selected
    press(window, "Esc")
    assert window.session.link_head is None
    assert window.session.selected == claim
    links = window.inspector.links
    links.setCurrentRow(0)
    qtbot.mouseClick(window.inspector.delete_link, Qt.MouseButton.LeftButton)
    with Project.open(window.project.path) as disk:
        assert disk.relations(SEED_ID, ["tester"]) == []
    assert links.count() == 0
    press(window, "Ctrl+Z")
    with Project.open(window.project.path) as disk:
        assert [r.type for r in disk.relations(SEED_ID, ["tester"])] == ["CLAIMANT"]
    assert links.count() == 1


def test_link_mode_target_chosen_from_the_annotation_list(
    window: MainWindow, seed_text: str
) -> None:
    window.text_view.select_range(*at(seed_text, "موسكو لم تتلق بعد"))
    window.annotate("QUOTE")
    quote = window.session.selected
    window.text_view.select_range(*at(seed_text, "قال"))
    window.annotate("CUE")
    cue = window.session.selected
    window.select_span(quote)
    press(window, "K")
    listing = window.annotation_list
    row = listing.span_ids().index(cue)
    enter_on_list_row(listing, row)
    with Project.open(window.project.path) as disk:
        assert [(r.type, r.head, r.tail) for r in disk.relations(SEED_ID, ["tester"])] == [
            ("CUE", quote, cue)
        ]
