"""An exported file gets the mode any new file gets under the user's umask, as `touch` makes it:
every format, every part of a split and the hf label list."""

from __future__ import annotations

import os
import shlex
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.io.alignment import ExportReport
from annotator.io.operations import export, import_paths
from annotator.io.registry import get_format, writable
from annotator.io.split import Split
from annotator.store import Project

from conftest import SEED_EXAMPLE

ANNOTATOR = Path(sys.executable).with_name("annotator")
pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes and umask are POSIX")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project holding the seed article with its example annotation and eleven short articles,
    enough for every part of an 80,10,10 split with seed 1."""
    path = tmp_path / "news.sqlite"
    with Project.create(path, annotator="example") as opened:
        import_paths(opened, [SEED_EXAMPLE], fmt="native")
        for n in range(11):
            opened.add_document(f"قال بوتين إن موسكو مستعدة للحوار {n}", doc_id=f"n{n:02d}")
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


@pytest.fixture
def umask_027() -> Iterator[int]:
    """Run the test under umask 027; return the mode a new file gets (0640)."""
    before = os.umask(0o027)
    try:
        yield 0o666 & ~0o027
    finally:
        os.umask(before)


@pytest.mark.parametrize("fmt", writable())
@pytest.mark.parametrize("split", [None, "80,10,10"])
def test_every_file_of_every_format_has_the_umask_mode(
    project: Path, tmp_path: Path, umask_027: int, fmt: str, split: str | None
) -> None:
    """Each file an export creates, split parts and side files included, is 0o666 & ~umask."""
    out = tmp_path / "out"
    out.mkdir()
    report = ExportReport()
    with Project.open(project, read_only=True) as opened:
        export(
            opened,
            out / f"news{get_format(fmt).suffix}",
            fmt=fmt,
            report=report,
            split=None if split is None else Split.parse(split, seed=1),
        )
    created = sorted(out.iterdir())
    assert created == sorted(report.files)  # no temporary file left beside them
    assert len(created) == (1 if split is None else 3) + (fmt == "hf")
    modes = {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in created}
    assert modes == dict.fromkeys(modes, oct(umask_027))
