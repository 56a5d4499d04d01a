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
from annotator.io.jsonl import require, text_of
from annotator.io.offsets import stored_text
from annotator.model.document import DocumentRecord, Relation, Span, check_offsets
from annotator.store.importing import imported_id


def _objects(task: dict[str, Any], key: str) -> list[dict[str, Any]]:
    found = task.get(key) or []
    require(isinstance(found, list), f'"{key}" must be a list')
    require(all(isinstance(item, dict) for item in found), f'each of "{key}" must be an object')
    return found


def _chosen_result(task: dict[str, Any]) -> list[Any]:
    annotations = [a for a in _objects(task, "annotations") if not a.get("was_cancelled")]
    source = annotations or _objects(task, "predictions")
    if not source:
        return []
    result = source[0].get("result") or []
    require(isinstance(result, list), '"result" must be a list')
    return result


def _region_id(raw: dict[str, Any], key: str = "id") -> str:
    return text_of(raw.get(key), f"a result's {key}")


def _short(text: str) -> str:
    # A message quotes the file, but must fit on a screen whatever the file holds.
    return text if len(text) <= 60 else text[:60] + "…"


def _region_spans(
    raw: dict[str, Any], raw_text: str, to_stored: Callable[[int], int], options: ReadOptions
) -> list[Span]:
    region = _region_id(raw)
    value = raw.get("value")
    if not isinstance(value, dict):
        raise InputError(f"region {region} has no value")
    start, end, labels = value.get("start"), value.get("end"), value.get("labels")
    check_offsets(len(raw_text), start, end)
    assert isinstance(start, int) and isinstance(end, int)  # checked just above
    given = value.get("text")
    require(given is None or isinstance(given, str), f"region {region}: its text is not text")
    require(
        given is None or given == raw_text[start:end],
        f"region {region}: [{start}, {end}) slices out «{_short(raw_text[start:end])}»,"
        f" not «{_short(given or '')}» (offsets must count code points)",
    )
    if not isinstance(labels, list) or not labels or not all(isinstance(x, str) for x in labels):
        raise InputError(f"region {region} has no labels")
    # A region with several labels gives one span per label: the first keeps the region's id.
    keys = [region if k == 0 else f"{region}/{k}" for k in range(len(labels))]
    return [
        Span(imported_id("s", options.annotator, key, 0), "", to_stored(start), to_stored(end),
             label, options.annotator)
        for key, label in zip(keys, labels, strict=True)
    ]  # fmt: skip


def _relation(raw: dict[str, Any], ids: dict[str, str], k: int, options: ReadOptions) -> Relation:
    ends = []
    for key in ("from_id", "to_id"):
        end = _region_id(raw, key)
        require(end in ids, f"a relation points to missing region {raw.get(key)!r}")
        ends.append(ids[end])
    labels = raw.get("labels")
    if not isinstance(labels, list) or len(labels) != 1 or not isinstance(labels[0], str):
        raise InputError("a relation needs exactly one label")
    head, tail = ends
    if raw.get("direction") == "left":
        head, tail = tail, head
    given = None if raw.get("id") is None else text_of(raw["id"], "a relation's id")
    rel_id = imported_id("r", options.annotator, given, k)
    return Relation(rel_id, "", labels[0], head, tail, options.annotator)


def _annotations(
    results: list[Any], raw_text: str, to_stored: Callable[[int], int], options: ReadOptions
) -> tuple[list[Span], list[Relation]]:
    spans: list[Span] = []
    ids: dict[str, str] = {}
    for raw in results:
        require(isinstance(raw, dict), "each result must be an object")
        if raw.get("type") == "labels":
            require("id" in raw, "a labels result has no id")
            region = _region_id(raw)
            require(region not in ids, f"two regions share the id {raw['id']!r}")
            found = _region_spans(raw, raw_text, to_stored, options)
            ids[region] = found[0].id
            spans.extend(found)
    attrs: dict[str, dict[str, str]] = {}
    relations: list[Relation] = []
    for raw in results:
        if raw.get("type") == "choices" and raw.get("id") is not None and _region_id(raw) in ids:
            attrs.setdefault(ids[_region_id(raw)], {}).update([_choice(raw)])
        elif raw.get("type") == "relation":
            relations.append(_relation(raw, ids, len(relations), options))
    spans = [
        Span(s.id, "", s.start, s.end, s.label, s.annotator, attrs.get(s.id, {})) for s in spans
    ]
    return spans, relations


def _choice(raw: dict[str, Any]) -> tuple[str, str]:
    name = text_of(raw.get("from_name"), "a choices result's from_name")
    value = raw.get("value")
    choices = value.get("choices") if isinstance(value, dict) else None
    if not isinstance(choices, list) or len(choices) != 1 or not isinstance(choices[0], str):
        raise InputError(f"region {_region_id(raw)}: pick exactly one {name}")
    return name, choices[0]


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
        id=text_of(doc_id, "the task's id") if doc_id is not None else None,
        title=text_of(title, '"data.title"') if title is not None else None,
        meta={"source_format": "labelstudio"},
        spans=tuple(spans),
        relations=tuple(relations),
    )
