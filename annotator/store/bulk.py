"""Many spans of many documents in one transaction: annotate all across the project and its undo.

:meth:`BulkSpansMixin.add_spans` and :meth:`BulkSpansMixin.delete_spans` do what ``add_span``,
``restore_span`` and ``delete_span`` do for one span, for thousands at once: each document's
text is read once, the rows are written with one statement per batch, and the whole of it is
one transaction, all or none. The same rules hold: only the project annotator's own layer
(gold only in review), every span checked against its document's text (offsets, alignment,
the schema's line-break rule), and a delete refused when a span changed since it was shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from pathlib import Path

from sqlite_utils import Database

from annotator.errors import NotFoundError, StaleEditError
from annotator.model.document import Relation, Span
from annotator.store import values
from annotator.store.annotations import _content, new_id, now

CHUNK = 500  # documents per IN list: well under SQLite's variable limit


class BulkSpansMixin:
    """Adding and deleting spans of several documents; mixed into :class:`~annotator.store.Project`."""

    db: Database
    path: Path
    annotator: str

    def write(self) -> AbstractContextManager[Database]:
        """Return a context manager running its block as one transaction."""
        raise NotImplementedError

    def _check_span_owner(self, span: Span) -> None:
        raise NotImplementedError

    def _check_relation_owner(self, relation: Relation) -> None:
        raise NotImplementedError

    def _insert_annotations(
        self,
        text: str,
        spans: list[Span],
        relations: list[Relation],
        *,
        doc_id: str | None = None,
    ) -> list[Span]:
        raise NotImplementedError

    def annotations_by_document(
        self,
        doc_ids: list[str],
        annotators: Iterable[str] | None = None,
        *,
        relations: bool = True,
        labels: Iterable[str] | None = None,
    ) -> dict[str, tuple[list[Span], list[Relation]]]:
        """Return spans and relations of several documents."""
        raise NotImplementedError

    def add_spans(self, spans: Sequence[Span]) -> list[Span]:
        """Store spans of any documents in one transaction, all or none; return them as stored.

        A span without an id gets a new one, one without an annotator the project's, one
        without times now; a span given with its id and times (what an undo took, put back by
        redo) is stored as it was. Documents not started
        are then in progress, as after :meth:`add_span`.
        """
        stamp = now()
        stored = [
            replace(
                s,
                id=s.id or new_id("s"),
                annotator=s.annotator or self.annotator,
                created=s.created or stamp,
                updated=s.updated or stamp,
            )
            for s in spans
        ]
        for span in stored:
            self._check_span_owner(span)
        with self.write():
            groups = _by_document(stored)
            for chunk in _chunks(list(groups)):
                texts = self._texts(chunk)
                for doc_id in chunk:
                    self._insert_annotations(texts[doc_id], groups[doc_id], [])
                marks = ",".join("?" * len(chunk))
                self.db.execute(
                    "UPDATE documents SET status = 'in_progress'"
                    f" WHERE status = 'not_started' AND id IN ({marks})",
                    chunk,
                )
        return stored

    def delete_spans(self, spans: Sequence[Span]) -> list[Relation]:
        """Delete spans of any documents as they were shown, in one transaction; return the
        links that went with them.

        Refused with StaleEditError, nothing deleted, when one of them changed or vanished
        since it was shown (another window or program).
        """
        for span in spans:
            self._check_span_owner(span)
        gone: list[Relation] = []
        with self.write():
            groups = _by_document(list(spans))
            for chunk in _chunks(list(groups)):
                layers = sorted({s.annotator for doc_id in chunk for s in groups[doc_id]})
                stored = self.annotations_by_document(chunk, layers)
                for doc_id in chunk:
                    gone += self._check_unchanged(groups[doc_id], *stored[doc_id])
            for relation in gone:
                self._check_relation_owner(relation)
            # The relations go with their spans (ON DELETE CASCADE), as in delete_span.
            self.db.conn.executemany(
                "DELETE FROM spans WHERE doc_id = ? AND id = ?", [(s.doc_id, s.id) for s in spans]
            )
        return gone

    def _check_unchanged(
        self, shown: list[Span], stored: list[Span], relations: list[Relation]
    ) -> list[Relation]:
        """Raise StaleEditError unless every span is stored as shown; return their links."""
        by_id = {s.id: s for s in stored}
        for span in shown:
            current = by_id.get(span.id)
            if current is None or _content(current) != _content(span):
                what = "deleted" if current is None else "changed"
                raise StaleEditError(
                    f"{span.label} annotation {span.id!r} of document {span.doc_id!r} was {what}"
                    " since it was shown (another window or program); nothing was changed",
                    path=self.path,
                )
        ids = {s.id for s in shown}
        return [r for r in relations if r.head in ids or r.tail in ids]

    def _texts(self, doc_ids: list[str]) -> dict[str, str]:
        """Return the stored text of each of ``doc_ids`` (NotFoundError for one that is not)."""
        marks = ",".join("?" * len(doc_ids))
        with values.decoding(self.path, "documents"):
            rows = self.db.execute(
                f"SELECT id, text FROM documents WHERE id IN ({marks})", doc_ids
            ).fetchall()
        texts = {}
        for doc_id, text in rows:
            texts[doc_id] = values.text(
                self.path, "documents", f"document {values.quoted(doc_id)}", "text", text
            )
        missing = [d for d in doc_ids if d not in texts]
        if missing:
            raise NotFoundError(f"no document {missing[0]!r} in the project", path=self.path)
        return texts


def _by_document(spans: list[Span]) -> dict[str, list[Span]]:
    groups: dict[str, list[Span]] = {}
    for span in spans:
        groups.setdefault(span.doc_id, []).append(span)
    return groups


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for k in range(0, len(items), CHUNK):
        yield items[k : k + CHUNK]
