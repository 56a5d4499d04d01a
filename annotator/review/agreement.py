"""Inter-annotator agreement: span F1, Cohen's kappa and Krippendorff's alpha on token tags,
and link F1. No Qt.

Definitions (what the numbers mean):

- A pair of annotators is compared on the documents where both have at least one span.
- ``span_f1_exact``: a span matches when offsets and label are equal; F1 = 2·matches / (|A| + |B|).
- ``span_f1_overlap``: precision = share of B's spans overlapping a same-label span of A, recall =
  share of A's spans overlapping a same-label span of B; F1 = 2PR / (P + R).
- Token tags: every label is its own BIO layer over the document's tokens (spans may nest or
  coincide, as QUOTE and CLAIM do, and one flat tag per token would drop one of them). A span tags
  every token it touches: B on the first, I on the rest. ``kappa_tokens`` is Cohen's kappa and
  ``alpha`` Krippendorff's alpha (nominal) over the layers of the labels either annotator used.
- ``links_f1``: SPEAKER and CLAIMANT links; a link matches when its type and both ends' offsets
  and labels are equal; F1 as for exact spans.
A number is None where it is undefined (nothing to compare, or no variation at all).

Cost is linear in tokens and spans: one sort and sweep per document and label, no pairwise loop
over spans.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import krippendorff
import numpy as np

from annotator.model.document import GOLD_ANNOTATOR, Relation, Span
from annotator.model.tokens import Token, tokenize
from annotator.store.project import Project
from annotator.store.reading import check_spans_fit

LINK_TYPES = ("SPEAKER", "CLAIMANT")
TAG_O, TAG_B, TAG_I = 0, 1, 2  # token tag codes
Progress = Callable[[int], None]


@dataclass
class LabelCounts:
    """Counts for one label (or all labels) of one pair, summed over documents."""

    n_a: int = 0
    n_b: int = 0
    exact: int = 0
    a_hit: int = 0  # spans of A overlapping a same-label span of B
    b_hit: int = 0
    tags_a: list[np.ndarray] = field(default_factory=list)
    tags_b: list[np.ndarray] = field(default_factory=list)

    def add(self, other: LabelCounts) -> None:
        """Add another count to this one."""
        self.n_a += other.n_a
        self.n_b += other.n_b
        self.exact += other.exact
        self.a_hit += other.a_hit
        self.b_hit += other.b_hit
        self.tags_a += other.tags_a
        self.tags_b += other.tags_b


@dataclass
class PairCounts:
    """Everything the scores of one pair are computed from."""

    labels: dict[str, LabelCounts] = field(default_factory=lambda: defaultdict(LabelCounts))
    links: Counter[str] = field(default_factory=Counter)  # n_a, n_b, exact

    def add(self, other: PairCounts) -> None:
        """Add another pair count to this one."""
        for label, counts in other.labels.items():
            self.labels[label].add(counts)
        self.links.update(other.links)


def f1(matches: int, n_a: int, n_b: int) -> float | None:
    """Return 2·matches / (n_a + n_b), or None when both sides are empty."""
    return None if n_a + n_b == 0 else 2 * matches / (n_a + n_b)


def overlap_f1(a_hit: int, b_hit: int, n_a: int, n_b: int) -> float | None:
    """Return the F1 of overlap precision (b_hit / n_b) and recall (a_hit / n_a)."""
    if n_a == 0 or n_b == 0:
        return None if n_a + n_b == 0 else 0.0
    precision, recall = b_hit / n_b, a_hit / n_a
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def cohen_kappa(a: np.ndarray, b: np.ndarray) -> float | None:
    """Return Cohen's kappa of two equally long tag sequences (None when undefined)."""
    if len(a) == 0:
        return None
    size = int(max(a.max(), b.max())) + 1
    table = np.bincount(a * size + b, minlength=size * size).reshape(size, size) / len(a)
    observed = float(np.trace(table))
    expected = float(table.sum(axis=1) @ table.sum(axis=0))
    if expected >= 1.0:
        return None
    if np.array_equal(a, b):
        return 1.0  # exactly, not 1 - rounding error
    return (observed - expected) / (1.0 - expected)


def nominal_alpha(rows: Sequence[np.ndarray]) -> float | None:
    """Return Krippendorff's alpha (nominal) of coders' tag rows (NaN = missing)."""
    data = np.vstack([np.asarray(r, dtype=float) for r in rows])
    values = np.unique(data[~np.isnan(data)])
    if data.shape[1] == 0 or len(values) < 2:
        return None  # the krippendorff package refuses a single value: alpha is undefined
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def tag_layer(tokens: Sequence[Token], spans: Iterable[Span]) -> np.ndarray:
    """Return BIO codes over ``tokens`` for ``spans`` (one label): B on the first token touched."""
    tags = np.zeros(len(tokens), dtype=np.int64)
    ends = [t.end for t in tokens]
    starts = [t.start for t in tokens]
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        first = bisect.bisect_right(ends, span.start)  # first token ending after the start
        last = bisect.bisect_left(starts, span.end)  # tokens before this start inside the span
        if first < last:
            tags[first] = TAG_B
            tags[first + 1 : last] = TAG_I
    return tags


def _overlap_hits(mine: list[Span], theirs: list[Span]) -> int:
    """Count spans of ``mine`` that overlap some span of ``theirs`` (all one label)."""
    if not mine or not theirs:
        return 0
    theirs = sorted(theirs, key=lambda s: s.start)
    starts = [s.start for s in theirs]
    reach = list(np.maximum.accumulate([s.end for s in theirs]))
    hits = 0
    for span in mine:
        k = bisect.bisect_left(starts, span.end)  # their spans starting before mine ends
        if k and reach[k - 1] > span.start:
            hits += 1
    return hits


