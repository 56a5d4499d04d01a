"""A project on read-only media (a folder nobody may write to) can still be read.

SQLite reads a WAL-mode file through an index it keeps beside it (NAME-shm); in a folder that
cannot take that file, even a read-only open failed, and ``list`` or ``gui --read-only`` said
"read-only". Such a file is now opened as unchangeable (``immutable=1``), with a note saying so
on stderr and ``Project.immutable`` set for the window; editing it is still refused in one line,
and a file whose latest commits are in a NAME-wal that cannot be read without the index is
refused naming both files rather than read without them.

The tests run the real command in a child process that honours file modes even as root (its
capabilities to override them dropped), so the folder really is read-only to it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from robustness_support import (
    PYTHON,
    ROOT,
    _drop_root_override,
    assert_one_clear_line,
    cli_process,
    dump,
)

from annotator.paths import SEEDS
from annotator.store import Project

SEED_ID = "000_2024f0fe6e876b71"
SEED_TXT = SEEDS / f"{SEED_ID}.txt"


@pytest.fixture
def shelf(filled: Path, tmp_path: Path) -> Iterator[Path]:
    """The filled project in a folder made read-only (as a CD or a read-only share)."""
    folder = tmp_path / "shelf"
    folder.mkdir()
    path = folder / "news.sqlite"
    shutil.copyfile(filled, path)
    folder.chmod(0o555)
    yield path
    folder.chmod(0o755)


def files_in(folder: Path) -> dict[str, bytes]:
    """Every file of the folder with its bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_list_in_a_read_only_folder(shelf: Path) -> None:
    """The documents are listed; one note says how the file was opened; nothing is written."""
    before = files_in(shelf.parent)

    outcome = cli_process("list", shelf, honour_file_modes=True)

    assert outcome.exit_code == 0, outcome.stderr
    assert outcome.stdout.split("\t")[0] == SEED_ID
    assert outcome.stderr.splitlines() == [
        f"note: {shelf}: its folder is read-only, so the project was opened as an unchangeable"
        " file: a change made elsewhere meanwhile is not seen"
    ]
    assert files_in(shelf.parent) == before


def test_write_protected_file_in_a_read_only_folder(shelf: Path, tmp_path: Path) -> None:
    """Mode 0444 as well: export reads it whole; show and agree read it too."""
    shelf.chmod(0o444)
    out = tmp_path / "news.jsonl"

    exported = cli_process("export", shelf, out, honour_file_modes=True)
    shown = cli_process("show", shelf, SEED_ID, honour_file_modes=True)
    agreed = cli_process("agree", shelf, "--json", honour_file_modes=True)

    for outcome in (exported, shown, agreed):
        assert outcome.exit_code == 0, outcome.stderr
    assert out.read_text(encoding="utf-8").count("\n") == 1
    assert "88 span(s)" in shown.stdout


def test_editing_on_read_only_media_is_refused(shelf: Path) -> None:
    """An import into it: one line naming the file and how to look at it; nothing changes."""
    before = files_in(shelf.parent)

    outcome = cli_process("import", shelf, SEED_TXT, honour_file_modes=True)

    reason = assert_one_clear_line(outcome, [shelf], None)
    assert "read-only" in reason and "--read-only" in reason
    assert files_in(shelf.parent) == before


def test_python_api_says_the_file_is_immutable(shelf: Path) -> None:
    """What the window opens with gui --read-only: Project.open works and says so."""
    script = (
        "import sys\n"
        "from annotator.store import Project\n"
        "with Project.open(sys.argv[1], read_only=True) as p:\n"
        "    print(p.immutable, p.read_only, p.document_count())\n"
    )
    done = subprocess.run(
        [PYTHON, "-c", script, str(shelf)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        preexec_fn=_drop_root_override if os.geteuid() == 0 else None,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True", "1"]


def test_writable_folder_is_opened_as_usual(filled: Path) -> None:
    """Where the index can be made, a read-only open is an ordinary one (it sees new commits)."""
    with Project.open(filled, read_only=True) as project:
        assert not project.immutable


def test_latest_commits_in_a_log_that_cannot_be_read_are_refused(
    filled: Path, tmp_path: Path
) -> None:
    """A copy taken while the project was open: its commits are only in NAME-wal, and the
    read-only folder cannot take the index needed to read them. Refused, naming both."""
    folder = tmp_path / "shelf"
    folder.mkdir()
    path = folder / "news.sqlite"
    with Project.open(filled, annotator="mona") as project:
        project.db.execute("PRAGMA wal_autocheckpoint=0")
        project.set_document_status(SEED_ID, "done")
        shutil.copyfile(filled, path)
        shutil.copyfile(f"{filled}-wal", f"{path}-wal")
    folder.chmod(0o555)
    try:
        before = files_in(folder)
        outcome = cli_process("list", path, honour_file_modes=True)
        after = files_in(folder)
    finally:
        folder.chmod(0o755)

    reason = assert_one_clear_line(outcome, [path], None)
    assert f"its latest changes are in {path.name}-wal" in reason
    assert "copy the folder to a writable place" in reason
    assert after == before
    # Where the index can be made, the same copy reads with the commit.
    with Project.open(path, read_only=True) as copy:
        assert copy.document_rows()[0].status == "done"
    assert dump(path)
