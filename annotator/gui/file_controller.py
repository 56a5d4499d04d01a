"""File menu: new and open project, import, export, preferences. Long work runs as a Job."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import cast

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from annotator.errors import AnnotatorError
from annotator.gui import preferences
from annotator.gui.export_dialog import ExportDialog, start_export
from annotator.gui.i18n import Texts
from annotator.gui.import_dialog import ImportDialog, start_import
from annotator.gui.jobs import Job
from annotator.gui.plaintext import plain_message
from annotator.gui.server_project import ServerProjectDialog
from annotator.io.alignment import ExportReport
from annotator.io.operations import Selection
from annotator.io.split import Split
from annotator.session import EditingSession, Layer
from annotator.store import ImportReport, Project
from annotator.store.pg.location import is_server_url

Report = Callable[[AnnotatorError], None]
# Windows opened from File > Open stay referenced here until they close.
OPEN_WINDOWS: list[QMainWindow] = []


class FileController(QObject):
    """What the File menu does; the window passes itself for dialogs and new windows."""

    def __init__(
        self,
        session: EditingSession,
        window: QMainWindow,
        texts: Texts,
        report: Report,
        after_import: Callable[[], None],
    ) -> None:
        super().__init__(window)
        self.session, self.window, self.texts, self.report = session, window, texts, report
        self.after_import = after_import
        self.job: Job | None = None
        self.export_report_box: QMessageBox | None = None
        self.import_report_box: QMessageBox | None = None

    @property
    def project(self) -> Project:
        """Return the window's project."""
        return self.session.project

    def _say(self, message: str) -> None:
        self.window.statusBar().showMessage(message)

    # ---- projects -------------------------------------------------------------------------

    def open_project(self, path: Path) -> None:
        """Open another project in a new window and close this one."""
        try:
            make = cast(Callable[..., QMainWindow], type(self.window))
            # On a server one writes as one's login; a file from a server window takes the
            # name in the preferences.
            crossing = self.project.on_server or is_server_url(path)
            window = make(path, annotator=None if crossing else self.project.annotator)
        except AnnotatorError as exc:
            self.report(exc)
            return
        OPEN_WINDOWS.append(window)
        window.destroyed.connect(
            lambda: OPEN_WINDOWS.remove(window) if window in OPEN_WINDOWS else None
        )
        window.show()
        self.window.close()

    def open_project_dialog(self) -> None:
        """File > Open project."""
        path, _ = QFileDialog.getOpenFileName(
            self.window,
            self.texts("Open project"),
            str(self.project.path.parent),
            "Projects (*.sqlite)",
        )
        if path:
            self.open_project(Path(path))

    def open_server_dialog(self) -> None:
        """File > Open server project: type a postgresql:// URL, then open it as above."""
        url = str(self.project.path) if self.project.on_server else "postgresql://"
        dialog = ServerProjectDialog(self.texts, url, self.window)
        location = dialog.location() if dialog.exec() else None
        if location is not None:
            self.open_project(location)

    def new_project_dialog(self) -> None:
        """File > New project: create an empty project file and open it."""
        path, _ = QFileDialog.getSaveFileName(
            self.window,
            self.texts("New project"),
            str(self.project.path.parent),
            "Projects (*.sqlite)",
        )
        if not path:
            return
        try:
            Project.create(path, annotator=self.project.annotator).close()
        except AnnotatorError as exc:
            self.report(exc)
            return
        self.open_project(Path(path))

    def preferences_dialog(self) -> None:
        """File > Preferences: a new annotator name applies at once to this window."""
        if preferences.PreferencesDialog(self.texts, self.window).exec():
            if self.project.on_server:  # one writes there as one's login, whatever the name
                return
            self.project.annotator = preferences.annotator_name()
            self.session.set_layer(Layer.of(self.project.annotator))

    # ---- export ---------------------------------------------------------------------------

    def export_dialog(self) -> None:
        """File > Export: choose, then write in a worker thread with a progress dialog."""
        try:
            dialog = ExportDialog(self.project, self.texts, self.window)
        except AnnotatorError as exc:
            self.report(exc)
            return
        if not dialog.exec():
            return
        try:
            split = dialog.split()
        except AnnotatorError as exc:
            self.report(exc)
            return
        self.export_to(dialog.out_path(), dialog.fmt(), dialog.selection(), split)

    def export_to(
        self, out: Path, fmt: str, selection: Selection, split: Split | None = None
    ) -> Job:
        """Start an export (the dialog's OK; tests); the returned job reports back."""
        job = start_export(self.window, self.texts, self.project, out, fmt, selection, split)
        job.succeeded.connect(lambda report: self._exported(report, out))
        return self._track(job, "Export cancelled; no file was written")

    def _exported(self, report: ExportReport, out: Path) -> None:
        message = self.texts(
            "Wrote {count} document(s) to {path}", count=report.documents, path=out
        )
        # A split's parts and their document counts, as `annotator export --split` prints them.
        parts = report.part_lines()
        self._say("; ".join([message, *parts]))
        # Spans a token-based format could not hold: said, never hidden.
        if parts or report.lines():
            box = plain_message(
                QMessageBox.Icon.Information, self.texts("Export"), message, self.window
            )
            box.setInformativeText("\n".join(parts) or report.lines()[0])
            if report.lines():
                box.setDetailedText("\n".join(report.lines()))
            box.open()
            self.export_report_box = box

    # ---- import ---------------------------------------------------------------------------

    def import_dialog(self) -> Job | None:
        """File > Import: choose files, then import in a worker thread (all or nothing)."""
        dialog = ImportDialog(self.project, self.texts, self.window)
        if not dialog.exec():
            return None
        return self.import_from(dialog)

    def import_from(self, dialog: ImportDialog) -> Job:
        """Start an import from a filled-in dialog; the list refreshes when it succeeds."""
        job = start_import(self.window, self.texts, self.project, dialog)
        job.succeeded.connect(self._imported)
        return self._track(job, "Import cancelled; nothing was imported")

    def _imported(self, report: ImportReport) -> None:
        self.after_import()
        message = self.texts("Imported {count} document(s)", count=len(report.added))
        self._say(message)
        hint = 'tick "Apply corrections" in File > Import to apply them'
        lines = report.read_lines + report.lines(hint)
        if lines:  # layers read, annotations not applied, ids renamed: said, never hidden
            box = QMessageBox(
                QMessageBox.Icon.Information, self.texts("Import"), message, parent=self.window
            )
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setInformativeText((report.lines(hint) or lines)[0])
            box.setDetailedText("\n".join(lines))
            box.open()
            self.import_report_box = box

    def _track(self, job: Job, cancelled_message: str) -> Job:
        job.failed.connect(self.report)
        job.cancelled.connect(lambda: self._say(self.texts(cancelled_message)))
        self.job = job
        return job
