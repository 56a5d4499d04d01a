"""A throwaway PostgreSQL server for the tests: `initdb` and `pg_ctl` in a temp folder, on 127.0.0.1.

The folder is in /dev/shm when it has room (in memory), else in the temp folder. The server
listens on 127.0.0.1 only (a free port, its unix socket in that folder), runs with fsync off,
and trusts only its own superuser: every other role logs in with a password (scram-sha-256), so
a test can create a role and check what the server lets it do. Text sorts in the C collation,
byte by byte, as SQLite's BINARY collation does. A watchdog stops the server and deletes its
folder when the test run ends, even killed.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg

SUPERUSER = "annotator_test"
HOST = "127.0.0.1"
DEBIAN_ROOT = Path("/usr/lib/postgresql")  # Debian and Ubuntu keep each major version apart
SHM_ROOM = 1 << 30  # free bytes /dev/shm must have to hold the cluster
INSTALL_HINT = (
    "PostgreSQL's server is not installed (no initdb in `pg_config --bindir`, "
    "/usr/lib/postgresql/*/bin or PATH): install it with "
    "`sudo apt-get install postgresql` (Debian/Ubuntu) and run the tests again"
)
# The superuser is trusted; anyone else gives a password. The first matching line decides.
PG_HBA = f"""\
local all {SUPERUSER} trust
host all {SUPERUSER} {HOST}/32 trust
local all all scram-sha-256
host all all {HOST}/32 scram-sha-256
"""
# Durability is worth nothing for a server deleted at the end of the run.
SETTINGS = {
    "listen_addresses": f"'{HOST}'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "password_encryption": "'scram-sha-256'",
}
# Run beside the tests with a pipe from them as its stdin: at end of file, which comes however
# the run ends (finished, or killed by SIGKILL or `timeout`, when no finalizer runs), it stops
# the server and deletes its folder.
WATCHDOG = 'cat >/dev/null; "$0" stop -D "$1" -m immediate -w >/dev/null 2>&1; rm -rf "$2"'


class PostgresNotInstalled(RuntimeError):
    """No PostgreSQL server binaries were found on this machine."""


def _has_server(bindir: Path) -> bool:
    return (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file()


def _version_key(bindir: Path) -> tuple[int, ...]:
    version = bindir.parent.name
    return tuple(int(part) for part in version.split(".") if part.isdigit())


def find_bindir(debian_root: Path = DEBIAN_ROOT) -> Path | None:
    """The folder holding initdb and pg_ctl: pg_config's, Debian's newest, or PATH's; None if none."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        # pg_config may come with libpq's headers alone: its bindir then holds no server.
        done = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        if done.returncode == 0 and done.stdout.strip():
            candidates.append(Path(done.stdout.strip()))
    debian = sorted(debian_root.glob("*/bin"), key=_version_key, reverse=True)
    candidates.extend(debian)
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).resolve().parent)
    return next((bindir for bindir in candidates if _has_server(bindir)), None)


def _server_account() -> str | None:
    """The account that runs the server: ours, or an unprivileged one when we are root."""
    if os.geteuid() != 0:
        return None
    # initdb and postgres refuse to run as root.
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise PostgresNotInstalled(
        "running as root and no postgres or nobody account to run the server"
    )


def _parent_folder(account: str | None) -> str | None:
    """Where the cluster's folder goes: memory if there is room, else the temp folder."""
    # Measured on a disk busy with other test runs: a database made in 30 ms on /dev/shm, in
    # 275-500 ms on /tmp. Docker's default /dev/shm (64 MB) is too small and is passed over.
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free >= SHM_ROOM:
        return str(shm)
    # /tmp when root: the server account must reach the folder, and TMPDIR may be private to root.
    return "/tmp" if account else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@dataclass
