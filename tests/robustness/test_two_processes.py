"""Two processes on one project: nothing lost or half-applied, and a clear "busy" otherwise."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest
from robustness_support import (
    PYTHON,
    ROOT,
    ChildLines,
    assert_one_clear_line,
    cli_process,
    dump,
    sqlite_rows,
    wait_until_asleep,
)
from test_kill import BATCH, CHILD, Expected

from annotator.store import Project

HOLDER = Path(__file__).with_name("lock_holder.py")
EDITS = 60
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with one article to edit."""
    path = tmp_path / "shared.sqlite"
    with Project.create(path, annotator="tester") as opened:
        opened.add_document("قال المتحدث باسم الكرملين إن موسكو مستعدة للحوار مع واشنطن " * 5)
    return path


def _editor(path: Path, seed: int, edits: int, *flags: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [PYTHON, str(CHILD), str(path), str(seed), str(BATCH), str(edits), *flags],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=ENV,
    )


def _holder(path: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [PYTHON, str(HOLDER), str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "holding"
    return holder


def _finish(
    child: subprocess.Popen[str], expected: Expected, lines: ChildLines | None = None
) -> list[str]:
    """Wait for an editor to end; record the edits it reported; return all it printed."""
    reported = (lines or ChildLines(child)).rest()
    _, err = child.communicate(timeout=120)  # the reader has seen the end of its output
    assert child.returncode == 0, err
    for line in reported:
        expected.record(line)  # other lines (ready, locking, finished) are not edits
    return reported


def _child_spans(path: Path) -> dict[str, tuple[int, int, str]]:
    rows = sqlite_rows(
        path, "SELECT id, start, \"end\", label FROM spans WHERE annotator = 'child'"
    )
    return {str(r[0]): (int(r[1]), int(r[2]), str(r[3])) for r in rows}  # type: ignore[call-overload]


def _when(lines: list[str], kind: str) -> float:
    """Return the time a child gave on its ``kind`` line (``locking T``, ``finished T``)."""
    [stamp] = [line.split()[1] for line in lines if line.split()[0] == kind]
    return float(stamp)


def test_two_editors_at_once_lose_nothing(project: Path) -> None:
    """Two processes editing together: every edit of both is there, batches whole."""
    editors = [_editor(project, seed, EDITS, "--wait-for-go", "--announce-lock") for seed in (1, 2)]
    readers = [ChildLines(editor) for editor in editors]
    assert [reader.next() for reader in readers] == ["ready", "ready"]
    for editor in editors:  # both have the project open: they start editing together
        assert editor.stdin is not None
        editor.stdin.write("go\n")
        editor.stdin.flush()
    expected = Expected()
    reports = [
        _finish(editor, expected, reader) for editor, reader in zip(editors, readers, strict=True)
    ]

    # Each began writing before the other was done: the two really edited at the same time.
    first, second = reports
    assert _when(first, "locking") < _when(second, "finished")
    assert _when(second, "locking") < _when(first, "finished")
    assert sqlite_rows(project, "PRAGMA integrity_check") == [("ok",)]
    assert _child_spans(project) == expected.spans
    batches = dict(
        sqlite_rows(
            project,
            "SELECT json_extract(meta, '$.batch') AS tag, COUNT(*) FROM documents"
            " WHERE tag IS NOT NULL GROUP BY tag",
        )
    )
    assert set(batches) == expected.batches and set(batches.values()) == {BATCH}


def test_long_write_elsewhere_gives_a_clear_busy_error(project: Path, tmp_path: Path) -> None:
    """While another program holds the write lock, an edit fails after the timeout, cleanly."""
    article = tmp_path / "article.txt"
    article.write_text("خبر جديد عن الحوار", encoding="utf-8")
    before = dump(project)
    holder = _holder(project)

    outcome = cli_process("import", project, article, env={"ANNOTATOR_BUSY_TIMEOUT_MS": "300"})
    holder.communicate("rollback\n", timeout=30)

    message = assert_one_clear_line(outcome, [project], None)
    assert "busy" in message and "another window or command" in message and "not saved" in message
    assert outcome.exit_code == 3
    assert dump(project) == before


def test_edit_waits_for_a_short_write_elsewhere(project: Path) -> None:
    """An edit started during another program's write goes through once that write commits."""
    holder = _holder(project)
    editor = _editor(project, 3, 3, "--announce-lock")
    lines = ChildLines(editor)
    assert lines.next() == "ready"
    assert lines.next().startswith("locking ")  # its first edit asks for the lock held
    wait_until_asleep(editor)  # and is waiting for it: the holder has not let go yet
    holder.communicate("commit\n", timeout=30)
    expected = Expected()
    _finish(editor, expected, lines)

    assert len(expected.spans) + len(expected.batches) + len(expected.deleted) == 3
    assert sqlite_rows(project, "SELECT value FROM project WHERE key = 'held'") == [
        ("uncommitted",)
    ]
    assert _child_spans(project) == expected.spans


def test_killed_lock_holder_leaves_no_half_write(project: Path) -> None:
    """A program killed inside its write transaction leaves nothing of it, and edits go on."""
    before = dump(project)
    holder = _holder(project)
    holder.send_signal(signal.SIGKILL)
    holder.communicate(timeout=30)

    assert dump(project) == before
    with Project.open(project, annotator="after") as opened:
        doc_id = opened.document_ids()[0]
        span = opened.add_span(doc_id, 0, 3, "CUE")
    assert sqlite_rows(project, "PRAGMA integrity_check") == [("ok",)]
    assert sqlite_rows(project, "SELECT id FROM spans WHERE annotator = 'after'") == [(span.id,)]


def test_opening_again_in_one_process_keeps_seeing_other_processes(project: Path) -> None:
    """A second open of the same file (a dialog, a job) must not blind the first connection.

    Closing any descriptor of a database file drops this process's POSIX locks on it; opening
    must never read the file behind SQLite's back, or the window would stop seeing others' work.
    """
    first = Project.open(project, annotator="window")
    doc_id = first.document_ids()[0]
    second = Project.open(project, annotator="dialog")
    try:
        seen = []
        for seed in (4, 5):
            _finish(_editor(project, seed, 1), Expected())
            seen.append(len(first.spans(doc_id)) + first.document_count())
        assert seen[1] > seen[0] > 1
    finally:
        second.close()
        first.close()
