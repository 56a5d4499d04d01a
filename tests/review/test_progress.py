"""A team's progress: counts per annotator and span F1 per pair on the documents assigned to both,
with the numbers worked out by hand."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.errors import Cancelled
from annotator.model.document import DocumentRecord, Span
from annotator.review.progress import progress_lines, team_progress
from annotator.store import Project

TEXT = "قال المتحدث باسم الكرملين إن موسكو مستعدة للحوار"
SPEAKER = (4, 11)  # المتحدث
SPEAKER_LONG = (4, 16)  # المتحدث باسم
MOSCOW = (29, 34)  # موسكو


def spans_of(project: Project, doc_id: str, *marks: tuple[str, tuple[int, int], str]) -> None:
    """Add (annotator, offsets, label) spans to ``doc_id``."""
    spans = [
        Span(f"{who}-{doc_id}-{n}", "", *where, label, annotator=who)
        for n, (who, where, label) in enumerate(marks)
    ]
    text = project.document(doc_id).text
    project.import_documents([DocumentRecord(text=text, spans=spans)], merge_annotations=True)


@pytest.fixture
def team(tmp_path: Path) -> Iterator[Project]:
    """d0, d1 to mona and sami; d2 to mona and huda; d3 to nobody (annotated all the same)."""
    project = Project.create(tmp_path / "team.sqlite", annotator="manager")
    project.import_documents(DocumentRecord(text=f"{TEXT} {n}", id=f"d{n}") for n in range(4))
    project.assign(["mona", "sami"], 2, seed=1, doc_ids=["d0", "d1"])
    project.assign(["mona", "huda"], 2, seed=1, doc_ids=["d2"])
    assert project.document("d0").text[slice(*MOSCOW)] == "موسكو"
    # d0: the same PER; موسكو GPE for mona, ORG for sami.
    spans_of(
        project,
        "d0",
        ("mona", SPEAKER, "PER"),
        ("mona", MOSCOW, "GPE"),
        ("sami", SPEAKER, "PER"),
        ("sami", MOSCOW, "ORG"),
    )
    # d1: the same PER with another end.
    spans_of(project, "d1", ("mona", SPEAKER, "PER"), ("sami", SPEAKER_LONG, "PER"))
    # d3 is no one's assignment: its disagreement does not count.
    spans_of(project, "d3", ("mona", SPEAKER, "PER"), ("sami", MOSCOW, "GPE"))
    yield project
    project.close()


def test_counts_per_person_and_span_f1_per_pair(team: Project):
    report = team_progress(team)
    counts = [(p.annotator, p.assigned, p.started, p.done) for p in report.people]
    # huda has not started d2; mona's spans in d3 are not in an assigned document.
    assert counts == [("huda", 1, 0, 0), ("mona", 3, 2, 0), ("sami", 2, 2, 0)]
    huda, sami = report.pairs
    assert (huda.a, huda.b, huda.shared, huda.compared) == ("huda", "mona", 1, 0)
    assert huda.span_f1_exact is None and huda.span_f1_overlap is None
    assert (sami.a, sami.b, sami.shared, sami.compared) == ("mona", "sami", 2, 2)
    assert (sami.spans_a, sami.spans_b) == (3, 3)
    # Exact: one match (PER in d0) of 3 + 3 spans: 2 x 1 / 6.
    assert sami.span_f1_exact == pytest.approx(1 / 3)
    # Overlap: the two PER spans of each side overlap the other's, the GPE and ORG do not:
    # precision = recall = 2/3.
    assert sami.span_f1_overlap == pytest.approx(2 / 3)


def test_the_table_the_command_and_the_window_print(team: Project):
    assert progress_lines(team_progress(team)) == [
        "annotator\tassigned\tstarted\tdone",
        "huda\t1\t0\t0",
        "mona\t3\t2\t0",
        "sami\t2\t2\t0",
        "",
        "pair\tshared\tcompared\tspans a\tspans b\tF1 exact\tF1 overlap",
        "huda × mona\t1\t0\t0\t0\tn/a\tn/a",
        "mona × sami\t2\t2\t3\t3\t0.333\t0.667",
    ]


def test_a_project_without_assignments_says_so(tmp_path: Path):
    with Project.create(tmp_path / "p.sqlite") as project:
        assert progress_lines(team_progress(project)) == [
            "no document is assigned yet (annotator assign PROJECT --annotators A,B,...)"
        ]


def test_one_person_per_document_has_no_pairs(tmp_path: Path):
    with Project.create(tmp_path / "p.sqlite") as project:
        project.add_document(TEXT, doc_id="d0")
        project.assign(["mona", "sami"], 1, seed=1)
        lines = progress_lines(team_progress(project))
    assert lines[-1] == "no two annotators share a document: no agreement to measure"
    assert len(lines) == 4  # header, one person, a blank line, the note


def test_progress_counts_assigned_documents_and_cancel_stops(team: Project):
    steps: list[int] = []
    team_progress(team, progress=steps.append)
    assert sum(steps) == 3  # d0, d1 and d2 are assigned; d3 is not
    asked: list[int] = []

    def cancel_at_second() -> bool:
        asked.append(1)
        return len(asked) == 2

    with pytest.raises(Cancelled):
        team_progress(team, cancelled=cancel_at_second)
