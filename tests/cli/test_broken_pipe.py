"""A command whose reader stops early (`annotator list P | head`) ends quietly, as grep does."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from annotator.cli import main


def test_list_into_a_closed_pipe_prints_no_error(tmp_path: Path) -> None:
    project, data = tmp_path / "p.sqlite", tmp_path / "many.jsonl"
    # Far more than a pipe's 64 KiB buffer, so the command is still writing when head leaves.
    lines = (
        json.dumps({"id": f"d{k}", "text": f"قال لافروف إن موسكو مستعدة {k}"}) for k in range(3000)
    )
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(project)]).exit_code == 0
    assert (
        runner.invoke(main, ["import", str(project), str(data), "--format", "native"]).exit_code
        == 0
    )
    command = [sys.executable, "-c", "from annotator.cli import main; main()", "list", str(project)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None and child.stderr is not None
    first = child.stdout.readline()
    child.stdout.close()  # the reader goes away, as `head -1` does
    error = child.stderr.read().decode()
    code = child.wait(timeout=60)
    assert first.startswith(b"d0\t")
    assert error == ""
    assert code == 141
