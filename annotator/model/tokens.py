"""Arabic-aware tokenizer with offsets into the stored text, and sentence splitting.

Punctuation (، ؛ ؟ « » and ASCII) becomes tokens of its own; numbers (with Arabic-Indic digits and
decimal separators) and Latin words stay whole; tashkeel and tatweel stay inside their word; an emoji
keeps its variation selector, skin tone and zero-width-joiner sequence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from itertools import pairwise
from typing import NamedTuple

_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d"
_EMOJI_TAIL = "\ufe0e\ufe0f\U0001f3fb-\U0001f3ff"
_TOKEN_RE = re.compile(
    rf"""
    \d+(?:[.,\u066b\u066c]\d+)*[{_MARKS}]*          # numbers: 2024, 12.5, ١٢٫٥
    | (?:[^\W\d_]|[{_MARKS}])(?:[^\W_]|[{_MARKS}])*   # words: letters with marks, tatweel, digits
    | [^\s](?:[{_EMOJI_TAIL}]|\u200d[^\s])*          # any other character, emoji sequences whole
    """,
    re.VERBOSE,
)
SENTENCE_END = frozenset(".!?؟…")
# Proclitics written attached to the next word (conjunctions و ف, prepositions ب ل ك and their
# combinations). A span may start right after one (واشنطن in وواشنطن); the token is then split
# there, as Arabic treebanks segment them, instead of moving the span's edge.
# fmt: off
PROCLITICS = frozenset(
    ["و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك", "لل", "ولل", "فلل"]
)
# fmt: on


class Token(NamedTuple):
    """A token: its text, code-point offsets ``[start, end)``, index, and trailing whitespace."""

    # An immutable named tuple rather than a frozen dataclass: exports build millions of tokens
    # and a tuple is created three times faster.

    text: str
    start: int
    end: int
    i: int
    ws: bool


def _tokens_from(text: str, found: Iterable[tuple[int, int]]) -> list[Token]:
    n = len(text)
    return [
        Token(text[start:end], start, end, i, end < n and text[end].isspace())
        for i, (start, end) in enumerate(found)
    ]


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens whose offsets slice the stored text exactly."""
    return _tokens_from(text, [m.span() for m in _TOKEN_RE.finditer(text)])


def tokenize_whitespace(text: str) -> list[Token]:
    """Split ``text`` at whitespace only (text rebuilt from pre-tokenized CoNLL input)."""
    return _tokens_from(text, [m.span() for m in re.finditer(r"\S+", text)])


def split_proclitics(tokens: list[Token], starts: Iterable[int]) -> tuple[list[Token], int]:
    """Split tokens where a span starts right after an attached proclitic (و ف ب ل ك ...).

    Returns the new token list (re-indexed) and how many tokens were split. Any other offset
    inside a token is left alone: the caller reports it as misaligned.
    """
    by_token: dict[int, list[int]] = {}
    index = {t.start: t.i for t in tokens}
    ends = [t.end for t in tokens]
    for pos in set(starts):
        if pos in index:
            continue
        owner = _token_containing(tokens, ends, pos)
        if owner is not None and owner.text[: pos - owner.start] in PROCLITICS:
            by_token.setdefault(owner.i, []).append(pos)
    if not by_token:
        return tokens, 0
    pieces: list[tuple[str, int, int, bool]] = []
    for tok in tokens:
        cuts = [tok.start, *sorted(by_token.get(tok.i, [])), tok.end]
        for a, b in pairwise(cuts):
            pieces.append((tok.text[a - tok.start : b - tok.start], a, b, tok.ws and b == tok.end))
    split = [Token(t, a, b, i, ws) for i, (t, a, b, ws) in enumerate(pieces)]
    return split, len(by_token)


def _token_containing(tokens: list[Token], ends: list[int], pos: int) -> Token | None:
    k = bisect_right(ends, pos)
    if k < len(tokens) and tokens[k].start < pos < tokens[k].end:
        return tokens[k]
    return None


def sentences(text: str, tokens: list[Token] | None = None) -> Iterator[list[Token]]:
    """Group tokens into sentences: a break after . ! ? ؟ … and at every line break."""
    tokens = tokenize(text) if tokens is None else tokens
    current: list[Token] = []
    for k, tok in enumerate(tokens):
        current.append(tok)
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        line_break = nxt is not None and "\n" in text[tok.end : nxt.start]
        if tok.text in SENTENCE_END or line_break:
            yield current
            current = []
    if current:
        yield current


class TokenIndex:
    """Maps span offsets to token indices in constant time."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self._by_start = {t.start: t.i for t in tokens}
        self._by_end = {t.end: t.i for t in tokens}

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """Return inclusive token indices covered by ``[start, end)``, or None if an edge is
        inside a token (the span is never shifted to fit)."""
        first = self._by_start.get(start)
        last = self._by_end.get(end)
        if first is None or last is None or last < first:
            return None
        return first, last
