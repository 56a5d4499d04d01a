"""Reading a project's spans and relations: one document's, one by id, or batched for export.

The read half of :class:`annotator.store.Project`'s annotations (``annotations.py`` writes).
Rows are read as plain tuples where many are read (a document with thousands of spans, an
export of an archive).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from annotator.errors import NotFoundError
from annotator.model.document import Relation, Span
from annotator.store import values
from annotator.store.values import RELATION_COLUMNS, SPAN_COLUMNS


def _span(row: Mapping[str, Any], path: Path) -> Span:
    return values.span(path, [row[k] for k in SPAN_COLUMNS])


def _relation(row: Mapping[str, Any], path: Path) -> Relation:
    return values.relation(path, [row[k] for k in RELATION_COLUMNS])


# One ordering for one document's annotations and for the batched export queries.
SPAN_ORDER = 'start, "end" DESC, id'
RELATION_ORDER = "rowid"
# The tuples read in bulk come in the column orders the checks of store/values.py expect.
_SPAN_COLUMNS = ", ".join(f'"{c}"' for c in SPAN_COLUMNS)
_RELATION_COLUMNS = ", ".join(RELATION_COLUMNS)


def _span_order(span: Span) -> tuple[int, int, str]:
    return (span.start, -span.end, span.id)  # SPAN_ORDER


def _annotator_filter(annotators: Iterable[str] | None) -> tuple[str, list[str]]:
    if annotators is None:
        return "", []
    names = list(annotators)
    return f" AND annotator IN ({','.join('?' * len(names))})", names


class AnnotationQueries:
    """Queries over spans and relations; mixed into Project."""

    db: Database
    path: Path

    def span(self, doc_id: str, span_id: str) -> Span:
        """Return one span."""
        rows = list(
            self.db.query("SELECT * FROM spans WHERE doc_id = ? AND id = ?", [doc_id, span_id])
        )
        if not rows:
            raise NotFoundError(f"no span {span_id!r} in document {doc_id!r}", path=self.path)
        return _span(rows[0], self.path)

    def spans(self, doc_id: str, annotators: Iterable[str] | None = None) -> list[Span]:
        """Return a document's spans ordered by start (optionally of some annotators only)."""
        where, names = _annotator_filter(annotators)
        # The index gives the start order; the rest of SPAN_ORDER is sorted here, which costs
        # less than SQLite's temporary B-tree. Plain tuples and orjson, as the export reads
        # them: opening a document with thousands of annotations stays cheap.
        sql = f"SELECT {_SPAN_COLUMNS} FROM spans WHERE doc_id = ?{where} ORDER BY start"
        path = self.path
        with values.decoding(path, "spans"):
            found = [values.span(path, row) for row in self.db.execute(sql, [doc_id, *names])]
        found.sort(key=_span_order)
        return found

    def annotators(self) -> list[str]:
        """Return every annotator name that has spans or relations in the project."""
        rows = self.db.execute(
            "SELECT annotator FROM spans UNION SELECT annotator FROM relations ORDER BY 1"
        )
        return values.texts(self.path, "spans", "annotator", [r[0] for r in rows])

    # ---- relations -----------------------------------------------------------------------

    def relation(self, doc_id: str, relation_id: str) -> Relation:
        """Return one relation."""
        rows = list(
            self.db.query(
                "SELECT * FROM relations WHERE doc_id = ? AND id = ?", [doc_id, relation_id]
            )
        )
        if not rows:
            raise NotFoundError(f"no relation {relation_id!r} in document {doc_id!r}")
        return _relation(rows[0], self.path)

    def relations(self, doc_id: str, annotators: Iterable[str] | None = None) -> list[Relation]:
        """Return a document's relations (optionally of some annotators only)."""
        sql, params = "SELECT * FROM relations WHERE doc_id = ?", [doc_id]
        if annotators is not None:
            names = list(annotators)
            sql += f" AND annotator IN ({','.join('?' * len(names))})"
            params += names
        with values.decoding(self.path, "relations"):
            rows = list(self.db.query(f"{sql} ORDER BY {RELATION_ORDER}", params))
        return [_relation(row, self.path) for row in rows]

    def relations_of(self, doc_id: str, span_id: str) -> list[Relation]:
        """Return the relations whose head or tail is ``span_id``."""
        rows = self.db.query(
            "SELECT * FROM relations WHERE doc_id = ? AND head = ?"
            " UNION SELECT * FROM relations WHERE doc_id = ? AND tail = ?",
            [doc_id, span_id, doc_id, span_id],
        )
        return [_relation(row, self.path) for row in rows]

    def annotations_by_document(
        self,
        doc_ids: list[str],
        annotators: Iterable[str] | None = None,
        *,
        relations: bool = True,
        labels: Iterable[str] | None = None,
    ) -> dict[str, tuple[list[Span], list[Relation]]]:
        """Return spans and relations of several documents, as :meth:`spans` and :meth:`relations`.

        Two queries for the whole batch instead of two per document: the export's hot path.
        With ``relations=False`` the relation lists stay empty and are not read; with
        ``labels``, only spans with those labels are read.
        """
        found: dict[str, tuple[list[Span], list[Relation]]] = {d: ([], []) for d in doc_ids}
        if not doc_ids:
            return found
        names, name_params = _annotator_filter(annotators)
        where = f"doc_id IN ({','.join('?' * len(doc_ids))}){names}"
        params = [*doc_ids, *name_params]
        span_where, span_params = where, params
        if labels is not None:
            wanted = list(labels)
            span_where += f" AND label IN ({','.join('?' * len(wanted))})"
            span_params = [*params, *wanted]
        spans = self.db.execute(
            f"SELECT {_SPAN_COLUMNS} FROM spans WHERE {span_where} ORDER BY doc_id, {SPAN_ORDER}",
            span_params,
        )
        # Plain tuples in SPAN_COLUMNS order, checked by type: an export reads millions.
        path = self.path
        with values.decoding(path, "spans"):
            for row in spans:
                found[row[0]][0].append(values.span(path, row))
        if not relations:
            return found
        relation_rows = self.db.execute(
            f"SELECT {_RELATION_COLUMNS} FROM relations WHERE {where}"
            f" ORDER BY doc_id, {RELATION_ORDER}",
            params,
        )
        with values.decoding(path, "relations"):
            for row in relation_rows:
                found[row[0]][1].append(values.relation(path, row))
        return found

    def span_starts_by_document(self, doc_ids: list[str]) -> dict[str, tuple[int, ...]]:
        """Return where the spans of several documents start, of every annotator and label.

        Token exports split a proclitic off a word where any span starts after it, whatever
        they export. One row per document, from the covering index (doc_id, start): an export
        reads every span's start.
        """
        found: dict[str, tuple[int, ...]] = {d: () for d in doc_ids}
        if not doc_ids:
            return found
        with values.decoding(self.path, "spans"):
            rows = self.db.execute(
                "SELECT doc_id, group_concat(start) FROM spans"
                f" WHERE doc_id IN ({','.join('?' * len(doc_ids))}) GROUP BY doc_id",
                doc_ids,
            ).fetchall()
        for doc_id, starts in rows:
            try:
                found[doc_id] = tuple(map(int, starts.split(",")))
            except (AttributeError, ValueError):
                pieces = starts.split(",") if isinstance(starts, str) else [starts]
                bad = next((x for x in pieces if not x.isdigit()), starts)
                row = f"a span of document {values.quoted(doc_id)}"
                what = f"a start is {values.shown(bad)}, not a whole number"
                raise values.damaged(self.path, "spans", row, what) from None
        return found

    # ---- checks and bulk insert ----------------------------------------------------------

    def _label_of(self, doc_id: str, span_id: str) -> str:
        row = self.db.execute(
            "SELECT label FROM spans WHERE doc_id = ? AND id = ?", [doc_id, span_id]
        ).fetchone()
        if row is None:
            raise NotFoundError(f"a relation points to span {span_id!r}, which does not exist")
        return str(row[0])
