"""Native JSONL: lossless, one document per line, offsets in code points (end exclusive).

``{"id", "title", "text", "meta", "spans": [{"id", "start", "end", "label", "annotator",
"attrs", "status"}], "relations": [{"id", "type", "head", "tail", "annotator", "status"}]}``

Ids are kept as they are. A span or relation written without one (model output often has none)
gets the import id (:func:`annotator.store.importing.imported_id`) from its position, so
importing the same file twice still adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import orjson

from annotator.io.base import AnnotatedDocument, ReadOptions
from annotator.io.jsonl import iter_json_lines, records_at_lines, require, text_of
from annotator.io.offsets import stored_text
from annotator.model.document import DocumentRecord, Relation, Span, check_offsets
from annotator.store.importing import imported_id


def _own_id(raw: dict[str, Any], kind: str, annotator: str, position: int) -> str:
    """Return the id the file gives, else the import id from the annotation's position."""
    given = raw.get("id")
    if given is None:
        return imported_id(kind, annotator, None, position)
    return text_of(given, "an id")


def _span(
    raw: Any,
    k: int,
    doc_id: str,
    text_len: int,
    to_stored: Callable[[int], int],
    options: ReadOptions,
) -> Span:
    require(isinstance(raw, dict), "each span must be an object")
    for key in ("start", "end", "label"):
        require(key in raw, f"a span is missing {key!r}")
    check_offsets(text_len, raw["start"], raw["end"])
    attrs = raw.get("attrs") or {}
    require(isinstance(attrs, dict), "span attrs must be an object")
    annotator = text_of(raw.get("annotator") or options.annotator, "a span's annotator")
    return Span(
        id=_own_id(raw, "s", annotator, k),
        doc_id=doc_id,
        start=to_stored(raw["start"]),
        end=to_stored(raw["end"]),
        label=text_of(raw["label"], "a span's label"),
        annotator=annotator,
        attrs={k: text_of(v, f"attribute {k[:40]!r}") for k, v in attrs.items()},
        status=text_of(raw.get("status") or "pending", "a span's status"),
    )


def _relation(raw: Any, k: int, doc_id: str, span_ids: set[str], options: ReadOptions) -> Relation:
    require(isinstance(raw, dict), "each relation must be an object")
    for key in ("type", "head", "tail"):
        require(key in raw, f"a relation is missing {key!r}")
    annotator = text_of(raw.get("annotator") or options.annotator, "a relation's annotator")
    rel_id = _own_id(raw, "r", annotator, k)
    head, tail = (
        text_of(raw["head"], "a relation's head"),
        text_of(raw["tail"], "a relation's tail"),
    )
    for end in (head, tail):
        require(end in span_ids, f"relation {rel_id} points to missing span {end!r}")
    return Relation(
        id=rel_id,
        doc_id=doc_id,
        type=text_of(raw["type"], "a relation's type"),
        head=head,
        tail=tail,
        annotator=annotator,
        status=text_of(raw.get("status") or "pending", "a relation's status"),
    )


def record_from_json(obj: Any, options: ReadOptions) -> DocumentRecord:
    """Build a DocumentRecord from one parsed native line (raises ValidationError/InputError)."""
    require(isinstance(obj, dict), "each line must be a JSON object")
    text = obj.get("text")
    require(isinstance(text, str) and text != "", 'the record has no "text"')
    # Offsets in the file count the text as written there; a BOM or CRLF dropped from the
    # stored text moves every later offset left.
    raw_length = len(text)
    text, to_stored = stored_text(text)
    doc_id = text_of(obj["id"], '"id"') if obj.get("id") is not None else None
    local = doc_id or ""
    raw_spans = obj.get("spans") or []
    require(isinstance(raw_spans, list), '"spans" must be a list')
    spans = [_span(s, k, local, raw_length, to_stored, options) for k, s in enumerate(raw_spans)]
    ids = {s.id for s in spans}
    require(len(ids) == len(spans), "two spans share one id")
    raw_relations = obj.get("relations") or []
    require(isinstance(raw_relations, list), '"relations" must be a list')
    relations = [_relation(r, k, local, ids, options) for k, r in enumerate(raw_relations)]
    require(len({r.id for r in relations}) == len(relations), "two relations share one id")
    meta = obj.get("meta") or {}
    require(isinstance(meta, dict), '"meta" must be an object')
    title = obj.get("title")
    return DocumentRecord(
        text=text,
        id=doc_id,
        title=text_of(title, '"title"') if title is not None else None,
        meta=meta,
        spans=tuple(spans),
        relations=tuple(relations),
    )


def read(path: Path, options: ReadOptions) -> Iterator[DocumentRecord]:
    """Yield one record per line of a native JSONL file."""
    return records_at_lines(path, iter_json_lines(path), lambda obj: record_from_json(obj, options))


def to_json(item: AnnotatedDocument) -> dict[str, Any]:
    """Return the native JSON object of one annotated document."""
    doc = item.document
    return {
        "id": doc.id,
        "title": doc.title,
        "text": doc.text,
        "meta": dict(doc.meta),
        "spans": [
            {
                "id": s.id,
                "start": s.start,
                "end": s.end,
                "label": s.label,
                "annotator": s.annotator,
                "attrs": dict(s.attrs),
                "status": s.status,
            }
            for s in item.spans
        ],
        "relations": [
            {
                "id": r.id,
                "type": r.type,
                "head": r.head,
                "tail": r.tail,
                "annotator": r.annotator,
                "status": r.status,
            }
            for r in item.relations
        ],
    }


def write(items: Iterable[AnnotatedDocument], out: IO[bytes], options: dict[str, Any]) -> None:
    """Write one JSON line per document."""
    for item in items:
        out.write(orjson.dumps(to_json(item)))
        out.write(b"\n")
