"""Merging annotators' project files and JSONL into the reviewer's project."""

from __future__ import annotations

from pathlib import Path

import pytest
from review_helpers import TEXT, annotator_project

from annotator.errors import InputError
from annotator.io.base import ReadOptions
from annotator.io.native import read as read_native
from annotator.review.merge import merge_records, project_records, rename_layer
from annotator.store import Project


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    mona = annotator_project(tmp_path / "mona.sqlite", "mona", [("بايدن", "PER"), ("موسكو", "GPE")])
    sami = annotator_project(
        tmp_path / "sami.sqlite", "sami", [("الرئيس بايدن", "PER"), ("واشنطن", "GPE")]
    )
    return mona, sami


def merge_files(project: Project, *paths: Path) -> int:
    total = 0
    for path in paths:
        total += merge_records(project, project_records(path)).spans
    return total


def test_merge_brings_both_annotators_into_one_document(
    project: Project, files: tuple[Path, Path]
) -> None:
    added = merge_files(project, *files)
    assert added == 4
    assert project.document_ids() == ["d1"]
    by_who = {(s.annotator, s.text_in(TEXT)) for s in project.spans("d1")}
    assert by_who == {
        ("mona", "بايدن"),
        ("mona", "موسكو"),
        ("sami", "الرئيس بايدن"),
        ("sami", "واشنطن"),
    }


def test_merging_the_same_work_twice_adds_nothing(
    project: Project, files: tuple[Path, Path]
) -> None:
    merge_files(project, *files)
    before = len(project.spans("d1"))
    assert merge_files(project, *files) == 0
    assert len(project.spans("d1")) == before == 4


def test_document_matched_by_text_even_under_another_id(
    project: Project, files: tuple[Path, Path]
) -> None:
    project.add_document(TEXT, doc_id="article-7")
    merge_files(project, files[0])
    assert project.document_ids() == ["article-7"]
    assert len(project.spans("article-7", ["mona"])) == 2


def test_same_id_with_different_text_is_refused_and_nothing_merged(
    project: Project, files: tuple[Path, Path], tmp_path: Path
) -> None:
    merge_files(project, files[0])
    # sami's file holds a new document first, then d1 with a changed text.
    other = tmp_path / "other.sqlite"
    with Project.create(other, annotator="sami") as theirs:
        theirs.add_document("خبر جديد تماما", doc_id="d0")
        theirs.add_span("d0", 0, 3, "MISC")
        theirs.add_document(TEXT + " أمس", doc_id="d1")
        theirs.add_span("d1", 0, 3, "CUE")
    with pytest.raises(InputError, match="different text"):
        merge_records(project, project_records(other))
    assert project.document_ids() == ["d1"]
    assert {s.annotator for s in project.spans("d1")} == {"mona"}
    assert len(project.spans("d1")) == 2


def test_other_project_is_opened_read_only(files: tuple[Path, Path], project: Project) -> None:
    before = files[0].read_bytes()
    merge_files(project, files[0])
    assert files[0].read_bytes() == before


def test_model_output_merges_as_its_own_layer_and_only_once(
    project: Project, tmp_path: Path
) -> None:
    project.add_document(TEXT, doc_id="d1")
    line = (
        '{"id": "d1", "text": "' + TEXT + '", "spans": ['
        '{"id": "s1", "start": 11, "end": 16, "label": "PER"},'
        '{"id": "s2", "start": 20, "end": 25, "label": "GPE"}],'
        ' "relations": []}\n'
    )
    path = tmp_path / "model.jsonl"
    path.write_text(line, encoding="utf-8")
    for _ in range(2):
        records = rename_layer(read_native(path, ReadOptions()), "model:camelbert")
        merge_records(project, records)
    spans = project.spans("d1")
    assert [(s.annotator, s.text_in(TEXT)) for s in spans] == [
        ("model:camelbert", "بايدن"),
        ("model:camelbert", "موسكو"),
    ]
    # A second model numbering its spans s1, s2 too does not collide with the first.
    merge_records(project, rename_layer(read_native(path, ReadOptions()), "model:other"))
    assert len(project.spans("d1", ["model:other"])) == 2


def test_a_merge_cancelled_halfway_changes_nothing(tmp_path: Path) -> None:
    import sqlite3

    from review_helpers import MONA, SAMI, annotator_project

    from annotator.errors import Cancelled
    from annotator.review.merge import merge_records, project_records

    mona = annotator_project(tmp_path / "mona.sqlite", "mona", MONA, [])
    sami = annotator_project(tmp_path / "sami.sqlite", "sami", SAMI, [])
    target = tmp_path / "review.sqlite"
    with Project.create(target, annotator="reviewer") as project:
        merge_records(project, project_records(mona))
        before = list(sqlite3.connect(target).iterdump())

        def stop(_n: int) -> None:
            raise Cancelled("merge cancelled")

        with pytest.raises(Cancelled):
            merge_records(project, project_records(sami), progress=stop)
        assert list(sqlite3.connect(target).iterdump()) == before
        assert {s.annotator for s in project.spans("d1")} == {"mona"}


def test_a_person_across_a_paragraph_break_in_an_older_file_stops_the_merge(
    project: Project, files: tuple[Path, Path], tmp_path: Path
) -> None:
    import sqlite3

    merge_files(project, files[0])
    before = sorted((s.annotator, s.start, s.end, s.label) for s in project.spans("d1"))
    # A file saved before the rule can hold a drag that ran into the next paragraph.
    text = "قال الرئيس بايدن\nإن موسكو ترفض الحوار"
    other = annotator_project(
        tmp_path / "old.sqlite", "sami", [("بايدن", "PER")], text=text, doc_id="d2"
    )
    with sqlite3.connect(other) as conn:
        conn.execute('UPDATE spans SET "end" = ?', [text.index("موسكو")])
    with pytest.raises(InputError) as caught:
        merge_records(project, project_records(other))
    message = str(caught.value)
    assert message.startswith(f"{other}: a PER span may not cross a paragraph or line break")
    assert f"offset {text.index(chr(10))}" in message
    assert project.document_ids() == ["d1"]
    assert sorted((s.annotator, s.start, s.end, s.label) for s in project.spans("d1")) == before
