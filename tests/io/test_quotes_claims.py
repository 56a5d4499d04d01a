"""Quotes and claims exports: one record per quote or claim, with the linked mentions."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.io.operations import export


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_each_quote_has_its_speaker_cue_type_and_sentence(seeded, tmp_path, seed_text):
    out = tmp_path / "quotes.jsonl"
    export(seeded, out, fmt="quotes")
    quotes = {q["quote_id"]: q for q in read_jsonl(out)}
    assert len(quotes) == 11
    first = quotes["g10"]
    assert first["text"].startswith("موسكو لم تتلق بعد")
    assert first["type"] == "indirect"
    assert first["speaker"] == {
        "id": "g7", "text": "سيرجي لافروف", "start": 203, "end": 215, "label": "PER",
    }  # fmt: skip
    assert first["cue"]["text"] == "قال"
    assert first["sentence"]["text"].startswith("قال وزير الخارجية الروسي")
    assert quotes["g46"]["type"] == "mixed" and quotes["g46"]["speaker"]["text"] == "بيسكوف"
    for quote in quotes.values():
        assert seed_text[quote["start"] : quote["end"]] == quote["text"]
        sentence = quote["sentence"]
        assert seed_text[sentence["start"] : sentence["end"]] == sentence["text"]
        assert sentence["start"] <= quote["start"] and quote["end"] <= sentence["end"]
        for mention in (quote["speaker"], quote["cue"]):
            assert seed_text[mention["start"] : mention["end"]] == mention["text"]


def test_each_claim_has_check_worthy_claimant_and_carrying_quote(seeded, tmp_path, seed_text):
    out = tmp_path / "claims.jsonl"
    export(seeded, out, fmt="claims")
    claims = {c["claim_id"]: c for c in read_jsonl(out)}
    assert len(claims) == 7
    g13 = claims["g13"]
    assert g13["check_worthy"] == "yes"
    assert g13["claimant"]["text"] == "سيرجي لافروف"
    assert g13["quote"]["id"] == "g10" and g13["quote"]["type"] == "indirect"
    # The western accusation has a claimant but no carrying quote.
    assert claims["g83"]["quote"] is None and claims["g83"]["claimant"]["text"] == "الدول الغربية"
    for claim in claims.values():
        assert seed_text[claim["start"] : claim["end"]] == claim["text"]
