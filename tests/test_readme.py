"""README.md is true on a fresh clone.

Every ```sh and ```python block runs as written, in README order, in a fresh copy of the clone,
as a newcomer runs them: the quick start first (its window offscreen, until it is up), then the
rest with the quick start's virtual environment active. A block that cannot run here is listed
in NOT_RUN with the reason. As sqlite-utils' tests/test_docs.py does, every command of the click
group is in the README's command table and has --help with an example.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from fresh_clone import ROOT, clean_env, copy_checkout

from annotator.cli import main

README = ROOT / "README.md"
FENCE = re.compile(r"^```([\w-]*)[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)
RUN = ("sh", "python")
QUICK_START = "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/annotator"
# First command of a block that is not run here -> why.
NOT_RUN = {
    "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest": (
        "the test command itself: .ci/run runs it first, and run from here it would run this"
        " test again"
    ),
    "annotator team add postgresql://db.newsroom.example/elections mona --role annotator": (
        "needs a PostgreSQL server and a login that may create roles: tests/cli/test_team_cli.py"
        " runs these commands against a throwaway server"
    ),
    "createdb -h db.newsroom.example elections": (
        "needs a PostgreSQL server and a login that may create roles:"
        " tests/cli/test_team_walkthrough.py runs these steps against a throwaway server"
    ),
    "annotator gui postgresql://mona@db.newsroom.example/elections": (
        "needs a PostgreSQL server and a screen: tests/gui/test_pg_windows.py opens windows on"
        " a throwaway server"
    ),
    "python bench/run.py --quick": (
        "benchmarks take minutes (the full run about ten) and --table reads a saved result;"
        " .ci/run runs bench/run.py --smoke, every benchmark once on tiny projects, instead"
    ),
}
WINDOW_UP_S = 5  # the window must still be running this long after the demo project is built
INSTALL_TIMEOUT_S = 900


@dataclass(frozen=True)
class Block:
    """A fenced code block of the README."""

    lang: str
    code: str
    line: int

    @property
    def first(self) -> str:
        """Return the block's first command, without a trailing comment."""
        for line in self.code.splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                return line.split("  #")[0].strip()
        return ""


def readme_blocks() -> list[Block]:
    """Return every fenced block of the README, in order."""
    text = README.read_text(encoding="utf-8")
    return [
        Block(m.group(1), m.group(2), text.count("\n", 0, m.start()) + 1)
        for m in FENCE.finditer(text)
    ]


def runnable() -> list[Block]:
    """Return the ```sh and ```python blocks after the quick start that are not in NOT_RUN."""
    return [
        b
        for b in readme_blocks()
        if b.lang in RUN and b.first != QUICK_START and b.first not in NOT_RUN
    ]


# ---- the blocks are found and tagged -----------------------------------------------------


def test_commands_are_in_tagged_blocks() -> None:
    """A command in an untagged or other block would escape this test: tag it sh or python."""
    for block in readme_blocks():
        if block.lang in RUN:
            continue
        commands = [
            line
            for line in block.code.splitlines()
            if re.match(r"(\$ )?(annotator|python3?|pip|\.venv/)\b", line)
        ]
        assert not commands, f"README.md:{block.line}: ```{block.lang} block holds {commands}"


def test_not_run_names_blocks_that_exist() -> None:
    """Every exception names one real block, so the list cannot hide a block that moved."""
    firsts = [b.first for b in readme_blocks() if b.lang in RUN]
    assert firsts.count(QUICK_START) == 1
    for first in NOT_RUN:
        assert firsts.count(first) == 1, f"NOT_RUN names no README block: {first}"
    assert len(runnable()) >= 5  # the command line, Python API, formats, merge and agree blocks


# ---- the blocks run on a fresh clone ------------------------------------------------------


@dataclass(frozen=True)
class Clone:
    """A fresh copy of the clone after the quick start, and what its window did."""

    path: Path
    env: dict[str, str]
    window: str  # "" when the window came up; else what went wrong


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Clone]:
    """Copy the clone and run the quick start as written; the window is closed once it is up."""
    work = tmp_path_factory.mktemp("readme")
    path = copy_checkout(work / "clone")
    env = clean_env(work)
    window = run_quick_start(path, env)
    venv = path / ".venv"
    env = {**env, "VIRTUAL_ENV": str(venv), "PATH": f"{venv / 'bin'}{os.pathsep}{env['PATH']}"}
    yield Clone(path, env, window)
    shutil.rmtree(work, ignore_errors=True)  # the venv is half a gigabyte


def run_quick_start(path: Path, env: dict[str, str]) -> str:
    """Run the quick start block offscreen; return "" when its window is up, else the problem."""
    demo = path / "projects" / "demo.sqlite"
    log = path.parent / "quick-start.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            ["sh", "-ec", QUICK_START],
            cwd=path,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the window is ended with the shell
        )
    try:
        deadline = time.monotonic() + INSTALL_TIMEOUT_S
        while not demo.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.5)
        if not demo.exists():
            return f"no demo project after {process.poll()=}: {log.read_text()[-3000:]}"
        try:
            process.wait(WINDOW_UP_S)
        except subprocess.TimeoutExpired:
            return ""  # the window is still open, as it should be
        return f"the window closed with {process.returncode}: {log.read_text()[-3000:]}"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(30)


@pytest.mark.slow
def test_quick_start_opens_the_window_on_the_demo(clone: Clone) -> None:
    """The quick start installs, builds projects/demo.sqlite from the seeds and keeps a window up."""
    assert clone.window == ""
    assert (clone.path / "projects" / "demo.sqlite").stat().st_size > 0


@pytest.mark.slow
def test_blocks_run_as_written_in_order(clone: Clone) -> None:
    """Each block after the quick start exits 0 in the fresh clone, run in README order."""
    scripts = clone.path.parent / "blocks"
    scripts.mkdir()
    for block in runnable():
        script = scripts / f"line{block.line}.{'py' if block.lang == 'python' else 'sh'}"
        script.write_text(block.code, encoding="utf-8")
        command = ["python", script] if block.lang == "python" else ["sh", "-e", script]
        done = subprocess.run(
            command, cwd=clone.path, env=clone.env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, (
            f"README.md:{block.line}: ```{block.lang} block exited {done.returncode}\n"
            f"{block.code}\n--- stdout\n{done.stdout[-2000:]}\n--- stderr\n{done.stderr[-2000:]}"
        )


# ---- every command is documented ----------------------------------------------------------


def readme_table_commands() -> set[str]:
    """Return the commands named in the first cell of the README's command table."""
    text = README.read_text(encoding="utf-8")
    return set(re.findall(r"^\| `annotator ?([a-z-]*)", text, re.M))


@pytest.mark.parametrize("name", sorted(main.commands))
def test_command_is_in_the_readme_table(name: str) -> None:
    """Each command of the click group has its row in the README's command table."""
    assert name in readme_table_commands()


def test_readme_table_names_only_real_commands() -> None:
    """No row documents a command that does not exist ("" is the bare `annotator`)."""
    assert readme_table_commands() - {""} <= set(main.commands)


@pytest.mark.parametrize("name", ["", *sorted(main.commands)])
def test_command_has_help_with_an_example(name: str) -> None:
    """`annotator [COMMAND] --help` exits 0 and shows an example, as the README promises."""
    result = CliRunner().invoke(main, [*filter(None, [name]), "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output
    assert f"annotator {name}".strip() in result.output.split("Example:")[1]
