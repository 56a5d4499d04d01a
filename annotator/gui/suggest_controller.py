"""Suggestions in the window: ghosts over the article, Tab / Enter / Backspace, the menu.

The session (:mod:`annotator.session.suggesting`) holds the open document's suggestions and
the one in focus; this controller draws them as ghosts (``ArticleView.set_ghosts``), turns keys,
clicks and the Suggestions menu into session calls, and says in the status bar what happened.
Tab, Shift+Tab, Enter and Backspace are shortcuts of the article view only
(``Qt.WidgetShortcut``): in the find box, the lists and the dialogs they keep their usual
meaning, and Tab in a document without ghosts still moves the keyboard focus on. Since Tab
goes to the ghosts, Ctrl+Tab and Ctrl+Shift+Tab move the keyboard focus out of the article.

Suggestions > Run recommender… asks what to run (:mod:`annotator.gui.suggest_dialogs`) and
runs it in a worker thread (:mod:`annotator.gui.jobs`) with its own connection, the phases in
the progress dialog and Cancel; the run is one transaction, so a cancelled one changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox

from annotator.errors import AnnotatorError
from annotator.gui import preferences
from annotator.gui.help import message
from annotator.gui.i18n import Texts
from annotator.gui.inspector import Inspector
from annotator.gui.jobs import CancelCheck, Job, Progress
from annotator.gui.plaintext import plain_label, plain_message
from annotator.gui.search_dock import isolated
from annotator.gui.suggest_dialogs import RunChoice, RunDialog, StatsDialog
from annotator.gui.text_view import ArticleView
from annotator.model.document import Span
from annotator.model.suggestions import layer_name, recommender_of
from annotator.session import EditingSession
from annotator.store import Project
from annotator.store.listing import PAGE, DocumentFilter, DocumentListing
from annotator.suggest import registry
from annotator.suggest.run import RunReport, run_recommender

# Actions whose keys belong to the article view alone (the rest are window shortcuts).
SUGGESTION_KEYS = ("suggest_next", "suggest_previous", "suggest_accept", "suggest_reject")
Report = Callable[[AnnotatorError], None]
EXCERPT = 40  # letters of a suggestion quoted in the status bar


class Phases(QObject):
    """Carries a run's progress ``(phase, done, total)`` from the worker to the dialog."""

    moved = Signal(str, int, int)


