"""`annotator export` and `annotator import` for the training formats, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.store import Project

from conftest import SEED_EXAMPLE, SEED_ID, SEED_TXT


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def seeded_file(tmp_path: Path) -> Path:
    path = tmp_path / "news.sqlite"
    assert run("init", path).exit_code == 0
    assert run("import", path, SEED_TXT).exit_code == 0
    assert run("import", path, SEED_EXAMPLE, "--format", "native").exit_code == 0
    return path


def test_export_doccano_prints_a_summary_and_the_doccano_settings_it_needs(seeded_file, tmp_path):
    out = tmp_path / "news.jsonl"
    result = run("export", seeded_file, out, "--format", "doccano", "--annotator", "example")
    assert result.exit_code == 0, result.output
    summary, overlap, relations, attributes = result.output.splitlines()
    assert summary == f"wrote 1 document(s), 88 span(s) to {out} (doccano)"
    assert overlap.startswith('40 span(s) would be dropped by a doccano project without "Allow')
    assert relations.startswith("35 relation(s): import the file into a doccano Sequence")
    # The example's 18 quotes and claims each have one attribute: said, not dropped silently.
    assert attributes.startswith("18 span attribute(s) not in the file (doccano has no attrib")
    assert len(json.loads(out.read_text(encoding="utf-8"))["entities"]) == 88


def test_export_reports_a_span_cut_inside_a_word(seeded_file, tmp_path):
    with Project.open(seeded_file, annotator="sloppy") as project:
        text = project.document(SEED_ID).text
        start = text.index("لافروف")
        project.add_span(SEED_ID, start, start + 4, "PER")
    out = tmp_path / "ner.conll"
    result = run("export", seeded_file, out, "--format", "conll", "--annotator", "sloppy")
    assert result.exit_code == 0, result.output
    assert "1 span(s) left out: an edge falls inside a token" in result.output
    assert "«لافر» cuts token(s) «لافروف»" in result.output


def hf_split(project: Path, out: Path, seed: int):
    return run(
        "export", project, out, "--format", "hf", "--split", "80,10,10", "--seed", seed,
        "--label", "PER",
    )  # fmt: skip


def test_export_hf_with_split_refuses_an_empty_part_and_counts_each_part(seeded_file, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "ner.jsonl"
    alone = hf_split(seeded_file, out, 1)  # one article cannot fill three parts
    assert alone.exit_code != 0 and len(alone.output.strip().splitlines()) == 1
    assert "would leave the dev and test parts empty (1 document(s): train 1, dev 0, test 0)" in (
        alone.output
    )
    assert "use two parts (e.g. --split 80,20) or export without --split" in alone.output
    with Project.open(seeded_file) as project:
        for n in range(11):
            project.add_document(f"قال بوتين إن موسكو مستعدة للحوار {n}", doc_id=f"n{n:02d}")
    unlucky = hf_split(seeded_file, out, 3)  # 12 articles, none of them in dev with seed 3
    assert unlucky.exit_code != 0
    assert "leave the dev part empty (12 document(s): train 10, dev 0, test 2)" in unlucky.output
    assert "try another --seed" in unlucky.output
    assert list(folder.iterdir()) == []
    result = hf_split(seeded_file, out, 1)
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in folder.iterdir())
    assert written == ["ner.dev.jsonl", "ner.labels.json", "ner.test.jsonl", "ner.train.jsonl"]
    assert json.loads((folder / "ner.labels.json").read_text()) == ["O", "B-PER", "I-PER"]
    for name, count in [("train", 9), ("dev", 1), ("test", 2)]:
        part = folder / f"ner.{name}.jsonl"
        lines = part.read_text(encoding="utf-8").splitlines()
        assert len({json.loads(line)["doc_id"] for line in lines}) == count
        assert f"  {name}: {count} document(s) in {part}" in result.output.splitlines()


def test_export_gold_of_a_project_without_gold(seeded_file, tmp_path):
    gold = run("export", seeded_file, tmp_path / "gold.jsonl", "--format", "doccano", "--gold")
    assert gold.exit_code == 0 and "wrote 1 document(s) to" in gold.output
    assert json.loads((tmp_path / "gold.jsonl").read_text())["entities"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--gold", "--annotator", "mona"], "either the gold layer or annotators"),
        (["--split", "80,ten,10"], "--split takes numbers"),
        (["--label", "PERSON"], "unknown label 'PERSON'"),
    ],
)
def test_export_errors_are_one_line_without_traceback(seeded_file, tmp_path, args, message):
    result = run("export", seeded_file, tmp_path / "x.jsonl", "--format", "hf", *args)
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert list(tmp_path.glob("x*")) == []


def test_import_conll_and_doccano_with_an_annotator(tmp_path):
    project = tmp_path / "p.sqlite"
    run("init", project)
    conll = tmp_path / "anercorp.txt"
    conll.write_text("قال O\nسيرجي B-PER\nلافروف I-PER\n. O\n", encoding="utf-8")
    result = run("import", project, conll, "--format", "conll", "--annotator", "anercorp")
    assert result.exit_code == 0, result.output
    assert "imported 1 document(s), 1 span(s)" in result.output
    doccano = tmp_path / "d.jsonl"
    line = {
        "text": "قال بوتين",
        "entities": [{"id": 1, "label": "PER", "start_offset": 4, "end_offset": 9}],
    }
    doccano.write_text(json.dumps(line, ensure_ascii=False), encoding="utf-8")
    result = run("import", project, doccano, "--format", "doccano", "--annotator", "model")
    assert result.exit_code == 0, result.output
    with Project.open(project, read_only=True) as opened:
        assert opened.annotators() == ["anercorp", "model"]


def test_import_error_names_file_and_line_in_one_line(tmp_path):
    project = tmp_path / "p.sqlite"
    run("init", project)
    bad = tmp_path / "bad.conll"
    bad.write_text("قال O\nسيرجي\n", encoding="utf-8")
    result = run("import", project, bad, "--format", "conll", "--annotator", "x")
    assert result.exit_code == 2
    assert result.output == f"error: {bad}:2: expected 'token TAG', got 'سيرجي'\n"
    with Project.open(project, read_only=True) as opened:
        assert opened.document_count() == 0
