"""A server project's password comes as libpq finds it (PGPASSWORD, ~/.pgpass) or is asked for,
and is never written into a message, a URL the tool shows, or the project."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from pg_cluster import PgCluster

from annotator.cli import main
from annotator.errors import ProjectError
from annotator.store import Project
from annotator.store.pg import connection as pg_connection

SECRET = "s3cret-pw"


@pytest.fixture
def mona_url(pg_url: str, pg_cluster: PgCluster) -> Iterator[str]:
    """The project of ``pg_url`` as mona, a login role with a password, without the password."""
    database = urlsplit(pg_url).path.lstrip("/")
    with Project.create(pg_url, annotator="mona"):
        pass
    with pg_cluster.connect(database) as admin:
        admin.execute(f"CREATE ROLE mona LOGIN PASSWORD '{SECRET}'")
        admin.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO mona")
    yield pg_cluster.url(database, user="mona")
    with pg_cluster.connect(database) as admin:
        admin.execute("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM mona")
        admin.execute("DROP OWNED BY mona")
        admin.execute("DROP ROLE mona")


@pytest.fixture(autouse=True)
def no_prompt(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(pg_connection, "password_prompt", None)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    monkeypatch.delenv("PGPASSWORD", raising=False)


def test_without_a_password_the_project_is_refused_naming_the_url(mona_url: str) -> None:
    with pytest.raises(ProjectError, match="cannot connect") as refused:
        Project.open(mona_url, read_only=True)
    assert mona_url in str(refused.value) and SECRET not in str(refused.value)


def test_the_prompt_is_asked_once_and_its_password_used(
    mona_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def prompt(location: object, reason: str) -> str:
        asked.append(str(location))
        return SECRET

    monkeypatch.setattr(pg_connection, "password_prompt", prompt)
    with Project.open(mona_url, read_only=True) as opened:
        assert opened.document_count() == 0
        assert SECRET not in str(opened.path)
    assert asked == [mona_url]


def test_a_wrong_password_at_the_prompt_is_refused(
    mona_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pg_connection, "password_prompt", lambda location, reason: "wrong")
    with pytest.raises(ProjectError, match="password authentication failed"):
        Project.open(mona_url, read_only=True)


def test_pgpassword_and_a_pgpass_line_are_used_as_libpq_uses_them(
    mona_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PGPASSWORD", SECRET)
    assert CliRunner().invoke(main, ["list", mona_url]).exit_code == 0
    monkeypatch.delenv("PGPASSWORD")
    parts = urlsplit(mona_url)
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"{parts.hostname}:{parts.port}:*:mona:{SECRET}\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    result = CliRunner().invoke(main, ["list", mona_url])
    assert result.exit_code == 0, result.output
    failed = CliRunner().invoke(main, ["list", mona_url.replace("mona@", "nobody@")])
    assert failed.exit_code != 0 and "cannot connect" in failed.output
    assert SECRET not in failed.output


def test_a_login_outside_the_project_is_told_so(pg_url: str, pg_cluster: PgCluster) -> None:
    database = urlsplit(pg_url).path.lstrip("/")
    with Project.create(pg_url, annotator="tester"):
        pass
    with pg_cluster.connect(database) as admin:
        admin.execute(f"CREATE ROLE outsider LOGIN PASSWORD '{SECRET}'")
    url = pg_cluster.url(database, user="outsider", password=SECRET)
    with pytest.raises(ProjectError, match="outsider is not a member of this project") as refused:
        Project.open(url, read_only=True)
    assert SECRET not in str(refused.value)


def test_a_password_in_the_url_is_never_shown() -> None:
    from annotator.store.pg.location import ServerLocation

    for url in ("postgresql://mona:s3cret@h:5/db", "postgresql://mona@h/db?password=s3cret&x=1"):
        location = ServerLocation.of(url)
        assert "s3cret" not in str(location) and "s3cret" not in repr(location)
        assert "s3cret" in location.conninfo  # libpq still gets it
