"""The one character-offset entry point: strict refuses, clusters and words widen."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.errors import AlignmentError, OffsetError
from annotator.model.graphemes import is_boundary
from annotator.model.offsets import Alignment, char_span, check_aligned

FATHA, TANWIN_FATH, SHADDA, VS16, ZWJ = "\u064e", "\u064b", "\u0651", "\ufe0f", "\u200d"
REPLY = f"وصل ر{FATHA}د{TANWIN_FATH}{SHADDA}ا"  # «وصل رَدًّا»
FAMILY = f"👨{ZWJ}👩{ZWJ}👧"


def test_strict_refuses_an_edge_between_a_letter_and_its_fatha() -> None:
    assert REPLY[4:5] == "ر"  # the letter without its fatha: what [4, 5) would store
    assert char_span(REPLY, 4, 5) is None
    assert char_span(REPLY, 4, 6) == (4, 6)
    assert REPLY[4:6] == f"ر{FATHA}"
    assert char_span(REPLY, 4, 10, "strict") == (4, 10)
    assert REPLY[4:10] == "رَدًّا"


def test_check_aligned_names_the_offset_and_the_cluster() -> None:
    with pytest.raises(AlignmentError) as caught:
        check_aligned(REPLY, 4, 5)
    assert (caught.value.offset, caught.value.cluster) == (5, (4, 6))
    message = str(caught.value)
    assert "offset 5 falls inside «رَ» [4, 6)" in message
    assert "U+0631 ARABIC LETTER REH + U+064E ARABIC FATHA" in message
    with pytest.raises(AlignmentError, match=r"offset 8 falls inside «دًّ» \[6, 9\)"):
        check_aligned(REPLY, 6, 8)


def test_clusters_widens_over_marks_and_emoji() -> None:
    assert char_span(REPLY, 5, 7, Alignment.CLUSTERS) == (4, 9)
    text = f"قال {FAMILY} نعم"
    assert char_span(text, 6, 7, Alignment.CLUSTERS) == (4, 9)
    assert text[4:9] == FAMILY


def test_words_takes_whole_words_and_keeps_an_emoji_whole() -> None:
    assert char_span(REPLY, 5, 7, Alignment.WORDS) == (4, 10)
    assert char_span(REPLY, 3, 4, Alignment.WORDS) is None  # only the space
    # ☺ is no word character, its variation selector is a mark: words alone would keep the
    # selector without its emoji.
    text = f"قال ☺{VS16} شيئا"
    assert char_span(text, 4, 6, Alignment.WORDS) == (4, 6)
    assert text[4:6] == f"☺{VS16}"


@pytest.mark.parametrize(("start", "end"), [(-1, 2), (3, 2), (0, 11), (0.0, 2)])
def test_a_range_outside_the_text_is_an_error_not_a_policy(start: int, end: int) -> None:
    with pytest.raises(OffsetError):
        char_span(REPLY, start, end, Alignment.CLUSTERS)


TEXTS = st.lists(
    st.sampled_from([*"قالرد ", FATHA, TANWIN_FATH, SHADDA, "\n", VS16, "👍", "🏽", FAMILY]),
    min_size=1,
    max_size=25,
).map("".join)


@settings(max_examples=300)
@given(st.data())
def test_every_policy_returns_aligned_offsets(data: st.DataObject) -> None:
    text = data.draw(TEXTS)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    aligned = is_boundary(text, start) and is_boundary(text, end)
    strict = char_span(text, start, end, Alignment.STRICT)
    assert strict == ((start, end) if aligned and start < end else None)
    widened = char_span(text, start, end, Alignment.CLUSTERS)
    if widened is not None:
        assert widened[0] <= start and end <= widened[1]
        assert is_boundary(text, widened[0]) and is_boundary(text, widened[1])
    words = char_span(text, start, end, Alignment.WORDS)
    if words is not None:
        assert is_boundary(text, words[0]) and is_boundary(text, words[1])
