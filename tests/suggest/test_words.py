"""The words the rule-based recommenders read: tokens whose edges a span may take.

Every expectation is a slice of the test's own text, worked out by hand.
"""

from __future__ import annotations

from annotator.model.offsets import is_aligned
from annotator.suggest.words import inside_clusters, words_of

ZWJ, FATHA, NUMBER_SIGN = "\u200d", "\u064e", "\u0600"


def tokens(text: str) -> list[str]:
    """The tokens of ``text`` as slices of it (so a token's text and offset agree)."""
    words = words_of(text)
    for token, start in zip(words.texts, words.starts, strict=True):
        assert text[start : start + len(token)] == token
        assert is_aligned(text, start, start + len(token))
    return words.texts


def test_a_joiner_after_an_emoji_ends_it_and_a_quotation_mark_after_it_is_a_token() -> None:
    # The joiner joins nothing (« is no emoji): the emoji's cluster ends after it.
    assert tokens(f"قال الوزير 🔴{ZWJ}«المحادثات مستمرة».") == [
        "قال",
        "الوزير",
        f"🔴{ZWJ}",
        "«",
        "المحادثات",
        "مستمرة",
        "»",
        ".",
    ]


def test_a_word_after_an_emoji_and_a_joiner_stays_whole() -> None:
    assert tokens(f"🔴{ZWJ}قال لافروف") == [f"🔴{ZWJ}", "قال", "لافروف"]


def test_a_joiner_inside_a_word_and_in_an_emoji_sequence_stays_there() -> None:
    family = f"👨{ZWJ}👩{ZWJ}👧"
    assert tokens(f"ق{ZWJ}ال {family}«نعم»") == [f"ق{ZWJ}ال", family, "«", "نعم", "»"]


def test_a_mark_after_a_space_belongs_to_the_space_not_to_the_next_word() -> None:
    # " َ" is one cluster: the word starts after it.
    text = f"قال {FATHA}لافروف"
    words = words_of(text)
    assert words.texts == ["قال", "لافروف"]
    assert text[words.starts[1] :] == "لافروف"


def test_a_token_inside_a_cluster_goes_and_its_sentence_break_stays() -> None:
    # A joiner after a space, at a line's end: nothing of it is a token, and the line still
    # ends after قال; an Arabic number sign before a space joins the space.
    text = f"قال {ZWJ}\nوأضاف {NUMBER_SIGN} أن"
    words = words_of(text)
    assert words.texts == ["قال", "وأضاف", "أن"]
    assert words.breaks == [0]


def test_inside_clusters_narrows_a_range_to_whole_clusters_without_spaces() -> None:
    text = f"قال {ZWJ}الروسي {NUMBER_SIGN} أمس"
    start = text.index(ZWJ)
    assert inside_clusters(text, start, start + 7) == (start + 1, start + 7)
    assert text[start + 1 : start + 7] == "الروسي"
    # From الروسي to the number sign: the sign and the space it holds go, then the space.
    sign = text.index(NUMBER_SIGN)
    assert inside_clusters(text, start + 1, sign + 1) == (start + 1, start + 7)
    assert inside_clusters(text, sign, sign + 1) is None
