"""Label Studio JSON: the documented task shape, code-point offsets, attributes, round trip."""

from __future__ import annotations

import json

import pytest
from emoji_sample import emoji_project_fixture  # noqa: F401 (the emoji_project fixture)

from annotator.errors import InputError
from annotator.io.operations import Selection, export, import_paths
from annotator.store import Project


def test_tasks_have_the_documented_shape_and_regions_slice_their_text(seeded, tmp_path):
    # https://labelstud.io/guide/task_format and https://labelstud.io/templates/named_entity:
    # a list of tasks {data: {text}, annotations: [{result: [...]}]}; a "labels" result has
    # id, from_name, to_name, type and value {start, end, text, labels}; a "relation" result
    # has from_id, to_id, type "relation", direction and labels. A task has an integer id
    # (converters need it); the annotation names its annotator as Label Studio imports it
    # (completed_by: {"email": ...}) and is ground truth only for the gold layer.
    out = tmp_path / "ls.json"
    export(seeded, out, fmt="labelstudio")
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(tasks, list) and len(tasks) == 1
    assert tasks[0]["id"] == 1 and tasks[0]["data"]["doc_id"] == "000_2024f0fe6e876b71"
    text = tasks[0]["data"]["text"]
    [annotation] = tasks[0]["annotations"]
    assert annotation["completed_by"] == {"email": "example"}
    assert annotation["ground_truth"] is False
    assert tasks[0]["predictions"] == []
    regions = [r for r in annotation["result"] if r["type"] == "labels"]
    relations = [r for r in annotation["result"] if r["type"] == "relation"]
    assert len(regions) == 88 and len(relations) == 35
    for region in regions:
        assert {"id", "from_name", "to_name", "type", "value"} <= set(region)
        value = region["value"]
        assert text[value["start"] : value["end"]] == value["text"]
        assert len(value["labels"]) == 1
    ids = {r["id"] for r in regions}
    assert len(ids) == len(regions)
    for rel in relations:
        assert rel["from_id"] in ids and rel["to_id"] in ids
        assert rel["direction"] == "right" and len(rel["labels"]) == 1


def test_offsets_after_an_emoji_are_code_points(emoji_project, tmp_path):
    out = tmp_path / "ls.json"
    export(emoji_project, out, fmt="labelstudio")
    [task] = json.loads(out.read_text(encoding="utf-8"))
    text = task["data"]["text"]
    starts = {
        r["value"]["text"]: r["value"]["start"]
        for r in task["annotations"][0]["result"]
        if r["type"] == "labels"
    }
    assert starts["صباح اليوم"] == text.index("صباح اليوم")


def snapshot(project: Project, annotator: str | None = None) -> tuple[set, set]:
    names = [annotator] if annotator else None
    [doc_id] = project.document_ids()
    spans = {s.id: s for s in project.spans(doc_id, names)}
    return (
        {(s.start, s.end, s.label, tuple(sorted(s.attrs.items()))) for s in spans.values()},
        {
            (r.type, spans[r.head].start, spans[r.head].label, spans[r.tail].start)
            for r in project.relations(doc_id, names)
        },
    )


@pytest.mark.parametrize(("fixture", "layer"), [("seeded", "example"), ("emoji_project", "mona")])
def test_round_trip_keeps_spans_attributes_relations_and_the_layer(
    fixture, layer, request, tmp_path
):
    source = request.getfixturevalue(fixture)
    out = tmp_path / "ls.json"
    export(source, out, fmt="labelstudio")
    with Project.create(tmp_path / "fresh.sqlite") as fresh:
        # --annotator names only annotations without completed_by: the file names this one.
        import_paths(fresh, [out], fmt="labelstudio", annotator="ls")
        assert fresh.annotators() == [layer]
        assert snapshot(fresh, layer) == snapshot(source)


def test_quote_type_mixed_survives_the_round_trip(seeded, tmp_path):
    out = tmp_path / "ls.json"
    export(seeded, out, fmt="labelstudio", selection=Selection(labels=frozenset({"QUOTE"})))
    with Project.create(tmp_path / "fresh.sqlite") as fresh:
        import_paths(fresh, [out], fmt="labelstudio")
        [doc_id] = fresh.document_ids()
        types = sorted(s.attrs["type"] for s in fresh.spans(doc_id))
    assert types == ["direct"] * 3 + ["indirect"] * 7 + ["mixed"]


def write_tasks(path, tasks) -> None:
    path.write_text(json.dumps(tasks, ensure_ascii=False, indent=2), encoding="utf-8")


def region(rid: str, text: str, needle: str, label: str) -> dict:
    start = text.index(needle)
    value = {"start": start, "end": start + len(needle), "text": needle, "labels": [label]}
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels", "value": value}


def test_a_left_relation_is_turned_around_and_predictions_import_when_no_annotation(
    project, tmp_path
):
    text = "قال بوتين إن الحوار مستمر"
    result = [
        region("a", text, "قال", "CUE"),
        region("b", text, "الحوار مستمر", "QUOTE"),
        {"from_id": "a", "to_id": "b", "type": "relation", "direction": "left", "labels": ["CUE"]},
    ]
    path = tmp_path / "ls.json"
    write_tasks(path, [{"data": {"text": text}, "predictions": [{"result": result}]}])
    import_paths(project, [path], fmt="labelstudio", annotator="model")
    [doc_id] = project.document_ids()
    [rel] = project.relations(doc_id)
    assert project.span(doc_id, rel.head).label == "QUOTE"
    assert project.span(doc_id, rel.tail).label == "CUE"
    # A prediction without model_version is version "undefined", as Label Studio reads it.
    assert rel.annotator == "model:undefined"


def test_a_region_whose_offsets_miss_its_text_names_the_task_and_its_line(project, tmp_path):
    text = "عاجل 🔴 الرئاسة الروسية"
    bad = region("a", text, "الرئاسة", "ORG")
    bad["value"]["start"] += 1  # UTF-16 counting, as a converter from doccano might do
    bad["value"]["end"] += 1
    path = tmp_path / "ls.json"
    write_tasks(
        path,
        [{"data": {"text": "نص"}}, {"data": {"text": text}, "annotations": [{"result": [bad]}]}],
    )
    with pytest.raises(InputError, match="code points") as caught:
        import_paths(project, [path], fmt="labelstudio")
    task_starts = [
        n for n, x in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if x == "  {"
    ]
    line = task_starts[1]
    assert str(caught.value).startswith(f"{path}:{line}: task 2: region a: [")
    assert project.document_count() == 0


def test_a_file_that_is_not_a_task_list_is_one_clear_error(project, tmp_path):
    path = tmp_path / "ls.json"
    path.write_text('[{"data": {"text": "نص"}} {"data": {}}]', encoding="utf-8")
    with pytest.raises(InputError, match="expected , or ]"):
        import_paths(project, [path], fmt="labelstudio")
    assert project.document_count() == 0
