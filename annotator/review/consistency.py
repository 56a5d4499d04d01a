"""Consistency of one layer: a name labelled differently in different places, or left unlabelled
where it is labelled elsewhere. No Qt.

Definitions (what the report means):

- A *layer* is one annotator's spans (the gold layer is the annotator ``gold``). Each layer is
  checked on its own: a form that mona labels PER and sami labels ORG is a disagreement between
  two people (``annotator agree``), not an inconsistency of either.
- Only labels of kind ``entity`` are compared: quotes, claims and cues are sentences and verbs,
  not names, and the same words rightly carry different quotes.
- A span's *form* is the search key of its text (:func:`annotator.model.text.normalize_query`,
  the key Find compares): hamza and alef forms, ى/ي, ة/ه, tashkeel and tatweel make no
  difference. Nothing else is stripped: the conventions already leave an attached و/ب/ل outside
  the span (واشنطن in وواشنطن), so the span's own text is the name.
- A *label conflict* is a form with spans of more than one label in the layer. The fix relabels
  the minority: it changes every span but those of the most frequent label.
- An *unlabelled occurrence* is a whole-word occurrence of a labelled form, in a document where
  the layer has spans, that no entity span of the layer overlaps. The fix annotates each one.
  Documents the layer has not touched are not yet annotated, not inconsistent, and are left out.
- Findings are ordered by how many spans their fix would change, most first.

The project is read in one snapshot, a chunk of documents at a time. What is kept is one entry
per form and layer, with at most ``place_cap`` places per label; :func:`complete_places` reads
the rest of the places of the findings that were cut.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice

from annotator.errors import Cancelled
from annotator.model.document import Document, Span
from annotator.model.schema import Schema
from annotator.model.text import normalize_query
from annotator.store.project import Project
from annotator.store.reading import check_spans_fit
from annotator.store.search import Hit

Progress = Callable[[int], None]
CancelCheck = Callable[[], bool]

ENTITY_KIND = "entity"
CONFLICT = "labels"  # a finding's kind: one form, several labels
UNLABELLED = "unlabelled"  # a finding's kind: a labelled form left unlabelled elsewhere
PLACE_CAP = 200  # places kept per form, layer and label in one run
CHUNK = 200  # documents (or hits) whose spans are read in one query


@dataclass(frozen=True, slots=True)
class Place:
    """Where a finding occurs: a span (``label`` and ``span_id`` set) or an unlabelled range."""

    doc_id: str
    start: int
    end: int
    label: str | None = None
    span_id: str | None = None


@dataclass(frozen=True)
class Finding:
    """One inconsistency of one layer, with the places it occurs and what a fix would change."""

    kind: str  # CONFLICT or UNLABELLED
    layer: str
    form: str  # the search key shared by every place
    text: str  # the form as written in the first span read
    labels: tuple[tuple[str, int], ...]  # every label of the form's spans, most frequent first
    unlabelled: int  # unlabelled occurrences (UNLABELLED findings; 0 for a conflict)
    change: int  # spans a fix would change: relabelled (conflict) or added (unlabelled)
    places: tuple[Place, ...]  # those to change first; all of them unless ``more``
    more: int = 0  # places not kept (see complete_places)

    @property
    def majority(self) -> str:
        """Return the label most of the form's spans have (the first, on a tie)."""
        return self.labels[0][0]


@dataclass(slots=True)
class _Form:
    """What one run keeps of one form in one layer."""

    text: str
    counts: dict[str, int] = field(default_factory=dict)
    places: dict[str, list[Place]] = field(default_factory=dict)

    def add(self, span: Span, cap: int | None) -> None:
        self.counts[span.label] = self.counts.get(span.label, 0) + 1
        kept = self.places.setdefault(span.label, [])
        if cap is None or len(kept) < cap:
            kept.append(Place(span.doc_id, span.start, span.end, span.label, span.id))


