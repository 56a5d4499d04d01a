"""Label Studio layers: every annotation and prediction read as a layer named by its user or model.

Shapes of ``completed_by`` as Label Studio writes them: its default export gives the user id
(``"completed_by": 10``, https://labelstud.io/guide/task_format), the API's expanded export an
object with ``id`` and ``email``; its import resolves ``{"email": ...}`` to a member and takes an
annotation without ``ground_truth`` for ground truth.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from labelstudio_sample import LAYERS, layer_contents, layered_fixture  # noqa: F401

from annotator.errors import InputError
from annotator.io.base import ReadReport
from annotator.io.operations import export, import_paths
from annotator.model.document import GOLD_ANNOTATOR
from annotator.store import Project

TEXT = "قال بوتين إن موسكو مستعدة للحوار 🤝 مع واشنطن"


def region(rid: str, needle: str, label: str, text: str = TEXT) -> dict[str, Any]:
    start = text.index(needle)
    value = {"start": start, "end": start + len(needle), "text": needle, "labels": [label]}
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels", "value": value}


def write_tasks(path: Path, tasks: list[dict[str, Any]]) -> Path:
    # One line, as Label Studio writes its exports.
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return path


def read_back(project: Project) -> dict[str, set[str]]:
    """Return each layer's spans as the words they slice out, with their labels."""
    found: dict[str, set[str]] = {}
    for doc_id in project.document_ids():
        text = project.document(doc_id).text
        for span in project.spans(doc_id):
            found.setdefault(span.annotator, set()).add(f"{span.text_in(text)}/{span.label}")
    return found


def test_the_tools_own_multi_annotator_export_reads_back_every_layer(layered, tmp_path):
    out = tmp_path / "ls.json"
    export(layered, out, fmt="labelstudio")
    [task] = json.loads(out.read_text(encoding="utf-8"))
    users = {json.dumps(a["completed_by"]): a["ground_truth"] for a in task["annotations"]}
    assert users == {
        '{"email": "gold"}': True,
        '{"email": "huda"}': False,
        '{"email": "mona@news.example"}': False,
        '{"email": "sami"}': False,
    }
    report = ReadReport()
    with Project.create(tmp_path / "fresh.sqlite", annotator="someone") as fresh:
        import_paths(fresh, [out], fmt="labelstudio", read_report=report)
        assert fresh.annotators() == sorted(LAYERS)
        for name in LAYERS:
            assert layer_contents(fresh, name) == layer_contents(layered, name), name
        words = read_back(fresh)
    assert "سيرجي لافروف/PER" in words["sami"] and "سيرجي لافروف/PER" in words[GOLD_ANNOTATOR]
    assert not any(w.endswith("/PER") for w in words["huda"])
    spans = {name: len(layer_contents(layered, name)[0]) for name in LAYERS}
    assert spans == {"mona@news.example": 88, "sami": 59, "huda": 29, GOLD_ANNOTATOR: 88}
    assert report.layer_lines() == [
        "layer gold: 88 span(s), 35 relation(s)",
        "layer huda: 29 span(s), 17 relation(s)",
        "layer mona@news.example: 88 span(s), 35 relation(s)",
        "layer sami: 59 span(s), 0 relation(s)",
    ]


def test_layers_chosen_as_predictions_go_back_and_forth_with_their_model_version(layered, tmp_path):
    out = tmp_path / "ls.json"
    export(layered, out, fmt="labelstudio", options={"predictions": ["sami", "huda"]})
    [task] = json.loads(out.read_text(encoding="utf-8"))
    assert [p["model_version"] for p in task["predictions"]] == ["huda", "sami"]
    assert [a["completed_by"]["email"] for a in task["annotations"]] == [
        GOLD_ANNOTATOR,
        "mona@news.example",
    ]
    with Project.create(tmp_path / "fresh.sqlite") as fresh:
        import_paths(fresh, [out], fmt="labelstudio")
        assert fresh.annotators() == ["gold", "model:huda", "model:sami", "mona@news.example"]
        assert layer_contents(fresh, "model:sami") == layer_contents(layered, "sami")
        # ...and written again as predictions, a model: layer keeps its version.
        again = tmp_path / "again.json"
        export(fresh, again, fmt="labelstudio", options={"predictions": ["model:sami"]})
    [task] = json.loads(again.read_text(encoding="utf-8"))
    assert [p["model_version"] for p in task["predictions"]] == ["sami"]


