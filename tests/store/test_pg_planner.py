"""A large import into a server project leaves the planner's statistics of what it filled.

Without them PostgreSQL plans the export's queries as if the project were empty until
autovacuum comes by (:mod:`annotator.store.pg.planner`). Autovacuum is switched off for these
tables here, so only the import can have gathered them; "large" is made 20 documents.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from pg_cluster import PgCluster

from annotator.model.document import DocumentRecord, Span
from annotator.store import Project
from annotator.store.pg import planner
from annotator.store.pg.team import Team

TEXT = "قال المتحدث باسم الكرملين إن موسكو مستعدة للحوار"
MOSCOW = (29, 34)  # موسكو


@pytest.fixture
def server_project(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Project]:
    """An empty server project whose tables autovacuum leaves alone; 20 documents is large."""
    monkeypatch.setattr(planner, "MIN_DOCUMENTS", 20)
    with Project.create(pg_url, annotator="tester") as project:
        for table in planner.TABLES:
            project.db.execute(f"ALTER TABLE {table} SET (autovacuum_enabled = false)")
        yield project


def records(count: int, first: int = 0) -> Iterator[DocumentRecord]:
    """``count`` documents, each with a GPE span on موسكو."""
    for n in range(first, first + count):
        span = Span(id=f"s{n}", doc_id="", start=MOSCOW[0], end=MOSCOW[1], label="GPE")
        yield DocumentRecord(text=f"{TEXT} {n}", id=f"d{n}", spans=(span,))


def statistics(project: Project) -> dict[str, tuple[int, float]]:
    """Per table: columns the planner has statistics of, and the row count it believes."""
    found = {}
    for table in planner.TABLES:
        columns = project.db.execute(
            "SELECT COUNT(*) FROM pg_stats WHERE schemaname = current_schema() AND tablename = ?",
            [table],
        ).fetchone()[0]
        rows = project.db.execute(
            "SELECT reltuples FROM pg_class WHERE oid = CAST(? AS regclass)", [table]
        ).fetchone()[0]
        found[table] = (int(columns), float(rows))
    return found


def test_an_import_that_fills_a_server_project_leaves_the_planner_its_sizes(
    server_project: Project,
):
    report = server_project.import_documents(records(20))
    assert len(report.added) == 20
    found = statistics(server_project)
    assert found["documents"][1] == 20 and found["spans"][1] == 20
    assert found["relations"][1] == 0
    assert found["documents"][0] > 0 and found["spans"][0] > 0


def test_a_small_import_leaves_the_statistics_to_autovacuum(server_project: Project):
    server_project.import_documents(records(19))
    assert all(columns == 0 for columns, _rows in statistics(server_project).values())


def test_an_import_growing_the_project_by_less_than_a_tenth_gathers_nothing(
    server_project: Project,
):
    server_project.import_documents(records(300))
    server_project.import_documents(records(29, first=300))  # under a tenth of 300
    assert statistics(server_project)["spans"][1] == 300
    server_project.import_documents(records(33, first=400))  # a tenth of 329 or more
    assert statistics(server_project)["spans"][1] == 362


def test_a_managers_large_import_is_saved_and_leaves_the_statistics_to_autovacuum(
    server_project: Project, pg_cluster: PgCluster, pg_url: str
):
    # Only the tables' owner may analyze them: the server skips them for a manager, with a
    # warning and no error, and the import stands.
    Team.of(server_project).add("lina", "manager", "pw of lina!")
    database = urlsplit(pg_url).path.lstrip("/")
    with Project.open(pg_cluster.url(database, user="lina", password="pw of lina!")) as lina:
        assert lina.annotator == "lina"
        report = lina.import_documents(records(20))
    assert len(report.added) == 20 and server_project.document_count() == 20
    assert all(columns == 0 for columns, _rows in statistics(server_project).values())
