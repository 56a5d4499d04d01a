"""One id scheme for imported work: every reader and the merge use it, and it is stable.

Importing the same file twice under the same name adds nothing; under two names it gives two
layers that share no id; ids have the shape of the window's (``s``/``r`` + 12 hex digits).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from annotator.io.operations import import_paths
from annotator.model.document import DocumentRecord, Span
from annotator.review.merge import rename_layer
from annotator.store import Project

TEXT = "قال لافروف إن موسكو مستعدة"  # PER [4, 10), GPE [14, 19)
WINDOW_SHAPE = re.compile(r"[sr][0-9a-f]{12}")


def doccano(tmp_path: Path) -> Path:
    path = tmp_path / "in.jsonl"
    entities = [
        {"id": 7, "label": "PER", "start_offset": 4, "end_offset": 10},
        {"id": 9, "label": "GPE", "start_offset": 14, "end_offset": 19},
    ]
    path.write_text(json.dumps({"text": TEXT, "entities": entities}), encoding="utf-8")
    return path


def doccano_without_ids(tmp_path: Path) -> Path:
    path = tmp_path / "old.jsonl"
    labels = [[4, 10, "PER"], [14, 19, "GPE"]]
    path.write_text(json.dumps({"text": TEXT, "label": labels}), encoding="utf-8")
    return path


def labelstudio(tmp_path: Path) -> Path:
    path = tmp_path / "tasks.json"

    def region(rid: str, start: int, end: int, labels: list[str]) -> dict:
        value = {"start": start, "end": end, "text": TEXT[start:end], "labels": labels}
        return {
            "id": rid,
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "value": value,
        }

    result = [region("a1", 4, 10, ["PER"]), region("b2", 14, 19, ["GPE", "LOC"])]
    path.write_text(
        json.dumps([{"data": {"text": TEXT}, "annotations": [{"result": result}]}]),
        encoding="utf-8",
    )
    return path


def conll(tmp_path: Path) -> Path:
    path = tmp_path / "in.conll"
    path.write_text("قال O\nلافروف B-PER\nإن O\nموسكو B-GPE\nمستعدة O\n", encoding="utf-8")
    return path


def native_without_ids(tmp_path: Path) -> Path:
    # Model output often gives no ids; a relation still names its spans by the ids they have.
    path = tmp_path / "model.jsonl"
    record = {
        "text": "قال لافروف: «موسكو مستعدة»",
        "spans": [
            {"start": 14, "end": 19, "label": "GPE"},
            {"id": "p", "start": 4, "end": 10, "label": "PER"},
            {"id": "q", "start": 12, "end": 26, "label": "QUOTE", "attrs": {"type": "direct"}},
        ],
        "relations": [{"type": "SPEAKER", "head": "q", "tail": "p"}],
    }
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return path


READERS = {
    "doccano": doccano,
    "doccano-without-ids": doccano_without_ids,
    "labelstudio": labelstudio,
    "conll": conll,
    "native-without-ids": native_without_ids,
}
FORMAT = {"doccano-without-ids": "doccano", "native-without-ids": "native"}


def annotations(project: Project) -> list[tuple[str, str, int, int, str]]:
    return sorted(
        (s.id, s.annotator, s.start, s.end, s.label)
        for doc_id in project.document_ids()
        for s in project.spans(doc_id)
    )


@pytest.mark.parametrize("reader", sorted(READERS))
def test_the_same_file_imported_twice_adds_nothing_the_second_time(
    project: Project, tmp_path: Path, reader: str
) -> None:
    path = READERS[reader](tmp_path)
    fmt = FORMAT.get(reader, reader)
    first = import_paths(project, [path], fmt=fmt, annotator="mona")
    before = annotations(project)
    again = import_paths(project, [path], fmt=fmt, annotator="mona")
    assert first.spans == len(before) >= 2
    assert (again.added, again.spans, again.relations) == ([], 0, 0)
    assert annotations(project) == before


@pytest.mark.parametrize("reader", sorted(set(READERS) - {"native-without-ids"}))
def test_ids_have_the_windows_shape_and_two_names_make_two_layers(
    project: Project, tmp_path: Path, reader: str
) -> None:
    path = READERS[reader](tmp_path)
    fmt = FORMAT.get(reader, reader)
    import_paths(project, [path], fmt=fmt, annotator="mona")
    import_paths(project, [path], fmt=fmt, annotator="sami")
    (doc_id,) = project.document_ids()
    mona = project.spans(doc_id, ["mona"])
    sami = project.spans(doc_id, ["sami"])
    assert len(mona) >= 2
    assert sorted((s.start, s.end, s.label) for s in mona) == sorted(
        (s.start, s.end, s.label) for s in sami
    )
    assert not {s.id for s in mona} & {s.id for s in sami}
    assert all(WINDOW_SHAPE.fullmatch(s.id) for s in mona + sami)


def test_native_keeps_its_ids_and_numbers_the_missing_ones(
    project: Project, tmp_path: Path
) -> None:
    import_paths(project, [native_without_ids(tmp_path)], fmt="native", annotator="model")
    (doc_id,) = project.document_ids()
    spans = {s.label: s.id for s in project.spans(doc_id)}
    assert (spans["PER"], spans["QUOTE"]) == ("p", "q")
    assert WINDOW_SHAPE.fullmatch(spans["GPE"])
    (link,) = project.relations(doc_id)
    assert (link.head, link.tail) == ("q", "p")
    assert WINDOW_SHAPE.fullmatch(link.id) and link.id.startswith("r")


def test_ids_are_fixed_values_and_merge_keeps_the_ones_it_gave(
    project: Project, tmp_path: Path
) -> None:
    # Fixed values: a project must see the same ids when the same file comes again later, from
    # another version too (SHA-1 of "mona", NUL, the doccano id).
    import_paths(project, [doccano(tmp_path)], fmt="doccano", annotator="mona")
    (doc_id,) = project.document_ids()
    by_label = {s.label: s.id for s in project.spans(doc_id)}
    assert by_label == {"PER": "s3f319c6cbfe9", "GPE": "s21ab14616727"}
    # merge --annotator gave this id before the scheme was shared: merged work stays merged.
    record = DocumentRecord(TEXT, spans=(Span("s1", "", 4, 10, "PER", "model"),))
    (renamed,) = rename_layer([record], "model:camelbert")
    assert renamed.spans[0].id == "s49a5d337171f"
