"""doccano JSONL: ``text``, ``entities`` and ``relations``; offsets in UTF-16 code units.

One document per line, as doccano's sequence labeling project with relations imports and exports it
(``backend/data_import/pipeline/label.py`` in doccano/doccano: SpanLabel ``start_offset`` <
``end_offset``, RelationLabel ``from_id``/``to_id`` integers naming entity ``id`` s, ``type``)::

    {"id": "doc1", "text": "...", "entities": [{"id": 0, "label": "PER", "start_offset": 4,
     "end_offset": 10}], "relations": [{"id": 0, "from_id": 1, "to_id": 0, "type": "SPEAKER"}]}

doccano counts offsets in UTF-16 code units (one more per emoji than Python's code points); both
directions convert. The reader also accepts the older shape ``"label": [[start, end, "PER"], ...]``.
Imported entities and relations get import ids (:func:`annotator.store.importing.imported_id`)
keyed by their doccano ids, or by their position when they have none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import orjson

from annotator.io.alignment import report_of
from annotator.io.base import AnnotatedDocument, ReadOptions
from annotator.io.jsonl import iter_json_lines, records_at_lines, require, shown, text_of
from annotator.io.offsets import Utf16Offsets, stored_text
from annotator.model.document import DocumentRecord, Relation, Span, check_offsets
from annotator.store.importing import imported_id


def to_json(item: AnnotatedDocument, first_id: int = 0) -> dict[str, Any]:
    """Return the doccano object of one document; entity ids count up from ``first_id``."""
    units = Utf16Offsets(item.document.text)
    ids = {span.id: first_id + k for k, span in enumerate(item.spans)}
    return {
        "id": item.document.id,
        "text": item.document.text,
        "entities": [
            {
                "id": ids[s.id],
                "label": s.label,
                "start_offset": units.to_utf16(s.start),
                "end_offset": units.to_utf16(s.end),
            }
            for s in item.spans
        ],
        "relations": [
            {"id": first_id + k, "from_id": ids[r.head], "to_id": ids[r.tail], "type": r.type}
            for k, r in enumerate(item.relations)
        ],
    }


def write(items: Iterable[AnnotatedDocument], out: IO[bytes], options: dict[str, Any]) -> None:
    """Write one doccano JSON line per document; ids are unique across the file."""
    report = report_of(options)
    next_id = 0
    for item in items:
        obj = to_json(item, next_id)
        next_id += max(len(item.spans), len(item.relations))
        out.write(orjson.dumps(obj))
        out.write(b"\n")
        report.documents += 1
        report.spans += len(item.spans)
        report.relations += len(item.relations)


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
    raws: list[Any], raw_text: str, to_stored: Callable[[int], int], options: ReadOptions
) -> tuple[list[Span], dict[str, str]]:
    units = Utf16Offsets(raw_text)
    stored_length = to_stored(len(raw_text))
    spans: list[Span] = []
    by_source_id: dict[str, str] = {}
    for k, raw in enumerate(raws):
        source_id, start, end, label = _entity_fields(raw)
        for value in (start, end):
            require(type(value) is int, f"offsets must be whole numbers, got {shown(value)}")
        require(isinstance(label, str) and label != "", "an entity has no label")
        start, end = to_stored(units.to_code_points(start)), to_stored(units.to_code_points(end))
        check_offsets(stored_length, start, end)
        span_id = imported_id("s", options.annotator, source_id, k)
        key = str(source_id) if source_id is not None else f"#{k}"
        require(key not in by_source_id, f"two entities share the id {source_id!r}")
        by_source_id[key] = span_id
        spans.append(Span(span_id, "", start, end, label, options.annotator))
    return spans, by_source_id


def _relations(raws: list[Any], span_ids: dict[str, str], options: ReadOptions) -> list[Relation]:
    relations: list[Relation] = []
    for k, raw in enumerate(raws):
        require(isinstance(raw, dict), "each relation must be an object")
        for key in ("from_id", "to_id", "type"):
            require(key in raw, f"a relation is missing {key!r}")
        ends = [text_of(raw[end], f"a relation's {end}") for end in ("from_id", "to_id")]
        for end, given in zip(ends, (raw["from_id"], raw["to_id"]), strict=True):
            require(end in span_ids, f"a relation points to missing entity {given!r}")
        rel_id = None if raw.get("id") is None else text_of(raw["id"], "a relation's id")
        relations.append(
            Relation(
                id=imported_id("r", options.annotator, rel_id, k),
                doc_id="",
                type=text_of(raw["type"], "a relation's type"),
                head=span_ids[ends[0]],
                tail=span_ids[ends[1]],
                annotator=options.annotator,
            )
        )
    return relations


def record_from_json(obj: Any, options: ReadOptions) -> DocumentRecord:
    """Build a DocumentRecord from one doccano line (raises InputError/ValidationError)."""
    require(isinstance(obj, dict), "each line must be a JSON object")
    raw_text = obj.get("text")
    require(isinstance(raw_text, str) and raw_text.strip() != "", 'the record has no "text"')
    text, to_stored = stored_text(raw_text)
    entities = obj.get("entities", obj.get("label")) or []
    require(isinstance(entities, list), '"entities" must be a list')
    spans, ids = _spans(entities, raw_text, to_stored, options)
    raw_relations = obj.get("relations") or []
    require(isinstance(raw_relations, list), '"relations" must be a list')
    relations = _relations(raw_relations, ids, options)
    doc_id = obj.get("id")
    return DocumentRecord(
        text=text,
        id=text_of(doc_id, '"id"') if doc_id is not None else None,
        meta={"source_format": "doccano"},
        spans=tuple(spans),
        relations=tuple(relations),
    )


def read(path: Path, options: ReadOptions) -> Iterator[DocumentRecord]:
    """Yield one record per line of a doccano JSONL file."""
    return records_at_lines(path, iter_json_lines(path), lambda obj: record_from_json(obj, options))
