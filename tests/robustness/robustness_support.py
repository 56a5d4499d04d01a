"""Helpers of the robustness tests: project dumps, CLI runs, child processes."""

from __future__ import annotations

import ctypes
import os
import queue
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from click.testing import CliRunner

from annotator.cli import main

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "data" / "bad"
PYTHON = sys.executable

# Linux prctl(PR_CAPBSET_DROP, CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH): root ignores file modes
# unless these capabilities are gone, and a read-only file is only read-only without them.
_PR_CAPBSET_DROP = 24
_DAC_CAPS = (1, 2)


@dataclass(frozen=True)
class Outcome:
    """What a user sees from one command: exit code, standard output and error output."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def error_lines(self) -> list[str]:
        """Return the non-blank lines written to stderr."""
        return [line for line in self.stderr.splitlines() if line.strip()]


def dump(path: Path) -> list[str]:
    """Return the SQL dump of a project, read without changing the file."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def sqlite_rows(path: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    """Run one query on a project read-only and return its rows."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def cli(*args: str | Path) -> Outcome:
    """Run the annotator command in-process, as a user would type it."""
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"uncaught {result.exception!r} escaped the command") from (
            result.exception
        )
    return Outcome(result.exit_code, result.stdout, result.stderr)


def _drop_root_override() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in _DAC_CAPS:
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def cli_process(
    *args: str | Path, env: dict[str, str] | None = None, honour_file_modes: bool = False
) -> Outcome:
    """Run ``python -m annotator.cli`` in a child process (the real entry point)."""
    full_env = {**os.environ, **(env or {})}
    preexec = _drop_root_override if honour_file_modes and os.geteuid() == 0 else None
    done = subprocess.run(
        [PYTHON, "-m", "annotator.cli", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=full_env,
        preexec_fn=preexec,
        timeout=120,
        check=False,
    )
    return Outcome(done.returncode, done.stdout, done.stderr)


def assert_one_clear_line(outcome: Outcome, names: Sequence[str | Path], line: int | None) -> str:
    """Assert the command failed with one "error: FILE[:LINE]: REASON" line; return REASON.

    Only the reason is returned, so what a caller looks for in it can never be found in the
    file's name instead.
    """
    assert outcome.exit_code != 0, outcome
    assert "Traceback" not in outcome.stderr + outcome.stdout
    assert len(outcome.error_lines) == 1, outcome.stderr
    message = outcome.error_lines[0]
    assert len(message) < 400, "a message must fit on a screen, not echo the input"
    where = [
        f"error: {name}:{line}: " if line is not None else f"error: {name}: " for name in names
    ]
    named = [w for w in where if message.startswith(w)]
    assert named, f"{message!r} does not start with {where}"
    return message.removeprefix(named[0])


class ChildLines:
    """The lines a child process prints, read in a thread so the parent can wait with a timeout."""

    def __init__(self, child: subprocess.Popen[str]) -> None:
        assert child.stdout is not None
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, args=(child.stdout,), daemon=True)
        self._reader.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def next(self, timeout: float = 60) -> str:
        """Return the next line; fail the test if none comes within ``timeout`` seconds."""
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"the child printed nothing for {timeout} s") from None
        assert line is not None, "the child ended before printing the line awaited"
        return line

    def rest(self, timeout: float = 120) -> list[str]:
        """Return every line still to come, up to the child's end."""
        lines = []
        while (line := self._lines.get(timeout=timeout)) is not None:
            lines.append(line)
        return lines


def wait_until_asleep(child: subprocess.Popen[str], timeout: float = 5) -> None:
    """Return once ``child`` sleeps in a timed wait; fail the test after ``timeout`` seconds.

    SQLite waits for another connection's lock by sleeping between tries (its busy handler), so
    once a child has announced that it asks for the lock, a timed sleep is that wait. Linux
    shows where a process sleeps in /proc/PID/wchan.
    """
    wchan = Path(f"/proc/{child.pid}/wchan")
    deadline = time.monotonic() + timeout
    while "nanosleep" not in wchan.read_text():
        assert child.poll() is None, "the child ended instead of waiting for the lock"
        assert time.monotonic() < deadline, "the child never waited for the lock"
        time.sleep(0.001)  # only paces the polling: the deadline decides, and fails