class SuggestController(QObject):
    """Ghosts, the keys that act on them, the Suggestions menu and recommender runs."""

    def __init__(
        self,
        session: EditingSession,
        window: QMainWindow,
        view: ArticleView,
        inspector: Inspector,
        texts: Texts,
        report: Report,
        list_filter: Callable[[], DocumentFilter],
    ) -> None:
        super().__init__(window)
        self.session, self.window, self.view, self.texts = session, window, view, texts
        self.report, self.list_filter = report, list_filter
        self.status_bar = window.statusBar()
        self.count_label: QLabel = plain_label()
        self.status_bar.addPermanentWidget(self.count_label)
        self.count_label.hide()
        self.job: Job | None = None
        self.phases = Phases()  # one for every run: its signal reaches the UI thread queued
        self.phases.moved.connect(self._moved)
        self.run_dialog: RunDialog | None = None
        self.report_box: QMessageBox | None = None
        self.stats_dialog: StatsDialog | None = None
        self._source = ""
        self.shown_action: QAction | None = None
        inspector.source_of = self.source_of
        session.suggestions_changed.connect(self._ghosts_changed)
        session.suggestion_focus_changed.connect(self._focus_changed)
        view.ghostClicked.connect(self.ghost_clicked)
        view.installEventFilter(self)  # Ctrl+Tab leaves the article (eventFilter)
        session.set_suggestions_shown(preferences.suggestions_shown())

    def handlers(self) -> dict[str, Callable[[], object]]:
        """Return the Suggestions menu's handlers by action name (actions.py)."""
        return {
            "suggest_run": self.open_run_dialog,
            "suggest_next": lambda: self.next(forward=True),
            "suggest_previous": lambda: self.next(forward=False),
            "suggest_accept": self.accept,
            "suggest_reject": self.reject,
            "suggest_accept_all": self.accept_all,
            "suggest_shown": self.toggle_shown,
            "suggest_stats": self.open_stats,
        }

    def install(self, actions: Mapping[str, QAction]) -> None:
        """Make Tab, Enter and Backspace keys of the article view; check Show suggestions."""
        for name in SUGGESTION_KEYS:
            act = actions[name]
            act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.view.addAction(act)
        keypad = QKeySequence(Qt.Key.Key_Enter)
        actions["suggest_accept"].setShortcuts([QKeySequence(Qt.Key.Key_Return), keypad])
        self.shown_action = actions["suggest_shown"]
        self.shown_action.setChecked(self.session.suggestions_shown)
        actions["suggest_run"].setEnabled(not self.session.project.read_only)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Ctrl+Tab / Ctrl+Shift+Tab in the article: move the keyboard focus on / back."""
        if watched is self.view and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            modifiers = event.modifiers()
            tabs = (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
            if modifiers & Qt.KeyboardModifier.ControlModifier and event.key() in tabs:
                back = event.key() == Qt.Key.Key_Backtab
                back = back or bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
                self.view.focusNextPrevChild(not back)
                return True
        return super().eventFilter(watched, event)

    # ---- session -> view -----------------------------------------------------------------

    def _ghosts_changed(self) -> None:
        ghosts = self.session.ghosts()
        self.view.set_ghosts(ghosts, self.tooltip)
        self.view.set_focused_ghost(self.session.focused_suggestion)
        self.count_label.setText(self.texts("{n} suggestion(s)", n=len(ghosts)))
        self.count_label.setVisible(bool(ghosts))

    def _focus_changed(self, ghost_id: str | None) -> None:
        self.view.set_focused_ghost(ghost_id)
        span = self.session.ghost(ghost_id) if ghost_id else None
        if span is not None:
            self.view.scroll_to_offset(span.end)
            self.view.scroll_to_offset(span.start)

    def tooltip(self, ghost_id: str) -> str:
        """Return what a ghost is: label, recommender, why, what accepting brings, its score."""
        session, texts = self.session, self.texts
        span = session.ghost(ghost_id)
        if span is None:
            return ""
        name = recommender_of(span.annotator) or span.annotator
        first = [texts("Suggested {label} from {name}", label=span.label, name=name)]
        note = session.suggested.notes.get(ghost_id)
        if note:
            first.append(note)
        first.append(texts("Enter accepts, Backspace rejects"))
        lines = [" — ".join(first)]
        links = session.ghost_links(ghost_id)
        brought = [(kind, end) for kind, end, left_out in links if not left_out]
        if brought:
            said = ", ".join(
                f"{self._link_name(kind)}: {_excerpt(session.text, end)}" for kind, end in brought
            )
            lines.append(texts("accepting adds the links {links}", links=said))
        for kind, end, left_out in links:
            if left_out:
                what = f"{self._link_name(kind)}: {_excerpt(session.text, end)}"
                lines.append(texts("left out: {link} (you rejected it)", link=what))
        score = session.suggested.scores.get(ghost_id)
        if score is not None:
            lines.append(texts("score {score}", score=f"{score:.2f}"))
        return "\n".join(lines)

    def _link_name(self, kind: str) -> str:
        names = {r.id: r.name_en.lower() for r in self.session.schema.relations}
        return names.get(kind, kind)

    def source_of(self, span: Span) -> str:
        """Return "suggest:NAME" for an annotation of the user's that was an accepted suggestion."""
        project = self.session.project
        if span.annotator != project.annotator:
            return ""
        name = project.span_sources(span.doc_id).get(span.id)
        return layer_name(name) if name else ""

    # ---- keys, clicks and the menu -> session --------------------------------------------

    def ghost_clicked(self, ghost_id: str) -> None:
        """A click on a ghost (where no annotation is) puts it in focus."""
        if self.session.link_head is not None:
            return  # link mode links annotations; a suggestion is not one yet
        self.session.select(None)
        self.session.focus_suggestion(ghost_id)

    def next(self, forward: bool = True) -> None:
        """Tab / Shift+Tab: the next (previous) ghost from the focused one, else the caret."""
        session = self.session
        if not session.ghosts():
            self._say(self._why_no_ghosts(), 6000)
            self.view.focusNextPrevChild(forward)  # Tab's usual move to the next widget
            return
        selected = session.selected_span()
        if selected is not None:
            after = selected.end if forward else selected.start
        else:
            after = self.view.caret_offset()
        session.select(None)  # Enter and Backspace now act on the ghost, not an annotation
        span = session.next_suggestion(forward, after)
        if span is not None:
            self._say(self._describe("{label} «{words}» from {name}", span), 6000)

    def _why_no_ghosts(self) -> str:
        session = self.session
        if session.suggested.pending and session.project.read_only:
            return self.texts("The project is open read-only: suggestions are not shown")
        if session.suggested.pending and not session.suggestions_shown:
            return self.texts("Suggestions are hidden: Suggestions > Show suggestions")
        if session.suggested.pending and not session.editable():
            return self.texts(
                "Suggestions are shown over your own layer: choose it under View > Annotations shown"
            )
        return self.texts("no suggestions in this document")

    def accept(self) -> None:
        """Enter: accept the ghost in focus (with its links); the focus moves on."""
        said = "Accepted {label} «{words}» ({n} left in this document)"
        self._decide(self.session.accept_suggestion, said)

    def reject(self) -> None:
        """Backspace: reject the ghost in focus; it is not proposed again."""
        session = self.session
        if session.focused_suggestion is None and session.selected_span() is not None:
            # Delete deletes annotations; Backspace must not surprise anyone by doing it too.
            self._say(
                self.texts(
                    "Backspace rejects a suggestion (Tab goes to one);"
                    " Delete deletes the selected annotation"
                ),
                8000,
            )
            return
        self._decide(
            session.reject_suggestion, "Rejected {label} «{words}» ({n} left in this document)"
        )

    def _decide(self, decide: Callable[[], Span], said: str) -> None:
        try:
            span = decide()
        except AnnotatorError as exc:
            self.report(exc)
            return
        self._say(self._with_left_out(self._describe(said, span, n=len(self.session.ghosts()))))

    def _with_left_out(self, said: str) -> str:
        """Add to a message what the accept left out because the user had rejected it."""
        if not self.session.left_out:
            return said
        what = ", ".join(
            f"the {self._link_name(kind)} {isolated(_excerpt(self.session.text, span))}"
            for kind, span in self.session.left_out
        )
        return self.texts("{said}; left out {what} you had rejected", said=said, what=what)

    def accept_all(self) -> None:
        """Accept every ghost of the open document as one undo step."""
        try:
            count = self.session.accept_all_suggestions()
        except AnnotatorError as exc:
            self.report(exc)
            return
        said = self.texts("Accepted {n} suggestion(s) in this document", n=count)
        self._say(self._with_left_out(said))

    def toggle_shown(self) -> None:
        """Suggestions > Show suggestions: draw the ghosts or not (kept in the preferences)."""
        shown = self.shown_action is None or self.shown_action.isChecked()
        preferences.set_suggestions_shown(shown)
        self.session.set_suggestions_shown(shown)

    def open_stats(self) -> StatsDialog:
        """Suggestions > Suggestion statistics…: the user's decisions per recommender and label."""
        project = self.session.project
        dialog = StatsDialog(self.texts, project.suggestion_stats(project.annotator), self.window)
        self.stats_dialog = dialog
        dialog.open()
        return dialog

    def _describe(self, key: str, span: Span, **values: object) -> str:
        words = isolated(_excerpt(self.session.text, span))
        name = recommender_of(span.annotator) or span.annotator
        return self.texts(key, label=span.label, words=words, name=name, **values)

    def _say(self, text: str, ms: int = 8000) -> None:
        self.status_bar.showMessage(text, ms)

    # ---- running a recommender -----------------------------------------------------------

    def open_run_dialog(self) -> RunDialog | None:
        """Suggestions > Run recommender…: choose, then OK runs it."""
        if self.job is not None:
            self._say(self.texts("A recommender is running: wait for it, or cancel it"), 6000)
            return None
        project = self.session.project
        dialog = RunDialog(
            self.texts,
            project.annotator,
            project.annotators(),
            project.load_model("crf"),
            self.session.document is not None,
            self.window,
        )
        dialog.accepted.connect(lambda: self.run(dialog.choice()))
        dialog.finished.connect(lambda _r: self.view.setFocus(Qt.FocusReason.OtherFocusReason))
        self.run_dialog = dialog
        dialog.open()
        return dialog

    def run(self, choice: RunChoice) -> None:
        """Run a recommender as chosen, in a worker with its own connection."""
        project, document = self.session.project, self.session.document
        path, me = project.path, project.annotator
        doc_id = document.id if document is not None else ""
        where = self.list_filter()
        phases = self.phases
        self.report_box = None

        def work(_progress: Progress, cancelled: CancelCheck) -> object:
            with Project.open(path, annotator=me) as opened:
                ids = _documents(opened, choice.scope, doc_id, where)
                options = {"retrain": True} if choice.retrain else {}
                recommender = registry.make(choice.recommender, **options)
                return run_recommender(
                    opened,
                    recommender,
                    source=choice.source,
                    doc_ids=ids,
                    progress=phases.moved.emit,
                    cancelled=cancelled,
                )

        label = self.texts("Starting {name}…", name=choice.recommender)
        self.job = Job(self.window, label, self.texts("Cancel"), 1, work)
        self.job.succeeded.connect(self._ran)
        self.job.failed.connect(self._failed)
        self.job.cancelled.connect(
            lambda: self._say(self.texts("Cancelled: no suggestions were stored"), 10000)
        )
        self.job.finished.connect(self._finished)
        self._source = choice.source
        self.job.start()

    @Slot(str, int, int)
    def _moved(self, phase: str, done: int, total: int) -> None:
        if self.job is None:
            return
        if phase == "learning":
            key = "Learning from {source}… {done} / {total}"
        else:
            key = "Proposing… {done} / {total}"
        dialog = self.job.dialog
        dialog.setLabelText(self.texts(key, source=self._source, done=done, total=total))
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))

    def _ran(self, result: object) -> None:
        assert isinstance(result, RunReport)
        try:
            self.session.refresh()  # the open document's ghosts
        except AnnotatorError as exc:
            self.report(exc)
        lines = result.lines()
        self._say(lines[0], 15000)
        title = self.texts("Run recommender")
        box = plain_message(QMessageBox.Icon.Information, title, "\n".join(lines), self.window)
        box.finished.connect(lambda _r: self.view.setFocus(Qt.FocusReason.OtherFocusReason))
        self.report_box = box
        box.open()

    def _failed(self, error: AnnotatorError) -> None:
        self._say(str(error), 15000)
        self.report_box = message(
            self.window, QMessageBox.Icon.Warning, self.texts("Run recommender"), str(error)
        )

    def _finished(self) -> None:
        self.job = None


def _documents(
    project: Project, scope: str, doc_id: str, where: DocumentFilter
) -> list[str] | None:
    """Return the ids a run proposes for: the open one, the list as filtered, or None (all)."""
    if scope == "document":
        return [doc_id]
    if scope == "all":
        return None
    listing = DocumentListing(project, where)
    ids: list[str] = []
    try:
        while True:
            rows = listing.rows(ids[-1] if ids else None, PAGE)
            ids.extend(row.id for row in rows)
            if len(rows) < PAGE:
                return ids
    finally:
        listing.close()


def _excerpt(text: str, span: Span) -> str:
    words = " ".join(text[span.start : span.end].split())
    return words if len(words) <= EXCERPT else words[: EXCERPT - 1] + "…"
