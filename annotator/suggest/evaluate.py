"""How well a recommender finds what a layer holds: entity-level precision, recall and F1.

The documents are those of the ``source`` layer holding at least one of its spans (the
annotated ones), in project order. With ``folds=k`` they are cut into k contiguous blocks (the
first ``n % k`` one document longer), as scikit-learn's ``KFold`` without shuffling cuts them:
articles next to each other, often on the same story, stay in the same block. For each block a
fresh recommender learns from the others (``make_recommender(train_ids)``) and proposes on the
block's documents with nothing known (``known=[]``), except the layer's spans of the kinds a recommender
declares in ``builds_on`` (quotes: the entities, among which it finds speakers), which are then
not scored. With ``holdout=0.2`` it learns from the
first 80% and is scored on the rest. A recommender that learns nothing (``learns = False``, the
``quotes`` rules) is prepared once and scored on every annotated document, without folds.

Scores follow seqeval's conventions (``classification_report``, its default mode): a proposal
counts when its edges and label equal a span of the layer (entity-level exact match);
precision = matches / proposals, recall = matches / spans of the layer, F1 = 2PR / (P + R), and
0 where a division by zero would be (no proposal, no span); support = spans of the layer.
``micro`` sums the counts of every label, ``macro`` averages the labels' scores, ``weighted``
averages them by support. Links by type the same way: a proposed link counts when its type and
both ends' edges and labels equal a link of the layer.

Scored labels: ``labels`` when given, else every label of the kinds (entity, quote, cue,
claim) the recommender proposed or declares in its ``labels`` attribute, as it appears in the
layer or the proposals. Scored link types: those the recommender proposed or declares in
``link_types``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.errors import Cancelled, ValidationError
from annotator.model.document import Span
from annotator.model.suggestions import Proposals
from annotator.store import Project
from annotator.suggest.base import Recommender
from annotator.suggest.registry import LEARNS

MakeRecommender = Callable[[Sequence[str] | None], Recommender]
Place = tuple[int, int, str]  # a span's start, end and label
_CHUNK = 500  # documents whose spans are read in one query while looking for annotated ones


@dataclass(slots=True)
class Count:
    """Matches, proposals and spans of the layer, for one label or link type."""

    matched: int = 0
    proposed: int = 0
    expected: int = 0

    def add(self, expected: set[Any], proposed: set[Any]) -> None:
        """Count one document's spans (or links) of the layer and proposals."""
        self.matched += len(expected & proposed)
        self.proposed += len(proposed)
        self.expected += len(expected)

    def row(self, name: str) -> Row:
        """Return the scores: precision, recall and F1 (0 where undefined), support."""
        precision = self.matched / self.proposed if self.proposed else 0.0
        recall = self.matched / self.expected if self.expected else 0.0
        return Row(name, precision, recall, _f1(precision, recall), self.expected)


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the scores: a label, a link type or an average."""

    name: str
    precision: float
    recall: float
    f1: float
    support: int

    def as_dict(self) -> dict[str, float | int]:
        """Return the row's numbers by name."""
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "support": self.support,
        }


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def averages(counts: dict[str, Count]) -> list[Row]:
    """Return the micro, macro and weighted averages of ``counts``, as seqeval gives them."""
    rows = [c.row(name) for name, c in counts.items()]
    total = sum(c.expected for c in counts.values())
    micro = Count(
        sum(c.matched for c in counts.values()),
        sum(c.proposed for c in counts.values()),
        total,
    ).row("micro avg")
    n = len(rows)

    def mean(pick: Callable[[Row], float], weighted: bool) -> float:
        if weighted:
            return sum(pick(r) * r.support for r in rows) / total if total else 0.0
        return sum(pick(r) for r in rows) / n if n else 0.0

    return [micro] + [
        Row(
            name,
            mean(lambda r: r.precision, weighted),
            mean(lambda r: r.recall, weighted),
            mean(lambda r: r.f1, weighted),
            total,
        )
        for name, weighted in (("macro avg", False), ("weighted avg", True))
    ]


