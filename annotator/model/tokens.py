"""Arabic-aware tokenizer with offsets into the stored text, and sentence splitting.

Punctuation (، ؛ ؟ « » and ASCII) becomes tokens of its own; numbers (with Arabic-Indic digits and
decimal separators) and Latin words stay whole; tashkeel and tatweel stay inside their word; an emoji
keeps its variation selector, skin tone and zero-width-joiner sequence.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate, pairwise
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


@dataclass(slots=True)
class TokenColumns:
    """A document's tokens as parallel lists, without an object per token.

    ``texts[k]`` starts at ``starts[k]``; ``breaks`` lists, ascending, the tokens a sentence may
    end after (. ! ? ؟ … or a line break before the next token). Exports go through millions of
    tokens and need only these; :meth:`tokens` builds :class:`Token` objects when asked.
    """

    texts: list[str]
    starts: list[int]
    breaks: list[int]

    def tokens(self, text: str) -> list[Token]:
        """Return the tokens as :class:`Token` objects (``text`` is the tokenized text)."""
        n = len(text)
        out = []
        for i, (tok, start) in enumerate(zip(self.texts, self.starts, strict=True)):
            end = start + len(tok)
            out.append(Token(tok, start, end, i, end < n and text[end].isspace()))
        return out

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """Return inclusive token indices covered by ``[start, end)``, or None if an edge is
        inside a token (the span is never shifted to fit)."""
        starts = self.starts
        first = bisect_left(starts, start)
        if first == len(starts) or starts[first] != start:
            return None
        last = bisect_left(starts, end) - 1  # the only token that can end at ``end``
        if last < first or starts[last] + len(self.texts[last]) != end:
            return None
        return first, last


# What a chunk of text between two spaces tokenizes to: token texts, their offsets in the chunk,
# the tokens a sentence may end after, and whether a line break comes before the first token.
# None stands for "the whole chunk is one token" (a word with tashkeel, a number).
_Chunk = tuple[tuple[str, ...], tuple[int, ...], tuple[int, ...], bool] | None
_CACHE_LIMIT = 100_000
_MISSING: _Chunk = ((), (), (), False)  # never stored: tells a cache miss from a None entry


def _chunk(part: str, pattern: re.Pattern[str], ends: frozenset[str]) -> _Chunk:
    """Tokenize one chunk of text that holds no U+0020 space."""
    found = [(m.group(), m.start()) for m in pattern.finditer(part)]
    breaks = []
    for k, (tok, at) in enumerate(found):
        nxt = found[k + 1][1] if k + 1 < len(found) else len(part)
        if tok in ends or "\n" in part[at + len(tok) : nxt]:
            breaks.append(k)
    if len(found) == 1 and found[0][0] == part and not breaks:
        return None
    lead = "\n" in part[: found[0][1] if found else len(part)]
    return tuple(t for t, _ in found), tuple(a for _, a in found), tuple(breaks), lead


class _Chunker:
    """Tokenizes text chunk by chunk, as spaCy does: a chunk of letters only is one token, and
    any other chunk's tokens are remembered (news repeats «القاهرة،» and «(AFP)» all the time)."""

    def __init__(self, pattern: re.Pattern[str], ends: frozenset[str]) -> None:
        self.pattern = pattern
        self.ends = ends
        self.cache: dict[str, _Chunk] = {}

    def columns(self, text: str) -> TokenColumns:
        """Return the tokens of ``text`` and the tokens a sentence may end after."""
        texts: list[str] = []
        starts: list[int] = []
        breaks: list[int] = []
        add_text, add_start, cached = texts.append, starts.append, self.cache.get
        pos = 0
        for part in text.split(" "):
            # Chunks between spaces never share a token: no token holds whitespace.
            chunk = None if part.isalpha() else cached(part, _MISSING)
            if chunk is _MISSING:
                chunk = self._remember(part)
            if chunk is None:
                add_text(part)
                add_start(pos)
                pos += len(part) + 1
                continue
            chunk_texts, offsets, chunk_breaks, lead = chunk
            if lead or chunk_breaks:
                n = len(texts)
                if lead and n and (not breaks or breaks[-1] != n - 1):
                    breaks.append(n - 1)  # a line break between the previous token and this one
                breaks += [n + k for k in chunk_breaks]
            texts += chunk_texts
            for offset in offsets:
                add_start(pos + offset)
            pos += len(part) + 1
        return TokenColumns(texts, starts, breaks)

    def _remember(self, part: str) -> _Chunk:
        if len(self.cache) >= _CACHE_LIMIT:
            self.cache.clear()
        chunk = self.cache[part] = _chunk(part, self.pattern, self.ends)
        return chunk


_ARABIC = _Chunker(_TOKEN_RE, SENTENCE_END)
_WHITESPACE = _Chunker(re.compile(r"\S+"), frozenset())


def token_columns(text: str) -> TokenColumns:
    """Tokenize ``text`` as :func:`tokenize` does, as parallel lists with sentence breaks."""
    return _ARABIC.columns(text)


def whitespace_columns(text: str) -> TokenColumns:
    """Tokenize ``text`` as :func:`tokenize_whitespace` does; sentences end at line breaks."""
    return _WHITESPACE.columns(text)


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens whose offsets slice the stored text exactly."""
    return token_columns(text).tokens(text)


def tokenize_whitespace(text: str) -> list[Token]:
    """Split ``text`` at whitespace only (text rebuilt from pre-tokenized CoNLL input)."""
    return whitespace_columns(text).tokens(text)


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


def split_columns(columns: TokenColumns, starts: Iterable[int]) -> tuple[TokenColumns, int]:
    """Split tokens as :func:`split_proclitics` does, on columns; return them and the count."""
    texts, offsets = columns.texts, columns.starts
    cuts: dict[int, list[int]] = {}
    for pos in set(starts):
        k = bisect_right(offsets, pos) - 1
        if k < 0 or offsets[k] == pos:
            continue
        tok = texts[k]
        if pos < offsets[k] + len(tok) and tok[: pos - offsets[k]] in PROCLITICS:
            cuts.setdefault(k, []).append(pos)
    if not cuts:
        return columns, 0
    texts, offsets = list(texts), list(offsets)
    for k in sorted(cuts, reverse=True):  # from the end, so earlier indices stay valid
        start, tok = offsets[k], texts[k]
        edges = [start, *sorted(cuts[k]), start + len(tok)]
        texts[k : k + 1] = [tok[a - start : b - start] for a, b in pairwise(edges)]
        offsets[k : k + 1] = edges[:-1]
    # A sentence still ends after the last piece of its token: a break moves by the pieces
    # added at or before it.
    split = sorted(cuts)
    added = list(accumulate(len(cuts[k]) for k in split))
    breaks = []
    for b in columns.breaks:
        n = bisect_right(split, b)
        breaks.append(b + added[n - 1] if n else b)
    return TokenColumns(texts, offsets, breaks), len(cuts)


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
