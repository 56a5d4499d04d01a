"""A project with a damaged page: no batch is written into it, and every failure names the file.

The damage here is an inner page of the spans table overwritten with junk, as a bad sector or a
copy cut short would leave it. Importing a plain article never reads that page, so SQLite alone
lets the import in, and the next export fails halfway. Import and merge now check the file (the
whole file when small, the tables a batch writes when large) and refuse it; every storage
failure met later, in the CLI or through the Python API the window calls, names the file.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from robustness_support import assert_one_clear_line, cli

from annotator.errors import StorageError
from annotator.io.operations import export
from annotator.paths import SEEDS
from annotator.store import Project, project

SEED_ID = "000_2024f0fe6e876b71"
NEW_ARTICLE = "قال المتحدث باسم الوزارة إن المحادثات ستستأنف الأسبوع المقبل في القاهرة"


def page_of(path: Path, table: str, kind: str) -> tuple[int, int]:
    """Return the number and size of the first page of ``table`` of the given kind."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        number = conn.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = ? ORDER BY pageno LIMIT 1",
            [table, kind],
        ).fetchone()[0]
    return number, size


def damage(path: Path, table: str = "spans", kind: str = "internal") -> Path:
    """Overwrite a page of ``table`` after its type byte: cell pointers and children are junk."""
    number, size = page_of(path, table, kind)
    data = bytearray(path.read_bytes())
    start = (number - 1) * size + (100 if number == 1 else 0)
    data[start + 8 : number * size] = b"\x07" * (number * size - start - 8)
    path.write_bytes(bytes(data))
    return path


@pytest.fixture
def damaged(filled: Path) -> Path:
    """The filled project with the inner page of its spans table overwritten."""
    return damage(filled)


@pytest.fixture
def article(tmp_path: Path) -> Path:
    """A plain article the project does not hold."""
    path = tmp_path / "new.txt"
    path.write_text(NEW_ARTICLE, encoding="utf-8")
    return path


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A clean project someone sends for merging: one new document, no spans."""
    path = tmp_path / "theirs" / "theirs.sqlite"
    path.parent.mkdir()
    with Project.create(path, annotator="sami") as other:
        other.add_document(NEW_ARTICLE, title="جديد")
    return path


def test_import_into_a_damaged_project_is_refused(damaged: Path, article: Path) -> None:
    """One line naming the project and the damage; the file's bytes stay as they were."""
    before = damaged.read_bytes()

    outcome = cli("import", damaged, article)

    reason = assert_one_clear_line(outcome, [damaged], None)
    assert reason.startswith("the project file is damaged (")
    assert "nothing was written to it" in reason and "backup" in reason
    assert damaged.read_bytes() == before


def test_merge_into_a_damaged_project_is_refused(damaged: Path, source: Path) -> None:
    """A clean source merged into a damaged project: refused before anything is written."""
    before = damaged.read_bytes()

    outcome = cli("merge", damaged, source)

    reason = assert_one_clear_line(outcome, [damaged], None)
    assert reason.startswith("the edit was not saved: the project file is damaged (")
    assert "nothing was written to it" in reason
    assert damaged.read_bytes() == before


def test_large_project_checks_the_tables_a_batch_writes(
    damaged: Path, article: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above the whole-file limit, the tables an import writes are checked with their indexes."""
    monkeypatch.setattr(project, "FULL_CHECK_BYTES", 0)
    before = damaged.read_bytes()

    outcome = cli("import", damaged, article)

    reason = assert_one_clear_line(outcome, [damaged], None)
    assert reason.startswith("the project file is damaged (")
    assert damaged.read_bytes() == before


def test_export_of_a_damaged_project_names_it(damaged: Path, tmp_path: Path) -> None:
    """The damage met halfway through an export: one line naming the project, no output."""
    out = tmp_path / "out" / "news.jsonl"
    out.parent.mkdir()

    outcome = cli("export", damaged, out)

    reason = assert_one_clear_line(outcome, [damaged], None)
    assert "the project file is damaged (database disk image is malformed)" in reason
    assert list(out.parent.iterdir()) == []


def test_agreement_on_a_damaged_project_names_it(damaged: Path) -> None:
    """Every command that reads the spans names the file, not just 'malformed'."""
    outcome = cli("agree", damaged)

    reason = assert_one_clear_line(outcome, [damaged], None)
    assert "damaged" in reason


def test_python_api_names_the_file_in_every_storage_error(damaged: Path, tmp_path: Path) -> None:
    """What the window's error dialog shows (str of the error) starts with the project file."""
    with Project.open(damaged, read_only=True) as opened:
        with pytest.raises(StorageError) as reading:
            opened.spans(SEED_ID)
        with pytest.raises(StorageError) as exporting:
            export(opened, tmp_path / "out.jsonl")
    for caught in (reading, exporting):
        assert str(caught.value).startswith(f"{damaged}: the project file is damaged (")
    assert not (tmp_path / "out.jsonl").exists()


def test_python_api_refuses_a_batch(damaged: Path) -> None:
    """Project.import_documents, which the import dialog and merges use, refuses the file."""
    before = damaged.read_bytes()
    refused = pytest.raises(StorageError, match="nothing was written to it")
    with Project.open(damaged, annotator="tester") as opened, refused:
        opened.add_document(NEW_ARTICLE)
    assert damaged.read_bytes() == before


def test_clean_project_still_takes_a_batch(filled: Path, article: Path) -> None:
    """The check passes a sound file: the import goes in."""
    outcome = cli("import", filled, article, SEEDS / "000_2024f0fe6e876b71.txt")

    assert outcome.exit_code == 0, outcome.stderr
    assert outcome.stdout.startswith("imported 1 document(s)")
