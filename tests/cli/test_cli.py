"""The command line as a user runs it: one line per error, non-zero exit, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import main

from conftest import SAMPLES, SEED_EXAMPLE, SEED_ID, SEED_TXT


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def project_file(tmp_path: Path) -> Path:
    path = tmp_path / "news.sqlite"
    assert run("init", path).exit_code == 0
    return path


def test_init_import_list_show_export(project_file, tmp_path):
    result = run("import", project_file, SEED_TXT)
    assert result.exit_code == 0, result.output
    assert "imported 1 document(s)" in result.output
    result = run("import", project_file, SEED_EXAMPLE, "--format", "native")
    assert "88 span(s), 35 relation(s)" in result.output
    listing = run("list", project_file)
    assert listing.output.split("\t")[:3] == [SEED_ID, "not_started", "88"]
    assert "لافروف: لا يوجد رد" in listing.output
    shown = run("show", project_file, SEED_ID, "--annotator", "example")
    assert "88 span(s), 35 relation(s)" in shown.output
    assert "\tPER\t[151, 163)\texample\tسيرجي لافروف" in shown.output
    out = tmp_path / "out.jsonl"
    assert run("export", project_file, out).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["text"] == SEED_TXT.read_text("utf-8")


def test_show_to_a_pipe_prints_logical_text_even_with_bidi_on(project_file):
    run("import", project_file, SEED_TXT)
    shown = run("show", project_file, SEED_ID, "--bidi", "on")
    assert SEED_TXT.read_text("utf-8") in shown.output
    assert not any("\ufe70" <= ch <= "\ufeff" for ch in shown.output)


def test_terminal_display_reshapes_only_for_a_terminal():
    from annotator.terminal import Display, visual

    class Tty:
        def isatty(self) -> bool:
            return True

    class Pipe:
        def isatty(self) -> bool:
            return False

    text = "سيرجي لافروف"
    assert Display("on", Tty())(text) == visual(text) != text  # type: ignore[arg-type]
    assert any("\ufe70" <= ch <= "\ufeff" for ch in visual(text))
    assert Display("on", Pipe())(text) == text  # type: ignore[arg-type]
    assert Display("off", Tty())(text) == text  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import", "{p}", SAMPLES / "cp1256.txt"], "cp1256.txt:1: not valid utf-8 at byte 0"),
        (["import", "{p}", "/no/such/file.txt"], "/no/such/file.txt: no such file"),
        (["list", "/no/such.sqlite"], "no such project file"),
        (["list", str(SEED_TXT)], "not a project file"),
        (["show", "{p}", "missing-doc"], "no document 'missing-doc'"),
        (["export", "{p}", "/no/such/dir/out.jsonl"], "folder to write into does not exist"),
        (["export", "{p}", "out.jsonl", "--label", "PERSON"], "unknown label 'PERSON'"),
        (["init", "{p}"], "already exists"),
    ],
)
def test_errors_are_one_line_with_a_nonzero_exit(project_file, args, message):
    result = run(*[str(a).replace("{p}", str(project_file)) for a in args])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_every_command_has_help_with_an_example():
    for name in main.commands:
        result = run(name, "--help")
        assert result.exit_code == 0
        assert "Example:" in result.output, name


def test_console_script_runs_without_a_traceback(tmp_path):
    exe = Path(sys.executable).parent / "annotator"
    result = subprocess.run(
        [str(exe), "list", str(tmp_path / "missing.sqlite")], capture_output=True, text=True
    )
    assert result.returncode == 3
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr
