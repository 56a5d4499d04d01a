"""How close a recommender's proposals come to a careful annotation of the same document.

Spans count as found when their edges and label are the annotation's exactly; a link when its
type and the edges of both its ends are. Precision is found / proposed, recall found / annotated.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotator.model.document import Relation, Span
from annotator.model.suggestions import Proposals


@dataclass(frozen=True, slots=True)
class Score:
    """Precision, recall and F1 of one label or link type."""

    name: str
    annotated: int
    proposed: int
    found: int

    @property
    def precision(self) -> float:
        """Return found / proposed (1.0 when nothing was proposed)."""
        return self.found / self.proposed if self.proposed else 1.0

    @property
    def recall(self) -> float:
        """Return found / annotated (1.0 when nothing was annotated)."""
        return self.found / self.annotated if self.annotated else 1.0

    @property
    def f1(self) -> float:
        """Return the harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _score(name: str, annotated: Iterable[object], proposed: Iterable[object]) -> Score:
    gold, mine = set(annotated), set(proposed)
    return Score(name, len(gold), len(mine), len(gold & mine))


def score_proposals(
    proposals: Proposals,
    spans: Sequence[Span],
    relations: Sequence[Relation],
    *,
    labels: Sequence[str] = ("QUOTE", "CUE"),
    links: Sequence[str] = ("SPEAKER", "CUE"),
) -> list[Score]:
    """Score proposals against an annotation: one row per label, then one per link type."""
    rows = [
        _score(
            label,
            ((s.start, s.end) for s in spans if s.label == label),
            ((p.start, p.end) for p in proposals.spans if p.label == label),
        )
        for label in labels
    ]
    by_id = {s.id: (s.start, s.end) for s in spans}
    by_key = {p.key: (p.start, p.end) for p in proposals.spans}
    for link in links:
        rows.append(
            _score(
                f"{link} link",
                ((by_id[r.head], by_id[r.tail]) for r in relations if r.type == link),
                ((by_key[k.head], by_key[k.tail]) for k in proposals.links if k.type == link),
            )
        )
    return rows


def table(rows: Sequence[Score]) -> str:
    """Return the scores as a plain-text table."""
    lines = [f"{'':<14}{'annotated':>10}{'proposed':>10}{'found':>7}{'P':>7}{'R':>7}{'F1':>7}"]
    for r in rows:
        lines.append(
            f"{r.name:<14}{r.annotated:>10}{r.proposed:>10}{r.found:>7}"
            f"{r.precision:>7.2f}{r.recall:>7.2f}{r.f1:>7.2f}"
        )
    return "\n".join(lines)
