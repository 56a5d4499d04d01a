"""Code-point offsets (stored text) <-> Qt positions: a thin name over the model's conversion.

The one code point <-> UTF-16 conversion lives in :mod:`annotator.model.utf16`; a Qt position is
a UTF-16 offset. ``QTextDocument`` counts every character outside the Basic Multilingual Plane
(emoji) as two positions, everything else as one, including ``\\n``: ``setPlainText`` turns it
into one block separator, which is one position (checked in tests/gui/test_offsets.py). A Qt
position inside a surrogate pair is rounded (``Rounding.START`` or ``END``), never refused: the
window widens a selection over the character instead of splitting it.
"""

from __future__ import annotations

from annotator.model.utf16 import Inside, Utf16Map

Rounding = Inside  # START or END: where a Qt position inside a surrogate pair goes


class OffsetMap(Utf16Map):
    """Converts between code-point offsets and Qt (UTF-16) positions for one document text."""

    __slots__ = ()

    @property
    def qt_length(self) -> int:
        """Return the text's length in Qt positions."""
        return self.utf16_length

    def to_qt(self, offset: int) -> int:
        """Return the Qt position of code-point ``offset`` (0..len(text) inclusive)."""
        return self.to_utf16(offset)

    def to_code_point(self, position: int, rounding: Inside = Rounding.START) -> int:
        """Return the code-point offset of Qt ``position``; inside a surrogate pair, round it."""
        return super().to_code_point(position, rounding)

    def range_to_qt(self, start: int, end: int) -> tuple[int, int]:
        """Return the Qt positions of the code-point range ``[start, end)``."""
        return self.to_utf16(start), self.to_utf16(end)
