"""doccano JSONL: ``text``, ``entities`` and ``relations``; offsets in UTF-16 code units.

One document per line, as doccano's sequence labeling project with relations imports and exports it
(``backend/data_import/pipeline/label.py`` in doccano/doccano: SpanLabel ``start_offset`` <
``end_offset``, RelationLabel ``from_id``/``to_id`` integers naming entity ``id`` s, ``type``)::

    {"id": "doc1", "title": "...", "text": "...", "entities": [{"id": 0, "label": "PER",
     "start_offset": 4, "end_offset": 10}], "relations": [{"id": 0, "from_id": 1, "to_id": 0,
     "type": "SPEAKER"}]}

doccano keeps every other key of an imported line as the example's meta and writes it back at the
top of the line it exports, so ``id`` and ``title`` come back from doccano as they went in.

A project without "Use relation labeling" exports ``"label": [[start, end, "PER"], ...]`` instead
(doccano's ``TupledSpanFormatter``), and the ``relations`` of the file it was given come back as
meta: they name entity ids that list has none of. The reader reads the spans of such a line and
leaves its relations out, each one noted in the import's report (``ReadOptions.report``).

doccano counts offsets in UTF-16 code units (one more per emoji than Python's code points); both
directions convert. A project with "Count grapheme clusters as one character" counts clusters as
doccano's own splitter does (:mod:`annotator.io.doccano_graphemes`): ``offsets="graphemes"``
(``--offsets graphemes``) reads and writes those. Imported entities and relations get import ids
(:func:`annotator.store.importing.imported_id`) keyed by their doccano ids, or by their position
when they have none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import orjson

from annotator.errors import InputError
from annotator.io.alignment import ExportReport, report_of
from annotator.io.base import AnnotatedDocument, ReadOptions
from annotator.io.doccano_graphemes import GraphemeOffsets
from annotator.io.jsonl import iter_json_lines, records_at_lines, require, shown, text_of
from annotator.io.offsets import Utf16Offsets, stored_text
from annotator.model.document import DocumentRecord, Relation, Span, check_offsets
from annotator.store.importing import imported_id

# What a doccano file's offsets count; the first is doccano's default.
UNITS = ("utf16", "graphemes")

RELATIONS_WITHOUT_IDS = (
    'relation(s) left out: they point at entity ids, and a "label" list (the export of a doccano'
    ' project without "Use relation labeling") gives its spans none'
)
OVERLAPPING = (
    'span(s) would be dropped by a doccano project without "Allow overlapping spans" (each'
    " overlaps a span kept before it)"
)
RELATIONS_NEED = (
    'relation(s): import the file into a doccano Sequence Labeling project with "Use relation'
    ' labeling" and the format "JSONL(Relation)", or doccano keeps none of them'
)
GRAPHEME_DOCUMENTS = (
    "document(s) with offsets in grapheme clusters: import them into a doccano project with"
    ' "Count grapheme clusters as one character"'
)
INSIDE_CLUSTER = (
    "span(s) left out: an edge falls inside a grapheme cluster as doccano counts them (not"
    " shifted; export with --offsets utf16)"
)
GRAPHEME_HINT = (
    'a doccano project with "Count grapheme clusters as one character" counts clusters:'
    " import its files with --offsets graphemes"
)
ENDS_LEFT_OUT = "relation(s) left out: an end is a span left out"
ATTRIBUTES_NOT_CARRIED = (
    "span attribute(s) not in the file (doccano has no attributes: QUOTE type, CLAIM"
    " check_worthy stay in the project, and a file taken back leaves them as they are)"
)


def unit_of(offsets: Any) -> str:
    """Return the offset unit asked for (None: doccano's default), or raise InputError."""
    unit = offsets or UNITS[0]
    if unit not in UNITS:
        raise InputError(f"doccano offsets count {' or '.join(UNITS)}, not {shown(unit)}")
    return str(unit)


def _to_file(text: str, unit: str) -> Callable[[int], int | None]:
    """Return the conversion of a code-point offset to the file's unit (None: cannot be said)."""
    if unit == "graphemes":
        return GraphemeOffsets(text).to_graphemes
    return Utf16Offsets(text).to_utf16


def _from_file(text: str, unit: str) -> Callable[[int], int]:
    """Return the conversion of a file's offset to a code-point offset (InputError if none)."""
    if unit == "graphemes":
        return GraphemeOffsets(text).to_code_points
    units = Utf16Offsets(text)

    def from_utf16(offset: int) -> int:
        try:
            return units.to_code_points(offset)
        except InputError as exc:
            if "falls inside" not in exc.message:
                raise
            # Grapheme offsets read as UTF-16 land inside an emoji once one precedes them.
            raise InputError(f"{exc.message}; {GRAPHEME_HINT}") from None

    return from_utf16


def to_json(
    item: AnnotatedDocument,
    first_id: int = 0,
    offsets: str = "utf16",
    report: ExportReport | None = None,
) -> dict[str, Any]:
    """Return the doccano object of one document; entity ids count up from ``first_id``.

    Spans whose edge the unit ``offsets`` cannot express (inside one of doccano's grapheme
    clusters) are left out, with the relations at them, and noted in ``report``.
    """
    report = report if report is not None else ExportReport()
    doc = item.document
    convert = _to_file(doc.text, offsets)
    entities, ids = [], {}
    for k, span in enumerate(item.spans):
        start, end = convert(span.start), convert(span.end)
        if start is None or end is None:
            report.note(INSIDE_CLUSTER, f"{doc.id} [{span.start}, {span.end}) {span.label}")
            continue
        ids[span.id] = first_id + k
        entities.append(
            {"id": ids[span.id], "label": span.label, "start_offset": start, "end_offset": end}
        )
    relations = []
    for k, rel in enumerate(item.relations):
        if rel.head not in ids or rel.tail not in ids:
            report.note(ENDS_LEFT_OUT, f"{doc.id} {rel.id} {rel.type}")
            continue
        relations.append(
            {"id": first_id + k, "from_id": ids[rel.head], "to_id": ids[rel.tail], "type": rel.type}
        )
    return {
        "id": doc.id,
        "title": doc.title,
        "text": doc.text,
        "entities": entities,
        "relations": relations,
    }


def dropped_without_overlap(entities: list[dict[str, Any]]) -> int:
    """Return how many entities doccano drops on import into a project without overlapping
    spans: sorted by start, one is kept when it starts at or after the end of the last kept
    (doccano's ``SpanCleaner``)."""
    last_end, dropped = -1, 0
    for entity in sorted(entities, key=lambda e: int(e["start_offset"])):
        if entity["start_offset"] >= last_end:
            last_end = entity["end_offset"]
        else:
            dropped += 1
    return dropped


def write(items: Iterable[AnnotatedDocument], out: IO[bytes], options: dict[str, Any]) -> None:
    """Write one doccano JSON line per document; ids are unique across the file.

    The report notes what decides the doccano project's settings: overlapping spans,
    relations, and offsets in grapheme clusters.
    """
    report = report_of(options)
    unit = unit_of(options.get("offsets"))
    next_id = 0
    for item in items:
        obj = to_json(item, next_id, unit, report)
        next_id += max(len(item.spans), len(item.relations))
        out.write(orjson.dumps(obj))
        out.write(b"\n")
        report.documents += 1
        report.spans += len(obj["entities"])
        report.relations += len(obj["relations"])
        doc_id = item.document.id
        for _ in range(dropped_without_overlap(obj["entities"])):
            report.note(OVERLAPPING, doc_id)
        for _ in obj["relations"]:
            report.note(RELATIONS_NEED, doc_id)
        if unit == "graphemes":
            report.note(GRAPHEME_DOCUMENTS, doc_id)
        for span in item.spans:
            for name in span.attrs:
                report.note(ATTRIBUTES_NOT_CARRIED, f"{doc_id} {span.id} {name}")


def _entity_fields(raw: Any) -> tuple[Any, Any, Any, Any]:
    if isinstance(raw, list | tuple):
        require(len(raw) == 3, "a label must be [start_offset, end_offset, label]")
        return None, raw[0], raw[1], raw[2]
    require(isinstance(raw, dict), "each entity must be an object")
    for key in ("start_offset", "end_offset", "label"):
        require(key in raw, f"an entity is missing {key!r}")
    if raw.get("id") is not None:
        text_of(raw["id"], "an entity's id")  # refuses a list or an object: ids are scalars
    return raw.get("id"), raw["start_offset"], raw["end_offset"], raw["label"]


def _spans(
    raws: list[Any], to_code_points: Callable[[int], int], text_length: int, options: ReadOptions
) -> tuple[list[Span], dict[str, str]]:
    """Read the entities; ``to_code_points`` maps a file offset to one of the stored text."""
    spans: list[Span] = []
    by_source_id: dict[str, str] = {}
    for k, raw in enumerate(raws):
        source_id, start, end, label = _entity_fields(raw)
        for value in (start, end):
            require(type(value) is int, f"offsets must be whole numbers, got {shown(value)}")
        require(isinstance(label, str) and label != "", "an entity has no label")
        start, end = to_code_points(start), to_code_points(end)
        check_offsets(text_length, start, end)
        span_id = imported_id("s", options.annotator, source_id, k)
        key = str(source_id) if source_id is not None else f"#{k}"
        require(key not in by_source_id, f"two entities share the id {source_id!r}")
        by_source_id[key] = span_id
        spans.append(Span(span_id, "", start, end, label, options.annotator))
    return spans, by_source_id


def _relations(
    raws: list[Any], span_ids: dict[str, str], options: ReadOptions, skip_at: str | None
) -> list[Relation]:
    """Read the relations; with ``skip_at`` (a "label" list's line) one naming an entity id
    the spans lack is left out and noted there, else it is refused."""
    relations: list[Relation] = []
    for k, raw in enumerate(raws):
        require(isinstance(raw, dict), "each relation must be an object")
        for key in ("from_id", "to_id", "type"):
            require(key in raw, f"a relation is missing {key!r}")
        ends = [text_of(raw[end], f"a relation's {end}") for end in ("from_id", "to_id")]
        kind = text_of(raw["type"], "a relation's type")
        missing = [
            raw[end]
            for end, key in zip(("from_id", "to_id"), ends, strict=True)
            if key not in span_ids
        ]
        if missing and skip_at is not None:
            options.report.note(RELATIONS_WITHOUT_IDS, f"{skip_at} ({ends[0]}->{ends[1]} {kind})")
            continue
        if missing:
            raise InputError(f"a relation points to missing entity {missing[0]!r}")
        rel_id = None if raw.get("id") is None else text_of(raw["id"], "a relation's id")
        relations.append(
            Relation(
                id=imported_id("r", options.annotator, rel_id, k),
                doc_id="",
                type=kind,
                head=span_ids[ends[0]],
                tail=span_ids[ends[1]],
                annotator=options.annotator,
            )
        )
    return relations


def _entity_list(obj: dict[str, Any]) -> tuple[list[Any], bool]:
    """Return the line's spans and whether they come as a "label" list (no entity ids).

    doccano writes ``entities`` from a project with relation labeling and ``label`` from one
    without; a line with both filled cannot say which it is.
    """
    entities, label = obj.get("entities"), obj.get("label")
    require(
        not (entities and label),
        'the record has both "entities" and "label": doccano writes "entities" from a project'
        ' with relation labeling and "label" from one without; keep the one doccano wrote',
    )
    if label is not None and not entities:
        require(isinstance(label, list), '"label" must be a list')
        return label, True
    entities = entities or []
    require(isinstance(entities, list), '"entities" must be a list')
    return entities, False


def record_from_json(obj: Any, options: ReadOptions, where: str = "") -> DocumentRecord:
    """Build a DocumentRecord from one doccano line (raises InputError/ValidationError).

    ``where`` names the line in the notes of what was left out ("file:line").
    """
    require(isinstance(obj, dict), "each line must be a JSON object")
    raw_text = obj.get("text")
    require(isinstance(raw_text, str) and raw_text.strip() != "", 'the record has no "text"')
    text, to_stored = stored_text(raw_text)
    from_file = _from_file(raw_text, unit_of(options.offsets))
    entities, label_shape = _entity_list(obj)
    spans, ids = _spans(entities, lambda o: to_stored(from_file(o)), len(text), options)
    raw_relations = obj.get("relations") or []
    require(isinstance(raw_relations, list), '"relations" must be a list')
    relations = _relations(raw_relations, ids, options, where if label_shape else None)
    doc_id, title = obj.get("id"), obj.get("title")
    return DocumentRecord(
        text=text,
        id=text_of(doc_id, '"id"') if doc_id is not None else None,
        title=(text_of(title, '"title"') or None) if title is not None else None,
        meta={"source_format": "doccano"},
        spans=tuple(spans),
        relations=tuple(relations),
    )


def read(path: Path, options: ReadOptions) -> Iterator[DocumentRecord]:
    """Yield one record per line of a doccano JSONL file."""
    lines = ((line, (line, obj)) for line, obj in iter_json_lines(path))
    return records_at_lines(
        path, lines, lambda pair: record_from_json(pair[1], options, f"{path}:{pair[0]}")
    )
