"""Export, merge and agreement read one state of a project that another process is editing.

A child process (its own connection) commits one transaction adding a span to the first and the
last document while the run is between them: the parent's progress callback, called after the
first document, cues the child and blocks until the child reports the commit. Whatever the run
wrote or computed must hold that transaction wholly or not at all.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import orjson
import pytest
from robustness_support import PYTHON, ROOT, ChildLines

from annotator.io.operations import EXPORT_CHUNK, export
from annotator.model.document import DocumentRecord, Span
from annotator.review.agreement import agreement
from annotator.review.merge import merge_records, project_records
from annotator.store import Project

WRITER = Path(__file__).with_name("snapshot_writer.py")
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
# More documents than one export chunk, so the first and the last are read by different queries.
COUNT = 2 * EXPORT_CHUNK + 3


def _text(n: int) -> str:
    return f"وثيقة{n} قال المتحدث إن الاتفاق قريب"


def _second_word(text: str) -> tuple[int, int]:
    start = text.index(" ") + 1
    return start, text.index(" ", start)


def _record(n: int) -> DocumentRecord:
    text = _text(n)
    start, end = _second_word(text)
    spans = tuple(
        Span(f"s-{who}", "", start, end, "PER", annotator=who) for who in ("a", "b")
    )  # both annotators agree on the second word of every document
    return DocumentRecord(text=text, id=f"d{n:03d}", spans=spans)


@pytest.fixture
def busy(tmp_path: Path) -> Path:
    """A project of COUNT documents, each with one span of "a" and one of "b"."""
    path = tmp_path / "busy.sqlite"
    with Project.create(path, annotator="tester") as project:
        project.import_documents(_record(n) for n in range(COUNT))
    return path


@pytest.fixture
def writer(busy: Path) -> Iterator[tuple[subprocess.Popen[str], ChildLines]]:
    """The child that will add a span of "b" to the first and the last document on cue."""
    child = subprocess.Popen(
        [PYTHON, str(WRITER), str(busy), "b", "d000", f"d{COUNT - 1:03d}"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=ENV,
    )
    lines = ChildLines(child)
    assert lines.next() == "ready"
    yield child, lines
    if child.poll() is None:
        child.kill()
    child.communicate(timeout=60)


def _cue_after_first(child: subprocess.Popen[str], lines: ChildLines) -> Callable[[int], None]:
    """Return a progress callback that, at its first call, waits for the child's commit."""
    calls: list[int] = []

    def progress(step: int) -> None:
        calls.append(step)
        if len(calls) == 1:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
            assert lines.next() == "committed"

    return progress


def _writer_spans(path: Path) -> set[str]:
    """Return the ids of the documents holding a span over their first word (the child's)."""
    with Project.open(path, read_only=True) as project:
        return {
            doc.id
            for doc in project.documents()
            if any(s.start == 0 for s in project.spans(doc.id, ["b"]))
        }


BOTH = {"d000", f"d{COUNT - 1:03d}"}


def test_export_holds_a_concurrent_transaction_wholly_or_not_at_all(
    busy: Path, writer: tuple[subprocess.Popen[str], ChildLines], tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    with Project.open(busy, read_only=True) as project:
        export(project, out, fmt="native", progress=_cue_after_first(*writer))
    assert _writer_spans(busy) == BOTH  # the child did commit while the export ran
    lines = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert len(lines) == COUNT
    touched = {doc["id"] for doc in lines if any(s["start"] == 0 for s in doc["spans"])}
    assert touched in (set(), BOTH), f"the export holds half a transaction: {sorted(touched)}"


def test_export_split_parts_hold_one_state(
    busy: Path, writer: tuple[subprocess.Popen[str], ChildLines], tmp_path: Path
) -> None:
    from annotator.io.split import Split

    out = tmp_path / "out.jsonl"
    with Project.open(busy, read_only=True) as project:
        export(
            project,
            out,
            fmt="native",
            split=Split.parse("50,50"),
            progress=_cue_after_first(*writer),
        )
    docs = [
        orjson.loads(line)
        for part in ("train", "test")
        for line in (tmp_path / f"out.{part}.jsonl").read_bytes().splitlines()
    ]
    assert sorted(d["id"] for d in docs) == [f"d{n:03d}" for n in range(COUNT)]
    touched = {doc["id"] for doc in docs if any(s["start"] == 0 for s in doc["spans"])}
    assert touched in (set(), BOTH), f"the parts hold half a transaction: {sorted(touched)}"


def test_merge_reads_its_source_project_in_one_state(
    busy: Path, writer: tuple[subprocess.Popen[str], ChildLines], tmp_path: Path
) -> None:
    target = tmp_path / "review.sqlite"
    with Project.create(target, annotator="reviewer") as project:
        report = merge_records(project, project_records(busy), progress=_cue_after_first(*writer))
    assert len(report.added_documents) == COUNT
    assert _writer_spans(busy) == BOTH
    merged = _writer_spans(target)
    assert merged in (set(), BOTH), f"the merge took half a transaction: {sorted(merged)}"


def test_agreement_counts_a_concurrent_transaction_wholly_or_not_at_all(
    busy: Path, writer: tuple[subprocess.Popen[str], ChildLines]
) -> None:
    with Project.open(busy, read_only=True) as project:
        result = agreement(project, ["a", "b"], progress=_cue_after_first(*writer))
    assert _writer_spans(busy) == BOTH
    spans_b = result["pairs"][0]["spans_b"]
    # Before the child's commit "b" has one span per document, after it two more.
    assert spans_b in (COUNT, COUNT + 2), f"agreement counted {spans_b - COUNT} of 2 new spans"
