"""Label Studio from the command line: the labeling config, predictions, what an import read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.paths import LABELSTUDIO_CONFIG

from conftest import SEED_EXAMPLE, SEED_TXT


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def seeded_file(tmp_path: Path) -> Path:
    path = tmp_path / "news.sqlite"
    assert run("init", path).exit_code == 0
    assert run("import", path, SEED_TXT).exit_code == 0
    assert run("import", path, SEED_EXAMPLE, "--format", "native").exit_code == 0
    return path


def test_labelstudio_config_prints_the_shipped_config_for_a_default_project(seeded_file):
    result = run("labelstudio-config", seeded_file)
    assert result.exit_code == 0, result.output
    assert result.output == LABELSTUDIO_CONFIG.read_text(encoding="utf-8")


def test_labelstudio_config_prints_the_projects_own_schema(tmp_path):
    schema = tmp_path / "own.toml"
    schema.write_text(
        'name = "own"\n[[labels]]\nid = "SOURCE"\nname_ar = "مصدر"\n', encoding="utf-8"
    )
    project = tmp_path / "own.sqlite"
    assert run("init", project, "--schema", schema).exit_code == 0
    result = run("labelstudio-config", project)
    assert result.exit_code == 0, result.output
    assert '<Label value="SOURCE" background="#cccccc" hint="SOURCE / مصدر" />' in result.output
    assert 'value="PER"' not in result.output and "<Relations>" not in result.output


def test_export_writes_a_layer_as_predictions_and_import_names_every_layer(seeded_file, tmp_path):
    out = tmp_path / "ls.json"
    result = run("export", seeded_file, out, "--format", "labelstudio", "--predictions", "example")
    assert result.exit_code == 0, result.output
    [task] = json.loads(out.read_text(encoding="utf-8"))
    assert task["annotations"] == []
    assert [p["model_version"] for p in task["predictions"]] == ["example"]

    fresh = tmp_path / "fresh.sqlite"
    assert run("init", fresh).exit_code == 0
    result = run("import", fresh, out, "--format", "labelstudio", "--annotator", "ali")
    assert result.exit_code == 0, result.output
    assert "  read layer model:example: 88 span(s), 35 relation(s)" in result.output.splitlines()


def test_an_import_reports_what_it_skipped(tmp_path):
    project = tmp_path / "p.sqlite"
    assert run("init", project).exit_code == 0
    text = "قال بوتين إن موسكو مستعدة"
    person = {"start": 4, "end": 9, "text": "بوتين", "labels": ["PER"]}
    result = [
        {"id": "p", "from_name": "label", "to_name": "text", "type": "labels", "value": person}
    ]
    tasks = [
        {"id": 1, "data": {"text": text}, "annotations": [
            {"completed_by": {"email": "huda@news.example"}, "result": result},
            {"completed_by": 5, "was_cancelled": True, "result": result},
        ]},
        {"id": 2, "data": {"text": ""}},
    ]  # fmt: skip
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    outcome = run("import", project, path, "--format", "labelstudio")
    assert outcome.exit_code == 0, outcome.output
    lines = outcome.output.splitlines()
    assert "  read layer huda@news.example: 1 span(s), 0 relation(s)" in lines
    assert "1 cancelled annotation(s) skipped: task 1 (id 1)" in lines
    assert "1 task(s) with empty text skipped: task 2 (id 2)" in lines


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "native"), "--predictions needs --format labelstudio"),
        (("--format", "labelstudio", "--predictions", "ghost"), "the project has no such layer"),
        (
            ("--format", "labelstudio", "--annotator", "other", "--predictions", "example"),
            "that layer is not exported (add --annotator example)",
        ),
    ],
)
def test_export_predictions_refuses_what_it_cannot_write(seeded_file, tmp_path, args, message):
    if "--predictions" not in args:
        args = (*args, "--predictions", "example")
    result = run("export", seeded_file, tmp_path / "out.json", *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not (tmp_path / "out.json").exists()
