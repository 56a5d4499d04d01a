"""doccano JSONL: UTF-16 offsets, doccano's import shape, round trip, errors with file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from emoji_sample import emoji_project_fixture  # noqa: F401 (the emoji_project fixture)
from hypothesis import given
from hypothesis import strategies as st

from annotator.errors import InputError
from annotator.io.offsets import Utf16Offsets
from annotator.io.operations import export, import_paths
from annotator.store import Project

from conftest import SEED_TXT


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def utf16_slice(text: str, start: int, end: int) -> str:
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")


def test_offsets_after_an_emoji_count_utf16_units_and_slice_the_entity(emoji_project, tmp_path):
    out = tmp_path / "d.jsonl"
    export(emoji_project, out, fmt="doccano")
    [record] = read_jsonl(out)
    text = record["text"]
    by_label_text = {
        utf16_slice(text, e["start_offset"], e["end_offset"]): e for e in record["entities"]
    }
    assert {"الرئاسة الروسية", "الكرملين", "تلغرام", "صباح اليوم"} <= set(by_label_text)
    after_red_dot = by_label_text["الرئاسة الروسية"]
    # One emoji before it: doccano's offset is one more than the Python index.
    assert after_red_dot["start_offset"] == text.index("الرئاسة") + 1
    after_two = by_label_text["صباح اليوم"]
    assert after_two["start_offset"] == text.index("صباح") + 2


def test_export_has_doccanos_relation_import_shape(seeded, tmp_path):
    # Shape of doccano's relation extraction example and pipeline/label.py (doccano/doccano,
    # backend/data_import/pipeline/examples/relation_extraction/example.jsonl): entities with
    # int id, start_offset < end_offset, label; relations with int from_id/to_id and type.
    out = tmp_path / "d.jsonl"
    export(seeded, out, fmt="doccano")
    [record] = read_jsonl(out)
    assert set(record) >= {"text", "entities", "relations"}
    ids = set()
    for entity in record["entities"]:
        assert set(entity) == {"id", "label", "start_offset", "end_offset"}
        assert type(entity["id"]) is int and entity["start_offset"] < entity["end_offset"]
        ids.add(entity["id"])
    assert len(record["relations"]) == 35
    for rel in record["relations"]:
        assert set(rel) == {"id", "from_id", "to_id", "type"}
        assert rel["from_id"] in ids and rel["to_id"] in ids and isinstance(rel["type"], str)


def test_seed_entities_slice_out_their_text(seeded, tmp_path):
    out = tmp_path / "d.jsonl"
    export(seeded, out, fmt="doccano")
    [record] = read_jsonl(out)
    doc = seeded.document(seeded.document_ids()[0])
    expected = sorted((s.label, s.text_in(doc.text)) for s in seeded.spans(doc.id))
    got = sorted(
        (e["label"], utf16_slice(record["text"], e["start_offset"], e["end_offset"]))
        for e in record["entities"]
    )
    assert got == expected


def annotations(project: Project, annotator: str | None = None) -> tuple[set, set]:
    [doc_id] = project.document_ids()
    spans = {s.id: s for s in project.spans(doc_id, [annotator] if annotator else None)}
    span_set = {(s.start, s.end, s.label) for s in spans.values()}
    rels = {
        (r.type, spans[r.head].start, spans[r.head].label, spans[r.tail].start, spans[r.tail].label)
        for r in project.relations(doc_id, [annotator] if annotator else None)
    }
    return span_set, rels


@pytest.mark.parametrize("fixture", ["seeded", "emoji_project"])
def test_round_trip_into_a_fresh_project_keeps_spans_and_relations(fixture, request, tmp_path):
    source = request.getfixturevalue(fixture)
    out = tmp_path / "d.jsonl"
    export(source, out, fmt="doccano")
    with Project.create(tmp_path / "fresh.sqlite") as fresh:
        report = import_paths(fresh, [out], fmt="doccano", annotator="doccano-team")
        assert report.added == source.document_ids()
        assert annotations(fresh, "doccano-team") == annotations(source)
        assert fresh.document(report.added[0]).text == source.document(report.added[0]).text


def test_pre_annotations_merge_into_an_existing_document(seeded, tmp_path):
    out = tmp_path / "d.jsonl"
    export(seeded, out, fmt="doccano")
    report = import_paths(seeded, [out], fmt="doccano", annotator="model", merge_annotations=True)
    assert report.added == [] and report.spans == 88
    assert annotations(seeded, "model") == annotations(seeded, "example")


def test_older_label_list_shape_is_read(project, tmp_path):
    path = tmp_path / "old.jsonl"
    line = {"text": "قال لافروف 🔴 في موسكو", "label": [[4, 10, "PER"], [17, 22, "GPE"]]}
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    import_paths(project, [path], fmt="doccano", annotator="old")
    [doc_id] = project.document_ids()
    text = project.document(doc_id).text
    assert [(s.label, s.text_in(text)) for s in project.spans(doc_id)] == [
        ("PER", "لافروف"),
        ("GPE", "موسكو"),  # UTF-16 17..22 is code points 16..21, after the emoji
    ]


def test_crlf_text_offsets_move_to_the_stored_text(project, tmp_path):
    path = tmp_path / "crlf.jsonl"
    raw = "سطر أول\r\nقال بوتين"
    start = raw.index("بوتين")
    line = {
        "text": raw,
        "entities": [{"id": 1, "label": "PER", "start_offset": start, "end_offset": start + 5}],
    }
    path.write_text(json.dumps(line, ensure_ascii=False), encoding="utf-8")
    import_paths(project, [path], fmt="doccano")
    [doc_id] = project.document_ids()
    [span] = project.spans(doc_id)
    assert span.text_in(project.document(doc_id).text) == "بوتين"


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"text": "قال لافروف", "entities": [{"id": 1, "label": "PER", "start_offset": 4, "end_offset": 99}]}, "does not fit"),
        ({"text": "قال لافروف", "entities": [{"id": 1, "label": "PER", "start_offset": "4", "end_offset": 9}]}, "whole numbers"),
        ({"text": "🔴 لافروف", "entities": [{"id": 1, "label": "PER", "start_offset": 1, "end_offset": 9}]}, "inside an emoji"),
        ({"text": "قال لافروف", "entities": [], "relations": [{"from_id": 1, "to_id": 2, "type": "CUE"}]}, "missing entity"),
        ({"entities": []}, "no \"text\""),
    ],
)  # fmt: skip
def test_an_invalid_record_names_file_and_line_and_imports_nothing(project, tmp_path, bad, message):
    path = tmp_path / "bad.jsonl"
    good = {"text": "نص سليم", "entities": []}
    lines = [json.dumps(good, ensure_ascii=False), json.dumps(bad, ensure_ascii=False)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        import_paths(project, [path], fmt="doccano")
    assert str(caught.value).startswith(f"{path}:2: ")
    assert project.document_count() == 0


def test_an_unknown_label_is_refused_with_the_line(project, tmp_path):
    path = tmp_path / "bad.jsonl"
    line = {
        "text": "قال لافروف",
        "entities": [{"id": 1, "label": "PERSON", "start_offset": 4, "end_offset": 10}],
    }
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="PERSON") as caught:
        import_paths(project, [path], fmt="doccano")
    assert str(caught.value).startswith(f"{path}:1: ")
    assert project.document_count() == 0


@given(st.text(alphabet=st.sampled_from("قال لافروف ًٌ🔴📢👍🏽\u00a0ـ"), max_size=40))
def test_utf16_conversion_round_trips_at_every_code_point_boundary(text):
    units = Utf16Offsets(text)
    for pos in range(len(text) + 1):
        u16 = units.to_utf16(pos)
        assert u16 == len(text[:pos].encode("utf-16-le")) // 2
        assert units.to_code_points(u16) == pos


def test_the_seed_file_is_not_changed_by_a_round_trip(tmp_path, seeded):
    out = tmp_path / "d.jsonl"
    export(seeded, out, fmt="doccano")
    [record] = read_jsonl(out)
    assert record["text"].encode("utf-8") == SEED_TXT.read_bytes()
