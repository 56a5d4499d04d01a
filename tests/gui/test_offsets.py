"""Code point <-> Qt position conversion, checked against a real QTextDocument."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QTextCursor, QTextDocument

from annotator.errors import OffsetError
from annotator.gui.offsets import OffsetMap, Rounding

# Arabic letters, tashkeel, tatweel, digits, Latin, emoji, U+00A0, spaces and newlines.
ALPHABET = st.sampled_from(
    [
        *"لافروفبيسكوحمدقال",
        *("\u064e", "\u064f", "\u0650", "\u0651", "\u0652", "\u0670", "\u0640"),
        *"0123456789٠١٢abcXYZ .,«»\n",
        *("\u00a0", "😀", "🇪", "𝐀", "\U0002a6a5"),
    ]
)
TEXTS = st.text(alphabet=ALPHABET, max_size=60)


def qt_slice(doc: QTextDocument, start: int, end: int) -> str:
    """Return what the document holds between two Qt positions (separators as U+2029)."""
    cursor = QTextCursor(doc)
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    return cursor.selectedText()


def test_emoji_takes_two_qt_positions() -> None:
    text = "قال 😀 لافروف"
    offsets = OffsetMap(text)
    assert offsets.to_qt(4) == 4  # the emoji itself starts where code points say
    assert offsets.to_qt(5) == 6  # everything after it is one further in Qt
    assert offsets.to_code_point(6) == 5
    assert text[offsets.to_code_point(7) :] == "لافروف"


def test_no_break_space_and_newline_count_one(seed_text: str) -> None:
    assert seed_text[838] == "\u00a0"
    offsets = OffsetMap(seed_text)
    doc = QTextDocument()
    doc.setPlainText(seed_text)
    assert offsets.is_identity
    assert doc.characterCount() - 1 == offsets.qt_length == len(seed_text)
    assert qt_slice(doc, offsets.to_qt(838), offsets.to_qt(839)) == "\u00a0"
    after = seed_text[839:850]
    assert qt_slice(doc, offsets.to_qt(839), offsets.to_qt(850)) == after.replace("\n", "\u2029")


def test_out_of_range_offsets_are_refused() -> None:
    offsets = OffsetMap("ab😀")
    with pytest.raises(OffsetError):
        offsets.to_qt(4)
    with pytest.raises(OffsetError):
        offsets.to_code_point(5)


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_each_character_maps_onto_itself_in_a_qt_document(text: str) -> None:
    offsets = OffsetMap(text)
    doc = QTextDocument()
    doc.setPlainText(text)
    assert doc.characterCount() - 1 == offsets.qt_length
    for i, ch in enumerate(text):
        expected = "\u2029" if ch == "\n" else ch
        assert qt_slice(doc, offsets.to_qt(i), offsets.to_qt(i + 1)) == expected


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_round_trip_and_monotonic(text: str) -> None:
    offsets = OffsetMap(text)
    positions = [offsets.to_qt(i) for i in range(len(text) + 1)]
    assert positions == sorted(set(positions))
    assert all(offsets.to_code_point(q) == i for i, q in enumerate(positions))
    back = [offsets.to_code_point(q) for q in range(offsets.qt_length + 1)]
    assert back == sorted(back)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_position_inside_a_surrogate_pair_never_splits_it(text: str) -> None:
    offsets = OffsetMap(text)
    for i, ch in enumerate(text):
        if ord(ch) <= 0xFFFF:
            continue
        inside = offsets.to_qt(i) + 1
        assert offsets.to_code_point(inside, Rounding.START) == i
        assert offsets.to_code_point(inside, Rounding.END) == i + 1
        start, end = offsets.range_to_code_points(inside, inside)
        assert text[start:end] == ch
