"""Arabic-aware tokenizer with offsets into the stored text, and sentence splitting.

Tokens: punctuation (، ؛ ؟ « » and ASCII) becomes tokens of its own; numbers (with Arabic-Indic
digits and decimal separators) and Latin words stay whole; tashkeel and tatweel stay inside their
word. Two tokens never meet inside a grapheme cluster (:mod:`annotator.model.graphemes`): a flag
(🇷🇺), a keycap (1️⃣), a zero-width-joiner family, an emoji with its skin tone, a letter with its
marks is one token, or part of one.

Sentences end after . ! ? ؟ … and at line breaks, except where the mark belongs to something else:
. ! ? glued to a following letter or digit (أ.ف.ب, U.S, www.tass.ru, user@mail.com, ?id=3); a full
stop after an initial or a title (د. بيسكوف, م. أحمد, ص., U.S., Dr.), unless the letter follows a
number (1445 هـ. and 2024 م. end a sentence); marks, closing brackets, quotes or emoji glued
after a mark (... ؟! .» .)) end the sentence with them. A decimal (3.5, ١٢٫٥) is one token.

Proclitics: a conjunction or preposition written attached to the next word (و ف ب ل ك, see
:data:`PROCLITICS`) is split off a token only where a span starts right after it
(:func:`split_columns`). The exports pass the starts of every span of the document, whatever
layer or label they export (``annotator.io.alignment``), so a document has one tokenization in
every token format; :func:`proclitic_start` gives the whole-token reading instead.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate, pairwise
from typing import NamedTuple

from annotator.model.graphemes import is_boundary

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
_MARK_RE = re.compile(f"[{_MARKS}]")
SENTENCE_END = frozenset(".!?؟…")
# Marks that can sit inside a word-like run (an address, a query string); ؟ and … never do.
_INSIDE_WORDS = frozenset(".!?")
# Titles written with a full stop that never end a sentence (an initial, one letter, never does).
TITLES = frozenset(
    ["Dr", "Mr", "Mrs", "Ms", "Prof", "St", "Jr", "Sr", "Gen", "Col", "Lt", "Capt", "Gov", "Sen"]
)
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
# the tokens a sentence ends after, whether a line break comes before the first token, and the
# tokens a sentence ends after only when the token before the chunk is a number (the full stop
# of «هـ.» after «1445»). None stands for "the whole chunk is one token" (a word, a number).
_Chunk = tuple[tuple[str, ...], tuple[int, ...], tuple[int, ...], bool, tuple[int, ...]] | None
_CACHE_LIMIT = 100_000
_MISSING: _Chunk = ((), (), (), False, ())  # never stored: tells a cache miss from a None entry


def _chunk(part: str, pattern: re.Pattern[str], ends: frozenset[str]) -> _Chunk:
    """Tokenize one chunk of text that holds no U+0020 space."""
    found = _whole_clusters([(m.group(), m.start()) for m in pattern.finditer(part)], part)
    breaks, after_number = _sentence_ends(part, found, ends)
    if len(found) == 1 and found[0][0] == part and not breaks and not after_number:
        return None
    lead = "\n" in part[: found[0][1] if found else len(part)]
    texts, offsets = tuple(t for t, _ in found), tuple(a for _, a in found)
    return texts, offsets, tuple(breaks), lead, tuple(after_number)


def _whole_clusters(found: list[tuple[str, int]], part: str) -> list[tuple[str, int]]:
    """Join tokens that touch inside a grapheme cluster: 🇷+🇺, 1+U+FE0F+U+20E3, e+U+0301."""
    out: list[tuple[str, int]] = []
    for tok, at in found:
        if out and out[-1][1] + len(out[-1][0]) == at and not is_boundary(part, at):
            out[-1] = (out[-1][0] + tok, out[-1][1])
        else:
            out.append((tok, at))
    return out


def _sentence_ends(
    part: str, found: list[tuple[str, int]], ends: frozenset[str]
) -> tuple[list[int], list[int]]:
    """Return the tokens of a chunk a sentence ends after, and those it ends after only when
    the chunk follows a number (see the module's docstring for the rules)."""
    breaks: set[int] = set()
    after_number: set[int] = set()
    n = len(found)
    for k, (tok, at) in enumerate(found):
        nxt = found[k + 1][1] if k + 1 < n else len(part)
        if "\n" in part[at + len(tok) : nxt]:
            breaks.add(k)
        if tok not in ends:
            continue
        last = k  # the end of the marks, brackets, quotes, emoji glued to the mark
        while _glued(found, last + 1) and not found[last + 1][0][0].isalnum():
            last += 1
        if tok in _INSIDE_WORDS and _glued(found, last + 1):
            continue  # أ.ف.ب, U.S, www.tass.ru, a@b.com, ?id=1: the mark is inside a word
        initial = tok == "." and k > 0 and _glued(found, k) and _abbreviation(found[k - 1][0])
        if not initial:
            breaks.add(last)
        elif k == 1 and _is_initial(found[0][0]):
            after_number.add(last)  # هـ. and م. after a year end the sentence
        elif k > 1 and _is_initial(found[k - 1][0]) and found[k - 2][0][0].isdigit():
            breaks.add(last)
    return sorted(breaks), sorted(after_number - breaks)


def _glued(found: list[tuple[str, int]], k: int) -> bool:
    """Return True when token ``k`` touches the token before it."""
    return 0 < k < len(found) and found[k - 1][1] + len(found[k - 1][0]) == found[k][1]


def _is_initial(tok: str) -> bool:
    return tok[0].isalpha() and len(_MARK_RE.sub("", tok)) == 1


def _abbreviation(tok: str) -> bool:
    """Return True for a token a full stop abbreviates: an initial (د م ص U) or a title (Dr)."""
    return _is_initial(tok) or tok in TITLES


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
            chunk_texts, offsets, chunk_breaks, lead, after_number = chunk
            if lead or chunk_breaks or after_number:
                n = len(texts)
                if lead and n and (not breaks or breaks[-1] != n - 1):
                    breaks.append(n - 1)  # a line break between the previous token and this one
                if after_number and n and texts[-1][0].isdigit():
                    chunk_breaks = tuple(sorted({*chunk_breaks, *after_number}))
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


def proclitic_start(columns: TokenColumns, pos: int) -> int:
    """Return the start of the token ``pos`` falls inside when only an attached proclitic comes
    before ``pos`` in it (the whole-token reading: واشنطن in وواشنطن tags وواشنطن), else ``pos``."""
    k = bisect_right(columns.starts, pos) - 1
    if k >= 0:
        start, tok = columns.starts[k], columns.texts[k]
        if start < pos < start + len(tok) and tok[: pos - start] in PROCLITICS:
            return start
    return pos


def _token_containing(tokens: list[Token], ends: list[int], pos: int) -> Token | None:
    k = bisect_right(ends, pos)
    if k < len(tokens) and tokens[k].start < pos < tokens[k].end:
        return tokens[k]
    return None


def sentences(text: str, tokens: list[Token] | None = None) -> Iterator[list[Token]]:
    """Group tokens into sentences, as the module's docstring says where they end.

    ``tokens`` are the tokenizer's tokens of ``text``, possibly split at proclitics.
    """
    columns = token_columns(text)
    tokens = columns.tokens(text) if tokens is None else tokens
    ends = {columns.starts[k] + len(columns.texts[k]) for k in columns.breaks}
    current: list[Token] = []
    for tok in tokens:
        current.append(tok)
        if tok.end in ends:
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
