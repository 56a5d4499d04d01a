"""Corpus search: the window's Find over every document of a project, through its index.

A query is compared on its search key (:func:`annotator.model.text.normalize_query`): أ إ آ ٱ
match ا, ى matches ي, ة matches ه, a typed space matches a no-break space, and tashkeel and
tatweel are ignored on both sides. The index (:mod:`annotator.store.search_index`) names the
documents that may hold the key; each hit is then found by
:func:`annotator.model.text.find_matches` on the stored text, so a hit is exactly what Find
shows in that document: its offsets slice the stored text, and ``whole_word`` is False for a
hit inside a longer word (بالحوار for الحوار).

Example::

    for hit in project.search("لافروف", whole_words=True, label="PER", inside=False):
        print(hit.doc_id, project.document(hit.doc_id).text[hit.start : hit.end])
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import AbstractContextManager, suppress
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from annotator.errors import Cancelled, InputError, ProjectError
from annotator.model.schema import Schema
from annotator.model.text import find_matches, normalize_query, search_key_text
from annotator.store import search_index, values
from annotator.store.pg.connection import is_server

BATCH = 64  # documents read per query: memory stays flat however many match

CancelCheck = Callable[[], bool]


@dataclass(frozen=True)
class Hit:
    """One occurrence of a query: ``text[start:end]`` of document ``doc_id`` (code points).

    ``start`` and ``end`` are those :func:`annotator.model.text.find_matches` gives in that
    document; ``whole_word`` is False for a hit inside a longer word.
    """

    doc_id: str
    start: int
    end: int
    whole_word: bool


def query_key(query: str) -> str:
    """Return the key a query is searched by; raise InputError when it is empty.

    A query of only tashkeel, tatweel or spaces has no key: it would match everywhere.
    """
    needle = normalize_query(query).strip()
    if not needle:
        raise InputError(
            f"the query {query!r} has nothing to search for once tashkeel, tatweel and spaces"
            " are set aside; type a letter, a digit or a sign"
        )
    return needle


@dataclass(frozen=True)
class _Restriction:
    """Only hits inside (or outside) spans of a label and/or an annotator."""

    label: str | None
    annotator: str | None
    inside: bool

    @property
    def active(self) -> bool:
        return self.label is not None or self.annotator is not None

    def sql(self) -> tuple[str, list[str]]:
        where, params = "", []
        for column, value in (("label", self.label), ("annotator", self.annotator)):
            if value is not None:
                where += f" AND {column} = ?"
                params.append(value)
        return where, params


class _Cover:
    """The spans of one document, to tell whether one of them covers a hit entirely."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans.sort()
        self.starts = [s for s, _ in spans]
        self.reach: list[int] = []  # the furthest end of the spans starting at or before
        furthest = -1
        for _, end in spans:
            furthest = max(furthest, end)
            self.reach.append(furthest)

    def covers(self, start: int, end: int) -> bool:
        k = bisect.bisect_right(self.starts, start) - 1
        return k >= 0 and self.reach[k] >= end


