"""Inputs that are not regular files are refused before the write transaction begins.

A named pipe given to ``import`` or ``merge`` used to hang (holding the project's write lock)
waiting for a writer that never comes; a device such as /dev/zero never ends; a looping link never
resolves. Each is now refused by looking at it (stat), before anything opens it: one line naming
it, exit 2, the project unchanged. The commands run as child processes with a deadline, so a
hang fails the test instead of stopping the suite; nothing in the test waits for a fixed time.
"""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from deadline import run
from robustness_support import assert_one_clear_line, dump

from annotator.errors import InputError
from annotator.io.operations import input_files
from annotator.paths import SEEDS

SEED_TXT = SEEDS / "000_2024f0fe6e876b71.txt"


def fifo(tmp: Path, name: str = "article.txt") -> Path:
    path = tmp / name
    os.mkfifo(path)
    return path


@pytest.fixture
def unix_socket(tmp_path: Path) -> Iterator[Path]:
    """A listening Unix socket in the file system, as a local server leaves one."""
    path = tmp_path / "server.txt"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        server.listen()
        yield path


def looping_link(tmp: Path) -> Path:
    first, second = tmp / "a.txt", tmp / "b.txt"
    first.symlink_to(second)
    second.symlink_to(first)
    return first


def dangling_link(tmp: Path) -> Path:
    link = tmp / "gone.txt"
    link.symlink_to(tmp / "deleted.txt")
    return link


def fifo_in_folder(tmp: Path) -> Path:
    folder = tmp / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("خبر أول صحيح", encoding="utf-8")
    fifo(folder, "b.txt")
    return folder


KINDS: dict[str, tuple[Callable[[Path], Path], str, str]] = {
    # name: (make the input, the file the message names (relative), the reason)
    "fifo": (fifo, "article.txt", "is a named pipe (FIFO), not a regular file"),
    "fifo-in-a-folder": (fifo_in_folder, "articles/b.txt", "is a named pipe (FIFO)"),
    "looping-link": (looping_link, "a.txt", "a symbolic link that loops back on itself"),
    "dangling-link": (dangling_link, "gone.txt", "a symbolic link to a file that does not exist"),
    "dev-zero": (lambda tmp: Path("/dev/zero"), "/dev/zero", "is a device"),
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_import_refuses_what_is_not_a_regular_file(kind: str, filled: Path, tmp_path: Path) -> None:
    make, named, reason = KINDS[kind]
    source = make(tmp_path)
    before = dump(filled)

    outcome = run("import", filled, source)

    assert outcome.exit_code == 2, outcome
    assert assert_one_clear_line(outcome, [tmp_path / named], None).startswith(reason)
    assert dump(filled) == before


@pytest.mark.parametrize("fmt", ["txt", "native", "doccano", "labelstudio", "conll"])
def test_a_fifo_is_refused_in_every_format(fmt: str, filled: Path, tmp_path: Path) -> None:
    source = fifo(tmp_path, "input.data")
    before = dump(filled)

    outcome = run("import", filled, source, "--format", fmt)

    reason = assert_one_clear_line(outcome, [source], None)
    assert reason == "is a named pipe (FIFO), not a regular file"
    assert dump(filled) == before


def test_a_socket_is_refused(unix_socket: Path, filled: Path) -> None:
    outcome = run("import", filled, unix_socket)
    assert assert_one_clear_line(outcome, [unix_socket], None) == (
        "is a socket, not a regular file"
    )


def test_dev_stdin_on_a_pipe_is_refused(filled: Path) -> None:
    """/dev/stdin when stdin is a pipe nobody writes to: the shell's `cmd | annotator ...`."""
    outcome = run("import", filled, "/dev/stdin", stdin=subprocess.PIPE)
    assert assert_one_clear_line(outcome, ["/dev/stdin"], None).startswith("is a named pipe")


def test_merge_refuses_a_fifo_among_its_sources(filled: Path, tmp_path: Path) -> None:
    source = fifo(tmp_path, "mona.sqlite")
    before = dump(filled)

    outcome = run("merge", filled, SEED_TXT.with_suffix(".example.jsonl"), source)

    assert assert_one_clear_line(outcome, [source], None).startswith("is a named pipe")
    assert dump(filled) == before


@pytest.mark.parametrize("name", ["folder", "missing"])
def test_merge_names_a_folder_or_a_missing_source_in_one_line(
    name: str, filled: Path, tmp_path: Path
) -> None:
    """No usage text from click: one line, like every other refusal."""
    source = tmp_path / "mona.sqlite"
    if name == "folder":
        source.mkdir()
    outcome = run("merge", filled, source)
    reason = assert_one_clear_line(outcome, [source], None)
    assert reason == ("is a folder, not a regular file" if name == "folder" else "no such file")


def test_the_window_import_walk_refuses_a_fifo(tmp_path: Path) -> None:
    """The import dialog walks folders through input_files too: it never hands on a pipe."""
    folder = fifo_in_folder(tmp_path)
    with pytest.raises(InputError, match="named pipe") as caught:
        input_files([folder], "txt")
    assert caught.value.path == str(folder / "b.txt")
