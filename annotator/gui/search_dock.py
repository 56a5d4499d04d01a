"""Search the project from the window: a dock with the hits in context, and annotate all.

Document > Search the project (Ctrl+Shift+F) shows the dock with the cursor in its query box.
Enter searches every document (:mod:`annotator.session.corpus_search`) in a worker thread
(:mod:`annotator.gui.jobs`, with progress and Cancel), a page of hits at a time: the next page
is read when the list is scrolled to its end. A click or Enter on a hit opens its document
and selects the hit there, ready for a label key.

Annotate all reads every hit of the query the list shows (not what the box holds if it was
edited since), plans each one (:mod:`annotator.session.annotate_all`) and shows the preview;
OK adds the checked hits as one undo step of the window, over all their documents, and a
report says what was added and what was skipped.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QMessageBox

from annotator.errors import AnnotatorError
from annotator.gui.i18n import Texts
from annotator.gui.jobs import CancelCheck, Job, Progress
from annotator.gui.palette import LabelPalette
from annotator.gui.search_annotate import (
    AnnotateAcrossDialog,
    PreviewRow,
    report_box,
    report_line,
)
from annotator.gui.search_panel import SearchPanel
from annotator.gui.text_view import ArticleView
from annotator.gui.window_layout import bottom_dock
from annotator.model.kwic import kwic
from annotator.session import EditingSession
from annotator.session.annotate_all import PlannedHit, annotate_all_report, plan_hits
from annotator.session.corpus_search import (
    CONTEXT,
    Page,
    SearchQuery,
    ShownHit,
    all_hits,
    search_page,
)
from annotator.store import Project

SEARCH_KEY = "Ctrl+Shift+F"
FSI, PDI = "\u2068", "\u2069"  # first-strong isolate and its end (Unicode bidi)
Report = Callable[[AnnotatorError], None]


class SearchController(QObject):
    """The search dock, its menu entry, its worker jobs and the annotate-all preview."""

    def __init__(
        self,
        session: EditingSession,
        window: QMainWindow,
        view: ArticleView,
        palette: LabelPalette,
        menu: QMenu,
        texts: Texts,
        report: Report,
        open_document: Callable[[str], None],
    ) -> None:
        super().__init__(window)
        self.session, self.window, self.view, self.palette = session, window, view, palette
        self.texts, self.report, self.open_document = texts, report, open_document
        self.job: Job | None = None
        self.pending: SearchQuery | None = None  # asked for while another job ran
        self.shown_query: SearchQuery | None = None  # the query the list holds hits of
        self.preview: AnnotateAcrossDialog | None = None
        self.report_box: QMessageBox | None = None
        self.panel = SearchPanel(texts, session.schema)
        self.dock = bottom_dock(window, "search", "Search", self.panel, texts)
        self.action = QAction(window)
        texts.bind(self.action.setText, "&Search the project…")
        self.action.setShortcut(QKeySequence(SEARCH_KEY))
        self.action.triggered.connect(lambda _c=False: self.show_dock())
        window.addAction(self.action)  # the key works with the menus closed
        menu.addSeparator()
        menu.addAction(self.action)
        self.panel.searchRequested.connect(self.search)
        self.panel.results.moreWanted.connect(self._more)
        self.panel.hitActivated.connect(self.go_to)
        self.panel.annotateAllRequested.connect(self.annotate_all)

    def show_dock(self) -> None:
        """Show the dock with the cursor in its query box."""
        self.panel.set_annotators(self.session.project.annotators())
        self.dock.show()
        self.dock.raise_()
        self.panel.focus_query()

    # ---- searching ------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> None:
        """Search every document for ``query``: the first page now, the rest as the list scrolls."""
        if self.job is not None:
            self.pending = query
            self.job.cancel()  # the search the user no longer wants; this one follows
            return
        self.shown_query = query
        self.panel.results.clear()
        self._read_page(query, 0)

    def _more(self) -> None:
        if self.shown_query is not None and self.job is None:
            self._read_page(self.shown_query, self.panel.results.next_document)

    def _read_page(self, query: SearchQuery, start: int) -> None:
        path = self.session.project.path

        def work(progress: Progress, cancelled: CancelCheck) -> object:
            with Project.open(path, read_only=True) as opened, opened.snapshot():
                return search_page(opened, query, start, cancelled=cancelled, progress=progress)

        total = self.session.project.document_count() - start
        self._run(self.texts("Searching…"), total, work, self._page_read)

    def _page_read(self, page: object) -> None:
        assert isinstance(page, Page)
        self.panel.results.add_page(page)
        self._summarize()

    def _summarize(self, stopped: bool = False) -> None:
        results, query = self.panel.results, self.shown_query
        if query is None:
            return
        values = {
            "query": isolated(query.text),
            "n": len(results.hits),
            "d": results.document_count(),
            "searched": results.next_document,
            "total": results.documents,
        }
        if results.complete:
            key = "«{query}»: {n} hit(s) in {d} document(s)"
        elif stopped:
            key = "«{query}»: stopped; {n} hit(s) in the first {searched} of {total} documents"
        else:
            key = "«{query}»: {n} hit(s) so far, {searched} of {total} documents searched"
        self.panel.summary.setText(self.texts(key, **values))

    def _run(
        self,
        label: str,
        total: int,
        work: Callable[[Progress, CancelCheck], object],
        done: Callable[[object], None],
    ) -> None:
        self.job = Job(self.window, label, self.texts("Cancel"), total, work)
        self.job.succeeded.connect(done)
        self.job.failed.connect(self._failed)
        self.job.cancelled.connect(self._cancelled)
        self.job.finished.connect(self._finished)
        self.job.start()

    def _failed(self, error: AnnotatorError) -> None:
        self.panel.results.stop()
        self.report(error)

    def _cancelled(self) -> None:
        self.panel.results.stop()
        self._summarize(stopped=True)

    def _finished(self) -> None:
        self.job = None
        if self.pending is not None:
            query, self.pending = self.pending, None
            self.search(query)

    # ---- going to a hit -------------------------------------------------------------------

    def go_to(self, shown: ShownHit) -> None:
        """Open the hit's document (if it is not open) and select the hit there."""
        hit = shown.hit
        document = self.session.document
        if document is None or document.id != hit.doc_id:
            self.open_document(hit.doc_id)
            document = self.session.document
            if document is None or document.id != hit.doc_id:
                return  # it could not be opened; opening said why
        self.session.select(None)
        self.view.select_range(hit.start, hit.end, exact=True)
        self.view.scroll_to_offset(hit.start)

    # ---- annotate all ---------------------------------------------------------------------

    def annotate_all(self) -> None:
        """Read and plan every hit of the listed query, then show the preview."""
        query = self.shown_query
        if query is None or self.job is not None:
            message = (
                "Search first: annotate all works on the hits listed"
                if query is None
                else "Wait for the search to end, or cancel it"
            )
            self.window.statusBar().showMessage(self.texts(message), 6000)
            return
        path, me = self.session.project.path, self.session.project.annotator

        def work(progress: Progress, cancelled: CancelCheck) -> object:
            with Project.open(path, read_only=True) as opened, opened.snapshot():
                hits = all_hits(opened, query, cancelled=cancelled, progress=progress)
                planned = list(plan_hits(opened, hits, me, cancelled=cancelled))
                return _preview_rows(opened, planned)

        total = self.session.project.document_count()
        self._run(
            self.texts("Reading every hit…"), total, work, lambda rows: self._preview(query, rows)
        )

    def _preview(self, query: SearchQuery, rows: object) -> None:
        assert isinstance(rows, list)
        dialog = AnnotateAcrossDialog(
            self.texts,
            isolated(query.text),
            rows,
            self.palette.current,
            self.session.schema,
            self.window,
        )
        dialog.accepted.connect(lambda: self._annotate(dialog, rows))
        self.preview = dialog
        dialog.open()

    def _annotate(self, dialog: AnnotateAcrossDialog, rows: list[PreviewRow]) -> None:
        chosen, label = dialog.chosen(), dialog.label()
        # Tens of thousands of spans take seconds to write: say so while they are written.
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.session.annotate_hits(chosen, label)
        except AnnotatorError as exc:
            self.report(exc)
            return
        finally:
            QApplication.restoreOverrideCursor()
        outcome = annotate_all_report([r.planned for r in rows], chosen, label)
        self.window.statusBar().showMessage(report_line(self.texts, outcome), 15000)
        box = report_box(self.texts, outcome, self.window)
        self.report_box = box
        box.open()


def isolated(words: str) -> str:
    """Return ``words`` as a bidi isolate: Arabic in an English line keeps the line in order."""
    return f"{FSI}{words}{PDI}"


def _preview_rows(project: Project, planned: list[PlannedHit]) -> list[PreviewRow]:
    """Give each planned hit its document's title and its context line."""
    rows: list[PreviewRow] = []
    document = None
    for item in planned:
        hit = item.hit
        if document is None or document.id != hit.doc_id:
            document = project.document(hit.doc_id)  # hits come document by document
        context = kwic(document.text, hit.start, hit.end, CONTEXT)
        rows.append(PreviewRow(item, document.title, context))
    return rows
