"""doccano's two export shapes, the title and id through doccano, and what an export reports.

A project without "Use relation labeling" exports ``"label": [[start, end, "PER"], ...]`` and
carries the ``relations`` of the file it was given through as meta (its ``ExportedExample.to_dict``
spreads ``meta`` into the line), so they name entity ids the line has none of.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.errors import InputError
from annotator.io.alignment import ExportReport
from annotator.io.base import ReadReport
from annotator.io.operations import export, import_paths
from annotator.store import Project

from conftest import SEED_TXT


def write_lines(path: Path, *lines: dict) -> Path:
    path.write_text(
        "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8"
    )
    return path


def span_texts(project: Project) -> list[tuple[str, str]]:
    [doc_id] = project.document_ids()
    text = project.document(doc_id).text
    return sorted((s.label, s.text_in(text)) for s in project.spans(doc_id))


def as_plain_doccano_export(line: dict) -> dict:
    """What doccano gives back for one of our lines imported into a project without relation
    labeling and annotated there: its spans as a sorted "label" list, the other keys as meta."""
    spans = sorted([e["start_offset"], e["end_offset"], e["label"]] for e in line["entities"])
    meta = {k: v for k, v in line.items() if k not in ("text", "entities")}
    return {"id": 17, "text": line["text"], **meta, "label": spans, "Comments": []}


def test_label_shape_with_relation_meta_reads_spans_and_reports_the_relations(project, tmp_path):
    text = "قال لافروف 🔴 في موسكو"
    path = write_lines(
        tmp_path / "plain.jsonl",
        {
            "id": 3,
            "text": text,
            "relations": [{"id": 0, "from_id": 9, "to_id": 4, "type": "SPEAKER"}],
            "label": [[4, 10, "PER"], [17, 22, "GPE"]],  # UTF-16: موسكو is after the emoji
            "Comments": [],
        },
    )
    read = ReadReport()
    report = import_paths(project, [path], fmt="doccano", read_report=read)
    assert report.spans == 2 and report.relations == 0
    assert span_texts(project) == [("GPE", "موسكو"), ("PER", "لافروف")]
    [line] = read.lines()
    assert line.startswith('1 relation(s) left out: they point at entity ids, and a "label"')
    assert line.endswith(f"{path}:1 (9->4 SPEAKER)")


def test_seed_through_a_plain_doccano_project_keeps_every_span_and_reports_35(seeded, tmp_path):
    out = tmp_path / "d.jsonl"
    export(seeded, out, fmt="doccano")
    [line] = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    back = write_lines(tmp_path / "back.jsonl", as_plain_doccano_export(line))
    read = ReadReport()
    with Project.create(tmp_path / "fresh.sqlite") as fresh:
        report = import_paths(fresh, [back], fmt="doccano", annotator="team", read_report=read)
        assert report.spans == 88 and report.relations == 0
        assert span_texts(fresh) == span_texts(seeded)
        # doccano's meta "id" overrides its own example id: the document keeps ours.
        assert fresh.document_ids() == seeded.document_ids()
    assert read.lines()[0].startswith("35 relation(s) left out: they point at entity ids")


def test_a_line_with_both_entities_and_label_is_refused(project, tmp_path):
    path = write_lines(
        tmp_path / "both.jsonl",
        {
            "text": "قال بوتين",
            "entities": [{"id": 1, "label": "PER", "start_offset": 4, "end_offset": 9}],
            "label": [[0, 3, "CUE"]],
        },
    )
    with pytest.raises(InputError, match='both "entities" and "label"'):
        import_paths(project, [path], fmt="doccano")
    assert project.document_count() == 0


@pytest.fixture
def titled(tmp_path: Path):
    """The seed article under a title no line of its text gives, with one PER span."""
    with Project.create(tmp_path / "titled.sqlite", annotator="mona") as opened:
        import_paths(opened, [SEED_TXT], title="لافروف ينتظر ردا من واشنطن")
        [doc_id] = opened.document_ids()
        text = opened.document(doc_id).text
        opened.add_span(doc_id, text.index("لافروف"), text.index("لافروف") + 6, "PER")
        yield opened


def test_title_and_id_come_back_from_a_doccano_export(titled, tmp_path):
    out = tmp_path / "d.jsonl"
    export(titled, out, fmt="doccano")
    [line] = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert line["title"] == "لافروف ينتظر ردا من واشنطن"
    # Both shapes doccano gives back: with relation labeling (its own entity ids), and without.
    relation_project = {**line, "entities": [{**line["entities"][0], "id": 901}], "Comments": []}
    for k, back_line in enumerate([relation_project, as_plain_doccano_export(line)]):
        back = write_lines(tmp_path / f"back{k}.jsonl", back_line)
        with Project.create(tmp_path / f"fresh{k}.sqlite") as fresh:
            import_paths(fresh, [back], fmt="doccano", annotator="team")
            [doc_id] = fresh.document_ids()
            assert doc_id == titled.document_ids()[0]
            assert fresh.document(doc_id).title == "لافروف ينتظر ردا من واشنطن"
            assert span_texts(fresh) == [("PER", "لافروف")]


def test_a_null_title_from_pandas_leaves_the_title_to_the_text(project, tmp_path):
    # doccano writes its export with pandas: a line without the key gets null.
    path = write_lines(tmp_path / "n.jsonl", {"id": 5, "title": None, "text": "عنوان\nقال بوتين"})
    import_paths(project, [path], fmt="doccano")
    assert project.document(project.document_ids()[0]).title == "عنوان"


@pytest.fixture
def overlapping(tmp_path: Path):
    """A CUE, a PER inside a QUOTE, and a DATE inside the QUOTE too, with one SPEAKER link."""
    with Project.create(tmp_path / "o.sqlite", annotator="mona") as opened:
        path = tmp_path / "a.txt"
        path.write_text("قال لافروف إن الرد سيأتي اليوم الخميس", encoding="utf-8")
        import_paths(opened, [path])
        [doc_id] = opened.document_ids()
        text = opened.document(doc_id).text

        def add(word: str, label: str, end_word: str | None = None):
            start = text.index(word)
            end = text.index(end_word) + len(end_word) if end_word else start + len(word)
            return opened.add_span(doc_id, start, end, label)

        add("قال", "CUE")
        per = add("لافروف", "PER")
        quote = add("لافروف", "QUOTE", "الخميس")  # starts with the PER: one of them is dropped
        add("اليوم", "DATE", "الخميس")  # inside the QUOTE: dropped
        opened.add_relation(doc_id, "SPEAKER", quote.id, per.id)
        yield opened


def test_export_reports_what_needs_overlap_and_relation_settings(overlapping, tmp_path):
    report = ExportReport()
    export(overlapping, tmp_path / "d.jsonl", fmt="doccano", report=report)
    [doc_id] = overlapping.document_ids()
    assert report.lines() == [
        '2 span(s) would be dropped by a doccano project without "Allow overlapping spans"'
        f" (each overlaps a span kept before it): {doc_id}",
        '1 relation(s): import the file into a doccano Sequence Labeling project with "Use'
        ' relation labeling" and the format "JSONL(Relation)", or doccano keeps none of them:'
        f" {doc_id}",
    ]


def test_export_without_overlap_or_relations_reports_nothing(project, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("قال لافروف إن الرد سيأتي", encoding="utf-8")
    import_paths(project, [path])
    [doc_id] = project.document_ids()
    project.add_span(doc_id, 0, 3, "CUE")
    project.add_span(doc_id, 4, 10, "PER")  # starts where nothing else ends after it
    report = ExportReport()
    export(project, tmp_path / "d.jsonl", fmt="doccano", report=report)
    assert report.lines() == []


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_cli_prints_the_relations_it_left_out_and_the_settings_an_export_needs(tmp_path):
    project = tmp_path / "p.sqlite"
    assert run("init", project).exit_code == 0
    plain = write_lines(
        tmp_path / "plain.jsonl",
        {
            "text": "قال لافروف إن الرد سيأتي",
            "relations": [{"id": 0, "from_id": 1, "to_id": 2, "type": "CUE"}],
            "label": [[0, 3, "CUE"], [4, 10, "PER"]],
        },
    )
    result = run("import", project, plain, "--format", "doccano", "--annotator", "team")
    assert result.exit_code == 0, result.output
    assert "imported 1 document(s), 2 span(s), 0 relation(s)" in result.output
    assert "1 relation(s) left out: they point at entity ids" in result.output
    assert f"{plain}:1 (1->2 CUE)" in result.output
    out = tmp_path / "d.jsonl"
    result = run("export", project, out, "--format", "doccano")
    assert result.exit_code == 0, result.output
    assert "relation(s):" not in result.output and "overlap" not in result.output
