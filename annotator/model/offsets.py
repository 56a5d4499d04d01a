"""The one entry point from a character range to a span's offsets, with an explicit policy.

As spaCy's ``Doc.char_span(start, end, alignment_mode=...)``: the caller says what to do with
an edge that falls inside a grapheme cluster (a letter and its tashkeel, an emoji sequence, a
flag), and nothing is ever shifted silently.

- ``Alignment.STRICT``: refuse. :func:`char_span` returns None; :func:`check_aligned` raises
  AlignmentError naming the offset and the cluster. The store, importers and the review editor
  use it: offsets someone typed or a file holds are kept or refused, never moved.
- ``Alignment.CLUSTERS``: widen each edge to the cluster around it. The window's character
  precision selection uses it.
- ``Alignment.WORDS``: widen to whole words and drop spaces and punctuation around them (then
  to clusters, so an emoji with a variation selector stays whole). The window's default
  selection uses it.

Offsets are code points (Python ``str`` indices), end exclusive.
"""

from __future__ import annotations

import unicodedata
from enum import Enum

from annotator.errors import AlignmentError, OffsetError
from annotator.model.graphemes import cluster_at, is_boundary
from annotator.model.text import snap_to_clusters, snap_to_words

MAX_NAMED = 8  # code points named in an error message; a family emoji has seven


class Alignment(Enum):
    """What :func:`char_span` does with an edge inside a grapheme cluster."""

    STRICT = "strict"
    CLUSTERS = "clusters"
    WORDS = "words"


def char_span(
    text: str, start: int, end: int, alignment: Alignment | str = Alignment.STRICT
) -> tuple[int, int] | None:
    """Return ``[start, end)`` aligned by ``alignment``, or None when refused or left empty.

    Raises OffsetError when the range is not ``0 <= start <= end <= len(text)``.
    """
    policy = Alignment(alignment)
    if type(start) is not int or type(end) is not int or not 0 <= start <= end <= len(text):
        raise OffsetError(f"range [{start!r}, {end!r}) does not fit the text (0..{len(text)})")
    if policy is Alignment.WORDS:
        words = snap_to_words(text, start, end)
        return None if words is None else snap_to_clusters(text, *words)
    if policy is Alignment.CLUSTERS:
        start, end = snap_to_clusters(text, start, end)
    elif not (is_boundary(text, start) and is_boundary(text, end)):
        return None
    return (start, end) if start < end else None


def is_aligned(text: str, start: int, end: int) -> bool:
    """Return True when neither edge of ``[start, end)`` falls inside a grapheme cluster."""
    return is_boundary(text, start) and is_boundary(text, end)


def check_aligned(text: str, start: int, end: int) -> None:
    """Raise AlignmentError, naming the offset and the cluster, unless both edges are aligned."""
    if is_boundary(text, start) and is_boundary(text, end):
        return
    error = misalignment(text, start, end)
    if error is not None:
        raise error


def misalignment(text: str, start: int, end: int) -> AlignmentError | None:
    """Return the AlignmentError ``[start, end)`` would raise (the first edge inside a cluster)."""
    for pos in (start, end):
        if not is_boundary(text, pos):
            first, stop = cluster_at(text, pos)
            cluster = text[first:stop]
            return AlignmentError(
                f"span [{start}, {end}): offset {pos} falls inside «{cluster}» [{first}, {stop})"
                f" ({describe(cluster)}); a span edge must not separate a letter from its marks"
                " (tashkeel) or split an emoji",
                offset=pos,
                cluster=(first, stop),
            )
    return None


def describe(chars: str) -> str:
    """Name each code point of ``chars``: marks and joiners are invisible in a message."""
    names = [f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')}" for ch in chars[:MAX_NAMED]]
    if len(chars) > MAX_NAMED:
        names.append(f"and {len(chars) - MAX_NAMED} more")
    return " + ".join(names)
