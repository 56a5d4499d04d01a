"""Edits: each one change to the project with ``apply`` and ``revert``, kept in the history.

Every edit carries the annotations as they were shown when it was made; the store refuses it
(StaleEditError) when they changed or vanished since, in another window or program. ``apply``
and ``revert`` return a :class:`Change` saying what to redraw.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from annotator.errors import DuplicateError, NotFoundError, StaleEditError
from annotator.model.document import Relation, Span
from annotator.store import DeletedSpan, Project

DONE = "done"  # the status that marks the annotator's own assignment done


@dataclass
class Change:
    """What an edit did to one document, for the session's in-memory copy and the widgets."""

    doc_id: str
    added: list[Span] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[Span] = field(default_factory=list)
    relations_added: list[Relation] = field(default_factory=list)
    relations_removed: list[str] = field(default_factory=list)
    status: str | None = None  # the document's new status
    reload: bool = False  # too much changed (review decisions): read the document again
    # A change of several documents (AddSpans): one Change each, and ``doc_id`` is empty.
    documents: list[Change] = field(default_factory=list)

    def of(self, doc_id: str) -> Change | None:
        """Return what this change did to ``doc_id`` (None: nothing)."""
        if not self.documents:
            return self if self.doc_id == doc_id else None
        return next((c for c in self.documents if c.doc_id == doc_id), None)

    def doc_ids(self) -> list[str]:
        """Return the documents this change touched."""
        return [c.doc_id for c in self.documents] if self.documents else [self.doc_id]

    def merge(self, other: Change) -> None:
        """Add ``other`` (a later change of the same document) to this one."""
        self.added += other.added
        self.removed += other.removed
        self.changed += other.changed
        self.relations_added += other.relations_added
        self.relations_removed += other.relations_removed
        self.status = other.status or self.status
        self.reload = self.reload or other.reload


class Edit:
    """One undoable change; ``apply`` is called first by the session, then by redo."""

    doc_id: str
    description: str

    def apply(self, project: Project) -> Change:
        """Make the change in the project."""
        raise NotImplementedError

    def revert(self, project: Project) -> Change:
        """Take the change back."""
        raise NotImplementedError


def _stale(exc: Exception, what: str) -> StaleEditError:
    if isinstance(exc, StaleEditError):
        return exc
    return StaleEditError(f"{what}: it changed since it was shown ({exc}); nothing was changed")


class AddSpan(Edit):
    """Create a span; undo deletes exactly that span, redo puts it back with its id."""

    def __init__(
        self, doc_id: str, start: int, end: int, label: str, attrs: Mapping[str, str] | None = None
    ) -> None:
        self.doc_id, self.start, self.end, self.label = doc_id, start, end, label
        self.attrs = dict(attrs or {})
        self.description = f"add {label}"
        self.span: Span | None = None

    def apply(self, project: Project) -> Change:
        """Save the span (with its first id and times again on redo)."""
        if self.span is None:
            self.span = project.add_span(
                self.doc_id, self.start, self.end, self.label, attrs=self.attrs
            )
        else:
            try:
                project.restore_span(DeletedSpan(self.span, ()))
            except DuplicateError as exc:
                raise _stale(exc, f"cannot add {self.label} again") from exc
        return Change(self.doc_id, added=[self.span])

    def revert(self, project: Project) -> Change:
        """Delete the span, if it is still as this edit made it."""
        assert self.span is not None
        deleted = project.delete_span(self.doc_id, self.span.id, expected=self.span)
        return Change(
            self.doc_id,
            removed=[self.span.id],
            relations_removed=[r.id for r in deleted.relations],
        )


class DeleteSpan(Edit):
    """Delete a span with its links; undo restores both with their ids."""

    def __init__(self, span: Span) -> None:
        self.doc_id, self.span = span.doc_id, span
        self.description = f"delete {span.label}"
        self.deleted: DeletedSpan | None = None

    def apply(self, project: Project) -> Change:
        """Delete the span as it was shown."""
        self.deleted = project.delete_span(self.doc_id, self.span.id, expected=self.span)
        return Change(
            self.doc_id,
            removed=[self.span.id],
            relations_removed=[r.id for r in self.deleted.relations],
        )

    def revert(self, project: Project) -> Change:
        """Put the span and its links back."""
        assert self.deleted is not None
        try:
            project.restore_span(self.deleted)
        except (DuplicateError, NotFoundError) as exc:
            raise _stale(exc, f"cannot put the {self.span.label} annotation back") from exc
        return Change(self.doc_id, added=[self.span], relations_added=list(self.deleted.relations))


