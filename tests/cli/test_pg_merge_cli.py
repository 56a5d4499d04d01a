"""Work moves between a project file and a team project on PostgreSQL, both ways, unchanged."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from annotator.cli import main

from conftest import SEED_EXAMPLE, SEED_TXT


def run(*args: object) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


def test_a_server_project_merged_into_a_file_exports_the_same(pg_url: str, tmp_path: Path) -> None:
    run("init", pg_url)
    run("import", pg_url, SEED_TXT)
    run("import", pg_url, SEED_EXAMPLE, "--format", "native")
    local = tmp_path / "local.sqlite"
    run("init", local)
    merged = run("merge", local, pg_url)
    assert "3 new one(s)" not in merged.output and "88 span(s), 35 relation(s)" in merged.output
    run("export", pg_url, tmp_path / "server.jsonl", "--format", "native")
    run("export", local, tmp_path / "file.jsonl", "--format", "native")
    server = (tmp_path / "server.jsonl").read_bytes()
    assert server == (tmp_path / "file.jsonl").read_bytes() and b'"annotator":"example"' in server


def test_a_file_merged_into_a_server_project_exports_the_same(pg_url: str, tmp_path: Path) -> None:
    local = tmp_path / "mona.sqlite"
    run("init", local)
    run("import", local, SEED_TXT)
    run("import", local, SEED_EXAMPLE, "--format", "native", "--annotator", "mona")
    run("init", pg_url)
    run("merge", pg_url, local)
    for fmt in ("native", "doccano", "conll"):
        run("export", local, tmp_path / f"file.{fmt}", "--format", fmt)
        run("export", pg_url, tmp_path / f"server.{fmt}", "--format", fmt)
        assert (tmp_path / f"server.{fmt}").read_bytes() == (tmp_path / f"file.{fmt}").read_bytes()
    again = run("merge", pg_url, local)
    assert "0 span(s), 0 relation(s) added" in again.output  # merging twice adds nothing


def test_a_server_project_is_not_merged_into_itself(pg_url: str) -> None:
    run("init", pg_url)
    result = CliRunner().invoke(main, ["merge", pg_url, pg_url])
    assert result.exit_code == 2 and "into itself" in result.output