@dataclass
class _Layers:
    """Per layer: its forms, and the documents where it has spans."""

    forms: dict[str, dict[str, _Form]] = field(default_factory=dict)
    documents: dict[str, set[str]] = field(default_factory=dict)


def entity_labels(schema: Schema) -> frozenset[str]:
    """Return the labels whose spans are names, compared by the report (kind ``entity``)."""
    return frozenset(label.id for label in schema.labels if label.kind == ENTITY_KIND)


def span_form(text: str) -> str:
    """Return the form a span's text is compared by: its search key, without outer spaces."""
    return normalize_query(text).strip()


def progress_total(project: Project, *, unlabelled: bool = True) -> int:
    """Return the progress steps of :func:`consistency`: documents, twice with the search."""
    return project.document_count() * (2 if unlabelled else 1)


def consistency(
    project: Project,
    layers: Sequence[str] | None = None,
    *,
    unlabelled: bool = True,
    place_cap: int | None = PLACE_CAP,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> list[Finding]:
    """Return the findings of each of ``layers`` (default: every annotator's, gold included).

    ``unlabelled=False`` leaves out the search for unlabelled occurrences. ``progress`` is
    told of :func:`progress_total` steps; when ``cancelled`` returns True, Cancelled is raised.
    """
    with project.snapshot():
        read = _read_layers(project, layers, place_cap, progress, cancelled)
        order = {label: i for i, label in enumerate(project.schema.label_ids)}
        findings = list(_conflicts(read, order))
        if unlabelled:
            findings += _unlabelled(project, read, order, place_cap, progress, cancelled)
    findings.sort(key=lambda f: (-f.change, f.kind, f.layer, f.form))
    return findings


def _check(cancelled: CancelCheck | None) -> None:
    if cancelled is not None and cancelled():
        raise Cancelled("the consistency report was cancelled")


def _chunks(project: Project) -> Iterator[list[Document]]:
    documents = project.documents()
    while chunk := list(islice(documents, CHUNK)):
        yield chunk


def _read_layers(
    project: Project,
    layers: Sequence[str] | None,
    cap: int | None,
    progress: Progress | None,
    cancelled: CancelCheck | None,
    wanted: set[tuple[str, str]] | None = None,
) -> _Layers:
    """Read the layers' entity spans by form; with ``wanted``, keep only those (layer, form)."""
    names = None if layers is None else list(layers)
    entities = entity_labels(project.schema)
    read = _Layers()
    for chunk in _chunks(project):
        _check(cancelled)
        found = project.annotations_by_document([d.id for d in chunk], names, relations=False)
        for doc in chunk:
            spans = found[doc.id][0]
            check_spans_fit(project.path, doc.id, len(doc.text), spans)
            for span in spans:
                read.documents.setdefault(span.annotator, set()).add(doc.id)
                if span.label not in entities:
                    continue
                text = span.text_in(doc.text)
                form = span_form(text)
                if form and (wanted is None or (span.annotator, form) in wanted):
                    forms = read.forms.setdefault(span.annotator, {})
                    forms.setdefault(form, _Form(text)).add(span, cap)
        if progress is not None:
            progress(len(chunk))
    return read


def _label_counts(form: _Form, order: dict[str, int]) -> tuple[tuple[str, int], ...]:
    ranked = sorted(form.counts.items(), key=lambda kv: (-kv[1], order.get(kv[0], len(order))))
    return tuple(ranked)


def _conflicts(read: _Layers, order: dict[str, int]) -> Iterator[Finding]:
    for layer, forms in read.forms.items():
        for key, form in forms.items():
            if len(form.counts) > 1:
                yield _conflict(layer, key, form, order)


def _conflict(layer: str, key: str, form: _Form, order: dict[str, int]) -> Finding:
    labels = _label_counts(form, order)
    # The places to change first: every label but the majority, then the majority's.
    places = [p for label, _ in labels[1:] for p in form.places[label]]
    places += form.places[labels[0][0]]
    total = sum(form.counts.values())
    return Finding(
        CONFLICT,
        layer,
        key,
        form.text,
        labels,
        unlabelled=0,
        change=total - labels[0][1],
        places=tuple(places),
        more=total - len(places),
    )


def _unlabelled(
    project: Project,
    read: _Layers,
    order: dict[str, int],
    cap: int | None,
    progress: Progress | None,
    cancelled: CancelCheck | None,
) -> list[Finding]:
    # One search per form, whatever the number of layers that labelled it.
    layers_of: dict[str, list[str]] = {}
    for layer, forms in read.forms.items():
        for key in forms:
            layers_of.setdefault(key, []).append(layer)
    found: list[Finding] = []
    steps, reported = project.document_count(), 0
    for done, (key, layers) in enumerate(layers_of.items(), start=1):
        _check(cancelled)
        documents = {layer: read.documents[layer] for layer in layers}
        for layer, (places, count) in _occurrences(project, key, documents, cap, cancelled).items():
            if count:
                form = read.forms[layer][key]
                labels = _label_counts(form, order)
                more = count - len(places)
                finding = Finding(
                    UNLABELLED, layer, key, form.text, labels, count, count, tuple(places), more
                )
                found.append(finding)
        if progress is not None:
            # The search reports in document steps too: the total is known up front.
            now = steps * done // len(layers_of)
            progress(now - reported)
            reported = now
    if progress is not None and reported < steps:
        progress(steps - reported)
    return found


Occurrences = dict[str, tuple[list[Place], int]]  # per layer: places kept, and how many


def _occurrences(
    project: Project,
    form: str,
    documents: dict[str, set[str]],
    cap: int | None,
    cancelled: CancelCheck | None,
) -> Occurrences:
    """Return, per layer, the unlabelled whole-word occurrences of ``form`` in its documents."""
    found: Occurrences = {layer: ([], 0) for layer in documents}
    # Every whole-word hit, then those an entity span of the layer overlaps are set aside
    # here: the search's own ``inside=False`` would also set aside a hit inside a QUOTE or a
    # CLAIM span, and names inside quotes are the ones most often left unlabelled.
    hits = project.search(form, whole_words=True, cancelled=cancelled)
    anywhere = set().union(*documents.values())
    batch: list[Hit] = []
    for hit in hits:
        if hit.doc_id not in anywhere:
            continue
        if len(batch) >= CHUNK and hit.doc_id != batch[-1].doc_id:
            _unlabelled_hits(project, batch, documents, found, cap)
            batch = []
        batch.append(hit)
    if batch:
        _unlabelled_hits(project, batch, documents, found, cap)
    return found


def _unlabelled_hits(
    project: Project,
    hits: list[Hit],
    documents: dict[str, set[str]],
    found: Occurrences,
    cap: int | None,
) -> None:
    """Count, for each layer, the hits in its documents that none of its entity spans overlap."""
    doc_ids = list(dict.fromkeys(h.doc_id for h in hits))
    entities = entity_labels(project.schema)
    read = project.annotations_by_document(
        doc_ids, list(documents), relations=False, labels=entities
    )
    spans: dict[tuple[str, str], list[Span]] = {}
    for doc_id in doc_ids:
        for span in read[doc_id][0]:
            spans.setdefault((doc_id, span.annotator), []).append(span)
    for layer, layer_documents in documents.items():
        places, count = found[layer]
        for hit in hits:
            if hit.doc_id not in layer_documents:
                continue
            mine = spans.get((hit.doc_id, layer), [])
            if any(s.start < hit.end and hit.start < s.end for s in mine):
                continue
            count += 1
            if cap is None or len(places) < cap:
                places.append(Place(hit.doc_id, hit.start, hit.end))
        found[layer] = (places, count)


def complete_places(project: Project, findings: Iterable[Finding]) -> Iterator[Finding]:
    """Yield the findings with every place, reading again only what a capped run left out.

    Run it inside the same :meth:`Project.snapshot` as :func:`consistency` for places that
    match the counts exactly.
    """
    findings = list(findings)
    cut = [f for f in findings if f.more]
    if not cut:
        yield from findings
        return
    with project.snapshot():
        wanted = {(f.layer, f.form) for f in cut if f.kind == CONFLICT}
        layers = sorted({f.layer for f in cut})
        read = _read_layers(project, layers, None, None, None, wanted)
        order = {label: i for i, label in enumerate(project.schema.label_ids)}
        for finding in findings:
            if not finding.more:
                yield finding
            elif finding.kind == CONFLICT:
                form = read.forms.get(finding.layer, {}).get(finding.form)
                # Gone only when the file changed since the findings were read (another snapshot).
                yield (
                    finding if form is None else _conflict(finding.layer, finding.form, form, order)
                )
            else:
                documents = {finding.layer: read.documents.get(finding.layer, set())}
                occurrences = _occurrences(project, finding.form, documents, None, None)
                places, count = occurrences[finding.layer]
                yield replace(finding, unlabelled=count, change=count, places=tuple(places), more=0)


def summary(finding: Finding) -> str:
    """Return a finding as one line: what a fix changes, the form, its labels and its layer."""
    labels = ", ".join(f"{label} {count}" for label, count in finding.labels)
    if finding.kind == CONFLICT:
        return (
            f"relabel {finding.change} span(s): «{finding.text}» is {labels}"
            f" in {finding.layer}'s layer"
        )
    return (
        f"annotate {finding.change} occurrence(s): «{finding.text}» is {labels},"
        f" unlabelled {finding.unlabelled} in {finding.layer}'s layer"
    )


def place_record(place: Place) -> dict[str, object]:
    """Return one place as the JSON output writes it."""
    return {
        "doc_id": place.doc_id,
        "start": place.start,
        "end": place.end,
        "label": place.label,
        "span_id": place.span_id,
    }


def finding_record(finding: Finding) -> dict[str, object]:
    """Return one finding as the JSON output writes it, with the places it holds."""
    return {
        "kind": finding.kind,
        "layer": finding.layer,
        "form": finding.form,
        "text": finding.text,
        "labels": dict(finding.labels),
        "unlabelled": finding.unlabelled,
        "change": finding.change,
        "places": [place_record(p) for p in finding.places],
    }


def context(text: str, place: Place, width: int = 30) -> tuple[str, str, str]:
    """Return whole words before a place (about ``width`` characters), its text, and after."""
    low, high = max(0, place.start - width), min(len(text), place.end + width)
    before, after = text[low : place.start], text[place.end : high]
    # A cut inside a word drops that word's piece (never a letter's marks without the letter).
    if 0 < low < place.start and not (text[low - 1].isspace() or text[low].isspace()):
        before = before.split(None, 1)[1] if len(before.split(None, 1)) > 1 else ""
    if place.end < high < len(text) and not (text[high - 1].isspace() or text[high].isspace()):
        after = after.rsplit(None, 1)[0] if len(after.rsplit(None, 1)) > 1 else ""
    return before, text[place.start : place.end], after


def contexts(project: Project, places: Iterable[Place], width: int = 30) -> dict[Place, str]:
    """Return each place's text with some text around it, the place between ⟦ ⟧.

    Each document is read once and let go before the next: the places of a whole report may
    lie in most documents of the project.
    """
    by_document: dict[str, list[Place]] = {}
    for place in places:
        by_document.setdefault(place.doc_id, []).append(place)
    shown = {}
    for doc in project.documents(by_document):
        for place in by_document[doc.id]:
            before, middle, after = context(doc.text, place, width)
            shown[place] = " ".join(f"{before}⟦{middle}⟧{after}".split())  # one line
    return shown