@dataclass(slots=True)
class Scores:
    """A recommender's scores on a layer, and how they were measured."""

    recommender: str
    source: str
    labels: dict[str, Count] = field(default_factory=dict)
    links: dict[str, Count] = field(default_factory=dict)
    documents: int = 0  # documents scored
    training_documents: list[int] = field(default_factory=list)  # per training
    folds: int | None = None
    holdout: float | None = None
    learns: bool = True  # False: prepared once, every annotated document scored, no folds
    seconds: float = 0.0
    seconds_training: float = 0.0

    def label_rows(self) -> list[Row]:
        """Return a row per label (by name), then the micro, macro and weighted averages."""
        return [self.labels[k].row(k) for k in sorted(self.labels)] + averages(self.labels)

    def link_rows(self) -> list[Row]:
        """Return a row per link type, then the averages (nothing when no link is scored)."""
        if not self.links:
            return []
        return [self.links[k].row(k) for k in sorted(self.links)] + averages(self.links)

    def table(self) -> list[tuple[str, ...]]:
        """Return the rows to print: a header, the labels and averages, then the links'."""
        out: list[tuple[str, ...]] = [("label", "precision", "recall", "f1-score", "support")]
        out += [_cells(row) for row in self.label_rows()]
        link_rows = self.link_rows()
        if link_rows:
            out.append(("link", "precision", "recall", "f1-score", "support"))
            out += [_cells(row) for row in link_rows]
        return out

    def summary(self) -> str:
        """Return one line saying what was trained and scored, and how long it took."""
        what = f"{self.recommender} against {self.source}: "
        if not self.learns:
            what += f"nothing to learn, scored on all {self.documents} annotated document(s)"
        elif self.holdout is not None:
            trained = self.training_documents[0] if self.training_documents else 0
            what += (
                f"trained on the first {trained} annotated document(s), scored on the last"
                f" {self.documents} (holdout {self.holdout:g})"
            )
        else:
            what += (
                f"{self.folds} folds over {self.documents} annotated document(s)"
                " (contiguous blocks in project order)"
            )
        return f"{what}; {self.seconds:.1f} s, of which training {self.seconds_training:.1f} s"

    def lines(self) -> list[str]:
        """Return the summary and the table, aligned, as lines of plain text."""
        rows = self.table()
        width = max(len(r[0]) for r in rows)
        lines = [self.summary()]
        for row in rows:
            if row[1] == "precision":
                lines.append("")
            lines.append(f"{row[0]:<{width}}  " + "  ".join(f"{c:>9}" for c in row[1:]))
        return lines

    def as_dict(self) -> dict[str, Any]:
        """Return the scores and how they were measured as JSON values."""
        link_rows = self.link_rows()
        return {
            "recommender": self.recommender,
            "source": self.source,
            "documents": self.documents,
            "training_documents": self.training_documents,
            "folds": self.folds,
            "holdout": self.holdout,
            "learns": self.learns,
            "seconds": round(self.seconds, 3),
            "seconds_training": round(self.seconds_training, 3),
            "labels": {r.name: r.as_dict() for r in self.label_rows()[: len(self.labels)]},
            "averages": {r.name: r.as_dict() for r in self.label_rows()[len(self.labels) :]},
            "links": {r.name: r.as_dict() for r in link_rows[: len(self.links)]},
            "link_averages": {r.name: r.as_dict() for r in link_rows[len(self.links) :]},
        }


def _cells(row: Row) -> tuple[str, ...]:
    return (
        row.name,
        f"{row.precision:.3f}",
        f"{row.recall:.3f}",
        f"{row.f1:.3f}",
        str(row.support),
    )


def annotated_documents(project: Project, source: str) -> list[str]:
    """Return the ids of the documents holding a span of ``source``, in project order."""
    ids = project.document_ids()
    found: list[str] = []
    for at in range(0, len(ids), _CHUNK):
        chunk = ids[at : at + _CHUNK]
        spans = project.annotations_by_document(chunk, [source], relations=False)
        found += [doc_id for doc_id in chunk if spans[doc_id][0]]
    return found


def splits(
    ids: Sequence[str], folds: int, holdout: float | None
) -> list[tuple[list[str], list[str]]]:
    """Return (training ids, scored ids) for each training: contiguous folds, or a holdout."""
    n = len(ids)
    if holdout is not None:
        if not 0 < holdout < 1:
            raise ValidationError(f"the holdout is a share between 0 and 1, not {holdout}")
        scored = max(1, round(n * holdout))
        if scored >= n:
            raise ValidationError(
                f"only {n} annotated document(s): too few to train on some and score the rest"
            )
        return [(list(ids[: n - scored]), list(ids[n - scored :]))]
    if folds < 2 or folds > n:
        raise ValidationError(
            f"{folds} folds need at least 2 folds and {max(folds, 2)} annotated documents;"
            f" the layer has {n}: ask for fewer folds, or a --holdout"
        )
    out = []
    start = 0
    for i in range(folds):
        size = n // folds + (1 if i < n % folds else 0)
        block = list(ids[start : start + size])
        out.append((list(ids[:start]) + list(ids[start + size :]), block))
        start += size
    return out


