"""Quotes and claims exports: one record per quote or claim, with every linked mention, a context
holding them all, the offset unit and the schema version."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest

from annotator.io.operations import export
from annotator.model.schema import load_default_schema, parse_schema
from annotator.paths import DEFAULT_SCHEMA
from annotator.store import Project

# Three sentences: Putin and Peskov meet; Putin said and Peskov added that dialogue is possible;
# Lavrov declared that Washington has not answered yet.
S1 = "التقى بوتين وبيسكوف أمس في موسكو."
S2 = "وقال بوتين وأضاف بيسكوف إن الحوار ممكن."
S3 = "وصرح لافروف بأن واشنطن لم ترد بعد."
TEXT = f"{S1} {S2} {S3}"
OFFSETS = {"unit": "code_point", "end": "exclusive"}


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def at(word: str, sentence: str) -> tuple[int, int]:
    """Return the offsets of ``word`` in ``sentence`` of TEXT."""
    start = TEXT.index(sentence) + sentence.index(word)
    return start, start + len(word)


def assert_context_holds(record: dict[str, Any], text: str, mentions: list[dict[str, Any]]) -> None:
    """The context is the document's text at its offsets and holds each mention at its offsets."""
    context = record["context"]
    a = context["start"]
    assert text[a : context["end"]] == context["text"]
    for m in [record, *mentions]:
        assert text[m["start"] : m["end"]] == m["text"]
        assert context["text"][m["start"] - a : m["end"] - a] == m["text"]


@pytest.fixture
def linked(project: Project) -> Project:
    """One quote with three speakers and three cues over two sentences; one claim with two
    claimants (one a sentence before) carried by two quotes."""
    doc = project.add_document(TEXT, doc_id="d1").id

    def span(word: str, sentence: str, label: str, **attrs: str) -> str:
        start, end = at(word, sentence)
        return project.add_span(doc, start, end, label, attrs=attrs).id

    quote = span("الحوار ممكن", S2, "QUOTE", type="indirect")
    for name, sentence in [("لافروف", S3), ("بوتين", S2), ("بيسكوف", S2)]:
        project.add_relation(doc, "SPEAKER", quote, span(name, sentence, "PER"))
    for cue, sentence in [("صرح", S3), ("قال", S2), ("أضاف", S2)]:
        project.add_relation(doc, "CUE", quote, span(cue, sentence, "CUE"))
    second = span("واشنطن لم ترد بعد", S3, "QUOTE", type="indirect")
    claim = span("واشنطن لم ترد بعد", S3, "CLAIM", check_worthy="yes")
    project.add_relation(doc, "CLAIMANT", claim, span("لافروف", S3, "PER"))
    project.add_relation(doc, "CLAIMANT", claim, span("بوتين", S1, "PER"))
    project.add_relation(doc, "CARRIED_BY", claim, second)
    project.add_relation(doc, "CARRIED_BY", claim, quote)
    return project


def test_a_quote_lists_every_speaker_and_cue_and_its_context_holds_them(linked, tmp_path):
    out = tmp_path / "quotes.jsonl"
    export(linked, out, fmt="quotes")
    by_text = {q["text"]: q for q in read_jsonl(out)}
    record = by_text["الحوار ممكن"]
    assert [s["text"] for s in record["speakers"]] == ["بوتين", "بيسكوف", "لافروف"]
    assert [(s["start"], s["end"]) for s in record["speakers"]] == [
        at("بوتين", S2), at("بيسكوف", S2), at("لافروف", S3)
    ]  # fmt: skip
    assert [c["text"] for c in record["cues"]] == ["قال", "أضاف", "صرح"]
    assert {c["label"] for c in record["cues"]} == {"CUE"}
    # From the quote's own sentence to Lavrov's, whole sentences.
    assert record["context"]["text"] == f"{S2} {S3}"
    assert_context_holds(record, TEXT, record["speakers"] + record["cues"])
    assert by_text["واشنطن لم ترد بعد"]["speakers"] == []
    assert by_text["واشنطن لم ترد بعد"]["context"]["text"] == S3


