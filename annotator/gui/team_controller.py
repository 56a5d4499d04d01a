"""Team work in the window: Document > Next assigned, and Review > Team progress….

Next assigned opens the next document given to the window's annotator that they have not
marked done (:mod:`annotator.store.assignments`): in project order after the open one, then
from the start, whatever the list's filter; the status bar says why when there is none. Team
progress shows the table ``annotator progress`` prints (:mod:`annotator.review.progress`),
made in a worker thread with its own read-only connection (:mod:`annotator.gui.jobs`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.errors import AnnotatorError
from annotator.gui.i18n import Texts
from annotator.gui.jobs import CancelCheck, Job, Progress
from annotator.review.progress import TeamProgress, progress_lines, team_progress
from annotator.session import EditingSession
from annotator.store import Project

Report = Callable[[AnnotatorError], None]
MESSAGE_MS = 10000
TAB_COLUMNS = 12  # characters between tab stops: names and numbers line up in columns


class ProgressDialog(QDialog):
    """The team progress table as plain text, with Refresh and Close."""

    refreshRequested = Signal()

    def __init__(self, texts: Texts, parent: QWidget) -> None:
        super().__init__(parent)
        texts.bind(self.setWindowTitle, "Team progress")
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.text.setFont(font)
        self.text.setTabStopDistance(self.text.fontMetrics().horizontalAdvance(" ") * TAB_COLUMNS)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.refresh_button = QPushButton()
        texts.bind(self.refresh_button.setText, "Refresh")
        buttons.addButton(self.refresh_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        self.refresh_button.clicked.connect(self.refreshRequested)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(640, 360)

    def show_report(self, report: TeamProgress) -> None:
        """Show the report's table (names are plain text here: nothing is read as markup)."""
        self.text.setPlainText("\n".join(progress_lines(report)))

    def set_busy(self, busy: bool) -> None:
        """Disable Refresh while the report is being made."""
        self.refresh_button.setEnabled(not busy)


class TeamController(QObject):
    """Next assigned and the team progress dialog of one window."""

    def __init__(
        self,
        session: EditingSession,
        window: QMainWindow,
        menu: QMenu,
        texts: Texts,
        report: Report,
        open_document: Callable[[str], None],
    ) -> None:
        super().__init__(window)
        self.session, self.window, self.texts = session, window, texts
        self.report, self.open_document = report, open_document
        self.job: Job | None = None
        self.dialog: ProgressDialog | None = None
        self.progress_action = QAction(window)
        texts.bind(self.progress_action.setText, "Team &progress…")
        self.progress_action.triggered.connect(lambda _checked=False: self.show_progress())
        menu.addSeparator()
        menu.addAction(self.progress_action)

    # ---- next assigned ---------------------------------------------------------------------

    def next_assigned(self) -> None:
        """Document > Next assigned: open the next document assigned to me and not done."""
        current = self.session.document.id if self.session.document else None
        try:
            target = self.session.project.next_assigned(current)
            why = "" if target else self._why_none()
        except AnnotatorError as exc:
            self.report(exc)
            return
        if target is None:
            self.window.statusBar().showMessage(why, MESSAGE_MS)
            return
        self.open_document(target)

    def _why_none(self) -> str:
        project, document = self.session.project, self.session.document
        if document is not None and project.assignment_done(document.id) is False:
            return self.texts("This is the last document assigned to you that is not done")
        if not project.assignments(project.annotator):
            return self.texts("No document is assigned to you ({name})", name=project.annotator)
        return self.texts("Every document assigned to you is marked done")

    # ---- team progress ---------------------------------------------------------------------

    def show_progress(self) -> None:
        """Review > Team progress…: show the dialog and make the report again."""
        if self.dialog is None:
            self.dialog = ProgressDialog(self.texts, self.window)
            self.dialog.refreshRequested.connect(self.refresh)
        self.dialog.show()
        self.dialog.raise_()
        self.refresh()

    def refresh(self) -> None:
        """Make the report in a worker thread; the dialog shows it when it is done."""
        if self.job is not None or self.dialog is None:
            return
        path = self.session.project.path

        def work(progress: Progress, cancelled: CancelCheck) -> object:
            with Project.open(path, read_only=True) as opened:
                return team_progress(opened, progress=progress, cancelled=cancelled)

        total = self.session.project.document_count()
        self.job = Job(self.window, self.texts("Counting…"), self.texts("Cancel"), total, work)
        self.job.succeeded.connect(self._show)
        self.job.failed.connect(self.report)
        self.job.finished.connect(self._finished)
        self.dialog.set_busy(True)
        self.job.start()

    def _show(self, report: object) -> None:
        if self.dialog is not None and isinstance(report, TeamProgress):
            self.dialog.show_report(report)

    def _finished(self) -> None:
        self.job = None
        if self.dialog is not None:
            self.dialog.set_busy(False)
