"""The one code point <-> UTF-16 map, and the window's and the formats' names for it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.errors import InputError, OffsetError
from annotator.gui.offsets import OffsetMap, Rounding
from annotator.io.offsets import Utf16Offsets
from annotator.model.utf16 import Inside, Utf16Map

# Arabic letters with tashkeel and tatweel, U+00A0, line breaks, emoji with skin tone and ZWJ,
# flags, a mathematical letter and a CJK extension character (both outside the BMP, not emoji).
ALPHABET = st.sampled_from(
    [
        *"قالبوتينلافروف ٠١",
        *("\u064e", "\u0651", "\u0652", "\u0670", "\u0640", "\u00a0", "\n", "\u200d", "\ufe0f"),
        *("😀", "👍", "🏽", "👨", "\U0001f1ea", "\U0001f1ec", "𝐀", "\U0002a6a5"),
    ]
)
TEXTS = st.text(alphabet=ALPHABET, max_size=60)


def units_before(text: str, offset: int) -> int:
    """UTF-16 code units before code point ``offset``, counted by Python's own encoder."""
    return len(text[:offset].encode("utf-16-le", "surrogatepass")) // 2


def inside_pairs(text: str) -> list[tuple[int, int]]:
    """(code point, UTF-16 offset between its two units) of every non-BMP character."""
    return [(i, units_before(text, i) + 1) for i, ch in enumerate(text) if ord(ch) > 0xFFFF]


@settings(max_examples=300)
@given(TEXTS)
def test_round_trip_at_every_code_point(text: str) -> None:
    table = Utf16Map(text)
    assert table.utf16_length == units_before(text, len(text))
    for i in range(len(text) + 1):
        unit = table.to_utf16(i)
        assert unit == units_before(text, i)
        assert table.to_code_point(unit) == i


@settings(max_examples=300)
@given(TEXTS)
def test_an_offset_inside_a_surrogate_pair_is_refused_or_rounded_by_rule(text: str) -> None:
    table = Utf16Map(text)
    for i, unit in inside_pairs(text):
        with pytest.raises(OffsetError, match=f"UTF-16 offset {unit} falls inside"):
            table.to_code_point(unit)
        assert table.to_code_point(unit, Inside.START) == i
        assert table.to_code_point(unit, Inside.END) == i + 1
        assert table.range_to_code_points(unit, unit) == (i, i + 1)


@settings(max_examples=200)
@given(TEXTS)
def test_the_window_and_the_formats_agree_with_the_model(text: str) -> None:
    # They used to be two converters that disagreed at a split pair.
    table, qt, doccano = Utf16Map(text), OffsetMap(text), Utf16Offsets(text)
    assert qt.qt_length == doccano.length == table.utf16_length
    for i in range(len(text) + 1):
        assert qt.to_qt(i) == doccano.to_utf16(i) == table.to_utf16(i)
    split = dict((unit, i) for i, unit in inside_pairs(text))
    for unit in range(table.utf16_length + 1):
        if unit in split:
            assert qt.to_code_point(unit) == qt.to_code_point(unit, Rounding.START) == split[unit]
            assert qt.to_code_point(unit, Rounding.END) == split[unit] + 1
            with pytest.raises(InputError, match="inside"):
                doccano.to_code_points(unit)
        else:
            assert (
                qt.to_code_point(unit) == doccano.to_code_points(unit) == table.to_code_point(unit)
            )


def test_the_refusal_names_the_emoji() -> None:
    text = "🔴 لافروف"
    with pytest.raises(OffsetError) as caught:
        Utf16Map(text).to_code_point(1)
    assert "inside an emoji «🔴» (U+1F534" in str(caught.value)
    with pytest.raises(OffsetError, match="inside a character «𝐀»"):
        Utf16Map("𝐀").to_code_point(1)


def test_lone_surrogates_count_one_unit_each() -> None:
    text = "a\ud83d\ude00b"  # a pair held as two code points: what surrogatepass decoding gives
    table = Utf16Map(text)
    assert [table.to_utf16(i) for i in range(5)] == [0, 1, 2, 3, 4]
    assert table.is_identity


@pytest.mark.parametrize("offset", [-1, 4])
def test_offsets_outside_the_text_are_refused(offset: int) -> None:
    table = Utf16Map("ab😀")
    with pytest.raises(OffsetError, match="does not fit"):
        table.to_utf16(offset)
    with pytest.raises(OffsetError, match="does not fit"):
        table.to_code_point(offset + 1 if offset > 0 else offset)