class UpdateSpan(Edit):
    """Change a span's edges, label or attributes; undo writes the old values back."""

    def __init__(self, span: Span, description: str, **changes: object) -> None:
        self.doc_id, self.span_id = span.doc_id, span.id
        self.description = description
        self.new = changes
        self.old: dict[str, object] = {
            "start": span.start,
            "end": span.end,
            "label": span.label,
            "attrs": dict(span.attrs),
        }
        self.current = span  # the span as stored after the last apply or revert

    def _write(self, project: Project, values: dict[str, object]) -> Change:
        self.current = project.update_span(
            self.doc_id,
            self.span_id,
            expected=self.current,
            **values,  # type: ignore[arg-type]
        )
        return Change(self.doc_id, changed=[self.current])

    def apply(self, project: Project) -> Change:
        """Write the new values."""
        return self._write(project, self.new)

    def revert(self, project: Project) -> Change:
        """Write the old values back."""
        return self._write(project, self.old)


class AddRelation(Edit):
    """Link two spans; undo removes exactly that link."""

    def __init__(self, doc_id: str, type_id: str, head: str, tail: str) -> None:
        self.doc_id, self.type_id, self.head, self.tail = doc_id, type_id, head, tail
        self.description = f"link {type_id}"
        self.relation: Relation | None = None

    def apply(self, project: Project) -> Change:
        """Save the link (with its first id on redo)."""
        rel_id = self.relation.id if self.relation else None
        try:
            self.relation = project.add_relation(
                self.doc_id, self.type_id, self.head, self.tail, relation_id=rel_id
            )
        except (DuplicateError, NotFoundError) as exc:
            raise _stale(exc, f"cannot link {self.type_id}") from exc
        return Change(self.doc_id, relations_added=[self.relation])

    def revert(self, project: Project) -> Change:
        """Delete the link."""
        assert self.relation is not None
        project.delete_relation(self.doc_id, self.relation.id, expected=self.relation)
        return Change(self.doc_id, relations_removed=[self.relation.id])


class DeleteRelation(Edit):
    """Delete a link; undo puts it back with its id."""

    def __init__(self, relation: Relation) -> None:
        self.doc_id, self.relation = relation.doc_id, relation
        self.description = f"delete {relation.type} link"

    def apply(self, project: Project) -> Change:
        """Delete the link as it was shown."""
        project.delete_relation(self.doc_id, self.relation.id, expected=self.relation)
        return Change(self.doc_id, relations_removed=[self.relation.id])

    def revert(self, project: Project) -> Change:
        """Restore the link."""
        rel = self.relation
        try:
            restored = project.add_relation(
                self.doc_id, rel.type, rel.head, rel.tail, annotator=rel.annotator,
                status=rel.status, relation_id=rel.id,
            )  # fmt: skip
        except (DuplicateError, NotFoundError) as exc:
            raise _stale(exc, f"cannot put the {rel.type} link back") from exc
        self.relation = restored
        return Change(self.doc_id, relations_added=[restored])


class SetStatus(Edit):
    """Set a document's status; undo restores the one it had when the edit was made.

    ``mine``: whether the window's annotator had marked their own assignment of the document
    done (None: it is not assigned to them). Their mark follows the status they set (done
    marks it, another status takes it back), as a document shared by several people has one
    status; undo puts the mark back as it was (:mod:`annotator.store.assignments`).
    """

    def __init__(self, doc_id: str, old: str, new: str, mine: bool | None = None) -> None:
        self.doc_id, self.old, self.new, self.mine = doc_id, old, new, mine
        self.description = f"status {new}"

    def _set(self, project: Project, expected: str, status: str, mark: bool | None) -> Change:
        with project.write():
            current = project.document(self.doc_id).status
            if current != expected:
                raise StaleEditError(
                    f"the document's status is now {current}, set in another window or program;"
                    " nothing was changed",
                    path=project.path,
                )
            project.set_document_status(self.doc_id, status)
            # An assignment taken away meanwhile leaves no mark to set.
            if mark is not None and project.assignment_done(self.doc_id) is not None:
                project.set_assignment_done(self.doc_id, mark)
        return Change(self.doc_id, status=status)

    def apply(self, project: Project) -> Change:
        """Write the new status (and the annotator's done mark)."""
        mark = None if self.mine is None else self.new == DONE
        return self._set(project, self.old, self.new, mark)

    def revert(self, project: Project) -> Change:
        """Write the old status (and done mark) back."""
        return self._set(project, self.new, self.old, self.mine)


