"""The project store: every edit committed at once, invalid edits refused with nothing written."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_helpers import table_rows

from annotator.errors import (
    DuplicateError,
    InputError,
    NotFoundError,
    OffsetError,
    ProjectError,
    SchemaError,
    ValidationError,
)
from annotator.model.document import DocumentRecord, Span
from annotator.model.schema import load_default_schema, parse_schema
from annotator.store import Project


def test_an_edit_is_on_disk_when_the_call_returns(project, seed_text):
    doc = project.add_document(seed_text, doc_id="seed")
    start = seed_text.index("سيرجي لافروف")
    span = project.add_span(doc.id, start, start + 12, "PER")
    with Project.open(project.path, read_only=True) as other:
        [seen] = other.spans("seed")
    assert seen.text_in(seed_text) == "سيرجي لافروف"
    assert (seen.id, seen.annotator, seen.status) == (span.id, "tester", "pending")
    assert seen.created and seen.updated


def test_project_file_uses_wal_and_foreign_keys(sqlite_project):
    assert sqlite_project.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert sqlite_project.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_schema_is_copied_into_the_project(tmp_path):
    schema = tmp_path / "tiny.toml"
    schema.write_text('name = "tiny"\n[[labels]]\nid = "X"\nname_ar = "س"\n', encoding="utf-8")
    Project.create(tmp_path / "p.sqlite", schema=schema).close()
    schema.unlink()
    with Project.open(tmp_path / "p.sqlite") as reopened:
        assert reopened.schema.label_ids == ["X"]
        assert reopened.schema.label("X").name_ar == "س"


@pytest.mark.parametrize(
    ("start", "end", "label", "error"),
    [
        (-1, 3, "PER", OffsetError),
        (5, 5, "PER", OffsetError),
        (6, 5, "PER", OffsetError),
        (0, 10_000, "PER", OffsetError),
        (0, 3, "PERSON", SchemaError),
        (0.0, 3, "PER", OffsetError),
    ],
)
def test_invalid_spans_raise_a_named_error_and_write_nothing(project, start, end, label, error):
    project.add_document("قال الرئيس كلاما", doc_id="d")
    before = table_rows(project)
    with pytest.raises(error):
        project.add_span("d", start, end, label)
    assert table_rows(project) == before


def test_span_in_a_missing_document_is_refused(project):
    with pytest.raises(NotFoundError, match="nope"):
        project.add_span("nope", 0, 1, "PER")


@pytest.fixture
def example(seeded: Project) -> Iterator[Project]:
    """The seeded project opened by annotator "example", who owns the seed annotation."""
    with Project.open(seeded.path, annotator="example") as opened:
        yield opened


def test_forbidden_relation_is_refused_and_nothing_is_written(example):
    doc = "000_2024f0fe6e876b71"
    per = next(s for s in example.spans(doc) if s.label == "PER")
    quote = next(s for s in example.spans(doc) if s.label == "QUOTE")
    before = table_rows(example)
    with pytest.raises(SchemaError, match="SPEAKER link starts at a QUOTE"):
        example.add_relation(doc, "SPEAKER", per.id, quote.id)
    assert table_rows(example) == before
    link = example.add_relation(doc, "SPEAKER", quote.id, per.id)
    assert link in example.relations_of(doc, per.id)


def test_relabel_that_breaks_a_link_is_refused(example):
    doc = "000_2024f0fe6e876b71"
    speaker = next(r for r in example.relations(doc) if r.type == "SPEAKER")
    with pytest.raises(SchemaError):
        example.update_span(doc, speaker.tail, label="DATE")
    assert example.span(doc, speaker.tail).label in {"PER", "ORG", "GPE", "NORP"}


def test_update_span_moves_edges_and_changes_attributes(project):
    text = "وقال المتحدث إن الحوار ضروري"
    project.add_document(text, doc_id="d")
    quote = project.add_span("d", text.index("الحوار"), len(text), "QUOTE")
    assert quote.attrs == {}  # not set: the store writes no default
    moved = project.update_span("d", quote.id, start=text.index("إن"), attrs={"type": "indirect"})
    assert moved.text_in(text) == "إن الحوار ضروري"
    assert project.span("d", quote.id).attrs == {"type": "indirect"}
    cue = project.add_span("d", 0, 4, "CUE")
    relabeled = project.update_span("d", cue.id, start=1)
    assert relabeled.text_in(text) == "قال"


def test_delete_span_takes_its_links_and_restore_brings_both_back(example):
    doc = "000_2024f0fe6e876b71"
    quote = next(s for s in example.spans(doc) if s.label == "QUOTE")
    links = example.relations_of(doc, quote.id)
    assert links
    deleted = example.delete_span(doc, quote.id)
    assert example.relations_of(doc, quote.id) == []
    with pytest.raises(NotFoundError):
        example.span(doc, quote.id)
    example.restore_span(deleted)
    assert example.span(doc, quote.id) == quote
    assert sorted(r.id for r in example.relations_of(doc, quote.id)) == sorted(r.id for r in links)


def test_same_text_again_is_reported_not_duplicated(project, seed_text):
    project.add_document(seed_text)
    with pytest.raises(DuplicateError):
        project.add_document(seed_text)
    assert project.document_count() == 1


def test_a_batch_with_one_bad_record_imports_nothing(project):
    good = DocumentRecord(text="نص أول", id="a")
    bad = DocumentRecord(
        text="نص ثان",
        id="b",
        spans=(Span("s1", "", 0, 99, "PER"),),
        source="batch.jsonl",
        line=2,
    )
    before = table_rows(project)
    with pytest.raises(InputError, match=r"batch\.jsonl:2: span \[0, 99\)"):
        project.import_documents([good, bad])
    assert table_rows(project) == before


def test_document_list_pages_counts_and_filters(project):
    for i in range(5):
        project.add_document(f"خبر رقم {i}\nنص", title=f"عنوان {i}")
    project.add_span(project.document_rows()[1].id, 0, 3, "MISC")
    rows = project.document_rows(offset=1, limit=2)
    assert [r.title for r in rows] == ["عنوان 1", "عنوان 2"]
    assert [r.span_count for r in rows] == [1, 0]
    assert rows[0].status == "in_progress"
    assert project.document_count("عنوان 3") == 1
    assert project.document_count("%") == 0


def test_title_skips_repeated_masthead_lines(project, seed_text):
    doc = project.add_document(seed_text)
    assert doc.title == "لافروف: لا يوجد رد على دعوة موسكو للحوار مع أمريكا حول الأمن السيبرانى"


def test_create_refuses_an_existing_file(tmp_path):
    target = tmp_path / "x.sqlite"
    target.write_bytes(b"")
    with pytest.raises(ProjectError, match="already exists"):
        Project.create(target)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(start=st.integers(-3, 15), end=st.integers(-3, 15))
def test_offsets_are_accepted_exactly_when_they_fit(project, start, end):
    text = "قَالَ 🔴 نعم"  # 11 code points
    if project.document_count() == 0:
        project.add_document(text, doc_id="d")
    # ق َ ا ل َ: offsets 1 and 4 fall between a letter and its fatha.
    fits = 0 <= start < end <= len(text) and not {start, end} & {1, 4}
    if fits:
        span = project.add_span("d", start, end, "MISC")
        assert project.span("d", span.id).text_in(text) == text[start:end]
        project.delete_span("d", span.id)
    else:
        with pytest.raises(OffsetError):
            project.add_span("d", start, end, "MISC")


def test_a_label_key_the_window_took_since_is_dropped_not_refused(tmp_path: Path) -> None:
    """A project made when Backspace was free for a label still opens once the window uses it."""
    schema = load_default_schema().source.replace('shortcut = "P"', 'shortcut = "Backspace"')
    path = tmp_path / "old.sqlite"
    with Project.create(path, annotator="tester") as made:
        made.db.execute("UPDATE project SET value = ? WHERE key = 'schema'", [schema])
    with Project.open(path, annotator="tester") as opened:
        assert opened.schema.label("PER").shortcut == ""
        assert opened.schema.keys_dropped == ("PER: Backspace (Suggestions > Reject suggestion)",)
        opened.add_labels(["WORK"])  # a later change of the schema keeps working
        assert opened.schema.has_label("WORK")
    with pytest.raises(InputError, match="is a key of the window"):
        parse_schema(schema, "new.toml")  # a new schema file is still refused


def test_a_nul_character_is_kept_in_a_project_file(sqlite_project):
    doc = sqlite_project.add_document("قال\x00 الوزير", doc_id="d")
    assert sqlite_project.document(doc.id).text == "قال\x00 الوزير"


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (
            DocumentRecord(text="قال\x00 الوزير", id="b", source="batch.jsonl", line=2),
            r"^batch\.jsonl:2: the text of document 'b' holds a NUL character \(U\+0000\) at"
            r" offset 3, which a project on a PostgreSQL server cannot store",
        ),
        (
            DocumentRecord(text="قال الوزير", title="خبر\x00", source="batch.jsonl", line=2),
            r"^batch\.jsonl:2: the title of a document holds a NUL character \(U\+0000\) at"
            r" offset 3",
        ),
        (
            DocumentRecord(
                text="قال الوزير",
                spans=(Span("s\x001", "", 0, 3, "PER", "mona"),),
                source="batch.jsonl",
                line=2,
            ),
            r"^batch\.jsonl:2: the id of span 's\\x001' of a document holds a NUL character",
        ),
    ],
)
def test_a_nul_character_is_refused_by_a_server_naming_the_file_and_nothing_is_imported(
    pg_url, record, message
):
    with Project.create(pg_url, annotator="tester") as project:
        good = DocumentRecord(text="نص أول", id="a", source="batch.jsonl", line=1)
        with pytest.raises(InputError, match=message):
            project.import_documents([good, record])
        assert project.document_count() == 0
        assert project.add_document("نص أول").id  # the connection is usable after


def test_a_title_given_a_nul_character_is_refused_by_a_server_and_kept_as_it_was(pg_url):
    with Project.create(pg_url, annotator="tester") as project:
        project.add_document("قال الوزير", doc_id="d", title="خبر")
        with pytest.raises(
            ValidationError, match=r"NUL character \(U\+0000\).*nothing was changed"
        ):
            project.set_document_title("d", "خبر\x00عاجل")
        assert project.document("d").title == "خبر"
        project.set_document_title("d", "خبر عاجل")  # the connection is usable after
        assert project.document("d").title == "خبر عاجل"
