"""The document list as filtered: which documents match, a page of them, how many, the next one.

A :class:`DocumentFilter` combines its conditions with AND: a status in a set, spans by an
annotator, a span of a label (by that annotator when one is chosen), open review cases, a text,
assignment to a person.
:class:`DocumentListing` applies one filter to a project. The text is looked up once, in the articles by
corpus search (``Project.documents_matching``, compared as Find compares) and in the titles as
typed, and the matching ids are kept in a temporary table of the connection for the listing's
queries. Every query walks the documents in
project order on the ``documents_listing`` index (position, id, status) and looks spans up in
``spans_doc_label`` (doc_id, label, annotator), so a page, a neighbour or a slice of the count
reads no article text and costs the same in a project of 1,000 or 100,000 documents; only the
count of a whole filter grows with the project (:meth:`DocumentListing.count_between` counts it
a slice at a time).

Pages go by key, not by offset (``after`` a document), so page 500 costs what page 1 does.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from annotator.errors import ValidationError
from annotator.model.document import DOCUMENT_STATUSES, GOLD_ANNOTATOR
from annotator.store import values
from annotator.store.project import DocumentRow, Project

PAGE = 200
DONE = "done"
REVIEWED = "reviewed"  # annotator.store.reviews: every case of the document is decided
_FROM = "FROM documents AS d INDEXED BY documents_listing"
_KEY = "(SELECT position, id FROM documents WHERE id = ?)"
# The ids of the documents holding a listing's text, one set per listing (temp: never on disk,
# and writable on a read-only connection too).
_MATCHES = "temp.listing_matches"
_numbers = itertools.count(1)


@dataclass(frozen=True, slots=True)
class DocumentFilter:
    """Which documents the list shows; an empty field does not filter.

    ``statuses``: the document's status is one of them. ``annotator``: it holds spans by that
    annotator. ``label``: it holds a span with that label, by ``annotator`` when one is given.
    ``open_review``: it has review cases not decided yet. ``text``: the article contains it
    as Find compares (hamza forms, ة/ه, ى/ي, tashkeel and tatweel aside), or the title
    contains it as typed. ``assigned_to``: it is assigned to that person
    (:mod:`annotator.store.assignments`).
    """

    statuses: frozenset[str] = field(default_factory=frozenset)
    annotator: str = ""
    label: str = ""
    open_review: bool = False
    text: str = ""
    assigned_to: str = ""

    def __post_init__(self) -> None:
        unknown = sorted(set(self.statuses) - set(DOCUMENT_STATUSES))
        if unknown:
            raise ValidationError(
                f"no document status {unknown[0]!r}: use {', '.join(DOCUMENT_STATUSES)}"
            )

    @property
    def is_empty(self) -> bool:
        """Return True when the filter lets every document through."""
        return self == DocumentFilter()


@dataclass(frozen=True, slots=True)
class _Where:
    sql: str
    params: tuple[Any, ...]


class DocumentListing:
    """One filter applied to one project: pages, counts and neighbours in project order."""

    def __init__(self, project: Project, where: DocumentFilter | None = None) -> None:
        self.project = project
        self.filter = where or DocumentFilter()
        self._key: int | None = None
        if self.filter.text:
            self._key = next(_numbers)
            self._keep_matches(project.documents_matching(self.filter.text), self.filter.text)
        self._where = _conditions(self.filter, self._key)

    def _keep_matches(self, ids: list[str], title: str) -> None:
        db = self.project.db
        db.execute(
            f"CREATE TABLE IF NOT EXISTS {_MATCHES}"
            " (listing INTEGER, id TEXT, PRIMARY KEY (listing, id)) WITHOUT ROWID"
        )
        # One savepoint for the whole set: a commit per id would cost more than the search.
        db.execute("SAVEPOINT listing_matches")
        try:
            db.conn.executemany(
                f"INSERT OR IGNORE INTO {_MATCHES} VALUES (?, ?)", ((self._key, i) for i in ids)
            )
            # Titles as typed, in one pass of SQLite's over them (no article text is read):
            # comparing them as Find does would take Python five times as long.
            db.execute(
                f"INSERT OR IGNORE INTO {_MATCHES}"
                " SELECT ?, id FROM documents WHERE title LIKE ? ESCAPE '\\'",
                [self._key, f"%{_escaped(title)}%"],
            )
        finally:
            db.execute("RELEASE listing_matches")

    def close(self) -> None:
        """Forget the ids the text search found (the listing is replaced)."""
        if self._key is not None:
            self.project.db.execute(f"DELETE FROM {_MATCHES} WHERE listing = ?", [self._key])
            self._key = None

    # ---- pages ---------------------------------------------------------------------------

    def rows(self, after: str | None = None, limit: int = PAGE) -> list[DocumentRow]:
        """Return up to ``limit`` matching rows after document ``after`` (None: from the start)."""
        where, params = self._after(after, ">")
        sql = f"SELECT d.id, d.title, d.status {_FROM} {where} ORDER BY d.position, d.id LIMIT ?"
        path = self.project.path
        with values.decoding(path, "documents"):
            found = [
                values.document_row(path, row)
                for row in self.project.db.execute(sql, [*params, limit])
            ]
        counts = self._span_counts([r[0] for r in found])
        return [DocumentRow(i, title, status, counts.get(i, 0)) for i, title, status in found]

    def _span_counts(self, ids: list[str]) -> dict[str, int]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.project.db.execute(
            f"SELECT doc_id, COUNT(*) FROM spans WHERE doc_id IN ({marks}) GROUP BY doc_id", ids
        )
        return dict(rows.fetchall())

    # ---- neighbours ----------------------------------------------------------------------

    def first(self) -> str | None:
        """Return the first matching document, or None when none matches."""
        return self._one(self._after(None, ">"), "")

    def last(self) -> str | None:
        """Return the last matching document, or None when none matches."""
        return self._one(self._after(None, "<"), " DESC")

    def next(self, doc_id: str | None, *, not_done: bool = False) -> str | None:
        """Return the first matching document after ``doc_id`` (not done, if asked), or None.

        ``doc_id`` need not match the filter itself: the list may have been filtered since it
        was opened. None as ``doc_id`` means from the start; None is returned at the end and
        when ``doc_id`` is not in the project.
        """
        return self._one(self._after(doc_id, ">", not_done=not_done), "")

    def previous(self, doc_id: str | None, *, not_done: bool = False) -> str | None:
        """Return the last matching document before ``doc_id`` (None: from the end), or None."""
        return self._one(self._after(doc_id, "<", not_done=not_done), " DESC")

    def _one(self, where: tuple[str, list[Any]], order: str) -> str | None:
        sql = f"SELECT d.id {_FROM} {where[0]} ORDER BY d.position{order}, d.id{order} LIMIT 1"
        row = self.project.db.execute(sql, where[1]).fetchone()
        return (
            None if row is None else values.text(self.project.path, "documents", "", "id", row[0])
        )

    def precedes(self, doc_id: str, other: str) -> bool:
        """Return True when document ``doc_id`` comes before ``other`` in project order."""
        # Row values compared as rows, not as subqueries: PostgreSQL takes only the former.
        row = self.project.db.execute(
            "SELECT (a.position, a.id) < (b.position, b.id) FROM documents AS a, documents AS b"
            " WHERE a.id = ? AND b.id = ?",
            [doc_id, other],
        ).fetchone()
        return row is not None and bool(row[0])

    def matches(self, doc_id: str) -> bool:
        """Return True when document ``doc_id`` exists and passes the filter."""
        where = " AND ".join(["d.id = ?", *self._terms()])
        sql = f"SELECT 1 FROM documents AS d WHERE {where}"
        return self.project.db.execute(sql, [doc_id, *self._where.params]).fetchone() is not None

    # ---- counting ------------------------------------------------------------------------

    def count(self) -> int:
        """Return how many documents match (every document is looked at: see count_between)."""
        if self.filter.is_empty:
            return int(self.project.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
        where = " AND ".join(self._terms()) or "1"
        sql = f"SELECT COUNT(*) {_FROM} WHERE {where}"
        return int(self.project.db.execute(sql, self._where.params).fetchone()[0])

    def position_range(self) -> tuple[int, int] | None:
        """Return the lowest and highest document position, or None in an empty project."""
        low, high = self.project.db.execute(
            "SELECT MIN(position), MAX(position) FROM documents"
        ).fetchone()
        if not isinstance(low, int) or not isinstance(high, int):
            return None
        return low, high

    def count_between(self, low: int, high: int) -> int:
        """Return how many matching documents have ``low <= position < high``.

        The window counts a large project a slice at a time between events, so a filter
        applies at once and the count follows.
        """
        where = " AND ".join(["d.position >= ?", "d.position < ?", *self._terms()])
        sql = f"SELECT COUNT(*) {_FROM} WHERE {where}"
        params = [low, high, *self._where.params]
        return int(self.project.db.execute(sql, params).fetchone()[0])

    def count_before(self, doc_id: str, after: str | None, most: int) -> int:
        """Return how many matching documents lie after ``after`` and before ``doc_id``,
        counting no further than ``most`` (a limit on the work, not only on the answer)."""
        where, params = self._after(after, ">")
        where += f" AND (d.position, d.id) < {_KEY}"
        sql = f"SELECT COUNT(*) FROM (SELECT 1 {_FROM} {where} LIMIT ?) AS slice"
        return int(self.project.db.execute(sql, [*params, doc_id, most]).fetchone()[0])

    # ---- the WHERE clause ----------------------------------------------------------------

    def _terms(self) -> list[str]:
        return [self._where.sql] if self._where.sql else []

    def _after(
        self, doc_id: str | None, direction: str, *, not_done: bool = False
    ) -> tuple[str, list[Any]]:
        terms, params = self._terms(), list(self._where.params)
        if doc_id is not None:
            # The row value keeps the order total even where two documents share a position.
            terms.insert(0, f"(d.position, d.id) {direction} {_KEY}")
            params.insert(0, doc_id)
        if not_done:
            terms.append("d.status != ?")
            params.append(DONE)
        return ("WHERE " + " AND ".join(terms)) if terms else "", params


def _conditions(where: DocumentFilter, matches: int | None) -> _Where:
    """Return the filter as one SQL condition over ``documents AS d`` with its parameters.

    ``matches``: the listing whose text search results are in the temporary table.
    """
    terms: list[str] = []
    params: list[Any] = []
    if where.statuses:
        statuses = sorted(where.statuses)
        terms.append(f"d.status IN ({','.join('?' * len(statuses))})")
        params += statuses
    if where.label:
        by = " AND s.annotator = ?" if where.annotator else ""
        terms.append(f"EXISTS (SELECT 1 FROM spans AS s WHERE s.doc_id = d.id AND s.label = ?{by})")
        params += [where.label, *([where.annotator] if where.annotator else [])]
    elif where.annotator:
        terms.append("EXISTS (SELECT 1 FROM spans AS s WHERE s.annotator = ? AND s.doc_id = d.id)")
        params.append(where.annotator)
    if where.open_review:
        # Cases come from every annotator's spans but gold's; a document is "reviewed" once
        # every one of its cases is decided (annotator.review.gold.refresh_review_status).
        terms.append(
            "EXISTS (SELECT 1 FROM spans AS s WHERE s.doc_id = d.id AND s.annotator != ?)"
            " AND NOT EXISTS (SELECT 1 FROM document_reviews AS r"
            " WHERE r.doc_id = d.id AND r.status = ?)"
        )
        params += [GOLD_ANNOTATOR, REVIEWED]
    if where.assigned_to:
        terms.append(
            "EXISTS (SELECT 1 FROM assignments AS a WHERE a.doc_id = d.id AND a.annotator = ?)"
        )
        params.append(where.assigned_to)
    if where.text:
        terms.append(f"d.id IN (SELECT m.id FROM {_MATCHES} AS m WHERE m.listing = ?)")
        params.append(matches)
    return _Where(" AND ".join(terms), tuple(params))


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
