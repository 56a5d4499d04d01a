"""An output that is one of the command's own files is refused before anything is written.

``export`` writes over its target by renaming a finished file onto it. When that target is the
project (by any spelling: relative, through ``..``, a symbolic link, a hard link, a linked
folder), one of the journals SQLite keeps beside it, or a part or side file of a split or hf
export that lands on one of those, the project would be replaced or handed a journal that is
not its own. Each is refused with one line naming the output and the project; the project stays
byte for byte the same and no exported line appears anywhere. The same holds in the Python API
the window calls, and for the inputs of ``import`` and ``merge`` and the chart of ``agree``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from robustness_support import assert_one_clear_line, cli, dump

from annotator.errors import InputError
from annotator.io.operations import export
from annotator.store import Project

Build = Callable[[Path], Path]  # from the project's path, the output path to try


def itself(project: Path) -> Path:
    """The project file, as typed."""
    return project


def relative(project: Path) -> Path:
    """The project file relative to the working folder."""
    return Path(os.path.relpath(project))


def through_dotdot(project: Path) -> Path:
    """The project file reached through a sub-folder and ``..``."""
    (project.parent / "sub").mkdir()
    return project.parent / "sub" / ".." / project.name


def symlink(project: Path) -> Path:
    """A symbolic link to the project with an export's name."""
    link = project.parent / "news.jsonl"
    link.symlink_to(project)
    return link


def hard_link(project: Path) -> Path:
    """A second name of the project file (a hard link)."""
    link = project.parent / "news.jsonl"
    os.link(project, link)
    return link


def linked_folder(project: Path) -> Path:
    """The project reached through a symbolic link to its folder."""
    alias = project.parent / "alias"
    alias.symlink_to(project.parent, target_is_directory=True)
    return alias / project.name


def journal(suffix: str) -> Build:
    """A journal SQLite keeps beside the project (it need not exist yet)."""
    return lambda project: Path(f"{project}{suffix}")


def link_to_journal(project: Path) -> Path:
    """A dangling link to the project's write-ahead log, which does not exist while closed."""
    link = project.parent / "log.jsonl"
    link.symlink_to(f"{project}-wal")
    return link


OUTPUTS: dict[str, Build] = {
    "itself": itself,
    "relative": relative,
    "through-dotdot": through_dotdot,
    "symlink": symlink,
    "hard-link": hard_link,
    "linked-folder": linked_folder,
    "wal": journal("-wal"),
    "shm": journal("-shm"),
    "journal": journal("-journal"),
    "link-to-wal": link_to_journal,
}


def folder_state(folder: Path) -> dict[str, bytes]:
    """Every regular file under ``folder`` with its bytes (SQLite's own -shm left out)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink() and not p.name.endswith("-shm")
    }


def assert_nothing_exported(folder: Path, before: dict[str, bytes]) -> None:
    """No file changed, none appeared but SQLite's, and no exported line is anywhere."""
    after = folder_state(folder)
    for name, data in after.items():
        assert not data.startswith(b'{"id"'), f"{name} holds an export"
        assert not name.endswith(".part"), f"{name} was left behind"
    assert {k: v for k, v in after.items() if k in before} == before


@pytest.mark.parametrize("name", sorted(OUTPUTS))
def test_export_onto_a_file_of_the_project_is_refused(name: str, filled: Path) -> None:
    """One line naming the output and the project; the project's bytes unchanged."""
    out = OUTPUTS[name](filled)
    before = folder_state(filled.parent)

    outcome = cli("export", filled, out, "--format", "native")

    reason = assert_one_clear_line(outcome, [out], None)
    assert str(filled) in reason and "nothing was written" in reason
    assert_nothing_exported(filled.parent, before)


