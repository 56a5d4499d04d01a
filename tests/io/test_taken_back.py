"""Work sent to doccano and Label Studio, annotated there by several people, and taken back.

The project holds three people's layers of the seed article (the example annotation split
between mona, sami and huda, and gold). Each leg goes out in the tool's export, comes back in the
shape the other program exports (its own ids for every entity and region, Label Studio's user
ids for who annotated), and is imported into the project it came from. Unchanged work must
leave the project byte for byte as it was; corrections made there must land on the same
annotations, and everything else be said.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from labelstudio_sample import LAYERS, layered_fixture  # noqa: F401  (fixture)

from annotator.cli import main
from annotator.io.operations import Selection, export
from annotator.store import Project

PEOPLE = ("mona@news.example", "sami", "huda")


def _run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def _native(project: Path, out: Path) -> bytes:
    with Project.open(project, read_only=True) as opened:
        export(opened, out, fmt="native")
    return out.read_bytes()


def _doccano_export_of(path: Path, first_id: int) -> list[dict[str, Any]]:
    """What doccano's JSONL(Relation) export gives back: its own ids for entities, relations."""
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for k, line in enumerate(lines):
        ids = {e["id"]: first_id + 10 * k + n for n, e in enumerate(line["entities"])}
        for entity in line["entities"]:
            entity["id"] = ids[entity["id"]]
        for n, rel in enumerate(line["relations"]):
            rel.update(id=first_id + 7 * n, from_id=ids[rel["from_id"]], to_id=ids[rel["to_id"]])
    return lines


def _write_lines(path: Path, lines: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), "utf-8")
    return path


def test_doccano_round_trip_of_each_person_changes_nothing(
    layered: Project, tmp_path: Path
) -> None:
    path = layered.path
    layered.close()
    before = _native(path, tmp_path / "before.jsonl")
    for k, person in enumerate(PEOPLE):
        out = tmp_path / f"{k}.jsonl"
        code, _, err = _run("export", path, out, "--format", "doccano", "--annotator", person)
        assert code == 0, err
        back = _write_lines(tmp_path / f"back{k}.jsonl", _doccano_export_of(out, 9000 + 500 * k))
        code, stdout, err = _run("import", path, back, "--format", "doccano", "--annotator", person)
        assert code == 0, err
        assert "imported 0 document(s), 0 span(s), 0 relation(s)" in stdout
        assert "NOT applied" not in err and "kept" not in err and "updated" not in err
    # Spans, links, attributes (which doccano never had), ids and layers: all as they were.
    assert _native(path, tmp_path / "after.jsonl") == before


def test_corrections_made_in_doccano_land_on_the_same_annotations(
    layered: Project, tmp_path: Path
) -> None:
    path = layered.path
    [doc_id] = layered.document_ids()
    text = layered.document(doc_id).text
    sami = {(s.start, s.end): s for s in layered.spans(doc_id, ["sami"])}
    layered.close()
    out = tmp_path / "sami.jsonl"
    assert _run("export", path, out, "--format", "doccano", "--annotator", "sami")[0] == 0
    [line] = _doccano_export_of(out, 4000)
    entities = line["entities"]
    # In doccano sami relabels the first entity, deletes the second, adds one on «الخميس».
    first, second = entities[0], entities[1]
    first["label"] = "ORG" if first["label"] != "ORG" else "PER"
    entities.remove(second)
    line["relations"] = [
        r for r in line["relations"] if second["id"] not in (r["from_id"], r["to_id"])
    ]
    day = text.index("الخميس")
    entities.append({"id": 4999, "label": "DATE", "start_offset": day, "end_offset": day + 6})
    assert text.isascii() is False and all(ord(c) < 0x10000 for c in text[: day + 6])
    back = _write_lines(tmp_path / "back.jsonl", [line])
    code, stdout, err = _run("import", path, back, "--format", "doccano", "--annotator", "sami")
    assert code == 0, err
    assert "imported 0 document(s), 1 span(s), 0 relation(s)" in stdout
    assert "updated 1 annotation(s) that the files changed" in err
    assert "1 annotation(s) of the layers the files bring are in the project but not in" in err
    with Project.open(path, read_only=True) as opened:
        after = {(s.start, s.end): s for s in opened.spans(doc_id, ["sami"])}
    moved = next(k for k in sami if sami[k].label != after.get(k, sami[k]).label)
    assert after[moved].id == sami[moved].id  # the same annotation, relabelled in place
    assert after[(day, day + 6)].label == "DATE"
    assert text[day : day + 6] == "الخميس"
    # The deleted one is kept until asked: --remove-missing takes it out.
    code, _, err = _run(
        "import", path, back, "--format", "doccano", "--annotator", "sami", "--remove-missing"
    )
    assert code == 0 and "removed 1 annotation(s)" in err
    with Project.open(path, read_only=True) as opened:
        assert len(opened.spans(doc_id, ["sami"])) == len(sami)  # one gone, one added