def test_label_studio_users_predictions_and_cancelled_work_each_become_a_layer(project, tmp_path):
    putin = [region("p", "بوتين", "PER")]
    moscow = [region("m", "موسكو", "GPE")]
    washington = [region("w", "واشنطن", "GPE")]
    task = {
        "id": 4211,
        "data": {"text": TEXT},
        "annotations": [
            {"completed_by": 10, "result": putin},  # Label Studio's default export
            {"completed_by": {"id": 11, "email": "huda@news.example"}, "result": moscow},
            {"completed_by": {"id": 12, "first_name": "Sami"}, "result": washington},
            {"result": moscow},  # no user: --annotator, else the importing user
            {"completed_by": 13, "was_cancelled": True, "result": washington},
        ],
        "predictions": [
            {"model_version": "camelbert-v1", "result": putin + moscow},
            {"model_version": "camelbert-v2", "result": washington},
            {"result": putin},
        ],
    }
    path = write_tasks(tmp_path / "ls.json", [task])
    report = ReadReport()
    import_paths(project, [path], fmt="labelstudio", annotator="ali", read_report=report)
    assert read_back(project) == {
        "labelstudio:10": {"بوتين/PER"},
        "huda@news.example": {"موسكو/GPE"},
        "labelstudio:12": {"واشنطن/GPE"},
        "ali": {"موسكو/GPE"},
        "model:camelbert-v1": {"بوتين/PER", "موسكو/GPE"},
        "model:camelbert-v2": {"واشنطن/GPE"},
        "model:undefined": {"بوتين/PER"},
    }
    assert report.lines() == ["1 cancelled annotation(s) skipped: task 1 (id 4211)"]
    assert "layer model:camelbert-v1: 2 span(s), 0 relation(s)" in report.layer_lines()
    # Written back, a user id goes as the id Label Studio knows, an e-mail as an e-mail.
    out = tmp_path / "back.json"
    export(project, out, fmt="labelstudio", options={"predictions": ["model:camelbert-v2"]})
    [back] = json.loads(out.read_text(encoding="utf-8"))
    users = [a["completed_by"] for a in back["annotations"]]
    assert 10 in users and 12 in users and {"email": "huda@news.example"} in users
    assert [p["model_version"] for p in back["predictions"]] == ["camelbert-v2"]


def test_without_annotator_the_unnamed_annotation_is_the_importing_users(project, tmp_path):
    task = {"data": {"text": TEXT}, "annotations": [{"result": [region("p", "بوتين", "PER")]}]}
    import_paths(project, [write_tasks(tmp_path / "ls.json", [task])], fmt="labelstudio")
    assert read_back(project) == {"tester": {"بوتين/PER"}}


def test_a_name_used_twice_in_a_task_gives_a_second_layer_and_is_reported(project, tmp_path):
    task = {
        "data": {"text": TEXT},
        "annotations": [
            {"completed_by": 10, "result": [region("p", "بوتين", "PER")]},
            {"completed_by": 10, "result": [region("p", "بوتين", "ORG")]},
        ],
    }
    report = ReadReport()
    path = write_tasks(tmp_path / "ls.json", [task])
    import_paths(project, [path], fmt="labelstudio", read_report=report)
    assert read_back(project) == {
        "labelstudio:10": {"بوتين/PER"},
        "labelstudio:10#2": {"بوتين/ORG"},
    }
    [line] = report.lines()
    assert line.startswith("1 annotation(s) or prediction(s) named like an earlier one")
    assert line.endswith(": task 1 labelstudio:10#2")


@pytest.mark.parametrize(
    ("raw", "selected", "note"),
    [
        # Windows line ends; Label Studio's value.text holds the newline as the browser gave it.
        (
            "قال الكرملين في بيان\r\nإن الحوار مستمر",
            "بيان\nإن",
            "whose value.text differs from the task's text only in spaces or line breaks",
        ),
        # A browser folds the double space of the selection into one.
        ("قال الكرملين  في بيان\nإن الحوار", "الكرملين في", "only in spaces or line breaks"),
    ],
)
def test_a_region_across_a_line_break_is_read_by_its_offsets_and_reported(
    raw, selected, note, project, tmp_path
):
    words = selected.replace("\n", "\r\n") if "\r\n" in raw else selected.replace(" ", "  ")
    start = raw.index(words)
    value = {"start": start, "end": start + len(words), "text": selected, "labels": ["QUOTE"]}
    result = [
        {"id": "q", "from_name": "label", "to_name": "text", "type": "labels", "value": value}
    ]
    task = {"id": 8, "data": {"text": raw}, "annotations": [{"result": result}]}
    report = ReadReport()
    path = write_tasks(tmp_path / "ls.json", [task])
    import_paths(project, [path], fmt="labelstudio", read_report=report)
    [doc_id] = project.document_ids()
    [span] = project.spans(doc_id)
    stored = project.document(doc_id).text
    assert "\r" not in stored
    assert span.text_in(stored) == words.replace("\r\n", "\n")
    [line] = report.lines()
    assert (
        line.startswith("1 region(s) ") and note in line and line.endswith("task 1 (id 8) region q")
    )


