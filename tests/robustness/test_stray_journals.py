"""A ``-wal`` or hot ``-journal`` beside a project that belongs to another database is refused.

SQLite applies whatever journal lies beside a file (sqlite.org/howtocorrupt.html, "Mispairing
database files and hot journals"): another project's log would show its documents in ``list``
and fold them into the file at the next write. Every command refuses such a journal before
SQLite sees it, with one line naming the project and the journal and saying to move the journal
away; neither file changes. A project's own journal, after a crash or while another program has
it open, is still read as SQLite reads it.

The journals here are real: logs copied from other projects while they are open or after their
writer was killed, logs of other SQLite files, rollback journals of transactions in progress.
"""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from robustness_support import PYTHON, ROOT, assert_one_clear_line, cli, cli_process, sqlite_rows

from annotator.paths import SEEDS
from annotator.store import Project

WRITER = Path(__file__).with_name("wal_writer.py")
SEED_TXT = SEEDS / "000_2024f0fe6e876b71.txt"
SEED_ID = "000_2024f0fe6e876b71"


@contextmanager
def writer(path: Path, *titles: str, kill: bool = False) -> Iterator[subprocess.Popen[str]]:
    """Run wal_writer.py on ``path`` until its commits are in the log; SIGKILL it with ``kill``."""
    child = subprocess.Popen(
        [PYTHON, str(WRITER), str(path), *titles],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert child.stdout is not None and child.stdin is not None
    try:
        assert child.stdout.readline().strip() == "committed"
        if kill:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=60)
        yield child
    finally:
        if child.poll() is None:
            child.stdin.close()
            child.wait(timeout=60)


@pytest.fixture
def other(tmp_path: Path) -> Path:
    """Another project, in a folder of its own, holding one document."""
    (tmp_path / "other").mkdir()
    path = tmp_path / "other" / "other.sqlite"
    with Project.create(path, annotator="sami") as project:
        project.add_document("خبر في مشروع آخر", title="آخر")
    return path


def files_of(project: Path) -> dict[str, bytes]:
    """The bytes of the project and of its journals."""
    return {
        p.name: p.read_bytes()
        for p in (project, Path(f"{project}-wal"), Path(f"{project}-journal"))
        if p.exists()
    }


def assert_refused(project: Path, stray: Path, *commands: tuple[str, ...]) -> None:
    """Each command: one line naming the project and the stray journal; no file changes."""
    before = files_of(project)
    for command in commands:
        outcome = cli(*command)
        reason = assert_one_clear_line(outcome, [project], None)
        assert f"{stray.name} beside it is another database's journal" in reason, reason
        assert f"move {stray.name} out of this folder" in reason
        assert files_of(project) == before, command


def every_command(project: Path, tmp_path: Path) -> list[tuple[str, ...]]:
    """Commands that read or write the project: list, export, import, merge into it."""
    return [
        ("list", str(project)),
        ("export", str(project), str(tmp_path / "out.jsonl")),
        ("import", str(project), str(SEED_TXT)),
        ("show", str(project), SEED_ID),
    ]


def test_log_of_another_project_copied_while_it_is_open(
    filled: Path, other: Path, tmp_path: Path
) -> None:
    """The other project's writer is still running when its log is copied beside ours."""
    stray = Path(f"{filled}-wal")
    with writer(other, "غريب"):
        shutil.copyfile(f"{other}-wal", stray)
        assert_refused(filled, stray, *every_command(filled, tmp_path))
    # Moved away, the project is its own again: its document, none of the other's.
    stray.rename(tmp_path / "stray-wal")
    listing = cli("list", filled)
    assert listing.exit_code == 0
    assert [line.split("\t")[0] for line in listing.stdout.splitlines()] == [SEED_ID]


def test_log_left_by_a_killed_writer_of_another_project(
    filled: Path, other: Path, tmp_path: Path
) -> None:
    """A crash leaves commits in the other project's log; copied beside ours, it is refused."""
    with writer(other, "أول", "ثان", kill=True):
        pass
    stray = Path(f"{filled}-wal")
    shutil.copyfile(f"{other}-wal", stray)

    assert_refused(filled, stray, *every_command(filled, tmp_path))
    # The log is the other project's own: there it is read, commits and all.
    listing = cli_process("list", other)
    assert listing.exit_code == 0, listing.stderr
    assert sum("\tأول" in line or "\tثان" in line for line in listing.stdout.splitlines()) == 2


def test_log_of_a_copy_that_went_its_own_way(filled: Path, tmp_path: Path) -> None:
    """Two copies of one project both edited: one's log beside the other is another's."""
    theirs = tmp_path / "theirs.sqlite"
    shutil.copyfile(filled, theirs)
    with Project.open(filled, annotator="mona") as mine:
        mine.set_document_status(SEED_ID, "in_progress")
    stray = Path(f"{filled}-wal")
    with writer(theirs, "نسخة"):
        shutil.copyfile(f"{theirs}-wal", stray)
    assert_refused(filled, stray, ("list", str(filled)), ("import", str(filled), str(SEED_TXT)))


