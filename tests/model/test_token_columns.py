"""Token columns (the exports' tokenizer, chunked and cached) give exactly the tokens and sentences
that the rules of ``annotator/model/tokens.py`` give when applied to the whole text at once."""

from __future__ import annotations

import re
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from annotator.model.graphemes import is_boundary
from annotator.model.tokens import (
    _TOKEN_RE,
    SENTENCE_END,
    TITLES,
    TokenIndex,
    split_columns,
    split_proclitics,
    token_columns,
    tokenize,
    whitespace_columns,
)

# Pieces news text is made of, and the awkward ones: marks, tatweel, joiners, Arabic-Indic
# digits, punctuation glued to words, runs of spaces, line breaks, NBSP, emoji with modifiers,
# halves of a flag and of a keycap, initials and titles before a full stop, addresses.
PIECES = [
    "و", "ف", "ب", "ل", "ال", "قاهرة", "واشنطن", "ً", "ّ", "ـ", "\u200c", "\u200d", "12", "٣",
    "٫", ",", ".", "!", "؟", "…", "،", "«", "»", "(", ")", "AFP", "-", "_", " ", "  ", "\n",
    "\n\n", "\t", "\u00a0", "\r\n", "👍🏽", "❤️", "📢", "🇷", "🇺", "1", "\ufe0f", "\u20e3",
    "👨", "🏽", "e\u0301", "د", "م", "هـ", "U", "Dr", "@", "/", ":", "?", "www",
]  # fmt: skip
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d]")


def tokens_by_definition(text: str) -> list[tuple[int, int]]:
    """The regex's tokens over the whole text, joined where they touch inside a cluster."""
    spans: list[tuple[int, int]] = []
    for m in _TOKEN_RE.finditer(text):
        if spans and spans[-1][1] == m.start() and not is_boundary(text, m.start()):
            spans[-1] = (spans[-1][0], m.end())
        else:
            spans.append(m.span())
    return spans


def breaks_by_definition(text: str, spans: list[tuple[int, int]]) -> set[int]:
    """Tokens a sentence ends after, by the rules of the tokens module's docstring."""
    words = [text[a:b] for a, b in spans]

    def glued(k: int) -> bool:  # token k touches token k + 1
        return k + 1 < len(spans) and spans[k][1] == spans[k + 1][0]

    def initial(word: str) -> bool:
        return word[0].isalpha() and len(MARKS.sub("", word)) == 1

    found = set()
    for k, word in enumerate(words):
        if k + 1 < len(spans) and "\n" in text[spans[k][1] : spans[k + 1][0]]:
            found.add(k)
        if word not in SENTENCE_END:
            continue
        last = k
        while glued(last) and not words[last + 1][0].isalnum():
            last += 1
        if word in ".!?" and glued(last):
            continue
        before = words[k - 1] if k and glued(k - 1) and word == "." else ""
        title = bool(before) and (initial(before) or before in TITLES)
        era = bool(before) and initial(before) and k > 1 and words[k - 2][0].isdigit()
        if not title or era:
            found.add(last)
    return found


@given(texts)
def test_columns_hold_the_tokens_and_sentence_breaks_of_the_rules(text: str) -> None:
    spans = tokens_by_definition(text)
    for _ in range(2):  # the second time from the chunk cache
        columns = token_columns(text)
        assert columns.texts == [text[a:b] for a, b in spans]
        assert columns.starts == [a for a, _ in spans]
        last = {len(spans) - 1} if spans else set()
        assert set(columns.breaks) | last == breaks_by_definition(text, spans) | last
        assert columns.breaks == sorted(set(columns.breaks))
        touching = [b for (_, b), (a, _) in pairwise(spans) if a == b]
        assert all(is_boundary(text, pos) for pos in touching)


@given(texts)
def test_whitespace_columns_break_at_line_breaks_only(text: str) -> None:
    spans = [m.span() for m in re.finditer(r"\S+", text)]
    columns = whitespace_columns(text)
    assert columns.texts == [text[a:b] for a, b in spans]
    last = {len(spans) - 1} if spans else set()
    lines = {k for k in range(len(spans) - 1) if "\n" in text[spans[k][1] : spans[k + 1][0]]}
    assert set(columns.breaks) | last == lines | last


@given(texts, st.lists(st.integers(0, 60), max_size=6))
def test_proclitic_splits_and_span_lookup_match_the_token_lists(
    text: str, starts: list[int]
) -> None:
    tokens, count = split_proclitics(tokenize(text), starts)
    columns, split = split_columns(token_columns(text), starts)
    assert split == count
    assert columns.texts == [t.text for t in tokens]
    assert columns.starts == [t.start for t in tokens]
    assert columns.tokens(text) == tokens
    index = TokenIndex(tokens)
    for start in range(len(text) + 1):
        for end in range(start, min(len(text), start + 12) + 1):
            assert columns.span(start, end) == index.span(start, end)


def test_a_split_token_keeps_its_sentence_break_on_its_last_piece() -> None:
    text = "قال وبايدن.\nنعم"
    columns, split = split_columns(token_columns(text), [text.index("بايدن")])
    assert split == 1
    assert columns.texts == ["قال", "و", "بايدن", ".", "نعم"]
    assert columns.breaks == [3]