def _label_studio_export_of(path: Path, users: dict[str, int]) -> list[dict[str, Any]]:
    """What Label Studio's JSON export gives back: region ids of its own, user ids."""
    tasks = json.loads(path.read_text(encoding="utf-8"))
    for t, task in enumerate(tasks):
        task["id"] = 7000 + t
        for a, annotation in enumerate(task["annotations"]):
            email = annotation["completed_by"]["email"]
            annotation["completed_by"] = users[email]
            annotation["id"] = 100 + a
            regions: dict[str, str] = {}
            for r, result in enumerate(annotation["result"]):
                if "id" in result:
                    result["id"] = regions.setdefault(result["id"], f"LS{a}x{r:04d}")
            for result in annotation["result"]:
                if result.get("type") == "relation":
                    result["from_id"] = regions[result["from_id"]]
                    result["to_id"] = regions[result["to_id"]]
    return tasks


def test_label_studio_round_trip_with_user_ids_changes_nothing(
    layered: Project, tmp_path: Path
) -> None:
    path = layered.path
    layered.close()
    before = _native(path, tmp_path / "before.jsonl")
    out = tmp_path / "tasks.json"
    with Project.open(path, read_only=True) as opened:
        export(opened, out, fmt="labelstudio", selection=Selection())
    users = {name: k + 1 for k, name in enumerate(LAYERS)}
    back = tmp_path / "ls-export.json"
    back.write_text(json.dumps(_label_studio_export_of(out, users), ensure_ascii=False), "utf-8")
    renames = [f"--annotator-map=labelstudio:{n}={name}" for name, n in users.items()]
    code, stdout, err = _run("import", path, back, "--format", "labelstudio", *renames)
    assert code == 0, err
    assert "imported 0 document(s), 0 span(s), 0 relation(s)" in stdout
    for name in LAYERS:
        assert f"read layer {name}:" in stdout
    assert "NOT applied" not in err and "updated" not in err
    assert _native(path, tmp_path / "after.jsonl") == before


def test_label_studio_user_ids_without_a_map_are_new_layers_never_copies_into_others(
    layered: Project, tmp_path: Path
) -> None:
    path = layered.path
    layered.close()
    out = tmp_path / "tasks.json"
    with Project.open(path, read_only=True) as opened:
        export(opened, out, fmt="labelstudio", selection=Selection(annotators=("huda",)))
        huda = len(opened.spans(opened.document_ids()[0], ["huda"]))
    back = tmp_path / "ls-export.json"
    tasks = _label_studio_export_of(out, {"huda": 3})
    back.write_text(json.dumps(tasks, ensure_ascii=False), "utf-8")
    code, stdout, err = _run("import", path, back, "--format", "labelstudio")
    assert code == 0, err
    assert f"read layer labelstudio:3: {huda} span(s)" in stdout  # said, so it can be mapped
    with Project.open(path, read_only=True) as opened:
        doc_id = opened.document_ids()[0]
        assert len(opened.spans(doc_id, ["labelstudio:3"])) == huda
        assert len(opened.spans(doc_id, ["huda"])) == huda  # untouched
