"""Review decisions and document review status, stored beside the annotations. No Qt.

A decision belongs to a comparison case, named by a key built from offsets and labels (see
``annotator.review.compare``), never from span ids: a case keeps its decision when new work is
merged later.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.errors import NotFoundError, OwnershipError, ValidationError
from annotator.model.document import GOLD_ANNOTATOR, Relation, Span
from annotator.store import values
from annotator.store.annotations import now
from annotator.store.project import Project

DECISIONS = ("accepted", "rejected", "edited")
DOCUMENT_REVIEW_STATUSES = ("unreviewed", "in_review", "reviewed")


@dataclass(frozen=True, slots=True)
class Decision:
    """What a reviewer decided about one case, with the gold annotations it produced."""

    doc_id: str
    case_key: str
    decision: str
    reviewer: str
    decided: str
    gold_ids: tuple[str, ...] = ()
    detail: Mapping[str, Any] = field(default_factory=dict)


def record_decision(
    project: Project,
    doc_id: str,
    case_key: str,
    decision: str,
    *,
    gold_ids: Iterable[str] = (),
    detail: Mapping[str, Any] | None = None,
    reviewer: str | None = None,
) -> Decision:
    """Store (or replace) the decision on one case; reviewer defaults to the project's annotator."""
    if decision not in DECISIONS:
        raise ValidationError(f"a decision must be one of {', '.join(DECISIONS)}")
    made = Decision(
        doc_id=doc_id,
        case_key=case_key,
        decision=decision,
        reviewer=reviewer or project.annotator,
        decided=now(),
        gold_ids=tuple(gold_ids),
        detail=dict(detail or {}),
    )
    restore_decision(project, made)
    return made


def restore_decision(project: Project, made: Decision) -> None:
    """Store a decision exactly as given, reviewer and time included (used by undo)."""
    if made.decision not in DECISIONS:
        raise ValidationError(f"a decision must be one of {', '.join(DECISIONS)}")
    with project.write():
        _check_document(project, made.doc_id)
        project.db.execute(
            "INSERT OR REPLACE INTO review_decisions (doc_id, case_key, decision, gold_ids,"
            " detail, reviewer, decided) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                made.doc_id,
                made.case_key,
                made.decision,
                json.dumps(list(made.gold_ids)),
                json.dumps(dict(made.detail), ensure_ascii=False, sort_keys=True),
                made.reviewer,
                made.decided,
            ],
        )


_DECISION_SQL = (
    "SELECT doc_id, case_key, decision, reviewer, decided, gold_ids, detail"
    " FROM review_decisions WHERE doc_id = ?"
)


_DECIDED = "review_decisions"
_REVIEWED = "document_reviews"


def _decision(row: Any, path: Path) -> Decision:
    where = f"the decision on case {values.quoted(row[1])} of document {values.quoted(row[0])}"
    for column, k in (("doc_id", 0), ("case_key", 1), ("reviewer", 3), ("decided", 4)):
        values.text(path, _DECIDED, where, column, row[k])
    values.one_of(path, _DECIDED, where, "decision", row[2], DECISIONS)
    gold_ids = values.json_value(path, _DECIDED, where, "gold_ids", row[5])
    if type(gold_ids) is not list or not all(type(g) is str for g in gold_ids):
        raise values.damaged(path, _DECIDED, where, "gold_ids is not a JSON list of ids")
    detail = values.json_object(path, _DECIDED, where, "detail", row[6])
    return Decision(row[0], row[1], row[2], row[3], row[4], tuple(gold_ids), detail)


def decisions(project: Project, doc_id: str) -> dict[str, Decision]:
    """Return a document's decisions by case key."""
    with values.decoding(project.path, _DECIDED):
        rows = project.db.execute(_DECISION_SQL, [doc_id]).fetchall()
    return {row[1]: _decision(row, project.path) for row in rows}


def decision(project: Project, doc_id: str, case_key: str) -> Decision | None:
    """Return the decision on one case, or None while it is open."""
    with values.decoding(project.path, _DECIDED):
        row = project.db.execute(_DECISION_SQL + " AND case_key = ?", [doc_id, case_key]).fetchone()
    return _decision(row, project.path) if row else None


def forget_decision(project: Project, doc_id: str, case_key: str) -> None:
    """Remove the decision on one case (it becomes open again)."""
    with project.write():
        project.db.execute(
            "DELETE FROM review_decisions WHERE doc_id = ? AND case_key = ?", [doc_id, case_key]
        )


def review_status(project: Project, doc_id: str) -> str:
    """Return a document's review status: unreviewed, in_review or reviewed."""
    state = review_state(project, doc_id)
    return state.status if state else "unreviewed"


def review_statuses(project: Project) -> dict[str, str]:
    """Return the review status of every document that has one other than unreviewed."""
    with values.decoding(project.path, _REVIEWED):
        rows = project.db.execute("SELECT doc_id, status FROM document_reviews").fetchall()
    return {
        values.text(project.path, _REVIEWED, "a row", "doc_id", r[0]): _review_status(project, r)
        for r in rows
    }


