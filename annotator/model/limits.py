"""Every size limit of the annotator, in one place, with the checks that enforce them.

Each path that brings data in (import, merge, the Python API, the window) calls these checks
through one function, :func:`annotator.store.importing.import_documents`, or the reader of its
format, so a document that one path refuses is refused by all. A check raises ValidationError;
the caller adds the file and line.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from annotator.errors import ValidationError

# A news article is 2,000-50,000 characters. A far longer "document" is a wrong file or a
# whole corpus in one line, and one text block that size would freeze the annotation view.
MAX_DOCUMENT_CHARS = 2_000_000
# The view draws every span of the shown layer; 5,000 keep it fluid (bench/bench_view.py).
# A hundred thousand is far beyond any article and still opens, slowly.
MAX_SPANS_PER_DOCUMENT = 100_000
MAX_RELATIONS_PER_DOCUMENT = 100_000
# One line of a JSON Lines input holds one document: its text (at most 4 bytes a character,
# 6 when escaped), its spans and relations. A longer line is not a document; reading it whole
# would only fill the memory.
MAX_LINE_BYTES = 64 * 1024 * 1024
# Nesting of JSON from a file (meta, attributes, a Label Studio task). Real files nest a few
# levels; recursive code over a deeper value can exhaust Python's stack.
MAX_JSON_DEPTH = 64


def check_document_length(
    length: int, what: str = "a document", advice: str = "split the file into articles"
) -> None:
    """Raise ValidationError when a text of ``length`` characters is too long for one article."""
    if length > MAX_DOCUMENT_CHARS:
        raise ValidationError(
            f"{what} of {length:,} characters is too long for one article"
            f" (the limit is {MAX_DOCUMENT_CHARS:,}); {advice}"
        )


def check_annotation_counts(spans: int, relations: int, what: str = "a document") -> None:
    """Raise ValidationError when one document would hold too many spans or relations."""
    if spans > MAX_SPANS_PER_DOCUMENT:
        raise ValidationError(
            f"{what} would hold {spans:,} spans (the limit is {MAX_SPANS_PER_DOCUMENT:,})"
        )
    if relations > MAX_RELATIONS_PER_DOCUMENT:
        raise ValidationError(
            f"{what} would hold {relations:,} relations"
            f" (the limit is {MAX_RELATIONS_PER_DOCUMENT:,})"
        )


def json_depth(value: Any) -> int:
    """Return how deeply ``value`` nests lists and dicts (a scalar is 0), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        children: Iterable[Any]
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list | tuple):
            children = item
        else:
            continue
        depth += 1
        deepest = max(deepest, depth)
        if depth > MAX_JSON_DEPTH:
            return depth  # deep enough to refuse: no need to walk the rest
        stack.extend((child, depth) for child in children)
    return deepest


def check_json_depth(value: Any, what: str) -> None:
    """Raise ValidationError when ``value`` nests deeper than MAX_JSON_DEPTH."""
    if json_depth(value) > MAX_JSON_DEPTH:
        raise ValidationError(f"{what} nests deeper than {MAX_JSON_DEPTH} levels")
