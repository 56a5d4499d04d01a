"""The main window: builds the parts, docks them and hands each the editing session.

What the window is doing (document, layer, selections, link mode, undo history) lives in one
:class:`annotator.session.EditingSession`; controllers turn user input into session calls and
session events into redraws. This class only builds and docks, and keeps the automation names.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QMainWindow, QMessageBox, QVBoxLayout, QWidget

from annotator.errors import AnnotatorError, ValidationError
from annotator.gui import preferences
from annotator.gui.actions import build_actions, build_menus, focus_article_after
from annotator.gui.annotation_list import AnnotationList
from annotator.gui.document_controller import DocumentController
from annotator.gui.document_list import DocumentList
from annotator.gui.edit_controller import EditController
from annotator.gui.errors import log_path
from annotator.gui.file_controller import FileController
from annotator.gui.find_bar import FindBar
from annotator.gui.help import ABOUT, keys_help
from annotator.gui.i18n import Texts
from annotator.gui.inspector import Inspector
from annotator.gui.palette import LabelPalette
from annotator.gui.review_dock import ReviewController
from annotator.gui.text_view import ArticleView
from annotator.gui.window_layout import WindowLayout
from annotator.model.document import DOCUMENT_STATUSES
from annotator.session import EditingSession, Layer
from annotator.store import Project


class MainWindow(QMainWindow):
    """Document list, article, label palette, inspector and annotation list of one project."""

    def __init__(
        self, project_path: str | Path, annotator: str | None = None, read_only: bool = False
    ) -> None:
        super().__init__()
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.texts = Texts(preferences.language())
        name = annotator or preferences.annotator_name()
        self.project = Project.open(Path(project_path), annotator=name, read_only=read_only)
        self.session = EditingSession(self.project)
        self.actions_by_name: dict[str, QAction] = {}
        self.documents: DocumentController
        self._build_widgets()
        self._build_controllers()
        self._build_actions()
        self.session.document_shown.connect(self._document_shown)
        self.session.history.changed.connect(self._history_changed)
        self.layout_.restore()
        self.texts.set_language(self.texts.language)
        self.session.set_layer(self.documents.start_layer())
        ids = self.project.document_ids()
        last = preferences.last_document(self.project.path)
        if ids:
            self.open_document(last if last in ids else ids[0])
        self._history_changed()
        self._update_title()
        self.documents.watcher.start()

    # ---- construction ---------------------------------------------------------------------

    def _build_widgets(self) -> None:
        schema = self.project.schema
        self.text_view = ArticleView()
        self.find_bar = FindBar(self.texts)
        self.find_bar.hide()
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.find_bar)
        column.addWidget(self.text_view, 1)
        self.setCentralWidget(central)
        self.document_list = DocumentList(self.project, self.texts)
        self.label_palette = LabelPalette(schema)
        self.inspector = Inspector(schema, self.texts)
        self.annotation_list = AnnotationList(schema, self.texts)
        self.layout_ = WindowLayout(self, self.text_view, self.texts)
        for name, title, widget in (
            ("documents", "Documents", self.document_list),
            ("annotations", "Annotations", self.annotation_list),
            ("labels", "Labels", self.label_palette),
            ("inspector", "Annotation", self.inspector),
        ):
            self.layout_.dock(name, title, widget)
        self.layout_.place()
        self.docks = self.layout_.docks

    def _build_controllers(self) -> None:
        session, bar, texts, report = self.session, self.statusBar(), self.texts, self.report_error
        self.editing = EditController(
            session, self.text_view, self.annotation_list, self.inspector,
            self.label_palette, self.find_bar, bar, texts, report, self,
        )  # fmt: skip
        self.files = FileController(session, self, texts, report, self.refresh_from_store)

    def _build_actions(self) -> None:
        view, edit, files = self.text_view, self.editing, self.files
        handlers: dict[str, Callable[[], object]] = {
            "new": files.new_project_dialog,
            "open": files.open_project_dialog,
            "import": files.import_dialog,
            "export": files.export_dialog,
            "preferences": files.preferences_dialog,
            "quit": self.close,
            "undo": self.undo,
            "redo": self.redo,
            "delete": edit.delete_selected,
            "link": lambda: edit.toggle_link_mode(self.actions_by_name["link"].setChecked),
            "find": self.find_bar.open_bar,
            "end_later": lambda: edit.move_edge("end", True),
            "end_earlier": lambda: edit.move_edge("end", False),
            "start_later": lambda: edit.move_edge("start", True),
            "start_earlier": lambda: edit.move_edge("start", False),
            "zoom_in": view.zoom_in,
            "zoom_out": view.zoom_out,
            "zoom_reset": view.reset_zoom,
            "precision": self._toggle_precision,
            "reset_layout": self.layout_.reset,
            "keys": self.show_keys,
            "about": self.show_about,
            **{f"status_{s}": partial(self._set_status, s) for s in DOCUMENT_STATUSES},
        }
        handlers["import"] = focus_article_after(view, files.import_dialog)
        handlers["export"] = focus_article_after(view, files.export_dialog)
        self.actions_by_name = build_actions(self, self.texts, handlers)
        self.menus = build_menus(self.menuBar(), self.texts, self.actions_by_name)
        self.documents = DocumentController(
            self.session, self.document_list, self.menus["layers"], self.actions_by_name,
            self.statusBar(), self.texts, self.report_error, self,
        )  # fmt: skip
        self.addToolBar(self.documents.toolbar())
        self.session.link_mode_changed.connect(
            lambda head: self.actions_by_name["link"].setChecked(head is not None)
        )
        for label in self.project.schema.labels:
            if label.shortcut:
                self._shortcut(label.shortcut, partial(self.annotate, label.id))
        self._shortcut(QKeySequence(Qt.Key.Key_Escape), self.editing.escape)
        self.review = ReviewController(
            self.session, self, self.text_view, self.menus["review"], self.texts,
            self.report_error, self.open_document,
        )  # fmt: skip
        self.docks["review"] = self.review.dock
        self._fill_file_and_language_menus()
        self.layout_.remember_default()

    def _set_status(self, status: str) -> None:
        self.documents.set_status(status)

    def _shortcut(self, keys: QKeySequence | str, slot: Callable[[], object]) -> None:
        act = QAction(self)
        act.setShortcut(QKeySequence(keys))
        act.triggered.connect(lambda _c=False: slot())
        self.addAction(act)

    def _fill_file_and_language_menus(self) -> None:
        recent = self.menus["recent"]
        paths = preferences.add_recent_project(self.project.path)
        if not paths:
            recent.addAction(self.texts("(none)")).setEnabled(False)
        for path in paths:
            act = recent.addAction(str(path))
            act.triggered.connect(lambda _c=False, p=path: self.files.open_project(p))
        group = QActionGroup(self)
        for code, caption in (("en", "English"), ("ar", "العربية")):
            act = QAction(caption, self, checkable=True)
            act.setChecked(self.texts.language == code)
            act.triggered.connect(lambda _c=False, c=code: self.set_language(c))
            group.addAction(act)
            self.menus["language"].addAction(act)
            self.actions_by_name[f"language_{code}"] = act

    # ---- session events -------------------------------------------------------------------

    def _document_shown(self) -> None:
        self.editing.show_document()
        self.documents.document_shown()
        self.review.document_shown()
        self._hint_other_layers()
        self._update_title()

    def _hint_other_layers(self) -> None:
        # An empty layer: point at the annotations others made of this text.
        session = self.session
        if session.spans or session.document is None or session.layer.is_everyone:
            return
        count = len(self.project.spans(session.document.id))
        if count:
            message = "Other annotators made {count} annotation(s) here: choose them under Show"
            self.statusBar().showMessage(self.texts(message, count=count), 20000)

    def _history_changed(self) -> None:
        history = self.session.history
        for name, edit in (("undo", history.next_undo()), ("redo", history.next_redo())):
            act = self.actions_by_name[name]
            act.setEnabled(edit is not None)
            act.setToolTip(edit.description if edit else "")

    def _toggle_precision(self) -> None:
        self.text_view.set_character_precision(self.actions_by_name["precision"].isChecked())
        self.documents.update_status_line()

    def _update_title(self) -> None:
        doc = self.session.document
        title = doc.title if doc else self.texts("(no document)")
        self.setWindowTitle(f"{title} — {self.project.name} — Arabic News Annotator")

    # ---- what scripts and menus call --------------------------------------------------------

    def open_document(self, doc_id: str) -> None:
        """Show document ``doc_id`` with the annotations of the shown layer."""
        self.documents.open_document(doc_id)

    def select_span(self, span_id: str | None) -> None:
        """Select an annotation (None: none), as a click on it does."""
        self.editing.select_span(span_id)

    def set_layer(self, layer: Layer | str) -> None:
        """Show one annotator's annotations (a name or a Layer), or Layer.everyone()."""
        self.documents.set_layer(layer if isinstance(layer, Layer) else Layer.of(layer))

    def annotate(self, label_id: str) -> None:
        """What a label key does: annotate the selected text, else relabel the selection."""
        self.editing.annotate(label_id)

    def undo(self) -> None:
        """Edit > Undo: take back the last edit (opening its document)."""
        self._replay(self.session.undo, "Undone: {what}")

    def redo(self) -> None:
        """Edit > Redo: apply the last undone edit again."""
        self._replay(self.session.redo, "Redone: {what}")

    def _replay(self, step: Callable[[], str | None], message: str) -> None:
        try:
            what = step()
        except AnnotatorError as exc:
            self.report_error(exc)
            return
        if what:
            self.statusBar().showMessage(self.texts(message, what=what), 4000)
        self.text_view.setFocus(Qt.FocusReason.OtherFocusReason)

    def refresh_from_store(self) -> None:
        """Re-read the list and the open document from disk."""
        self.documents.refresh_from_store()

    def report_error(self, exc: AnnotatorError) -> None:
        """Show an error: rule violations in the status bar, anything else in a dialog too."""
        self.statusBar().showMessage(str(exc), 15000)
        if not isinstance(exc, ValidationError):
            self._message(QMessageBox.Icon.Warning, self.texts("Error"), str(exc))

    def _message(self, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
        box = QMessageBox(icon, title, text, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)  # file names and ids are never markup
        box.open()
        return box

    def show_about(self) -> None:
        """Help > About, with where the error log is."""
        log = self.texts("Error log: {path}", path=log_path())
        title = self.texts("About Arabic News Annotator")
        self._message(QMessageBox.Icon.Information, title, f"{ABOUT}\n\n{log}")

    def show_keys(self) -> None:
        """Help > Keys and mouse."""
        self._message(QMessageBox.Icon.Information, self.texts("Keys and mouse"), keys_help())

    def set_language(self, code: str) -> None:
        """Switch the UI language ("en" or "ar"); Arabic mirrors the layout right to left."""
        preferences.set_language(code)
        self.texts.set_language(code)
        self.actions_by_name[f"language_{code}"].setChecked(True)
        self.document_list.model.refresh()  # headers and status names in the new language
        self.layout_.place()
        self.documents.refresh_layers()
        self.documents.update_status_line()

    def showEvent(self, event: QShowEvent) -> None:
        """First show: the docks take their default share of the width."""
        super().showEvent(event)
        self.layout_.shown()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Remember the layout, then close the project (every edit is already saved)."""
        self.layout_.save()
        self.documents.watcher.stop()
        self.project.close()
        super().closeEvent(event)
