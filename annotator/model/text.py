"""Arabic text helpers: stored-text preparation, character classes, word snapping, search keys.

Where a span edge may fall (grapheme clusters) is :mod:`annotator.model.graphemes`; the one entry
point that aligns a character range by a policy is :func:`annotator.model.offsets.char_span`.

Offsets everywhere are Python ``str`` indices (code points) into the stored text, end exclusive.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from annotator.model.graphemes import cluster_end, cluster_start

BOM = "\ufeff"
TATWEEL = "\u0640"
NBSP = "\u00a0"
# What ends a paragraph or line: the stored text has only \n, but text handed to the API may
# carry \r, and U+2028/U+2029 are Unicode's own line and paragraph separators.
LINE_BREAKS = re.compile("[\n\r\u2028\u2029]")

# Alef forms folded to bare alef for search keys (ARABIC_TEXT.md section 6).
_KEY_FOLD = {
    "\u0623": "\u0627",  # أ
    "\u0625": "\u0627",  # إ
    "\u0622": "\u0627",  # آ
    "\u0671": "\u0627",  # ٱ
    "\u0649": "\u064a",  # ى -> ي
    "\u0629": "\u0647",  # ة -> ه
    "\u00a0": " ",  # a no-break space matches a typed space
}


def prepare_text(raw: str) -> str:
    """Return the stored form of imported text: leading BOM removed, line endings as ``\\n``."""
    if raw.startswith(BOM):
        raw = raw[1:]
    return raw.replace("\r\n", "\n").replace("\r", "\n")


def first_line_break(text: str, start: int, end: int) -> int | None:
    """Return the offset of the first line break in ``text[start:end]``, or None."""
    found = LINE_BREAKS.search(text, start, end)
    return None if found is None else found.start()


def content_hash(text: str) -> str:
    """Return the SHA-256 hex digest of the stored text, used to spot re-imports."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def is_mark(ch: str) -> bool:
    """Return True for a combining mark (tashkeel, Quranic marks): never separated from its base."""
    return unicodedata.category(ch) in ("Mn", "Me")


def is_word_char(ch: str) -> bool:
    """Return True for a character that belongs to a word: letters, digits, marks, tatweel."""
    return ch.isalnum() or ch == TATWEEL or is_mark(ch) or ch in "\u200c\u200d"


def snap_to_clusters(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` so neither edge falls inside a grapheme cluster.

    A cluster is a letter with its marks (tashkeel), an emoji sequence, a flag: see
    :mod:`annotator.model.graphemes`.
    """
    return cluster_start(text, start), cluster_end(text, end)


def word_at(text: str, pos: int) -> tuple[int, int] | None:
    """Return the word containing ``pos`` (or starting at it), or None on space/punctuation."""
    if not 0 <= pos < len(text) or not is_word_char(text[pos]):
        return None
    start = pos
    while start > 0 and is_word_char(text[start - 1]):
        start -= 1
    end = pos
    while end < len(text) and is_word_char(text[end]):
        end += 1
    return start, end


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Widen a selection to whole words and drop surrounding spaces and punctuation.

    Returns None when the selection holds no word character at all.
    """
    start, end = max(0, min(start, end)), min(len(text), max(start, end))
    while start < end and not is_word_char(text[start]):
        start += 1
    while end > start and not is_word_char(text[end - 1]):
        end -= 1
    if start >= end:
        return None
    while start > 0 and is_word_char(text[start - 1]):
        start -= 1
    while end < len(text) and is_word_char(text[end]):
        end += 1
    return start, end


def is_word_aligned(text: str, start: int, end: int) -> bool:
    """Return True when neither edge of ``[start, end)`` falls inside a word."""
    left_ok = start == 0 or not (is_word_char(text[start - 1]) and is_word_char(text[start]))
    right_ok = end == len(text) or not (is_word_char(text[end - 1]) and is_word_char(text[end]))
    return left_ok and right_ok


def search_key(text: str) -> tuple[str, list[int]]:
    """Return a normalized search key of ``text`` and a map from key index to stored offset.

    Alef forms fold to ا, ى to ي, ة to ه; tashkeel and tatweel are dropped. The map has one extra
    entry, ``len(text)``, so a key match ``[a, b)`` maps back to ``[map[a], map[b-1] + 1)``.
    """
    key: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch == TATWEEL or is_mark(ch):
            continue
        key.append(_KEY_FOLD.get(ch, ch))
        index.append(i)
    index.append(len(text))
    return "".join(key), index


def normalize_query(query: str) -> str:
    """Return the search key of a query typed by the user."""
    return search_key(query)[0]


@dataclass(frozen=True, slots=True)
class Match:
    """One search hit in the stored text; ``whole_word`` is False for a hit inside a longer word."""

    start: int
    end: int
    whole_word: bool


def find_matches(text: str, query: str) -> list[Match]:
    """Find every occurrence of ``query`` in ``text`` ignoring hamza/alef forms, marks and tatweel."""
    needle = normalize_query(query).strip()
    if not needle:
        return []
    key, index = search_key(text)
    matches: list[Match] = []
    pos = key.find(needle)
    while pos != -1:
        start = index[pos]
        end = cluster_end(text, index[pos + len(needle) - 1] + 1)
        matches.append(Match(start, end, is_word_aligned(text, start, end)))
        pos = key.find(needle, pos + 1)
    return matches
