"""A corrected file imported again updates the layer it brings: never a silent skip or duplicate.

The project holds mona's work on one article; it is exported to native JSONL, one thing in the
file is changed the way a colleague correcting it would, and the file is imported again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from robustness_support import assert_one_clear_line, cli, dump, sqlite_rows

from annotator.io.operations import export, import_paths
from annotator.model.document import GOLD_ANNOTATOR
from annotator.review.merge import merge_records, project_records
from annotator.store import Project

TEXT = "قال بوتين إن موسكو مستعدة للحوار"
PUTIN = (4, 9)
MOSCOW = (13, 18)
QUOTE = (13, 32)


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A project with mona's PER, GPE and QUOTE spans and a SPEAKER link, quote -> person."""
    path = tmp_path / "news.sqlite"
    with Project.create(path, annotator="mona") as project:
        project.add_document(TEXT, doc_id="d1")
        per = project.add_span("d1", *PUTIN, "PER", span_id="s-per")
        project.add_span("d1", *MOSCOW, "GPE", span_id="s-gpe")
        quote = project.add_span("d1", *QUOTE, "QUOTE", span_id="s-quote")
        project.add_relation("d1", "SPEAKER", quote.id, per.id, relation_id="r-speaker")
    assert TEXT[slice(*PUTIN)] == "بوتين" and TEXT[slice(*MOSCOW)] == "موسكو"
    return path


def _exported(project_path: Path, out: Path) -> dict[str, Any]:
    with Project.open(project_path, read_only=True) as project:
        export(project, out, fmt="native")
    (line,) = out.read_bytes().splitlines()
    return dict(orjson.loads(line))


def _write(out: Path, doc: dict[str, Any]) -> Path:
    out.write_bytes(orjson.dumps(doc) + b"\n")
    return out


def _span(doc: dict[str, Any], span_id: str) -> dict[str, Any]:
    return next(s for s in doc["spans"] if s["id"] == span_id)


def _stored(path: Path, span_id: str) -> tuple[object, ...]:
    (row,) = sqlite_rows(path, 'SELECT start, "end", label, attrs FROM spans WHERE id = ?', span_id)
    return row


@pytest.fixture
def relabelled(work: Path, tmp_path: Path) -> Path:
    """The exported file with the GPE span corrected to LOC."""
    doc = _exported(work, tmp_path / "mona.jsonl")
    _span(doc, "s-gpe")["label"] = "LOC"
    return _write(tmp_path / "corrected.jsonl", doc)


def test_the_same_file_again_reports_everything_unchanged(work: Path, tmp_path: Path) -> None:
    out = _write(tmp_path / "again.jsonl", _exported(work, tmp_path / "mona.jsonl"))
    with Project.open(work) as project:
        report = import_paths(project, [out], fmt="native")
    assert (report.spans, report.relations, report.unchanged, report.differing) == (0, 0, 4, [])
    assert report.lines() == ["4 annotation(s) were already in the project unchanged"]


def test_a_changed_label_is_counted_not_applied_with_keep_and_the_cli_says_so(
    work: Path, relabelled: Path
) -> None:
    before = dump(work)
    outcome = cli("import", work, relabelled, "--format", "native", "--on-change", "keep")
    assert outcome.exit_code == 0, outcome
    assert "imported 0 document(s), 0 span(s), 0 relation(s)" in outcome.stdout
    assert "3 annotation(s) were already in the project unchanged" in outcome.stderr
    assert (
        "1 annotation(s) differ from what the project holds and were NOT applied (import again"
        " with --on-change update to apply them): d1 span s-gpe" in outcome.stderr
    )
    assert dump(work) == before
    assert _stored(work, "s-gpe")[2] == "GPE"


def test_refuse_names_the_changed_annotation_and_imports_nothing(
    work: Path, relabelled: Path, tmp_path: Path
) -> None:
    new_doc = tmp_path / "new.jsonl"
    new_doc.write_bytes(orjson.dumps({"id": "d9", "text": "نص آخر"}) + b"\n")
    before = dump(work)
    outcome = cli(
        "import", work, new_doc, relabelled, "--format", "native", "--on-change", "refuse"
    )
    assert outcome.exit_code != 0
    assert "1 annotation(s) in the files differ from what the project holds" in outcome.stderr
    assert "d1 span s-gpe" in outcome.stderr
    assert dump(work) == before  # not even the new document


def test_the_correction_is_applied_by_default(work: Path, relabelled: Path) -> None:
    outcome = cli("import", work, relabelled, "--format", "native")
    assert outcome.exit_code == 0, outcome
    assert "updated 1 annotation(s) that the files changed" in outcome.stderr
    assert "NOT applied" not in outcome.stderr
    assert _stored(work, "s-gpe") == (*MOSCOW, "LOC", "{}")
    with Project.open(work, read_only=True) as project:
        (span,) = [s for s in project.spans("d1") if s.id == "s-gpe"]
        assert span.annotator == "mona" and span.text_in(TEXT) == "موسكو"
        assert span.updated > span.created
    again = cli("import", work, relabelled, "--format", "native", "--update")
    assert "4 annotation(s) were already in the project unchanged" in again.stderr
    assert "updated" not in again.stderr


