"""Arabic-aware tokenizer with offsets into the stored text, and sentence splitting.

Punctuation (، ؛ ؟ « » and ASCII) becomes tokens of its own; numbers (with Arabic-Indic digits and
decimal separators) and Latin words stay whole; tashkeel and tatweel stay inside their word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d"
_TOKEN_RE = re.compile(
    rf"""
    \d+(?:[.,\u066b\u066c]\d+)*[{_MARKS}]*          # numbers: 2024, 12.5, ١٢٫٥
    | (?:[^\W\d_]|[{_MARKS}])(?:[^\W_]|[{_MARKS}])*   # words: letters with marks, tatweel, digits
    | [^\s]                                           # any other single character
    """,
    re.VERBOSE,
)
SENTENCE_END = frozenset(".!?؟…")


@dataclass(frozen=True, slots=True)
class Token:
    """A token: its text, code-point offsets ``[start, end)``, index, and trailing whitespace."""

    text: str
    start: int
    end: int
    i: int
    ws: bool


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens whose offsets slice the stored text exactly."""
    found = [(m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]
    tokens: list[Token] = []
    for i, (start, end) in enumerate(found):
        ws = end < len(text) and text[end].isspace()
        tokens.append(Token(text[start:end], start, end, i, ws))
    return tokens


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
