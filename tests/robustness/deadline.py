"""Running the real entry point with a deadline: a command that hangs fails the test."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from robustness_support import PYTHON, ROOT, Outcome

DEADLINE = 60  # seconds: far beyond a refusal (well under one), far below a hang


def run(*args: str | Path, stdin: int | None = subprocess.DEVNULL) -> Outcome:
    """Run ``python -m annotator.cli ARGS``; fail the test if it has not returned by DEADLINE."""
    try:
        done = subprocess.run(
            [PYTHON, "-m", "annotator.cli", *map(str, args)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            stdin=stdin,
            timeout=DEADLINE,
            check=False,
        )
    except subprocess.TimeoutExpired:  # run() has killed the child
        pytest.fail(f"annotator {' '.join(map(str, args))} hung instead of refusing its input")
    return Outcome(done.returncode, done.stdout, done.stderr)
