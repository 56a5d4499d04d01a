"""The CLI's formats come from the table in io/registry.py, and so does its folder walk."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from annotator import cli
from annotator.io import registry, txt
from annotator.io.registry import Format, readable, writable
from annotator.store import Project

COMMANDS = {"import": readable, "export": writable}


def run(*args: object) -> click.testing.Result:
    return CliRunner().invoke(cli.main, [str(a) for a in args])


def format_choices(command: str) -> list[str]:
    (option,) = [p for p in cli.main.commands[command].params if p.name == "fmt"]
    assert isinstance(option.type, click.Choice)
    return list(option.type.choices)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_format_choices_are_the_tables_names_and_help_lists_them(command: str) -> None:
    names = COMMANDS[command]()
    assert format_choices(command) == names
    assert f"[{'|'.join(names)}]" in run(command, "--help").output


def test_an_unknown_format_is_refused_naming_the_choices(tmp_path: Path) -> None:
    result = run("import", tmp_path / "p.sqlite", tmp_path, "--format", "spacy")
    assert result.exit_code == 2
    assert "'spacy' is not one of 'txt', 'native'" in result.output


def write_markdown(items: object, out: object, options: object) -> None:
    out.write(b"# written by the markdown format\n")  # type: ignore[attr-defined]


MARKDOWN = Format(
    name="markdown",
    description="a format only this test knows",
    offsets="none (text only)",
    read=txt.read,
    write=write_markdown,
    suffixes=(".md",),
    annotations=False,
    count=txt.count,
)


def test_a_format_added_to_the_table_is_in_the_cli_without_other_edits(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(registry, "FORMATS", (*registry.FORMATS, MARKDOWN))
    for command in COMMANDS:
        assert "markdown" in format_choices(command)
        assert "|markdown]" in run(command, "--help").output
    notes = tmp_path / "notes"
    (notes / "deep").mkdir(parents=True)
    (notes / "a.md").write_text("خبر أول", encoding="utf-8")
    (notes / "deep" / "b.md").write_text("خبر ثان", encoding="utf-8")
    (notes / "c.txt").write_text("ليس من هذا النوع", encoding="utf-8")
    project = tmp_path / "p.sqlite"
    assert run("init", project).exit_code == 0
    result = run("import", project, notes, "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert "imported 2 document(s)" in result.output  # the folder walk read the .md files only
    out = tmp_path / "out.md"
    assert run("export", project, out, "--format", "markdown").exit_code == 0
    assert out.read_text(encoding="utf-8") == "# written by the markdown format\n"


@pytest.fixture
def bar_totals(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The length of each progress bar the CLI draws."""
    totals: list[int] = []

    @contextmanager
    def recorded(total: int, label: str) -> Iterator[Callable[[int], None] | None]:
        totals.append(total)
        yield None

    monkeypatch.setattr(cli, "progress_bar", recorded)
    return totals


def test_a_folder_is_walked_for_the_formats_files_and_the_bar_counts_records(
    tmp_path: Path, bar_totals: list[int]
) -> None:
    folder = tmp_path / "corpus"
    (folder / "2024").mkdir(parents=True)
    lines = [json.dumps({"text": f"خبر رقم {n}", "entities": []}) for n in range(5)]
    (folder / "a.jsonl").write_text("\n".join(lines[:3]) + "\n\n", encoding="utf-8")
    (folder / "2024" / "b.jsonl").write_text("\n".join(lines[3:]), encoding="utf-8")
    (folder / "notes.txt").write_text("ملاحظة", encoding="utf-8")
    project = tmp_path / "p.sqlite"
    assert run("init", project).exit_code == 0
    result = run("import", project, folder, "--format", "doccano")
    assert result.exit_code == 0, result.output
    assert "imported 5 document(s)" in result.output
    assert bar_totals == [5]
    with Project.open(project) as opened:
        assert opened.document_count() == 5


def test_a_known_text_gets_the_annotations_of_a_format_that_carries_them(tmp_path: Path) -> None:
    text = "قال لافروف إن موسكو مستعدة"
    article = tmp_path / "a.txt"
    article.write_text(text, encoding="utf-8")
    annotated = tmp_path / "a.jsonl"
    entity = {"label": "PER", "start_offset": 4, "end_offset": 10}
    annotated.write_text(json.dumps({"text": text, "entities": [entity]}), encoding="utf-8")
    project = tmp_path / "p.sqlite"
    assert run("init", project).exit_code == 0
    assert run("import", project, article).exit_code == 0
    result = run("import", project, annotated, "--format", "doccano", "--annotator", "mona")
    assert "imported 0 document(s), 1 span(s)" in result.output
    with Project.open(project) as opened:
        assert [s.label for s in opened.spans("a", ["mona"])] == ["PER"]


def test_every_format_in_the_table_reads_or_writes_and_names_its_files() -> None:
    for fmt in registry.formats():
        assert fmt.read is not None or fmt.write is not None, fmt.name
        assert fmt.suffixes and all(s.startswith(".") for s in fmt.suffixes), fmt.name
    assert len({f.name for f in registry.formats()}) == len(registry.formats())
    # Only plain text carries no annotations: a known text gets nothing from it.
    assert [f.name for f in registry.formats() if f.read and not f.annotations] == ["txt"]
