"""Token columns (the exports' tokenizer) give exactly the tokens and sentences of the regex."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from annotator.model.tokens import (
    _TOKEN_RE,
    SENTENCE_END,
    TokenIndex,
    split_columns,
    split_proclitics,
    token_columns,
    tokenize,
    whitespace_columns,
)

# Pieces news text is made of, and the awkward ones: marks, tatweel, joiners, Arabic-Indic
# digits, punctuation glued to words, runs of spaces, line breaks, NBSP, emoji with modifiers.
PIECES = [
    "و", "ف", "ب", "ل", "ال", "قاهرة", "واشنطن", "ً", "ّ", "ـ", "\u200c", "\u200d", "12", "٣",
    "٫", ",", ".", "!", "؟", "…", "،", "«", "»", "(", ")", "AFP", "-", "_", " ", "  ", "\n",
    "\n\n", "\t", "\u00a0", "\r\n", "👍🏽", "❤️", "📢",
]  # fmt: skip
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


def breaks_by_definition(text: str, spans: list[tuple[int, int]], ends: frozenset[str]) -> set[int]:
    """Tokens a sentence ends after: . ! ? ؟ … or a line break before the next token."""
    found = set()
    for k, (start, end) in enumerate(spans):
        if text[start:end] in ends or (k + 1 < len(spans) and "\n" in text[end : spans[k + 1][0]]):
            found.add(k)
    return found


@given(texts)
def test_columns_hold_the_regex_tokens_and_its_sentence_breaks(text: str) -> None:
    spans = [m.span() for m in _TOKEN_RE.finditer(text)]
    for _ in range(2):  # the second time from the chunk cache
        columns = token_columns(text)
        assert columns.texts == [text[a:b] for a, b in spans]
        assert columns.starts == [a for a, _ in spans]
        last = {len(spans) - 1} if spans else set()
        assert set(columns.breaks) | last == breaks_by_definition(text, spans, SENTENCE_END) | last
        assert columns.breaks == sorted(set(columns.breaks))


@given(texts)
def test_whitespace_columns_break_at_line_breaks_only(text: str) -> None:
    spans = [m.span() for m in re.finditer(r"\S+", text)]
    columns = whitespace_columns(text)
    assert columns.texts == [text[a:b] for a, b in spans]
    last = {len(spans) - 1} if spans else set()
    assert set(columns.breaks) | last == breaks_by_definition(text, spans, frozenset()) | last


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
