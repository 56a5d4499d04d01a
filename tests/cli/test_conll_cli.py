"""`annotator export --nested --bio-tokens` as a user runs it, and where they are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import main

from conftest import SEED_EXAMPLE, SEED_TXT


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def seeded_file(tmp_path: Path) -> Path:
    path = tmp_path / "news.sqlite"
    assert run("init", path).exit_code == 0
    assert run("import", path, SEED_TXT).exit_code == 0
    assert run("import", path, SEED_EXAMPLE, "--format", "native").exit_code == 0
    return path


def test_nested_whole_token_export_writes_a_column_per_level(seeded_file, tmp_path):
    out = tmp_path / "nested.conll"
    result = run(
        "export", seeded_file, out, "--format", "conll", "--annotator", "example",
        "--nested", "--bio-tokens", "whole",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert "الكرملين I-PER B-ORG" in lines and "وواشنطن B-GPE" in lines
    assert "tagged on whole tokens, with their attached proclitic" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "hf", "--nested"), "--nested writes one CoNLL tag column per nesting level"),
        (("--format", "native", "--bio-tokens", "whole"), "--bio-tokens whole is for the BIO"),
    ],
)
def test_token_options_of_another_format_are_refused_in_one_line(
    seeded_file, tmp_path, args, message
):
    out = tmp_path / "out.jsonl"
    result = run("export", seeded_file, out, "--annotator", "example", *args)
    assert result.exit_code != 0
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert not out.exists()
