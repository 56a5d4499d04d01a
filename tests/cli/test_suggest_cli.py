"""`annotator suggest`, as a user runs it: a run, its report, statistics, and exports untouched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from annotator.cli import main
from annotator.io.operations import export
from annotator.store import Project

FIRST = "قال وزير الخارجية الروسي سيرجي لافروف إن موسكو لم تتلق ردا من واشنطن."
SECOND = "وصل سيرجي لافروف إلى جنيف. وقال لافروف إن المحادثات مع واشنطن كانت صريحة."


def run(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(autouse=True)
def user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANNOTATOR_NAME", "mona")


@pytest.fixture
def news(tmp_path: Path) -> Path:
    """Two articles; mona annotated سيرجي لافروف and واشنطن once, in the first."""
    path = tmp_path / "news.sqlite"
    with Project.create(path, annotator="mona") as project:
        first = project.add_document(FIRST, title="one", doc_id="one")
        project.add_document(SECOND, title="two", doc_id="two")
        start = FIRST.index("سيرجي لافروف")
        project.add_span(first.id, start, start + len("سيرجي لافروف"), "PER")
        start = FIRST.index("واشنطن")
        project.add_span(first.id, start, start + len("واشنطن"), "GPE")
    return path


def ghosts(path: Path, doc_id: str) -> list[str]:
    with Project.open(path, read_only=True, annotator="mona") as project:
        text = project.document(doc_id).text
        found = project.suggestions(doc_id)
        return [f"{s.label}:{text[s.start : s.end]}" for s in found.spans if s.id in found.pending]


def test_strings_proposes_the_names_in_the_other_article(news: Path) -> None:
    result = run("suggest", news, "-r", "strings")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("suggest:strings: 2 suggestion(s)")
    assert ghosts(news, "two") == ["PER:سيرجي لافروف", "GPE:واشنطن"]
    assert ghosts(news, "one") == []


def test_suggestions_never_reach_an_export(news: Path, tmp_path: Path) -> None:
    before, after = tmp_path / "before.jsonl", tmp_path / "after.jsonl"
    with Project.open(news, read_only=True) as project:
        export(project, before, fmt="native")
    assert run("suggest", news, "-r", "strings").exit_code == 0
    with Project.open(news, read_only=True) as project:
        export(project, after, fmt="native")
    assert after.read_bytes() == before.read_bytes()
    assert "suggest:" not in after.read_text(encoding="utf-8")


def test_stats_count_what_was_decided(news: Path) -> None:
    run("suggest", news, "-r", "strings")
    with Project.open(news, annotator="mona") as project:
        found = project.suggestions("two")
        by_text = {SECOND[s.start : s.end]: s for s in found.spans}
        project.accept_suggestions("two", [by_text["سيرجي لافروف"]])
        project.reject_suggestions("two", [by_text["واشنطن"]])
    result = run("suggest", news, "--stats", "--json")
    assert result.exit_code == 0, result.output
    rows = {(r["recommender"], r["label"]): r for r in map(json.loads, result.output.splitlines())}
    assert rows["strings", "PER"] | {} == {
        "recommender": "strings",
        "label": "PER",
        "pending": 0,
        "accepted": 1,
        "rejected": 0,
        "acceptance": 1.0,
    }
    assert (rows["strings", "GPE"]["rejected"], rows["strings", "GPE"]["acceptance"]) == (1, 0.0)
    table = run("suggest", news, "--stats").output.splitlines()
    assert table[0].split() == ["recommender", "label", "pending", "accepted", "rejected", "rate"]
    assert table[1].split() == ["strings", "GPE", "0", "0", "1", "0%"]


def test_a_rerun_leaves_out_what_was_rejected_and_says_so(news: Path) -> None:
    run("suggest", news, "-r", "strings")
    with Project.open(news, annotator="mona") as project:
        found = project.suggestions("two")
        project.reject_suggestions("two", [s for s in found.spans if s.label == "GPE"])
    result = run("suggest", news, "-r", "strings")
    assert result.exit_code == 0, result.output
    assert "left out 1 accepted or rejected before" in result.output
    assert ghosts(news, "two") == ["PER:سيرجي لافروف"]


def test_an_unknown_document_is_refused_and_nothing_is_stored(news: Path) -> None:
    result = run("suggest", news, "-r", "strings", "--docs", "two,nine")
    assert result.exit_code != 0
    assert "no document 'nine'" in result.output
    assert ghosts(news, "two") == []


def test_a_recommender_is_required(news: Path) -> None:
    result = run("suggest", news)
    assert result.exit_code == 2 and "--recommender" in result.output
