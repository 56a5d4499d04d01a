"""The consistency report in the main window: a dock, its entry in the Review menu, the jump.

The report is made in a worker thread (:mod:`annotator.gui.jobs`) with its own read-only
connection, with progress and Cancel; nothing is checked until the dock is first shown.
Activating a place opens its document in the report's layer and selects the span there, or
the unlabelled words, ready for a label key.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from annotator.errors import AnnotatorError
from annotator.gui.consistency_panel import ConsistencyPanel
from annotator.gui.i18n import Texts
from annotator.gui.jobs import CancelCheck, Job, Progress
from annotator.gui.text_view import ArticleView
from annotator.gui.window_layout import bottom_dock
from annotator.review.consistency import (
    Finding,
    Place,
    consistency,
    contexts,
    progress_total,
)
from annotator.session import EditingSession, Layer
from annotator.store import Project

CONSISTENCY_KEY = "Ctrl+Shift+K"
PLACES_SHOWN = 50  # places listed under a finding in the window
Report = Callable[[AnnotatorError], None]


class ConsistencyController(QObject):
    """The consistency dock: hidden until Review > Consistency report; refreshed on demand."""

    def __init__(
        self,
        session: EditingSession,
        window: QMainWindow,
        view: ArticleView,
        menu: QMenu,
        texts: Texts,
        report: Report,
        open_document: Callable[[str], None],
        select_span: Callable[[str | None], None],
    ) -> None:
        super().__init__(window)
        self.session, self.window, self.view, self.texts = session, window, view, texts
        self.report, self.open_document, self.select_span = report, open_document, select_span
        self.job: Job | None = None
        self._checked = False
        self.panel = ConsistencyPanel(texts)
        self.dock = bottom_dock(window, "consistency", "Consistency", self.panel, texts)
        self.toggle: QAction = self.dock.toggleViewAction()
        texts.bind(self.toggle.setText, "Consistency report")
        self.toggle.setShortcut(QKeySequence(CONSISTENCY_KEY))
        menu.addAction(self.toggle)
        self.panel.refreshRequested.connect(self.refresh)
        self.panel.placeActivated.connect(self.go_to)
        self.dock.visibilityChanged.connect(self._shown)

    def _shown(self, visible: bool) -> None:
        if visible and not self._checked:
            project = self.session.project
            names = project.annotators()
            self.panel.set_layers(names, project.annotator if project.annotator in names else None)
            self.refresh()

    def refresh(self) -> None:
        """Make the report again for the chosen layer, in a worker thread."""
        if self.job is not None:
            return
        self._checked = True
        path, layers = self.session.project.path, self.panel.layers()

        def work(progress: Progress, cancelled: CancelCheck) -> object:
            with Project.open(path, read_only=True) as opened, opened.snapshot():
                found = consistency(opened, layers, progress=progress, cancelled=cancelled)
                shown = contexts(opened, [p for f in found for p in f.places[:PLACES_SHOWN]])
            return found, shown

        total = progress_total(self.session.project)
        self.job = Job(self.window, self.texts("Checking…"), self.texts("Cancel"), total, work)
        self.job.succeeded.connect(lambda result: self.panel.show_findings(*result))
        self.job.failed.connect(self._failed)
        self.job.cancelled.connect(lambda: self.panel.summary.setText(self.texts("Cancelled")))
        self.job.finished.connect(self._finished)
        self.panel.set_busy(True)
        self.job.start()

    def _failed(self, error: AnnotatorError) -> None:
        self.panel.summary.setText("")
        self.report(error)

    def _finished(self) -> None:
        self.panel.set_busy(False)
        self.job = None

    def go_to(self, finding: Finding, place: Place) -> None:
        """Open the place's document in the finding's layer and select the place there."""
        if not self.session.layer.shows(finding.layer):
            self.session.set_layer(Layer.of(finding.layer))
        document = self.session.document
        if document is None or document.id != place.doc_id:
            self.open_document(place.doc_id)
            document = self.session.document
            if document is None or document.id != place.doc_id:
                return  # the document is gone; opening it said why
        if place.span_id is not None and place.span_id in self.session.spans:
            self.select_span(place.span_id)
        else:
            self.select_span(None)  # a span fixed since the report: its words are selected
            self.view.select_range(place.start, place.end)
            self.view.scroll_to_offset(place.start)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
