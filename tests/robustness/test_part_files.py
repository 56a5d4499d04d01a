"""An export killed halfway leaves a temporary file; the next export of that output removes it.

``atomic_write`` writes ``.OUT.HOST-PID-TOKEN.part`` beside OUT and renames it over OUT only when
complete. A process killed before the rename (SIGKILL here, a power cut or a killed window in
life) cannot remove it. The next export of the same OUT on the same computer removes each such
file whose process is no longer running, and nothing else: not a live export's file, not
another output's, not another computer's, not a file, folder or link merely named alike.
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

from robustness_support import PYTHON, ROOT, cli

CHILD = Path(__file__).with_name("export_child.py")


def killed_export(project: Path, out: Path) -> tuple[Path, int]:
    """Kill an export of ``project`` to ``out`` halfway; return its temporary file and PID."""
    child = subprocess.Popen(
        [PYTHON, str(CHILD), str(project), str(out)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "writing"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    [part] = [p for p in out.parent.iterdir() if p.name.endswith(".part")]
    assert part.read_bytes() == b'{"id": "half"}\n'
    return part, child.pid


def dead_pid() -> int:
    """The number of a process that has ended."""
    done = subprocess.Popen([PYTHON, "-c", "pass"])
    done.wait(timeout=60)
    return done.pid


def test_next_export_removes_what_a_killed_one_left(filled: Path, tmp_path: Path) -> None:
    """Killed, then run again: the output is complete and no temporary file is left."""
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "news.jsonl"
    part, _pid = killed_export(filled, out)
    assert not out.exists()

    outcome = cli("export", filled, out)

    assert outcome.exit_code == 0, outcome.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["news.jsonl"]
    assert not part.exists()
    assert out.read_text(encoding="utf-8").count("\n") == 1


def test_only_stale_files_of_that_output_are_removed(filled: Path, tmp_path: Path) -> None:
    """Files named alike but live, of another output or computer, or not files: all kept."""
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "news.jsonl"
    stale, pid = killed_export(filled, out)
    assert f"-{pid}-" in stale.name, "the temporary file names its process"
    prefix = stale.name[: stale.name.index(f"-{pid}-") + 1]
    host_and = prefix.removeprefix(".news.jsonl.")
    dead = dead_pid()
    (folder / "keep.txt").write_text("the user's own notes", encoding="utf-8")
    kept = {
        ".news.jsonl.part": "a file of the user's, named like a temporary one",
        f"{prefix}{os.getpid()}-0123456789ab.part": "an export still running (this test)",
        f".news.jsonl.elsewhere-{dead}-0123456789ab.part": "another computer's export",
        f"{prefix}{dead}-0123456789ab.part.bak": "not ending in .part",
        f"{prefix}{dead}-not-hex.part": "not a token",
    }
    for name, text in kept.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / f"{prefix}{dead}-aaaaaaaaaaaa.part").mkdir()  # a folder: never removed
    (folder / f"{prefix}{dead}-bbbbbbbbbbbb.part").symlink_to(folder / "keep.txt")
    other_stale = folder / f".other.jsonl.{host_and}{dead}-cccccccccccc.part"
    other_stale.write_text("left by a killed export of other.jsonl", encoding="utf-8")

    to_other = cli("export", filled, folder / "other.jsonl")
    assert to_other.exit_code == 0, to_other.stderr
    assert stale.exists() and not other_stale.exists()  # only that output's are looked at

    again = cli("export", filled, out)

    assert again.exit_code == 0, again.stderr
    assert not stale.exists()
    for name, text in kept.items():
        assert (folder / name).read_text(encoding="utf-8") == text, name
    assert (folder / f"{prefix}{dead}-aaaaaaaaaaaa.part").is_dir()
    assert (folder / f"{prefix}{dead}-bbbbbbbbbbbb.part").is_symlink()
    assert (folder / "keep.txt").read_text(encoding="utf-8") == "the user's own notes"