def plain_database(path: Path, page_size: int) -> sqlite3.Connection:
    """An SQLite file of another program in WAL mode, with commits only in its log."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA page_size={page_size}")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.executemany("INSERT INTO notes VALUES (?)", [("ملاحظة " * 50,)] * 40)
    return conn


@pytest.mark.parametrize(
    ("page_size", "says"),
    [(4096, "its commits do not continue this file's last one"), (1024, "pages are 1024 bytes")],
)
def test_log_of_another_programs_database(
    filled: Path, tmp_path: Path, page_size: int, says: str
) -> None:
    """A log of a database that is no project at all, with the same or another page size."""
    stray = Path(f"{filled}-wal")
    with closing(plain_database(tmp_path / "notes.db", page_size)):
        shutil.copyfile(tmp_path / "notes.db-wal", stray)
    before = files_of(filled)

    outcome = cli("import", filled, SEED_TXT)

    reason = assert_one_clear_line(outcome, [filled], None)
    assert says in reason
    assert files_of(filled) == before


def rollback_transaction_in_progress(path: Path, *, page_one: bool) -> sqlite3.Connection:
    """A rollback-mode database with a transaction spilled to disk: its -journal is hot."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.executemany("INSERT INTO notes VALUES (?)", [("ملاحظة " * 50,)] * 400)
    conn.execute("PRAGMA cache_size=2")  # spill: the journal is synced, the file written
    conn.execute("BEGIN")
    if page_one:
        conn.execute("PRAGMA user_version=7")  # changes page 1, so it is journaled first
    conn.execute("UPDATE notes SET body = 'x' || body")
    assert Path(f"{path}-journal").stat().st_size > 0
    return conn


@pytest.mark.parametrize(
    ("page_one", "says"),
    [
        (False, "the file is in WAL mode and the journal does not restore its page 1"),
        (True, "the page 1 it would restore is another database's"),
    ],
)
def test_hot_journal_of_another_database(
    filled: Path, tmp_path: Path, page_one: bool, says: str
) -> None:
    """Another database's unfinished transaction: SQLite would play it back into the project."""
    stray = Path(f"{filled}-journal")
    with closing(rollback_transaction_in_progress(tmp_path / "notes.db", page_one=page_one)):
        shutil.copyfile(tmp_path / "notes.db-journal", stray)

    assert_refused(filled, stray, *every_command(filled, tmp_path))
    outcome = cli("list", filled)
    assert says in outcome.stderr


def test_own_hot_journal_is_played_back(filled: Path, tmp_path: Path) -> None:
    """A project in rollback mode copied mid-transaction with its journal: undone, then read.

    Reading alone cannot undo it (that writes): ``list`` says so in one line; the first command
    that writes plays it back, as SQLite does, and every later one reads the project whole.
    """
    conn = sqlite3.connect(filled, isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA cache_size=2")  # spill: half the transaction reaches the file
    conn.execute("BEGIN")
    conn.execute("UPDATE spans SET attrs = '{\"half\": \"' || hex(randomblob(3000)) || '\"}'")
    copy = tmp_path / "copy" / filled.name
    copy.parent.mkdir()
    shutil.copyfile(filled, copy)
    shutil.copyfile(f"{filled}-journal", f"{copy}-journal")
    conn.execute("ROLLBACK")
    conn.close()
    before = files_of(copy)

    reading = cli("list", copy)
    writing = cli("import", copy, SEED_TXT)
    listing = cli("list", copy)

    reason = assert_one_clear_line(reading, [copy], None)
    assert f"{copy.name}-journal must be undone" in reason and "not --read-only" in reason
    assert writing.exit_code == 0, writing.stderr
    assert files_of(copy) != before and not Path(f"{copy}-journal").exists()
    assert listing.exit_code == 0 and SEED_ID in listing.stdout
    assert sqlite_rows(copy, "SELECT COUNT(*) FROM spans WHERE attrs LIKE '%half%'") == [(0,)]
    assert sqlite_rows(copy, "PRAGMA quick_check") == [("ok",)]


def test_own_log_is_read_while_another_program_writes(filled: Path) -> None:
    """The window (here a child) holds commits in the log: list in another process sees them."""
    with writer(filled, "جديد"):
        listing = cli_process("list", filled)
        with Project.open(filled, read_only=True) as mine, Project.open(filled) as again:
            assert mine.document_count() == again.document_count() == 2
    assert listing.exit_code == 0, listing.stderr
    assert len(listing.stdout.splitlines()) == 2


def test_new_project_beside_a_left_over_log_is_refused(filled: Path, tmp_path: Path) -> None:
    """``init`` where an earlier database's log still lies: SQLite would delete or apply it."""
    with writer(filled, "قديم", kill=True):
        pass
    new = tmp_path / "new.sqlite"
    stray = Path(f"{new}-wal")
    shutil.copyfile(f"{filled}-wal", stray)
    before = stray.read_bytes()

    outcome = cli("init", new)

    reason = assert_one_clear_line(outcome, [new], None)
    assert f"{stray.name} beside it is another database's journal" in reason
    assert not new.exists() and stray.read_bytes() == before
