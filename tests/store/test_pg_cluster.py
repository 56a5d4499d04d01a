"""The tests' throwaway PostgreSQL server: on 127.0.0.1 only, a database per test, passwords enforced."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from pg_cluster import INSTALL_HINT, PgCluster, find_bindir, fresh_database

TESTS = Path(__file__).resolve().parents[1]


def listening_sockets(port: int) -> list[tuple[str, str]]:
    """(protocol, local address in /proc's hex) of every socket listening on the port."""
    found = []
    for protocol in ("tcp", "tcp6"):
        table = Path("/proc/net") / protocol
        for line in table.read_text().splitlines()[1:]:
            fields = line.split()
            address, port_hex = fields[1].split(":")
            if fields[3] == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
                found.append((protocol, address))
    return found


def refused(family: socket.AddressFamily, address: str, port: int) -> bool:
    """Whether nothing accepts a TCP connection at that address."""
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.settimeout(5)
        try:
            probe.connect((address, port))
        except OSError:
            return True
        return False


def test_the_server_listens_on_127_0_0_1_only(pg_cluster: PgCluster, pg_url: str) -> None:
    with psycopg.connect(pg_url) as conn:
        where = conn.execute("SELECT host(inet_server_addr()), inet_server_port()").fetchone()
        listen = conn.execute("SHOW listen_addresses").fetchone()
    assert where == ("127.0.0.1", pg_cluster.port)
    assert listen == ("127.0.0.1",)
    # 127.0.0.1 in hex, little-endian: the one listening socket, on no other address or IPv6.
    assert listening_sockets(pg_cluster.port) == [("tcp", "0100007F")]
    # The rest of 127.0.0.0/8 reaches this machine too: a server on every address answers there.
    assert refused(socket.AF_INET, "127.0.0.2", pg_cluster.port)
    assert refused(socket.AF_INET6, "::1", pg_cluster.port)


def test_a_second_database_is_isolated(pg_cluster: PgCluster, pg_url: str) -> None:
    with psycopg.connect(pg_url) as conn:
        conn.execute("CREATE TABLE notes (body text)")
        conn.execute("INSERT INTO notes VALUES ('في الأولى')")
    with fresh_database(pg_cluster) as other_url, psycopg.connect(other_url) as other:
        assert other_url != pg_url
        assert other.execute("SELECT to_regclass('notes')").fetchone() == (None,)
        other.execute("CREATE TABLE notes (body text)")
        other.execute("INSERT INTO notes VALUES ('في الثانية'), ('وأخرى')")
        other.commit()
        assert other.execute("SELECT count(*) FROM notes").fetchone() == (2,)
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT body FROM notes").fetchall() == [("في الأولى",)]


def test_a_role_other_than_the_superuser_logs_in_with_its_password_only(
    pg_cluster: PgCluster, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    dbname = pg_url.rsplit("/", 1)[1]
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE ROLE mona LOGIN PASSWORD 'sesame'")
    good = pg_cluster.url(dbname, user="mona", password="sesame")
    with psycopg.connect(good) as conn:
        assert conn.execute("SELECT current_user").fetchone() == ("mona",)
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(pg_cluster.url(dbname, user="mona", password="open"))
    with pytest.raises(psycopg.OperationalError, match="no password supplied"):
        psycopg.connect(pg_cluster.url(dbname, user="mona"), passfile=os.devnull)


def test_a_database_and_the_roles_made_in_it_are_gone_after_the_test(pg_cluster: PgCluster) -> None:
    with fresh_database(pg_cluster) as url:
        dbname = url.rsplit("/", 1)[1]
        # Left open, as a failing test leaves it: the drop must not wait for it.
        left_open = psycopg.connect(url, autocommit=True)
        left_open.execute("CREATE ROLE karim LOGIN PASSWORD 'x'")
        left_open.execute("CREATE TABLE t (x int)")
        left_open.execute("ALTER TABLE t OWNER TO karim")
    with pg_cluster.connect() as conn:
        databases = conn.execute("SELECT datname FROM pg_database WHERE datname = %s", [dbname])
        assert databases.fetchall() == []
    assert "karim" not in pg_cluster.roles()
    assert pg_cluster.superuser in pg_cluster.roles()
    assert _fails(left_open)  # the drop ended it
    left_open.close()


def _fails(conn: psycopg.Connection) -> bool:
    try:
        conn.execute("SELECT 1")
    except psycopg.OperationalError:
        return True
    return False


def test_a_killed_test_run_leaves_no_server_behind() -> None:
    # A run killed where no finalizer runs: SIGKILL, as a CI timeout or the OOM killer does.
    with subprocess.Popen(
        [sys.executable, "-c", KILLED_RUN, str(TESTS)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as run:
        port, root = run.stdout.readline().split()  # type: ignore[union-attr]
        assert not refused(socket.AF_INET, "127.0.0.1", int(port))  # it was up
        os.kill(run.pid, signal.SIGKILL)
    deadline = time.monotonic() + 60  # bounds a failure; the loop ends when the folder goes
    while Path(root).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not Path(root).exists()
    assert refused(socket.AF_INET, "127.0.0.1", int(port))


KILLED_RUN = """
import sys
sys.path.insert(0, sys.argv[1])
from pg_cluster import start_cluster
cluster = start_cluster()
print(cluster.port, cluster.root, flush=True)
sys.stdin.read()
"""


def test_debian_s_newest_server_is_found_when_path_has_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for version in ("9.6", "15", "16", "client-only"):
        bindir = tmp_path / "lib" / version / "bin"
        bindir.mkdir(parents=True)
        if version != "client-only":
            (bindir / "initdb").touch()
            (bindir / "pg_ctl").touch()
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert find_bindir(tmp_path / "lib") == tmp_path / "lib" / "16" / "bin"
    assert find_bindir(tmp_path / "nothing") is None


def test_without_a_server_a_postgresql_test_fails_saying_how_to_install(tmp_path: Path) -> None:
    # A test run of its own, with the real fixtures and no server binaries to be found.
    (tmp_path / "conftest.py").write_text(
        "import importlib.util, sys\n"
        f"sys.path.insert(0, {str(TESTS)!r})\n"
        "import pg_cluster\n"
        "pg_cluster.find_bindir = lambda: None\n"
        f"spec = importlib.util.spec_from_file_location('project', {str(TESTS / 'conftest.py')!r})\n"
        "project = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(project)\n"
        "pg_cluster, pg_url = project.pg_cluster, project.pg_url\n",
        encoding="utf-8",
    )
    (tmp_path / "test_needs_server.py").write_text(
        "def test_needs_server(pg_url):\n    assert pg_url\n", encoding="utf-8"
    )
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 error" in done.stdout
    assert "skipped" not in done.stdout
    assert INSTALL_HINT in done.stdout