def _review_status(project: Project, row: Any) -> str:
    where = f"the review of document {values.quoted(row[0])}"
    return values.one_of(project.path, _REVIEWED, where, "status", row[1], DOCUMENT_REVIEW_STATUSES)


def set_review_status(
    project: Project, doc_id: str, status: str, *, reviewer: str | None = None
) -> None:
    """Set a document's review status."""
    if status not in DOCUMENT_REVIEW_STATUSES:
        raise ValidationError(
            f"a review status must be one of {', '.join(DOCUMENT_REVIEW_STATUSES)}"
        )
    with project.write():
        _check_document(project, doc_id)
        project.db.execute(
            "INSERT OR REPLACE INTO document_reviews (doc_id, status, reviewer, updated)"
            " VALUES (?, ?, ?, ?)",
            [doc_id, status, reviewer or project.annotator, now()],
        )


@dataclass(frozen=True, slots=True)
class ReviewState:
    """A document's stored review status: what, set by whom, when."""

    status: str
    reviewer: str
    updated: str


def review_state(project: Project, doc_id: str) -> ReviewState | None:
    """Return a document's stored review status, or None when none was ever set."""
    with values.decoding(project.path, _REVIEWED):
        row = project.db.execute(
            "SELECT doc_id, status, reviewer, updated FROM document_reviews WHERE doc_id = ?",
            [doc_id],
        ).fetchone()
    if row is None:
        return None
    where = f"the review of document {values.quoted(row[0])}"
    reviewer = values.text(project.path, _REVIEWED, where, "reviewer", row[2])
    updated = values.text(project.path, _REVIEWED, where, "updated", row[3])
    return ReviewState(_review_status(project, row), reviewer, updated)


def restore_review_state(project: Project, doc_id: str, state: ReviewState | None) -> None:
    """Put back a document's review status exactly as ``review_state`` returned it (undo)."""
    with project.write():
        _check_document(project, doc_id)
        project.db.execute("DELETE FROM document_reviews WHERE doc_id = ?", [doc_id])
        if state is not None:
            project.db.execute(
                "INSERT INTO document_reviews (doc_id, status, reviewer, updated)"
                " VALUES (?, ?, ?, ?)",
                [doc_id, state.status, state.reviewer, state.updated],
            )


# ---- the gold layer's annotations, as decisions make and remove them ------------------------


def gold_span_at(
    project: Project, doc_id: str, start: int, end: int, label: str
) -> tuple[str, dict[str, str]] | None:
    """Return the id and attributes of the gold span with these offsets and label, if any."""
    row = project.db.execute(
        'SELECT id, attrs FROM spans WHERE doc_id = ? AND start = ? AND "end" = ? AND label = ?'
        " AND annotator = ?",
        [doc_id, start, end, label, GOLD_ANNOTATOR],
    ).fetchone()
    if row is None:
        return None
    where = f"span {values.quoted(row[0])} of document {values.quoted(doc_id)}"
    gold_id = values.text(project.path, "spans", where, "id", row[0])
    return gold_id, values.span_attrs(project.path, where, row[1])


def gold_relation_between(
    project: Project, doc_id: str, type_: str, head: str, tail: str
) -> str | None:
    """Return the id of the gold relation ``type_`` from ``head`` to ``tail``, if any."""
    row = project.db.execute(
        "SELECT id FROM relations WHERE doc_id = ? AND head = ? AND tail = ? AND type = ?"
        " AND annotator = ?",
        [doc_id, head, tail, type_, GOLD_ANNOTATOR],
    ).fetchone()
    return str(row[0]) if row else None


def delete_gold(project: Project, doc_id: str, gold_id: str) -> None:
    """Delete the gold span or relation ``gold_id``; nothing happens when it is already gone."""
    # A gold annotation may already be gone (deleted by hand, or with a span it pointed to).
    with project.write(), project.as_reviewer():
        for table in ("relations", "spans"):
            exists = project.db.execute(
                f"SELECT 1 FROM {table} WHERE doc_id = ? AND id = ? AND annotator = ?",
                [doc_id, gold_id, GOLD_ANNOTATOR],
            ).fetchone()
            if exists is None:
                continue
            if table == "spans":
                project.delete_span(doc_id, gold_id)
            else:
                project.delete_relation(doc_id, gold_id)


def restore_gold(
    project: Project, doc_id: str, spans: Iterable[Span], relations: Iterable[Relation]
) -> None:
    """Put gold spans and relations back with their ids and times (undo of a decision)."""
    gold_spans, gold_relations = list(spans), list(relations)
    owners = {s.annotator for s in gold_spans} | {r.annotator for r in gold_relations}
    for owner in owners - {GOLD_ANNOTATOR}:
        raise OwnershipError(f"only gold annotations are put back here, not {owner}'s", owner=owner)
    with project.write(), project.as_reviewer():
        text = project.document(doc_id).text
        project._insert_annotations(text, gold_spans, gold_relations, doc_id=doc_id)


def _check_document(project: Project, doc_id: str) -> None:
    if project.db.execute("SELECT 1 FROM documents WHERE id = ?", [doc_id]).fetchone() is None:
        raise NotFoundError(f"no document {doc_id!r} in the project", path=project.path)
