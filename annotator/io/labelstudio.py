"""Label Studio JSON: a list of tasks with ``data.text`` and ``annotations[].result[]``.

Offsets are code points (JavaScript string indices of the text as Label Studio shows it), end
exclusive. Shapes checked against Label Studio's documentation: task format
(https://labelstud.io/guide/task_format: ``data``, ``annotations[].result[]`` with ``id``,
``from_name``, ``to_name``, ``type``, ``value``), the NER template
(https://labelstud.io/templates/named_entity: ``<Labels name="label" toName="text">`` over
``<Text name="text" value="$text">``, results ``type: "labels"`` with ``value.start``, ``value.end``,
``value.text``, ``value.labels``), and relations (results ``type: "relation"`` with ``from_id``,
``to_id``, ``direction`` and ``labels``). Span attributes (QUOTE ``type``, CLAIM ``check_worthy``)
travel as per-region ``choices`` results sharing the region's ``id``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import orjson

from annotator.errors import InputError
from annotator.io.alignment import report_of
from annotator.io.base import AnnotatedDocument, ReadOptions
from annotator.io.jsonl import json_reason, records_at_lines
from annotator.io.labelstudio_read import record_from_task
from annotator.model.document import DocumentRecord, Span


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


def to_json(item: AnnotatedDocument) -> dict[str, Any]:
    """Return the Label Studio task of one document: one annotation per annotator."""
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
    return {
        "data": {"text": doc.text, "doc_id": doc.id, "title": doc.title},
        "annotations": [{"result": result} for _, result in sorted(by_annotator.items())],
    }


def write(items: Iterable[AnnotatedDocument], out: IO[bytes], options: dict[str, Any]) -> None:
    """Write a JSON list of tasks, one task at a time (memory stays flat)."""
    report = report_of(options)
    out.write(b"[")
    for k, item in enumerate(items):
        out.write(b",\n" if k else b"\n")
        out.write(orjson.dumps(to_json(item)))
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
    """Yield one record per task; errors name the line where the task starts."""
    seen = False
    for record in records_at_lines(
        path, iter_tasks(path), lambda task: record_from_task(task, options)
    ):
        seen = True
        yield record
    if not seen:
        raise InputError("the file holds no tasks", path=path)