def _link_keys(spans: list[Span], relations: list[Relation]) -> Counter[tuple[Any, ...]]:
    ends = {s.id: (s.start, s.end, s.label) for s in spans}
    return Counter(
        (r.type, ends[r.head], ends[r.tail])
        for r in relations
        if r.type in LINK_TYPES and r.head in ends and r.tail in ends
    )


def count_document(
    tokens: Sequence[Token],
    spans_a: list[Span],
    spans_b: list[Span],
    rels_a: list[Relation],
    rels_b: list[Relation],
) -> PairCounts:
    """Count matches between two annotators' spans and links on one document."""
    counts = PairCounts()
    by_a: dict[str, list[Span]] = defaultdict(list)
    by_b: dict[str, list[Span]] = defaultdict(list)
    for span in spans_a:
        by_a[span.label].append(span)
    for span in spans_b:
        by_b[span.label].append(span)
    for label in set(by_a) | set(by_b):
        mine, theirs = by_a[label], by_b[label]
        keys_a = Counter((s.start, s.end) for s in mine)
        keys_b = Counter((s.start, s.end) for s in theirs)
        counts.labels[label] = LabelCounts(
            n_a=len(mine),
            n_b=len(theirs),
            exact=sum((keys_a & keys_b).values()),
            a_hit=_overlap_hits(mine, theirs),
            b_hit=_overlap_hits(theirs, mine),
            tags_a=[tag_layer(tokens, mine)],
            tags_b=[tag_layer(tokens, theirs)],
        )
    links_a, links_b = _link_keys(spans_a, rels_a), _link_keys(spans_b, rels_b)
    counts.links.update(n_a=links_a.total(), n_b=links_b.total(), exact=(links_a & links_b).total())
    return counts


def scores(counts: PairCounts) -> dict[str, Any]:
    """Turn a pair's counts into the agreement numbers, overall and per label."""
    total = LabelCounts()
    per_label: dict[str, dict[str, Any]] = {}
    for label in sorted(counts.labels):
        c = counts.labels[label]
        total.add(c)
        per_label[label] = _label_scores(c)
    result = _label_scores(total)
    result["links_f1"] = f1(counts.links["exact"], counts.links["n_a"], counts.links["n_b"])
    result["per_label"] = per_label
    return result


def _label_scores(c: LabelCounts) -> dict[str, Any]:
    tags_a = np.concatenate(c.tags_a) if c.tags_a else np.zeros(0, dtype=np.int64)
    tags_b = np.concatenate(c.tags_b) if c.tags_b else np.zeros(0, dtype=np.int64)
    return {
        "spans_a": c.n_a,
        "spans_b": c.n_b,
        "span_f1_exact": f1(c.exact, c.n_a, c.n_b),
        "span_f1_overlap": overlap_f1(c.a_hit, c.b_hit, c.n_a, c.n_b),
        "kappa_tokens": cohen_kappa(tags_a, tags_b),
        "alpha": nominal_alpha([tags_a, tags_b]),
    }


def agreement(
    project: Project,
    annotators: Sequence[str] | None = None,
    *,
    doc_ids: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Compute agreement for each pair of ``annotators`` (default: all but gold) over documents.

    The project is read in one snapshot (one read transaction): an edit committed meanwhile
    by another program counts in every document it touches or in none.
    """
    with project.snapshot():
        return _agreement(project, annotators, doc_ids, progress)


def _agreement(
    project: Project,
    annotators: Sequence[str] | None,
    doc_ids: Sequence[str] | None,
    progress: Progress | None,
) -> dict[str, Any]:
    names = list(annotators or [a for a in project.annotators() if a != GOLD_ANNOTATOR])
    pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1 :]]
    totals = {pair: PairCounts() for pair in pairs}
    per_document: dict[tuple[str, str], list[dict[str, Any]]] = {pair: [] for pair in pairs}
    documents = 0
    for doc in project.documents(doc_ids):
        spans = defaultdict(list)
        read = project.spans(doc.id, names)
        check_spans_fit(project.path, doc.id, len(doc.text), read)
        for span in read:
            spans[span.annotator].append(span)
        relations = defaultdict(list)
        for rel in project.relations(doc.id, names):
            relations[rel.annotator].append(rel)
        tokens = tokenize(doc.text) if len(spans) > 1 else []
        for a, b in pairs:
            if not spans[a] or not spans[b]:
                continue
            counts = count_document(tokens, spans[a], spans[b], relations[a], relations[b])
            totals[(a, b)].add(counts)
            per_document[(a, b)].append({"doc_id": doc.id, **_doc_scores(counts)})
        documents += 1
        if progress is not None:
            progress(1)
    result_pairs = []
    for a, b in pairs:
        pair_scores = scores(totals[(a, b)])
        pair_scores["documents"] = len(per_document[(a, b)])
        result_pairs.append({"a": a, "b": b, **pair_scores, "per_document": per_document[(a, b)]})
    return {"annotators": names, "documents": documents, "pairs": result_pairs}


def _doc_scores(counts: PairCounts) -> dict[str, Any]:
    full = scores(counts)
    keys = ("span_f1_exact", "span_f1_overlap", "kappa_tokens", "alpha", "links_f1")
    return {k: full[k] for k in keys}
