"""Searching the whole project from the window: a query's hits, read a page at a time.

:meth:`annotator.store.Project.search` finds the hits; this module walks the project's
documents in windows (project order) so that a page stops once it holds enough hits and the
next page starts where it stopped, however many hits there are: a list can show the first
hundreds of a word found 100,000 times without reading them all. Each hit shown carries its
document's title and its keyword-in-context line (:mod:`annotator.model.kwic`).

Example::

    query = SearchQuery("لافروف", whole_words=True)
    page = search_page(project, query)
    while True:
        for shown in page.hits:
            print(shown.title, shown.context.line)
        if page.complete:
            break
        page = search_page(project, query, start=page.next_document)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from annotator.errors import Cancelled
from annotator.model.kwic import Kwic, kwic
from annotator.store import Project
from annotator.store.search import Hit

PAGE = 200  # hits a page holds at least, unless the project ends first
FIRST_WINDOW = 256  # documents searched in one go at first; doubled while hits are few
MAX_WINDOW = 8192
CONTEXT = 60  # characters of context on each side of a hit, about (whole words)

CancelCheck = Callable[[], bool]
Progress = Callable[[int], None]  # called with the number of documents just searched


@dataclass(frozen=True)
class SearchQuery:
    """What the user asked for: the words, whole words or not, and where (label, annotator).

    With ``label`` and/or ``annotator``, only hits a span of theirs covers (``inside``) or
    only hits none covers (``inside=False``); see :meth:`annotator.store.Project.search`.
    """

    text: str
    whole_words: bool = False
    label: str | None = None
    annotator: str | None = None
    inside: bool = True

    def hits(
        self,
        project: Project,
        *,
        doc_ids: Sequence[str] | None = None,
        cancelled: CancelCheck | None = None,
    ) -> Iterator[Hit]:
        """Yield the hits in project order (of ``doc_ids`` only, when given)."""
        return project.search(
            self.text,
            whole_words=self.whole_words,
            label=self.label,
            annotator=self.annotator,
            inside=self.inside,
            doc_ids=doc_ids,
            cancelled=cancelled,
        )


@dataclass(frozen=True)
class ShownHit:
    """One hit as the result list shows it: where, the document's title, the words around."""

    hit: Hit
    title: str
    context: Kwic


@dataclass(frozen=True)
class Page:
    """Hits of the documents ``[start, next_document)`` of the project, in project order."""

    hits: list[ShownHit]
    next_document: int  # where the next page starts, an index into the project's order
    documents: int  # documents in the project

    @property
    def complete(self) -> bool:
        """Return True when no document is left to search."""
        return self.next_document >= self.documents


def search_page(
    project: Project,
    query: SearchQuery,
    start: int = 0,
    *,
    want: int | None = None,
    cancelled: CancelCheck | None = None,
    progress: Progress | None = None,
) -> Page:
    """Return the hits of the documents from index ``start`` on, stopping after ``want`` or more.

    ``want`` is :data:`PAGE` unless given. A page ends at a window's end, never inside a
    document; ``cancelled`` is asked between windows and by the search itself (Cancelled is
    raised), ``progress`` told of every window.
    """
    want = PAGE if want is None else want
    total = project.document_count()
    found: list[Hit] = []
    stop = start
    for window_end, hits in _windows(project, query, total, start, want, cancelled, progress):
        found += hits
        stop = window_end
        if len(found) >= want:
            break
    return Page(_shown(project, found), stop, total)


def all_hits(
    project: Project,
    query: SearchQuery,
    *,
    cancelled: CancelCheck | None = None,
    progress: Progress | None = None,
) -> Iterator[Hit]:
    """Yield every hit of the query, in project order, with progress by documents searched."""
    total = project.document_count()
    for _, hits in _windows(project, query, total, 0, PAGE, cancelled, progress):
        yield from hits


def _windows(
    project: Project,
    query: SearchQuery,
    total: int,
    start: int,
    want: int,
    cancelled: CancelCheck | None,
    progress: Progress | None,
) -> Iterator[tuple[int, list[Hit]]]:
    """Yield (end of the window, its hits) for windows of documents from ``start`` on."""
    size = FIRST_WINDOW
    while start < total:
        if cancelled is not None and cancelled():
            raise Cancelled("search cancelled")
        ids = project.document_ids(start, size)  # only the window's: a page costs no more
        if not ids:
            break  # fewer documents than counted (none is ever deleted; a damaged file)
        stop = start + len(ids)
        hits = list(query.hits(project, doc_ids=ids, cancelled=cancelled))
        if progress is not None:
            progress(stop - start)
        yield stop, hits
        if len(hits) < want:  # few hits here: search more documents at once next time
            size = min(MAX_WINDOW, size * 2)
        start = stop


def _shown(project: Project, hits: list[Hit]) -> list[ShownHit]:
    """Give each hit its document's title and its context line (each document read once)."""
    documents = {}
    for doc_id in dict.fromkeys(h.doc_id for h in hits):
        documents[doc_id] = project.document(doc_id)
    return [
        ShownHit(
            h, documents[h.doc_id].title, kwic(documents[h.doc_id].text, h.start, h.end, CONTEXT)
        )
        for h in hits
    ]
