"""Annotating in the window: user input goes to the session, session events redraw the widgets.

The article view, the annotation list, the inspector and the label palette are handed the
session's state through this controller; none of them keeps a selection of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QStatusBar, QWidget

from annotator.errors import AnnotatorError
from annotator.gui.annotation_list import AnnotationList
from annotator.gui.find_bar import AnnotateAllDialog, FindBar
from annotator.gui.i18n import Texts
from annotator.gui.inspector import Inspector
from annotator.gui.palette import LabelPalette
from annotator.gui.plaintext import plain_tooltip
from annotator.gui.text_view import ArticleView
from annotator.gui.undo_keys import UndoGoesToTheWindow
from annotator.model.schema import RelationType
from annotator.session import Change, EditingSession

Report = Callable[[AnnotatorError], None]


class EditController(QObject):
    """Label keys, palette clicks, clicks on spans, Delete, edges, links and "annotate all"."""

    def __init__(
        self,
        session: EditingSession,
        view: ArticleView,
        annotations: AnnotationList,
        inspector: Inspector,
        palette: LabelPalette,
        find_bar: FindBar,
        status_bar: QStatusBar,
        texts: Texts,
        report: Report,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.session, self.view, self.annotations = session, view, annotations
        self.inspector, self.label_palette, self.find_bar = inspector, palette, find_bar
        self.status_bar, self.texts, self.report = status_bar, texts, report
        self.window = parent
        self.annotate_all_preview: AnnotateAllDialog | None = None
        self._subscribe()
        self._connect_widgets()

    # ---- session -> widgets ---------------------------------------------------------------

    def _subscribe(self) -> None:
        session = self.session
        session.annotations_changed.connect(self._annotations_changed)
        session.selection_changed.connect(self._selection_changed)
        session.text_selection_changed.connect(self._text_selection_changed)
        session.link_mode_changed.connect(self._link_mode_changed)
        session.edited.connect(
            lambda what: self.status_bar.showMessage(self.texts("Saved: {what}", what=what), 4000)
        )

    def show_document(self) -> None:
        """Draw the open document's text and annotations (the session read it from disk)."""
        session = self.session
        spans, relations = list(session.spans.values()), list(session.relations.values())
        shown = (session.document.id if session.document else None, session.text)
        if shown == getattr(self, "_shown", None):
            # The same article re-read (another window committed): keep scroll and hits.
            self.view.set_spans(spans, relations)
        else:
            self.view.set_content(session.text, spans, session.schema, relations)
            self.find_bar.set_text(session.text)
            self._shown = shown
        self.annotations.show_spans(spans, session.text)
        self._selection_changed(session.selected)

    def _annotations_changed(self, change: Change) -> None:
        session, view, listed = self.session, self.view, self.annotations
        for span_id in change.removed:
            view.remove_span(span_id)
            listed.remove(span_id)
        for span in change.added:
            if span.id in session.spans:
                view.add_span(span)
                listed.add(span, session.text)
        for span in change.changed:
            if span.id in session.spans:
                view.replace_span(span)
                listed.replace(span, session.text)
        if change.relations_added or change.relations_removed:
            view.set_spans(list(session.spans.values()), list(session.relations.values()))
        self._selection_changed(session.selected)

    def _selection_changed(self, span_id: str | None) -> None:
        session = self.session
        self.view.set_selected_span(span_id)
        linked: set[str] = set()
        if span_id is not None:
            for rel in session.relations_of(span_id):
                linked.add(rel.tail if rel.head == span_id else rel.head)
        self.view.set_linked_spans(linked)
        self.annotations.mark_selected(span_id)
        span = session.selected_span()
        relations = session.relations_of(span.id) if span else []
        self.inspector.show_span(span, relations, session.spans, session.text)

    def _text_selection_changed(self, selection: tuple[int, int] | None) -> None:
        if selection is None and self.view.textCursor().hasSelection():
            self.view.clear_selection()

    def _link_mode_changed(self, head: str | None) -> None:
        if head is None:
            self.status_bar.clearMessage()
            return
        label = self.session.spans[head].label
        self.status_bar.showMessage(
            self.texts("Link mode: click the span to link {label} to (Esc to stop)", label=label)
        )

    def install_keys(self, window: QWidget, actions: Mapping[str, QAction]) -> None:
        """Label keys and Esc as window shortcuts; the Link mode action follows the session."""
        for label in self.session.schema.labels:
            if label.shortcut:
                self._shortcut(window, label.shortcut, partial(self.annotate, label.id))
        self._shortcut(window, QKeySequence(Qt.Key.Key_Escape), self.escape)
        link = actions["link"]
        self.session.link_mode_changed.connect(lambda head: link.setChecked(head is not None))

    @staticmethod
    def _shortcut(window: QWidget, keys: QKeySequence | str, slot: Callable[[], object]) -> None:
        act = QAction(window)
        act.setShortcut(QKeySequence(keys))
        act.triggered.connect(lambda _c=False: slot())
        window.addAction(act)

    def replay(self, step: Callable[[], str | None], message: str) -> None:
        """Undo or redo one step of the history; say what it was, or why it could not be."""
        try:
            what = step()
        except AnnotatorError as exc:
            self.report(exc)
            return
        if what:
            self.status_bar.showMessage(self.texts(message, what=what), 4000)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def follow_history(self, undo: QAction, redo: QAction) -> None:
        """Keep Edit > Undo / Redo enabled, with the step they take as tooltip."""

        def changed() -> None:
            history = self.session.history
            for act, edit in ((undo, history.next_undo()), (redo, history.next_redo())):
                act.setEnabled(edit is not None)
                act.setToolTip(plain_tooltip(edit.description) if edit else "")

        self.session.history.changed.connect(changed)
        changed()

    # ---- widgets -> session ---------------------------------------------------------------

    def _connect_widgets(self) -> None:
        view = self.view
        view.selectionChanged.connect(self._view_selection_changed)
        view.spanClicked.connect(self.span_clicked)
        self.annotations.spanActivated.connect(self.span_clicked)
        self.inspector.spanActivated.connect(self.select_span)
        self.inspector.labelChangeRequested.connect(
            lambda span_id, label: self._guard(lambda: self.session.relabel(label, span_id))
        )
        self.inspector.attributeChangeRequested.connect(
            lambda span_id, name, value: self._guard(
                lambda: self.session.set_attribute(span_id, name, value)
            )
        )
        self.inspector.relationDeleteRequested.connect(
            lambda rel_id: self._guard(lambda: self.session.delete_relation(rel_id))
        )
        self.label_palette.labelChosen.connect(self.palette_clicked)
        self.find_bar.hitsChanged.connect(self._find_hits)
        self.find_bar.annotateAllRequested.connect(self.annotate_all_dialog)
        # Undo in the find box would undo its text, not the user's last edit of the document.
        self._undo_keys = UndoGoesToTheWindow(self)
        self.find_bar.query.installEventFilter(self._undo_keys)

    def _view_selection_changed(self) -> None:
        self.session.set_text_selection(self.view.selected_range())

    def _guard(self, action: Callable[[], object]) -> bool:
        try:
            action()
        except AnnotatorError as exc:
            self.report(exc)
            return False
        return True

    def annotate(self, label_id: str) -> None:
        """What a label key does: annotate the selected text, else relabel the selection."""
        if self.session.schema.has_label(label_id):
            self.label_palette.set_current(label_id)
        self._guard(lambda: self.session.annotate(label_id))

    def palette_clicked(self, label_id: str) -> None:
        """A click on a palette row acts like the label's key; the article keeps the focus."""
        self.annotate(label_id)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def select_span(self, span_id: str | None) -> None:
        """Select an annotation and scroll it into view."""
        self.session.select(span_id)
        span = self.session.selected_span()
        if span is not None:
            self.view.scroll_to_offset(span.start)

    def span_clicked(self, span_id: str) -> None:
        """A click on a span (article or list): link to it in link mode, otherwise select it."""
        if self.session.link_head is not None:
            self._guard(lambda: self.session.link_to(span_id, self._choose_relation))
        else:
            self.select_span(span_id)

    def delete_selected(self) -> None:
        """Delete the selected annotation and its links."""
        self._guard(self.session.delete_selected)

    def move_edge(self, edge: str, forward: bool) -> None:
        """Move the selected annotation's start or end edge one letter."""
        self._guard(lambda: self.session.move_edge(edge, forward))

    def toggle_link_mode(self, checked_action: Callable[[bool], None]) -> None:
        """K: link mode on for the selected quote or claim, or off."""
        if self.session.link_head is not None:
            self.session.stop_link_mode()
        elif not self._guard(self.session.start_link_mode):
            checked_action(False)

    def escape(self) -> None:
        """Esc: leave link mode, else close the find bar, else clear the selections."""
        if self.session.link_head is not None:
            self.session.stop_link_mode()
        elif self.find_bar.isVisible():
            self.find_bar.close_bar()
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.session.select(None)

    def _choose_relation(self, fits: list[RelationType]) -> RelationType | None:
        names = [f"{r.id} — {r.name_en} / {r.name_ar}" for r in fits]
        choice, ok = QInputDialog.getItem(
            self.window,
            self.texts("Choose the link type"),
            self.texts("Link type:"),
            names,
            0,
            False,
        )
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        return fits[names.index(choice)] if ok else None

    # ---- find -----------------------------------------------------------------------------

    def _find_hits(self, hits: list[tuple[int, int, bool]], current: int) -> None:
        self.view.set_find_hits(hits, current if current >= 0 else None)
        if current >= 0:
            self.view.scroll_to_offset(hits[current][0])

    def annotate_all_dialog(self) -> AnnotateAllDialog | None:
        """Preview "annotate every match" with a label chosen in the dialog; OK applies it."""
        if not self.find_bar.matches:
            self.status_bar.showMessage(self.texts("no match"), 4000)
            return None
        dialog = AnnotateAllDialog(
            self.texts,
            self.session.text,
            self.find_bar.matches,
            self.label_palette.current,
            list(self.session.spans.values()),
            self.session.schema,
            self.window,
        )
        dialog.accepted.connect(
            lambda: self._guard(
                lambda: self.session.annotate_matches(dialog.checked(), dialog.label())
            )
        )
        dialog.finished.connect(lambda _r: self.view.setFocus(Qt.FocusReason.OtherFocusReason))
        self.annotate_all_preview = dialog
        dialog.open()
        return dialog
