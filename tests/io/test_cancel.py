"""Cancelling an import or an export through the Python API: nothing imported, no file written."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.errors import Cancelled
from annotator.io.operations import Selection, export, import_paths
from annotator.model.document import DocumentRecord, Span
from annotator.store import Project

DOCUMENTS = 40


class StopAfter:
    """A progress callback and a cancel check: Cancel is pressed once ``n`` records are done."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.done = 0

    def progress(self, step: int) -> None:
        self.done += step

    def cancelled(self) -> bool:
        return self.done >= self.n


def dump(path: Path) -> list[str]:
    """Every row of the project file, read through a separate connection."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for n in range(DOCUMENTS):
        text = f"خبر رقم {n}\n\nقال المتحدث إن الاجتماع رقم {n} انتهى."
        (folder / f"{n:03d}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def many(project: Project) -> Project:
    """The project holding DOCUMENTS documents, each with one PER span by "mona"."""
    text = "قال لافروف إن الاجتماع رقم {n} انتهى."
    project.import_documents(
        DocumentRecord(
            text=text.format(n=n),
            id=f"d{n:03d}",
            spans=(Span("s1", f"d{n:03d}", 4, 10, "PER", annotator="mona"),),
        )
        for n in range(DOCUMENTS)
    )
    return project


# 0: before the first record; DOCUMENTS: after the last one, before the commit.
@pytest.mark.parametrize("after", [0, 1, 17, DOCUMENTS])
def test_cancelled_import_imports_nothing(seeded: Project, articles: Path, after: int) -> None:
    before = dump(seeded.path)
    stop = StopAfter(after)
    with pytest.raises(Cancelled, match="nothing was imported"):
        import_paths(
            seeded, [articles], fmt="txt", progress=stop.progress, cancelled=stop.cancelled
        )
    assert stop.done == after  # asked at every record: it stopped right there
    assert dump(seeded.path) == before
    assert seeded.document_count() == 1


def test_an_import_not_cancelled_imports_everything(seeded: Project, articles: Path) -> None:
    report = import_paths(seeded, [articles], fmt="txt", cancelled=lambda: False)
    assert len(report.added) == DOCUMENTS
    assert seeded.document_count() == DOCUMENTS + 1


@pytest.mark.parametrize("after", [0, 1, 17, DOCUMENTS])
@pytest.mark.parametrize("fmt", ["conll", "native"])
def test_cancelled_export_writes_no_file(
    many: Project, tmp_path: Path, fmt: str, after: int
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    before = dump(many.path)
    stop = StopAfter(after)
    with pytest.raises(Cancelled, match="nothing was written"):
        export(
            many,
            folder / f"news.{fmt}",
            fmt=fmt,
            selection=Selection(annotators=("mona",)),
            progress=stop.progress,
            cancelled=stop.cancelled,
        )
    assert stop.done == after
    assert list(folder.iterdir()) == []  # neither the file nor its .part
    assert dump(many.path) == before
