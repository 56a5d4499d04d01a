"""Code-point offsets (stored text) <-> Qt positions (UTF-16 code units): the one conversion.

Stored offsets are Python ``str`` indices. ``QTextDocument`` positions count UTF-16 code units, so
every character outside the Basic Multilingual Plane (emoji, some CJK) takes two positions there
and one here. Everything else counts one on both sides, including ``\\n``: ``setPlainText`` turns
it into one block separator, which is one position (checked in tests/gui/test_offsets.py).

An :class:`OffsetMap` is built once per document text in O(n); each lookup is a bisect over the
non-BMP characters only, O(log k), and O(1) when the text has none (the common case).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from enum import Enum

from annotator.errors import OffsetError

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Rounding(Enum):
    """Where a Qt position inside a surrogate pair goes: the character's start or its end."""

    START = "start"
    END = "end"


class OffsetMap:
    """Converts between code-point offsets and Qt (UTF-16) positions for one document text."""

    __slots__ = ("_astral_cp", "_astral_qt", "code_points", "qt_length")

    def __init__(self, text: str) -> None:
        # Code-point indices of the non-BMP characters, and the Qt position where each starts.
        self._astral_cp = [m.start() for m in _ASTRAL.finditer(text)]
        self._astral_qt = [cp + i for i, cp in enumerate(self._astral_cp)]
        self.code_points = len(text)
        self.qt_length = len(text) + len(self._astral_cp)

    @property
    def is_identity(self) -> bool:
        """Return True when both units agree everywhere (no character outside the BMP)."""
        return not self._astral_cp

    def to_qt(self, offset: int) -> int:
        """Return the Qt position of code-point ``offset`` (0..len(text) inclusive)."""
        if not 0 <= offset <= self.code_points:
            raise OffsetError(f"offset {offset} is outside the text (0..{self.code_points})")
        if not self._astral_cp:
            return offset
        return offset + bisect_left(self._astral_cp, offset)

    def to_code_point(self, position: int, rounding: Rounding = Rounding.START) -> int:
        """Return the code-point offset of Qt ``position``; inside a surrogate pair, round it."""
        if not 0 <= position <= self.qt_length:
            raise OffsetError(f"Qt position {position} is outside the text (0..{self.qt_length})")
        if not self._astral_cp:
            return position
        # Non-BMP characters that start before ``position``: each one counted one unit too many.
        before = bisect_left(self._astral_qt, position)
        offset = position - before
        inside_pair = before > 0 and self._astral_qt[before - 1] + 1 == position
        if inside_pair and rounding is Rounding.END:
            offset += 1
        return offset

    def range_to_qt(self, start: int, end: int) -> tuple[int, int]:
        """Return the Qt positions of the code-point range ``[start, end)``."""
        return self.to_qt(start), self.to_qt(end)

    def range_to_code_points(self, start: int, end: int) -> tuple[int, int]:
        """Return the code-point range covering Qt ``[start, end)``, widened over split pairs."""
        low, high = min(start, end), max(start, end)
        return self.to_code_point(low, Rounding.START), self.to_code_point(high, Rounding.END)
