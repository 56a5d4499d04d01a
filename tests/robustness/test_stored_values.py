"""Values read from a project file are checked where they are read.

A project file planted with values the annotator never writes (JSON that is not JSON, a list where
an object belongs, nesting 5,000 deep, a BLOB where text belongs, an offset that is not a whole
number, an unknown status, a stored schema that is not one) is refused by every command that reads
the value: one line naming the file, the table, the row and what is wrong, never a traceback; no
file changes. A command that does not read the value works as before.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import orjson
import pytest
from robustness_support import assert_one_clear_line, cli, dump
from stored_cases import CASES, SEED_ID, plant

from annotator.errors import StoredValueError
from annotator.store import Project
from annotator.store.reviews import decision, decisions, review_state, review_status

COMMANDS = {
    "list": ("list", "{bad}"),
    "show": ("show", "{bad}", SEED_ID),
    "export": ("export", "{bad}", "{out}", "--format", "native"),
    "merge-from": ("merge", "{mine}", "{bad}"),  # a reviewer merging a file someone sent
    "agree": ("agree", "{bad}"),
    "merge-into": ("merge", "{bad}", "{theirs}"),  # new work merged into the damaged project
}


@pytest.fixture
def theirs(tmp_path: Path, seed_text: str) -> Path:
    """Another annotator's work on the seed article, as native JSONL."""
    path = tmp_path / "sami.jsonl"
    start = seed_text.index("لافروف")
    span = {"id": "x1", "start": start, "end": start + 6, "label": "PER", "annotator": "sami"}
    path.write_bytes(orjson.dumps({"id": SEED_ID, "text": seed_text, "spans": [span]}) + b"\n")
    return path


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("name", sorted(CASES))
def test_a_damaged_value_is_refused_by_every_command_that_reads_it(
    name: str, command: str, filled: Path, tmp_path: Path, theirs: Path
) -> None:
    """Readers: one line naming the file and what is wrong. Others: they work. Nothing changes."""
    case = CASES[name]
    bad = plant(filled, tmp_path / "planted.sqlite", case.sql)
    mine = tmp_path / "mine.sqlite"
    shutil.copyfile(filled, mine)
    out = tmp_path / "out.jsonl"
    before_bad, before_mine = bad.read_bytes(), dump(mine)
    args = [a.format(bad=bad, mine=mine, out=out, theirs=theirs) for a in COMMANDS[command]]

    outcome = cli(*args)

    if command in case.readers:
        reason = assert_one_clear_line(outcome, [bad], None)
        # Merging into a project first checks the pages it will write; SQLite's CHECK on span
        # offsets may find the planted value there before the annotator reads it.
        alternative = (
            "the edit was not saved: the project file is damaged ("
            if command == "merge-into"
            else case.expect
        )
        assert reason.startswith((case.expect, alternative)), reason
        assert not out.exists()
        assert dump(mine) == before_mine
    else:
        assert outcome.exit_code == 0, outcome
    if command != "merge-into" or command in case.readers:
        assert bad.read_bytes() == before_bad


def _planted(filled: Path, tmp_path: Path, *sql: str) -> Path:
    return plant(filled, tmp_path / "planted.sqlite", tuple(sql))


def test_the_error_says_which_table_and_row_for_the_window_too(
    filled: Path, tmp_path: Path
) -> None:
    """The window shows str(error); the error also carries the table and row for a caller."""
    bad = _planted(filled, tmp_path, "UPDATE documents SET meta = '[]'")
    with Project.open(bad, read_only=True) as project, pytest.raises(StoredValueError) as caught:
        project.document(SEED_ID)
    assert caught.value.table == "documents"
    assert caught.value.row == f"document '{SEED_ID}'"
    assert str(caught.value).startswith(f"{bad}: damaged value in table documents")


DECISION = (
    "INSERT INTO review_decisions (doc_id, case_key, decision, gold_ids, detail, reviewer,"
    " decided) VALUES ('{doc}', 'k1', {decision}, {gold_ids}, {detail}, 'rev', '')"
)


@pytest.mark.parametrize(
    ("values", "expect"),
    [
        (("'accepted'", "'[]'", "'not json'"), "detail is not JSON ("),
        (("'accepted'", "'[]'", "'[1]'"), "detail is JSON a list, not an object"),
        (("'accepted'", "'{}'", "'{}'"), "gold_ids is not a JSON list of ids"),
        (("'accepted'", "'[1, 2]'", "'{}'"), "gold_ids is not a JSON list of ids"),
        (("'maybe'", "'[]'", "'{}'"), "decision is the text 'maybe', not one of accepted"),
        (("x'00'", "'[]'", "'{}'"), "decision is a BLOB of 1 bytes, not one of accepted"),
    ],
)
def test_a_damaged_review_decision_is_refused_where_it_is_read(
    values: tuple[str, str, str], expect: str, filled: Path, tmp_path: Path
) -> None:
    """What the review panel and the gold layer read: one error naming the decision."""
    decision_, gold_ids, detail = values
    sql = DECISION.format(doc=SEED_ID, decision=decision_, gold_ids=gold_ids, detail=detail)
    bad = _planted(filled, tmp_path, sql)
    where = "damaged value in table review_decisions, the decision on case 'k1' of document"
    with Project.open(bad, read_only=True) as project:
        for read in (lambda: decisions(project, SEED_ID), lambda: decision(project, SEED_ID, "k1")):
            with pytest.raises(StoredValueError) as caught:
                read()
            message = str(caught.value)
            assert message.startswith(f"{bad}: {where} '{SEED_ID}': {expect}"), message


def test_a_damaged_review_status_is_refused_where_it_is_read(filled: Path, tmp_path: Path) -> None:
    """review_status and review_state read the same row and refuse it alike."""
    bad = _planted(
        filled,
        tmp_path,
        "INSERT INTO document_reviews (doc_id, status, reviewer, updated)"
        f" VALUES ('{SEED_ID}', 'in_review', x'00', '')",
    )
    with Project.open(bad, read_only=True) as project:
        for read in (review_status, review_state):
            with pytest.raises(StoredValueError, match="reviewer is a BLOB of 1 bytes"):
                read(project, SEED_ID)


def test_a_project_name_that_is_not_text_is_refused(filled: Path, tmp_path: Path) -> None:
    """The window's title reads the name: a BLOB there is named, not shown as b'...'."""
    bad = _planted(filled, tmp_path, "UPDATE project SET value = x'00ff' WHERE key = 'name'")
    with Project.open(bad, read_only=True) as project, pytest.raises(StoredValueError) as caught:
        _ = project.name
    assert "setting 'name': value is a BLOB of 2 bytes, not text" in str(caught.value)


def test_a_hostile_id_is_quoted_escaped_and_short(filled: Path, tmp_path: Path) -> None:
    """An id with terminal escapes, a bidi override and 10,000 letters: the line stays safe."""
    hostile = "\x1b]52;c;ZXZpbA==\x07\u202e" + "ب" * 10_000
    bad = tmp_path / "planted.sqlite"
    shutil.copyfile(filled, bad)
    with closing(sqlite3.connect(bad)) as conn, conn:
        conn.execute("UPDATE documents SET id = ?, meta = '[]'", [hostile])
    reason = assert_one_clear_line(cli("export", bad, tmp_path / "o.jsonl"), [bad], None)
    assert "\x1b" not in reason and "\u202e" not in reason and "\x07" not in reason
    assert "\\x1b]52" in reason and "\\u202e" in reason