def evaluate(
    project: Project,
    make_recommender: MakeRecommender,
    *,
    source: str,
    folds: int = 5,
    holdout: float | None = None,
    labels: Iterable[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Scores:
    """Score the recommenders ``make_recommender`` makes against the ``source`` layer.

    ``make_recommender(train_ids)`` returns a fresh recommender that learns from those
    documents only (and keeps no model: :class:`~annotator.suggest.crf.CrfRecommender` does
    not when given ``train_ids``). ``progress(done, total)`` counts trainings and scored
    documents. Raises :class:`~annotator.errors.Cancelled` when ``cancelled()`` says so.
    """
    started = time.perf_counter()
    ids = annotated_documents(project, source)
    if not ids:
        raise ValidationError(f"the layer {source!r} has no annotated document to score against")
    first = make_recommender(None)
    scores = Scores(
        first.name, source, learns=bool(getattr(first, "learns", LEARNS.get(first.name, True)))
    )
    runs: list[tuple[Recommender, list[str] | None, list[str]]] = [(first, None, ids)]
    if scores.learns:
        runs = [(make_recommender(t), t, s) for t, s in splits(ids, folds, holdout)]
        scores.folds, scores.holdout = (None, holdout) if holdout is not None else (folds, None)
    tally = _Tally(project)
    total = len(runs) + sum(len(scored) for _, _, scored in runs)
    done = 0
    for recommender, train, scored in runs:
        _check(cancelled)
        began = time.perf_counter()
        recommender.prepare(project, source, cancelled=cancelled)
        scores.seconds_training += time.perf_counter() - began
        scores.training_documents.append(len(train) if train is not None else 0)
        tally.declared(recommender)
        done += 1
        for doc_id in scored:
            _check(cancelled)
            known = tally.known(recommender, doc_id, source)
            found = recommender.propose(project.document(doc_id), known)
            tally.add(doc_id, source, found)
            done += 1
            if progress is not None:
                progress(done, total)
        scores.documents += len(scored)
    scores.labels, scores.links = tally.counts(labels)
    scores.seconds = time.perf_counter() - started
    return scores


def _check(cancelled: Callable[[], bool] | None) -> None:
    if cancelled is not None and cancelled():
        raise Cancelled("the evaluation was cancelled")


class _Tally:
    """Counts per label and link type, for every label seen; the scored ones are picked last."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.kinds = {label.id: label.kind for label in project.schema.labels}
        self.labels: dict[str, Count] = {}
        self.links: dict[str, Count] = {}
        self.proposed_kinds: set[str | None] = set()
        self.link_types: set[str] = set()
        self.given_kinds: frozenset[str] = frozenset()  # given as known: not scored

    def known(self, recommender: Recommender, doc_id: str, source: str) -> list[Span]:
        """Return what the recommender is given as known: the layer's spans of the kinds it
        builds on (``builds_on``: quotes finds speakers among entities), else nothing."""
        kinds = frozenset(getattr(recommender, "builds_on", ()))
        self.given_kinds |= kinds
        if not kinds:
            return []
        return [s for s in self.project.spans(doc_id, [source]) if self.kinds.get(s.label) in kinds]

    def declared(self, recommender: Recommender) -> None:
        """Note the labels and link types the recommender says it proposes."""
        for label in getattr(recommender, "labels", None) or ():
            self.proposed_kinds.add(self.kinds.get(label))
        self.link_types.update(getattr(recommender, "link_types", None) or ())

    def add(self, doc_id: str, source: str, found: Proposals) -> None:
        """Count one scored document: the layer's spans and links against the proposals."""
        spans = self.project.spans(doc_id, [source])
        places = {s.id: (s.start, s.end, s.label) for s in spans}
        expected: dict[str, set[Place]] = {}
        for place in places.values():
            expected.setdefault(place[2], set()).add(place)
        proposed: dict[str, set[Place]] = {}
        by_key: dict[str, Place] = {}
        for p in found.spans:
            proposed.setdefault(p.label, set()).add((p.start, p.end, p.label))
            by_key[p.key] = (p.start, p.end, p.label)
            self.proposed_kinds.add(self.kinds.get(p.label))
        for label in expected.keys() | proposed.keys():
            self.labels.setdefault(label, Count()).add(
                expected.get(label, set()), proposed.get(label, set())
            )
        gold_links: dict[str, set[tuple[Place, Place]]] = {}
        for r in self.project.relations(doc_id, [source]):
            if r.head in places and r.tail in places:
                gold_links.setdefault(r.type, set()).add((places[r.head], places[r.tail]))
        links: dict[str, set[tuple[Place, Place]]] = {}
        for link in found.links:
            if link.head in by_key and link.tail in by_key:
                links.setdefault(link.type, set()).add((by_key[link.head], by_key[link.tail]))
                self.link_types.add(link.type)
        for kind in gold_links.keys() | links.keys():
            self.links.setdefault(kind, Count()).add(
                gold_links.get(kind, set()), links.get(kind, set())
            )

    def counts(self, labels: Iterable[str] | None) -> tuple[dict[str, Count], dict[str, Count]]:
        """Return the counts of the scored labels and link types."""
        if labels is not None:
            wanted = set(labels)
            scored = {k: self.labels.get(k, Count()) for k in wanted}
        else:
            scored = {
                k: c
                for k, c in self.labels.items()
                if self.kinds.get(k) in self.proposed_kinds
                and self.kinds.get(k) not in self.given_kinds
            }
        links = {k: c for k, c in self.links.items() if k in self.link_types}
        return scored, links
