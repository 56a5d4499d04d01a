"""`annotator assign` and `annotator progress`, as a manager runs them."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from annotator.cli import main
from annotator.model.document import DocumentRecord, Span
from annotator.store import Project

TEXT = "قال المتحدث باسم الكرملين إن موسكو مستعدة للحوار"
SPEAKER = (4, 11)  # المتحدث
MOSCOW = (29, 34)  # موسكو


def run(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def news(path: Path, documents: int) -> Path:
    """Make a project of ``documents`` short articles d0, d1, ..."""
    with Project.create(path, annotator="manager") as project:
        project.import_documents(
            DocumentRecord(text=f"{TEXT} {n}", id=f"d{n}") for n in range(documents)
        )
    return path


def table(output: str) -> dict[str, list[str]]:
    """Return the rows of a printed table after its header, by their first cell."""
    rows = [line.split("\t") for line in output.splitlines() if "\t" in line]
    return {row[0]: row[1:] for row in rows[1:]}


def test_assign_prints_each_persons_documents(tmp_path: Path):
    path = news(tmp_path / "news.sqlite", 7)
    result = run("assign", path, "--annotators", "mona,sami,huda", "--per-document", 2, "--seed", 7)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert (
        lines[0] == "7 document(s), 2 annotator(s) each: 14 assignment(s) added, 0 kept, 0 removed"
    )
    assert lines[1] == "annotator\tdocuments\tadded"
    counts = {name: int(n) for name, (n, added) in table(result.output).items() if n == added}
    # 7 documents x 2 = 14 over 3 people: 5, 5 and 4.
    assert sorted(counts.values()) == [4, 5, 5] and sorted(counts) == ["huda", "mona", "sami"]
    with Project.open(path, read_only=True) as project:
        stored = Counter(a.annotator for a in project.assignments())
    assert stored == counts


def test_assign_again_keeps_and_replace_draws_again(tmp_path: Path):
    path = news(tmp_path / "news.sqlite", 7)
    args = ("assign", path, "--annotators", "mona,sami,huda", "--per-document", 2)
    run(*args, "--seed", 7)
    again = run(*args, "--seed", 8)
    assert again.output.splitlines()[0].endswith("0 assignment(s) added, 14 kept, 0 removed")
    replaced = run(*args, "--seed", 8, "--replace")
    assert replaced.exit_code == 0, replaced.output
    with Project.open(path, read_only=True) as project:
        after = sorted((a.doc_id, a.annotator) for a in project.assignments())
    # The same as a project assigned with seed 8 from the start.
    fresh = news(tmp_path / "fresh.sqlite", 7)
    run("assign", fresh, "--annotators", "mona,sami,huda", "--per-document", 2, "--seed", 8)
    with Project.open(fresh, read_only=True) as project:
        assert after == sorted((a.doc_id, a.annotator) for a in project.assignments())


def test_more_people_per_document_than_named_is_one_clear_line(tmp_path: Path):
    path = news(tmp_path / "news.sqlite", 2)
    result = run("assign", path, "--annotators", "mona,sami", "--per-document", 3)
    assert result.exit_code == 1
    assert result.stderr == (
        "error: cannot give each document to 3 different annotators: only 2 named"
        " (mona, sami); name more or lower --per-document\n"
    )
    with Project.open(path, read_only=True) as project:
        assert project.assignments() == []


@pytest.fixture
def started(tmp_path: Path) -> Path:
    """Two documents to mona and sami; both marked المتحدث PER in d0, mona finished d0."""
    path = news(tmp_path / "news.sqlite", 2)
    run("assign", path, "--annotators", "mona,sami", "--per-document", 2)
    with Project.open(path, annotator="mona") as project:
        spans = [Span(f"{who}-1", "", *SPEAKER, "PER", annotator=who) for who in ("mona", "sami")]
        spans.append(Span("sami-2", "", *MOSCOW, "GPE", annotator="sami"))
        project.import_documents(
            [DocumentRecord(text=project.document("d0").text, spans=spans)],
            merge_annotations=True,
        )
        project.set_assignment_done("d0", True)
    return path


def test_progress_prints_counts_and_agreement(started: Path):
    result = run("progress", started)
    assert result.exit_code == 0, result.output
    # Exact F1: one match of 1 + 2 spans, 2 x 1 / 3; overlap: P = 1/2 (sami's), R = 1/1.
    assert result.output.splitlines() == [
        "annotator\tassigned\tstarted\tdone",
        "mona\t2\t1\t1",
        "sami\t2\t1\t0",
        "",
        "pair\tshared\tcompared\tspans a\tspans b\tF1 exact\tF1 overlap",
        "mona × sami\t2\t1\t1\t2\t0.667\t0.667",
    ]


def test_progress_json(started: Path):
    result = run("progress", started, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["annotators"] == [
        {"annotator": "mona", "assigned": 2, "started": 1, "done": 1},
        {"annotator": "sami", "assigned": 2, "started": 1, "done": 0},
    ]
    (pair,) = report["pairs"]
    assert (pair["a"], pair["b"], pair["shared"], pair["compared"]) == ("mona", "sami", 2, 1)
    assert pair["span_f1_exact"] == pytest.approx(2 / 3)
