"""Label Studio JSON: a list of tasks with ``data.text`` and ``annotations[].result[]``.

Offsets are code points (JavaScript string indices of the text as Label Studio shows it), end
exclusive. Shapes checked against Label Studio's documentation: task format
(https://labelstud.io/guide/task_format: ``data``, ``annotations[].result[]`` with ``id``,
``from_name``, ``to_name``, ``type``, ``value``), the NER template
(https://labelstud.io/templates/named_entity: ``<Labels name="label" toName="text">`` over
``<Text name="text" value="$text">``, results ``type: "labels"`` with ``value.start``, ``value.end``,
``value.text``, ``value.labels``), and relations (results ``type: "relation"`` with ``from_id``,
``to_id``, ``direction`` and ``labels``). Span attributes (QUOTE ``type``, CLAIM ``check_worthy``)
travel as per-region ``choices`` results sharing the region's ``id``; the labeling config that
matches these names is :mod:`annotator.io.labelstudio_config`.

Each task carries an ``id`` (its position in the file, from 1: converters such as
label-studio-sdk's need one) and ``data.doc_id``. Each layer is one annotation whose
``completed_by`` is the layer's annotator in the shape Label Studio imports (an object with an
``email``; ``labelstudio:ID`` layers, read from Label Studio, go back as the user id ``ID``) and
whose ``ground_truth`` is true for the gold layer only (Label Studio takes an annotation without
the key for ground truth). The layers named in the writer option ``predictions`` are written as
predictions instead, with ``model_version`` the layer's name less a ``model:`` prefix.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

import orjson

from annotator.errors import InputError, ValidationError
from annotator.io.alignment import report_of
from annotator.io.base import AnnotatedDocument, ReadOptions
from annotator.io.jsonl import json_reason
from annotator.io.labelstudio_read import record_from_task, task_name
from annotator.model.document import GOLD_ANNOTATOR, DocumentRecord, Span


def _region(span: Span, text: str) -> list[dict[str, Any]]:
    value = {"start": span.start, "end": span.end, "text": span.text_in(text)}
    results: list[dict[str, Any]] = [
        {
            "id": span.id,
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "value": {**value, "labels": [span.label]},
        }
    ]
    for name, choice in sorted(span.attrs.items()):
        results.append(
            {
                "id": span.id,
                "from_name": name,
                "to_name": "text",
                "type": "choices",
                "value": {**value, "choices": [choice]},
            }
        )
    return results


def completed_by(annotator: str) -> int | dict[str, str]:
    """Return the ``completed_by`` of a layer: a Label Studio user id, or an object with email."""
    user = re.fullmatch(r"labelstudio:([0-9]{1,18})", annotator)
    return int(user[1]) if user else {"email": annotator}


def model_version(annotator: str) -> str:
    """Return the ``model_version`` a layer written as predictions gets: its name less model:."""
    return annotator.removeprefix("model:") or annotator


def to_json(
    item: AnnotatedDocument, task_id: int = 1, predictions: Collection[str] = ()
) -> dict[str, Any]:
    """Return the Label Studio task of one document: one annotation (or prediction) per layer."""
    doc = item.document
    by_annotator: dict[str, list[dict[str, Any]]] = {}
    for span in item.spans:
        by_annotator.setdefault(span.annotator, []).extend(_region(span, doc.text))
    for rel in item.relations:
        by_annotator.setdefault(rel.annotator, []).append(
            {
                "from_id": rel.head,
                "to_id": rel.tail,
                "type": "relation",
                "direction": "right",
                "labels": [rel.type],
            }
        )
    layers = sorted(by_annotator.items())
    return {
        "id": task_id,
        "data": {"text": doc.text, "doc_id": doc.id, "title": doc.title},
        "annotations": [
            {
                "completed_by": completed_by(name),
                "ground_truth": name == GOLD_ANNOTATOR,
                "result": result,
            }
            for name, result in layers
            if name not in predictions
        ],
        "predictions": [
            {"model_version": model_version(name), "result": result}
            for name, result in layers
            if name in predictions
        ],
    }


def prediction_layers(options: dict[str, Any]) -> frozenset[str]:
    """Return the layers the writer option ``predictions`` names (refused unless text)."""
    names = options.get("predictions") or ()
    if isinstance(names, str) or not all(isinstance(n, str) for n in names):
        raise InputError("the predictions option must be a list of layer names")
    return frozenset(names)


def write(items: Iterable[AnnotatedDocument], out: IO[bytes], options: dict[str, Any]) -> None:
    """Write a JSON list of tasks, one task at a time (memory stays flat)."""
    report = report_of(options)
    predictions = prediction_layers(options)
    out.write(b"[")
    for k, item in enumerate(items):
        out.write(b",\n" if k else b"\n")
        out.write(orjson.dumps(to_json(item, k + 1, predictions)))
        report.documents += 1
        report.spans += len(item.spans)
        report.relations += len(item.relations)
    out.write(b"\n]\n")


def iter_tasks(path: Path) -> Iterator[tuple[int, Any]]:
    """Yield ``(line number, task)`` for each element of a JSON list (or a single task).

    The whole file is first parsed by orjson, which refuses what Python's json module would
    accept or choke on: a ``\\ud800`` escape naming half a surrogate pair (no character; it
    could not be stored), and nesting deeper than orjson's limit of 1,024 (Python's parser
    would exhaust its stack). Only a valid file is then read task by task, for line numbers.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _encoding_error(exc, path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=path) from None
    try:
        orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        # Python's own message and line, where it finds the error too (a missing comma)...
        for _ in _tasks(text, path):
            pass
        # ...else orjson's: a lone surrogate, nesting too deep, NaN, text after the list.
        reason = json_reason(exc.msg)
        raise InputError(f"not valid JSON ({reason})", path=path, line=exc.lineno) from None
    yield from _tasks(text, path)


