"""Grapheme clusters: what a reader takes for one character, and so where a span edge may fall.

The rules are Unicode's extended grapheme clusters (UAX #29, GB1 to GB13). A letter with its
tashkeel, an emoji with its skin tone, variation selector or zero-width-joiner sequence, a flag
(two regional indicators), a Hangul syllable written in jamo: each is one cluster, and no span
edge may fall inside one. Rule GB9c (Indic conjunct clusters, Unicode 15.1) is left out: it only
ever joins clusters this module already keeps apart, in scripts this tool does not annotate.

A Python ``str`` can hold lone surrogates (U+D800-U+DFFF, e.g. text decoded with
``surrogatepass``). Each is a cluster of its own, except a high surrogate followed by a low one:
written out as UTF-16 they are one character, so no edge may fall between them either.

Character classes come from :mod:`unicodedata` (this Python's Unicode version) and, for
Extended_Pictographic, from the table below (emoji-data.txt, Unicode 15: whole blocks, reserved
code points included, so emoji added later are covered).
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right

OTHER, CR, LF, CONTROL, EXTEND, ZWJ, REGIONAL, PREPEND, SPACING = range(9)
L, V, T, LV, LVT, PICTOGRAPHIC, HIGH_SURROGATE, LOW_SURROGATE = range(9, 17)

_CONTROLS = frozenset({CR, LF, CONTROL, HIGH_SURROGATE, LOW_SURROGATE})
_JOINS_BEFORE = frozenset({EXTEND, ZWJ, SPACING})  # GB9, GB9a: never a boundary before these
_HANGUL_NEXT = {
    L: frozenset({L, V, LV, LVT}),  # GB6
    LV: frozenset({V, T}),  # GB7
    V: frozenset({V, T}),
    LVT: frozenset({T}),  # GB8
    T: frozenset({T}),
}

# Prepend: Arabic number signs (U+0600-U+0605, U+08E2), end of ayah (U+06DD) and a few others;
# they join the character after them.
_PREPEND = frozenset(
    [
        *range(0x0600, 0x0606), 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2, 0x0D4E, 0x110BD,
        0x110CD, 0x111C2, 0x111C3, 0x113D1, 0x1193F, 0x11941, 0x11A3A, *range(0x11A84, 0x11A8A),
        0x11D46, 0x11F02,
    ]
)  # fmt: skip
# Spacing marks (Mc) that Unicode does not count as SpacingMark, and two letters (Thai and Lao
# SARA AM) that it does.
_NOT_SPACING = frozenset(
    [
        0x102B, 0x102C, 0x1038, 0x1062, 0x1063, 0x1064, *range(0x1067, 0x106E), 0x1083,
        *range(0x1087, 0x108D), 0x108F, 0x109A, 0x109B, 0x109C, 0x1A61, 0x1A63, 0x1A64,
        0xAA7B, 0xAA7D, 0x11720, 0x11721,
    ]
)  # fmt: skip
_SPACING_LETTERS = frozenset([0x0E33, 0x0EB3])
# Extend beyond the combining marks: ZWNJ, halfwidth kana sound marks, emoji skin tones, tags.
_EXTEND_OTHER = frozenset(
    [0x200C, 0xFF9E, 0xFF9F, *range(0x1F3FB, 0x1F400), *range(0xE0020, 0xE0080)]
)

# Extended_Pictographic as [first, last] pairs.
# fmt: off
_PICTOGRAPHIC = (
    0x00A9, 0x00A9, 0x00AE, 0x00AE, 0x203C, 0x203C, 0x2049, 0x2049, 0x2122, 0x2122,
    0x2139, 0x2139, 0x2194, 0x2199, 0x21A9, 0x21AA, 0x231A, 0x231B, 0x2328, 0x2328,
    0x2388, 0x2388, 0x23CF, 0x23CF, 0x23E9, 0x23F3, 0x23F8, 0x23FA, 0x24C2, 0x24C2,
    0x25AA, 0x25AB, 0x25B6, 0x25B6, 0x25C0, 0x25C0, 0x25FB, 0x25FE, 0x2600, 0x2605,
    0x2607, 0x2612, 0x2614, 0x2685, 0x2690, 0x2705, 0x2708, 0x2712, 0x2714, 0x2714,
    0x2716, 0x2716, 0x271D, 0x271D, 0x2721, 0x2721, 0x2728, 0x2728, 0x2733, 0x2734,
    0x2744, 0x2744, 0x2747, 0x2747, 0x274C, 0x274C, 0x274E, 0x274E, 0x2753, 0x2755,
    0x2757, 0x2757, 0x2763, 0x2767, 0x2795, 0x2797, 0x27A1, 0x27A1, 0x27B0, 0x27B0,
    0x27BF, 0x27BF, 0x2934, 0x2935, 0x2B05, 0x2B07, 0x2B1B, 0x2B1C, 0x2B50, 0x2B50,
    0x2B55, 0x2B55, 0x3030, 0x3030, 0x303D, 0x303D, 0x3297, 0x3297, 0x3299, 0x3299,
    0x1F000, 0x1F0FF, 0x1F10D, 0x1F10F, 0x1F12F, 0x1F12F, 0x1F16C, 0x1F171,
    0x1F17E, 0x1F17F, 0x1F18E, 0x1F18E, 0x1F191, 0x1F19A, 0x1F1AD, 0x1F1E5,
    0x1F201, 0x1F20F, 0x1F21A, 0x1F21A, 0x1F22F, 0x1F22F, 0x1F232, 0x1F23A,
    0x1F23C, 0x1F23F, 0x1F249, 0x1F3FA, 0x1F400, 0x1F53D, 0x1F546, 0x1F64F,
    0x1F680, 0x1F6FF, 0x1F774, 0x1F77F, 0x1F7D5, 0x1F7FF, 0x1F80C, 0x1F80F,
    0x1F848, 0x1F84F, 0x1F85A, 0x1F85F, 0x1F888, 0x1F88F, 0x1F8AE, 0x1F8FF,
    0x1F90C, 0x1F93A, 0x1F93C, 0x1F945, 0x1F947, 0x1FAFF, 0x1FC00, 0x1FFFD,
)
# fmt: on

_CACHE: dict[str, int] = {}


def _is_pictographic(cp: int) -> bool:
    # An odd insertion point falls inside a [first, last] pair; an even one may be its last.
    k = bisect_right(_PICTOGRAPHIC, cp)
    return k % 2 == 1 or (k > 0 and _PICTOGRAPHIC[k - 1] == cp)


def _hangul(cp: int) -> int:
    if 0x1100 <= cp <= 0x115F or 0xA960 <= cp <= 0xA97C:
        return L
    if 0x1160 <= cp <= 0x11A7 or 0xD7B0 <= cp <= 0xD7C6:
        return V
    if 0x11A8 <= cp <= 0x11FF or 0xD7CB <= cp <= 0xD7FB:
        return T
    if 0xAC00 <= cp <= 0xD7A3:
        return LV if (cp - 0xAC00) % 28 == 0 else LVT
    return OTHER


def _classify(ch: str) -> int:
    cp = ord(ch)
    if ch == "\r":
        return CR
    if ch == "\n":
        return LF
    if cp == 0x200D:
        return ZWJ
    if 0xD800 <= cp <= 0xDBFF:
        return HIGH_SURROGATE
    if 0xDC00 <= cp <= 0xDFFF:
        return LOW_SURROGATE
    if cp in _PREPEND:
        return PREPEND
    if cp in _EXTEND_OTHER:
        return EXTEND
    if 0x1F1E6 <= cp <= 0x1F1FF:
        return REGIONAL
    category = unicodedata.category(ch)
    if category in ("Mn", "Me"):
        return EXTEND
    if (category == "Mc" and cp not in _NOT_SPACING) or cp in _SPACING_LETTERS:
        return SPACING
    if category in ("Cc", "Cf", "Zl", "Zp"):
        return CONTROL
    if _is_pictographic(cp):
        return PICTOGRAPHIC
    return _hangul(cp)


def char_class(ch: str) -> int:
    """Return the grapheme-break class of one character (OTHER, EXTEND, ZWJ, REGIONAL, ...)."""
    found = _CACHE.get(ch)
    if found is None:
        found = _CACHE[ch] = _classify(ch)
    return found


def is_boundary(text: str, pos: int) -> bool:
    """Return True when a span edge may fall at ``pos``: not inside a grapheme cluster.

    The text's start and end are boundaries, and so is any offset outside the text.
    """
    if pos <= 0 or pos >= len(text):
        return True
    before, after = text[pos - 1], text[pos]
    if before < "\u0300" and after < "\u0300" and before != "\r":
        return True  # Latin text, digits, punctuation, spaces, line breaks
    get = _CACHE.get
    next_class, last_class = get(after), get(before)
    if next_class is None or last_class is None:
        next_class, last_class = char_class(after), char_class(before)
    if next_class == OTHER and last_class != PREPEND:
        return True  # before an Arabic letter: the common case, and an import checks millions
    return _boundary(text, pos, last_class, next_class)


def _boundary(text: str, pos: int, before: int, after: int) -> bool:
    if before == CR and after == LF:  # GB3
        return False
    if before == HIGH_SURROGATE and after == LOW_SURROGATE:  # one character in UTF-16
        return False
    if before in _CONTROLS or after in _CONTROLS:  # GB4, GB5
        return True
    if after in _HANGUL_NEXT.get(before, ()):  # GB6-GB8
        return False
    if after in _JOINS_BEFORE or before == PREPEND:  # GB9, GB9a, GB9b
        return False
    if before == ZWJ and after == PICTOGRAPHIC:  # GB11: pictograph Extend* ZWJ x pictograph
        k = pos - 2
        while k >= 0 and char_class(text[k]) == EXTEND:
            k -= 1
        return not (k >= 0 and char_class(text[k]) == PICTOGRAPHIC)
    if before == REGIONAL and after == REGIONAL:  # GB12, GB13: flags are pairs
        k = pos - 1
        while k >= 0 and char_class(text[k]) == REGIONAL:
            k -= 1
        return (pos - 1 - k) % 2 == 0
    return True  # GB999


def cluster_start(text: str, pos: int) -> int:
    """Return ``pos`` moved left to the start of the grapheme cluster it falls inside."""
    while not is_boundary(text, pos):
        pos -= 1
    return pos


def cluster_end(text: str, pos: int) -> int:
    """Return ``pos`` moved right to the end of the grapheme cluster it falls inside."""
    while not is_boundary(text, pos):
        pos += 1
    return pos


def cluster_at(text: str, pos: int) -> tuple[int, int]:
    """Return ``[start, end)`` of the grapheme cluster that holds the character at ``pos``."""
    return cluster_start(text, pos), cluster_end(text, min(len(text), pos + 1))


def clusters(text: str) -> list[tuple[int, int]]:
    """Return every grapheme cluster of ``text`` as ``[start, end)``, in order."""
    found = []
    start = 0
    for pos in range(1, len(text) + 1):
        if is_boundary(text, pos):
            found.append((start, pos))
            start = pos
    return found
