"""``annotator merge`` of fifty files where one is bad names that one file and merges nothing.

Whatever is wrong with it: not JSON, not a project, a damaged or truncated project, a project
of a newer version, one holding a planted value, a pipe, a device, a folder, a missing file. The
bad file sits among good native JSONL files and good project files, after some of them have been
read into the merge's transaction; the message must name it, not a neighbour, not "the project
file failed"; the project merged into stays exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import orjson
import pytest
from deadline import run
from robustness_support import assert_one_clear_line, dump
from stored_cases import CASES, plant

from annotator.store import Project

GOOD = 49
BAD_AT = 37  # the bad file's place among the fifty


@pytest.fixture(scope="module")
def good_sources(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Forty-nine sources that merge cleanly: native JSONL, and every seventh a project file."""
    folder = tmp_path_factory.mktemp("good")
    sources = []
    for k in range(GOOD):
        text = f"قال المتحدث {k} إن موسكو مستعدة للحوار"
        span = {"id": f"s{k}", "start": 4, "end": 11, "label": "PER", "annotator": f"a{k}"}
        if k % 7 == 3:
            path = folder / f"annotator{k:02d}.sqlite"
            with Project.create(path, annotator=f"a{k}") as project:
                doc = project.add_document(text, doc_id=f"d{k}")
                project.add_span(doc.id, 4, 11, "PER")
        else:
            path = folder / f"annotator{k:02d}.jsonl"
            record = {"id": f"d{k}", "text": text, "spans": [span]}
            path.write_bytes(orjson.dumps(record) + b"\n")
        sources.append(path)
    return sources


def _write(name: str, data: bytes) -> Callable[[Path, Path], Path]:
    def make(tmp: Path, filled: Path) -> Path:
        path = tmp / name
        path.write_bytes(data)
        return path

    return make


def damaged_pages(tmp: Path, filled: Path) -> Path:
    data = bytearray(filled.read_bytes())
    data[4096 * 2 : 4096 * 4] = b"\x07" * 8192
    path = tmp / "damaged.sqlite"
    path.write_bytes(bytes(data))
    return path


def damaged_late(tmp: Path, filled: Path) -> Path:
    """A project that opens cleanly and whose damage is met only halfway through reading it."""
    path = tmp / "late.sqlite"
    with Project.create(path, annotator="late") as project:
        for k in range(300):
            project.add_document(f"خبر رقم MARK{k:04d} " + "كلمة " * 400, doc_id=f"late{k}")
    data = bytearray(path.read_bytes())
    page = data.index(b"MARK0250") // 4096  # a page of the documents table, far from the start
    data[page * 4096 : (page + 1) * 4096] = b"\x07" * 4096
    path.write_bytes(bytes(data))
    return path


def truncated(tmp: Path, filled: Path) -> Path:
    path = tmp / "truncated.sqlite"
    path.write_bytes(filled.read_bytes()[:20_000])
    return path


def newer_version(tmp: Path, filled: Path) -> Path:
    return plant(
        filled,
        tmp / "future.sqlite",
        (
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
            " VALUES ('annotator', 'm999_from_the_future', '2031-01-01')",
        ),
    )


def other_program(tmp: Path, filled: Path) -> Path:
    path = tmp / "recipes.sqlite"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
        conn.commit()
    return path


def planted(case: str) -> Callable[[Path, Path], Path]:
    return lambda tmp, filled: plant(filled, tmp / f"{case}.sqlite", CASES[case].sql)


def fifo(tmp: Path, filled: Path) -> Path:
    path = tmp / "pipe.jsonl"
    os.mkfifo(path)
    return path


def folder(tmp: Path, filled: Path) -> Path:
    path = tmp / "folder.jsonl"
    path.mkdir()
    return path


def bad_record(tmp: Path, filled: Path) -> Path:
    path = tmp / "model.jsonl"
    good = {"id": "m1", "text": "خبر أول صحيح"}
    bad = {"id": "m2", "text": "خبر ثان", "spans": [{"start": 0, "end": 3, "label": "KING"}]}
    path.write_bytes(orjson.dumps(good) + b"\n" + orjson.dumps(bad) + b"\n")
    return path


KINDS: dict[str, tuple[Callable[[Path, Path], Path], int | None, str | tuple[str, ...]]] = {
    # name: (make the bad file, the line named, what the reason starts with)
    "not-json": (_write("notes.jsonl", b"these are my notes\n"), 1, "not valid JSON"),
    "binary": (_write("photo.sqlite", b"\x89PNG\r\n\x1a\n" + bytes(range(256))), 1, "not valid"),
    "empty": (_write("empty.jsonl", b""), None, "the file holds no records"),
    "html-page": (_write("page.sqlite", b"<!DOCTYPE html><html></html>"), 1, "not valid JSON"),
    "header-then-junk": (
        _write("junk.sqlite", b"SQLite format 3\x00" + b"\xab" * 5000),
        None,
        "the project file is damaged",
    ),
    "damaged-pages": (damaged_pages, None, "the project file is damaged"),
    "truncated": (truncated, None, "the project file is damaged"),
    "damaged-halfway": (
        damaged_late,
        None,
        ("the project file is damaged (database disk image", "cannot read this project file"),
    ),
    "newer-version": (newer_version, None, "the project was saved by a newer version"),
    "other-program": (other_program, None, "not an annotator project"),
    "planted-meta": (planted("meta-not-json"), None, "damaged value in table documents"),
    "planted-offset": (planted("start-text"), None, "damaged value in table spans"),
    "planted-schema": (planted("schema-a-blob"), None, "damaged value in table project"),
    "bad-record": (bad_record, 2, "unknown label 'KING'"),
    "fifo": (fifo, None, "is a named pipe (FIFO), not a regular file"),
    "folder": (folder, None, "is a folder, not a regular file"),
    "missing": (lambda tmp, filled: tmp / "never-sent.sqlite", None, "no such file"),
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_merge_names_the_one_bad_file_and_merges_nothing(
    kind: str, good_sources: list[Path], filled: Path, tmp_path: Path
) -> None:
    make, line, expect = KINDS[kind]
    bad = make(tmp_path, filled)
    target = tmp_path / "review.sqlite"
    shutil.copyfile(filled, target)
    before = dump(target)
    sources = [*good_sources[:BAD_AT], bad, *good_sources[BAD_AT:]]
    assert len(sources) == 50

    outcome = run("merge", target, *sources)

    # Fifty documents get a progress bar: off a terminal, click prints only its label.
    progress = "merging\n"
    reason = assert_one_clear_line(
        replace(outcome, stderr=outcome.stderr.replace(progress, "")), [bad], line
    )
    assert reason.startswith(expect), reason
    assert dump(target) == before


def test_the_fifty_merge_when_none_is_bad(good_sources: list[Path], filled: Path) -> None:
    """The good files are good: the same merge without the bad one brings in all 49 documents."""
    outcome = run("merge", filled, *good_sources)
    assert outcome.exit_code == 0, outcome.stderr
    with Project.open(filled, read_only=True) as project:
        assert project.document_count() == 1 + GOOD
