"""Which document and layer the window shows: the document list and its filter, Document > Next
and Previous, View > Annotations shown, the toolbar's Status and Show boxes, the status line,
and refreshes after other windows' commits.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QComboBox, QLabel, QMenu, QStatusBar, QToolBar, QWidget

from annotator.errors import AnnotatorError
from annotator.gui import preferences
from annotator.gui.document_list import DocumentList
from annotator.gui.filter_bar import filter_from_text, filter_to_text
from annotator.gui.i18n import Texts
from annotator.gui.plaintext import plain_caption, plain_tooltip
from annotator.gui.text_view import ArticleView
from annotator.gui.watcher import ProjectWatcher
from annotator.model.document import DOCUMENT_STATUSES
from annotator.session import Change, EditingSession, Layer
from annotator.store.listing import DocumentFilter, DocumentListing

Report = Callable[[AnnotatorError], None]
REMEMBER_MS = 1000


class DocumentController(QObject):
    """Opens documents, switches layers and statuses; keeps list counts and captions current."""

    def __init__(
        self,
        session: EditingSession,
        documents: DocumentList,
        layer_menu: QMenu,
        actions: Mapping[str, QAction],
        status_bar: QStatusBar,
        texts: Texts,
        report: Report,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.session, self.documents, self.layer_menu = session, documents, layer_menu
        self.acts, self.status_bar, self.texts, self.report = actions, status_bar, texts, report
        self.status_combo = QComboBox()
        self.layer_combo = QComboBox()
        self.layer_actions: dict[Layer, QAction] = {}
        self.status_label = QLabel()
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        status_bar.addPermanentWidget(self.status_label)
        self.watcher = ProjectWatcher(session.project, parent=self)
        self.watcher.changed.connect(self.refresh_from_store)
        # Saving settings waits for the disk (about 16 ms): once Next has come to rest.
        self._position = ""
        self._remember = QTimer(self, singleShot=True, interval=REMEMBER_MS)
        self._remember.timeout.connect(self.remember_position)
        self._connect()
        # The filter of the last session, before the list reads its first page.
        saved = preferences.document_filter(session.project.path)
        documents.set_filter(filter_from_text(saved, me=session.project.annotator))

    def _connect(self) -> None:
        session = self.session
        session.status_changed.connect(self._status_changed)
        session.layer_changed.connect(lambda _layer: self.refresh_layers())
        session.annotations_changed.connect(self._counts_changed)
        session.documents_changed.connect(self._documents_changed)
        self.documents.documentActivated.connect(self.open_document)
        self.documents.filterChanged.connect(self._filter_changed)
        self.documents.model.failed.connect(self.report)
        self.status_combo.activated.connect(
            lambda i: self.set_status(str(self.status_combo.itemData(i)))
        )
        self.layer_combo.activated.connect(lambda i: self.set_layer(self.layer_combo.itemData(i)))

    def toolbar(self) -> QToolBar:
        """Return the toolbar: document status and shown layer, then find, link, precision."""
        bar = QToolBar()
        bar.setObjectName("document_toolbar")  # saveState needs object names
        for i, status in enumerate(DOCUMENT_STATUSES):
            self.status_combo.addItem(status, status)
            self.texts.bind(partial(self.status_combo.setItemText, i), status)
        for key, widget in (("Status", self.status_combo), ("Show", self.layer_combo)):
            caption = QLabel()
            self.texts.bind(caption.setText, key)
            bar.addWidget(caption)
            bar.addWidget(widget)
            bar.addSeparator()
        bar.addActions([self.acts[n] for n in ("find", "link", "precision")])
        return bar

    # ---- documents ------------------------------------------------------------------------

    def open_document(self, doc_id: str) -> None:
        """Show ``doc_id``; remembered as the project's last document."""
        try:
            self.session.open_document(doc_id)
        except AnnotatorError as exc:
            self.report(exc)
            return
        self._position = doc_id
        self._remember.start()

    def remember_position(self) -> None:
        """Save the open document as the project's last one (the window calls it on close)."""
        self._remember.stop()
        if self._position:
            preferences.set_last_document(self.session.project.path, self._position)
            self._position = ""

    def document_shown(self) -> None:
        """Update the status box, list selection and status line for the shown document."""
        document = self.session.document
        if document is not None:
            self._show_status(document.status)
            self.documents.select_document(document.id)
        self.update_status_line()

    def open_start_document(self) -> None:
        """Open the document open when the project was last closed, else the list's first."""
        project = self.session.project
        last = preferences.last_document(project.path)
        try:
            if last and DocumentListing(project).matches(last):
                start: str | None = last
            else:
                start = self.documents.model.listing.first() or DocumentListing(project).first()
        except AnnotatorError as exc:
            self.report(exc)
            return
        if start is not None:
            self.open_document(start)

    # ---- moving through the list as filtered ----------------------------------------------

    def next_document(self) -> None:
        """Document > Next document: open the one after the open one in the list as filtered."""
        self._step(forward=True)

    def previous_document(self) -> None:
        """Document > Previous document: open the one before it in the list as filtered."""
        self._step(forward=False)

    def next_not_done(self) -> None:
        """Document > Next not done: the next one in the list whose status is not done."""
        self._step(forward=True, not_done=True)

    def _step(self, *, forward: bool, not_done: bool = False) -> None:
        listing = self.documents.model.listing
        current = self.session.document.id if self.session.document else None
        try:
            if forward:
                target = listing.next(current, not_done=not_done)
            else:
                target = listing.previous(current)
            why = "" if target else self._why_none(listing, current, forward, not_done)
        except AnnotatorError as exc:
            self.report(exc)
            return
        if target is None:
            self.status_bar.showMessage(self.texts(why), 10000)
            return
        self.open_document(target)

    @staticmethod
    def _why_none(
        listing: DocumentListing, current: str | None, forward: bool, not_done: bool
    ) -> str:
        if listing.first() is None:
            return "No document matches the filter"
        if not forward:
            return "Start of the list: no previous document"
        if not_done and listing.next(current) is not None:
            return "Every later document in the list is done"
        return "End of the list: no next document"

    def _filter_changed(self, where: DocumentFilter) -> None:
        preferences.set_document_filter(self.session.project.path, filter_to_text(where))
        if self.session.document is not None:
            self.documents.select_document(self.session.document.id)

    def set_status(self, status: str) -> None:
        """Set the open document's status (undoable)."""
        try:
            self.session.set_status(status)
        except AnnotatorError as exc:
            self.report(exc)
            self._show_status(self.session.document.status if self.session.document else "")

    def _show_status(self, status: str) -> None:
        index = self.status_combo.findData(status)
        if index >= 0:
            self.status_combo.setCurrentIndex(index)
            self.acts[f"status_{status}"].setChecked(True)

    def _status_changed(self, status: str) -> None:
        self._show_status(status)
        if self.session.document is not None:
            self.documents.show_current(self.session.document.id)

    def _counts_changed(self, change: Change) -> None:
        self.documents.show_current(change.doc_id)
        self.update_status_line()

    def _documents_changed(self, doc_ids: list[str]) -> None:
        # Annotate all (or its undo) changed several documents: counts and statuses listed.
        document = self.session.document
        if document is None:
            self.documents.model.refresh()
        elif document.id not in doc_ids:  # else the open one's change refreshes the list
            self.documents.show_current(document.id)

    def refresh_from_store(self) -> None:
        """Re-read the list and the open document (another window or program committed)."""
        self.documents.model.reload()
        try:
            self.session.refresh()
        except AnnotatorError as exc:
            self.report(exc)
        self.refresh_layers()

    # ---- layers ---------------------------------------------------------------------------

    def set_layer(self, layer: Layer) -> None:
        """Show one annotator's annotations, or everyone's."""
        try:
            self.session.set_layer(layer)
        except AnnotatorError as exc:
            self.report(exc)
        self.update_status_line()

    def layers(self, names: list[str] | None = None) -> list[Layer]:
        """Return the layers to offer: the user's own, every other annotator's, everyone's."""
        me = self.session.project.annotator
        names = self.session.project.annotators() if names is None else names
        others = [n for n in names if n != me]
        return [Layer.of(me), *(Layer.of(n) for n in others), Layer.everyone()]

    def caption(self, layer: Layer) -> str:
        """Return how a layer is named in the menu and the Show box."""
        if layer.is_everyone:
            return self.texts("All annotators")
        if layer.annotator == self.session.project.annotator:
            return self.texts("Mine ({name})", name=layer.annotator)
        return str(layer.annotator)

    def refresh_layers(self) -> None:
        """Rebuild View > Annotations shown, the Show box and the list's filter choices from
        the project's annotators."""
        self.layer_menu.clear()
        self.layer_combo.clear()
        group = QActionGroup(self.layer_menu)
        self.layer_actions = {}
        project = self.session.project
        names = project.annotators()
        self.documents.filter_bar.set_choices(names, project.schema)
        layers = self.layers(names)
        if self.session.layer not in layers:  # an annotator whose last annotation went
            layers.insert(1, self.session.layer)
        for layer in layers:
            # An annotator's name is a stored value: & shown as such, a tooltip never markup.
            act = QAction(plain_caption(self.caption(layer)), self.layer_menu, checkable=True)
            act.setToolTip(plain_tooltip(self.caption(layer)))
            act.setChecked(self.session.layer == layer)
            act.triggered.connect(lambda _c=False, chosen=layer: self.set_layer(chosen))
            group.addAction(act)
            self.layer_menu.addAction(act)
            self.layer_actions[layer] = act
            self.layer_combo.addItem(self.caption(layer), layer)
        self.layer_combo.setCurrentIndex(layers.index(self.session.layer))

    def set_precision(self, view: ArticleView) -> None:
        """View > Character precision: selections keep the letters dragged, or snap to words."""
        view.set_character_precision(self.acts["precision"].isChecked())
        self.update_status_line()

    def update_status_line(self) -> None:
        """Show the annotation count, the shown layer and the selection mode."""
        mode = "character precision" if self.acts["precision"].isChecked() else "word snapping"
        self.status_label.setText(
            self.texts(
                "{count} annotation(s) · layer: {layer} · {mode}",
                count=len(self.session.spans),
                layer=self.caption(self.session.layer),
                mode=self.texts(mode),
            )
        )

    def hint_other_layers(self) -> None:
        """An empty layer: point at the annotations others made of this text."""
        session = self.session
        if session.spans or session.document is None or session.layer.is_everyone:
            return
        count = len(session.project.spans(session.document.id))
        if count:
            message = "Other annotators made {count} annotation(s) here: choose them under Show"
            self.status_bar.showMessage(self.texts(message, count=count), 20000)

    def start_layer(self) -> Layer:
        """Return the layer a new window opens on: the user's own, or everyone's when the user
        has no annotations yet but others do (a new project's demo annotations are visible)."""
        project = self.session.project
        names = project.annotators()
        if project.annotator in names or not names:
            return Layer.of(project.annotator)
        return Layer.everyone()
