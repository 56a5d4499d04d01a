"""Undoable edits. Each command writes to the project at once in redo and in undo: no Save.

A command's first redo runs in :func:`push` before it reaches the stack, so an edit the store
refuses raises there (and is shown) instead of leaving a command that did nothing on the stack.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator.errors import AnnotatorError
from annotator.gui.editor import DocumentEditor
from annotator.model.document import Relation, Span
from annotator.store import DeletedSpan


class EditCommand(QUndoCommand):
    """Base: runs ``apply``/``revert``; errors on later undo/redo go to ``editor.errorRaised``."""

    def __init__(self, editor: DocumentEditor, text: str) -> None:
        super().__init__(text)
        self.editor = editor
        self.doc_id = editor.doc_id
        self._applied_once = False

    def apply(self) -> None:
        """Make the change in the store and the editor."""
        raise NotImplementedError

    def revert(self) -> None:
        """Undo the change in the store and the editor."""
        raise NotImplementedError

    def redo(self) -> None:
        """Apply, except the first time (push already applied it)."""
        if not self._applied_once:
            self._applied_once = True
            return
        self._guarded(self.apply)

    def undo(self) -> None:
        """Revert the change."""
        self._guarded(self.revert)

    def _guarded(self, action: Callable[[], None]) -> None:
        # Qt swallows exceptions raised in undo()/redo(); report them so none is silent.
        if self.editor.document is None or self.editor.document.id != self.doc_id:
            self.editor.open(self.doc_id)
        try:
            action()
        except AnnotatorError as exc:
            self.setObsolete(True)
            self.editor.errorRaised.emit(exc)


def push(stack: QUndoStack, command: EditCommand) -> EditCommand:
    """Apply ``command`` (raising AnnotatorError if the store refuses) and put it on the stack."""
    command.apply()
    stack.push(command)
    return command


class AddSpan(EditCommand):
    """Create a span; undo deletes it, redo puts the same span back."""

    def __init__(self, editor: DocumentEditor, start: int, end: int, label: str) -> None:
        super().__init__(editor, f"add {label}")
        self.start, self.end, self.label = start, end, label
        self.span: Span | None = None

    def apply(self) -> None:
        """Save the span (with its first id on redo)."""
        if self.span is None:
            self.span = self.editor.add_span(self.start, self.end, self.label)
        else:
            self.editor.restore_span(DeletedSpan(self.span, ()))

    def revert(self) -> None:
        """Delete the span."""
        assert self.span is not None
        self.editor.delete_span(self.span.id)


class DeleteSpan(EditCommand):
    """Delete a span with its relations; undo restores both with their ids."""

    def __init__(self, editor: DocumentEditor, span_id: str) -> None:
        super().__init__(editor, "delete annotation")
        self.span_id = span_id
        self.deleted: DeletedSpan | None = None

    def apply(self) -> None:
        """Delete the span and remember what went with it."""
        self.deleted = self.editor.delete_span(self.span_id)

    def revert(self) -> None:
        """Restore the span and its relations."""
        assert self.deleted is not None
        self.editor.restore_span(self.deleted)


class UpdateSpan(EditCommand):
    """Change a span's label, edges or attributes; undo restores the old values."""

    def __init__(self, editor: DocumentEditor, span_id: str, text: str, **changes: object) -> None:
        super().__init__(editor, text)
        old = editor.spans[span_id]
        self.span_id = span_id
        self.new = changes
        # Relabelling clears attributes in the store, so undo must put the old ones back.
        self.old: dict[str, object] = {"start": old.start, "end": old.end, "label": old.label}
        self.old["attrs"] = dict(old.attrs)

    def apply(self) -> None:
        """Write the new values."""
        self.editor.update_span(self.span_id, **self.new)

    def revert(self) -> None:
        """Write the old values back."""
        self.editor.update_span(self.span_id, **self.old)


def relabel(editor: DocumentEditor, span_id: str, label: str) -> UpdateSpan:
    """Return a command giving span ``span_id`` the label ``label``."""
    return UpdateSpan(editor, span_id, f"relabel as {label}", label=label)


def move_edges(editor: DocumentEditor, span_id: str, start: int, end: int) -> UpdateSpan:
    """Return a command moving span ``span_id`` to ``[start, end)``."""
    return UpdateSpan(editor, span_id, "move edge", start=start, end=end)


def set_attribute(editor: DocumentEditor, span_id: str, name: str, value: str) -> UpdateSpan:
    """Return a command setting one attribute of span ``span_id``."""
    attrs = {**editor.spans[span_id].attrs, name: value}
    return UpdateSpan(editor, span_id, f"set {name}", attrs=attrs)


class AddRelation(EditCommand):
    """Link two spans; the store refuses a link the schema forbids."""

    def __init__(self, editor: DocumentEditor, type_id: str, head: str, tail: str) -> None:
        super().__init__(editor, f"link {type_id}")
        self.type_id, self.head, self.tail = type_id, head, tail
        self.relation: Relation | None = None

    def apply(self) -> None:
        """Save the link (with its first id on redo)."""
        rel_id = self.relation.id if self.relation else None
        self.relation = self.editor.add_relation(self.type_id, self.head, self.tail, rel_id)

    def revert(self) -> None:
        """Delete the link."""
        assert self.relation is not None
        self.editor.delete_relation(self.relation.id)


class DeleteRelation(EditCommand):
    """Delete a link; undo puts it back with its id."""

    def __init__(self, editor: DocumentEditor, rel_id: str) -> None:
        super().__init__(editor, "delete link")
        self.rel_id = rel_id
        self.relation: Relation | None = None

    def apply(self) -> None:
        """Delete the link."""
        self.relation = self.editor.delete_relation(self.rel_id)

    def revert(self) -> None:
        """Restore the link."""
        assert self.relation is not None
        self.editor.restore_relation(self.relation)


class SetStatus(EditCommand):
    """Set the document's status (not started / in progress / done); undo restores it."""

    def __init__(self, editor: DocumentEditor, status: str) -> None:
        super().__init__(editor, f"status {status}")
        self.status = status
        self.old = ""

    def apply(self) -> None:
        """Write the new status."""
        self.old = self.editor.set_status(self.status)

    def revert(self) -> None:
        """Write the old status back."""
        self.editor.set_status(self.old)
