"""Arabic text helpers: stored-text preparation, character classes, word snapping, search keys.

Where a span edge may fall (grapheme clusters) is :mod:`annotator.model.graphemes`; the one entry
point that aligns a character range by a policy is :func:`annotator.model.offsets.char_span`.

Offsets everywhere are Python ``str`` indices (code points) into the stored text, end exclusive.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import re
import sys
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

    Alef forms fold to ا, ى to ي, ة to ه, a no-break space to a space; tashkeel (every combining
    mark) and tatweel are dropped. The map has one extra entry, ``len(text)``, so a key match
    ``[a, b)`` maps back to ``[map[a], map[b-1] + 1)``.
    """
    key = search_key_text(text)
    return key, _key_index(text, len(key))


def search_key_text(text: str) -> str:
    """Return the search key of ``text`` alone, as :func:`search_key` gives it, without the map.

    The corpus search index stores this key; it runs at C speed.
    """
    if _OUTSIDE_COMMON.search(text) is None:
        # Latin, Arabic and punctuation only, the usual article: the Arabic marks are all the
        # marks there can be, and dropping them and folding is cheaper than a translate.
        key = _ARABIC_DROPS.sub("", text)
        for src, dst in _KEY_FOLD.items():
            key = key.replace(src, dst)
        return key
    key = text.translate(_bmp_table())
    if _ASTRAL.search(key):  # marks beyond U+FFFF (rare): the table above stops there
        key = key.translate(_astral_marks())
    return key


def search_key_version() -> str:
    """Return a fingerprint of what :func:`search_key` folds and drops.

    An index built over keys (the project's search index) is stale when this changes: a fold
    added here, or a Python whose Unicode version counts other characters as marks.
    """
    folds = "".join(f"{k}{v}" for k, v in sorted(_KEY_FOLD.items()))
    digest = hashlib.sha256(f"{unicodedata.unidata_version}|{TATWEEL}|{folds}".encode())
    return digest.hexdigest()[:16]


# Arabic marks and tatweel: found by a small character class, so the map of a key back to
# stored offsets costs little for Arabic text; any other mark takes the slow path.
_ARABIC_DROPS = re.compile(
    "["
    + "".join(
        chr(cp)
        for cp in range(0x0600, 0x0900)
        if unicodedata.category(chr(cp)) in ("Mn", "Me") or chr(cp) == TATWEEL
    )
    + "]"
)
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# Blocks with no combining mark but the Arabic ones above: Basic Latin to Spacing Modifier
# Letters, Arabic to Arabic Extended-A, General Punctuation (checked when this module loads).
_COMMON_BLOCKS = ((0x0000, 0x02FF), (0x0600, 0x08FF), (0x2000, 0x206F))
_OUTSIDE_COMMON = re.compile(
    "[^"
    + "".join(
        f"\\u{lo:04x}-\\u{hi:04x}"
        for lo, hi in _COMMON_BLOCKS
        if not any(
            is_mark(chr(cp)) and not _ARABIC_DROPS.match(chr(cp)) for cp in range(lo, hi + 1)
        )
    )
    + "]"
)


@functools.cache
def _bmp_table() -> list[int | None]:
    # A list indexed by code point: str.translate looks it up without a dict miss per letter.
    table: list[int | None] = list(range(0x10000))
    for cp in range(0x10000):
        ch = chr(cp)
        if ch == TATWEEL or is_mark(ch):
            table[cp] = None
    for src, dst in _KEY_FOLD.items():
        table[ord(src)] = ord(dst)
    return table


@functools.cache
def _astral_marks() -> dict[int, None]:
    return {cp: None for cp in range(0x10000, sys.maxunicode + 1) if is_mark(chr(cp))}


def _dropped(text: str, key_length: int) -> list[int]:
    """Return the offsets of the characters the key drops (marks and tatweel), in order."""
    dropped = [m.start() for m in _ARABIC_DROPS.finditer(text)]
    if len(dropped) != len(text) - key_length:  # marks of other scripts: look at every one
        dropped = [i for i, ch in enumerate(text) if ch == TATWEEL or is_mark(ch)]
    return dropped


def _key_index(text: str, key_length: int) -> list[int]:
    """Return the stored offset of every key character, and ``len(text)`` after them."""
    n = len(text)
    if key_length == n:
        return list(range(n + 1))
    index: list[int] = []
    kept_from = 0
    for i in _dropped(text, key_length):
        index.extend(range(kept_from, i))
        kept_from = i + 1
    index.extend(range(kept_from, n + 1))
    return index


class _KeyOffsets:
    """The stored offset of a key position, worked out for the positions asked only."""

    def __init__(self, text: str, key_length: int) -> None:
        # The j-th dropped character has (offset - j) key characters before it.
        dropped = [] if key_length == len(text) else _dropped(text, key_length)
        self._before = [offset - j for j, offset in enumerate(dropped)]

    def __getitem__(self, position: int) -> int:
        return position + bisect.bisect_right(self._before, position)


def normalize_query(query: str) -> str:
    """Return the search key of a query typed by the user."""
    return search_key_text(query)


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
    key = search_key_text(text)
    pos = key.find(needle)
    if pos == -1:
        return []
    index = _KeyOffsets(text, len(key))  # only for a text that has a hit
    matches: list[Match] = []
    while pos != -1:
        start = index[pos]
        end = cluster_end(text, index[pos + len(needle) - 1] + 1)
        matches.append(Match(start, end, is_word_aligned(text, start, end)))
        pos = key.find(needle, pos + 1)
    return matches
