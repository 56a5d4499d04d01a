"""Adjudication: accept, reject or edit comparison cases into the gold layer. No Qt.

The gold layer is ordinary spans and relations whose annotator is ``GOLD_ANNOTATOR`` with status
"accepted", so every exporter can write it by selecting that annotator. Each action is one
transaction: the gold annotations and the decision that made them are saved together.
"""

from __future__ import annotations

from collections.abc import Mapping

from annotator.errors import OffsetError, ValidationError
from annotator.model.document import GOLD_ANNOTATOR
from annotator.model.text import snap_to_clusters
from annotator.review.compare import AGREED, Case, Comparison, SpanKey, compare_document
from annotator.store.project import Project
from annotator.store.reviews import (
    Decision,
    decision,
    decisions,
    delete_gold,
    gold_relation_between,
    gold_span_at,
    record_decision,
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
    with project.write():
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
    with project.write():
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
    text = project.document(doc_id).text
    # Refused, not widened: the reviewer typed these offsets and should see what they mean.
    if 0 <= start <= end <= len(text) and snap_to_clusters(text, start, end) != (start, end):
        raise OffsetError("a span edge falls between a letter and its marks (tashkeel)")
    with project.write():
        _undo_gold(project, doc_id, case.key)
        made = _gold_span(project, doc_id, (start, end, label), dict(attrs or {}))
        detail = {"start": start, "end": end, "label": label}
        return record_decision(
            project, doc_id, case.key, "edited", gold_ids=[made], detail=detail, reviewer=reviewer
        )


def accept_all_agreed(
    project: Project, comparison: Comparison, *, reviewer: str | None = None
) -> int:
    """Accept every agreed case not decided yet (spans before relations); return how many."""
    done = decisions(project, comparison.doc_id)
    todo = [c for c in comparison.cases if c.kind == AGREED and c.key not in done]
    todo.sort(key=lambda c: c.target != "span")
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
