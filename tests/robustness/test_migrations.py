"""Schema versions: older projects are upgraded after a backup, newer ones are refused."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from robustness_support import cli, dump, sqlite_rows
from sqlite_utils import Database

from annotator.errors import ProjectError
from annotator.model.schema import load_default_schema
from annotator.store import Project
from annotator.store.connection import known_migrations
from annotator.store.migrations import migrations

ARTICLE = "قال المتحدث باسم الكرملين إن موسكو مستعدة للحوار"


def make_older(path: Path) -> Path:
    """Write a project as the previous version left it: every migration but the newest."""
    assert len(known_migrations()) >= 2, "needs a previous schema version to upgrade from"
    db = Database(path)
    migrations.apply(db, stop_before=known_migrations()[-1])
    db["project"].insert_all(
        [
            {"key": "schema", "value": load_default_schema().source},
            {"key": "name", "value": "old"},
        ]
    )
    db.execute(
        "INSERT INTO documents (id, position, title, text, content_hash, created, updated)"
        " VALUES ('d1', 0, 'old', ?, 'h1', '2024-01-01', '2024-01-01')",
        [ARTICLE],
    )
    db.execute(
        'INSERT INTO spans (doc_id, id, start, "end", label, annotator, created, updated)'
        " VALUES ('d1', 's1', 29, 34, 'GPE', 'mona', '2024-01-01', '2024-01-01')"
    )
    db.conn.commit()
    db.close()
    return path


def applied(path: Path) -> list[str]:
    """Return the schema versions recorded in a project file."""
    return [str(r[0]) for r in sqlite_rows(path, "SELECT name FROM _sqlite_migrations")]


@pytest.fixture
def older(tmp_path: Path) -> Path:
    """A project file of the previous schema version, with one annotated article."""
    return make_older(tmp_path / "old.sqlite")


def test_older_project_is_backed_up_then_upgraded(older: Path) -> None:
    """Opening writes old.sqlite.vN.bak with the old content, then upgrades the file."""
    before = dump(older)
    version = len(applied(older))

    with Project.open(older) as project:
        spans = project.spans("d1")

    backup = older.with_name(f"old.sqlite.v{version}.bak")
    assert dump(backup) == before
    assert applied(older) == known_migrations()
    assert [(s.id, s.text_in(ARTICLE)) for s in spans] == [("s1", "موسكو")]


def test_second_upgrade_keeps_the_first_backup(older: Path, tmp_path: Path) -> None:
    """A backup already there is never overwritten."""
    version = len(applied(older))
    first = older.with_name(f"old.sqlite.v{version}.bak")
    first.write_bytes(b"an earlier backup")

    Project.open(older).close()

    assert first.read_bytes() == b"an earlier backup"
    assert dump(older.with_name(f"old.sqlite.v{version}-2.bak"))[0].startswith("BEGIN")


def test_older_project_through_the_cli(older: Path) -> None:
    """A read-only command reads an older file as it is; a writing command upgrades it."""
    before = dump(older)

    listing = cli("list", older)
    assert listing.exit_code == 0, listing.stderr
    assert listing.stdout.split("\t")[:3] == ["d1", "not_started", "1"]
    assert dump(older) == before
    assert not list(older.parent.glob("old.sqlite.v*.bak"))

    assert cli("import", older, _article(older.parent)).exit_code == 0
    assert applied(older) == known_migrations()
    assert len(list(older.parent.glob("old.sqlite.v*.bak"))) == 1


def _article(folder: Path) -> Path:
    path = folder / "new.txt"
    path.write_text("خبر جديد", encoding="utf-8")
    return path


def test_newer_project_is_refused_and_untouched(tmp_path: Path) -> None:
    """A file from a newer version names that version and is not changed."""
    path = tmp_path / "new.sqlite"
    Project.create(path).close()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
        " VALUES ('annotator', 'm042_future', '2031-01-01')"
    )
    conn.commit()
    conn.close()
    before = path.read_bytes()

    with pytest.raises(ProjectError, match=r"newer version of the annotator.*m042_future"):
        Project.open(path)

    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.bak"))


def m999_broken(db: Database) -> None:
    """A next schema version whose upgrade fails halfway."""
    db.execute("CREATE TABLE half_done (x)")
    db.execute("INSERT INTO no_such_table VALUES (1)")


@contextmanager
def next_version() -> Iterator[None]:
    """Run the block as the next program version would, with m999_broken added."""
    migrations._migrations.append(migrations._Migration("m999_broken", m999_broken))
    try:
        yield
    finally:
        migrations._migrations.pop()


def test_failed_upgrade_leaves_the_old_version_and_a_backup(tmp_path: Path) -> None:
    """An upgrade that fails changes nothing in the project; the backup is there."""
    path = tmp_path / "p.sqlite"
    Project.create(path).close()
    before = dump(path)

    with next_version(), pytest.raises(ProjectError, match="failed and was undone") as error:
        Project.open(path)

    assert dump(path) == before
    assert applied(path) == known_migrations()
    (backup,) = tmp_path.glob("p.sqlite.v*.bak")
    assert backup.name in str(error.value) and dump(backup) == before


def test_older_colleague_file_is_read_without_changing_it(older: Path, tmp_path: Path) -> None:
    """Opened read-only (as merge does), an older file is read through an upgraded copy."""
    before = dump(older)
    with Project.open(older, read_only=True) as project:
        assert [(s.id, s.text_in(ARTICLE)) for s in project.spans("d1")] == [("s1", "موسكو")]
        with pytest.raises(ProjectError, match="read-only"):
            project.add_span("d1", 0, 3, "PER")
    assert dump(older) == before
    assert applied(older) != known_migrations()

    reviewer = tmp_path / "review.sqlite"
    assert cli("init", reviewer).exit_code == 0
    merged = cli("merge", reviewer, older)
    assert merged.exit_code == 0, merged.stderr
    with Project.open(reviewer) as project:
        assert [s.annotator for s in project.spans("d1")] == ["mona"]
    assert dump(older) == before