def test_offsets_that_count_crlf_as_one_character_are_read_when_the_text_confirms_them(
    project, tmp_path
):
    raw = "عاجل\r\nقال الكرملين\r\nإن موسكو مستعدة"
    browser = raw.replace("\r\n", "\n")  # the text as a browser shows it
    start = browser.index("موسكو")
    value = {"start": start, "end": start + 5, "text": "موسكو", "labels": ["GPE"]}
    result = [
        {"id": "g", "from_name": "label", "to_name": "text", "type": "labels", "value": value}
    ]
    report = ReadReport()
    path = write_tasks(
        tmp_path / "ls.json", [{"data": {"text": raw}, "annotations": [{"result": result}]}]
    )
    import_paths(project, [path], fmt="labelstudio", read_report=report)
    [doc_id] = project.document_ids()
    [span] = project.spans(doc_id)
    assert span.text_in(project.document(doc_id).text) == "موسكو"
    assert report.lines() == [
        "1 region(s) whose offsets count each \\r\\n line break as one character: task 1 region g"
    ]


def test_a_mismatch_that_remains_names_the_task_not_only_line_1(project, tmp_path):
    good = {"id": 100 + 0, "data": {"text": TEXT}, "annotations": []}
    bad_region = region("abc", "موسكو", "GPE")
    bad_region["value"]["start"] += 1  # counted in UTF-16 after an emoji, say
    bad_region["value"]["end"] += 1
    tasks = [dict(good, id=100 + k, data={"text": f"{TEXT} {k}"}) for k in range(16)]
    tasks.append({"id": 4211, "data": {"text": TEXT}, "annotations": [{"result": [bad_region]}]})
    path = write_tasks(tmp_path / "ls.json", tasks)
    with pytest.raises(InputError) as caught:
        import_paths(project, [path], fmt="labelstudio")
    assert str(caught.value).startswith(f"{path}:1: task 17 (id 4211): region abc: [")
    assert "(offsets must count code points)" in str(caught.value)
    assert project.document_count() == 0


def test_an_error_found_by_the_project_names_the_task_too(project, tmp_path):
    tasks = [
        {"id": 1, "data": {"text": TEXT}},
        {
            "id": 9,
            "data": {"text": TEXT + "."},
            "annotations": [{"result": [region("x", "بوتين", "Person")]}],
        },
    ]
    path = write_tasks(tmp_path / "ls.json", tasks)
    with pytest.raises(InputError) as caught:
        import_paths(project, [path], fmt="labelstudio")
    assert str(caught.value).startswith(f"{path}:1: task 2 (id 9): unknown label 'Person'")
    assert project.document_count() == 0


def test_a_relation_without_a_label_gets_the_one_type_that_fits_or_is_skipped(project, tmp_path):
    text = "قال بوتين إن موسكو مستعدة للحوار"
    result = [
        region("cue", "قال", "CUE", text),
        region("per", "بوتين", "PER", text),
        region("quote", "موسكو مستعدة للحوار", "QUOTE", text),
        # QUOTE -> PER: only SPEAKER fits; QUOTE -> CUE drawn leftwards: only CUE fits.
        {"from_id": "quote", "to_id": "per", "type": "relation", "direction": "right"},
        {"from_id": "cue", "to_id": "quote", "type": "relation", "direction": "left", "labels": []},
        # PER -> CUE: no type of the schema starts at a PER.
        {"from_id": "per", "to_id": "cue", "type": "relation", "direction": "right"},
    ]
    task = {"id": 3, "data": {"text": text}, "annotations": [{"result": result}]}
    report = ReadReport()
    path = write_tasks(tmp_path / "ls.json", [task])
    import_paths(project, [path], fmt="labelstudio", read_report=report)
    [doc_id] = project.document_ids()
    spans = {s.id: s.text_in(text) for s in project.spans(doc_id)}
    links = {(r.type, spans[r.head], spans[r.tail]) for r in project.relations(doc_id)}
    assert links == {
        ("SPEAKER", "موسكو مستعدة للحوار", "بوتين"),
        ("CUE", "موسكو مستعدة للحوار", "قال"),
    }
    assert report.lines() == [
        "2 relation(s) without a label read as the one type the schema allows between their"
        " spans: task 1 (id 3) QUOTE->PER SPEAKER, task 1 (id 3) QUOTE->CUE CUE",
        "1 relation(s) without a label skipped: no single type of the schema fits their spans:"
        " task 1 (id 3) PER->CUE",
    ]


def test_a_task_with_empty_text_is_skipped_and_reported(project, tmp_path):
    tasks = [
        {
            "id": 1,
            "data": {"text": TEXT},
            "annotations": [{"result": [region("p", "بوتين", "PER")]}],
        },
        {"id": 2, "data": {"text": ""}, "annotations": []},
        {"id": 3, "data": {"text": " \n "}},
    ]
    report = ReadReport()
    path = write_tasks(tmp_path / "ls.json", tasks)
    import_paths(project, [path], fmt="labelstudio", read_report=report)
    assert project.document_count() == 1
    assert report.lines() == ["2 task(s) with empty text skipped: task 2 (id 2), task 3 (id 3)"]
