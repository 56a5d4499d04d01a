"""The editing session: the one owner of what the window is doing.

It holds the open document, the shown layer, the text selection, the selected annotation and
the link head, and runs every edit through one history. Widgets are handed the session, call
its methods and subscribe to its events; none keeps its own copy of this state. No Qt here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from annotator.errors import AnnotatorError, SchemaError, StaleEditError, ValidationError
from annotator.model.document import Document, Relation, Span, check_owner
from annotator.model.schema import RelationType
from annotator.model.text import Match, cluster_end, cluster_start
from annotator.session import rules
from annotator.session.edits import (
    DONE,
    AddRelation,
    AddSpan,
    AddSpans,
    Batch,
    Change,
    DeleteRelation,
    DeleteSpan,
    Edit,
    ReviewDecision,
    SetStatus,
    UpdateSpan,
)
from annotator.session.events import Event
from annotator.session.history import History
from annotator.session.layer import Layer
from annotator.session.suggesting import SuggestionFocus
from annotator.store import Project
from annotator.store.reading import check_spans_fit
from annotator.store.search import Hit

Chooser = Callable[[list[RelationType]], RelationType | None]


class EditingSession(SuggestionFocus):
    """One window's view of a project: document, layer, selections, link mode and history."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.schema = project.schema
        self.document: Document | None = None
        self.layer = Layer.of(project.annotator)
        self.spans: dict[str, Span] = {}
        self.relations: dict[str, Relation] = {}
        self.text_selection: tuple[int, int] | None = None
        self.selected: str | None = None  # id of the selected annotation
        self.link_head: str | None = None
        self.history = History()
        # Events, in the order a widget needs them:
        self.document_shown: Event[[]] = Event()  # a document (re)read: redraw everything
        self.annotations_changed: Event[[Change]] = Event()  # an edit, undo or redo
        self.selection_changed: Event[[str | None]] = Event()
        self.text_selection_changed: Event[[tuple[int, int] | None]] = Event()
        self.link_mode_changed: Event[[str | None]] = Event()
        self.layer_changed: Event[[Layer]] = Event()
        self.status_changed: Event[[str]] = Event()
        self.edited: Event[[str]] = Event()  # a description of what was saved
        self.documents_changed: Event[[list[str]]] = Event()  # an edit of several documents
        self._init_suggestions()

    # ---- what is open --------------------------------------------------------------------

    @property
    def text(self) -> str:
        """Return the open document's stored text ("" when none is open)."""
        return self.document.text if self.document else ""

    @property
    def doc_id(self) -> str:
        """Return the open document's id."""
        if self.document is None:
            raise ValidationError("no document is open")
        return self.document.id

    def _open_doc_id(self) -> str | None:
        return None if self.document is None else self.document.id

    def open_document(self, doc_id: str) -> None:
        """Show ``doc_id`` with the annotations of the shown layer; selections are cleared."""
        document = self.project.document(doc_id)
        spans, relations = self._annotations_of(document)  # a damaged one changes nothing
        self._clear_selections()
        self._focus(None)
        self.document = document
        self.spans, self.relations = spans, relations
        self.document_shown.emit()
        self._read_suggestions()

    def set_layer(self, layer: Layer) -> None:
        """Show another annotator's layer (read-only unless it is the user's own) or all."""
        self._clear_selections()
        self.layer = layer
        self.layer_changed.emit(layer)
        if self.document is not None:
            self._read_annotations()

    def refresh(self) -> None:
        """Read the open document again from disk (another window or program wrote to it).

        The selected annotation stays selected while it still exists as shown; a text
        selection stays too, since the text itself never changes.
        """
        if self.document is None:
            return
        try:
            self.document = self.project.document(self.document.id)
        except AnnotatorError:
            self.document = None
            self._clear_selections()
            self.spans, self.relations = {}, {}
            self.document_shown.emit()
            self._read_suggestions()
            raise
        self._read_annotations()
        if self.selected is not None and self.selected not in self.spans:
            self.select(None)
        if self.link_head is not None and self.link_head not in self.spans:
            self.stop_link_mode()

    def _read_annotations(self) -> None:
        if self.document is None:
            raise ValidationError("no document is open")
        self.spans, self.relations = self._annotations_of(self.document)
        self.document_shown.emit()
        self._read_suggestions()

    def _annotations_of(self, document: Document) -> tuple[dict[str, Span], dict[str, Relation]]:
        """Read the shown layer's annotations of ``document``; refuse a span outside its text."""
        names = self.layer.annotators()
        with self.project.snapshot():
            spans = self.project.spans(document.id, names)
            relations = self.project.relations(document.id, names)
        check_spans_fit(self.project.path, document.id, len(document.text), spans)
        return {s.id: s for s in spans}, {r.id: r for r in relations}

    def editable(self) -> bool:
        """Return True when the shown layer holds the user's own annotations (theirs or all).

        On everyone's layer the user annotates and edits their own spans; others' stay
        read-only (refused by span in ``_editable_span``).
        """
        return self.layer.shows(self.project.annotator)

    def relations_of(self, span_id: str) -> list[Relation]:
        """Return the shown links whose head or tail is ``span_id``."""
        return [r for r in self.relations.values() if span_id in (r.head, r.tail)]

    # ---- selections ----------------------------------------------------------------------

    def set_text_selection(self, selection: tuple[int, int] | None) -> None:
        """The user selected text ``[start, end)`` (None: no text selected).

        A new text selection deselects the selected annotation, outside link mode.
        """
        if selection is not None and selection[0] >= selection[1]:
            selection = None
        if selection == self.text_selection:
            return
        self.text_selection = selection
        self.text_selection_changed.emit(selection)
        if selection is not None:
            self._focus(None)
        if selection is not None and self.link_head is None and self.selected is not None:
            self.selected = None
            self.selection_changed.emit(None)

    def select(self, span_id: str | None) -> None:
        """Select a shown annotation (None: none); any text selection is dropped."""
        if span_id is not None and span_id not in self.spans:
            span_id = None
        self._set_text_selection(None)
        if span_id is not None:
            self._focus(None)
        if span_id != self.selected:
            self.selected = span_id
            self.selection_changed.emit(span_id)

    def selected_span(self) -> Span | None:
        """Return the selected annotation, or None."""
        return self.spans.get(self.selected) if self.selected else None

    def _set_text_selection(self, selection: tuple[int, int] | None) -> None:
        if selection != self.text_selection:
            self.text_selection = selection
            self.text_selection_changed.emit(selection)

    def _clear_selections(self) -> None:
        self.stop_link_mode()
        self._set_text_selection(None)
        if self.selected is not None:
            self.selected = None
            self.selection_changed.emit(None)

    # ---- edits ----------------------------------------------------------------------------

    def annotate(self, label_id: str) -> Span:
        """What a label key or a palette click does.

        With text selected: annotate it. Otherwise: relabel the selected annotation (within its
        kind). Returns the annotation that now has the label.
        """
        self.schema.label(label_id)
        if self.text_selection is not None:
            start, end = self.text_selection
            self._check_editable()
            self.schema.check_span_text(label_id, self.text, start, end)
            edit = AddSpan(self.doc_id, start, end, label_id, self.schema.defaults(label_id))
            self._run(edit)
            assert edit.span is not None
            self.select(edit.span.id)  # the next label key relabels it, Delete removes it
            return edit.span
        span = self.selected_span()
        if span is None:
            raise ValidationError("select some text first (drag over it), then press a label key")
        return self.relabel(label_id, span.id)

    def relabel(self, label_id: str, span_id: str | None = None) -> Span:
        """Give the selected annotation (or ``span_id``) the label ``label_id``, within its kind."""
        span = self._editable_span(span_id)
        if span.label == label_id:
            return span
        labels = {s.id: s.label for s in self.spans.values()}
        relations = self.relations_of(span.id)
        attrs = rules.relabel_attributes(self.schema, span, label_id, relations, labels)
        self.schema.check_span_text(label_id, self.text, span.start, span.end)
        edit = UpdateSpan(span, f"relabel as {label_id}", label=label_id, attrs=attrs)
        self._run(edit)
        return edit.current

    def delete_selected(self) -> None:
        """Delete the selected annotation and its links."""
        span = self._editable_span(None)
        self._run(DeleteSpan(span))
        self.select(None)

    def move_edge(self, edge: str, forward: bool) -> None:
        """Move the selected annotation's ``edge`` ("start"/"end") one letter with its marks."""
        span = self._editable_span(None)
        start, end = span.start, span.end
        if edge == "start":
            start = step_edge(self.text, start, forward)
        else:
            end = step_edge(self.text, end, forward)
        if (start, end) == (span.start, span.end):
            return
        if start >= end:
            raise ValidationError(
                "an annotation keeps at least one letter: use Delete to remove it"
            )
        self.schema.check_span_text(span.label, self.text, start, end)
        self._run(UpdateSpan(span, "move edge", start=start, end=end))

    def set_attribute(self, span_id: str, name: str, value: str) -> None:
        """Set one attribute (QUOTE type, CLAIM check_worthy) of an annotation; "" unsets it."""
        span = self._editable_span(span_id)
        if span.attrs.get(name, "") == value:
            return
        attrs = {k: v for k, v in span.attrs.items() if k != name}
        if value:
            attrs[name] = value
        self._run(UpdateSpan(span, f"set {name}" if value else f"unset {name}", attrs=attrs))

    def annotate_matches(self, matches: list[Match], label_id: str) -> int:
        """Annotate every match with ``label_id`` as one undo step; return how many."""
        self._check_editable()
        self.schema.label(label_id)
        for match in matches:
            self.schema.check_span_text(label_id, self.text, match.start, match.end)
        if not matches:
            return 0
        defaults = self.schema.defaults(label_id)
        edits: list[Edit] = [
            AddSpan(self.doc_id, m.start, m.end, label_id, defaults) for m in matches
        ]
        self._run(Batch(self.doc_id, f"annotate {len(matches)} × {label_id}", edits))
        return len(matches)

    def annotate_hits(self, hits: Sequence[Hit], label_id: str) -> int:
        """Annotate search hits of any documents with ``label_id`` as one undo step.

        The spans go to the user's own layer, in one transaction: all of them or none.
        Returns how many were added.
        """
        self.schema.label(label_id)
        self._check_layer_editable()
        if not hits:
            return 0
        places = [(h.doc_id, h.start, h.end) for h in hits]
        documents = len({h.doc_id for h in hits})
        what = f"annotate {len(hits)} × {label_id} in {documents} document(s)"
        self._run(AddSpans(what, places, label_id, self.schema.defaults(label_id)))
        return len(hits)

    def set_status(self, status: str) -> None:
        """Set the open document's status (not_started / in_progress / done); for a document
        assigned to the annotator, done also marks their own assignment done."""
        if self.document is None:
            return
        # A person given the document may still mark their own part done (or not) when the
        # shared status is already what they choose.
        mine = self.project.assignment_done(self.document.id)
        if self.document.status == status and (mine is None or mine == (status == DONE)):
            return
        self._run(SetStatus(self.document.id, self.document.status, status, mine))

    def review_decision(self, decision: ReviewDecision) -> None:
        """Run a review decision (gold layer) as an undoable step."""
        self._run(decision)

    # ---- links ----------------------------------------------------------------------------

    def start_link_mode(self) -> None:
        """Link mode from the selected quote or claim: clicks on spans then make links."""
        head = self._editable_span(None)
        if not self.schema.relations_from(head.label):
            starts = sorted({label for rel in self.schema.relations for label in rel.head})
            raise SchemaError(f"links start at a {'/'.join(starts)} span, not at {head.label}")
        self.link_head = head.id
        self.link_mode_changed.emit(head.id)

    def stop_link_mode(self) -> None:
        """Leave link mode."""
        if self.link_head is not None:
            self.link_head = None
            self.link_mode_changed.emit(None)

    def link_to(self, tail_id: str, choose: Chooser) -> Relation | None:
        """In link mode: link the head to ``tail_id``; ``choose`` picks when several types fit."""
        head = self.spans.get(self.link_head or "")
        tail = self.spans.get(tail_id)
        if head is None or tail is None or head.id == tail.id:
            return None
        fits = self.schema.relation_between(head.label, tail.label)
        if not fits:
            raise SchemaError("Link refused: " + rules.why_no_link(self.schema, head, tail))
        chosen = fits[0] if len(fits) == 1 else choose(fits)
        if chosen is None:
            return None
        return self.link(chosen.id, head.id, tail.id)

    def link(self, type_id: str, head_id: str, tail_id: str) -> Relation:
        """Link two annotations of the user's own layer."""
        self._editable_span(head_id)
        self._editable_span(tail_id)
        edit = AddRelation(self.doc_id, type_id, head_id, tail_id)
        self._run(edit)
        assert edit.relation is not None
        return edit.relation

    def delete_relation(self, rel_id: str) -> None:
        """Delete one link."""
        self._check_editable()
        relation = self.relations.get(rel_id)
        if relation is None:
            raise StaleEditError("this link is no longer shown; nothing was changed")
        check_owner(self.project.annotator, relation.annotator, f"this {relation.type} link")
        self._run(DeleteRelation(relation))

    # ---- history --------------------------------------------------------------------------

    def undo(self) -> str | None:
        """Undo the newest edit (opening its document); return its description."""
        edit = self.history.next_undo()
        if edit is None:
            return None
        change = self._replay(edit, edit.revert)
        self.history.moved_back()
        self._show(change)
        return edit.description

    def redo(self) -> str | None:
        """Apply the newest undone edit again; return its description."""
        edit = self.history.next_redo()
        if edit is None:
            return None
        change = self._replay(edit, edit.apply)
        self.history.moved_forward()
        self._show(change)
        return edit.description

    def _replay(self, edit: Edit, step: Callable[[Project], Change]) -> Change:
        # An edit of several documents (no doc_id) is undone where the user is.
        if edit.doc_id and (self.document is None or self.document.id != edit.doc_id):
            self.open_document(edit.doc_id)
        try:
            return step(self.project)
        except StaleEditError:
            # Someone else changed what this edit touched: it cannot be undone or redone now.
            self.history.drop(edit)
            self.refresh()
            raise

    def _run(self, edit: Edit) -> None:
        try:
            change = edit.apply(self.project)
        except StaleEditError:
            self.refresh()
            raise
        self.history.record(edit)
        self._show(change)
        self.edited.emit(edit.description)

    def _show(self, change: Change) -> None:
        if change.documents:
            self.documents_changed.emit(change.doc_ids())
        shown = None if self.document is None else change.of(self.document.id)
        if self.document is None or shown is None:
            return
        change = shown
        if change.reload:
            self.refresh()
            return
        for span_id in change.removed:
            self.spans.pop(span_id, None)
        for rel_id in change.relations_removed:
            self.relations.pop(rel_id, None)
        for span in change.added + change.changed:
            if self.layer.shows(span.annotator):
                self.spans[span.id] = span
        for rel in change.relations_added:
            if self.layer.shows(rel.annotator):
                self.relations[rel.id] = rel
        if change.added and self.document.status == "not_started":
            change.status = self.project.document(self.document.id).status
        if change.status is not None and change.status != self.document.status:
            self.document = self.project.document(self.document.id)
            self.status_changed.emit(change.status)
        self.annotations_changed.emit(change)
        self._suggestions_after(change)
        if self.selected is not None and self.selected not in self.spans:
            self.select(None)
        if self.link_head is not None and self.link_head not in self.spans:
            self.stop_link_mode()

    # ---- rules of who may edit -----------------------------------------------------------

    def _check_editable(self) -> None:
        if self.document is None:
            raise ValidationError("open a document first")
        self._check_layer_editable()

    def _check_layer_editable(self) -> None:
        if not self.editable():
            shown = self.layer.annotator or "all annotators"
            raise ValidationError(
                f"the annotations of {shown} are shown read-only; "
                "choose your own under View > Annotations shown to edit"
            )

    def _editable_span(self, span_id: str | None) -> Span:
        span_id = span_id or self.selected
        if span_id is None:
            raise ValidationError("select an annotation first (click it)")
        self._check_editable()
        span = self.spans.get(span_id)
        if span is None:
            raise StaleEditError("this annotation is no longer shown; nothing was changed")
        check_owner(self.project.annotator, span.annotator, f"this {span.label} annotation")
        return span


def step_edge(text: str, pos: int, forward: bool) -> int:
    """Return ``pos`` moved one letter in logical order, never between a letter and its marks."""
    if forward:
        return cluster_end(text, min(len(text), pos + 1))
    return cluster_start(text, max(0, pos - 1))