def _tasks(text: str, path: Path) -> Iterator[tuple[int, Any]]:
    decoder = json.JSONDecoder()
    pos = _skip_ws(text, 0)
    if text.startswith("{", pos):
        yield _decode(decoder, text, pos, path)[0]
        return
    if not text.startswith("[", pos):
        raise InputError("not a Label Studio JSON file: expected a list of tasks", path=path)
    pos = _skip_ws(text, pos + 1)
    while not text.startswith("]", pos):
        item, pos = _decode(decoder, text, pos, path)
        yield item
        pos = _skip_ws(text, pos)
        if text.startswith(",", pos):
            pos = _skip_ws(text, pos + 1)
        elif not text.startswith("]", pos):
            raise InputError("expected , or ] between tasks", path=path, line=_line(text, pos))


def _encoding_error(exc: UnicodeDecodeError, path: Path) -> InputError:
    # Python's codec message ("can't decode byte 0xde in position 0") means nothing to a user.
    if exc.object[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return InputError("the file is UTF-16; Label Studio JSON must be saved as UTF-8", path=path)
    return InputError(
        f"not valid UTF-8 at byte {exc.start}; Label Studio JSON must be saved as UTF-8"
        " (a Windows Arabic file is cp1256: convert it first)",
        path=path,
        line=exc.object.count(b"\n", 0, exc.start) + 1,
    )


def _decode(
    decoder: json.JSONDecoder, text: str, pos: int, path: Path
) -> tuple[tuple[int, Any], int]:
    try:
        obj, end = decoder.raw_decode(text, pos)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg})", path=path, line=exc.lineno) from None
    except RecursionError:  # orjson allows 1,024 levels, Python's stack fewer
        line = _line(text, pos)
        raise InputError("not valid JSON (nested too deeply)", path=path, line=line) from None
    return (_line(text, pos), obj), end


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def read(path: Path, options: ReadOptions) -> Iterator[DocumentRecord]:
    """Yield one record per task; errors name the line where the task starts and the task.

    A Label Studio export is one line, so the task (its position and id) is what a message can
    point to: each record's ``source`` names it, for the messages of later checks too.
    """
    seen = False
    for number, (line, task) in enumerate(iter_tasks(path), start=1):
        where = task_name(task, number)
        try:
            record = record_from_task(task, options, where)
        except (InputError, ValidationError) as exc:
            raise InputError(f"{where}: {exc.message}", path=path, line=line) from None
        seen = True
        if record is not None:
            yield replace(record, source=f"{path}:{line}: {where}", line=None)
    if not seen:
        raise InputError("the file holds no tasks", path=path)
