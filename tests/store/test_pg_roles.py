"""Roles enforced by a real PostgreSQL server: each person connects with their own password,
as the window does and as psql would, and the server refuses what their role does not allow.

The project's creator (the test server's superuser) makes the project and its people: three
annotators (mona, sami, huda), a curator (karim) and a manager (lina). mona annotates through
the Project API; sami tries the rest directly with psycopg (and psql), skipping the program."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from pg_cluster import PgCluster

from annotator.errors import AnnotatorError, OwnershipError, ProjectError, ValidationError
from annotator.store import Project
from annotator.store.pg import roles
from annotator.store.pg.team import Member, Team
from annotator.store.reviews import decisions, record_decision, set_review_status

TEXT = "قال المتحدث باسم الكرملين إن موسكو مستعدة للحوار"
SPEAKER = (4, 11)  # المتحدث
KREMLIN = (17, 25)  # الكرملين
MOSCOW = (29, 34)  # موسكو
QUOTE = (29, len(TEXT))  # موسكو مستعدة للحوار
PEOPLE = {
    "mona": "annotator",
    "sami": "annotator",
    "huda": "annotator",
    "karim": "curator",
    "lina": "manager",
}
INSERT_SPAN = (
    'INSERT INTO spans (doc_id, id, start, "end", label, annotator, created, updated)'
    " VALUES (%s, %s, %s, %s, %s, %s, 'now', 'now')"
)
REFUSED = "42501"  # insufficient_privilege


def password(name: str) -> str:
    return f"pw of {name}!"


@dataclass
class Server:
    """The team's project on the test server, and a way in for each person."""

    cluster: PgCluster
    database: str
    doc_id: str

    def url(self, who: str | None = None) -> str:
        """The project's URL as ``who`` (with their password), or as the superuser."""
        if who is None:
            return self.cluster.url(self.database)
        return self.cluster.url(self.database, user=who, password=password(who))

    def connect(self, who: str) -> psycopg.Connection:
        """A plain psycopg connection of ``who`` with their own password, as psql's."""
        return psycopg.connect(self.url(who), autocommit=True)

    def span(self, span_id: str) -> tuple[object, ...] | None:
        """The stored span as the superuser reads it: (start, end, label, annotator)."""
        with self.cluster.connect(self.database) as admin:
            return admin.execute(
                'SELECT start, "end", label, annotator FROM spans WHERE id = %s', [span_id]
            ).fetchone()


@pytest.fixture
def server(pg_cluster: PgCluster, pg_url: str) -> Iterator[Server]:
    """A project with one article and its five people, made by the server's superuser."""
    with Project.create(pg_url) as project:
        doc = project.add_document(TEXT, title="الكرملين")
        team = Team.of(project)
        for name, role in PEOPLE.items():
            team.add(name, role, password(name))
    yield Server(pg_cluster, urlsplit(pg_url).path.lstrip("/"), doc.id)


@pytest.fixture
def mona_span(server: Server) -> str:
    """mona's PER span on المتحدث, added through the Project API with her own login."""
    with Project.open(server.url("mona")) as mona:
        assert mona.annotator == "mona"  # the login, no --annotator given
        span = mona.add_span(server.doc_id, *SPEAKER, "PER")
    assert TEXT[span.start : span.end] == "المتحدث"
    return span.id


def refused(conn: psycopg.Connection, statement: str, params: list[object]) -> str:
    """Run a statement that must be refused; return the server's message."""
    with pytest.raises(psycopg.Error) as caught:
        conn.execute(statement, params)
    assert caught.value.sqlstate == REFUSED, caught.value
    return caught.value.diag.message_primary or ""


# ---- one annotator cannot touch another's layer -------------------------------------------


