"""Spans and relations of a project: add, edit, delete, query; each edit one transaction.

Two rules hold on every write, whoever calls (the window, a script, an importer):

- Alignment: no span edge falls inside a grapheme cluster (a letter and its tashkeel, an emoji
  sequence, a flag); AlignmentError names the offset and the cluster. Checked in
  ``_check_span``, which every path that stores a span goes through, imports included.
- Ownership: the single-edit methods (``add_span``, ``update_span``, ``delete_span``,
  ``restore_span``, ``add_relation``, ``delete_relation``, ``set_relation_status``) change only
  the layer of the project's ``annotator``; another annotator's annotation is refused with
  OwnershipError saying whose it is. The gold layer is written only inside ``as_reviewer()``,
  which review code (``annotator.review.gold``, ``annotator.store.reviews``) enters.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from annotator.errors import (
    DuplicateError,
    NotFoundError,
    OwnershipError,
    StaleEditError,
    ValidationError,
)
from annotator.model.document import (
    REVIEW_STATUSES,
    Document,
    Relation,
    Span,
    check_offsets,
    check_owner,
)
from annotator.model.offsets import check_aligned
from annotator.model.schema import Schema
from annotator.store.pg.connection import is_server
from annotator.store.queries import AnnotationQueries

TOUCH_STATUS = "UPDATE documents SET status = 'in_progress' WHERE id = ? AND status = 'not_started'"


def now() -> str:
    """Return the current UTC time as an ISO 8601 string with milliseconds."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def new_id(prefix: str) -> str:
    """Return a fresh random id: unique across annotators, so merging never collides."""
    return prefix + secrets.token_hex(6)


@dataclass(frozen=True, slots=True)
class DeletedSpan:
    """A deleted span with the relations that went with it, enough to restore both (undo)."""

    span: Span
    relations: tuple[Relation, ...]


def _content(span: Span) -> tuple[object, ...]:
    # What a user sees of a span; times are left out so an undo that puts the same values
    # back leaves the span where a later undo or redo expects it.
    return (span.start, span.end, span.label, span.annotator, dict(span.attrs), span.status)


def _dumps(value: Mapping[str, Any]) -> str:
    return json.dumps(dict(value), ensure_ascii=False, sort_keys=True)


