"""The open document's annotations as the window shows them, written through to the store.

Widgets subscribe to the signals; undo commands call the methods. Every method writes to the
project before it updates the in-memory copy, so what the user sees is what is on disk.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, Signal

from annotator.errors import ValidationError
from annotator.model.document import Document, Relation, Span
from annotator.model.text import cluster_end, cluster_start
from annotator.store import DeletedSpan, Project

ALL_ANNOTATORS = "*"


class DocumentEditor(QObject):
    """Spans and relations of the open document in the shown annotator layer."""

    documentOpened = Signal()
    spanAdded = Signal(object)
    spanRemoved = Signal(str)
    spanChanged = Signal(object)
    relationsChanged = Signal()
    statusChanged = Signal(str)  # the open document's status
    errorRaised = Signal(object)  # an AnnotatorError from an undo or redo (Qt would swallow it)

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.document: Document | None = None
        self.layer = project.annotator  # whose annotations are shown; ALL_ANNOTATORS for all
        self.spans: dict[str, Span] = {}
        self.relations: dict[str, Relation] = {}

    @property
    def text(self) -> str:
        """Return the stored text of the open document ("" when none is open)."""
        return self.document.text if self.document else ""

    @property
    def doc_id(self) -> str:
        """Return the open document's id."""
        if self.document is None:
            raise ValidationError("no document is open")
        return self.document.id

    def open(self, doc_id: str) -> None:
        """Load a document and the spans and relations of the shown layer."""
        self.document = self.project.document(doc_id)
        self.reload()

    def reload(self) -> None:
        """Read the open document's annotations again from the store."""
        if self.document is None:
            return
        self.document = self.project.document(self.document.id)
        names = None if self.layer == ALL_ANNOTATORS else [self.layer]
        self.spans = {s.id: s for s in self.project.spans(self.document.id, names)}
        self.relations = {r.id: r for r in self.project.relations(self.document.id, names)}
        self.documentOpened.emit()

    def set_layer(self, layer: str) -> None:
        """Show the annotations of ``layer`` (an annotator name or ALL_ANNOTATORS)."""
        self.layer = layer
        self.reload()

    def check_editable(self, span_id: str | None = None) -> None:
        """Raise ValidationError unless the user's own layer (and span) is being edited."""
        me = self.project.annotator
        if not self.shows(me):
            raise ValidationError(
                f"the annotations of {self.layer} are shown read-only; "
                "choose your own under View > Annotations shown to edit"
            )
        if span_id is not None and self.spans[span_id].annotator != me:
            owner = self.spans[span_id].annotator
            raise ValidationError(f"this annotation belongs to {owner}; only your own can change")

    def shows(self, annotator: str) -> bool:
        """Return True when the shown layer includes ``annotator``'s annotations."""
        return self.layer in (annotator, ALL_ANNOTATORS)

    def relations_of(self, span_id: str) -> list[Relation]:
        """Return the shown relations whose head or tail is ``span_id``."""
        return [r for r in self.relations.values() if span_id in (r.head, r.tail)]

    # ---- edits: store first, then the in-memory copy and the signals ---------------------

    def add_span(self, start: int, end: int, label: str, span_id: str | None = None) -> Span:
        """Save a new span of the user's layer."""
        span = self.project.add_span(self.doc_id, start, end, label, span_id=span_id)
        self._show_span(span)
        if self.document is not None and self.document.status == "not_started":
            self._reread_status()  # the store marks a document in progress at its first span
        return span

    def _reread_status(self) -> None:
        document = self.project.document(self.doc_id)
        if self.document is None or document.status != self.document.status:
            self.document = document
            self.statusChanged.emit(document.status)

    def _show_span(self, span: Span) -> None:
        # Undo and redo may touch a layer that is not shown now: store only, nothing to draw.
        if self.shows(span.annotator):
            self.spans[span.id] = span
            self.spanAdded.emit(span)

    def delete_span(self, span_id: str) -> DeletedSpan:
        """Delete a span and its relations; return what undo needs to put them back."""
        deleted = self.project.delete_span(self.doc_id, span_id)
        for rel in deleted.relations:
            self.relations.pop(rel.id, None)
        if self.spans.pop(span_id, None) is not None:
            self.spanRemoved.emit(span_id)
        if deleted.relations:
            self.relationsChanged.emit()
        return deleted

    def restore_span(self, deleted: DeletedSpan) -> None:
        """Put back a deleted span with its relations and ids."""
        self.project.restore_span(deleted)
        self._show_span(deleted.span)
        for rel in deleted.relations:
            if self.shows(rel.annotator):
                self.relations[rel.id] = rel
        if deleted.relations:
            self.relationsChanged.emit()

    def update_span(self, span_id: str, **changes: object) -> Span:
        """Change a span's edges, label or attributes (see Project.update_span)."""
        span = self.project.update_span(self.doc_id, span_id, **changes)  # type: ignore[arg-type]
        if span_id in self.spans:
            self.spans[span_id] = span
            self.spanChanged.emit(span)
        return span

    def add_relation(
        self, type_id: str, head: str, tail: str, rel_id: str | None = None
    ) -> Relation:
        """Save a link; the store refuses links the schema forbids (SchemaError)."""
        rel = self.project.add_relation(self.doc_id, type_id, head, tail, relation_id=rel_id)
        if self.shows(rel.annotator):
            self.relations[rel.id] = rel
            self.relationsChanged.emit()
        return rel

    def delete_relation(self, rel_id: str) -> Relation:
        """Delete a link and return it."""
        rel = self.project.delete_relation(self.doc_id, rel_id)
        self.relations.pop(rel_id, None)
        self.relationsChanged.emit()
        return rel

    def restore_relation(self, rel: Relation) -> None:
        """Put back a deleted link with its id."""
        self.add_relation(rel.type, rel.head, rel.tail, rel_id=rel.id)

    def set_status(self, status: str) -> str:
        """Set the open document's status; return the one it had."""
        document = self.project.document(self.doc_id)
        self.project.set_document_status(document.id, status)
        self.document = replace(document, status=status)
        self.statusChanged.emit(status)
        return document.status

    def restored_copy(self, span: Span) -> DeletedSpan:
        """Return a DeletedSpan for re-adding ``span`` without relations (redo of an add)."""
        return DeletedSpan(replace(span), ())


def step_edge(text: str, pos: int, forward: bool) -> int:
    """Return ``pos`` moved one character in logical order, never between a letter and its marks."""
    if forward:
        return cluster_end(text, min(len(text), pos + 1))
    return cluster_start(text, max(0, pos - 1))