def test_another_annotator_is_refused_every_write_to_her_span(server: Server, mona_span: str):
    before = server.span(mona_span)
    assert before == (*SPEAKER, "PER", "mona")
    with server.connect("sami") as sami:
        changed = refused(sami, "UPDATE spans SET label = 'ORG' WHERE id = %s", [mona_span])
        assert changed == (
            f"sami may not change mona's annotation {mona_span}: each annotator writes only"
            " their own layer"
        )
        deleted = refused(sami, "DELETE FROM spans WHERE id = %s", [mona_span])
        assert deleted.startswith(f"sami may not delete mona's annotation {mona_span}")
        # A span made in her name, or in the gold layer.
        for layer in ("mona", "gold"):
            message = refused(
                sami, INSERT_SPAN, [server.doc_id, f"s-{layer}", *KREMLIN, "ORG", layer]
            )
            assert message == 'new row violates row-level security policy for table "spans"'
        # Taking her span over by renaming its layer goes nowhere either.
        refused(sami, "UPDATE spans SET annotator = 'sami' WHERE id = %s", [mona_span])
        # His own layer is his to write.
        sami.execute(INSERT_SPAN, [server.doc_id, "s-sami", *KREMLIN, "ORG", "sami"])
    assert server.span(mona_span) == before
    assert server.span("s-mona") is None and server.span("s-gold") is None
    assert server.span("s-sami") == (*KREMLIN, "ORG", "sami")


