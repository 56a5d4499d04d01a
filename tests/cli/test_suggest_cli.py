"""`annotator suggest`, as a user runs it: a run, its report, statistics, and exports untouched."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from annotator.cli import main
from annotator.io.operations import export
from annotator.model.document import Document, Span
from annotator.model.suggestions import Proposal, Proposals
from annotator.store import Project
from annotator.suggest import registry
from annotator.suggest import run as run_module

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


class Interrupted:
    """A recommender the user stops with Ctrl+C while it proposes for the second document."""

    name = "strings"

    def __init__(self, **_options: object) -> None:
        self.seen = 0

    def prepare(self, project: Project, source: str, *, progress=None, cancelled=None) -> None:  # type: ignore[no-untyped-def]
        pass

    def propose(self, document: Document, known: Sequence[Span]) -> Proposals:
        self.seen += 1
        if self.seen == 2:
            raise KeyboardInterrupt
        start = document.text.rindex("لافروف")
        return Proposals([Proposal(start, start + len("لافروف"), "PER")])


def test_ctrl_c_keeps_the_documents_done_says_so_and_exits_130(
    news: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run_module, "CHUNK_DOCUMENTS", 1)
    monkeypatch.setattr(registry, "make", lambda name, **options: Interrupted())
    result = run("suggest", news, "-r", "strings", "-r", "quotes")
    assert result.exit_code == 130, result.output
    assert result.stdout.splitlines()[0] == (
        "suggest:strings: cancelled after 1 of 2 documents: their suggestions were replaced,"
        " the others kept"
    )
    assert result.stderr == "not run: quotes\n"
    with Project.open(news, read_only=True, annotator="mona") as project:
        assert project.has_suggestions("one") and not project.has_suggestions("two")


@pytest.mark.parametrize("person", ["gold", "suggest:strings"])
def test_suggestions_are_made_for_a_person(news: Path, person: str) -> None:
    result = run("suggest", news, "-r", "strings", "--from", "mona", "--annotator", person)
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {news}: --annotator {person!r}: suggestions are made for a person, to accept"
        " or reject in their own layer, not for gold or a suggestion layer\n"
    )
    with Project.open(news, read_only=True) as project:
        assert project.suggestion_stats() == []


@pytest.mark.parametrize("docs", [",", "one,,two", ""])
def test_an_empty_document_id_is_refused(news: Path, docs: str) -> None:
    result = run("suggest", news, "-r", "strings", "--docs", docs)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {news}: --docs {docs!r} holds an empty id")
    assert ghosts(news, "two") == []


def test_a_document_named_twice_is_run_once(news: Path) -> None:
    result = run("suggest", news, "-r", "strings", "--docs", "two,two")
    assert result.exit_code == 0, result.output
    assert " in 1 document(s) for mona" in result.stdout.splitlines()[0]


def test_a_recommenders_error_names_the_project(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite"
    with Project.create(empty, annotator="mona") as project:
        project.add_document(FIRST, title="one", doc_id="one")
    result = run("suggest", empty, "-r", "strings")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {empty}: nothing to learn: neither 'mona' nor gold")
    stats = run("suggest", empty, "--stats")
    assert (
        stats.stderr == f"{empty}: no suggestions yet: run `annotator suggest {empty} -r strings`\n"
    )


def test_a_report_in_a_terminal_shows_the_escapes_of_a_name(tmp_path: Path) -> None:
    hostile = "mona\x1b]0;owned\x07\u202e"
    path = tmp_path / "hostile.sqlite"
    with Project.create(path, annotator=hostile) as project:
        first = project.add_document(FIRST, title="one", doc_id="one")
        project.add_document(SECOND, title="two", doc_id="two")
        start = FIRST.index("واشنطن")
        project.add_span(first.id, start, start + len("واشنطن"), "GPE")
    code, screen = in_terminal({"ANNOTATOR_NAME": hostile}, "suggest", path, "-r", "strings")
    assert code == 0, screen
    # the progress bars' own ESC sequences stay; the name's OSC, BEL and override do not
    assert "\x1b]" not in screen and "\u202e" not in screen and "\x07" not in screen
    assert "for mona\\x1b]0;owned\\x07\\u202e, learned from mona\\x1b]0;owned\\x07\\u202e" in screen
    with Project.open(path, read_only=True, annotator=hostile) as project:
        found = project.suggestions("two")
        assert [SECOND[s.start : s.end] for s in found.spans] == ["واشنطن"]


def in_terminal(env: dict[str, str], *args: str | Path) -> tuple[int, str]:
    """Run the annotator in a pseudo-terminal; return its exit code and all it wrote."""
    master, slave = pty.openpty()
    try:
        child = subprocess.Popen(
            [sys.executable, "-m", "annotator.cli", *map(str, args)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env={**os.environ, "TERM": "xterm-256color", **env},
        )
    finally:
        os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:  # EIO: the child exited and closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return child.wait(timeout=60), b"".join(chunks).decode("utf-8")
