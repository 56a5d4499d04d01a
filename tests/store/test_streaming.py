"""Walking every document of a project: a page of rows in memory at a time, on both backends.

On a server the walk reads through a server-side cursor (PostgreSQL's ``pg_cursors`` lists it
while the walk runs): inside an export's snapshot a cursor of that transaction, outside one a
cursor WITH HOLD, which the edits committed during the walk do not close. The page is made
two rows long here, so five documents take three pages.
"""

from __future__ import annotations

import sqlite3

import pytest

from annotator.model.document import DocumentRecord
from annotator.store import Project
from annotator.store.pg import connection
from annotator.store.reading import stream

TITLES = ["الأول", "الثاني", "الثالث", "الرابع", "الخامس"]
WORD = "موسكو"


@pytest.fixture(autouse=True)
def short_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two rows a page, so that five documents need three fetches from the server."""
    monkeypatch.setattr(connection, "STREAM_PAGE", 2)


@pytest.fixture
def five(project: Project) -> Project:
    """The project with five documents d1..d5, each saying موسكو once at its start."""
    five_documents(project)
    return project


def server_cursors(project: Project) -> list[tuple[str, bool]]:
    """The statement and holdability of each server-side cursor open on the project's session."""
    rows = project.db.execute("SELECT statement, is_holdable FROM pg_cursors").fetchall()
    return [(str(statement), bool(holdable)) for statement, holdable in rows]


def test_a_walk_over_every_document_outlives_the_edits_committed_during_it(five: Project):
    seen = []
    for doc in five.documents():
        # Each edit is committed on return, as a recommender stores a chunk at a time.
        span = five.add_span(doc.id, 0, len(WORD), "GPE")
        seen.append((doc.id, doc.title, doc.text[span.start : span.end]))
    assert seen == [(f"d{n}", title, WORD) for n, title in enumerate(TITLES, 1)]
    assert [len(five.spans(f"d{n}")) for n in range(1, 6)] == [1, 1, 1, 1, 1]


def test_a_walk_in_a_snapshot_reads_every_document_in_project_order(five: Project):
    with five.snapshot():
        titles = [doc.title for doc in five.documents()]
    assert titles == TITLES


def test_a_streamed_query_that_fails_raises_the_error_sqlite_would(five: Project):
    with pytest.raises(sqlite3.OperationalError, match="no_such_table"):
        list(stream(five.db, "SELECT id FROM no_such_table"))


def test_on_a_server_an_export_snapshot_reads_documents_through_a_cursor_of_its_own(
    pg_url: str,
):
    with Project.create(pg_url, annotator="tester") as project:
        five_documents(project)
        with project.snapshot():
            walk = project.documents()
            assert next(walk).title == TITLES[0]
            (statement, holdable), *others = server_cursors(project)
            assert "FROM documents" in statement and not others
            assert not holdable  # it ends with the snapshot's transaction
            assert [doc.title for doc in walk] == TITLES[1:]
            assert server_cursors(project) == []  # closed at the end of the walk


def test_on_a_server_a_walk_outside_a_snapshot_reads_the_documents_of_its_start(pg_url: str):
    with Project.create(pg_url, annotator="tester") as project:
        five_documents(project)
        walk = project.documents()
        assert next(walk).id == "d1"
        (statement, holdable), *others = server_cursors(project)
        assert "FROM documents" in statement and holdable and not others
        # A document imported (and committed) during the walk is not part of it.
        project.add_document(f"{WORD} 6", doc_id="d6")
        assert [doc.id for doc in walk] == ["d2", "d3", "d4", "d5"]
        assert project.document_count() == 6


def test_on_a_server_a_walk_left_halfway_closes_its_cursor(pg_url: str):
    with Project.create(pg_url, annotator="tester") as project:
        five_documents(project)
        walk = project.documents()
        assert next(walk).id == "d1"
        assert len(server_cursors(project)) == 1
        walk.close()  # as when an export is cancelled
        assert server_cursors(project) == []


def five_documents(project: Project) -> None:
    """Import d1..d5, titled TITLES, each saying موسكو once at its start."""
    project.import_documents(
        DocumentRecord(text=f"{WORD} {n}", id=f"d{n}", title=title)
        for n, title in enumerate(TITLES, 1)
    )


def test_a_read_only_client_walks_every_document_outside_a_snapshot(five: Project):
    with Project.open(five.path, read_only=True, annotator="reader") as reader:
        assert [doc.title for doc in reader.documents()] == TITLES
