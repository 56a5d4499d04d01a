"""The main window: wires the article view, lists, palette, inspector and menus to the editor.

Every edit goes through the undo stack (annotator/gui/commands.py) and is written to the project
at once. Every AnnotatorError an action raises reaches :meth:`MainWindow.report_error`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QAction, QCloseEvent, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from annotator.errors import AnnotatorError, ValidationError
from annotator.gui import commands, preferences
from annotator.gui.annotation_list import AnnotationList
from annotator.gui.document_list import DocumentList
from annotator.gui.editor import DocumentEditor
from annotator.gui.errors import log_path
from annotator.gui.find_bar import FindBar
from annotator.gui.help import ABOUT, keys_help
from annotator.gui.i18n import Texts
from annotator.gui.inspector import Inspector
from annotator.gui.linking import LinkMode
from annotator.gui.menus import build_menus, build_toolbar, fill_layer_menu, fill_recent_menu
from annotator.gui.palette import LabelPalette
from annotator.gui.review_dock import install_review
from annotator.gui.text_view import ArticleView
from annotator.gui.watcher import ProjectWatcher
from annotator.gui.window_actions import WindowActionsMixin, reported
from annotator.model.document import Span
from annotator.model.schema import RelationType
from annotator.store import Project


class MainWindow(WindowActionsMixin, QMainWindow):
    """Document list, article view, label palette, inspector and annotation list of one project."""

    def __init__(
        self, project_path: str | Path, annotator: str | None = None, read_only: bool = False
    ) -> None:
        super().__init__()
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.texts = Texts(preferences.language())
        name = annotator or preferences.annotator_name()
        self.project = Project.open(Path(project_path), annotator=name, read_only=read_only)
        self.undo_stack = QUndoStack(self)
        self.editor = DocumentEditor(self.project)
        self.selected_span: str | None = None
        self.layer_actions: dict[str, QAction] = {}
        self.recent_menu: QMenu
        self.layer_menu: QMenu
        self.status_combo: QComboBox
        self.layer_combo: QComboBox
        self._build_widgets()
        self.menus, self.actions = build_menus(self, self.texts)
        self.toolbar = build_toolbar(self, self.texts)
        self._connect()
        self.review_panel = install_review(self)  # Review menu and dock, hidden until used
        # Another window or a CLI import/merge may commit to the same file: show their work.
        self.watcher = ProjectWatcher(self.project, parent=self)
        self.watcher.changed.connect(self.refresh_from_store)
        self.watcher.start()
        self.refresh_layers()
        fill_recent_menu(
            self, self.recent_menu, self.texts, preferences.add_recent_project(self.project.path)
        )
        self._restore_state()
        self.texts.set_language(self.texts.language)
        ids = self.project.document_ids()
        last = preferences.last_document(self.project.path)
        if ids:
            self.open_document(last if last in ids else ids[0])
        self._update_title()

    # ---- construction --------------------------------------------------------------------

    def _build_widgets(self) -> None:
        schema = self.project.schema
        self.text_view = ArticleView()
        self.find_bar = FindBar(self.texts)
        self.find_bar.hide()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.text_view, 1)
        self.setCentralWidget(central)
        self.document_list = DocumentList(self.project, self.texts)
        self.palette = LabelPalette(schema)
        self.inspector = Inspector(schema, self.texts)
        self.annotation_list = AnnotationList(schema, self.texts)
        self.docks = {
            name: self._dock(name, title, widget)
            for name, title, widget in (
                ("documents", "Documents", self.document_list),
                ("annotations", "Annotations", self.annotation_list),
                ("labels", "Labels", self.palette),
                ("inspector", "Annotation", self.inspector),
            )
        }
        self._place_docks()
        self.link_mode = LinkMode(schema, self._choose_relation)
        self.status_label = QLabel()
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.statusBar().addPermanentWidget(self.status_label)

    def _dock(self, name: str, title: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(self)
        dock.setObjectName(name)  # saveState needs object names to restore the layout
        self.texts.bind(dock.setWindowTitle, title)
        dock.setWidget(widget)
        return dock

    def _place_docks(self) -> None:
        # Dock areas do not follow the layout direction: mirror them for the Arabic UI.
        lists, tools = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        if self.texts.language == "ar":
            lists, tools = tools, lists
        for name in ("documents", "annotations"):
            self.addDockWidget(lists, self.docks[name])
        for name in ("labels", "inspector"):
            self.addDockWidget(tools, self.docks[name])

    def _connect(self) -> None:
        editor = self.editor
        editor.documentOpened.connect(self._show_document)
        editor.spanAdded.connect(self._span_added)
        editor.spanRemoved.connect(self._span_removed)
        editor.spanChanged.connect(self._span_changed)
        editor.relationsChanged.connect(self._relations_changed)
        editor.errorRaised.connect(self.report_error)
        editor.statusChanged.connect(self._status_changed)
        self.document_list.documentActivated.connect(self.open_document)
        self.annotation_list.spanActivated.connect(self.span_clicked)  # links in link mode
        self.inspector.spanActivated.connect(self.select_span)
        self.inspector.labelChangeRequested.connect(lambda sid, lab: self.relabel(lab, sid))
        self.inspector.attributeChangeRequested.connect(self.set_attribute)
        self.inspector.relationDeleteRequested.connect(self.delete_relation)
        self.palette.labelChosen.connect(self.annotate)
        self.text_view.spanClicked.connect(self.span_clicked)
        self.text_view.selectionSnapped.connect(self._selection_made)
        self.find_bar.hitsChanged.connect(self._find_hits)
        self.find_bar.annotateAllRequested.connect(self.annotate_all_dialog)
        self.status_combo.activated.connect(
            lambda i: self.set_document_status(self.status_combo.itemData(i))
        )
        self.link_mode.toggled.connect(self.actions["link"].setChecked)
        escape = QAction(self)
        escape.setShortcut(Qt.Key.Key_Escape)
        escape.triggered.connect(self.escape)
        self.addAction(escape)
        for label in self.project.schema.labels:
            if label.shortcut:
                act = QAction(self)
                act.setShortcut(label.shortcut)
                act.triggered.connect(lambda _c=False, lid=label.id: self.annotate(lid))
                self.addAction(act)

    # ---- documents and layers ------------------------------------------------------------

    @reported
    def open_document(self, doc_id: str) -> None:
        """Show document ``doc_id`` with the annotations of the shown layer."""
        self.link_mode.stop()
        self.selected_span = None
        self.editor.open(doc_id)
        preferences.set_last_document(self.project.path, doc_id)

    def _show_document(self) -> None:
        editor = self.editor
        self._hint_other_layers()
        spans, relations = list(editor.spans.values()), list(editor.relations.values())
        shown = (editor.document.id if editor.document else None, editor.text)
        if shown == getattr(self, "_shown", None):
            # Same article re-read (another process committed): keep scroll, selection, hits.
            self.text_view.set_spans(spans, relations)
        else:
            self.text_view.set_content(editor.text, spans, self.project.schema, relations)
            self.find_bar.set_text(editor.text)
            self._shown = shown
        if self.selected_span not in editor.spans:
            self.selected_span = None
        self._refresh_annotations()
        if editor.document is not None:
            self._status_changed(editor.document.status)
        self._update_title()

    def _status_changed(self, status: str) -> None:
        self.status_combo.setCurrentIndex(self.status_combo.findData(status))
        self.actions[f"status_{status}"].setChecked(True)
        self.document_list.show_current(self.editor.doc_id)

    def _hint_other_layers(self) -> None:
        # A new user's own layer is empty: point at the annotations others made of this text.
        if self.editor.spans or self.editor.document is None:
            return
        count = len(self.project.spans(self.editor.doc_id))
        if count:
            self.statusBar().showMessage(
                self.texts(
                    "Other annotators made {count} annotation(s) here: choose them under Show",
                    count=count,
                ),
                20000,
            )

    @reported
    def set_layer(self, layer: str) -> None:
        """Show the annotations of ``layer``: an annotator name, or editor.ALL_ANNOTATORS."""
        self.link_mode.stop()
        self.editor.set_layer(layer)
        self.refresh_layers()

    def refresh_layers(self) -> None:
        """Rebuild View > Annotations shown from the annotators in the project."""
        self.layer_actions = fill_layer_menu(self, self.layer_menu, self.texts)

    @reported
    def set_document_status(self, status: str) -> None:
        """Set the open document's status: not_started, in_progress or done."""
        if self.editor.document is not None and self.editor.document.status != status:
            self._push(commands.SetStatus(self.editor, status))

    @reported
    def refresh_from_store(self) -> None:
        """Re-read the open document and the list (another process changed the project)."""
        self.document_list.model.refresh()
        self.editor.reload()
        self.refresh_layers()

    # ---- selection -----------------------------------------------------------------------

    def select_span(self, span_id: str | None) -> None:
        """Select a span: mark it in the view, show it in the inspector, highlight its links."""
        if span_id is not None and span_id not in self.editor.spans:
            span_id = None
        self.selected_span = span_id
        self.text_view.set_selected_span(span_id)
        linked = set()
        if span_id is not None:
            for rel in self.editor.relations_of(span_id):
                linked.add(rel.tail if rel.head == span_id else rel.head)
            self.text_view.scroll_to_offset(self.editor.spans[span_id].start)
        self.text_view.set_linked_spans(linked)
        self.annotation_list.mark_selected(span_id)
        self._show_inspector()

    def selected(self) -> Span | None:
        """Return the selected span, or None."""
        return self.editor.spans.get(self.selected_span or "")

    def span_clicked(self, span_id: str) -> None:
        """A click on a span: link to it in link mode, otherwise select it."""
        if self.link_mode.active:
            self.link_to(span_id)
        else:
            self.select_span(span_id)

    def escape(self) -> None:
        """Esc: leave link mode, else close the find bar, else clear the selected annotation."""
        if self.link_mode.active:
            self.link_mode.stop()
            self.statusBar().clearMessage()
        elif self.find_bar.isVisible():
            self.find_bar.close_bar()
        else:
            self.select_span(None)

    def _selection_made(self, _start: int, _end: int) -> None:
        if not self.link_mode.active and self.selected_span is not None:
            self.select_span(None)

    def _show_inspector(self) -> None:
        span = self.selected()
        relations = self.editor.relations_of(span.id) if span else []
        self.inspector.show_span(span, relations, self.editor.spans, self.editor.text)

    # ---- editor signals ------------------------------------------------------------------

    def _span_added(self, span: Span) -> None:
        self.text_view.add_span(span)
        self.annotation_list.add(span, self.editor.text)
        self._after_edit()

    def _span_removed(self, span_id: str) -> None:
        self.text_view.remove_span(span_id)
        self.annotation_list.remove(span_id)
        if self.selected_span == span_id:
            self.selected_span = None
        self._after_edit()

    def _span_changed(self, span: Span) -> None:
        self.text_view.replace_span(span)
        self.annotation_list.replace(span, self.editor.text)
        self._after_edit()

    def _relations_changed(self) -> None:
        self.text_view.set_spans(
            list(self.editor.spans.values()), list(self.editor.relations.values())
        )
        self._after_edit()

    def _refresh_annotations(self) -> None:
        self.annotation_list.show_spans(list(self.editor.spans.values()), self.editor.text)
        self._after_edit()

    def _after_edit(self) -> None:
        self.select_span(self.selected_span) if self.selected_span else self._show_inspector()
        self._update_status()

    def _update_status(self) -> None:
        mode = "character precision" if self.actions["precision"].isChecked() else "word snapping"
        layer = self.editor.layer if self.editor.layer != "*" else self.texts("All annotators")
        self.status_label.setText(
            self.texts(
                "{count} annotation(s) · layer: {layer} · {mode}",
                count=len(self.editor.spans),
                layer=layer,
                mode=self.texts(mode),
            )
        )

    def _update_title(self) -> None:
        doc = self.editor.document
        title = doc.title if doc else self.texts("(no document)")
        self.setWindowTitle(f"{title} — {self.project.name} — Arabic News Annotator")

    # ---- errors, dialogs, state ------------------------------------------------------------

    def report_error(self, exc: AnnotatorError) -> None:
        """Show an error: rule violations in the status bar, anything else in a dialog too."""
        self.statusBar().showMessage(str(exc), 15000)
        if not isinstance(exc, ValidationError):
            box = QMessageBox(QMessageBox.Icon.Warning, self.texts("Error"), str(exc), parent=self)
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.open()

    def _choose_relation(self, fits: list[RelationType]) -> RelationType | None:
        names = [f"{r.id} — {r.name_en} / {r.name_ar}" for r in fits]
        choice, ok = QInputDialog.getItem(
            self, self.texts("Choose the link type"), self.texts("Link type:"), names, 0, False
        )
        return fits[names.index(choice)] if ok else None

    def show_about(self) -> None:
        """Show Help > About."""
        log = self.texts("Error log: {path}", path=log_path())
        title = self.texts("About Arabic News Annotator")
        box = QMessageBox(QMessageBox.Icon.Information, title, f"{ABOUT}\n\n{log}", parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.open()

    def show_keys(self) -> None:
        """Show the keyboard and mouse help."""
        box = QMessageBox(
            QMessageBox.Icon.Information, self.texts("Keys and mouse"), keys_help(), parent=self
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.open()

    def add_menu_action(self, menu_name: str, action: QAction) -> None:
        """Add ``action`` to one of ``self.menus`` (file, edit, view, document, review, help)."""
        menu = self.menus[menu_name]
        menu.addAction(action)
        menu.menuAction().setVisible(True)

    def set_language(self, code: str) -> None:
        """Switch the UI language ("en" or "ar"); Arabic mirrors the layout right to left."""
        preferences.set_language(code)
        self.texts.set_language(code)
        self.actions[f"language_{code}"].setChecked(True)
        self.document_list.model.refresh()  # headers and status names in the new language
        self._place_docks()
        self.refresh_layers()
        self._show_inspector()
        self._update_status()

    def _restore_state(self) -> None:
        store = preferences.settings()
        geometry, state = store.value("window/geometry"), store.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 900)
            docks = [self.docks[n] for n in ("documents", "labels")]
            self.resizeDocks(docks, [300, 400], Qt.Orientation.Horizontal)
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Remember geometry and dock layout, then close the project (every edit is saved)."""
        store = preferences.settings()
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/state", self.saveState())
        self.watcher.stop()
        self.project.close()
        super().closeEvent(event)
