"""`annotator assign` and `annotator progress`, as a manager runs them."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlsplit

import psycopg
import pytest
from click.testing import CliRunner, Result
from pg_cluster import PgCluster

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


# ---- annotator team: people and roles of a server project ----------------------------------


def login(url: str, user: str, password: str) -> str:
    """The URL of the same project as ``user`` with ``password`` (as they would connect)."""
    parts = urlsplit(url)
    secret = f":{quote(password, safe='')}" if password else ""
    return f"postgresql://{user}{secret}@{parts.hostname}:{parts.port}{parts.path}"


def can_connect(url: str) -> bool:
    try:
        psycopg.connect(url).close()
    except psycopg.OperationalError:
        return False
    return True


def add(url: str, name: str, role: str, typed: str) -> Result:
    return CliRunner().invoke(main, ["team", "add", url, name, "--role", role], input=typed)


@pytest.fixture
def team_url(pg_url: str) -> str:
    """A server project made by `annotator init`, holding one article; as its creator."""
    made = run("init", pg_url)
    assert made.exit_code == 0, made.output
    with Project.open(pg_url) as project:
        project.add_document(TEXT, doc_id="d0")
    return pg_url


def test_init_blind_and_a_person_added_with_a_password_typed_twice(pg_url: str):
    made = run("init", pg_url, "--blind")
    assert made.exit_code == 0, made.output
    assert made.stdout.endswith(" (blind)\n")
    added = add(pg_url, "mona", "annotator", "open sesame\n" * 2)
    assert added.exit_code == 0, added.output
    assert added.stderr == "password for mona: \nRepeat for confirmation: \n"  # never echoed
    assert added.stdout == f"added mona to {pg_url} as annotator (a new login)\n"
    mona = login(pg_url, "mona", "open sesame")
    with Project.open(mona, read_only=True) as project:
        assert project.annotator == "mona"  # her login is her layer
    assert run("team", "blind", mona).stdout == "blind: on\n"
    assert run("team", "list", mona).stdout.endswith("\nmona\tannotator\nblind: on\n")


def test_two_different_passwords_add_nobody(team_url: str):
    added = add(team_url, "mona", "annotator", "open sesame\nopen sesamE\n")
    assert added.exit_code != 0
    assert "The two entered values do not match" in added.stderr
    assert "sesam" not in added.output
    assert not can_connect(login(team_url, "mona", "open sesame"))
    assert "mona" not in run("team", "list", team_url).stdout


def test_password_from_stdin_list_and_remove(team_url: str, pg_cluster: PgCluster):
    args = ["team", "add", team_url, "sami", "--role", "curator", "--password-stdin"]
    added = CliRunner().invoke(main, args, input="s3cret\n")
    assert added.exit_code == 0, added.output
    assert "s3cret" not in added.output and added.stderr == ""
    add(team_url, "mona", "annotator", "pw-mona\n" * 2)
    listed = run("team", "list", team_url)
    assert listed.exit_code == 0, listed.output
    assert listed.stdout == (
        f"member\trole\n{pg_cluster.superuser}\towner\nmona\tannotator\nsami\tcurator\nblind: off\n"
    )
    removed = run("team", "remove", team_url, "mona")
    assert removed.stdout == f"removed mona (annotator) from {team_url}\n"
    assert "mona" not in run("team", "list", team_url).stdout
    with (
        psycopg.connect(login(team_url, "mona", "pw-mona")) as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        conn.execute("SELECT count(*) FROM spans")
    with Project.open(login(team_url, "sami", "s3cret")) as sami, sami.as_reviewer():
        gold = sami.add_span("d0", *SPEAKER, "PER", annotator="gold")  # a curator's layer
    assert TEXT[gold.start : gold.end] == "المتحدث"


def test_an_annotator_can_neither_add_people_nor_switch_blind(team_url: str):
    add(team_url, "mona", "annotator", "pw-mona\n" * 2)
    mona = login(team_url, "mona", "pw-mona")
    refused = add(mona, "sami", "manager", "x\nx\n")
    assert refused.exit_code == 3
    assert refused.stderr == (
        f"error: {login(team_url, 'mona', '')}: mona may not add people: that needs a login that"
        " may create roles on this server (CREATEROLE or superuser), such as the project's owner"
        f" {urlsplit(team_url).username}\n"
    )
    assert "password for" not in refused.stderr  # refused before anything was asked
    blind = run("team", "blind", mona, "on")
    assert blind.exit_code == 1
    assert blind.stderr == (
        f"error: {login(team_url, 'mona', '')}: the server refused mona's change: permission"
        " denied for table project (another role on this project is needed for that: see"
        " `annotator team list`)\n"
    )
    assert run("team", "blind", team_url).stdout == "blind: off\n"


def test_a_project_file_has_no_roles(tmp_path: Path):
    path = news(tmp_path / "news.sqlite", 1)
    for args in (["team", "add", path, "mona", "--role", "annotator"], ["team", "list", path]):
        result = CliRunner().invoke(main, [str(a) for a in args], input="pw\npw\n")
        assert result.exit_code == 3
        assert result.stderr == (
            f"error: {path}: roles are for server projects (postgresql://HOST/DB): a project"
            " file has none, whoever may write the file may change all of it\n"
        )
    blind = run("init", tmp_path / "other.sqlite", "--blind")
    assert blind.exit_code == 3 and "roles are for server projects" in blind.stderr
    assert not (tmp_path / "other.sqlite").exists()


def test_assigning_to_someone_outside_the_team_is_refused_on_a_server(team_url: str):
    add(team_url, "mona", "annotator", "pw-mona\npw-mona\n")

    refused = CliRunner().invoke(
        main, ["assign", team_url, "--annotators", "mona,nobdy", "--per-document", "1"]
    )
    assert refused.exit_code != 0 and "not a member" in refused.output and "nobdy" in refused.output
    with Project.open(team_url) as project:
        assert project.assignments() == []
