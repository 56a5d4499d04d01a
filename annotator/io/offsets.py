"""Offset conversions at the format boundary: UTF-16 code units, and raw vs stored text.

Stored offsets are code points (Python ``str`` indices). doccano counts UTF-16 code units: the same
for Arabic, one more for every emoji or other non-BMP character before the offset.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable

from annotator.errors import InputError
from annotator.model.text import BOM, prepare_text


class Utf16Offsets:
    """Converts between code-point offsets and UTF-16 code-unit offsets of one text."""

    def __init__(self, text: str) -> None:
        # Code-point positions of non-BMP characters: each takes two UTF-16 units.
        self._astral = (
            [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] if _has_astral(text) else []
        )
        self._astral_u16 = [pos + k for k, pos in enumerate(self._astral)]
        self.length = len(text) + len(self._astral)

    def to_utf16(self, pos: int) -> int:
        """Return the UTF-16 offset of code-point offset ``pos``."""
        return pos + bisect_left(self._astral, pos)

    def to_code_points(self, pos: int) -> int:
        """Return the code-point offset of UTF-16 offset ``pos``; refuse one inside a pair."""
        k = bisect_right(self._astral_u16, pos - 1)
        if k and self._astral_u16[k - 1] == pos - 1:
            raise InputError(f"offset {pos} falls inside an emoji (a UTF-16 surrogate pair)")
        return pos - k


def _has_astral(text: str) -> bool:
    # Fast path: encoding to UTF-16 costs one pass in C; most Arabic news has no emoji.
    return len(text.encode("utf-16-le")) != 2 * len(text)


def stored_text(raw: str) -> tuple[str, Callable[[int], int]]:
    """Return the stored form of ``raw`` and a function mapping raw offsets to stored ones.

    Stored text drops a leading BOM and the ``\\r`` of ``\\r\\n``; offsets after them move left.
    """
    text = prepare_text(raw)
    if len(text) == len(raw):
        return text, _same
    removed = [0] if raw.startswith(BOM) else []
    start = 1 if removed else 0
    pos = raw.find("\r\n", start)
    while pos != -1:
        removed.append(pos)
        pos = raw.find("\r\n", pos + 2)

    def to_stored(offset: int) -> int:
        return offset - bisect_left(removed, offset)

    return text, to_stored


def _same(offset: int) -> int:
    return offset
