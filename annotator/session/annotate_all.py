"""Annotate all across the project: which search hits would become spans, and what happened.

:func:`plan_hits` looks at each hit once, for every label of the schema, and records what
decides it: an identical span of that label already in the annotator's layer, a span of that
label overlapping it, a rule of the schema refusing a span there. :meth:`PlannedHit.kind`
then says, for the label the user picks, whether the hit is offered checked (a whole word),
offered unchecked (inside a longer word, or inside an annotation of that label), or only
shown (already annotated, refused). :func:`annotate_all_report` counts the outcome.

The window's preview and ``annotator annotate-matches`` share these rules; the spans are
written by :meth:`annotator.session.EditingSession.annotate_hits` as one undo step.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from annotator.errors import Cancelled, ValidationError
from annotator.model.offsets import check_aligned
from annotator.model.schema import Schema
from annotator.model.text import first_line_break
from annotator.store import Project
from annotator.store.search import Hit

WHOLE_WORD = "whole word"
INSIDE_WORD = "inside a longer word"
INSIDE_SPAN = "inside a {label} annotation"
ALREADY = "already annotated"
REFUSED = "refused by the schema"
BATCH = 256  # documents planned per store query

CancelCheck = Callable[[], bool]


@dataclass(frozen=True)
class PlannedHit:
    """One hit and what decides, label by label, whether annotate all adds a span there."""

    hit: Hit
    already: frozenset[str] = frozenset()  # labels of an identical span in the layer
    overlapping: frozenset[str] = frozenset()  # labels of other spans of the layer it touches
    refused: tuple[tuple[str, str], ...] = ()  # (label, why the schema refuses it)

    def kind(self, label: str) -> str:
        """Return what the hit is for ``label``: one of the module's kinds."""
        if label in self.already:
            return ALREADY
        if self.reason(label):
            return REFUSED
        if label in self.overlapping:
            return INSIDE_SPAN
        return WHOLE_WORD if self.hit.whole_word else INSIDE_WORD

    def reason(self, label: str) -> str:
        """Return why the schema refuses a ``label`` span here ("" when it does not)."""
        return next((why for refused, why in self.refused if refused == label), "")

    def offered(self, label: str) -> bool:
        """Return True when the hit can be checked: not already annotated, not refused."""
        return self.kind(label) not in (ALREADY, REFUSED)

    def checked(self, label: str) -> bool:
        """Return True when the hit is checked at first: a whole word, outside such a span."""
        return self.kind(label) == WHOLE_WORD


def plan_hits(
    project: Project,
    hits: Iterable[Hit],
    annotator: str | None = None,
    *,
    cancelled: CancelCheck | None = None,
) -> Iterator[PlannedHit]:
    """Yield each hit planned against ``annotator``'s layer (the project's user by default).

    Hits are read a batch of documents at a time: the texts and the layer's spans of a batch,
    then the next. ``cancelled`` is asked between batches (Cancelled is raised).
    """
    layer = annotator or project.annotator
    batch: list[Hit] = []
    for hit in hits:
        if batch and hit.doc_id != batch[-1].doc_id and _documents(batch) >= BATCH:
            yield from _plan_batch(project, batch, layer)
            batch = []
            if cancelled is not None and cancelled():
                raise Cancelled("annotate all cancelled")
        batch.append(hit)
    if batch:
        yield from _plan_batch(project, batch, layer)


def _documents(hits: list[Hit]) -> int:
    return len({h.doc_id for h in hits})


def _plan_batch(project: Project, hits: list[Hit], layer: str) -> list[PlannedHit]:
    doc_ids = list(dict.fromkeys(h.doc_id for h in hits))
    annotations = project.annotations_by_document(doc_ids, [layer], relations=False)
    texts = {doc_id: project.document(doc_id).text for doc_id in doc_ids}
    of_label = _label_refusals(project.schema)
    planned = []
    for hit in hits:
        spans = annotations[hit.doc_id][0]
        already = {s.label for s in spans if (s.start, s.end) == (hit.start, hit.end)}
        touching = {s.label for s in spans if s.start < hit.end and hit.start < s.end}
        refused = _refusals(project.schema, texts[hit.doc_id], hit, of_label)
        planned.append(PlannedHit(hit, frozenset(already), frozenset(touching - already), refused))
    return planned


def _label_refusals(schema: Schema) -> tuple[tuple[str, str], ...]:
    """Return the labels whose new spans the schema refuses anywhere (their defaults)."""
    refused = []
    for label in schema.labels:
        try:
            schema.check_span(label.id, schema.defaults(label.id))
        except ValidationError as exc:
            refused.append((label.id, str(exc)))
    return tuple(refused)


def _refusals(
    schema: Schema, text: str, hit: Hit, of_label: tuple[tuple[str, str], ...]
) -> tuple[tuple[str, str], ...]:
    """Run the checks the store makes of a new span here, for every label; return refusals."""
    try:
        check_aligned(text, hit.start, hit.end)
    except ValidationError as exc:
        return tuple((label.id, str(exc)) for label in schema.labels)
    if first_line_break(text, hit.start, hit.end) is None:
        return of_label  # the usual hit: only what a label refuses everywhere
    refused = dict(of_label)
    for label in schema.labels:
        try:
            schema.check_span_text(label.id, text, hit.start, hit.end)
        except ValidationError as exc:
            refused.setdefault(label.id, str(exc))
    return tuple(refused.items())


@dataclass(frozen=True)
class AnnotateAllReport:
    """What annotate all did: spans added, and hits skipped with why."""

    label: str
    added: int
    documents: int  # documents that got a span
    already: int  # hits already annotated with the label
    unchecked: int  # hits the user left (or found) unchecked
    refused: tuple[tuple[str, int], ...]  # (why the schema refused, how many hits)

    @property
    def refused_count(self) -> int:
        """Return how many hits the schema refused."""
        return sum(n for _, n in self.refused)


def annotate_all_report(
    planned: Sequence[PlannedHit], chosen: Sequence[Hit], label: str
) -> AnnotateAllReport:
    """Count what adding ``chosen`` (checked hits of ``planned``) as ``label`` does and skips."""
    picked = set(chosen)
    kinds = Counter(p.kind(label) for p in planned if p.hit not in picked)
    reasons: Mapping[str, int] = Counter(
        p.reason(label) for p in planned if p.kind(label) == REFUSED
    )
    return AnnotateAllReport(
        label=label,
        added=len(chosen),
        documents=len({h.doc_id for h in chosen}),
        already=kinds[ALREADY],
        unchecked=kinds[WHOLE_WORD] + kinds[INSIDE_WORD] + kinds[INSIDE_SPAN],
        refused=tuple(sorted(reasons.items(), key=lambda item: -item[1])),
    )
