"""Arabic text for terminals that do no shaping or bidi: the one place for reshaping.

arabic-reshaper and python-bidi turn logical text into visual order with presentation forms.
That is right only for a terminal screen; files, pipes, the store and exports get logical text.
"""

from __future__ import annotations

import os
from typing import TextIO

import arabic_reshaper
from bidi import get_display

BIDI_MODES = ("auto", "on", "off")


def terminal_does_bidi() -> bool:
    """Return True for terminals known to shape and reorder Arabic themselves."""
    if os.environ.get("KONSOLE_VERSION") or os.environ.get("MLTERM"):
        return True
    vte = os.environ.get("VTE_VERSION", "")
    return vte.isdigit() and int(vte) >= 7600


def wants_visual(mode: str, stream: TextIO) -> bool:
    """Decide whether to reshape for ``stream``: never for files or pipes."""
    if mode == "off" or not stream.isatty():
        return False
    return mode == "on" or not terminal_does_bidi()


def visual(text: str) -> str:
    """Return ``text`` reshaped and in visual order, line by line, for a non-bidi terminal."""
    return "\n".join(get_display(arabic_reshaper.reshape(line)) for line in text.split("\n"))


class Display:
    """Formats text for one output stream according to a ``--bidi`` mode."""

    def __init__(self, mode: str, stream: TextIO) -> None:
        self.enabled = wants_visual(mode, stream)

    def __call__(self, text: str) -> str:
        """Return ``text`` as it should be written to the stream."""
        return visual(text) if self.enabled else text