def test_psql_itself_as_another_annotator_is_refused(server: Server, mona_span: str):
    psql = server.cluster.bindir / "psql"
    program = str(psql) if psql.is_file() else shutil.which("psql")
    assert program, "psql, PostgreSQL's client, is needed: it comes with the server's package"
    done = subprocess.run(
        [
            program, "-X", "-v", "ON_ERROR_STOP=1", "-c", r"\set VERBOSITY verbose",
            "-c", f"UPDATE spans SET label = 'ORG' WHERE id = '{mona_span}'",
            server.cluster.url(server.database, user="sami"),
        ],
        env={**os.environ, "PGPASSWORD": password("sami")},
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert done.returncode != 0
    assert f"ERROR:  {REFUSED}: sami may not change mona's annotation {mona_span}" in done.stderr
    assert server.span(mona_span) == (*SPEAKER, "PER", "mona")


def test_a_client_skipping_the_programs_checks_gets_the_servers_refusal(
    server: Server, mona_span: str
):
    # As a modified program would: the store believes sami works in mona's layer.
    with Project.open(server.url("sami")) as sami:
        sami.annotator = "mona"
        with pytest.raises(OwnershipError) as caught:
            sami.add_span(server.doc_id, *KREMLIN, "ORG")
        assert str(caught.value) == (
            "the server refused the change: new row violates row-level security policy for"
            ' table "spans" (an annotator writes only their own layer, a curator also the gold'
            " layer)"
        )
        with pytest.raises(OwnershipError, match="sami may not delete mona's annotation"):
            sami.delete_span(server.doc_id, mona_span)
        assert [s.annotator for s in sami.spans(server.doc_id)] == ["mona"]


def test_a_member_is_refused_another_name_and_a_manager_may_name_a_layer(server: Server):
    with pytest.raises(ProjectError) as caught:
        Project.open(server.url("sami"), annotator="mona")
    assert "--annotator mona: you are connected as sami" in str(caught.value)
    assert "leave --annotator out or give --annotator sami" in str(caught.value)
    with Project.open(server.url("lina"), annotator="model:camelbert") as lina:
        span = lina.add_span(server.doc_id, *MOSCOW, "GPE")
    assert server.span(span.id) == (*MOSCOW, "GPE", "model:camelbert")


def test_a_link_joins_spans_of_its_own_layer_only(server: Server, mona_span: str):
    with Project.open(server.url("sami")) as sami:
        quote = sami.add_span(server.doc_id, *QUOTE, "QUOTE", attrs={"type": "indirect"})
        speaker = sami.add_span(server.doc_id, *SPEAKER, "PER")
        link = sami.add_relation(server.doc_id, "SPEAKER", quote.id, speaker.id)
        assert [r.id for r in sami.relations(server.doc_id)] == [link.id]
    with server.connect("sami") as conn:
        refused(
            conn,
            "INSERT INTO relations (doc_id, id, type, head, tail, annotator, created, updated)"
            " VALUES (%s, 'r-across', 'SPEAKER', %s, %s, 'sami', 'now', 'now')",
            [server.doc_id, quote.id, mona_span],
        )


# ---- curators, managers and the shared tables ----------------------------------------------


def test_the_curator_writes_gold_and_not_an_annotators_layer(server: Server, mona_span: str):
    with Project.open(server.url("karim")) as karim, karim.as_reviewer():
        gold = karim.add_span(server.doc_id, *SPEAKER, "PER", annotator="gold")
        set_review_status(karim, server.doc_id, "reviewed")
    assert server.span(gold.id) == (*SPEAKER, "PER", "gold")
    with server.connect("karim") as conn:
        refused(conn, "UPDATE spans SET label = 'ORG' WHERE id = %s", [mona_span])
    with server.connect("sami") as conn:
        message = refused(conn, "DELETE FROM spans WHERE id = %s", [gold.id])
        assert message == (
            f"sami may not delete the gold layer's annotation {gold.id}: only curators write"
            " the gold layer"
        )
        refused(conn, "DELETE FROM document_reviews", [])
        refused(
            conn,
            "INSERT INTO review_decisions (doc_id, case_key, decision, reviewer, decided)"
            " VALUES (%s, 'k', 'accepted', 'sami', 'now')",
            [server.doc_id],
        )
    assert server.span(gold.id) == (*SPEAKER, "PER", "gold")


def test_an_annotator_cannot_change_the_schema_documents_or_assignments(server: Server):
    with Project.open(server.url()) as admin:
        admin.assign(["mona", "sami"], 2, seed=1)
    with Project.open(server.url("sami")) as sami:
        with pytest.raises(OwnershipError, match="permission denied for table project"):
            sami.add_labels(["WEAPON"])
        with pytest.raises(OwnershipError, match="permission denied for table assignments"):
            sami.assign(["sami"], 1, seed=1, replace=True)
        with pytest.raises(OwnershipError, match="permission denied for table documents"):
            sami.set_document_title(server.doc_id, "عنوان آخر")
        # An import reports it as a problem of the batch, with the server's words.
        with pytest.raises(AnnotatorError, match="permission denied for table documents"):
            sami.add_document("نص آخر")
        # What is his: the document's status, his own assignment's done mark.
        sami.set_document_status(server.doc_id, "done")
        sami.set_assignment_done(server.doc_id, True)
    with server.connect("sami") as conn:
        message = refused(conn, "UPDATE assignments SET done = 'now' WHERE annotator = 'mona'", [])
        assert message.startswith("sami may not change mona's assignment of document")
        refused(conn, "UPDATE assignments SET annotator = 'sami'", [])
        refused(conn, "UPDATE project SET value = 'x' WHERE key = 'schema'", [])
    with Project.open(server.url()) as admin:
        assert not admin.schema.has_label("WEAPON")
        assert [(a.annotator, a.done is not None) for a in admin.assignments()] == [
            ("mona", False),
            ("sami", True),
        ]
        assert admin.document(server.doc_id).status == "done"


def test_a_manager_changes_the_schema_and_assigns(server: Server):
    with Project.open(server.url("lina")) as lina:
        assert lina.add_labels(["WEAPON"]) == ["WEAPON"]
        report = lina.assign(["mona", "sami", "huda"], 2, seed=3)
        assert report.documents == 1 and sum(report.added.values()) == 2
        lina.add_document("نص آخر")
    with Project.open(server.url("mona"), read_only=True) as mona:
        assert mona.schema.has_label("WEAPON") and mona.document_count() == 2


def test_suggestions_are_each_persons_own(server: Server):
    insert = (
        'INSERT INTO suggestions (doc_id, id, recommender, annotator, start, "end", label,'
        " created) VALUES (%s, %s, 'strings', %s, 17, 25, 'ORG', 'now')"
    )
    with server.connect("mona") as mona:
        mona.execute(insert, [server.doc_id, "g-mona", "mona"])
    with server.connect("sami") as sami:
        assert sami.execute("SELECT id FROM suggestions").fetchall() == []
        refused(sami, insert, [server.doc_id, "g-sami", "mona"])
    with Project.open(server.url("sami")) as project:  # trained models are everyone's
        project.save_model("strings", b"model", {"learned_from": "sami"})


# ---- blind projects ------------------------------------------------------------------------


def test_in_a_blind_project_annotators_see_only_their_own_until_review(
    server: Server, mona_span: str
):
    with Project.open(server.url()) as admin:
        Team.of(admin).set_blind(True)
    with Project.open(server.url("sami")) as sami:
        own = sami.add_span(server.doc_id, *KREMLIN, "ORG")
    with Project.open(server.url("karim")) as karim, karim.as_reviewer():
        gold = karim.add_span(server.doc_id, *SPEAKER, "PER", annotator="gold")
        record_decision(karim, server.doc_id, "4:11:PER", "accepted", gold_ids=[gold.id])
    with server.connect("sami") as conn:
        seen = conn.execute("SELECT id FROM spans ORDER BY id").fetchall()
        assert seen == [(own.id,)]
        # Nor what the review made of the others' work.
        assert conn.execute("SELECT count(*) FROM review_decisions").fetchone() == (0,)
        # Not even by naming the span: for him it is not there.
        assert (
            conn.execute("UPDATE spans SET label = 'ORG' WHERE id = %s", [mona_span]).rowcount == 0
        )
    with Project.open(server.url("karim")) as karim:
        layers = sorted(s.annotator for s in karim.spans(server.doc_id))
        assert layers == ["gold", "mona", "sami"]
        set_review_status(karim, server.doc_id, "reviewed")
    with Project.open(server.url("sami"), read_only=True) as sami:
        layers = sorted(s.annotator for s in sami.spans(server.doc_id))
        assert layers == ["gold", "mona", "sami"]
        assert [d.gold_ids for d in decisions(sami, server.doc_id).values()] == [(gold.id,)]
    assert server.span(mona_span) == (*SPEAKER, "PER", "mona")


def test_a_manager_switches_blind_and_an_annotator_cannot(server: Server, mona_span: str):
    with (
        Project.open(server.url("sami")) as sami,
        pytest.raises(OwnershipError, match="permission denied for table project"),
    ):
        Team.of(sami).set_blind(True)
    with Project.open(server.url("lina")) as lina:
        Team.of(lina).set_blind(True)
        assert Team.of(lina).blind
    with server.connect("sami") as conn:
        assert conn.execute("SELECT count(*) FROM spans").fetchone() == (0,)
    with Project.open(server.url("lina")) as lina:
        Team.of(lina).set_blind(False)
    with server.connect("sami") as conn:
        assert conn.execute("SELECT count(*) FROM spans").fetchone() == (1,)


# ---- the team itself -----------------------------------------------------------------------


def test_members_their_roles_and_removal(server: Server, mona_span: str):
    with Project.open(server.url()) as admin:
        team = Team.of(admin)
        assert team.members() == [
            Member(server.cluster.superuser, "owner"),
            Member("huda", "annotator"),
            Member("karim", "curator"),
            Member("lina", "manager"),
            Member("mona", "annotator"),
            Member("sami", "annotator"),
        ]
        again = team.add("sami", "curator", None)  # his login and password stay
        assert (again.created, again.previous) == (False, "annotator")
        assert team.role_of("sami") == "curator"
        assert team.remove("mona") == "annotator"
        assert team.role_of("mona") is None
    with server.connect("mona") as conn:
        refused(conn, "SELECT count(*) FROM spans", [])
    with server.connect("sami") as conn:  # a curator now: writes gold
        conn.execute(INSERT_SPAN, [server.doc_id, "s-gold", *KREMLIN, "ORG", "gold"])
    # mona's work stays in the project.
    assert server.span(mona_span) == (*SPEAKER, "PER", "mona")


def test_the_password_never_reaches_the_server_only_its_verifier(server: Server):
    with Project.open(server.url()) as admin:
        # The server writes every statement of this session to its log.
        admin.db.conn.raw.execute("SET log_statement = 'all'")
        Team.of(admin).add("nour", "annotator", password("nour"))
    log = server.cluster.log.read_text(encoding="utf-8", errors="replace")
    assert 'CREATE ROLE "nour" LOGIN PASSWORD \'SCRAM-SHA-256$' in log
    assert password("nour") not in log
    with server.cluster.connect(server.database) as admin:
        stored = admin.execute(
            "SELECT rolpassword FROM pg_authid WHERE rolname = 'nour'"
        ).fetchone()
    assert stored is not None and str(stored[0]).startswith("SCRAM-SHA-256$")
    with server.connect("nour") as nour:  # and it is the password she logs in with
        assert nour.execute("SELECT current_user").fetchone() == ("nour",)


def test_only_a_login_that_may_create_roles_adds_people(server: Server):
    with (
        Project.open(server.url("lina")) as lina,
        pytest.raises(ProjectError, match="lina may not add people"),
    ):
        Team.of(lina).add("nour", "annotator", "pw")
    with server.cluster.connect() as admin:
        assert admin.execute("SELECT 1 FROM pg_roles WHERE rolname = 'nour'").fetchone() is None


def test_init_by_a_login_that_may_not_create_roles_is_refused_and_makes_nothing(
    pg_cluster: PgCluster, pg_url: str
):
    database = urlsplit(pg_url).path.lstrip("/")
    with pg_cluster.connect(database) as admin:
        admin.execute("CREATE ROLE owner_only LOGIN PASSWORD 'pw'")
        admin.execute(f'ALTER DATABASE "{database}" OWNER TO owner_only')
        admin.execute("GRANT CREATE ON SCHEMA public TO owner_only")
    url = pg_cluster.url(database, user="owner_only", password="pw")
    with pytest.raises(ProjectError, match="owner_only may not create roles on this server"):
        Project.create(url)
    with pg_cluster.connect(database) as admin:
        tables = admin.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
        admin.execute(f'ALTER DATABASE "{database}" OWNER TO "{pg_cluster.superuser}"')
        admin.execute("DROP OWNED BY owner_only")
    assert tables == (0,)


def test_every_table_of_a_project_has_its_rights(server: Server):
    with server.cluster.connect(server.database) as admin:
        tables = {
            r[0]
            for r in admin.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            )
        }
    # A table a later migration adds must be given here, or nobody but its owner could use it.
    assert tables == {table for table, _, _ in roles.GRANTS}


