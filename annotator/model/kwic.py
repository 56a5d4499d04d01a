"""Keyword in context: a hit with whole words of the text on either side, for one display line.

The three parts are logical (reading) order: ``before`` is the text that precedes the hit, so in
a right-to-left line it stands to the hit's right. Line breaks and runs of white space become
one space (a display line); the hit itself is the stored text, sliced, unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.model.graphemes import cluster_end, cluster_start

WIDTH = 40  # characters of context on each side, about; whole words only


@dataclass(frozen=True, slots=True)
class Kwic:
    """A hit and its context: ``before + hit + after`` is the line shown."""

    before: str
    hit: str
    after: str

    @property
    def line(self) -> str:
        """Return the whole line, in reading order."""
        return self.before + self.hit + self.after


def kwic(text: str, start: int, end: int, width: int = WIDTH) -> Kwic:
    """Return ``text[start:end]`` with about ``width`` characters of whole words on each side.

    A word cut by the window is left out, unless it is the word the hit is part of (a hit
    inside a longer word shows that word whole: بالحوار for الحوار).
    """
    low = cluster_start(text, max(0, start - width))
    high = cluster_end(text, min(len(text), end + width))
    before, after = text[low:start], text[end:high]
    if low > 0 and not text[low - 1].isspace():
        before = _drop_first_word(before)
    if high < len(text) and not text[high].isspace():
        after = _drop_last_word(after)
    return Kwic(_one_line(before, keep_end=True), text[start:end], _one_line(after, keep_end=False))


def _drop_first_word(before: str) -> str:
    """Drop the piece of a word the window cut at the start, if a space ends it."""
    for k, ch in enumerate(before):
        if ch.isspace():
            return before[k:]
    return before  # no space: the hit's own word, kept whole


def _drop_last_word(after: str) -> str:
    """Drop the piece of a word the window cut at the end, if a space comes before it."""
    for k in range(len(after) - 1, -1, -1):
        if after[k].isspace():
            return after[: k + 1]
    return after


def _one_line(part: str, *, keep_end: bool) -> str:
    """Turn every run of white space (line breaks too) into one space; trim the outer side."""
    joined = " ".join(part.split())
    if not joined:
        return " " if part else ""
    lead = " " if part[:1].isspace() else ""
    tail = " " if part[-1:].isspace() else ""
    # The side next to the hit keeps its space; the outer side is the line's edge.
    return (joined + tail) if keep_end else (lead + joined)