def test_a_claim_lists_every_claimant_and_quote_and_its_context_holds_them(linked, tmp_path):
    out = tmp_path / "claims.jsonl"
    export(linked, out, fmt="claims")
    [record] = read_jsonl(out)
    assert [c["text"] for c in record["claimants"]] == ["بوتين", "لافروف"]
    assert record["claimants"][0]["start"] == at("بوتين", S1)[0]  # Putin of the first sentence
    assert [(q["text"], q["type"]) for q in record["quotes"]] == [
        ("الحوار ممكن", "indirect"), ("واشنطن لم ترد بعد", "indirect")
    ]  # fmt: skip
    assert record["context"]["text"] == TEXT
    assert_context_holds(record, TEXT, record["claimants"] + record["quotes"])


def test_each_quote_of_the_seed_has_its_speakers_cues_type_and_context(seeded, tmp_path, seed_text):
    out = tmp_path / "quotes.jsonl"
    export(seeded, out, fmt="quotes")
    quotes = {q["quote_id"]: q for q in read_jsonl(out)}
    assert len(quotes) == 11
    first = quotes["g10"]
    assert first["text"].startswith("موسكو لم تتلق بعد")
    assert first["type"] == "indirect"
    assert first["speakers"] == [
        {"id": "g7", "text": "سيرجي لافروف", "start": 203, "end": 215, "label": "PER"}
    ]
    assert [c["text"] for c in first["cues"]] == ["قال"]
    assert first["context"]["text"].startswith("قال وزير الخارجية الروسي")
    assert quotes["g46"]["type"] == "mixed"
    assert [s["text"] for s in quotes["g46"]["speakers"]] == ["بيسكوف"]
    for quote in quotes.values():
        assert_context_holds(quote, seed_text, quote["speakers"] + quote["cues"])


def test_each_claim_of_the_seed_has_check_worthy_claimants_and_quotes(seeded, tmp_path, seed_text):
    out = tmp_path / "claims.jsonl"
    export(seeded, out, fmt="claims")
    claims = {c["claim_id"]: c for c in read_jsonl(out)}
    assert len(claims) == 7
    g13 = claims["g13"]
    assert g13["check_worthy"] == "yes"
    assert [c["text"] for c in g13["claimants"]] == ["سيرجي لافروف"]
    assert [(q["id"], q["type"]) for q in g13["quotes"]] == [("g10", "indirect")]
    # The western accusation has a claimant but no carrying quote.
    assert (
        claims["g83"]["quotes"] == [] and claims["g83"]["claimants"][0]["text"] == "الدول الغربية"
    )
    # Lavrov is named a sentence before the quote that carries this claim: both in the context.
    g23 = claims["g23"]
    assert [c["text"] for c in g23["claimants"]] == ["لافروف"]
    assert "لافروف" in g23["context"]["text"] and g23["quotes"][0]["text"] in g23["context"]["text"]
    for claim in claims.values():
        assert_context_holds(claim, seed_text, claim["claimants"] + claim["quotes"])


@pytest.mark.parametrize("fmt", ["quotes", "claims"])
def test_every_record_states_its_offset_unit_and_schema_version(seeded, tmp_path, fmt):
    out = tmp_path / f"{fmt}.jsonl"
    export(seeded, out, fmt=fmt)
    # The project holds the default schema file's text; its version is that text's hash.
    source = DEFAULT_SCHEMA.read_text(encoding="utf-8")
    version = "sha256:" + hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]
    records = read_jsonl(out)
    assert records
    for record in records:
        assert record["offsets"] == OFFSETS
        assert record["schema"] == {"name": "arabic-news", "version": version}


def test_schema_version_follows_the_schema_text():
    default = load_default_schema()
    assert parse_schema(default.source).version == default.version
    changed = default.source.replace('default = "direct"', 'default = "indirect"')
    assert changed != default.source
    assert parse_schema(changed).version != default.version


def test_the_readme_samples_carry_the_default_schema_version():
    readme = (DEFAULT_SCHEMA.parents[2] / "README.md").read_text(encoding="utf-8")
    versions = set(re.findall(r'"version":"(sha256:[0-9a-f]+)"', readme))
    assert versions == {load_default_schema().version}
