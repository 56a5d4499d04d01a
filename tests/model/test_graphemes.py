"""Grapheme clusters: where a span edge may fall, worked out by hand for Arabic and emoji."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.model.graphemes import clusters, is_boundary
from annotator.model.text import is_mark, snap_to_clusters

FATHA, TANWIN_FATH, SHADDA = "\u064e", "\u064b", "\u0651"
ZWJ, VS16 = "\u200d", "\ufe0f"
# «وصل رَدًّا»: و ص ل, a space, ر with a fatha, د with tanwin and shadda, ا.
REPLY = f"وصل ر{FATHA}د{TANWIN_FATH}{SHADDA}ا"
FAMILY = f"👨{ZWJ}👩{ZWJ}👧"  # one picture: man ZWJ woman ZWJ girl
EGYPT, SAUDI = "\U0001f1ea\U0001f1ec", "\U0001f1f8\U0001f1e6"  # regional indicator pairs


def pieces(text: str) -> list[str]:
    return [text[a:b] for a, b in clusters(text)]


def test_a_letter_keeps_its_tashkeel() -> None:
    assert len(REPLY) == 10
    assert pieces(REPLY) == ["و", "ص", "ل", " ", f"ر{FATHA}", f"د{TANWIN_FATH}{SHADDA}", "ا"]
    assert [p for p in range(len(REPLY) + 1) if not is_boundary(REPLY, p)] == [5, 7, 8]


@pytest.mark.parametrize(
    ("text", "inside"),
    [
        (FAMILY, [1, 2, 3, 4]),  # no edge anywhere in a ZWJ family
        ("👍🏽", [1]),  # skin tone
        (f"❤{VS16}", [1]),  # emoji presentation selector
        (f"1{VS16}\u20e3", [1, 2]),  # keycap one
        (EGYPT + SAUDI, [1, 3]),  # two flags: an edge between them, none inside either
        ("🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f", [1, 2, 3, 4, 5, 6]),
        (f"قال {FAMILY}!", [5, 6, 7, 8]),
    ],
)
def test_an_emoji_sequence_is_one_cluster(text: str, inside: list[int]) -> None:
    assert [p for p in range(len(text) + 1) if not is_boundary(text, p)] == inside


def test_flags_pair_up_from_the_first_regional_indicator() -> None:
    three = EGYPT + "\U0001f1f8"  # an odd one out: the third indicator stands alone
    assert pieces(three) == [EGYPT, "\U0001f1f8"]


def test_a_joiner_between_letters_does_not_glue_them() -> None:
    # ZWJ joins a following pictograph only after a pictograph; after a letter it is a mark.
    text = f"ل{ZWJ}ا"
    assert pieces(text) == [f"ل{ZWJ}", "ا"]


def test_arabic_number_sign_joins_the_number() -> None:
    text = "\u0600١٢"  # ARABIC NUMBER SIGN, a prepended concatenation mark
    assert pieces(text) == ["\u0600١", "٢"]


def test_a_mark_after_a_line_break_starts_a_cluster_of_its_own() -> None:
    text = f"ا\n{FATHA}ب"
    assert pieces(text) == ["ا", "\n", FATHA, "ب"]


def test_surrogates_in_a_str_never_split_a_pair() -> None:
    paired = "a\ud83d\ude00b"  # a pair held as two code points: one character in UTF-16
    assert pieces(paired) == ["a", "\ud83d\ude00", "b"]
    lone = "a\ud83db\ude00"
    assert pieces(lone) == ["a", "\ud83d", "b", "\ude00"]


def test_snap_to_clusters_widens_both_edges() -> None:
    assert snap_to_clusters(REPLY, 5, 7) == (4, 9)
    assert REPLY[4:9] == f"ر{FATHA}د{TANWIN_FATH}{SHADDA}"
    assert snap_to_clusters(FAMILY, 2, 3) == (0, len(FAMILY))


TEXT_PIECES = st.sampled_from(
    [
        *"قالبوتينرد ",
        FATHA,
        TANWIN_FATH,
        SHADDA,
        "\u0670",
        "\u0640",
        "\n",
        ZWJ,
        VS16,
        "🏽",
        "👍",
        "👨",
        "❤",
        "\U0001f1ea",
        "\U0001f1ec",
        FAMILY,
        EGYPT,
    ]
)
TEXTS = st.lists(TEXT_PIECES, max_size=30).map("".join)


@settings(max_examples=300)
@given(TEXTS)
def test_clusters_tile_the_text_and_never_start_with_a_mark_after_a_letter(text: str) -> None:
    found = clusters(text)
    assert "".join(text[a:b] for a, b in found) == text
    assert all(a < b for a, b in found)
    for a, _b in found:
        if a > 0 and text[a - 1] not in "\n" and is_mark(text[a]):
            raise AssertionError(f"cluster at {a} starts with a mark after {text[a - 1]!r}")