class AnnotationsMixin(AnnotationQueries):
    """The span and relation half of :class:`annotator.store.Project`."""

    db: Database
    schema: Schema
    annotator: str
    path: Path
    _reviewing = 0  # how many as_reviewer() blocks are open

    def write(self) -> AbstractContextManager[Database]:
        """Return a context manager running its block as one transaction."""
        raise NotImplementedError

    def document(self, doc_id: str) -> Document:
        """Return one document."""
        raise NotImplementedError

    # ---- who may write -------------------------------------------------------------------

    @contextmanager
    def as_reviewer(self) -> Iterator[None]:
        """Let the block write the gold layer, as review decisions do on behalf of the reviewer.

        Only review code enters it: accepting, rejecting or editing a case, and undoing that.
        The reviewer still changes no other annotator's layer inside it.
        """
        self._reviewing += 1
        try:
            yield
        finally:
            self._reviewing -= 1

    def _check_owner(self, owner: str, what: str) -> None:
        check_owner(self.annotator, owner, what, reviewing=self._reviewing > 0)

    def _check_span_owner(self, span: Span) -> None:
        self._check_owner(span.annotator, f"the {span.label} annotation [{span.start}, {span.end})")

    def _check_relation_owner(self, relation: Relation) -> None:
        self._check_owner(relation.annotator, f"the {relation.type} link {relation.id!r}")

    # ---- spans ---------------------------------------------------------------------------

    def add_span(
        self,
        doc_id: str,
        start: int,
        end: int,
        label: str,
        *,
        attrs: Mapping[str, str] | None = None,
        annotator: str | None = None,
        status: str = "pending",
        span_id: str | None = None,
    ) -> Span:
        """Add a span ``[start, end)`` (code points) with ``label``; committed on return.

        ``annotator`` defaults to the project's; another annotator's layer is refused
        (OwnershipError), and so is gold outside :meth:`as_reviewer`.
        """
        stamp = now()
        span = Span(
            id=span_id or new_id("s"),
            doc_id=doc_id,
            start=start,
            end=end,
            label=label,
            annotator=annotator or self.annotator,
            attrs=dict(attrs or {}),
            status=status,
            created=stamp,
            updated=stamp,
        )
        self._check_span_owner(span)
        with self.write():
            text = self.document(doc_id).text
            span = self._insert_annotations(text, [span], [])[0]
            self._touch_status(doc_id)
        return span

    def restore_span(self, deleted: DeletedSpan) -> None:
        """Put back a deleted span and its relations with their ids (used by undo)."""
        self._check_span_owner(deleted.span)
        for relation in deleted.relations:
            self._check_relation_owner(relation)
        with self.write():
            text = self.document(deleted.span.doc_id).text
            self._insert_annotations(text, [deleted.span], list(deleted.relations))

    def update_span(
        self,
        doc_id: str,
        span_id: str,
        *,
        start: int | None = None,
        end: int | None = None,
        label: str | None = None,
        attrs: Mapping[str, str] | None = None,
        status: str | None = None,
        expected: Span | None = None,
    ) -> Span:
        """Change a span's edges, label, attributes or review status; committed on return.

        A new label must still fit every relation the span is part of. With ``expected`` (the
        span as the caller last saw it) the edit is refused with StaleEditError when the stored
        span changed or vanished since. Only the user's own spans (gold in review) can change.
        """
        with self.write():
            old = self._expected_span(doc_id, span_id, expected)
            self._check_span_owner(old)
            new_label = label if label is not None else old.label
            new_attrs = dict(attrs) if attrs is not None else dict(old.attrs)
            if label is not None and label != old.label and attrs is None:
                new_attrs = {}
            new = replace(
                old,
                start=old.start if start is None else start,
                end=old.end if end is None else end,
                label=new_label,
                attrs=self.schema.check_span(new_label, new_attrs),
                status=old.status if status is None else status,
                updated=now(),
            )
            # A span stored before the line-break or alignment rule can still be accepted,
            # rejected or given attributes; only moving or relabelling it must make it fit.
            moved = (new.start, new.end) != (old.start, old.end)
            reshaped = moved or new.label != old.label
            text = self.document(doc_id).text
            self._check_span(text, new, line_breaks=reshaped, alignment=moved)
            if new.label != old.label:
                for rel in self.relations_of(doc_id, span_id):
                    head = new if rel.head == span_id else self.span(doc_id, rel.head)
                    tail = new if rel.tail == span_id else self.span(doc_id, rel.tail)
                    self.schema.check_relation(rel.type, head.label, tail.label)
            self.db.execute(
                'UPDATE spans SET start = ?, "end" = ?, label = ?, attrs = ?, status = ?,'
                " updated = ? WHERE doc_id = ? AND id = ?",
                [
                    new.start,
                    new.end,
                    new.label,
                    _dumps(new.attrs),
                    new.status,
                    new.updated,
                    doc_id,
                    span_id,
                ],
            )
        return new

    def delete_span(
        self, doc_id: str, span_id: str, *, expected: Span | None = None
    ) -> DeletedSpan:
        """Delete a span and the relations that touch it; return them for undo.

        With ``expected``, refused (StaleEditError) when the span changed or vanished since.
        Only the user's own spans (gold in review) can go, and only with links of the same layer.
        """
        with self.write():
            span = self._expected_span(doc_id, span_id, expected)
            self._check_span_owner(span)
            relations = tuple(self.relations_of(doc_id, span_id))
            for relation in relations:
                self._check_relation_owner(relation)
            self.db.execute("DELETE FROM spans WHERE doc_id = ? AND id = ?", [doc_id, span_id])
        return DeletedSpan(span, relations)

    def _expected_span(self, doc_id: str, span_id: str, expected: Span | None) -> Span:
        # Compare-and-swap: an edit made against what a window showed applies only to that.
        if expected is None:
            return self.span(doc_id, span_id)
        try:
            current = self.span(doc_id, span_id)
        except NotFoundError as exc:
            raise StaleEditError(
                f"{expected.label} annotation {span_id!r} was deleted since it was shown"
                " (another window or program); nothing was changed",
                path=self.path,
            ) from exc
        if _content(current) != _content(expected):
            raise StaleEditError(
                f"{expected.label} annotation {span_id!r} was changed since it was shown"
                f" (now {current.label} [{current.start}, {current.end}), by another window or"
                " program); nothing was changed",
                path=self.path,
            )
        return current

    def add_relation(
        self,
        doc_id: str,
        type_id: str,
        head: str,
        tail: str,
        *,
        annotator: str | None = None,
        status: str = "pending",
        relation_id: str | None = None,
    ) -> Relation:
        """Link ``head`` to ``tail`` with ``type_id``, if the schema allows it; committed on return.

        The link and both its ends belong to one layer: the user's own (gold in review).
        """
        stamp = now()
        relation = Relation(
            id=relation_id or new_id("r"),
            doc_id=doc_id,
            type=type_id,
            head=head,
            tail=tail,
            annotator=annotator or self.annotator,
            status=status,
            created=stamp,
            updated=stamp,
        )
        self._check_relation_owner(relation)
        with self.write():
            text = self.document(doc_id).text
            for end_id in (head, tail):
                self._check_same_layer(doc_id, end_id, relation)
            self._insert_annotations(text, [], [relation])
        return relation

    def _check_same_layer(self, doc_id: str, span_id: str, relation: Relation) -> None:
        # A link into another layer would vanish when its owner deletes their span.
        row = self.db.execute(
            "SELECT annotator, label FROM spans WHERE doc_id = ? AND id = ?", [doc_id, span_id]
        ).fetchone()
        if row is not None and row[0] != relation.annotator:
            raise OwnershipError(
                f"the {row[1]} annotation {span_id!r} belongs to {row[0]}: a {relation.type} link"
                f" of {relation.annotator} joins annotations of {relation.annotator} only",
                owner=str(row[0]),
            )

    def delete_relation(
        self, doc_id: str, relation_id: str, *, expected: Relation | None = None
    ) -> Relation:
        """Delete one relation and return it (for undo).

        With ``expected``, refused (StaleEditError) when the link changed or vanished since.
        """
        with self.write():
            try:
                relation = self.relation(doc_id, relation_id)
            except NotFoundError as exc:
                if expected is None:
                    raise
                raise StaleEditError(
                    f"the {expected.type} link was deleted since it was shown"
                    " (another window or program); nothing was changed",
                    path=self.path,
                ) from exc
            if expected is not None and replace(relation, updated="") != replace(
                expected, updated=""
            ):
                raise StaleEditError(
                    f"the {expected.type} link was changed since it was shown; nothing was changed",
                    path=self.path,
                )
            self._check_relation_owner(relation)
            self.db.execute(
                "DELETE FROM relations WHERE doc_id = ? AND id = ?", [doc_id, relation_id]
            )
        return relation

    def set_relation_status(self, doc_id: str, relation_id: str, status: str) -> Relation:
        """Set a relation's review status (of the user's own links; gold's in review)."""
        if status not in REVIEW_STATUSES:
            raise ValidationError(f"status must be one of {', '.join(REVIEW_STATUSES)}")
        with self.write():
            self._check_relation_owner(self.relation(doc_id, relation_id))
            self.db.execute(
                "UPDATE relations SET status = ?, updated = ? WHERE doc_id = ? AND id = ?",
                [status, now(), doc_id, relation_id],
            )
        return self.relation(doc_id, relation_id)

    def _check_span(
        self, text: str, span: Span, *, line_breaks: bool = True, alignment: bool = True
    ) -> Span:
        check_offsets(len(text), span.start, span.end)
        if alignment:
            check_aligned(text, span.start, span.end)
        if line_breaks:
            self.schema.check_span_text(span.label, text, span.start, span.end)
        if span.status not in REVIEW_STATUSES:
            raise ValidationError(f"status must be one of {', '.join(REVIEW_STATUSES)}")
        self.schema.check_span(span.label, span.attrs)
        return span

    def _insert_annotations(
        self,
        text: str,
        spans: list[Span],
        relations: list[Relation],
        *,
        doc_id: str | None = None,
    ) -> list[Span]:
        """Validate and insert spans and relations inside the caller's transaction.

        ``doc_id`` stores them all under that document whatever their own ``doc_id`` (an
        import's new id), without copying millions of annotations just to change one field.

        Offsets, alignment, labels and links are checked here; ownership is not. This is the
        import pipeline's path (``import_documents``, merges, restoring gold in review): an
        import brings in other annotators' layers whole, credited to them, because the user
        named the files to import; it is one transaction that adds and never changes or removes
        anyone's annotations. The single-edit methods above check ownership before calling it.
        """
        stamp = now()  # one clock read per batch, not two per annotation
        checked = [self._check_span(text, s) for s in spans]
        ids = [s.id for s in checked]
        if len(set(ids)) != len(ids):
            raise DuplicateError("two spans share one id")
        labels = {s.id: s.label for s in checked}
        for rel in relations:
            for end_id in (rel.head, rel.tail):
                if end_id not in labels:
                    labels[end_id] = self._label_of(doc_id or rel.doc_id, end_id)
            if rel.head == rel.tail:
                raise ValidationError("a relation cannot link a span to itself")
            self.schema.check_relation(rel.type, labels[rel.head], labels[rel.tail])
        try:
            self.db.conn.executemany(
                'INSERT INTO spans (doc_id, id, start, "end", label, annotator, attrs, status,'
                " created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        doc_id or s.doc_id,
                        s.id,
                        s.start,
                        s.end,
                        s.label,
                        s.annotator,
                        _dumps(s.attrs) if s.attrs else "{}",
                        s.status,
                        s.created or stamp,
                        s.updated or stamp,
                    )
                    for s in checked
                ],
            )
            self.db.conn.executemany(
                "INSERT INTO relations (doc_id, id, type, head, tail, annotator, status, created,"
                " updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        doc_id or r.doc_id,
                        r.id,
                        r.type,
                        r.head,
                        r.tail,
                        r.annotator,
                        r.status,
                        r.created or stamp,
                        r.updated or stamp,
                    )
                    for r in relations
                ],
            )
        except sqlite3.IntegrityError as exc:
            raise DuplicateError(f"an annotation with this id already exists ({exc})") from exc
        return checked

    def _touch_status(self, doc_id: str) -> None:
        if is_server(self.db):
            # On a server, two annotators adding the first spans of one document at once would
            # both update its row, and repeatable read refuses the second whole edit: the
            # status follows right after the commit instead (Project.write), on its own.
            self._touch_after_commit.add(doc_id)
            return
        self.db.execute(TOUCH_STATUS, [doc_id])

    _touch_after_commit: set[str]
