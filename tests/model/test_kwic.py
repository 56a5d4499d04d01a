"""Keyword in context: the hit as stored, whole words around it, one line, reading order."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.model.kwic import kwic
from annotator.model.text import find_matches

TEXT = "قال وزير الخارجية الروسي سيرجي لافروف إن موسكو مستعدة للحوار مع واشنطن.\nوأضاف أن"


def test_the_hit_is_the_stored_text_with_the_words_before_and_after() -> None:
    start = TEXT.index("لافروف")
    shown = kwic(TEXT, start, start + len("لافروف"), width=14)
    assert shown.hit == "لافروف"
    assert shown.before == "الروسي سيرجي "  # a word the window cut (الخارجية) is left out
    assert shown.after == " إن موسكو"
    assert shown.line == "الروسي سيرجي لافروف إن موسكو"


def test_a_line_break_becomes_a_space_and_the_edges_of_the_text_are_kept() -> None:
    start = TEXT.index("واشنطن")
    shown = kwic(TEXT, start, start + len("واشنطن"), width=40)
    assert shown.after == ". وأضاف أن"  # the end of the text: the last word whole
    first = kwic(TEXT, 0, 3, width=5)
    assert (first.before, first.hit, first.after) == ("", "قال", " وزير")


def test_a_hit_inside_a_longer_word_shows_that_word() -> None:
    text = "وقال إن كييف لن تقبل بالحوار تحت الضغط"
    match = next(m for m in find_matches(text, "الحوار"))
    shown = kwic(text, match.start, match.end, width=3)
    assert not match.whole_word
    assert (shown.before, shown.hit, shown.after.strip()) == ("ب", "الحوار", "")
    assert "بالحوار" in shown.line


def test_tashkeel_stays_with_its_letter() -> None:
    text = "قال لافروف: «الحِوار هو الطريق»"
    match = find_matches(text, "الحوار")[0]
    shown = kwic(text, match.start, match.end, width=8)
    assert shown.hit == "الحِوار"
    assert shown.line in text.replace("\n", " ")


@given(
    st.text(alphabet="اب ت\nِّـ،", min_size=1, max_size=60),
    st.integers(0, 59),
    st.integers(1, 8),
    st.integers(0, 50),
)
def test_the_line_is_the_text_around_the_hit_with_spaces_for_breaks(
    text: str, start: int, length: int, width: int
) -> None:
    start = min(start, len(text) - 1)
    end = min(len(text), start + length)
    shown = kwic(text, start, end, width)
    assert shown.hit == text[start:end]
    flat = " ".join(text.split())
    assert " ".join(shown.line.split()) in flat or not shown.line.strip()
    assert "\n" not in shown.before + shown.after
