"""No span edge inside a letter's cluster or an emoji, on every write: edits, review, imports."""

from __future__ import annotations

import json

import pytest

from annotator.errors import AlignmentError, InputError
from annotator.io.operations import import_paths
from annotator.model.document import GOLD_ANNOTATOR, DocumentRecord, Span
from annotator.model.offsets import is_aligned
from annotator.review.compare import compare_document
from annotator.review.gold import edit
from annotator.store import Project

from conftest import SEED_ID

FATHA, TANWIN_FATH, SHADDA, ZWJ = "\u064e", "\u064b", "\u0651", "\u200d"
# «وصل رَدًّا»: و(0) ص(1) ل(2) space(3) ر(4) fatha(5) د(6) tanwin(7) shadda(8) ا(9).
REPLY = f"وصل ر{FATHA}د{TANWIN_FATH}{SHADDA}ا"
FAMILY = f"👨{ZWJ}👩{ZWJ}👧"  # five code points, one picture
EGYPT = "\U0001f1ea\U0001f1ec"  # two regional indicators, one flag
NEWS = f"عاجل {FAMILY} من القاهرة {EGYPT}"


def span_rows(project: Project) -> list[tuple]:
    sql = 'SELECT id, start, "end", label, annotator, attrs, status FROM spans ORDER BY id'
    return project.db.execute(sql).fetchall()


@pytest.fixture
def reply(project: Project) -> Project:
    project.add_document(REPLY, doc_id="d")
    return project


def test_ra_cut_from_its_fatha_is_refused_and_nothing_is_stored(reply: Project) -> None:
    assert REPLY[4:5] == "ر" and REPLY[5] == FATHA  # [4, 5) would leave the fatha outside
    with pytest.raises(AlignmentError) as caught:
        reply.add_span("d", 4, 5, "MISC")
    assert caught.value.offset == 5
    assert caught.value.cluster == (4, 6)
    assert "offset 5 falls inside «رَ» [4, 6)" in str(caught.value)
    assert "ARABIC FATHA" in str(caught.value)
    assert span_rows(reply) == []
    kept = reply.add_span("d", 4, 6, "MISC")
    assert kept.text_in(REPLY) == f"ر{FATHA}"


@pytest.mark.parametrize(("start", "end", "inside"), [(6, 7, 7), (6, 8, 8), (5, 10, 5)])
def test_no_edge_between_dal_and_its_tanwin_and_shadda(reply, start, end, inside) -> None:
    with pytest.raises(AlignmentError, match=f"offset {inside} falls inside"):
        reply.add_span("d", start, end, "MISC")
    assert reply.add_span("d", 6, 9, "MISC").text_in(REPLY) == f"د{TANWIN_FATH}{SHADDA}"
    assert reply.add_span("d", 4, 10, "MISC").text_in(REPLY) == "رَدًّا"


@pytest.mark.parametrize(
    ("start", "end", "cut"),
    [
        (5, 7, FAMILY),  # the man and his joiner, without the woman and the girl
        (7, 10, FAMILY),
        (len(NEWS) - 2, len(NEWS) - 1, EGYPT),  # half a flag
        (len(NEWS) - 1, len(NEWS), EGYPT),
    ],
)
def test_an_emoji_family_or_flag_cut_is_refused(project, start, end, cut) -> None:
    project.add_document(NEWS, doc_id="n")
    with pytest.raises(AlignmentError) as caught:
        project.add_span("n", start, end, "MISC")
    first, stop = caught.value.cluster
    assert NEWS[first:stop] == cut
    assert project.add_span("n", first, stop, "MISC").text_in(NEWS) == cut


def test_moving_an_edge_into_a_cluster_is_refused_and_the_span_stays(reply: Project) -> None:
    word = reply.add_span("d", 4, 10, "MISC")
    before = span_rows(reply)
    with pytest.raises(AlignmentError, match="offset 7"):
        reply.update_span("d", word.id, end=7)
    assert span_rows(reply) == before


