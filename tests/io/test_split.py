"""Selection and the deterministic document-level split: one file per part."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.errors import Cancelled, InputError
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
