"""Model values: documents, spans and relations. Offsets are code points, end exclusive."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from annotator.errors import OffsetError, OwnershipError

DOCUMENT_STATUSES = ("not_started", "in_progress", "done")
REVIEW_STATUSES = ("pending", "accepted", "rejected")
# The adjudicated layer is stored as spans and relations of this pseudo-annotator.
GOLD_ANNOTATOR = "gold"


@dataclass(frozen=True, slots=True)
class Document:
    """An article: the stored text is the truth every offset points into."""

    id: str
    title: str
    text: str
    meta: Mapping[str, Any] = field(default_factory=dict)
    content_hash: str = ""
    status: str = "not_started"


@dataclass(frozen=True, slots=True)
class Span:
    """A labeled range ``[start, end)`` of a document's stored text."""

    id: str
    doc_id: str
    start: int
    end: int
    label: str
    annotator: str = ""
    attrs: Mapping[str, str] = field(default_factory=dict)
    status: str = "pending"
    created: str = ""
    updated: str = ""

    def text_in(self, text: str) -> str:
        """Return the span's text, sliced from the document's stored text."""
        return text[self.start : self.end]

    def overlaps(self, other: Span) -> bool:
        """Return True when the two spans share at least one character."""
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed, directed link from a head span to a tail span in the same document."""

    id: str
    doc_id: str
    type: str
    head: str
    tail: str
    annotator: str = ""
    status: str = "pending"
    created: str = ""
    updated: str = ""


def check_offsets(text_length: int, start: object, end: object) -> None:
    """Raise OffsetError unless ``0 <= start < end <= text_length`` with integer offsets."""
    if type(start) is not int or type(end) is not int:
        raise OffsetError(
            f"offsets must be whole numbers, got start={_shown(start)} end={_shown(end)}"
        )
    if not 0 <= start < end <= text_length:
        raise OffsetError(
            f"span [{start}, {end}) does not fit the text: need 0 <= start < end <= {text_length}"
        )


def _shown(value: object) -> str:
    # An offset comes from a file: quote a number or a short string, name anything else (a
    # list nested a thousand deep has no repr, and a megabyte string does not fit a message).
    if isinstance(value, int | float) or value is None:
        return repr(value)
    if isinstance(value, str):
        return repr(value[:20]) + ("…" if len(value) > 20 else "")
    return f"<{type(value).__name__}>"


def check_owner(user: str, owner: str, what: str, *, reviewing: bool = False) -> None:
    """Raise OwnershipError unless ``user`` may write an annotation of ``owner``'s layer.

    Each annotator writes only their own layer. The gold layer is written only by review, on
    behalf of the reviewer (``reviewing``), never by hand, whatever the user is called.
    ``what`` names the annotation in the message ("the PER annotation 's1'").
    """
    if owner == GOLD_ANNOTATOR:
        if not reviewing:
            raise OwnershipError(
                f"{what} is in the gold layer, which only review writes (accept, reject or edit"
                f" a case); {user} cannot change it by hand",
                owner=owner,
            )
    elif owner != user:
        raise OwnershipError(
            f"{what} belongs to {owner}; {user} can change only their own annotations",
            owner=owner,
        )


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """A document to import, with annotations whose ids are local to it."""

    text: str
    id: str | None = None
    title: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)
    spans: tuple[Span, ...] = ()
    relations: tuple[Relation, ...] = ()
    source: str = ""
    line: int | None = None


def guess_title(text: str, limit: int = 200) -> str:
    """Return the first non-empty line that is not repeated in the page (mastheads, captions)."""
    lines = [line.strip() for line in text.split("\n")]
    counts: dict[str, int] = {}
    for line in lines:
        if line:
            counts[line] = counts.get(line, 0) + 1
    for line in lines:
        if line and counts[line] == 1:
            return line[:limit]
    return next((line[:limit] for line in lines if line), "")