def test_update_moves_edges_and_changes_attributes_and_links(work: Path, tmp_path: Path) -> None:
    doc = _exported(work, tmp_path / "mona.jsonl")
    quote = _span(doc, "s-quote")
    quote["start"], quote["attrs"] = MOSCOW[0], {"type": "indirect"}
    doc["relations"][0]["tail"] = "s-gpe"  # the speaker is Moscow, not Putin
    with Project.open(work) as project:
        report = import_paths(project, [_write(tmp_path / "c.jsonl", doc)], fmt="native")
    assert (report.updated, report.unchanged, report.differing) == (2, 2, [])
    assert _stored(work, "s-quote") == (*QUOTE, "QUOTE", '{"type": "indirect"}')
    assert sqlite_rows(work, "SELECT head, tail FROM relations") == [("s-quote", "s-gpe")]


def test_a_correction_that_breaks_a_link_is_refused_and_nothing_changes(
    work: Path, tmp_path: Path
) -> None:
    doc = _exported(work, tmp_path / "mona.jsonl")
    _span(doc, "s-per")["label"] = "DATE"  # a SPEAKER link cannot end at a date
    _span(doc, "s-gpe")["label"] = "LOC"
    before = dump(work)
    bad = _write(tmp_path / "bad.jsonl", doc)
    reason = assert_one_clear_line(
        cli("import", work, bad, "--format", "native", "--update"), [bad], 1
    )
    assert "SPEAKER" in reason and "DATE" in reason
    assert dump(work) == before


def test_a_correction_cutting_a_letter_from_its_marks_is_refused(
    work: Path, tmp_path: Path
) -> None:
    with Project.open(work, annotator="mona") as project:
        project.add_document("قالَ الرئيسُ", doc_id="d2")
        project.add_span("d2", 4, 12, "PER", span_id="s-head")
    doc = next(
        orjson.loads(line)
        for line in _exported_lines(work, tmp_path / "all.jsonl")
        if orjson.loads(line)["id"] == "d2"
    )
    _span(doc, "s-head")["end"] = 11  # between the letter and its damma
    before = dump(work)
    bad = _write(tmp_path / "cut.jsonl", doc)
    outcome = cli("import", work, bad, "--format", "native", "--update")
    assert_one_clear_line(outcome, [bad], 1)
    assert dump(work) == before


def _exported_lines(project_path: Path, out: Path) -> list[bytes]:
    with Project.open(project_path, read_only=True) as project:
        export(project, out, fmt="native")
    return out.read_bytes().splitlines()


def test_update_never_changes_another_layer_or_gold(work: Path, tmp_path: Path) -> None:
    with Project.open(work, annotator="sami") as project:
        project.add_span("d1", *MOSCOW, "GPE", span_id="s-sami")
    with Project.open(work, annotator="reviewer") as project, project.as_reviewer():
        project.add_span("d1", *PUTIN, "PER", annotator=GOLD_ANNOTATOR, span_id="s-gold")
    doc = _exported(work, tmp_path / "all.jsonl")
    _span(doc, "s-sami")["annotator"] = "mona"  # mona's file claims sami's span
    _span(doc, "s-sami")["label"] = "LOC"
    _span(doc, "s-gold")["label"] = "ORG"
    before = dump(work)
    with Project.open(work, annotator="mona") as project:
        report = import_paths(project, [_write(tmp_path / "c.jsonl", doc)], fmt="native")
    assert report.updated == 0 and report.unchanged == 4
    reasons = {d.id: d.reason for d in report.differing}
    assert reasons == {
        "s-sami": "the stored one belongs to sami, the file's to mona",
        "s-gold": "the gold layer is changed only by review",
    }
    assert dump(work) == before


def test_merge_counts_changed_work_and_changes_nothing(work: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite"
    with Project.open(work, read_only=True) as project:
        project.db.conn.backup(__import__("sqlite3").connect(copy))
    with Project.open(copy, annotator="mona") as project:
        project.update_span("d1", "s-gpe", label="LOC")
    before = dump(work)
    with Project.open(work) as project:
        report = merge_records(project, project_records(copy))
    assert report.spans == 0 and report.imported.unchanged == 3
    assert [(d.id, d.kind) for d in report.imported.differing] == [("s-gpe", "span")]
    assert report.lines()[-1].endswith(
        "were NOT applied (a merge only adds work; nothing stored was changed): d1 span s-gpe"
    )
    assert dump(work) == before
    outcome = cli("merge", work, copy)
    assert outcome.exit_code == 0 and "1 annotation(s) differ" in outcome.stderr
