"""Review mode in the main window: the review panel in a dock, its actions in the Review menu.

Decisions go through the editing session as undoable steps (Edit > Undo takes a decision back).
The panel follows the window's open document and the window follows the panel's. Nothing is
compared until review mode is shown.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from annotator.errors import AnnotatorError
from annotator.gui.i18n import Texts
from annotator.gui.review_panel import ReviewPanel
from annotator.gui.text_view import ArticleView
from annotator.gui.window_layout import bottom_dock
from annotator.review import gold
from annotator.session import EditingSession, Layer
from annotator.session.edits import ReviewDecision

REVIEW_MODE_KEY = "Ctrl+Shift+V"
MENU_ORDER = ("next", "previous", "accept", "reject", "edit", "accept_agreed")
Report = Callable[[AnnotatorError], None]


class ReviewController(QObject):
    """The review dock: hidden until Review > Review mode; decisions are undoable edits."""

    def __init__(
        self,
        session: EditingSession,
        window: QMainWindow,
        view: ArticleView,
        menu: QMenu,
        texts: Texts,
        report: Report,
        open_document: Callable[[str], None],
    ) -> None:
        super().__init__(window)
        self.session, self.report, self.open_document = session, report, open_document
        self.panel = ReviewPanel(session.project, view, load=False, decide=self.decide)
        self.dock = bottom_dock(window, "review", "Review", self.panel, texts)
        self.toggle: QAction = self.dock.toggleViewAction()
        texts.bind(self.toggle.setText, "Review mode")
        self.toggle.setShortcut(QKeySequence(REVIEW_MODE_KEY))
        menu.addAction(self.toggle)
        menu.addActions([self.panel.actions_by_name[name] for name in MENU_ORDER])
        self.panel.document_combo.currentIndexChanged.connect(self._panel_chose)
        self.panel.failed.connect(report)
        self.dock.visibilityChanged.connect(self._shown)

    def decide(self, doc_id: str, case_keys: list[str], action: Callable[[], object]) -> None:
        """Run a panel decision as one undoable step of the session's history."""
        project = self.session.project
        try:
            decision = ReviewDecision(
                doc_id,
                f"review decision ({len(case_keys)} case(s))",
                action,
                lambda: gold.snapshot(project, doc_id, case_keys),
                lambda snap: gold.restore(project, snap),  # type: ignore[arg-type]
            )
            self.session.review_decision(decision)
        except AnnotatorError as exc:
            self.report(exc)

    def document_shown(self) -> None:
        """The window showed a document (opened, or re-read after an edit, undo or redo)."""
        document = self.session.document
        if document is None or not self.dock.isVisible():
            return
        if self.panel.document_id() != document.id:
            self.panel.set_document(document.id)
        else:
            self.panel.refresh_after_change()
        self.panel.highlight_current()  # the view was refilled and lost the highlight

    def _panel_chose(self, _index: int) -> None:
        doc_id = self.panel.document_id()
        document = self.session.document
        if doc_id and document is not None and doc_id != document.id:
            self.open_document(doc_id)

    def _shown(self, visible: bool) -> None:
        if not visible:
            return
        self.panel.reload()  # annotators merged while the window was open appear
        # Comparing needs every annotator's spans in the article, not one layer; showing them
        # re-reads the document, which brings the panel to it (document_shown).
        if self.session.layer != Layer.everyone():
            self.session.set_layer(Layer.everyone())
        elif self.session.document is not None:
            self.panel.set_document(self.session.document.id)
