"""Offset conversions at the format boundary: UTF-16 code units, and raw vs stored text.

Stored offsets are code points (Python ``str`` indices). doccano counts UTF-16 code units: the same
for Arabic, one more for every emoji or other non-BMP character before the offset. The one code
point <-> UTF-16 conversion lives in :mod:`annotator.model.utf16`; :class:`Utf16Offsets` is its
name here, refusing an offset read from a file that falls inside a surrogate pair.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from annotator.errors import InputError, OffsetError
from annotator.model.text import BOM, prepare_text
from annotator.model.utf16 import Inside, Utf16Map


class Utf16Offsets:
    """Converts between code-point offsets and UTF-16 code-unit offsets of one text."""

    __slots__ = ("_map", "length")

    def __init__(self, text: str) -> None:
        self._map = Utf16Map(text)
        self.length = self._map.utf16_length

    def to_utf16(self, pos: int) -> int:
        """Return the UTF-16 offset of code-point offset ``pos``."""
        return self._map.to_utf16(pos)

    def to_code_points(self, pos: int) -> int:
        """Return the code-point offset of UTF-16 offset ``pos``; refuse one inside a pair."""
        try:
            return self._map.to_code_point(pos, Inside.REFUSE)
        except OffsetError as exc:
            raise InputError(exc.message) from exc


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
