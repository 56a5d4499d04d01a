"""Adjudication: accept, reject or edit comparison cases into the gold layer. No Qt.

The gold layer is ordinary spans and relations whose annotator is ``GOLD_ANNOTATOR`` with status
"accepted", so every exporter can write it by selecting that annotator. Each action is one
transaction: the gold annotations and the decision that made them are saved together. The store
refuses gold writes by hand; each action here writes gold inside ``project.as_reviewer()``.

``snapshot`` and ``restore`` make the actions undoable: a snapshot holds some cases' decisions
with the gold annotations they made; restoring one taken before an action undoes it, restoring
one taken after redoes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from annotator.errors import DuplicateError, NotFoundError, StaleEditError, ValidationError
from annotator.model.document import GOLD_ANNOTATOR, Relation, Span
from annotator.review.compare import AGREED, Case, Comparison, SpanKey, compare_document
from annotator.store.project import Project
from annotator.store.reviews import (
    Decision,
    ReviewState,
    decision,
    decisions,
    delete_gold,
    forget_decision,
    gold_relation_between,
    gold_span_at,
    record_decision,
    restore_decision,
    restore_gold,
    restore_review_state,
    review_state,
    review_status,
    set_review_status,
)


def accept(
    project: Project, doc_id: str, case: Case, option: int = 0, *, reviewer: str | None = None
) -> Decision:
    """Put option ``option`` of ``case`` into the gold layer and record the decision."""
    if not 0 <= option < len(case.options):
        raise ValidationError(f"this case has {len(case.options)} option(s); no option {option}")
    chosen = case.options[option]
    with project.write(), project.as_reviewer():
        _undo_gold(project, doc_id, case.key)
        if case.target == "relation":
            assert chosen.head is not None and chosen.tail is not None
            made = _gold_relation(project, doc_id, chosen.label, chosen.head, chosen.tail)
        else:
            key = (chosen.start, chosen.end, chosen.label)
            made = [_gold_span(project, doc_id, key, dict(chosen.attrs))]
        detail = {"option": option, "annotators": list(chosen.annotators)}
        return record_decision(
            project, doc_id, case.key, "accepted", gold_ids=made, detail=detail, reviewer=reviewer
        )


def reject(project: Project, doc_id: str, case: Case, *, reviewer: str | None = None) -> Decision:
    """Keep ``case`` out of the gold layer (removing what an earlier decision put there)."""
    with project.write(), project.as_reviewer():
        _undo_gold(project, doc_id, case.key)
        return record_decision(project, doc_id, case.key, "rejected", reviewer=reviewer)


def edit(
    project: Project,
    doc_id: str,
    case: Case,
    start: int,
    end: int,
    label: str,
    attrs: Mapping[str, str] | None = None,
    *,
    reviewer: str | None = None,
) -> Decision:
    """Put a corrected span ``[start, end)`` with ``label`` into gold for a span case."""
    if case.target != "span":
        raise ValidationError("only span cases can be edited; accept or reject a relation")
    # Refused, not widened: the store keeps the reviewer's offsets or raises AlignmentError
    # naming the letter or emoji they cut (the strict policy of annotator.model.offsets).
    with project.write(), project.as_reviewer():
        _undo_gold(project, doc_id, case.key)
        made = _gold_span(project, doc_id, (start, end, label), dict(attrs or {}))
        detail = {"start": start, "end": end, "label": label}
        return record_decision(
            project, doc_id, case.key, "edited", gold_ids=[made], detail=detail, reviewer=reviewer
        )


def agreed_open_cases(project: Project, comparison: Comparison) -> list[Case]:
    """Return the agreed cases not decided yet, spans before relations (accept_all_agreed's)."""
    done = decisions(project, comparison.doc_id)
    todo = [c for c in comparison.cases if c.kind == AGREED and c.key not in done]
    todo.sort(key=lambda c: c.target != "span")
    return todo


def accept_all_agreed(
    project: Project, comparison: Comparison, *, reviewer: str | None = None
) -> int:
    """Accept every agreed case not decided yet (spans before relations); return how many."""
    todo = agreed_open_cases(project, comparison)
    with project.write():
        for case in todo:
            accept(project, comparison.doc_id, case, reviewer=reviewer)
    return len(todo)


def refresh_review_status(
    project: Project, comparison: Comparison, *, reviewer: str | None = None
) -> str:
    """Store and return the document's review status: reviewed once every case is decided."""
    done = decisions(project, comparison.doc_id)
    keys = [c.key for c in comparison.cases]
    decided = sum(1 for k in keys if k in done)
    if keys and decided == len(keys):
        status = "reviewed"
    elif decided or done:
        status = "in_review"
    else:
        status = "unreviewed"
    if status != review_status(project, comparison.doc_id):
        set_review_status(project, comparison.doc_id, status, reviewer=reviewer)
    return status


def recompare(project: Project, comparison: Comparison) -> Comparison:
    """Compare the same document and annotators again (after a merge or an edit)."""
    return compare_document(project, comparison.doc_id, comparison.annotators)


def gold_ids_of(project: Project, doc_id: str) -> set[str]:
    """Return the ids of every gold span and relation of a document."""
    spans = {s.id for s in project.spans(doc_id, [GOLD_ANNOTATOR])}
    return spans | {r.id for r in project.relations(doc_id, [GOLD_ANNOTATOR])}


# ---- undo and redo -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CaseState:
    """One case's decision (None while open) and the gold annotations that decision made."""

    case_key: str
    decision: Decision | None
    spans: tuple[Span, ...] = ()
    relations: tuple[Relation, ...] = ()


@dataclass(frozen=True, slots=True)
class GoldSnapshot:
    """Some cases of a document as they stood, with the document's review status."""

    doc_id: str
    cases: tuple[CaseState, ...]
    review: ReviewState | None

    @property
    def case_keys(self) -> tuple[str, ...]:
        """Return the keys of the cases held."""
        return tuple(c.case_key for c in self.cases)


def snapshot(project: Project, doc_id: str, case_keys: Iterable[str]) -> GoldSnapshot:
    """Return the decisions on ``case_keys`` and the gold annotations they made, to restore."""
    spans = {s.id: s for s in project.spans(doc_id, [GOLD_ANNOTATOR])}
    relations = {r.id: r for r in project.relations(doc_id, [GOLD_ANNOTATOR])}
    made = decisions(project, doc_id)
    held = []
    for key in dict.fromkeys(case_keys):
        found = made.get(key)
        ids = found.gold_ids if found is not None else ()
        held.append(
            CaseState(
                key,
                found,
                tuple(spans[i] for i in ids if i in spans),
                tuple(relations[i] for i in ids if i in relations),
            )
        )
    return GoldSnapshot(doc_id, tuple(held), review_state(project, doc_id))


def restore(project: Project, snapshot: GoldSnapshot) -> None:
    """Put the snapshot's cases back as they stood: decisions, gold annotations (same ids), status.

    What the cases' current decisions put into gold is removed first. Raises StaleEditError,
    changing nothing, when gold has changed since in a way that collides with the snapshot.
    """
    doc_id = snapshot.doc_id
    with project.write(), project.as_reviewer():
        for key in snapshot.case_keys:
            _undo_gold(project, doc_id, key)
            forget_decision(project, doc_id, key)
        spans, relations = _missing_gold(project, snapshot)
        try:
            restore_gold(project, doc_id, spans, relations)
        except (DuplicateError, NotFoundError) as exc:
            raise StaleEditError(
                f"the gold layer changed since this review decision: {exc.message}"
            ) from exc
        for case in snapshot.cases:
            if case.decision is not None:
                restore_decision(project, case.decision)
        restore_review_state(project, doc_id, snapshot.review)


def _missing_gold(project: Project, snapshot: GoldSnapshot) -> tuple[list[Span], list[Relation]]:
    """Return the snapshot's gold annotations not in gold now; raise if one collides."""
    doc_id = snapshot.doc_id
    spans = {s.id: s for s in project.spans(doc_id, [GOLD_ANNOTATOR])}
    at = {(s.start, s.end, s.label): s.id for s in spans.values()}
    relations = {r.id: r for r in project.relations(doc_id, [GOLD_ANNOTATOR])}
    between = {(r.type, r.head, r.tail): r.id for r in relations.values()}
    wanted_spans = {s.id: s for case in snapshot.cases for s in case.spans}
    wanted_relations = {r.id: r for case in snapshot.cases for r in case.relations}
    for span in wanted_spans.values():
        _check_free(spans.get(span.id), span, at.get((span.start, span.end, span.label)))
    for rel in wanted_relations.values():
        _check_free(relations.get(rel.id), rel, between.get((rel.type, rel.head, rel.tail)))
    return (
        [s for s in wanted_spans.values() if s.id not in spans],
        [r for r in wanted_relations.values() if r.id not in relations],
    )


def _check_free(
    now: Span | Relation | None, wanted: Span | Relation, same_place: str | None
) -> None:
    """Raise StaleEditError unless ``wanted`` can go back: absent, or present unchanged."""
    what = f"{wanted.label} span" if isinstance(wanted, Span) else f"{wanted.type} link"
    if now is not None and _content(now) != _content(wanted):
        raise StaleEditError(
            f"the gold {what} {wanted.id!r} was changed since this review decision;"
            " it cannot be put back"
        )
    if now is None and same_place is not None:
        raise StaleEditError(
            f"gold already holds another {what} ({same_place!r}) where this review decision"
            f" put {wanted.id!r}; it cannot be put back"
        )


def _content(annotation: Span | Relation) -> tuple[object, ...]:
    # Times are left out: a span an unrelated decision touched is still the same annotation.
    a = annotation
    if isinstance(a, Span):
        return (a.start, a.end, a.label, a.annotator, dict(a.attrs), a.status)
    return (a.type, a.head, a.tail, a.annotator, a.status)


def _undo_gold(project: Project, doc_id: str, case_key: str) -> None:
    """Remove what an earlier decision on this case added, unless another decision uses it."""
    previous = decision(project, doc_id, case_key)
    if previous is None or not previous.gold_ids:
        return
    made = decisions(project, doc_id)
    shared = {g for key, d in made.items() if key != case_key for g in d.gold_ids}
    for gold_id in previous.gold_ids:
        if gold_id not in shared:
            delete_gold(project, doc_id, gold_id)


def _gold_span(project: Project, doc_id: str, key: SpanKey, attrs: dict[str, str]) -> str:
    """Return the id of the gold span with these offsets and label, adding it if needed."""
    start, end, label = key
    found = gold_span_at(project, doc_id, start, end, label)
    if found is not None:
        gold_id, stored = found
        if attrs and stored != attrs:
            project.update_span(doc_id, gold_id, attrs=attrs)
        return gold_id
    made = project.add_span(
        doc_id, start, end, label, attrs=attrs, annotator=GOLD_ANNOTATOR, status="accepted"
    )
    return made.id


def _gold_relation(
    project: Project, doc_id: str, type_: str, head: SpanKey, tail: SpanKey
) -> list[str]:
    """Add a gold relation between gold spans at ``head`` and ``tail``, adding missing ends."""
    head_id = _gold_span(project, doc_id, head, {})
    tail_id = _gold_span(project, doc_id, tail, {})
    found = gold_relation_between(project, doc_id, type_, head_id, tail_id)
    if found is not None:
        made = [found]
    else:
        made = [
            project.add_relation(
                doc_id, type_, head_id, tail_id, annotator=GOLD_ANNOTATOR, status="accepted"
            ).id
        ]
    # The link's decision holds its ends too, so rejecting the span case alone keeps them;
    # rejecting the link removes ends that no other decision holds.
    return [*made, head_id, tail_id]
