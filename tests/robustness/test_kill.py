"""Crash safety: a process editing a project is killed (SIGKILL) at random moments.

After every kill the file passes ``PRAGMA integrity_check``, every edit the child reported as
done is there, and every import batch is there whole or not at all. ``annotator import`` is
killed while it is proven to be inside its write transaction (stopped, lock still held).
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from robustness_support import PYTHON, ROOT

from annotator.store import Project

CHILD = Path(__file__).with_name("edit_child.py")
TRIALS = 24
BATCH = 40


@dataclass
class Expected:
    """What the children reported as committed, over all trials so far."""

    spans: dict[str, tuple[int, int, str]] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)
    batches: set[str] = field(default_factory=set)
    # Deletions started but not reported done: the span may or may not still be there.
    maybe_deleted: set[str] = field(default_factory=set)

    def record(self, line: str) -> None:
        """Take one report line of the child into account."""
        kind, *rest = line.split()
        if kind == "span":
            span_id, start, end, label = rest
            self.spans[span_id] = (int(start), int(end), label)
        elif kind == "deleting":
            self.maybe_deleted.add(rest[0])
        elif kind == "deleted":
            self.spans.pop(rest[0])
            self.maybe_deleted.discard(rest[0])
            self.deleted.add(rest[0])
        elif kind == "batch":
            self.batches.add(rest[0])


def _run_and_kill(path: Path, seed: int, rng: random.Random, expected: Expected) -> int:
    """Start a child, let it report a random number of edits, kill it; return edits seen."""
    child = subprocess.Popen(
        [PYTHON, str(CHILD), str(path), str(seed), str(BATCH)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    seen, wanted = 0, rng.randint(0, 40)
    while seen < wanted:
        line = child.stdout.readline()
        assert line, "the child stopped before it was killed"
        expected.record(line)
        seen += 1
    # Land the kill anywhere in the next edit, not only right after a report.
    time.sleep(rng.random() * 0.02)
    child.send_signal(signal.SIGKILL)
    rest, _ = child.communicate()
    for line in rest.splitlines():  # reported before the signal arrived: committed too
        expected.record(line)
        seen += 1
    assert child.returncode == -signal.SIGKILL
    return seen


def _check(path: Path, expected: Expected, trial: int) -> None:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], trial
        rows = conn.execute(
            "SELECT id, start, \"end\", label FROM spans WHERE annotator = 'child'"
        ).fetchall()
        batches = dict(
            conn.execute(
                "SELECT json_extract(meta, '$.batch') AS tag, COUNT(*) FROM documents"
                " WHERE tag IS NOT NULL GROUP BY tag"
            ).fetchall()
        )
    finally:
        conn.close()
    present = {r[0]: (r[1], r[2], r[3]) for r in rows}
    for span_id in expected.maybe_deleted - present.keys():
        expected.spans.pop(span_id)  # the kill landed after the delete committed
        expected.deleted.add(span_id)
    expected.maybe_deleted.clear()
    for span_id, value in expected.spans.items():
        assert present.get(span_id) == value, f"trial {trial}: reported span {span_id} lost"
    assert not expected.deleted & present.keys(), f"trial {trial}: a deleted span came back"
    assert all(count == BATCH for count in batches.values()), f"trial {trial}: half a batch"
    assert expected.batches <= batches.keys(), f"trial {trial}: a reported batch was lost"


def test_killed_editor_loses_nothing_it_reported(tmp_path: Path) -> None:
    """Over many SIGKILLs: file intact, every reported edit present, batches whole or absent."""
    path = tmp_path / "project.sqlite"
    with Project.create(path, annotator="tester") as project:
        project.add_document("قال المتحدث باسم الكرملين إن موسكو مستعدة للحوار مع واشنطن " * 5)
    rng = random.Random(20260701)
    expected = Expected()
    edits = 0
    for trial in range(TRIALS):
        edits += _run_and_kill(path, trial, rng, expected)
        _check(path, expected, trial)
    with Project.open(path) as project:  # the next session sees every reported edit
        doc_id = project.document_ids()[0]
        ids = {span.id for span in project.spans(doc_id, ["child"])}
    assert expected.spans.keys() <= ids
    assert edits >= TRIALS and expected.spans and expected.batches


def _articles(folder: Path, count: int) -> Path:
    folder.mkdir()
    for n in range(count):
        words = " ".join(
            random.Random(n).choice(("قال", "موسكو", "واشنطن", "الحوار")) for _ in range(80)
        )
        (folder / f"a{n:04d}.txt").write_text(f"خبر {n}\n{words}", encoding="utf-8")
    return folder


def _import(path: Path, folder: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [PYTHON, "-m", "annotator.cli", "import", str(path), str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )


def _writing(path: Path) -> bool:
    """Return True while another process holds the project's write lock."""
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc), exc
        return True
    finally:
        probe.close()


def _committed(path: Path) -> int | None:
    """Return how many documents are committed; None while the file cannot be read."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
    except sqlite3.OperationalError:
        return None
    finally:
        conn.close()


def _stop_inside_its_write(child: subprocess.Popen[bytes], path: Path, runs: int) -> bool:
    """Stop ``child`` (SIGSTOP) once it holds the write lock, ``runs`` short runs into its write.

    Return True when, stopped, it still holds the lock and no article is visible yet: then it
    is inside its import transaction (perhaps in the middle of committing it), whatever the
    timing was. False: it got past it (or the lock seen was its closing checkpoint).
    """
    deadline = time.monotonic() + 60
    while not _writing(path):
        assert child.poll() is None, "the import ended before it was seen writing"
        assert time.monotonic() < deadline, "the import never started writing"
        time.sleep(0.0005)  # only paces the polling: the deadline decides, and fails
    for run in range(runs + 1):
        if run:
            os.kill(child.pid, signal.SIGCONT)
            time.sleep(0.001)  # lets it write on; where it stopped is checked below
        os.kill(child.pid, signal.SIGSTOP)
        assert os.waitpid(child.pid, os.WUNTRACED)[0] == child.pid  # returns once stopped
        if not (_writing(path) and _committed(path) == 0):
            return False
    return True


def test_killed_cli_import_is_all_or_nothing(tmp_path: Path) -> None:
    """``annotator import`` killed inside its write: all 300 articles or none, a sound file."""
    folder = _articles(tmp_path / "articles", 300)
    inside: dict[Path, int] = {}  # projects whose import was killed inside its write: articles
    for trial in range(12):
        path = tmp_path / f"project{trial}.sqlite"
        Project.create(path).close()
        child = _import(path, folder)
        runs = trial % 4  # from the moment the lock is taken to a few runs into the write
        stopped_inside = _stop_inside_its_write(child, path, runs)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        assert child.returncode == -signal.SIGKILL
        count = _documents(path)
        # Stopped in the middle of its commit, the commit is on disk: all. Otherwise none.
        assert count in (0, 300), f"trial {trial}: {count} of 300 articles"
        if stopped_inside:
            inside[path] = count
        if len(inside) == 4:
            break
    assert len(inside) == 4, "too few kills landed inside the import's transaction"
    assert 0 in inside.values(), "no kill inside the import left the project as it was"
    # The file a kill left behind takes the same import again, whole.
    again = next(path for path, count in inside.items() if count == 0)
    assert _import(again, folder).wait(timeout=120) == 0
    assert _documents(again) == 300


def _documents(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return int(conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
    finally:
        conn.close()
