"""Annotations a file brings for a document already in the project: new, unchanged or changed.

An import (or merge) matches incoming annotations to stored ones by id. A new id is added. An
id already stored is compared on what an annotator draws: a span's edges, label, annotator and
the attributes the file gives (an attribute the file leaves out is not a difference, since most
formats carry none); a relation's type, ends and annotator. Review status is the project's and
is neither compared nor changed. Nothing is ever deleted: an annotation the file leaves out
stays.

A changed annotation is never applied silently. Without ``update`` it is counted and listed in
the import report as not applied. With ``update`` it replaces the stored one, keeping its id,
when it is in the same annotator's layer, as that annotator's edit; one of another layer, or of
the gold layer (written only by review), stays listed as not applied. This is the explicit
upsert that tools such as Argilla offer for records with ids; Label Studio and doccano re-import
nothing in place, Prodigy keeps the first copy of a task.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from annotator.errors import NotFoundError, ValidationError
from annotator.model.document import GOLD_ANNOTATOR, DocumentRecord, Relation, Span
from annotator.store.annotations import _dumps, now

if TYPE_CHECKING:
    from annotator.store.project import Project


@dataclass(frozen=True, slots=True)
class Difference:
    """An incoming annotation whose id is stored with other content."""

    doc_id: str
    kind: str  # "span" or "relation"
    id: str
    annotator: str
    reason: str = ""  # why it was not applied with update; "" when it was not asked for


@dataclass
class Sorted:
    """One incoming document's annotations sorted against what is stored."""

    stored_spans: int = 0
    stored_relations: int = 0
    new_spans: list[Span] = field(default_factory=list)
    new_relations: list[Relation] = field(default_factory=list)
    unchanged: int = 0
    changed_spans: list[tuple[Span, Span]] = field(default_factory=list)  # (stored, incoming)
    changed_relations: list[tuple[Relation, Relation]] = field(default_factory=list)
    # Stored annotations of the layers the file brings that the file does not hold.
    missing_spans: list[Span] = field(default_factory=list)
    missing_relations: list[Relation] = field(default_factory=list)


def _same_span(stored: Span, incoming: Span) -> bool:
    if (stored.start, stored.end, stored.label, stored.annotator) != (
        incoming.start,
        incoming.end,
        incoming.label,
        incoming.annotator,
    ):
        return False
    return all(stored.attrs.get(k) == v for k, v in incoming.attrs.items())


def _same_relation(stored: Relation, incoming: Relation) -> bool:
    return (stored.type, stored.head, stored.tail, stored.annotator) == (
        incoming.type,
        incoming.head,
        incoming.tail,
        incoming.annotator,
    )


def sort_annotations(project: Project, doc_id: str, record: DocumentRecord) -> Sorted:
    """Sort ``record``'s annotations into new, unchanged and changed against ``doc_id``'s.

    An incoming annotation is matched to a stored one, in this order: by id; else, in the same
    annotator's layer, by content (a span's edges and label, a relation's type and ends); else,
    in that layer, to a stored one the file no longer has that it corrects (a span of the same
    label overlapping it or with the same edges; a relation with the same head and either the
    same type or the same tail). What matches nothing is new; what the file's layers hold and
    the file does not is listed in ``missing``. Other programs give annotations ids of their
    own (doccano numbers them, Label Studio makes region ids), so without the second and third
    steps a file taken back from them would duplicate every span.
    """
    stored_spans = {s.id: s for s in project.spans(doc_id)}
    stored_relations = {r.id: r for r in project.relations(doc_id)}
    found = Sorted(stored_spans=len(stored_spans), stored_relations=len(stored_relations))
    ids: dict[str, str] = {}  # incoming span id -> stored id it was matched to
    unmatched = _match_spans(found, stored_spans, record, doc_id, ids)
    layers = {s.annotator for s in record.spans} | {r.annotator for r in record.relations}
    found.missing_spans = [s for s in unmatched.values() if s.annotator in layers]
    relations = [replace(r, head=ids.get(r.head, r.head), tail=ids.get(r.tail, r.tail))
                 for r in record.relations]  # fmt: skip
    unmatched_rel = _match_relations(found, stored_relations, relations, doc_id)
    gone = {s.id for s in found.missing_spans}
    found.missing_relations = [
        r for r in unmatched_rel.values() if r.annotator in layers or {r.head, r.tail} & gone
    ]
    return found


def _match_spans(
    found: Sorted,
    stored: dict[str, Span],
    record: DocumentRecord,
    doc_id: str,
    ids: dict[str, str],
) -> dict[str, Span]:
    """Match incoming spans to stored ones (see :func:`sort_annotations`); return the rest."""
    free = dict(stored)
    later: list[Span] = []
    for span in record.spans:
        old = stored.get(span.id)
        if old is None:
            later.append(span)
            continue
        free.pop(old.id, None)
        ids[span.id] = old.id
        if _same_span(old, span):
            found.unchanged += 1
        else:
            found.changed_spans.append((old, replace(span, doc_id=doc_id)))
    by_content = {(s.annotator, s.start, s.end, s.label): s for s in free.values()}
    rest = []
    for span in later:
        old = by_content.pop((span.annotator, span.start, span.end, span.label), None)
        if old is None or old.id not in free:
            rest.append(span)
            continue
        del free[old.id]
        ids[span.id] = old.id
        if _same_span(old, replace(span, id=old.id)):
            found.unchanged += 1
        else:
            found.changed_spans.append((old, replace(span, id=old.id, doc_id=doc_id)))
    for span in rest:
        old = _corrected(span, free)
        if old is None:
            found.new_spans.append(replace(span, doc_id=doc_id))
            continue
        del free[old.id]
        ids[span.id] = old.id
        found.changed_spans.append((old, replace(span, id=old.id, doc_id=doc_id)))
    return free


