"""Project files made elsewhere: wrong, damaged, read-only, or carrying planted SQL.

Each is refused with one clear line naming the file, and neither it nor the user's own project
changes.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from robustness_support import BAD, assert_one_clear_line, cli, cli_process, dump, sqlite_rows

from annotator.errors import ProjectError
from annotator.paths import SEEDS
from annotator.store import Project
from annotator.store.connection import connect

SEED_TXT = SEEDS / "000_2024f0fe6e876b71.txt"
PLANTED_TRIGGER = (
    "CREATE TRIGGER wipe AFTER INSERT ON spans BEGIN DELETE FROM spans WHERE id != NEW.id; END"
)
PLANTED_VIEW = "CREATE VIEW everything AS SELECT * FROM documents"


def _copy(filled: Path, tmp: Path) -> Path:
    path = tmp / "theirs.sqlite"
    shutil.copyfile(filled, path)
    return path


def _edit(path: Path, *statements: str) -> Path:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()
    return path


def corpus(name: str) -> Callable[[Path, Path], Path]:
    """A project file from tests/data/bad."""
    return lambda filled, tmp: BAD / name


def newer_version(filled: Path, tmp: Path) -> Path:
    """A project whose migrations table names a version this program does not know."""
    return _edit(
        _copy(filled, tmp),
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
        " VALUES ('annotator', 'm999_from_the_future', '2031-01-01')",
    )


def truncated(filled: Path, tmp: Path) -> Path:
    """A project cut off after its first pages, as by a full disk or a broken download."""
    path = tmp / "truncated.sqlite"
    path.write_bytes(filled.read_bytes()[:20_000])
    return path


def damaged(filled: Path, tmp: Path) -> Path:
    """A project with pages in the middle overwritten with junk."""
    data = bytearray(filled.read_bytes())
    data[4096 * 2 : 4096 * 4] = b"\x07" * 8192
    path = tmp / "damaged.sqlite"
    path.write_bytes(bytes(data))
    return path


def header_then_junk(filled: Path, tmp: Path) -> Path:
    """A file starting with the SQLite signature and nothing sensible after it."""
    path = tmp / "junk.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + b"\xab" * 5000)
    return path


def other_sqlite(filled: Path, tmp: Path) -> Path:
    """An SQLite database of another program."""
    return _edit(tmp / "recipes.sqlite", "CREATE TABLE recipes (name TEXT, steps TEXT)")


def no_schema(filled: Path, tmp: Path) -> Path:
    """A project whose label schema was deleted."""
    return _edit(_copy(filled, tmp), "DELETE FROM project WHERE key = 'schema'")


def planted_trigger(filled: Path, tmp: Path) -> Path:
    """A project carrying a trigger that deletes every other span on the next edit."""
    return _edit(_copy(filled, tmp), PLANTED_TRIGGER)


def planted_view(filled: Path, tmp: Path) -> Path:
    """A project carrying a view the annotator never creates."""
    return _edit(_copy(filled, tmp), PLANTED_VIEW)


def folder(filled: Path, tmp: Path) -> Path:
    """A folder given as the project."""
    path = tmp / "folder.sqlite"
    path.mkdir()
    return path


def missing(filled: Path, tmp: Path) -> Path:
    """A project path where there is no file."""
    return tmp / "nowhere.sqlite"


@dataclass(frozen=True)
class Case:
    """A bad project file and what the message about it must say."""

    build: Callable[[Path, Path], Path]
    expect: str


CASES = {
    "not-sqlite": Case(corpus("project_not_sqlite.sqlite"), "not a project file (not an SQLite"),
    "html-page": Case(corpus("project_html.sqlite"), "not a project file (not an SQLite"),
    "empty-file": Case(corpus("project_empty.sqlite"), "an empty file, not a project"),
    "folder": Case(folder, "is a folder, not a project file"),
    "missing": Case(missing, "no such project file (create one with: annotator init)"),
    "newer-version": Case(newer_version, "newer version of the annotator (schema version m999"),
    "truncated": Case(truncated, "the project file is damaged ("),
    "damaged-pages": Case(damaged, "the project file is damaged ("),
    "signature-then-junk": Case(header_then_junk, "the project file is damaged ("),
    "other-program-sqlite": Case(other_sqlite, "not an annotator project"),
    "no-label-schema": Case(no_schema, "has no label schema"),
    "planted-trigger": Case(planted_trigger, "holds a trigger 'wipe' that the annotator did not"),
    "planted-view": Case(planted_view, "holds a view 'everything' that the annotator did not"),
}
COMMANDS = {
    "import": ("import", "{p}", str(SEED_TXT)),  # opens the project for writing
    "list": ("list", "{p}"),  # opens it read-only
    "merge-from": ("merge", "{mine}", "{p}"),  # a reviewer merging a file someone sent
}
# merge reads a file without the SQLite signature as native JSONL (tested with the corpus), and
# click itself refuses a missing file or a folder there.
SQLITE_CASES = [
    n for n in CASES if n not in {"not-sqlite", "html-page", "empty-file", "folder", "missing"}
]
RUNS = [
    (n, c)
    for n in sorted(CASES)
    for c in sorted(COMMANDS)
    if c != "merge-from" or n in SQLITE_CASES
]


def _content(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


@pytest.mark.parametrize(("name", "command"), RUNS)
def test_bad_project_file_is_refused(name: str, command: str, filled: Path, tmp_path: Path) -> None:
    """One line naming the file; the file itself and the user's project stay as they were."""
    bad = CASES[name].build(filled, tmp_path)
    before_bad, before_mine = _content(bad), dump(filled)
    args = [a.format(p=bad, mine=filled) for a in COMMANDS[command]]

    outcome = cli(*args)

    message = assert_one_clear_line(outcome, [bad], None)
    assert CASES[name].expect in message
    assert _content(bad) == before_bad
    assert dump(filled) == before_mine


