"""Server projects at their edges: a lost listening connection, a database name that needs
quoting in a URL, and URLs of a server reached through its local socket or over IPv6."""

from __future__ import annotations

import time
from urllib.parse import quote

import pytest
from pg_cluster import PgCluster

from annotator.store import Project
from annotator.store.pg import changes
from annotator.store.pg.location import ServerLocation, is_server_url, shown
from annotator.store.pg.team import Team

TEXT = "قال المتحدث باسم الكرملين إن موسكو مستعدة للحوار"


def until(deadline_s: float, moved) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + deadline_s
    while not moved():
        if time.monotonic() > end:
            return False
        time.sleep(0.02)
    return True


def test_a_lost_listener_listens_again_and_has_the_window_read_again(
    pg_url: str, pg_cluster: PgCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(changes, "RETRY_S", 0.0)
    with Project.create(pg_url, annotator="tester") as mine:
        doc = mine.add_document(TEXT, title="t").id
        with Project.open(pg_url, annotator="tester") as theirs:
            before = mine.data_version()
            listener = mine.db.listener._conn  # type: ignore[attr-defined]
            database = pg_url.rsplit("/", 1)[1]
            with pg_cluster.connect(database) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", [listener.info.backend_pid])
            theirs.add_span(doc, 4, 11, "PER")  # committed while nobody may be listening
            assert until(3.0, lambda: mine.data_version() != before)
            moved = mine.data_version()
            theirs.add_span(doc, 29, 34, "GPE")  # and later commits are heard again
            assert until(3.0, lambda: mine.data_version() != moved)


def test_a_database_name_with_a_space_makes_a_working_team_project(
    pg_url: str, pg_cluster: PgCluster
) -> None:
    with pg_cluster.connect() as admin:
        admin.execute('CREATE DATABASE "news desk"')
    url = pg_cluster.url(quote("news desk"))
    try:
        with Project.create(url, annotator=pg_cluster.superuser) as project:
            assert ServerLocation.of(url).database == "news desk"
            assert Team.of(project).groups  # made under the name the server gives the database
            doc = project.add_document(TEXT, title="t").id
            speaker = project.add_span(doc, 4, 11, "PER")
            quote_span = project.add_span(doc, 29, 48, "QUOTE", attrs={"type": "indirect"})
            project.add_relation(doc, "SPEAKER", quote_span.id, speaker.id)  # checks membership
            assert len(project.relations(doc)) == 1
    finally:
        pg_cluster.drop_database("news desk")
        pg_cluster.drop_roles({r for r in pg_cluster.roles() if r.startswith("news desk__")})


@pytest.mark.parametrize(
    ("url", "seen"),
    [
        ("postgresql:///t4?host=/run/pg&port=5433", "postgresql:///t4?host=/run/pg&port=5433"),
        ("postgresql://mona:pw@[::1]:5432/t4", "postgresql://mona@[::1]:5432/t4"),
        (
            "postgresql://mona@h/t4?password=pw&sslmode=require",
            "postgresql://mona@h/t4?sslmode=require",
        ),
    ],
)
def test_a_shown_url_is_still_the_servers_url_without_its_password(url: str, seen: str) -> None:
    assert shown(url) == seen and is_server_url(shown(url))
    assert ServerLocation.of(url).conninfo == url