def _corrected(span: Span, free: dict[str, Span]) -> Span | None:
    """Return the stored span of ``span``'s layer that it corrects, if any (most overlap)."""
    best, best_overlap = None, 0
    for old in free.values():
        if old.annotator != span.annotator or old.annotator == GOLD_ANNOTATOR:
            continue
        same_edges = (old.start, old.end) == (span.start, span.end)
        overlap = min(old.end, span.end) - max(old.start, span.start)
        if same_edges or (old.label == span.label and overlap > best_overlap):
            if same_edges:
                return old
            best, best_overlap = old, overlap
    return best


def _match_relations(
    found: Sorted, stored: dict[str, Relation], relations: list[Relation], doc_id: str
) -> dict[str, Relation]:
    """Match incoming relations to stored ones (see :func:`sort_annotations`); return the rest."""
    free = dict(stored)
    later: list[Relation] = []
    for rel in relations:
        old = stored.get(rel.id)
        if old is None:
            later.append(rel)
            continue
        free.pop(old.id, None)
        if _same_relation(old, rel):
            found.unchanged += 1
        else:
            found.changed_relations.append((old, replace(rel, doc_id=doc_id)))
    rest = []
    for rel in later:
        old = next((r for r in free.values() if _same_relation(r, replace(rel, id=r.id))), None)
        if old is None:
            rest.append(rel)
            continue
        del free[old.id]
        found.unchanged += 1
    for rel in rest:
        old = next(
            (
                r
                for r in free.values()
                if r.annotator == rel.annotator != GOLD_ANNOTATOR
                and r.head == rel.head
                and (r.type == rel.type or r.tail == rel.tail)
            ),
            None,
        )
        if old is None:
            found.new_relations.append(replace(rel, doc_id=doc_id))
            continue
        del free[old.id]
        found.changed_relations.append((old, replace(rel, id=old.id, doc_id=doc_id)))
    return free


def _refusal(stored_annotator: str, incoming_annotator: str) -> str:
    """Return why a change may not be applied by an import, or "" when it may."""
    if GOLD_ANNOTATOR in (stored_annotator, incoming_annotator):
        return "the gold layer is changed only by review"
    if stored_annotator != incoming_annotator:
        return f"the stored one belongs to {stored_annotator}, the file's to {incoming_annotator}"
    return ""


def differences(found: Sorted, *, update: bool) -> list[Difference]:
    """Return the changed annotations that are not applied (all of them without ``update``)."""
    result = []
    pairs: Iterable[tuple[str, Span | Relation, Span | Relation]] = [
        *(("span", old, new) for old, new in found.changed_spans),
        *(("relation", old, new) for old, new in found.changed_relations),
    ]
    for kind, old, new in pairs:
        reason = _refusal(old.annotator, new.annotator) if update else ""
        if not update or reason:
            result.append(Difference(old.doc_id, kind, old.id, new.annotator, reason))
    return result


def apply_span_changes(project: Project, text: str, found: Sorted) -> int:
    """Write the changed spans of their own layer over the stored ones; return how many.

    Runs inside the import's transaction before the new annotations go in (so new links see
    the new labels): each change is checked as an edit is (offsets, alignment, schema), and a
    failure rolls the whole import back. The links of a relabelled span are checked by
    :func:`apply_relation_changes`.
    """
    stamp = now()
    count = 0
    for old, new in found.changed_spans:
        if _refusal(old.annotator, new.annotator):
            continue
        attrs = {**(old.attrs if new.label == old.label else {}), **new.attrs}
        span = project._check_span(
            text, replace(old, start=new.start, end=new.end, label=new.label, attrs=attrs)
        )
        project.db.execute(
            'UPDATE spans SET start = ?, "end" = ?, label = ?, attrs = ?, updated = ?'
            " WHERE doc_id = ? AND id = ?",
            [span.start, span.end, span.label, _dumps(span.attrs), stamp, old.doc_id, old.id],
        )
        count += 1
    return count


def apply_relation_changes(project: Project, found: Sorted) -> int:
    """Write the changed relations of their own layer; check every link of a relabelled span.

    Runs after :func:`apply_span_changes` and the insertion of the new annotations.
    """
    stamp = now()
    count = 0
    for old, new in found.changed_relations:
        if _refusal(old.annotator, new.annotator):
            continue
        _check_relation(project, new)
        project.db.execute(
            "UPDATE relations SET type = ?, head = ?, tail = ?, updated = ?"
            " WHERE doc_id = ? AND id = ?",
            [new.type, new.head, new.tail, stamp, old.doc_id, old.id],
        )
        count += 1
    for old_span, new_span in found.changed_spans:
        if new_span.label != old_span.label and not _refusal(
            old_span.annotator, new_span.annotator
        ):
            for rel in project.relations_of(old_span.doc_id, old_span.id):
                _check_relation(project, rel)
    return count


def _check_relation(project: Project, rel: Relation) -> None:
    if rel.head == rel.tail:
        raise ValidationError("a relation cannot link a span to itself")
    try:
        head = project._label_of(rel.doc_id, rel.head)
        tail = project._label_of(rel.doc_id, rel.tail)
    except NotFoundError as exc:
        raise ValidationError(f"relation {rel.id!r}: {exc.message}") from None
    project.schema.check_relation(rel.type, head, tail)