def test_planted_trigger_would_run_without_the_check(filled: Path, tmp_path: Path) -> None:
    """trusted_schema=OFF stops unsafe functions, not plain SQL triggers: hence the refusal."""
    path = planted_trigger(filled, tmp_path)
    with pytest.raises(ProjectError, match="trigger 'wipe'"):
        Project.open(path)
    # What SQLite itself does with the same file and the same pragma.
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA trusted_schema=OFF")
    before = conn.execute("SELECT COUNT(*) FROM spans").fetchone()[0]
    conn.execute(
        'INSERT INTO spans (doc_id, id, start, "end", label, annotator, created, updated)'
        " SELECT id, 'planted-probe', 0, 1, 'PER', 'x', '', '' FROM documents LIMIT 1"
    )
    after = conn.execute("SELECT COUNT(*) FROM spans").fetchone()[0]
    conn.close()
    assert before > 1 and after == 1


def test_schema_code_cannot_call_functions(tmp_path: Path) -> None:
    """Every project connection runs with trusted_schema=OFF: views cannot call app functions."""
    db = connect(tmp_path / "p.sqlite", read_only=False, create=True)
    db.conn.create_function("leak", 1, lambda value: value)
    db.execute("CREATE TABLE t (x)")
    db.execute("CREATE VIEW v AS SELECT leak(x) FROM t")
    db.execute("SELECT leak(1)").fetchone()  # allowed from the program's own SQL
    with pytest.raises(sqlite3.OperationalError, match="unsafe use of leak"):
        db.execute("SELECT * FROM v").fetchall()
    db.close()


def test_merge_reads_a_foreign_project_without_writing_it(filled: Path, tmp_path: Path) -> None:
    """A clean project someone sent is merged and stays byte for byte the same."""
    theirs = tmp_path / "theirs.sqlite"
    with Project.create(theirs, annotator="sami") as other:
        doc = other.add_document("قال الرئيس إن الاتفاق قريب")
        other.add_span(doc.id, 4, 10, "PER")
    before = theirs.read_bytes()

    outcome = cli("merge", filled, theirs)

    assert outcome.exit_code == 0, outcome.stderr
    assert theirs.read_bytes() == before
    assert sqlite_rows(filled, "SELECT COUNT(*) FROM spans WHERE annotator = 'sami'") == [(1,)]


def test_read_only_project_file(filled: Path) -> None:
    """Edits to a write-protected project say so and how to proceed; reading still works."""
    before = dump(filled)
    filled.chmod(0o444)

    edit = cli_process("import", filled, SEED_TXT, honour_file_modes=True)
    listing = cli_process("list", filled, honour_file_modes=True)

    message = assert_one_clear_line(edit, [filled], None)
    assert "read-only" in message and "--read-only" in message
    assert listing.exit_code == 0 and "000_2024f0fe6e876b71" in listing.stdout
    filled.chmod(0o644)
    assert dump(filled) == before
