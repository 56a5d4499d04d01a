"""Cancelling a merge through the Python API: the project stays exactly as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from review_helpers import annotator_project

from annotator.errors import Cancelled
from annotator.review.merge import merge_records, project_records
from annotator.store import Project

DOCUMENTS = 30


def dump(path: Path) -> list[str]:
    """Every row of the project file, read through a separate connection."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def sami(tmp_path: Path) -> Path:
    """Sami's project: DOCUMENTS articles, each with one PER span."""
    path = annotator_project(tmp_path / "sami.sqlite", "sami", [("بايدن", "PER")])
    with Project.open(path, annotator="sami") as project:
        for n in range(1, DOCUMENTS):
            doc = project.add_document(
                f"قال الرئيس بايدن إن الاجتماع رقم {n} انتهى", doc_id=f"d{n + 1}"
            )
            project.add_span(doc.id, 11, 16, "PER")
    return path


# 0: before the first record; DOCUMENTS: after the last one, before the commit.
@pytest.mark.parametrize("after", [0, 1, 12, DOCUMENTS])
def test_cancelled_merge_merges_nothing(
    tmp_path: Path, sami: Path, project: Project, after: int
) -> None:
    mona = annotator_project(tmp_path / "mona.sqlite", "mona", [("موسكو", "GPE")])
    merge_records(project, project_records(mona))
    before = dump(project.path)
    done = 0

    def progress(step: int) -> None:
        nonlocal done
        done += step

    with pytest.raises(Cancelled, match="nothing was merged"):
        merge_records(
            project, project_records(sami), progress=progress, cancelled=lambda: done >= after
        )
    assert done == after  # asked at every record: it stopped right there
    assert dump(project.path) == before
    assert {s.annotator for s in project.spans("d1")} == {"mona"}
