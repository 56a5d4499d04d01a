"""spaCy/Prodigy and Hugging Face exports load in the libraries they target."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from types import ModuleType

import pytest
from emoji_sample import emoji_project_fixture  # noqa: F401 (the emoji_project fixture)

from annotator.io.alignment import ExportReport
from annotator.io.operations import Selection, export


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def consumer(name: str) -> ModuleType:
    """Import the library an export must load in: without it the proof fails, never skips."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        pytest.fail(f"{name} is part of the test extra (pip install -e '.[test]'): {exc}")


def test_spacy_shape_tokens_spans_and_relations_agree(seeded, tmp_path):
    out = tmp_path / "s.jsonl"
    report = ExportReport()
    export(seeded, out, fmt="spacy", report=report)
    [record] = read_jsonl(out)
    text, tokens = record["text"], record["tokens"]
    assert report.misaligned == 0 and len(record["spans"]) == 88
    for k, tok in enumerate(tokens):
        assert tok["id"] == k and text[tok["start"] : tok["end"]] == tok["text"]
    for span in record["spans"]:
        first, last = tokens[span["token_start"]], tokens[span["token_end"]]  # inclusive end
        assert (first["start"], last["end"]) == (span["start"], span["end"])
    assert len(record["relations"]) == 35
    for rel in record["relations"]:
        assert rel["head"] == rel["head_span"]["token_end"]
        assert rel["child"] == rel["child_span"]["token_end"]


def test_spacy_char_span_strict_finds_every_span(seeded, emoji_project, tmp_path):
    spacy = consumer("spacy")
    from spacy.tokens import Doc

    nlp = spacy.blank("ar")
    for n, project in enumerate((seeded, emoji_project)):
        out = tmp_path / f"s{n}.jsonl"
        export(project, out, fmt="spacy")
        [record] = read_jsonl(out)
        words = [t["text"] for t in record["tokens"]]
        spaces = [t["ws"] for t in record["tokens"]]
        doc = Doc(nlp.vocab, words=words, spaces=spaces)
        own = nlp(record["text"])
        agreed = 0
        for span in record["spans"]:
            found = doc.char_span(
                span["start"], span["end"], label=span["label"], alignment_mode="strict"
            )
            assert found is not None, span
            assert (found.start, found.end - 1) == (span["token_start"], span["token_end"])
            assert found.text == record["text"][span["start"] : span["end"]]
            # Where spaCy's own Arabic tokenizer puts boundaries at the same places, it agrees.
            theirs = own.char_span(span["start"], span["end"], alignment_mode="strict")
            if theirs is not None:
                assert theirs.text == found.text
                agreed += 1
        assert agreed > 0


def test_spacy_tokens_rebuild_the_stored_text_with_line_breaks_and_nbsp(emoji_project, tmp_path):
    out = tmp_path / "s.jsonl"
    export(emoji_project, out, fmt="spacy")
    [record] = read_jsonl(out)
    rebuilt = "".join(t["text"] + " " * t["ws"] for t in record["tokens"])
    assert rebuilt == record["text"]
    assert {"\u00a0", "\n"} <= {t["text"] for t in record["tokens"]}


def test_hf_tags_are_valid_bio_from_the_label_list(seeded, tmp_path):
    out = tmp_path / "ner.jsonl"
    export(seeded, out, fmt="hf")
    labels = json.loads((tmp_path / "ner.labels.json").read_text(encoding="utf-8"))
    assert labels[0] == "O" and "B-PER" in labels and "B-QUOTE" not in labels
    rows = read_jsonl(out)
    b_tags = [tag for row in rows for tag in row["ner_tags"] if tag.startswith("B-")]
    # 59 entity spans in the seed (88 less 11 QUOTE, 11 CUE, 7 CLAIM); the ORG الكرملين inside
    # the PER mention المتحدث باسم الكرملين gives way to it.
    assert len(b_tags) == 58
    for row in rows:
        assert (
            len(row["tokens"]) == len(row["ner_tags"]) and row["doc_id"] == seeded.document_ids()[0]
        )
        previous = "O"
        for tag in row["ner_tags"]:
            assert tag in labels
            if tag.startswith("I-"):
                assert previous[2:] == tag[2:]
            previous = tag


def test_hf_label_filter_makes_quotes_bio_when_asked(seeded, tmp_path):
    out = tmp_path / "q.jsonl"
    export(seeded, out, fmt="hf", selection=Selection(labels=frozenset({"QUOTE"})))
    labels = json.loads((tmp_path / "q.labels.json").read_text(encoding="utf-8"))
    assert labels == ["O", "B-QUOTE", "I-QUOTE"]
    tags = [tag for row in read_jsonl(out) for tag in row["ner_tags"]]
    assert tags.count("B-QUOTE") == 11


def test_hf_export_loads_with_datasets_offline(seeded, tmp_path, monkeypatch):
    # datasets reads these when first imported: set them before, so loading needs no network.
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    consumer("datasets")
    from datasets import load_dataset

    out = tmp_path / "ner.jsonl"
    export(seeded, out, fmt="hf")
    loaded = load_dataset(
        "json", data_files=str(out), split="train", cache_dir=str(tmp_path / "cache")
    )
    rows = read_jsonl(out)
    assert loaded.num_rows == len(rows)
    assert set(loaded.column_names) == {"id", "doc_id", "tokens", "ner_tags"}
    assert (
        loaded[0]["tokens"] == rows[0]["tokens"] and loaded[-1]["ner_tags"] == rows[-1]["ner_tags"]
    )
