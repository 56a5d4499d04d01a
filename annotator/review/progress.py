"""A team's progress: per annotator assigned, started and done, and each pair's agreement on
the documents assigned to both. No Qt; ``annotator progress`` and Review > Team progress show
the same table (:func:`progress_lines`).

Counts come from the store (:meth:`annotator.store.Project.progress`: started means the person
has at least one span in the document, done means they marked their own assignment done).
Agreement is span F1 as :mod:`annotator.review.agreement` computes it (exact: offsets and label
equal; overlap: a same-label span overlapping), over the documents a pair shares where both
have at least one span, the rule ``annotator agree`` follows.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from annotator.errors import Cancelled
from annotator.review.agreement import PairCounts, count_document, scores
from annotator.review.report import number
from annotator.store.assignments import AnnotatorProgress
from annotator.store.project import Project

Pair = tuple[str, str]
Progress = Callable[[int], None]
CancelCheck = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class PairAgreement:
    """Two annotators on the documents assigned to both.

    ``shared``: documents assigned to both; ``compared``: of those, the ones where both have
    at least one span, which the scores are computed over.
    """

    a: str
    b: str
    shared: int
    compared: int
    spans_a: int
    spans_b: int
    span_f1_exact: float | None
    span_f1_overlap: float | None


@dataclass(frozen=True, slots=True)
class TeamProgress:
    """Every assigned person's counts and every pair sharing documents, by name."""

    people: list[AnnotatorProgress]
    pairs: list[PairAgreement]

    def to_json(self) -> dict[str, Any]:
        """Return the report as plain values (``annotator progress --json``)."""
        return {
            "annotators": [asdict(p) for p in self.people],
            "pairs": [asdict(p) for p in self.pairs],
        }


def team_progress(
    project: Project, *, progress: Progress | None = None, cancelled: CancelCheck | None = None
) -> TeamProgress:
    """Return the team's progress and pairwise agreement, read in one snapshot.

    ``progress`` is called with 1 for every assigned document read; ``cancelled`` is asked
    before each, and Cancelled raised when it says so (the window's Cancel).
    """
    with project.snapshot():
        people = project.progress()
        shared: dict[Pair, list[str]] = defaultdict(list)
        holders: dict[str, list[str]] = defaultdict(list)
        for assignment in project.assignments():
            holders[assignment.doc_id].append(assignment.annotator)
        for doc_id, names in holders.items():
            for pair in itertools.combinations(sorted(names), 2):
                shared[pair].append(doc_id)
        totals = {pair: PairCounts() for pair in shared}
        compared = dict.fromkeys(shared, 0)
        for doc_id, names in holders.items():
            if cancelled is not None and cancelled():
                raise Cancelled("the progress report was cancelled")
            if len(names) > 1:
                _count(project, doc_id, sorted(names), totals, compared)
            if progress is not None:
                progress(1)
    return TeamProgress(people, [_pair(p, shared, compared, totals) for p in sorted(shared)])


def _count(
    project: Project,
    doc_id: str,
    names: list[str],
    totals: dict[Pair, PairCounts],
    compared: dict[Pair, int],
) -> None:
    """Add one document's span matches to every pair of ``names`` that both annotated it."""
    spans = defaultdict(list)
    for span in project.spans(doc_id, names):
        spans[span.annotator].append(span)
    for a, b in itertools.combinations(names, 2):
        if spans[a] and spans[b]:
            # No tokens: span F1 is computed from offsets and labels alone (the token scores,
            # kappa and alpha, are `annotator agree`'s).
            totals[(a, b)].add(count_document([], spans[a], spans[b], [], []))
            compared[(a, b)] += 1


def _pair(
    pair: Pair,
    shared: dict[Pair, list[str]],
    compared: dict[Pair, int],
    totals: dict[Pair, PairCounts],
) -> PairAgreement:
    result = scores(totals[pair])
    return PairAgreement(
        a=pair[0],
        b=pair[1],
        shared=len(shared[pair]),
        compared=compared[pair],
        spans_a=result["spans_a"],
        spans_b=result["spans_b"],
        span_f1_exact=result["span_f1_exact"],
        span_f1_overlap=result["span_f1_overlap"],
    )


def progress_lines(report: TeamProgress) -> list[str]:
    """Return the report as tab-separated lines: one table of people, one of pairs."""
    if not report.people:
        return ["no document is assigned yet (annotator assign PROJECT --annotators A,B,...)"]
    lines = ["annotator\tassigned\tstarted\tdone"]
    lines += [f"{p.annotator}\t{p.assigned}\t{p.started}\t{p.done}" for p in report.people]
    lines.append("")
    if not report.pairs:
        lines.append("no two annotators share a document: no agreement to measure")
        return lines
    lines.append("pair\tshared\tcompared\tspans a\tspans b\tF1 exact\tF1 overlap")
    for p in report.pairs:
        cells = [f"{p.a} × {p.b}", str(p.shared), str(p.compared), str(p.spans_a)]
        cells += [str(p.spans_b), number(p.span_f1_exact), number(p.span_f1_overlap)]
        lines.append("\t".join(cells))
    return lines