def test_an_upgrade_gives_new_tables_the_teams_rights(server: Server):
    # As a project made before assignments existed: the table and its migration gone.
    with server.cluster.connect(server.database) as admin:
        admin.execute("DROP TABLE assignments")
        admin.execute("DELETE FROM schema_migrations WHERE name = 'm006_assignments'")
    Project.open(server.url()).close()  # the owner opens it: the upgrade runs
    with server.connect("sami") as conn:
        assert conn.execute("SELECT count(*) FROM assignments").fetchone() == (0,)
        refused(
            conn, "INSERT INTO assignments (doc_id, annotator, assigned) VALUES ('x', 'y', 'z')", []
        )


def test_a_file_has_no_team(tmp_path: Path):
    with (
        Project.create(tmp_path / "news.sqlite") as project,
        pytest.raises(ProjectError, match="roles are for server projects"),
    ):
        Team.of(project)


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("gold", "'gold' is the reviewed layer, not a person"),
        ("pg_monitor", "names starting with pg_ are PostgreSQL's"),
        ("t_1__managers", "__ marks the projects' groups"),
        (" mona", "has no spaces at its ends"),
        ("م" * 32, "longer than PostgreSQL's 63 bytes"),
    ],
)
def test_a_name_that_cannot_be_a_persons_login_is_refused(server: Server, name: str, why: str):
    with Project.open(server.url()) as admin:
        team = Team.of(admin)
        with pytest.raises(ValidationError, match=re.escape(why)):
            team.add(name, "annotator", "pw")
        assert [m.name for m in team.members()].count(name) == 0