def test_split_part_onto_the_project_is_refused(filled: Path) -> None:
    """``corpus.sqlite --split`` writes corpus.train.sqlite: here that is the project."""
    project = filled.with_name("corpus.train.sqlite")
    shutil.move(filled, project)
    out = filled.with_name("corpus.sqlite")
    before = folder_state(project.parent)

    outcome = cli("export", project, out, "--split", "80,20")

    reason = assert_one_clear_line(outcome, [project], None)
    assert str(project) in reason
    assert_nothing_exported(project.parent, before)
    assert not out.exists() and not filled.with_name("corpus.test.sqlite").exists()


def test_hf_label_list_onto_the_project_is_refused(filled: Path) -> None:
    """The hf export writes OUT.labels.json beside OUT: here that name is the project's."""
    project = filled.with_name("ner.labels.json")
    shutil.move(filled, project)
    out = filled.with_name("ner.jsonl")
    before = folder_state(project.parent)

    outcome = cli("export", project, out, "--format", "hf", "--annotator", "example")

    reason = assert_one_clear_line(outcome, [project], None)
    assert str(project) in reason
    assert_nothing_exported(project.parent, before)
    assert not out.exists()


def test_python_api_refuses_the_project_as_output(filled: Path) -> None:
    """The window calls io.operations.export: the same refusal, naming both files."""
    before = filled.read_bytes()
    with Project.open(filled, read_only=True) as project, pytest.raises(InputError) as caught:
        export(project, filled)
    assert str(caught.value).startswith(f"{filled}: this output is the project {filled}")
    assert filled.read_bytes() == before


def test_python_api_refuses_the_open_projects_live_log(filled: Path) -> None:
    """While the window has the project open its -wal exists and holds commits: never replaced."""
    with Project.open(filled, annotator="tester") as project:
        project.db.execute("PRAGMA wal_autocheckpoint=0")
        project.set_document_title(project.document_ids()[0], "عنوان جديد")
        wal = Path(f"{filled}-wal")
        log = wal.read_bytes()
        with pytest.raises(InputError, match="write-ahead log of the project"):
            export(project, wal)
        assert wal.read_bytes() == log
        assert project.document(project.document_ids()[0]).title == "عنوان جديد"


def test_import_of_the_project_into_itself_is_refused(filled: Path) -> None:
    """Reading the project as an input while writing it: refused, by name or through a link."""
    link = filled.parent / "export.jsonl"
    link.symlink_to(filled)
    before = dump(filled)

    for source in (filled, link):
        outcome = cli("import", filled, source, "--format", "native")
        reason = assert_one_clear_line(outcome, [source], None)
        assert f"the project {filled}" in reason
    assert dump(filled) == before


def test_merge_of_the_project_or_its_log_is_refused(filled: Path) -> None:
    """A hard link to the project, or its live -wal, as a merge source: refused."""
    hard = filled.parent / "colleague.sqlite"
    os.link(filled, hard)
    before = dump(filled)

    outcome = cli("merge", filled, hard)

    reason = assert_one_clear_line(outcome, [hard], None)
    assert f"the project {filled}" in reason
    assert dump(filled) == before
    with Project.open(filled) as project:  # the log exists while the project is open
        project.db.execute("PRAGMA wal_autocheckpoint=0")
        project.set_document_status(project.document_ids()[0], "in_progress")
        wal = Path(f"{filled}-wal")
        during = dump(filled)
        outcome = cli("merge", filled, wal)
        reason = assert_one_clear_line(outcome, [wal], None)
        assert "write-ahead log of the project" in reason
        assert dump(filled) == during


def test_agreement_chart_onto_the_project_is_refused(filled: Path) -> None:
    """A project whose name ends in .svg, and --chart naming it: the chart is not drawn over it."""
    project = filled.with_name("agreement.svg")
    shutil.move(filled, project)
    before = project.read_bytes()

    outcome = cli("agree", project, "--chart", project)

    reason = assert_one_clear_line(outcome, [project], None)
    assert f"the project {project}" in reason
    assert project.read_bytes() == before