class SearchMixin:
    """Corpus search over a project's documents; mixed into :class:`~annotator.store.Project`."""

    db: Database
    path: Path
    schema: Schema
    read_only: bool

    def write(self) -> AbstractContextManager[Database]:
        """Return a context manager running its block as one transaction."""
        raise NotImplementedError

    def search_index_ready(self) -> bool:
        """Return True when the index is current; otherwise a search reads every text."""
        return search_index.is_current(self.db)

    def rebuild_search_index(self, progress: Callable[[int], None] | None = None) -> int:
        """Index every document's text again, in one transaction; return how many."""
        with self.write():
            return search_index.rebuild(self.db, progress)

    def _refresh_search_index(self) -> None:
        """Rebuild an index made with another search key, when the project can be written."""
        on_server = is_server(self.db)  # no FTS5 there
        if self.read_only or on_server or self.search_index_ready():
            return
        # Another program writing now, or a full disk: the project still opens, and searches
        # read every text until the next open.
        with suppress(ProjectError):
            self.rebuild_search_index()

    def search(
        self,
        query: str,
        *,
        whole_words: bool = False,
        label: str | None = None,
        annotator: str | None = None,
        inside: bool = True,
        doc_ids: Iterable[str] | None = None,
        limit: int | None = None,
        cancelled: CancelCheck | None = None,
    ) -> Iterator[Hit]:
        """Yield the hits of ``query`` in project order, then by offset.

        ``whole_words`` leaves out hits inside longer words. With ``label`` and/or
        ``annotator``, only hits that a span of that label (and annotator) covers entirely, or
        with ``inside=False`` only those no such span covers. ``doc_ids`` limits the search to
        those documents, ``limit`` to that many hits. ``cancelled`` is asked between batches of
        documents; when it returns True, Cancelled is raised. An empty query (see
        :func:`query_key`) or an unknown label raises at once.
        """
        needle = query_key(query)
        if label is not None:
            self.schema.label(label)  # raises, naming the labels there are
        if limit is not None and limit <= 0:
            return iter(())
        restriction = _Restriction(label, annotator, inside)
        allowed = None if doc_ids is None else self._positions_of(doc_ids)
        hits = self._hits(needle, whole_words, restriction, allowed, cancelled)
        return hits if limit is None else _first(hits, limit)

    def documents_matching(self, query: str) -> list[str]:
        """Return the ids of the documents whose text holds ``query`` anywhere, in project order.

        Compared as :meth:`search` compares, inside words too. A query with nothing to search
        for (only tashkeel, tatweel or spaces) matches no document.
        """
        needle = normalize_query(query).strip()
        if not needle:
            return []
        found: list[str] = []
        plan = self._plan(needle)
        if plan is not None and plan.exact and plan.match is not None:
            # The index alone answers: no article text is read.
            for batch in _batches(search_index.candidates(self.db, plan.match), BATCH * 8):
                rows = self._documents(batch, text=False)
                shared = len(rows) != len(batch)  # two documents at one position
                found += [d for _, d, _ in rows] if not shared else self._holding(batch, needle)
            return found
        for rows in self._batched_documents(plan, None, None):
            found += [doc_id for _, doc_id, text in rows if _holds(text, needle)]
        return found

    # ---- the search itself ---------------------------------------------------------------

    def _hits(
        self,
        needle: str,
        whole_words: bool,
        restriction: _Restriction,
        allowed: set[int] | None,
        cancelled: CancelCheck | None,
    ) -> Iterator[Hit]:
        plan = self._plan(needle)
        for rows in self._batched_documents(plan, allowed, cancelled):
            covers = self._covers([d for _, d, _ in rows], restriction)
            for _, doc_id, text in rows:
                cover = covers.get(doc_id)
                if restriction.active and restriction.inside and cover is None:
                    continue  # no span of that label/annotator in this document
                for match in find_matches(text, needle):
                    if whole_words and not match.whole_word:
                        continue
                    if restriction.active:
                        covered = cover is not None and cover.covers(match.start, match.end)
                        if covered != restriction.inside:
                            continue
                    yield Hit(doc_id, match.start, match.end, match.whole_word)

    def _plan(self, needle: str) -> search_index.Plan | None:
        """Return how the index narrows the search for ``needle``; None when it is not current."""
        return search_index.plan(self.db, needle) if self.search_index_ready() else None

    def _batched_documents(
        self,
        plan: search_index.Plan | None,
        allowed: set[int] | None,
        cancelled: CancelCheck | None,
    ) -> Iterator[list[tuple[int, str, str]]]:
        """Yield batches of (position, id, text) of the documents that may hold the key."""
        positions: Iterable[int]
        if plan is not None and plan.none:
            return
        if plan is not None and plan.match is not None:
            if allowed is None:
                positions = search_index.candidates(self.db, plan.match)
            elif allowed:
                within = (min(allowed), max(allowed))
                found = search_index.candidates(self.db, plan.match, within)
                positions = (p for p in found if p in allowed)
            else:
                return
        elif allowed is not None:
            positions = sorted(allowed)
        else:
            positions = self._all_positions()
        for batch in _batches(positions, BATCH):
            if cancelled is not None and cancelled():
                raise Cancelled("search cancelled")
            yield self._documents(batch, text=True)

    def _all_positions(self) -> Iterator[int]:
        cursor = self.db.execute("SELECT DISTINCT position FROM documents ORDER BY position")
        while rows := cursor.fetchmany(1024):
            for (position,) in rows:
                yield position

    def _documents(self, positions: list[int], *, text: bool) -> list[tuple[int, str, str]]:
        """Return (position, id, text) of the documents at ``positions``, in project order."""
        marks = ",".join("?" * len(positions))
        column = "text" if text else "''"
        with values.decoding(self.path, "documents"):
            rows = self.db.execute(
                f"SELECT position, id, {column} FROM documents WHERE position IN ({marks})"
                " ORDER BY position, id",
                positions,
            ).fetchall()
        for _, doc_id, body in rows:
            if not isinstance(doc_id, str) or not isinstance(body, str):
                row = f"document {values.quoted(doc_id)}"
                raise values.damaged(self.path, "documents", row, "its id or text is not text")
        return rows

    def _holding(self, positions: list[int], needle: str) -> list[str]:
        rows = self._documents(positions, text=True)
        return [doc_id for _, doc_id, text in rows if _holds(text, needle)]

    def _covers(self, doc_ids: list[str], restriction: _Restriction) -> dict[str, _Cover]:
        """Return, for each of ``doc_ids`` with spans of the restriction, those spans."""
        if not restriction.active or not doc_ids:
            return {}
        where, params = restriction.sql()
        marks = ",".join("?" * len(doc_ids))
        rows = self.db.execute(
            f'SELECT doc_id, start, "end" FROM spans WHERE doc_id IN ({marks}){where}',
            [*doc_ids, *params],
        ).fetchall()
        spans: dict[str, list[tuple[int, int]]] = {}
        for doc_id, start, end in rows:
            spans.setdefault(doc_id, []).append((start, end))
        return {doc_id: _Cover(found) for doc_id, found in spans.items()}

    def _positions_of(self, doc_ids: Iterable[str]) -> set[int]:
        ids = list(dict.fromkeys(doc_ids))
        found: set[int] = set()
        for k in range(0, len(ids), 500):
            chunk = ids[k : k + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT position FROM documents WHERE id IN ({marks})", chunk
            ).fetchall()
            found.update(r[0] for r in rows)
        return found


def _holds(text: str, needle: str) -> bool:
    return needle in search_key_text(text)


def _batches(items: Iterable[int], size: int) -> Iterator[list[int]]:
    batch: list[int] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _first(hits: Iterator[Hit], limit: int) -> Iterator[Hit]:
    try:
        for count, hit in enumerate(hits, start=1):
            yield hit
            if count >= limit:
                return
    finally:
        if isinstance(hits, Generator):
            hits.close()  # its cursors end now, not when it is collected
