"""A document's words for the rule-based recommenders: tokens, search keys, attached proclitics.

Both rule-based recommenders compare words on the search key Find uses
(:func:`annotator.model.text.search_key_text`: alef forms, ى/ي, ة/ه, tashkeel and tatweel), and
both place a proposal after an attached proclitic (و ف ب ل ك and their combinations, never ال),
so ولافروف proposes لافروف. Offsets are those of the tokenizer, with every edge on a grapheme
cluster boundary (a token ends after the marks of its last letter), so a proposal made of whole
tokens is one the store takes. Two things the tokenizer leaves are set right here:

- a zero-width joiner that joins nothing after it (🔴 + U+200D + «) ends its cluster, and so its
  token: the « after it is a token of its own, and a word after it stays whole;
- a token that starts or ends inside a cluster (a tashkeel mark or joiner written after a space
  belongs to the space) loses that part, and is dropped when nothing is left.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from annotator.model.graphemes import (
    EXTEND,
    PREPEND,
    SPACING,
    ZWJ,
    char_class,
    cluster_end,
    cluster_start,
    is_boundary,
)
from annotator.model.text import is_word_char, search_key, search_key_text
from annotator.model.tokens import PROCLITICS, TokenColumns, token_columns

# Longest first, so a reading that strips more is tried before one that strips less.
_PROCLITICS_BY_LENGTH = sorted(PROCLITICS, key=len, reverse=True)
_KEY_CACHE_LIMIT = 200_000
_JOINER = "\u200d"
# What a joiner that joins nothing is tokenized as: a variation selector stays with the emoji
# before it as the joiner does, and, unlike it, takes no character after it into the token.
_UNGLUED = "\ufe0f"
_keys: dict[str, str] = {}


def word_key(token: str) -> str:
    """Return the search key of one token (remembered: news repeats its words)."""
    key = _keys.get(token)
    if key is None:
        if len(_keys) >= _KEY_CACHE_LIMIT:
            _keys.clear()
        key = _keys[token] = search_key_text(token)
    return key


def phrase_key(text: str) -> tuple[str, ...]:
    """Return the keys of the tokens of ``text`` (an annotated name), empty keys left out."""
    return tuple(k for k in (word_key(t) for t in token_columns(text).texts) if k)


@dataclass(slots=True)
class Words:
    """A text's tokens with their keys, and the tokens a sentence ends after."""

    texts: list[str]
    starts: list[int]
    keys: list[str]
    breaks: list[int]

    def end(self, k: int) -> int:
        """Return the offset just after token ``k``."""
        return self.starts[k] + len(self.texts[k])


def proclitic_readings(key: str) -> list[str]:
    """Return the attached proclitics ``key`` may start with, longest first.

    Only a proclitic followed by at least two letters counts: a one-letter rest is no word.
    """
    return [p for p in _PROCLITICS_BY_LENGTH if len(key) > len(p) + 1 and key.startswith(p)]


def offset_after_key(token: str, letters: int) -> int:
    """Return the offset in ``token`` of its key's letter number ``letters`` (from 0).

    The marks of the letters before it are skipped with them: وَلافروف, 1 gives 2, the ل.
    """
    _key, index = search_key(token)
    return index[letters]


def words_of(text: str) -> Words:
    """Tokenize ``text`` and key every token; every token's edges are cluster boundaries."""
    unglued = _joiners_unglued(text)
    texts, starts, breaks = _on_clusters(text, token_columns(unglued), unglued is not text)
    keys = [word_key(t) for t in texts]
    return Words(texts, starts, keys, breaks)


def inside_clusters(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Return ``[start, end)`` narrowed to the grapheme clusters it holds whole, without spaces
    at its edges, or None when nothing is left (a proposal never widens past its tokens)."""
    while True:
        first, last = cluster_end(text, start), cluster_start(text, end)
        while first < last and text[first].isspace():
            first += 1
        while last > first and text[last - 1].isspace():
            last -= 1
        if (first, last) == (start, end):
            return (start, end) if start < end else None
        start, end = first, last


def _joiners_unglued(text: str) -> str:
    """Return ``text`` (same length) with each joiner that ends its cluster, other than one
    between two letters of a word (ق + U+200D + ال), written as U+FE0F for the tokenizer."""
    if _JOINER not in text:
        return text
    chars = list(text)
    at = text.find(_JOINER)
    while at != -1:
        after = at + 1
        if after < len(text) and is_boundary(text, after):
            base = text[cluster_start(text, at)]
            if not (is_word_char(base) and is_word_char(text[after])):
                chars[at] = _UNGLUED
        at = text.find(_JOINER, after)
    return "".join(chars)


def _on_clusters(
    text: str, columns: TokenColumns, unglued: bool
) -> tuple[list[str], list[int], list[int]]:
    """Return the tokens' texts, starts and sentence breaks, each token narrowed to the clusters
    it holds whole; a token left empty goes, its break to the one before. ``unglued``: the
    columns are those of :func:`_joiners_unglued`'s text, and their texts are read again."""
    if not unglued and not (
        any(map(_joins_before, {t[0] for t in columns.texts}))
        or any(map(_joins_after, {t[-1] for t in columns.texts}))
    ):
        return columns.texts, columns.starts, columns.breaks  # the common case: all on edges
    texts: list[str] = []
    starts: list[int] = []
    breaks: list[int] = []
    ends = set(columns.breaks)
    for k, (token, start) in enumerate(zip(columns.texts, columns.starts, strict=True)):
        end = start + len(token)
        # Tokens that touch are never split inside a cluster (the tokenizer joins them), so an
        # edge can only fall inside one next to a space: a mark or joiner after it, or a
        # character that joins what follows (an Arabic number sign) before it.
        if _joins_before(token[0]) or _joins_after(token[-1]):
            start, end = cluster_end(text, start), cluster_start(text, end)
            token = text[start:end] if start < end else ""
        elif unglued:
            token = text[start:end]
        if token:
            texts.append(token)
            starts.append(start)
        if k in ends and texts and (not breaks or breaks[-1] != len(texts) - 1):
            breaks.append(len(texts) - 1)
    return texts, starts, breaks


@functools.cache
def _joins_before(ch: str) -> bool:
    """Return True for a character that joins the cluster before it (a mark, a joiner)."""
    return char_class(ch) in (EXTEND, ZWJ, SPACING)


@functools.cache
def _joins_after(ch: str) -> bool:
    """Return True for a character that joins the character after it, even a space."""
    return char_class(ch) == PREPEND
