"""Review decisions and document review status, stored beside the annotations. No Qt.

A decision belongs to a comparison case, named by a key built from offsets and labels (see
``annotator.review.compare``), never from span ids: a case keeps its decision when new work is
merged later.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from annotator.errors import NotFoundError, ValidationError
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
    with project.write():
        _check_document(project, doc_id)
        project.db.execute(
            "INSERT OR REPLACE INTO review_decisions (doc_id, case_key, decision, gold_ids,"
            " detail, reviewer, decided) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                doc_id,
                case_key,
                decision,
                json.dumps(list(made.gold_ids)),
                json.dumps(dict(made.detail), ensure_ascii=False, sort_keys=True),
                made.reviewer,
                made.decided,
            ],
        )
    return made


_DECISION_SQL = (
    "SELECT doc_id, case_key, decision, reviewer, decided, gold_ids, detail"
    " FROM review_decisions WHERE doc_id = ?"
)


def _decision(row: Any) -> Decision:
    return Decision(
        row[0], row[1], row[2], row[3], row[4], tuple(json.loads(row[5])), json.loads(row[6])
    )


def decisions(project: Project, doc_id: str) -> dict[str, Decision]:
    """Return a document's decisions by case key."""
    rows = project.db.execute(_DECISION_SQL, [doc_id]).fetchall()
    return {row[1]: _decision(row) for row in rows}


def decision(project: Project, doc_id: str, case_key: str) -> Decision | None:
    """Return the decision on one case, or None while it is open."""
    row = project.db.execute(_DECISION_SQL + " AND case_key = ?", [doc_id, case_key]).fetchone()
    return _decision(row) if row else None


def forget_decision(project: Project, doc_id: str, case_key: str) -> None:
    """Remove the decision on one case (it becomes open again)."""
    with project.write():
        project.db.execute(
            "DELETE FROM review_decisions WHERE doc_id = ? AND case_key = ?", [doc_id, case_key]
        )


def review_status(project: Project, doc_id: str) -> str:
    """Return a document's review status: unreviewed, in_review or reviewed."""
    row = project.db.execute(
        "SELECT status FROM document_reviews WHERE doc_id = ?", [doc_id]
    ).fetchone()
    return str(row[0]) if row else "unreviewed"


def review_statuses(project: Project) -> dict[str, str]:
    """Return the review status of every document that has one other than unreviewed."""
    rows = project.db.execute("SELECT doc_id, status FROM document_reviews").fetchall()
    return {r[0]: r[1] for r in rows}


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


def _check_document(project: Project, doc_id: str) -> None:
    if project.db.execute("SELECT 1 FROM documents WHERE id = ?", [doc_id]).fetchone() is None:
        raise NotFoundError(f"no document {doc_id!r} in the project", path=project.path)
