"""Importers refuse a person or place that crosses a paragraph break, naming file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.errors import InputError
from annotator.io.operations import import_paths
from annotator.store import Project

TEXT = "قال وزير الخارجية سيرجي\nلافروف إن موسكو مستعدة\nللحوار مع واشنطن"
CROSSING = (TEXT.index("سيرجي"), TEXT.index(" إن"))  # سيرجي\nلافروف
BREAK = TEXT.index("\n")
QUOTE = (TEXT.index("موسكو"), len(TEXT))
GOOD_TEXT = "نص سليم في سطر واحد"


def write_lines(path: Path, records: list[dict]) -> Path:
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def assert_refused_at(
    project: Project, caught: pytest.ExceptionInfo, path: Path, line: int, task: str = ""
) -> None:
    message = str(caught.value)
    where = f"{path}:{line}: {task}"
    assert message.startswith(f"{where}a PER span may not cross a paragraph or line break")
    assert f"offset {BREAK}" in message and "select within one paragraph" in message
    assert project.document_count() == 0


def native(text: str, spans: list[tuple[int, int, str]]) -> dict:
    return {
        "text": text,
        "spans": [
            {"id": f"s{k}", "start": a, "end": b, "label": x} for k, (a, b, x) in enumerate(spans)
        ],
    }


def doccano(text: str, spans: list[tuple[int, int, str]]) -> dict:
    # No emoji before the spans here, so UTF-16 offsets are the code points.
    entities = [
        {"id": k, "label": x, "start_offset": a, "end_offset": b}
        for k, (a, b, x) in enumerate(spans)
    ]
    return {"text": text, "entities": entities}


@pytest.mark.parametrize(("fmt", "shape"), [("native", native), ("doccano", doccano)])
def test_a_record_with_a_person_across_a_break_is_refused_by_file_and_line(
    project, tmp_path, fmt, shape
):
    path = write_lines(
        tmp_path / "pre.jsonl", [shape(GOOD_TEXT, []), shape(TEXT, [(*CROSSING, "PER")])]
    )
    with pytest.raises(InputError) as caught:
        import_paths(project, [path], fmt=fmt)
    assert_refused_at(project, caught, path, 2)


@pytest.mark.parametrize(("fmt", "shape"), [("native", native), ("doccano", doccano)])
def test_a_quote_across_a_break_imports(project, tmp_path, fmt, shape):
    path = write_lines(tmp_path / "pre.jsonl", [shape(TEXT, [(*QUOTE, "QUOTE")])])
    import_paths(project, [path], fmt=fmt)
    [doc_id] = project.document_ids()
    [quote] = project.spans(doc_id)
    assert quote.text_in(project.document(doc_id).text) == "موسكو مستعدة\nللحوار مع واشنطن"


def test_merging_pre_annotations_onto_an_existing_article_is_refused_the_same(project, tmp_path):
    project.add_document(TEXT, doc_id="d")
    path = write_lines(tmp_path / "pre.jsonl", [native(TEXT, [(*CROSSING, "PER")])])
    with pytest.raises(InputError, match=r"a PER span may not cross") as caught:
        import_paths(project, [path], fmt="native", merge_annotations=True)
    assert str(caught.value).startswith(f"{path}:1: ")
    assert project.spans("d") == []


def test_a_label_studio_task_with_a_person_across_a_break_names_the_task_line(project, tmp_path):
    start, end = CROSSING
    region = {
        "id": "a", "from_name": "label", "to_name": "text", "type": "labels",
        "value": {"start": start, "end": end, "text": TEXT[start:end], "labels": ["PER"]},
    }  # fmt: skip
    tasks = [
        {"data": {"text": GOOD_TEXT}},
        {"data": {"text": TEXT}, "annotations": [{"result": [region]}]},
    ]
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False, indent=2), encoding="utf-8")
    task_lines = [n for n, x in enumerate(path.read_text("utf-8").splitlines(), 1) if x == "  {"]
    with pytest.raises(InputError) as caught:
        import_paths(project, [path], fmt="labelstudio")
    assert_refused_at(project, caught, path, task_lines[1], task="task 2: ")


def test_a_conll_entity_never_continues_over_a_sentence_break(project, tmp_path):
    # The rebuilt text has a newline between sentences; an I-PER after the blank line starts a
    # new person, as conlleval reads it, so no span crosses the line break.
    source = tmp_path / "ner.conll"
    source.write_text(
        "-DOCSTART- O\n\nنص O\n\n-DOCSTART- O\n\nقال O\nسيرجي B-PER\n\nلافروف I-PER\nإن O\n",
        encoding="utf-8",
    )
    import_paths(project, [source], fmt="conll")
    doc_id = project.document_ids()[1]
    text = project.document(doc_id).text
    assert text == "قال سيرجي\nلافروف إن"
    assert [s.text_in(text) for s in project.spans(doc_id)] == ["سيرجي", "لافروف"]
