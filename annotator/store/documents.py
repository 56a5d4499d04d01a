"""Reading a project's documents: by id, in project order, a page of the document list.

The read half of :class:`annotator.store.Project`'s documents (``project.py`` opens the project
and writes; ``importing.py`` brings documents in). A walk over every document goes through
:func:`annotator.store.reading.stream`, a server-side cursor on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from annotator.errors import NotFoundError
from annotator.model.document import Document
from annotator.store import values
from annotator.store.reading import stream

NO_LIMIT = 2**62  # LIMIT for "all rows" that both SQLite and PostgreSQL take (-1 is SQLite's own)


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """What the document list shows: no article text, so a page of rows is cheap."""

    id: str
    title: str
    status: str
    span_count: int


def _document(row: Mapping[str, Any], path: Path) -> Document:
    return values.document(path, [row[k] for k in values.DOCUMENT_COLUMNS])


class DocumentsMixin:
    """Reading documents; mixed into :class:`~annotator.store.Project`."""

    db: Database
    path: Path

    def document_for_hash(self, digest: str) -> str | None:
        """Return the id of the document whose text has content hash ``digest``, or None."""
        row = self.db.execute(
            "SELECT id FROM documents WHERE content_hash = ?", [digest]
        ).fetchone()
        return None if row is None else values.text(self.path, "documents", "", "id", row[0])

    def content_hash_of(self, doc_id: str) -> str | None:
        """Return the content hash of document ``doc_id``'s text, or None if there is none."""
        row = self.db.execute(
            "SELECT content_hash FROM documents WHERE id = ?", [doc_id]
        ).fetchone()
        if row is None:
            return None
        where = f"document {values.quoted(doc_id)}"
        return values.text(self.path, "documents", where, "content_hash", row[0])

    def annotation_ids(self, doc_id: str) -> tuple[set[str], set[str]]:
        """Return the ids of a document's spans and of its relations, every annotator's."""
        spans = {r[0] for r in self.db.execute("SELECT id FROM spans WHERE doc_id = ?", [doc_id])}
        relations = {
            r[0] for r in self.db.execute("SELECT id FROM relations WHERE doc_id = ?", [doc_id])
        }
        return spans, relations

    def annotation_counts(self) -> dict[str, int]:
        """Return how many spans and relations each document holds (documents with none left out)."""
        rows = self.db.execute(
            "SELECT doc_id, COUNT(*) FROM (SELECT doc_id FROM spans UNION ALL"
            " SELECT doc_id FROM relations) AS annotations GROUP BY doc_id"
        ).fetchall()
        return {r[0]: int(r[1]) for r in rows}

    def document(self, doc_id: str) -> Document:
        """Return one document with its stored text."""
        with values.decoding(self.path, "documents"):
            rows = list(self.db.query("SELECT * FROM documents WHERE id = ?", [doc_id]))
        if not rows:
            raise NotFoundError(f"no document {doc_id!r} in the project", path=self.path)
        return _document(rows[0], self.path)

    def documents(self, ids: Iterable[str] | None = None) -> Iterator[Document]:
        """Yield documents in project order, one at a time (memory stays flat)."""
        if ids is not None:
            for doc_id in ids:
                yield self.document(doc_id)
            return
        # Plain tuples rather than a dict per row, a page at a time: an export walks every
        # document, and on a server a plain cursor would hold every text at once.
        rows = stream(
            self.db,
            "SELECT id, title, text, meta, content_hash, status FROM documents ORDER BY position",
        )
        with values.decoding(self.path, "documents"):
            for row in rows:
                yield values.document(self.path, row)

    def document_ids(self, offset: int = 0, limit: int | None = None) -> list[str]:
        """Return the document ids in project order: all, or ``limit`` from index ``offset``."""
        rows = self.db.execute(
            "SELECT id FROM documents ORDER BY position LIMIT ? OFFSET ?",
            [NO_LIMIT if limit is None else limit, offset],
        )
        return values.texts(self.path, "documents", "id", [r[0] for r in rows])

    def document_count(self, contains: str = "") -> int:
        """Return how many documents there are (whose title contains ``contains``)."""
        where, params = _title_filter(contains)
        return int(self.db.execute(f"SELECT COUNT(*) FROM documents {where}", params).fetchone()[0])

    def document_rows(
        self, offset: int = 0, limit: int = 200, contains: str = ""
    ) -> list[DocumentRow]:
        """Return one page of the document list: id, title, status and annotation count."""
        where, params = _title_filter(contains)
        with values.decoding(self.path, "documents"):
            rows = [
                values.document_row(self.path, row)
                for row in self.db.execute(
                    f"SELECT id, title, status FROM documents {where} ORDER BY position"
                    " LIMIT ? OFFSET ?",
                    [*params, limit, offset],
                )
            ]
        counts: dict[str, int] = {}
        if rows:
            marks = ",".join("?" * len(rows))
            counts = dict(
                self.db.execute(
                    f"SELECT doc_id, COUNT(*) FROM spans WHERE doc_id IN ({marks}) GROUP BY doc_id",
                    [r[0] for r in rows],
                ).fetchall()
            )
        return [DocumentRow(r[0], r[1], r[2], counts.get(r[0], 0)) for r in rows]


def _title_filter(contains: str) -> tuple[str, list[str]]:
    if not contains:
        return "", []
    escaped = contains.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return "WHERE title LIKE ? ESCAPE '\\'", [f"%{escaped}%"]
