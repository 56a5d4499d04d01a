"""Reading one Label Studio task into a DocumentRecord (see ``labelstudio`` for the shape).

Every annotation and every prediction of a task is read, each as a layer of its own:

- an annotation's layer is named by its ``completed_by``: the ``email`` of an object, a string
  as it is, or ``labelstudio:ID`` for a user id (Label Studio's default export writes the id);
  an annotation without one belongs to ``ReadOptions.annotator`` (``--annotator``, else you);
- a prediction's layer is ``model:VERSION`` from its ``model_version``; Label Studio reads a
  prediction without one as version ``undefined``, and so does this reader;
- a name a task uses twice (one person's two annotations, two predictions of one version) gives
  ``NAME#2``, ``NAME#3`` to the later ones, reported;
- a cancelled (skipped) annotation is not read, and counted in the report.

A relation with ``direction: "left"`` is turned around so its head is the ``to_id`` region;
``"bi"`` keeps ``from_id`` as head. A relation without a label gets the one relation type the
schema allows between its two spans, or is skipped when none or several fit; both are counted.
A region whose ``value.text`` differs from the text its offsets slice out only in spaces or line
breaks (a browser's selection turns ``\\r\\n`` into ``\\n`` and may fold spaces) is read by its
offsets and counted; any other difference is refused. Spans get import ids
(:func:`annotator.store.importing.imported_id`) of their layer keyed by their region id
(``REGION/1``, ... for a region's second and later labels), relations keyed by their id or
position.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from annotator.errors import InputError, ValidationError
from annotator.io.base import ReadOptions
from annotator.io.jsonl import require, shown, text_of
from annotator.io.offsets import stored_text
from annotator.model.document import DocumentRecord, Relation, Span, check_offsets
from annotator.store.importing import imported_id

UNVERSIONED = "undefined"  # the model_version Label Studio gives a prediction without one
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class _Layer:
    """One annotation or prediction of a task: whose it is and what it holds."""

    name: str
    kind: str  # "annotation" or "prediction", for messages
    result: list[Any]


@dataclass(frozen=True)
class _Text:
    """The task's text as the file gives it and as it is stored, and where the task is."""

    raw: str
    stored: str
    to_stored: Callable[[int], int]
    where: str


def task_name(task: Any, number: int) -> str:
    """Return how messages name a task: its position in the file and the id it carries."""
    given = task.get("id") if isinstance(task, dict) else None
    ok = isinstance(given, int | str) and not isinstance(given, bool)
    return f"task {number}" + (f" (id {shown(given)})" if ok else "")


def _objects(task: dict[str, Any], key: str) -> list[dict[str, Any]]:
    found = task.get(key) or []
    require(isinstance(found, list), f'"{key}" must be a list')
    require(all(isinstance(item, dict) for item in found), f'each of "{key}" must be an object')
    return found


def _result(source: dict[str, Any]) -> list[Any]:
    result = source.get("result") or []
    require(isinstance(result, list), '"result" must be a list')
    return result


def _user_layer(completed_by: Any, default: str) -> str:
    """Return the layer of an annotation by ``completed_by`` (see the module docstring)."""
    if isinstance(completed_by, dict):
        email, user = completed_by.get("email"), completed_by.get("id")
        if isinstance(email, str) and email.strip():
            return email
        completed_by = user
    if completed_by is None or completed_by == "":
        return default
    if isinstance(completed_by, int) and not isinstance(completed_by, bool):
        return f"labelstudio:{completed_by}"
    if isinstance(completed_by, str):
        return completed_by
    raise InputError(
        f"an annotation's completed_by must be a user id or an object with an email,"
        f" not {shown(completed_by)}"
    )


