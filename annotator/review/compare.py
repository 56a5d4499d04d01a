"""Side-by-side comparison of annotators on one document: the cases a reviewer settles. No Qt.

Every span of the chosen annotators ends up in exactly one case:

- ``label``: the same offsets carry different labels;
- ``boundary``: overlapping spans with the same label but different offsets;
- ``agreed``: every annotator has the span with the same offsets, label and attributes;
- ``attribute``: every annotator has the span, but their attributes differ;
- ``only``: some annotators have the span, the others have nothing there.

Relations are compared by their type and both ends' offsets and labels (``agreed`` / ``only``).
A case's key is built from offsets and labels, never from ids, so a decision made on it still
applies after more work is merged into the project.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotator.model.document import GOLD_ANNOTATOR, Relation, Span
from annotator.store.project import Project

AGREED = "agreed"
ONLY = "only"
LABEL = "label"
BOUNDARY = "boundary"
ATTRIBUTE = "attribute"
CASE_KINDS = (AGREED, ONLY, LABEL, BOUNDARY, ATTRIBUTE)

SpanKey = tuple[int, int, str]  # start, end, label
Attrs = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Option:
    """One version of a case: what some annotators marked, and which of their ids carry it."""

    label: str  # span label, or relation type
    start: int
    end: int
    annotators: tuple[str, ...]
    ids: tuple[str, ...]
    attrs: Attrs = ()
    head: SpanKey | None = None  # relations only
    tail: SpanKey | None = None


@dataclass(frozen=True, slots=True)
class Case:
    """A place where the annotators agree or disagree; the reviewer decides it once."""

    key: str
    kind: str
    target: str  # "span" or "relation"
    start: int
    end: int
    options: tuple[Option, ...]
    missing: tuple[str, ...]  # annotators with nothing in this case

    @property
    def disagreement(self) -> bool:
        """Return True unless every annotator marked exactly the same thing."""
        return self.kind != AGREED


@dataclass(frozen=True, slots=True)
class Comparison:
    """All cases of one document for a set of annotators, in text order."""

    doc_id: str
    text: str
    annotators: tuple[str, ...]
    cases: tuple[Case, ...]

    def case(self, key: str) -> Case | None:
        """Return the case with ``key``, if there is one."""
        return next((c for c in self.cases if c.key == key), None)


def compare_document(project: Project, doc_id: str, annotators: Sequence[str]) -> Comparison:
    """Compare the spans and relations of ``annotators`` on one document of ``project``."""
    names = tuple(dict.fromkeys(a for a in annotators if a != GOLD_ANNOTATOR))
    document = project.document(doc_id)
    spans = project.spans(doc_id, names)
    relations = project.relations(doc_id, names)
    cases = compare(spans, relations, names)
    return Comparison(doc_id, document.text, names, tuple(cases))


def compare(
    spans: Iterable[Span], relations: Iterable[Relation], annotators: Sequence[str]
) -> list[Case]:
    """Return the cases for ``spans`` and ``relations`` of ``annotators``, in text order."""
    names = tuple(annotators)
    span_list = [s for s in spans if s.annotator in names]
    cases = _span_cases(span_list, names)
    cases += _relation_cases(span_list, [r for r in relations if r.annotator in names], names)
    cases.sort(key=lambda c: (c.start, c.end, c.target, c.key))
    return cases


def _span_key(span: Span) -> SpanKey:
    return (span.start, span.end, span.label)


def _attrs(span: Span) -> Attrs:
    return tuple(sorted(span.attrs.items()))


def _missing(options: Iterable[Option], names: tuple[str, ...]) -> tuple[str, ...]:
    present = {a for o in options for a in o.annotators}
    return tuple(n for n in names if n not in present)


def _option(key: SpanKey, spans: list[Span]) -> Option:
    # When annotators disagree on attributes, the most common value set stands for the option.
    attrs = Counter(_attrs(s) for s in spans).most_common(1)[0][0]
    return Option(
        label=key[2],
        start=key[0],
        end=key[1],
        annotators=tuple(dict.fromkeys(s.annotator for s in spans)),
        ids=tuple(s.id for s in spans),
        attrs=attrs,
    )


def _span_cases(spans: list[Span], names: tuple[str, ...]) -> list[Case]:
    by_key: dict[SpanKey, list[Span]] = defaultdict(list)
    for span in spans:
        by_key[_span_key(span)].append(span)
    by_offsets: dict[tuple[int, int], list[SpanKey]] = defaultdict(list)
    for key in by_key:
        by_offsets[key[:2]].append(key)
    cases: list[Case] = []
    claimed: set[SpanKey] = set()
    everyone = set(names)
    for (start, end), keys in by_offsets.items():
        # A label every annotator gave is agreed even beside another label (QUOTE and CLAIM
        # on the same words); only labels some annotators gave can conflict.
        partial = [k for k in keys if {s.annotator for s in by_key[k]} != everyone]
        if len(partial) > 1 and len({s.annotator for k in partial for s in by_key[k]}) > 1:
            options = tuple(_option(k, by_key[k]) for k in sorted(partial, key=lambda k: k[2]))
            name = f"label:{start}:{end}"
            cases.append(Case(name, LABEL, "span", start, end, options, _missing(options, names)))
            claimed.update(partial)
    rest = [k for k in by_key if k not in claimed]
    full = [k for k in rest if {s.annotator for s in by_key[k]} == everyone]
    cases.extend(_single_case(k, by_key[k], names) for k in full)
    partial = [k for k in rest if {s.annotator for s in by_key[k]} != everyone]
    for cluster in _overlap_clusters(partial):
        options = tuple(_option(k, by_key[k]) for k in cluster)
        if len(cluster) > 1 and len({a for o in options for a in o.annotators}) > 1:
            cases.append(_boundary_case(options, names))
        else:
            cases.extend(_single_case(k, by_key[k], names) for k in cluster)
    return cases


def _overlap_clusters(keys: list[SpanKey]) -> list[list[SpanKey]]:
    """Group same-label span keys that overlap (transitively): one sort and one sweep."""
    clusters: list[list[SpanKey]] = []
    reach = -1
    label = None
    for key in sorted(keys, key=lambda k: (k[2], k[0], k[1])):
        if clusters and key[2] == label and key[0] < reach:
            clusters[-1].append(key)
            reach = max(reach, key[1])
        else:
            clusters.append([key])
            label, reach = key[2], key[1]
    return clusters


def _boundary_case(options: tuple[Option, ...], names: tuple[str, ...]) -> Case:
    extents = ",".join(f"{o.start}-{o.end}" for o in options)
    return Case(
        key=f"boundary:{options[0].label}:{extents}",
        kind=BOUNDARY,
        target="span",
        start=min(o.start for o in options),
        end=max(o.end for o in options),
        options=options,
        missing=_missing(options, names),
    )


def _single_case(key: SpanKey, spans: list[Span], names: tuple[str, ...]) -> Case:
    option = _option(key, spans)
    missing = _missing([option], names)
    kind = ONLY if missing else AGREED
    options: tuple[Option, ...] = (option,)
    variants: dict[Attrs, list[Span]] = defaultdict(list)
    for span in spans:
        variants[_attrs(span)].append(span)
    if not missing and len(variants) > 1:
        kind = ATTRIBUTE
        options = tuple(
            Option(
                key[2],
                key[0],
                key[1],
                tuple(s.annotator for s in group),
                tuple(s.id for s in group),
                attrs,
            )
            for attrs, group in sorted(variants.items())
        )
    return Case(f"span:{key[0]}:{key[1]}:{key[2]}", kind, "span", key[0], key[1], options, missing)


def _relation_cases(
    spans: list[Span], relations: list[Relation], names: tuple[str, ...]
) -> list[Case]:
    ends = {(s.annotator, s.id): _span_key(s) for s in spans}
    groups: dict[tuple[str, SpanKey, SpanKey], list[Relation]] = defaultdict(list)
    for rel in relations:
        head = ends.get((rel.annotator, rel.head))
        tail = ends.get((rel.annotator, rel.tail))
        if head is not None and tail is not None:
            groups[(rel.type, head, tail)].append(rel)
    cases = []
    for (type_, head, tail), rels in groups.items():
        option = Option(
            label=type_,
            start=head[0],
            end=head[1],
            annotators=tuple(dict.fromkeys(r.annotator for r in rels)),
            ids=tuple(r.id for r in rels),
            head=head,
            tail=tail,
        )
        missing = _missing([option], names)
        key = f"rel:{type_}:{head[0]}:{head[1]}:{head[2]}>{tail[0]}:{tail[1]}:{tail[2]}"
        kind = ONLY if missing else AGREED
        cases.append(Case(key, kind, "relation", head[0], head[1], (option,), missing))
    return cases
