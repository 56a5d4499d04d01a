"""Text for terminal screens: neutralised controls, and Arabic reshaped where nothing shapes.

Whatever a project holds reaches a terminal only through :class:`Display` (or :func:`safe_line`
for messages), which shows every control character as an escape, so a stored ESC sequence
cannot clear the screen, set the window title or write the clipboard (OSC 52), and a bidi
override cannot reorder the rest of the line. Escapes are written as Python writes them: C0
and C1 controls and DEL as ``\\x1b``, bidi embeddings, overrides and isolates (U+202A-U+202E,
U+2066-U+2069) and lone surrogates as ``\\u202e``.

arabic-reshaper and python-bidi turn logical text into visual order with presentation forms.
That is right only for a terminal screen; files, pipes, the store and exports get logical text,
exactly as stored.
"""

from __future__ import annotations

import os
from typing import TextIO

import arabic_reshaper
from bidi import get_display

BIDI_MODES = ("auto", "on", "off")

# Explicit bidi formatting: embeddings and overrides (LRE RLE PDF LRO RLO) and isolates
# (LRI RLI FSI PDI). Marks (LRM, RLM, ALM) open nothing and stay: Arabic text uses them.
BIDI_CONTROLS = frozenset(range(0x202A, 0x202F)) | frozenset(range(0x2066, 0x206A))
CONTROLS = frozenset(range(0x20)) | {0x7F} | frozenset(range(0x80, 0xA0))
SURROGATES = frozenset(range(0xD800, 0xE000))  # lone ones cannot even be encoded


def _escape(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_ESCAPES = {code: _escape(code) for code in CONTROLS | BIDI_CONTROLS | SURROGATES}
# Article text keeps its line breaks and tabs; a one-line field (a title, an id) shows them.
_BODY_ESCAPES = {code: text for code, text in _ESCAPES.items() if code not in (0x09, 0x0A)}
# json.dumps escapes C0 inside strings but leaves C1 and bidi controls raw: JSON's own escape
# keeps the document valid and the value the same. The line feeds are the indentation's.
_JSON_ESCAPES = {code: f"\\u{code:04x}" for code in _ESCAPES if code != 0x0A}


def neutralise(text: str, *, lines: bool = False) -> str:
    """Return ``text`` with control and bidi formatting characters shown as escapes.

    ``lines`` keeps line feeds and tabs (an article's text); otherwise they are escaped too,
    so a one-line field stays one line.
    """
    return text.translate(_BODY_ESCAPES if lines else _ESCAPES)


def safe_line(text: str) -> str:
    """Return a message as one line with nothing a terminal would act on (``error:`` lines)."""
    return neutralise(text)


def is_terminal(stream: TextIO) -> bool:
    """Return True when ``stream`` is a terminal (files, pipes and test captures are not)."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty is not None and isatty())


def terminal_does_bidi() -> bool:
    """Return True for terminals known to shape and reorder Arabic themselves."""
    if os.environ.get("KONSOLE_VERSION") or os.environ.get("MLTERM"):
        return True
    vte = os.environ.get("VTE_VERSION", "")
    return vte.isdigit() and int(vte) >= 7600


def wants_visual(mode: str, stream: TextIO) -> bool:
    """Decide whether to reshape for ``stream``: never for files or pipes."""
    if mode == "off" or not is_terminal(stream):
        return False
    return mode == "on" or not terminal_does_bidi()


def visual(text: str) -> str:
    """Return ``text`` reshaped and in visual order, line by line, for a non-bidi terminal."""
    return "\n".join(get_display(arabic_reshaper.reshape(line)) for line in text.split("\n"))


class Display:
    """Formats text for one output stream according to a ``--bidi`` mode.

    On a terminal, text is neutralised (:func:`neutralise`) and then reshaped when the mode
    and the terminal ask for it; to a file or a pipe it is returned unchanged.
    """

    def __init__(self, mode: str, stream: TextIO) -> None:
        self.terminal = is_terminal(stream)
        self.enabled = wants_visual(mode, stream)

    def __call__(self, text: str) -> str:
        """Return multi-line ``text`` (an article) as it should be written to the stream."""
        return self._format(text, lines=True)

    def field(self, text: str) -> str:
        """Return a one-line value (title, id, name) as it should be written to the stream."""
        return self._format(text, lines=False)

    def json(self, text: str) -> str:
        """Return JSON text (``json.dumps`` output) with raw controls in its strings escaped."""
        return text.translate(_JSON_ESCAPES) if self.terminal else text

    def _format(self, text: str, *, lines: bool) -> str:
        if not self.terminal:
            return text
        safe = neutralise(text, lines=lines)
        return visual(safe) if self.enabled else safe