def _layers(task: dict[str, Any], options: ReadOptions, where: str) -> list[_Layer]:
    """Return every annotation not cancelled and every prediction, each with its layer name."""
    layers = []
    annotations = _objects(task, "annotations") or _objects(task, "completions")
    for annotation in annotations:
        if annotation.get("was_cancelled") or annotation.get("skipped"):
            options.report.note("cancelled annotation(s) skipped", where)
            continue
        name = _user_layer(annotation.get("completed_by"), options.annotator)
        layers.append(_Layer(name, "annotation", _result(annotation)))
    for prediction in _objects(task, "predictions"):
        version = prediction.get("model_version")
        version = UNVERSIONED if version is None or version == "" else version
        name = "model:" + text_of(version, "a prediction's model_version")
        layers.append(_Layer(name, "prediction", _result(prediction)))
    seen: dict[str, int] = {}
    for k, layer in enumerate(layers):
        seen[layer.name] = seen.get(layer.name, 0) + 1
        if seen[layer.name] > 1:
            layers[k] = _Layer(f"{layer.name}#{seen[layer.name]}", layer.kind, layer.result)
            options.report.note(
                "annotation(s) or prediction(s) named like an earlier one of their task, read"
                " as a layer NAME#2, ...",
                f"{where} {_short(layers[k].name)}",
            )
    return layers


def _region_id(raw: dict[str, Any], key: str = "id") -> str:
    return text_of(raw.get(key), f"a result's {key}")


def _short(text: str) -> str:
    # A message quotes the file, but must fit on a screen whatever the file holds.
    return text if len(text) <= 60 else text[:60] + "…"


def _same_but_spaces(one: str, other: str) -> bool:
    return _SPACES.sub(" ", one) == _SPACES.sub(" ", other)


def _offsets(region: str, value: dict[str, Any], text: _Text, options: ReadOptions) -> range:
    """Return the stored offsets of a region, checked against the text it says it covers."""
    start, end = value.get("start"), value.get("end")
    check_offsets(len(text.raw), start, end)
    assert isinstance(start, int) and isinstance(end, int)  # checked just above
    given = value.get("text")
    require(given is None or isinstance(given, str), f"region {region}: its text is not text")
    found = text.raw[start:end]
    if given is None or given == found:
        return range(text.to_stored(start), text.to_stored(end))
    if _same_but_spaces(given, found):
        options.report.note(
            "region(s) whose value.text differs from the task's text only in spaces or line"
            " breaks, read by their offsets",
            f"{text.where} region {_short(region)}",
        )
        return range(text.to_stored(start), text.to_stored(end))
    # Offsets may count each \r\n as one character, as a browser shows the text.
    crlf = text.raw != text.stored and end <= len(text.stored)
    if crlf and _same_but_spaces(given, text.stored[start:end]):
        options.report.note(
            "region(s) whose offsets count each \\r\\n line break as one character",
            f"{text.where} region {_short(region)}",
        )
        return range(start, end)
    raise InputError(
        f"region {region}: [{start}, {end}) slices out «{_short(found)}»,"
        f" not «{_short(given)}» (offsets must count code points)"
    )


def _region_spans(raw: dict[str, Any], text: _Text, layer: str, options: ReadOptions) -> list[Span]:
    region = _region_id(raw)
    value = raw.get("value")
    if not isinstance(value, dict):
        raise InputError(f"region {region} has no value")
    place = _offsets(region, value, text, options)
    labels = value.get("labels")
    if not isinstance(labels, list) or not labels or not all(isinstance(x, str) for x in labels):
        raise InputError(f"region {region} has no labels")
    # A region with several labels gives one span per label: the first keeps the region's id.
    keys = [region if k == 0 else f"{region}/{k}" for k in range(len(labels))]
    return [
        Span(imported_id("s", layer, key, 0), "", place.start, place.stop, label, layer)
        for key, label in zip(keys, labels, strict=True)
    ]


