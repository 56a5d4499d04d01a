"""Reading one Label Studio task into a DocumentRecord (see ``labelstudio`` for the shape).

Which annotation is imported: the first one not cancelled; a task without annotations imports its
first prediction (pre-annotations). A relation with ``direction: "left"`` is turned around so its
head is the ``to_id`` region; ``"bi"`` keeps ``from_id`` as head. Spans get import ids
(:func:`annotator.store.importing.imported_id`) keyed by their region id (``REGION/1``, ... for
a region's second and later labels), relations keyed by their position.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from annotator.errors import InputError
from annotator.io.base import ReadOptions
from annotator.io.jsonl import require
from annotator.io.offsets import stored_text
from annotator.model.document import DocumentRecord, Relation, Span, check_offsets
from annotator.store.importing import imported_id


def _chosen_result(task: dict[str, Any]) -> list[Any]:
    annotations = [
        a
        for a in task.get("annotations") or []
        if isinstance(a, dict) and not a.get("was_cancelled")
    ]
    source = annotations or [p for p in task.get("predictions") or [] if isinstance(p, dict)]
    if not source:
        return []
    result = source[0].get("result") or []
    require(isinstance(result, list), '"result" must be a list')
    return result


def _region_spans(
    raw: dict[str, Any], raw_text: str, to_stored: Callable[[int], int], options: ReadOptions
) -> list[Span]:
    value = raw.get("value")
    if not isinstance(value, dict):
        raise InputError(f"region {raw.get('id')} has no value")
    start, end, labels = value.get("start"), value.get("end"), value.get("labels")
    check_offsets(len(raw_text), start, end)
    assert isinstance(start, int) and isinstance(end, int)  # checked just above
    given = value.get("text")
    require(
        given is None or given == raw_text[start:end],
        f"region {raw.get('id')}: [{start}, {end}) slices out «{raw_text[start:end]}»,"
        f" not «{given}» (offsets must count code points)",
    )
    if not isinstance(labels, list) or not labels or not all(isinstance(x, str) for x in labels):
        raise InputError(f"region {raw.get('id')} has no labels")
    region = str(raw["id"])
    # A region with several labels gives one span per label: the first keeps the region's id.
    keys = [region if k == 0 else f"{region}/{k}" for k in range(len(labels))]
    return [
        Span(imported_id("s", options.annotator, key, 0), "", to_stored(start), to_stored(end),
             label, options.annotator)
        for key, label in zip(keys, labels, strict=True)
    ]  # fmt: skip


def _relation(raw: dict[str, Any], ids: dict[str, str], k: int, options: ReadOptions) -> Relation:
    for key in ("from_id", "to_id"):
        require(str(raw.get(key)) in ids, f"a relation points to missing region {raw.get(key)!r}")
    labels = raw.get("labels")
    if not isinstance(labels, list) or len(labels) != 1:
        raise InputError("a relation needs exactly one label")
    head, tail = ids[str(raw["from_id"])], ids[str(raw["to_id"])]
    if raw.get("direction") == "left":
        head, tail = tail, head
    rel_id = imported_id("r", options.annotator, raw.get("id"), k)
    return Relation(rel_id, "", str(labels[0]), head, tail, options.annotator)


def _annotations(
    results: list[Any], raw_text: str, to_stored: Callable[[int], int], options: ReadOptions
) -> tuple[list[Span], list[Relation]]:
    spans: list[Span] = []
    ids: dict[str, str] = {}
    for raw in results:
        require(isinstance(raw, dict), "each result must be an object")
        if raw.get("type") == "labels":
            require("id" in raw, "a labels result has no id")
            require(str(raw["id"]) not in ids, f"two regions share the id {raw['id']!r}")
            found = _region_spans(raw, raw_text, to_stored, options)
            ids[str(raw["id"])] = found[0].id
            spans.extend(found)
    attrs: dict[str, dict[str, str]] = {}
    relations: list[Relation] = []
    for raw in results:
        if raw.get("type") == "choices" and str(raw.get("id")) in ids:
            choices = (raw.get("value") or {}).get("choices") or []
            require(
                len(choices) == 1, f"region {raw['id']}: pick exactly one {raw.get('from_name')}"
            )
            attrs.setdefault(ids[str(raw["id"])], {})[str(raw.get("from_name"))] = str(choices[0])
        elif raw.get("type") == "relation":
            relations.append(_relation(raw, ids, len(relations), options))
    spans = [
        Span(s.id, "", s.start, s.end, s.label, s.annotator, attrs.get(s.id, {})) for s in spans
    ]
    return spans, relations


def record_from_task(task: Any, options: ReadOptions) -> DocumentRecord:
    """Build a DocumentRecord from one Label Studio task (raises InputError/ValidationError)."""
    require(isinstance(task, dict), "each task must be a JSON object")
    data = task.get("data")
    require(isinstance(data, dict), 'the task has no "data"')
    raw_text = data.get("text")
    require(isinstance(raw_text, str) and raw_text.strip() != "", 'the task has no "data.text"')
    text, to_stored = stored_text(raw_text)
    spans, relations = _annotations(_chosen_result(task), raw_text, to_stored, options)
    doc_id = data.get("doc_id", task.get("id"))
    title = data.get("title")
    return DocumentRecord(
        text=text,
        id=str(doc_id) if doc_id is not None else None,
        title=str(title) if title is not None else None,
        meta={"source_format": "labelstudio"},
        spans=tuple(spans),
        relations=tuple(relations),
    )
