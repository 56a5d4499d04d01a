"""JSON inputs with the wrong types, lone surrogates or deep nesting: one line, never a traceback.

Label Studio, native and doccano files are refused with one line naming the file and the line
(of the task, or of the error): a number where a list belongs, a region without a value, a list
where an id belongs, a ``\\ud800`` escape naming half a surrogate pair, ten thousand ``[``. A
fuzz test then replaces every value of a valid file, one at a time, by values of every JSON type
(a list nested a thousand deep, a lone surrogate among them) and removes every key: each import
either succeeds or raises an AnnotatorError naming the file, and a failed one leaves the
project as it was.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from robustness_support import assert_one_clear_line, cli, dump

from annotator.errors import AnnotatorError
from annotator.io.operations import import_paths
from annotator.store import Project

TEXT = "قال بوتين إن موسكو مستعدة للحوار"  # بوتين is [4, 9), موسكو [13, 18)
DEEP = 10_000
DEEPISH = 1_000  # within orjson's limit of 1,024, beyond what Python's repr can walk


def nested(depth: int) -> str:
    """A placeholder for a list nested ``depth`` deep, made real by :func:`dumps`.

    (Python's json module cannot write a value deeper than its own stack.)
    """
    return f"@@nested{depth}@@"


def dumps(value: Any) -> str:
    """``json.dumps``, with each :func:`nested` placeholder replaced by its brackets."""
    text = json.dumps(value)
    return re.sub(r'"@@nested(\d+)@@"', lambda m: "[" * int(m[1]) + "]" * int(m[1]), text)


def ls_task() -> dict[str, Any]:
    """A valid Label Studio task: a PER, a QUOTE with its type, the SPEAKER link between them."""
    person = {"start": 4, "end": 9, "text": "بوتين", "labels": ["PER"]}
    quote = {"start": 13, "end": 32, "text": "موسكو مستعدة للحوار", "labels": ["QUOTE"]}
    result = [
        {"id": "a", "from_name": "label", "to_name": "text", "type": "labels", "value": person},
        {"id": "b", "from_name": "label", "to_name": "text", "type": "labels", "value": quote},
        {"id": "r", "from_id": "b", "to_id": "a", "type": "relation", "direction": "right",
         "labels": ["SPEAKER"]},
        {"id": "b", "from_name": "type", "to_name": "text", "type": "choices",
         "value": {**quote, "choices": ["indirect"]}},
    ]  # fmt: skip
    return {
        "id": 7,
        "data": {"text": TEXT, "doc_id": "d1", "title": "عنوان"},
        "annotations": [{"result": result}],
    }


def native_record() -> dict[str, Any]:
    person = {"id": "s1", "start": 4, "end": 9, "label": "PER", "annotator": "mona",
              "attrs": {}, "status": "pending"}  # fmt: skip
    quote = {"id": "s2", "start": 13, "end": 32, "label": "QUOTE", "attrs": {"type": "direct"}}
    speaker = {"id": "r1", "type": "SPEAKER", "head": "s2", "tail": "s1", "status": "pending"}
    return {
        "id": "d1",
        "title": "عنوان",
        "text": TEXT,
        "meta": {"source": "x"},
        "spans": [person, quote],
        "relations": [speaker],
    }


def doccano_record() -> dict[str, Any]:
    return {
        "id": "d1",
        "text": TEXT,
        "entities": [
            {"id": 1, "label": "PER", "start_offset": 4, "end_offset": 9},
            {"id": 2, "label": "QUOTE", "start_offset": 13, "end_offset": 32},
        ],
        "relations": [{"id": 0, "from_id": 2, "to_id": 1, "type": "SPEAKER"}],
    }


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ---- one line for each: Label Studio ----------------------------------------------------------


def ls_with(change: Any) -> str:
    """A two-task Label Studio file (one task per line) whose second task is changed."""
    second = ls_task()
    second["data"]["text"] = TEXT + "."
    change(second)
    return "[\n" + dumps(ls_task()) + ",\n" + dumps(second) + "\n]\n"


def _set(path: str, value: Any) -> Any:
    *parents, last = path.split(".")

    def change(task: dict[str, Any]) -> None:
        node: Any = task
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return change


RESULT = "annotations.0.result"
LS_CASES: dict[str, tuple[str, str]] = {
    # name: (file text, what the reason starts with); the second task is on line 3
    "annotations-a-number": (ls_with(_set("annotations", 5)), '"annotations" must be a list'),
    "predictions-an-object": (
        ls_with(lambda t: t.update(annotations=[], predictions={"result": []})),
        '"predictions" must be a list',
    ),
    "annotation-a-string": (ls_with(_set("annotations", ["x"])), 'each of "annotations" must'),
    "result-a-string": (ls_with(_set("annotations.0.result", "x")), '"result" must be a list'),
    "region-without-value": (
        ls_with(lambda t: t["annotations"][0]["result"][0].pop("value")),
        "region a has no value",
    ),
    "value-a-list": (ls_with(_set(f"{RESULT}.0.value", [4, 9])), "region a has no value"),
    "labels-a-string": (ls_with(_set(f"{RESULT}.0.value.labels", "PER")), "region a has no"),
    "start-a-string": (ls_with(_set(f"{RESULT}.0.value.start", "4")), "offsets must be whole"),
    "start-deeply-nested": (
        ls_with(_set(f"{RESULT}.0.value.start", nested(DEEPISH))),
        "",  # either Python's parser gives up (nested too deeply) or the offset is refused
    ),
    "region-id-a-list": (ls_with(_set(f"{RESULT}.0.id", ["a"])), "a result's id must be text"),
    "region-id-deeply-nested": (ls_with(_set(f"{RESULT}.0.id", nested(DEEPISH))), ""),
    "relation-from-a-list": (ls_with(_set(f"{RESULT}.2.from_id", ["a"])), "a result's from_id"),
    "relation-labels-numbers": (ls_with(_set(f"{RESULT}.2.labels", [5])), "a relation needs"),
    "title-an-object": (ls_with(_set("data.title", {"ar": "x"})), '"data.title" must be text'),
    "doc-id-a-list": (ls_with(_set("data.doc_id", [1])), "the task's id must be text"),
    "data-a-list": (ls_with(_set("data", [TEXT])), 'the task has no "data"'),
    "task-a-string": ("[\n" + json.dumps(ls_task()) + ',\n"task"\n]\n', "each task must be"),
    "choices-value-a-number": (
        ls_with(
            lambda t: t["annotations"][0]["result"].append(
                {"id": "a", "from_name": "type", "type": "choices", "value": 5}
            )
        ),
        "region a: pick exactly one type",
    ),
    "lone-high-surrogate": (ls_with(_set("data.text", "قال \ud800 بوتين")), "not valid JSON (no"),
    "lone-low-surrogate": (ls_with(_set("data.title", "\udc00")), "not valid JSON ("),
    "nested-10000-deep": ("[" * DEEP + "]" * DEEP, "not valid JSON (nested too deeply"),
    "task-nested-5000-deep": (ls_with(_set("data.meta", nested(5000))), "not valid JSON (nested"),
    "nan": ("[\n" + json.dumps(ls_task()) + ',\n{"data": {"text": NaN}}\n]\n', "not valid JSON"),
    "text-after-the-list": ("[\n" + json.dumps(ls_task()) + "\n]\n[]\n", "not valid JSON ("),
}


@pytest.mark.parametrize("name", sorted(LS_CASES))
def test_label_studio_json_gets_one_line(name: str, filled: Path, tmp_path: Path) -> None:
    text, expect = LS_CASES[name]
    source = _write(tmp_path / "tasks.json", text)
    before = dump(filled)

    outcome = cli("import", filled, source, "--format", "labelstudio")

    assert outcome.exit_code == 2, outcome
    line = 1 if name == "nested-10000-deep" else 4 if name == "text-after-the-list" else 3
    reason = assert_one_clear_line(outcome, [source], line)
    if not reason.startswith("not valid JSON"):
        # What is wrong with a task names it: its position, and the id it carries.
        task = "task 2: " if name == "task-a-string" else "task 2 (id 7): "
        assert reason.startswith(task), reason
        reason = reason.removeprefix(task)
    assert reason.startswith(expect), reason
    assert dump(filled) == before


# ---- one line for each: native and doccano JSON Lines -----------------------------------------


def lines_with(first: dict[str, Any], second_line: str) -> str:
    return dumps(first) + "\n" + second_line + "\n"


def _line(record: dict[str, Any], **changes: Any) -> str:
    return dumps({**record, **changes})


JSONL_CASES: dict[str, tuple[str, str, str]] = {
    # name: (format, the second line, what the reason starts with)
    "native-lone-surrogate": (
        "native",
        _line(native_record(), text="\ud800" + TEXT),
        "not valid JSON at character",
    ),
    "native-nested-10000-deep": ("native", "[" * DEEP + "]" * DEEP, "not valid JSON at"),
    "native-meta-5000-deep": (
        "native",
        _line(native_record(), meta={"a": nested(5000)}),
        "not valid JSON at",
    ),
    "native-label-deeply-nested": (
        "native",
        _line(native_record(), spans=[{"start": 4, "end": 9, "label": nested(DEEPISH)}]),
        "a span's label must be text, not a list",
    ),
    "native-id-an-object": ("native", _line(native_record(), id={"a": 1}), '"id" must be text'),
    "native-start-deeply-nested": (
        "native",
        _line(native_record(), spans=[{"start": nested(DEEPISH), "end": 9, "label": "PER"}]),
        "offsets must be whole numbers, got start=<list> end=9",
    ),
    "native-attr-a-list": (
        "native",
        _line(
            native_record(),
            spans=[{"start": 4, "end": 9, "label": "QUOTE", "attrs": {"type": ["direct"]}}],
        ),
        "attribute 'type' must be text, not a list",
    ),
    "native-relation-head-a-list": (
        "native",
        _line(native_record(), relations=[{"type": "SPEAKER", "head": ["s2"], "tail": "s1"}]),
        "a relation's head must be text",
    ),
    "doccano-lone-surrogate": (
        "doccano",
        _line(doccano_record(), text=TEXT + "\udfff"),
        "not valid JSON at character",
    ),
    "doccano-nested-10000-deep": ("doccano", "{" * 1 + '"a":' + "[" * DEEP, "not valid JSON at"),
    "doccano-type-deeply-nested": (
        "doccano",
        _line(doccano_record(), relations=[{"from_id": 1, "to_id": 2, "type": nested(DEEPISH)}]),
        "a relation's type must be text, not a list",
    ),
    "doccano-offset-deeply-nested": (
        "doccano",
        _line(
            doccano_record(),
            entities=[{"label": "PER", "start_offset": nested(DEEPISH), "end_offset": 9}],
        ),
        "offsets must be whole numbers, got a list",
    ),
    "doccano-entity-id-an-object": (
        "doccano",
        _line(
            doccano_record(),
            entities=[{"id": {}, "label": "PER", "start_offset": 4, "end_offset": 9}],
        ),
        "an entity's id must be text, not an object",
    ),
}


@pytest.mark.parametrize("name", sorted(JSONL_CASES))
def test_json_lines_get_one_line(name: str, filled: Path, tmp_path: Path) -> None:
    fmt, second, expect = JSONL_CASES[name]
    first = native_record() if fmt == "native" else doccano_record()
    first["text"] = "خبر أول صحيح"
    first.pop("spans", None), first.pop("entities", None), first.pop("relations", None)
    source = _write(tmp_path / "records.jsonl", lines_with(first, second))
    before = dump(filled)

    outcome = cli("import", filled, source, "--format", fmt)

    assert outcome.exit_code == 2, outcome
    reason = assert_one_clear_line(outcome, [source], 2)
    assert reason.startswith(expect), reason
    assert dump(filled) == before


# ---- every value of a valid file replaced, one at a time ----------------------------------------

REPLACEMENTS: list[Any] = [None, 0, -1, 2.5, True, "", "x" * 60, "\ud800", [], {}, [1], {"a": 1}]
REPLACEMENTS.append(nested(DEEPISH))


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Yield the path of every value inside ``value`` (keys and list positions)."""
    children = value.items() if isinstance(value, dict) else enumerate(value)
    for key, child in children:
        yield (*prefix, key)
        if isinstance(child, dict | list):
            yield from paths(child, (*prefix, key))


def mutants(record: Any) -> Iterator[tuple[str, Any]]:
    """Yield ``(description, record)`` with one value replaced or one key removed."""
    for path in paths(record):
        for replacement in REPLACEMENTS:
            copy = json.loads(json.dumps(record))
            node = copy
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = replacement
            yield f"{path} = {str(replacement)[:20]}", copy
        copy = json.loads(json.dumps(record))
        node = copy
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
        yield f"del {path}", copy


FUZZED = {"labelstudio": ls_task, "native": native_record, "doccano": doccano_record}


@pytest.mark.parametrize("fmt", sorted(FUZZED))
def test_every_value_of_every_type_is_read_or_refused_cleanly(fmt: str, tmp_path: Path) -> None:
    path = tmp_path / ("tasks.json" if fmt == "labelstudio" else "records.jsonl")
    with Project.create(tmp_path / "p.sqlite", annotator="tester") as project:
        # The file before any change imports whole: what the changes break is real.
        path.write_text(dumps([FUZZED[fmt]()] if fmt == "labelstudio" else FUZZED[fmt]()))
        assert (import_paths(project, [path], fmt=fmt).spans, project.document_count()) == (2, 1)
        tried = 0
        for what, record in mutants(FUZZED[fmt]()):
            body = dumps([record] if fmt == "labelstudio" else record)
            path.write_text(body + "\n", encoding="utf-8")
            before = project.document_count()
            try:
                import_paths(project, [path], fmt=fmt)
            except AnnotatorError as exc:
                message = str(exc)
                assert message.startswith(f"{path}"), (what, message)
                assert len(message) < 400, (what, message)
                assert "\n" not in message and not re.search("[\x00-\x1f]", message), what
                assert project.document_count() == before, what
            except Exception as exc:  # the point: nothing else may escape
                pytest.fail(f"{fmt} with {what}: {type(exc).__name__}: {exc}"[:300])
            tried += 1
        assert tried > 100