def _relations(
    raw: dict[str, Any], spans: dict[str, Span], k: int, layer: str, options: ReadOptions,
    where: str,
) -> list[Relation]:  # fmt: skip
    """Return the relations of one relation result: one per label, or the inferred one."""
    ends = []
    for key in ("from_id", "to_id"):
        end = _region_id(raw, key)
        require(end in spans, f"a relation points to missing region {raw.get(key)!r}")
        ends.append(spans[end])
    head, tail = ends
    if raw.get("direction") == "left":
        head, tail = tail, head
    labels = raw.get("labels")
    if labels is None or labels == []:
        labels = _inferred(head.label, tail.label, options, where)
    if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
        raise InputError("a relation needs labels that are text")
    given = None if raw.get("id") is None else text_of(raw["id"], "a relation's id")
    return [
        Relation(
            imported_id("r", layer, given if n == 0 or given is None else f"{given}/{n}", k + n),
            "", label, head.id, tail.id, layer,
        )
        for n, label in enumerate(labels)
    ]  # fmt: skip


def _inferred(head: str, tail: str, options: ReadOptions, where: str) -> list[str]:
    """Return the one relation type the schema allows from ``head`` to ``tail``, or none."""
    # Looked up under the project's names: the label map renames the file's after reading.
    head, tail = options.label(head), options.label(tail)
    fits = [] if options.schema is None else options.schema.relation_between(head, tail)
    if len(fits) == 1:
        options.report.note(
            "relation(s) without a label read as the one type the schema allows between"
            " their spans",
            f"{where} {head}->{tail} {fits[0].id}",
        )
        return [fits[0].id]
    options.report.note(
        "relation(s) without a label skipped: no single type of the schema fits their spans",
        f"{where} {head}->{tail}",
    )
    return []


def _annotations(
    results: list[Any], text: _Text, layer: str, options: ReadOptions
) -> tuple[list[Span], list[Relation]]:
    spans: list[Span] = []
    regions: dict[str, Span] = {}
    for raw in results:
        require(isinstance(raw, dict), "each result must be an object")
        if raw.get("type") == "labels":
            require("id" in raw, "a labels result has no id")
            region = _region_id(raw)
            require(region not in regions, f"two regions share the id {raw['id']!r}")
            found = _region_spans(raw, text, layer, options)
            regions[region] = found[0]
            spans.extend(found)
    attrs: dict[str, dict[str, str]] = {}
    relations: list[Relation] = []
    for raw in results:
        if raw.get("type") == "choices" and raw.get("id") is not None:
            region = _region_id(raw)
            if region in regions:
                attrs.setdefault(regions[region].id, {}).update([_choice(raw)])
        elif raw.get("type") == "relation":
            relations += _relations(raw, regions, len(relations), layer, options, text.where)
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


def record_from_task(
    task: Any, options: ReadOptions, where: str = "the task"
) -> DocumentRecord | None:
    """Build a DocumentRecord from one Label Studio task; None for a task with empty text.

    ``where`` names the task in the report's notes. Raises InputError/ValidationError; with
    several layers in the task, the message names the layer.
    """
    require(isinstance(task, dict), "each task must be a JSON object")
    data = task.get("data")
    require(isinstance(data, dict), 'the task has no "data"')
    raw_text = data.get("text")
    require(isinstance(raw_text, str), 'the task has no "data.text"')
    assert isinstance(raw_text, str)  # checked just above
    if not raw_text.strip():
        options.report.note("task(s) with empty text skipped", where)
        return None
    stored, to_stored = stored_text(raw_text)
    text = _Text(raw_text, stored, to_stored, where)
    spans: list[Span] = []
    relations: list[Relation] = []
    layers = _layers(task, options, where)
    for layer in layers:
        try:
            found = _annotations(layer.result, text, layer.name, options)
        except (InputError, ValidationError) as exc:
            if len(layers) == 1:
                raise
            raise InputError(f"{layer.kind} {_short(layer.name)}: {exc.message}") from None
        spans += found[0]
        relations += found[1]
    doc_id = data.get("doc_id", task.get("id"))
    title = data.get("title")
    return DocumentRecord(
        text=stored,
        id=text_of(doc_id, "the task's id") if doc_id is not None else None,
        title=text_of(title, '"data.title"') if title is not None else None,
        meta={"source_format": "labelstudio"},
        spans=tuple(spans),
        relations=tuple(relations),
    )
