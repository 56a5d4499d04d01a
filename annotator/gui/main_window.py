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
from PySide6.QtGui import QAction, QCloseEvent, QShowEvent
from PySide6.QtWidgets import QMainWindow, QMessageBox, QVBoxLayout, QWidget

from annotator.errors import AnnotatorError, ValidationError
from annotator.gui import preferences
from annotator.gui.actions import (
    build_actions,
    build_menus,
    fill_language_menu,
    fill_recent_menu,
    focus_article_after,
)
from annotator.gui.annotation_list import AnnotationList
from annotator.gui.consistency_dock import ConsistencyController
from annotator.gui.document_controller import DocumentController
from annotator.gui.document_list import DocumentList
from annotator.gui.edit_controller import EditController
from annotator.gui.file_controller import FileController
from annotator.gui.find_bar import FindBar
from annotator.gui.help import message, show_about, show_keys
from annotator.gui.i18n import Texts
from annotator.gui.inspector import Inspector
from annotator.gui.palette import LabelPalette
from annotator.gui.review_dock import ReviewController
from annotator.gui.search_dock import SearchController
from annotator.gui.server_project import project_caption
from annotator.gui.suggest_controller import SuggestController
from annotator.gui.team_controller import TeamController
from annotator.gui.text_view import ArticleView
from annotator.gui.window_layout import WindowLayout
from annotator.model.document import DOCUMENT_STATUSES
from annotator.session import EditingSession, Layer
from annotator.store import Project
from annotator.store.pg.location import is_server_url


