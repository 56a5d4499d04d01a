"""Named exceptions of the annotator.

Every error a user can cause is one of these. The CLI prints ``str(error)`` as one line and exits
non-zero; the window shows it in a dialog. ``str`` names the file (and line) when there is one.
"""

from __future__ import annotations

from pathlib import Path


class AnnotatorError(Exception):
    """Base of every error the annotator reports to a user."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        return where + self.message


class InputError(AnnotatorError):
    """An input file (text, JSONL, CoNLL, ...) cannot be read or is invalid."""

    exit_code = 2


class DecodeError(InputError):
    """A text file is not valid in the expected encoding."""


class ValidationError(AnnotatorError):
    """An edit breaks a rule: offsets out of range, unknown label, forbidden relation."""


class OffsetError(ValidationError):
    """Span offsets do not fit the document text."""


class AlignmentError(OffsetError):
    """A span edge falls inside a character cluster: between a letter and its marks (tashkeel),
    inside an emoji sequence or a surrogate pair. ``offset`` is the edge, ``cluster`` the
    ``(start, end)`` of the cluster it cuts."""

    def __init__(
        self,
        message: str,
        *,
        offset: int = -1,
        cluster: tuple[int, int] = (-1, -1),
        path: str | Path | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message, path=path, line=line)
        self.offset = offset
        self.cluster = cluster


class SchemaError(ValidationError):
    """A label, attribute or relation is not allowed by the project's schema."""


class NotFoundError(AnnotatorError):
    """A document, span or relation id does not exist in the project."""


class DuplicateError(ValidationError):
    """An id or a document text already exists where it must be unique."""


class ProjectError(AnnotatorError):
    """The project file cannot be opened: not a project, newer version, damaged, read-only."""

    exit_code = 3


class ProjectBusyError(ProjectError):
    """Another process holds a write lock on the project longer than the busy timeout."""


class StorageError(ProjectError):
    """Reading or writing the project file failed below SQL: a damaged page, a header that is
    no longer a database's, a disk or network-drive error, a full disk."""


class StoredValueError(ProjectError):
    """A value read from a project file is not one the annotator writes there: text that is not
    JSON, a BLOB where text belongs, an offset that is not a whole number, an unknown status.

    ``table`` and ``row`` say where it is; ``str`` names the file, the table, the row and what
    is wrong."""

    def __init__(
        self, message: str, *, table: str = "", row: str = "", path: str | Path | None = None
    ) -> None:
        super().__init__(message, path=path)
        self.table = table
        self.row = row


class Cancelled(AnnotatorError):
    """A long operation was cancelled by the user; nothing was changed."""


class OwnershipError(ValidationError):
    """An edit writes another annotator's layer, or the gold layer outside review.

    ``owner`` is whose annotation it is (``"gold"`` for the adjudicated layer).
    """

    def __init__(
        self,
        message: str,
        *,
        owner: str = "",
        path: str | Path | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message, path=path, line=line)
        self.owner = owner


class StaleEditError(ValidationError):
    """An edit or undo targets an annotation that changed or vanished since it was shown."""


class RecommenderError(AnnotatorError):
    """A recommender failed while learning or proposing: a bug in its model or its code.

    ``str`` names the project, the recommender, the document it failed on, what it raised and
    which suggestions were stored before it failed.
    """
