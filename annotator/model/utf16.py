"""Code points <-> UTF-16 code units: the one conversion, for Qt positions and doccano offsets.

Stored offsets are Python ``str`` indices (code points). UTF-16 counts every character outside
the Basic Multilingual Plane (emoji, some CJK, mathematical letters) as two units, a surrogate
pair; everything else, including a lone surrogate a ``str`` may hold, counts one.

A UTF-16 offset between the two units of a pair has no code-point offset. :class:`Inside` says
what happens to it, and the caller chooses: ``REFUSE`` (the default) raises OffsetError naming the
character, for offsets read from a file; ``START`` and ``END`` round it to the character's start
or end, for a position Qt reports inside a pair, so a selection is widened over the character and
never split.

A :class:`Utf16Map` is built once per text in O(n); each lookup is a bisect over the non-BMP
characters only, O(log k), and O(1) when there are none (the common case).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from enum import Enum

from annotator.errors import OffsetError
from annotator.model.graphemes import PICTOGRAPHIC, REGIONAL, char_class

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Inside(Enum):
    """What a UTF-16 offset inside a surrogate pair becomes: refused, or the character's edge."""

    REFUSE = "refuse"
    START = "start"
    END = "end"


class Utf16Map:
    """Converts between code-point offsets and UTF-16 code-unit offsets of one text."""

    __slots__ = ("_astral", "_astral_u16", "_text", "code_points", "utf16_length")

    def __init__(self, text: str) -> None:
        self._text = text
        # Code-point indices of the non-BMP characters, and the UTF-16 offset where each starts.
        self._astral = [] if text.isascii() else [m.start() for m in _ASTRAL.finditer(text)]
        self._astral_u16 = [cp + k for k, cp in enumerate(self._astral)]
        self.code_points = len(text)
        self.utf16_length = len(text) + len(self._astral)

    @property
    def is_identity(self) -> bool:
        """Return True when both units agree everywhere (no character outside the BMP)."""
        return not self._astral

    def to_utf16(self, offset: int) -> int:
        """Return the UTF-16 offset of code-point ``offset`` (0..len(text) inclusive)."""
        if not 0 <= offset <= self.code_points:
            raise OffsetError(
                f"offset {offset} does not fit the text (0..{self.code_points} code points)"
            )
        if not self._astral:
            return offset
        return offset + bisect_left(self._astral, offset)

    def to_code_point(self, unit: int, inside: Inside = Inside.REFUSE) -> int:
        """Return the code-point offset of UTF-16 offset ``unit``; inside a pair, per ``inside``."""
        if not 0 <= unit <= self.utf16_length:
            raise OffsetError(
                f"UTF-16 offset {unit} does not fit the text (0..{self.utf16_length} units)"
            )
        if not self._astral:
            return unit
        # Non-BMP characters that start before ``unit``: each one counted one unit too many.
        before = bisect_left(self._astral_u16, unit)
        offset = unit - before
        if before == 0 or self._astral_u16[before - 1] + 1 != unit:
            return offset
        if inside is Inside.REFUSE:
            ch = self._text[offset]
            raise OffsetError(
                f"UTF-16 offset {unit} falls inside {_what(ch)} «{ch}» (U+{ord(ch):04X}, two"
                f" UTF-16 units from {unit - 1}): an offset must not split a surrogate pair"
            )
        return offset + 1 if inside is Inside.END else offset

    def range_to_utf16(self, start: int, end: int) -> tuple[int, int]:
        """Return the UTF-16 offsets of the code-point range ``[start, end)``."""
        return self.to_utf16(start), self.to_utf16(end)

    def range_to_code_points(self, start: int, end: int) -> tuple[int, int]:
        """Return the code-point range covering UTF-16 ``[start, end)``, widened over split pairs."""
        low, high = min(start, end), max(start, end)
        return self.to_code_point(low, Inside.START), self.to_code_point(high, Inside.END)


def _what(ch: str) -> str:
    # "an emoji" is what a user sees; other non-BMP characters are rarer (𝐀, CJK extensions).
    if char_class(ch) in (PICTOGRAPHIC, REGIONAL) or 0x1F3FB <= ord(ch) <= 0x1F3FF:
        return "an emoji"
    return "a character"