class MainWindow(QMainWindow):
    """Document list, article, label palette, inspector and annotation list of one project."""

    def __init__(
        self, project_path: str | Path, annotator: str | None = None, read_only: bool = False
    ) -> None:
        super().__init__()
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.texts = Texts(preferences.language())
        # On a server project one's annotations are the login's (Project.open), unless named.
        saved = None if is_server_url(project_path) else preferences.annotator_name()
        name = annotator or saved
        target = project_path if is_server_url(project_path) else Path(project_path)
        self.project = Project.open(target, annotator=name, read_only=read_only)
        self.session = EditingSession(self.project)
        self.actions_by_name: dict[str, QAction] = {}
        self.documents: DocumentController
        self._build_widgets()
        self._build_controllers()
        self._build_actions()
        self.session.document_shown.connect(self._document_shown)
        self.layout_.restore()
        self.texts.set_language(self.texts.language)
        self.session.set_layer(self.documents.start_layer())
        self.documents.open_start_document()
        self._update_title()
        self.documents.watcher.start()
        if self.project.immutable:  # read-only media: nothing can be saved, and the user knows
            note = "This project is on read-only media: opened read-only, as an unchangeable file"
            self.statusBar().showMessage(self.texts(note))
        elif self.project.schema.keys_dropped:  # label keys this window now keeps for itself
            dropped = "; ".join(self.project.schema.keys_dropped)
            self.statusBar().showMessage(
                f"{self.texts('Label keys now used by the window, choose these labels in the palette')}:"
                f" {dropped}"
            )

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
        ):
            self.layout_.dock(name, title, widget)
        self.layout_.dock("inspector", "Annotation", self.inspector, scroll=True)
        self.layout_.place()
        self.docks = self.layout_.docks

    def _build_controllers(self) -> None:
        session, bar, texts, report = self.session, self.statusBar(), self.texts, self.report_error
        self.editing = EditController(
            session, self.text_view, self.annotation_list, self.inspector,
            self.label_palette, self.find_bar, bar, texts, report, self,
        )  # fmt: skip
        self.files = FileController(session, self, texts, report, self.refresh_from_store)
        self.suggestions = SuggestController(
            session, self, self.text_view, self.inspector, texts, report,
            lambda: self.document_list.model.filter,
        )  # fmt: skip

    def _build_actions(self) -> None:
        view, edit, files = self.text_view, self.editing, self.files
        handlers: dict[str, Callable[[], object]] = {
            "new": files.new_project_dialog,
            "open": files.open_project_dialog,
            "open_server": files.open_server_dialog,
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
            "precision": lambda: self.documents.set_precision(self.text_view),
            "next_document": lambda: self.documents.next_document(),
            "previous_document": lambda: self.documents.previous_document(),
            "next_not_done": lambda: self.documents.next_not_done(),
            "next_assigned": lambda: self.team.next_assigned(),
            "reset_layout": self.layout_.reset,
            "keys": lambda: show_keys(self, self.texts),
            "about": lambda: show_about(self, self.texts),
            **{f"status_{s}": partial(self._set_status, s) for s in DOCUMENT_STATUSES},
            **self.suggestions.handlers(),
        }
        for name in ("import", "export", "preferences", "new", "open", "open_server"):
            handlers[name] = focus_article_after(view, handlers[name])
        self.actions_by_name = build_actions(self, self.texts, handlers)
        self.menus = build_menus(self.menuBar(), self.texts, self.actions_by_name)
        self.documents = DocumentController(
            self.session, self.document_list, self.menus["layers"], self.actions_by_name,
            self.statusBar(), self.texts, self.report_error, self,
        )  # fmt: skip
        self.addToolBar(self.documents.toolbar())
        self.editing.install_keys(self, self.actions_by_name)
        self.suggestions.install(self.actions_by_name)
        self.review = ReviewController(
            self.session, self, self.text_view, self.menus["review"], self.texts,
            self.report_error, self.open_document,
        )  # fmt: skip
        self.docks["review"] = self.review.dock
        self.consistency = ConsistencyController(
            self.session, self, self.text_view, self.menus["review"], self.texts,
            self.report_error, self.open_document, self.select_span,
        )  # fmt: skip
        self.docks["consistency"] = self.consistency.dock
        self.search = SearchController(
            self.session, self, self.text_view, self.label_palette, self.menus["document"],
            self.texts, self.report_error, self.open_document,
        )  # fmt: skip
        self.docks["search"] = self.search.dock
        self.team = TeamController(
            self.session, self, self.menus["review"], self.texts, self.report_error,
            self.open_document,
        )  # fmt: skip
        recent = preferences.add_recent_project(self.project.path)
        fill_recent_menu(self.menus["recent"], self.texts, recent, self.files.open_project)
        languages = fill_language_menu(self.menus["language"], self.texts, self.set_language)
        self.actions_by_name.update(languages)
        self.editing.follow_history(self.actions_by_name["undo"], self.actions_by_name["redo"])
        self.layout_.remember_default()

    def _set_status(self, status: str) -> None:
        self.documents.set_status(status)

    # ---- session events -------------------------------------------------------------------

    def _document_shown(self) -> None:
        self.editing.show_document()
        self.documents.document_shown()
        self.review.document_shown()
        self.documents.hint_other_layers()
        self._update_title()

    def _update_title(self) -> None:
        doc = self.session.document
        title = doc.title if doc else self.texts("(no document)")
        where = project_caption(self.project)
        self.setWindowTitle(f"{title} — {where} — Arabic News Annotator")

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
        self.editing.replay(self.session.undo, "Undone: {what}")

    def redo(self) -> None:
        """Edit > Redo: apply the last undone edit again."""
        self.editing.replay(self.session.redo, "Redone: {what}")

    def refresh_from_store(self) -> None:
        """Re-read the schema, the list and the open document from disk."""
        if self.project.reload_schema():  # an import added labels: show and offer them
            schema = self.session.schema = self.project.schema
            self.label_palette.set_schema(schema)
            self.inspector.set_schema(schema)
            self.annotation_list.list_model.set_schema(schema)
        self.documents.refresh_from_store()

    def report_error(self, exc: AnnotatorError) -> None:
        """Show an error: rule violations in the status bar, anything else in a dialog too."""
        self.statusBar().showMessage(str(exc), 15000)
        if not isinstance(exc, ValidationError):
            message(self, QMessageBox.Icon.Warning, self.texts("Error"), str(exc))

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
        self.documents.remember_position()
        self.documents.watcher.stop()
        self.project.close()
        super().closeEvent(event)