class PgCluster:
    """A running throwaway server: its folder, port and superuser, and databases made on it."""

    bindir: Path
    root: Path
    account: str | None
    port: int = 0
    superuser: str = SUPERUSER
    host: str = HOST
    running: bool = False
    _numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _watchdog: subprocess.Popen[bytes] | None = None

    @property
    def data(self) -> Path:
        """The cluster's data folder."""
        return self.root / "data"

    @property
    def log(self) -> Path:
        """The server's log file."""
        return self.root / "server.log"

    def url(
        self, dbname: str = "postgres", user: str | None = None, password: str | None = None
    ) -> str:
        """A libpq URL of a database on this server, as the superuser unless a user is named."""
        login = quote(user or self.superuser, safe="")
        if password is not None:
            login += ":" + quote(password, safe="")
        return f"postgresql://{login}@{self.host}:{self.port}/{dbname}"

    def connect(self, dbname: str = "postgres") -> psycopg.Connection:
        """An autocommit connection of the superuser to a database of this server."""
        return psycopg.connect(self.url(dbname), autocommit=True, connect_timeout=10)

    def create_database(self) -> str:
        """A new empty database t_<n>; its name."""
        name = f"t_{next(self._numbers)}"
        with self.connect() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database even if a test left connections to it open."""
        with self.connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def roles(self) -> set[str]:
        """The names of every role of the cluster but PostgreSQL's own pg_* roles."""
        with self.connect() as conn:
            rows = conn.execute("SELECT rolname FROM pg_roles WHERE rolname NOT LIKE 'pg\\_%'")
            return {row[0] for row in rows}

    def drop_roles(self, names: set[str]) -> None:
        """Drop roles a test made: roles belong to the cluster, not to the test's database."""
        with self.connect() as conn:
            for name in sorted(names):
                conn.execute(f'DROP ROLE IF EXISTS "{name}"')

    def _as_account(self) -> dict[str, Any]:
        """subprocess arguments that run a program as the server's account, without root's groups."""
        if not self.account:
            return {}
        gid = pwd.getpwnam(self.account).pw_gid
        return {"user": self.account, "group": gid, "extra_groups": []}

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bindir / args[0]), *args[1:]],
            cwd=self.root,  # the server account may not be allowed into ours
            capture_output=True,
            text=True,
            check=False,
            **self._as_account(),
        )

    def watch(self) -> None:
        """Have the server stopped and its folder deleted when this process ends, however it ends."""
        self._watchdog = subprocess.Popen(
            [
                "/bin/sh",
                "-c",
                WATCHDOG,
                str(self.bindir / "pg_ctl"),
                str(self.data),
                str(self.root),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=self.root,
            start_new_session=True,  # out of reach of a signal to the test run's process group
            **self._as_account(),
        )

    def init(self) -> None:
        """initdb: UTF-8, C collation, the trusted superuser, our settings and pg_hba.conf."""
        done = self._run(
            "initdb", "-D", str(self.data), "-U", self.superuser, "-E", "UTF8",
            "--locale=C", "--auth=trust", "--no-sync", "--no-instructions",
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{done.stdout}{done.stderr}")
        (self.data / "pg_hba.conf").write_text(PG_HBA, encoding="utf-8")
        settings = {**SETTINGS, "unix_socket_directories": f"'{self.root}'"}
        with (self.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())

    def start(self) -> None:
        """pg_ctl start on a free port; a port taken meanwhile by someone else is tried again."""
        for _attempt in range(5):
            self.port = _free_port()
            done = self._run(
                "pg_ctl", "start", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                "-o", f"-p {self.port}",
            )  # fmt: skip
            if done.returncode == 0:
                self.running = True
                return
            if "Address already in use" not in self._log_text():
                break
        raise RuntimeError(f"pg_ctl start failed:\n{done.stdout}{done.stderr}{self._log_text()}")

    def _log_text(self) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-4000:]
        except OSError:
            return ""

    def stop(self) -> None:
        """Stop the server at once (nothing in it is worth a clean shutdown) and delete its folder."""
        if self.running:
            self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", "-w")
            self.running = False
        shutil.rmtree(self.root, ignore_errors=True)
        if self._watchdog is not None:
            self._watchdog.stdin.close()  # type: ignore[union-attr]
            self._watchdog.wait(timeout=30)
            self._watchdog = None


def start_cluster() -> PgCluster:
    """initdb and start a server in a new temp folder; PostgresNotInstalled if there is no server."""
    bindir = find_bindir()
    if bindir is None:
        raise PostgresNotInstalled(INSTALL_HINT)
    account = _server_account()
    root = Path(tempfile.mkdtemp(prefix="annotator-pg-", dir=_parent_folder(account)))
    cluster = PgCluster(bindir=bindir, root=root, account=account)
    try:
        if account:
            shutil.chown(root, user=account)
        cluster.watch()
        cluster.init()
        cluster.start()
    except BaseException:
        cluster.stop()
        raise
    return cluster


@contextmanager
def fresh_database(cluster: PgCluster) -> Iterator[str]:
    """A new empty database as its superuser's URL; dropped after, with the roles made meanwhile."""
    roles_before = cluster.roles()
    name = cluster.create_database()
    try:
        yield cluster.url(name)
    finally:
        cluster.drop_database(name)
        cluster.drop_roles(cluster.roles() - roles_before)