def test_a_span_stored_before_the_rule_can_be_reviewed_but_not_moved_inside(reply) -> None:
    with reply.write() as db:  # as a project made before the rule holds it, on either backend
        db.execute(
            'INSERT INTO spans (doc_id, id, start, "end", label, annotator, attrs, status,'
            " created, updated) VALUES ('d', 'old', 4, 5, 'MISC', 'tester', '{}', 'pending',"
            " 'x', 'x')"
        )
    assert reply.update_span("d", "old", status="rejected").status == "rejected"
    with pytest.raises(AlignmentError):
        reply.update_span("d", "old", start=5, end=7)
    assert reply.update_span("d", "old", end=6).text_in(REPLY) == f"ر{FATHA}"


def native_line(doc_id: str, text: str, start: int, end: int) -> str:
    span = {"id": "a", "start": start, "end": end, "label": "MISC"}
    return json.dumps({"id": doc_id, "text": text, "spans": [span]}, ensure_ascii=False)


def test_an_imported_record_with_a_misaligned_span_names_file_and_line(project, tmp_path):
    path = tmp_path / "in.jsonl"
    lines = [native_line("ok", "نص سليم", 0, 2), native_line("bad", REPLY, 4, 5)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        import_paths(project, [path], fmt="native")
    assert str(caught.value).startswith(f"{path}:2: span [4, 5): offset 5 falls inside «رَ»")
    assert project.document_count() == 0


def test_a_doccano_entity_ending_inside_a_flag_is_refused(project, tmp_path):
    # UTF-16 offset 2 lies between the two regional indicators: no surrogate pair is split,
    # but the flag is.
    path = tmp_path / "flag.jsonl"
    entity = {"id": 1, "label": "MISC", "start_offset": 0, "end_offset": 2}
    path.write_text(json.dumps({"text": f"{EGYPT} مصر", "entities": [entity]}) + "\n", "utf-8")
    with pytest.raises(InputError, match=f"falls inside «{EGYPT}» \\[0, 2\\)") as caught:
        import_paths(project, [path], fmt="doccano")
    assert str(caught.value).startswith(f"{path}:1: ")
    assert project.document_count() == 0


def test_merging_a_misaligned_span_into_a_known_text_is_refused(project, tmp_path):
    project.add_document(REPLY, doc_id="d")
    path = tmp_path / "more.jsonl"
    path.write_text(native_line("d", REPLY, 6, 8) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r":1: span \[6, 8\): offset 8 falls inside «دًّ»"):
        import_paths(project, [path], fmt="native", merge_annotations=True)
    assert span_rows(project) == []


def test_the_seed_example_annotation_imports_whole(seeded: Project) -> None:
    text = seeded.document(SEED_ID).text
    spans = seeded.spans(SEED_ID)
    assert len(spans) == 88
    assert all(is_aligned(text, s.start, s.end) for s in spans)


def test_a_review_edit_that_cuts_a_letter_from_its_mark_is_refused(project) -> None:
    def layer(who: str, start: int, end: int) -> DocumentRecord:
        return DocumentRecord(REPLY, "d", spans=(Span(f"{who}1", "", start, end, "MISC", who),))

    project.import_documents([layer("mona", 4, 10)])
    project.import_documents([layer("sami", 4, 6)], merge_annotations=True)
    case = next(c for c in compare_document(project, "d", ["mona", "sami"]).cases)
    with pytest.raises(AlignmentError, match="offset 5 falls inside «رَ»"):
        edit(project, "d", case, 4, 5, "MISC")
    edit(project, "d", case, 4, 6, "MISC")
    (gold,) = project.spans("d", [GOLD_ANNOTATOR])
    assert gold.text_in(REPLY) == f"ر{FATHA}"


def test_a_known_text_imported_without_merging_still_reports_a_misaligned_span(project):
    project.add_document(REPLY, doc_id="d")
    bad = Span("a", "", 4, 5, "MISC", "mona")
    record = DocumentRecord(REPLY, "d", spans=(bad,), source="again.jsonl", line=1)
    with pytest.raises(InputError, match=r"^again\.jsonl:1: span \[4, 5\): offset 5 falls inside"):
        project.import_documents([record])
