"""`annotator init --schema` with a bad schema: one line naming the file and the key, no file left."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import main

LABEL = '[[labels]]\nid = "{id}"\nshortcut = "{key}"\ncolor = "#abc"\n'
GOOD_LABELS = LABEL.format(id="PER", key="P") + LABEL.format(id="ORG", key="O")

CASES = {
    "a label id with a space": (
        GOOD_LABELS + LABEL.format(id="NEW ONE", key="N"),
        'labels[2].id: "NEW ONE" is not an id',
    ),
    "two labels on P": (
        GOOD_LABELS + LABEL.format(id="PERSON", key="P"),
        'labels[2].shortcut: "P" is already the shortcut of PER',
    ),
    "a label on Ctrl+Z": (
        GOOD_LABELS + LABEL.format(id="UNDO", key="Ctrl+Z"),
        'labels[2].shortcut: "Ctrl+Z" is a key of the window (Edit > Undo)',
    ),
    "a number for an id": (
        '[[labels]]\nid = 5\n',
        "labels[0].id: must be a string, got a number (5)",
    ),
    "a string where the labels belong": (
        'labels = "PER"\n',
        'labels: must be a list of tables ([[labels]]), got a string ("PER")',
    ),
    "an unknown key": (
        GOOD_LABELS + 'colour = "#fff"\n',
        "labels[1].colour: unknown key; a label has id, name_en",
    ),
    "a colour name": (
        GOOD_LABELS.replace("#abc", "red", 1),
        'labels[0].color: "red" is not a colour: write #rgb or #rrggbb',
    ),
    "a default outside the values": (
        GOOD_LABELS + '[labels.attributes.type]\nvalues = ["a", "b"]\ndefault = "c"\n',
        'labels[1].attributes.type.default: "c" is not one of a / b',
    ),
    "a bidi override in a name": (
        GOOD_LABELS + 'name_ar = "منظمة\\u202E"\n',
        "labels[1].name_ar: holds U+202E, a control or bidi formatting character",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(CASES))
def test_init_refuses_a_bad_schema_in_one_line_and_creates_nothing(tmp_path: Path, case: str):
    source, expected = CASES[case]
    schema = tmp_path / "my.toml"
    schema.write_text(source, encoding="utf-8")
    project = tmp_path / "news.sqlite"
    result = CliRunner().invoke(main, ["init", str(project), "--schema", str(schema)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code != 0
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"error: {schema}: {expected}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my.toml"]  # no project, no journal


def test_init_takes_a_good_custom_schema(tmp_path: Path):
    schema = tmp_path / "my.toml"
    schema.write_text(GOOD_LABELS + 'name_en = "Org <b>&amp;</b>"\n', encoding="utf-8")
    project = tmp_path / "news.sqlite"
    result = CliRunner().invoke(main, ["init", str(project), "--schema", str(schema)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"created {project} with labels PER, ORG\n"
