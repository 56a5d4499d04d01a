"""An exported file gets the mode any new file gets under the user's umask, as `touch` makes it."""

from __future__ import annotations

import os
import shlex
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.io.operations import import_paths
from annotator.store import Project

from conftest import SEED_EXAMPLE

ANNOTATOR = Path(sys.executable).with_name("annotator")
pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes and umask are POSIX")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project holding the seed article and its example annotation."""
    path = tmp_path / "news.sqlite"
    with Project.create(path, annotator="example") as opened:
        import_paths(opened, [SEED_EXAMPLE], fmt="native")
    return path


def modes_under_umask(umask: str, folder: Path, export_args: list[str]) -> dict[str, str]:
    """Touch a file and run ``annotator export`` in one shell with ``umask``; return each mode."""
    assert ANNOTATOR.is_file(), f"the venv's console script is missing: {ANNOTATOR}"
    export = shlex.join([str(ANNOTATOR), "export", *export_args])
    script = f"umask {umask} && touch touched && {export}"
    done = subprocess.run(["sh", "-c", script], cwd=folder, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in folder.iterdir() if p.is_file()}


@pytest.mark.parametrize(("umask", "expected"), [("022", 0o644), ("027", 0o640), ("002", 0o664)])
def test_export_has_the_mode_of_a_touched_file(
    project: Path, tmp_path: Path, umask: str, expected: int
) -> None:
    """A single native export: not 0600 whatever the umask, but what `touch` gets."""
    out = tmp_path / f"out-{umask}"
    out.mkdir()
    modes = modes_under_umask(umask, out, [str(project), "news.jsonl", "--format", "native"])
    assert modes == {"touched": oct(expected), "news.jsonl": oct(expected)}


def test_split_parts_and_side_file_follow_the_umask(project: Path, tmp_path: Path) -> None:
    """Every file of a split hf export (three parts and the label list) gets the touched mode."""
    out = tmp_path / "out"
    out.mkdir()
    args = [str(project), "ner.jsonl", "--format", "hf", "--split", "80,10,10", "--seed", "1"]
    modes = modes_under_umask("027", out, args)
    names = {"ner.train.jsonl", "ner.dev.jsonl", "ner.test.jsonl", "ner.labels.json"}
    assert names <= set(modes)
    assert {name: modes[name] for name in names} == dict.fromkeys(names, modes["touched"])
    assert modes["touched"] == oct(0o640)
