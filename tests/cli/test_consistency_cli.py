"""``annotator consistency`` as a user runs it: plain lines, --json, --annotator and --gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.model.document import GOLD_ANNOTATOR
from annotator.review import consistency as checks
from annotator.review import gold
from annotator.review.compare import compare_document
from annotator.store import Project

# بايدن: PER in d1 and d3, ORG in d2; in d4 written but unlabelled. موسكو: GPE in d1 only,
# and unlabelled in d2 and d4.
D1 = "قال الرئيس بايدن إن موسكو ترفض الحوار"
D2 = "أعلنت موسكو أن بايدن وصل إلى جنيف"
D3 = "زار بايدن مدينة جنيف"
D4 = "بايدن يتصل بالرئيس في موسكو"


def at(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    made = tmp_path / "news.sqlite"
    with Project.create(made, annotator="mona") as project:
        for doc_id, text in (("d1", D1), ("d2", D2), ("d3", D3), ("d4", D4)):
            project.add_document(text, doc_id=doc_id)
        project.add_span("d1", *at(D1, "بايدن"), "PER")
        project.add_span("d1", *at(D1, "موسكو"), "GPE")
        project.add_span("d2", *at(D2, "بايدن"), "ORG")
        project.add_span("d3", *at(D3, "بايدن"), "PER")
        project.add_span("d4", *at(D4, "في"), "MISC")  # d4 is one of mona's documents
    with Project.open(made, annotator="sami") as project:
        project.add_span("d2", *at(D2, "موسكو"), "ORG")
    return made


def run(*args: object) -> object:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_plain_lines_list_findings_by_fix_size_with_places(path: Path) -> None:
    result = run("consistency", path, "--annotator", "mona")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    # موسكو: 2 unlabelled (d2, d4) -> 2; بايدن: relabel 1 (PER 2, ORG 1) -> 1, and 1
    # unlabelled (d4) -> 1; conflicts before unlabelled on a tie.
    heads = [line for line in lines if not line.startswith("    ")]
    assert heads == [
        "annotate 2 occurrence(s): «موسكو» is GPE 1, unlabelled 2 in mona's layer",
        "relabel 1 span(s): «بايدن» is PER 2, ORG 1 in mona's layer",
        "annotate 1 occurrence(s): «بايدن» is PER 2, ORG 1, unlabelled 1 in mona's layer",
    ]
    # Under the conflict, the span to change first: document, offsets, label, context.
    k = lines.index(heads[1])
    start, end = at(D2, "بايدن")
    assert lines[k + 1] == f"    d2\t[{start}, {end})\tORG\tأعلنت موسكو أن ⟦بايدن⟧ وصل إلى جنيف"
    assert lines[k + 2].startswith("    d1\t") and lines[k + 3].startswith("    d3\t")
    assert "3 finding(s)" in result.stderr


def test_json_one_object_per_finding_with_every_place(path: Path) -> None:
    result = run("consistency", path, "--annotator", "mona", "--json")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["kind"], r["text"], r["change"]) for r in records] == [
        ("unlabelled", "موسكو", 2),
        ("labels", "بايدن", 1),
        ("unlabelled", "بايدن", 1),
    ]
    conflict = records[1]
    assert conflict["labels"] == {"PER": 2, "ORG": 1}
    assert [(p["doc_id"], p["label"]) for p in conflict["places"]] == [
        ("d2", "ORG"),
        ("d1", "PER"),
        ("d3", "PER"),
    ]
    texts = {"d1": D1, "d2": D2, "d3": D3, "d4": D4}
    for record in records:
        for place in record["places"]:
            assert texts[place["doc_id"]][place["start"] : place["end"]] == record["text"]
    assert [(p["doc_id"], p["label"]) for p in records[0]["places"]] == [
        ("d2", None),
        ("d4", None),
    ]


def test_json_reads_again_the_places_a_run_did_not_keep(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checks, "PLACE_CAP", 1)  # one place per label and form kept
    result = run("consistency", path, "--annotator", "mona", "--json")
    places = [len(json.loads(line)["places"]) for line in result.stdout.splitlines()]
    assert places == [2, 3, 1]
    text = run("consistency", path, "--annotator", "mona")
    assert "    … and 1 more place(s)" in text.stdout.splitlines()  # موسكو's second place


def test_every_layer_on_its_own_by_default_and_limit(path: Path) -> None:
    result = run("consistency", path, "--json")
    layers = {(r["layer"], r["text"]) for r in map(json.loads, result.stdout.splitlines())}
    # sami labelled موسكو once, in d2: nothing to compare it with, and no other document.
    assert layers == {("mona", "موسكو"), ("mona", "بايدن")}
    limited = run("consistency", path, "--limit", "1")
    assert limited.stdout.count("«") == 1
    assert "3 finding(s), the first 1 shown" in limited.stderr


def test_gold_and_unknown_layers(path: Path) -> None:
    refused = CliRunner().invoke(main, ["consistency", str(path), "--gold"])
    assert refused.exit_code == 2
    assert "no annotations by gold" in refused.output
    both = CliRunner().invoke(main, ["consistency", str(path), "--gold", "--annotator", "mona"])
    assert both.exit_code == 2 and "either --annotator or --gold" in both.output
    with Project.open(path, annotator="reviewer") as project:
        for doc_id in project.document_ids():  # mona's spans accepted into gold as they are
            for case in compare_document(project, doc_id, ["mona"]).cases:
                gold.accept(project, doc_id, case)
    found = run("consistency", path, "--gold", "--json")
    records = [json.loads(line) for line in found.stdout.splitlines()]
    assert {r["layer"] for r in records} == {GOLD_ANNOTATOR}
    assert [(r["kind"], r["text"], r["change"]) for r in records] == [
        ("unlabelled", "موسكو", 2),
        ("labels", "بايدن", 1),
        ("unlabelled", "بايدن", 1),
    ]
