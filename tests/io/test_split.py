"""Selection and the deterministic document-level split: one file per part."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.errors import Cancelled, InputError
from annotator.io import operations
from annotator.io.alignment import ExportReport
from annotator.io.operations import Selection, export
from annotator.io.split import Split, part_path
from annotator.model.document import GOLD_ANNOTATOR, DocumentRecord, Span
from annotator.store import Project


def ids_in(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def many(project: Project) -> Project:
    for n in range(60):
        project.add_document(f"خبر رقم {n} عن موسكو", doc_id=f"d{n:03d}")
    return project


def test_split_writes_one_file_per_part_covering_every_document_once(many, tmp_path):
    out = tmp_path / "news.jsonl"
    report = ExportReport()
    count = export(many, out, fmt="native", split=Split.parse("80,10,10", seed=7), report=report)
    parts = {name: ids_in(tmp_path / f"news.{name}.jsonl") for name in ("train", "dev", "test")}
    assert count == 60 and not out.exists()
    assert sorted(d for ids in parts.values() for d in ids) == many.document_ids()
    assert 36 <= len(parts["train"]) <= 57 and parts["dev"] and parts["test"]
    assert report.files == [tmp_path / f"news.{n}.jsonl" for n in ("train", "dev", "test")]


def test_same_seed_same_split_and_adding_documents_moves_none(many):
    split = Split.parse("80,10,10", seed=7)
    before = {d: split.part_of(d) for d in many.document_ids()}
    for n in range(60, 200):
        many.add_document(f"خبر جديد {n}", doc_id=f"d{n:03d}")
    again = Split.parse("80,10,10", seed=7)
    assert {d: again.part_of(d) for d in before} == before
    other = Split.parse("80,10,10", seed=8)
    assert {d: other.part_of(d) for d in before} != before


def test_shares_follow_the_weights_on_many_ids():
    split = Split.parse("80,10,10", seed=1)
    parts = [split.part_of(f"doc{n}") for n in range(10_000)]
    assert 7_800 < parts.count("train") < 8_200
    assert 850 < parts.count("dev") < 1_150 and 850 < parts.count("test") < 1_150


def test_part_path_inserts_the_part_before_the_suffix(tmp_path):
    assert part_path(tmp_path / "news.jsonl", "dev") == tmp_path / "news.dev.jsonl"
    assert part_path(tmp_path / "news", "test") == tmp_path / "news.test"


@pytest.mark.parametrize("spec", ["80", "80,x,10", "-1,50,50", "0,0,0", "1,1,1,1"])
def test_a_bad_split_is_refused(spec):
    with pytest.raises(InputError, match="--split"):
        Split.parse(spec)


def test_cancel_during_a_split_leaves_no_part_behind(many, tmp_path):
    out = tmp_path / "news.jsonl"
    calls = iter(range(1000))
    with pytest.raises(Cancelled):
        export(
            many, out, fmt="native", split=Split.parse("50,50"), cancelled=lambda: next(calls) > 40
        )
    assert list(tmp_path.glob("news*")) == []


@pytest.mark.parametrize("fmt", ["native", "hf", "conll"])
def test_cancel_in_a_later_part_leaves_no_file_at_all(many, tmp_path, fmt):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "news.jsonl"
    calls = iter(range(1000))
    with pytest.raises(Cancelled):
        export(many, out, fmt=fmt, split=Split.parse("50,50"), cancelled=lambda: next(calls) > 50)
    assert list(folder.iterdir()) == []  # no part, no label list, no temporary file


def test_gold_selection_exports_only_the_gold_layer(seeded, tmp_path):
    [doc_id] = seeded.document_ids()
    # Gold arrives through review, or merged from a reviewer's project, never typed by hand.
    gold = Span("gold-1", doc_id, 79, 85, "PER", GOLD_ANNOTATOR)
    record = DocumentRecord(seeded.document(doc_id).text, spans=(gold,))
    seeded.import_documents([record], merge_annotations=True)
    out = tmp_path / "gold.jsonl"
    export(seeded, out, fmt="native", selection=Selection(gold=True))
    [record] = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [(s["start"], s["end"], s["annotator"]) for s in record["spans"]] == [
        (79, 85, GOLD_ANNOTATOR)
    ]


def test_gold_and_annotators_together_are_refused():
    with pytest.raises(InputError, match="gold"):
        Selection(annotators=("mona",), gold=True)


def test_label_and_document_selection(seeded, tmp_path):
    [doc_id] = seeded.document_ids()
    out = tmp_path / "d.jsonl"
    selection = Selection(labels=frozenset({"PER"}), doc_ids=(doc_id,))
    export(seeded, out, fmt="doccano", selection=selection)
    [record] = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert {e["label"] for e in record["entities"]} == {"PER"} and len(record["entities"]) == 17
    assert record["relations"] == []  # no relation joins two PER mentions


# ---- a part left empty is refused; each part's count is reported ------------------------------


def test_a_split_leaving_a_part_empty_is_refused_before_any_file_is_touched(
    project, tmp_path, monkeypatch
):
    opened: list[Path] = []  # every file export opens for writing, temporary ones included
    monkeypatch.setattr(operations, "atomic_write", lambda path: opened.append(path))
    for n in range(3):
        project.add_document(f"خبر رقم {n} عن موسكو", doc_id=f"d{n}")
    folder = tmp_path / "out"
    folder.mkdir()
    earlier = folder / "news.train.jsonl"  # an earlier export's part stays as it was
    earlier.write_text("earlier\n", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        export(project, folder / "news.jsonl", fmt="hf", split=Split.parse("80,10,10"))
    message = str(refused.value)
    # d0, d1, d2 all hash into train with seed 0 (80% of the range).
    assert "would leave the dev and test parts empty" in message
    assert "(3 document(s): train 3, dev 0, test 0)" in message
    assert "nothing was written" in message and "--split 80,20" in message
    assert opened == []
    assert list(folder.iterdir()) == [earlier]  # no part, no label list, no temporary file
    assert earlier.read_text(encoding="utf-8") == "earlier\n"


def test_enough_documents_but_a_part_empty_suggests_a_larger_share_or_seed(project):
    split = Split.parse("0,1,1")
    ids = [f"d{n}" for n in range(20)]
    with pytest.raises(InputError) as refused:
        split.check(ids)
    assert "leave the train part empty (20 document(s): train 0," in str(refused.value)
    assert "give train a larger share, try another --seed" in str(refused.value)
    with pytest.raises(InputError, match="no document to split"):
        split.check([])


def test_each_parts_document_count_is_reported_with_its_file(many, tmp_path):
    out = tmp_path / "news.jsonl"
    report = ExportReport()
    export(many, out, fmt="native", split=Split.parse("80,10,10", seed=7), report=report)
    expected = []
    for name in ("train", "dev", "test"):
        path = tmp_path / f"news.{name}.jsonl"
        expected.append(f"{name}: {len(ids_in(path))} document(s) in {path}")
    assert report.part_lines() == expected
    assert ExportReport().part_lines() == []  # an export without --split has no parts


def test_the_readme_shows_the_refusal_and_the_split_of_its_two_article_project():
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    articles = ["000_2024f0fe6e876b71", "cp1256"]  # what the README's import commands add
    with pytest.raises(InputError) as refused:
        Split.parse("80,10,10").check(articles)
    assert f"error: {refused.value}\n" in readme
    assert Split.parse("50,50").check(articles) == {"train": 1, "test": 1}
    assert "--format hf --annotator example --split 50,50\n" in readme


def test_every_part_of_a_split_hf_export_loads_with_datasets(many, tmp_path, monkeypatch):
    # Set before datasets is first imported, so loading needs no network.
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    from datasets import load_dataset

    report = ExportReport()
    export(many, tmp_path / "ner.jsonl", fmt="hf", split=Split.parse("80,10,10"), report=report)
    files = {name: str(path) for name, _count, path in report.parts}
    loaded = load_dataset("json", data_files=files, cache_dir=str(tmp_path / "cache"))
    for name, count, _path in report.parts:
        assert len(set(loaded[name]["doc_id"])) == count > 0