class Batch(Edit):
    """Several edits of one document as one step (annotate all matches): all or none."""

    def __init__(self, doc_id: str, description: str, edits: list[Edit]) -> None:
        self.doc_id, self.description, self.edits = doc_id, description, edits

    def apply(self, project: Project) -> Change:
        """Apply every edit in one transaction."""
        return self._all(project, self.edits, "apply")

    def revert(self, project: Project) -> Change:
        """Revert every edit, newest first, in one transaction."""
        return self._all(project, list(reversed(self.edits)), "revert")

    def _all(self, project: Project, edits: list[Edit], step: str) -> Change:
        change = Change(self.doc_id)
        saved = [_state(edit) for edit in edits]
        try:
            with project.write():
                for edit in edits:
                    change.merge(getattr(edit, step)(project))
        except BaseException:
            for edit, state in zip(edits, saved, strict=True):
                edit.__dict__.update(state)  # the transaction rolled back: so do the edits
            raise
        return change


class AddSpans(Edit):
    """Create spans in several documents as one step (annotate all across the project).

    ``doc_id`` is empty: undo and redo stay in the document that is open. Undo deletes
    exactly these spans (refused if one changed since); redo puts them back with their ids.
    Each is one transaction, all or none. ``apply`` and ``revert`` return a Change whose
    ``documents`` say what happened in each document.
    """

    def __init__(
        self,
        description: str,
        places: list[tuple[str, int, int]],
        label: str,
        attrs: Mapping[str, str] | None = None,
    ) -> None:
        self.doc_id, self.description = "", description
        self.places, self.label, self.attrs = places, label, dict(attrs or {})
        self.spans: list[Span] | None = None

    def apply(self, project: Project) -> Change:
        """Save the spans (the same ones again on redo)."""
        if self.spans is None:
            new = [
                Span("", doc_id, start, end, self.label, project.annotator, self.attrs)
                for doc_id, start, end in self.places
            ]
            self.spans = project.add_spans(new)
        else:
            try:
                project.add_spans(self.spans)
            except DuplicateError as exc:
                raise _stale(exc, f"cannot add the {self.label} annotations again") from exc
        return _per_document([Change(s.doc_id, added=[s]) for s in self.spans])

    def revert(self, project: Project) -> Change:
        """Delete the spans, if they are all still as this edit made them."""
        assert self.spans is not None
        links = project.delete_spans(self.spans)
        changes = [Change(s.doc_id, removed=[s.id]) for s in self.spans]
        changes += [Change(r.doc_id, relations_removed=[r.id]) for r in links]
        return _per_document(changes)


def _per_document(changes: list[Change]) -> Change:
    """Return one Change of several documents holding ``changes`` merged document by document."""
    by_document: dict[str, Change] = {}
    for part in changes:
        if part.doc_id in by_document:
            by_document[part.doc_id].merge(part)
        else:
            by_document[part.doc_id] = part
    return Change("", documents=list(by_document.values()))


def _state(edit: Edit) -> dict[str, object]:
    return dict(edit.__dict__)


class ReviewDecision(Edit):
    """A review decision (accept, reject, edit into gold); undo restores gold as it was."""

    def __init__(
        self,
        doc_id: str,
        description: str,
        decide: Callable[[], object],
        snapshot: Callable[[], object],
        restore: Callable[[object], object],
    ) -> None:
        self.doc_id, self.description = doc_id, description
        self._decide, self._snapshot, self._restore = decide, snapshot, restore
        self.before: object = None
        self.after: object = None

    def apply(self, project: Project) -> Change:
        """Decide (the first time) or put the decided gold back (redo)."""
        if self.after is None:
            self.before = self._snapshot()
            self._decide()
            self.after = self._snapshot()
        else:
            self._restore(self.after)
        return Change(self.doc_id, reload=True)

    def revert(self, project: Project) -> Change:
        """Put gold and the decisions back as they were before."""
        self._restore(self.before)
        return Change(self.doc_id, reload=True)


__all__ = [
    "AddRelation",
    "AddSpan",
    "AddSpans",
    "Batch",
    "Change",
    "DeleteRelation",
    "DeleteSpan",
    "Edit",
    "ReviewDecision",
    "SetStatus",
    "UpdateSpan",
]
