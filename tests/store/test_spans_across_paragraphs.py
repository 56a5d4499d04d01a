"""Spans across a paragraph break: refused for entities and cues on every write, kept for quotes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.errors import InputError, ValidationError
from annotator.model.document import DocumentRecord, Span
from annotator.store import Project
from annotator.store.annotations import DeletedSpan

ARTICLE = "قال وزير الخارجية سيرجي لافروف\nإن موسكو مستعدة للحوار\nوأضاف أن الرد لم يصل"
BREAK = ARTICLE.index("\n")
NAME = ARTICLE.index("سيرجي لافروف")
QUOTE = (ARTICLE.index("موسكو"), len(ARTICLE))  # two paragraphs of reported speech


def span_rows(project: Project) -> list[tuple]:
    """Every stored span as (id, start, end, label, attrs, status)."""
    sql = 'SELECT id, start, "end", label, attrs, status FROM spans ORDER BY id'
    return project.db.execute(sql).fetchall()


def store_without_checks(project: Project, start: int, end: int, label: str) -> None:
    """Store a span as a project made before the rule did (an old file can hold one)."""
    with project.write() as db:  # plain SQL, committed, on either backend
        db.execute(
            'INSERT INTO spans (doc_id, id, start, "end", label, annotator, attrs, status,'
            " created, updated) VALUES ('d', 'old', ?, ?, ?, 'tester', '{}', 'pending',"
            " '2024-01-01', '2024-01-01')",
            [start, end, label],
        )


@pytest.fixture
def article(project: Project) -> Project:
    project.add_document(ARTICLE, doc_id="d")
    return project


def assert_line_break_refusal(error: pytest.ExceptionInfo, label: str, at: int) -> None:
    message = str(error.value)
    assert f"a {label} span may not cross a paragraph or line break" in message
    assert f"offset {at}" in message
    assert "select within one paragraph" in message


def test_a_person_dragged_into_the_next_paragraph_is_refused_and_not_stored(project, seed_text):
    # What a user did: a drag from Lavrov's name that overshot by 264 characters.
    project.add_document(seed_text, doc_id="seed")
    start = seed_text.index("الروسي سيرجي لافروف") + len("الروسي ")
    with pytest.raises(ValidationError) as caught:
        project.add_span("seed", start, start + 264, "PER")
    assert_line_break_refusal(caught, "PER", seed_text.index("\n", start))
    assert span_rows(project) == []
    kept = project.add_span("seed", start, start + len("سيرجي لافروف"), "PER")
    assert kept.text_in(seed_text) == "سيرجي لافروف"


@pytest.mark.parametrize("label", ["ORG", "CUE"])
def test_other_single_paragraph_labels_are_refused_across_a_break(article, label):
    with pytest.raises(ValidationError) as caught:
        article.add_span("d", NAME, BREAK + 4, label)
    assert_line_break_refusal(caught, label, BREAK)
    assert span_rows(article) == []


def test_a_quote_may_run_over_paragraphs(article):
    quote = article.add_span("d", *QUOTE, "QUOTE", attrs={"type": "indirect"})
    claim = article.add_span("d", *QUOTE, "CLAIM")
    stored = article.span("d", quote.id)
    assert stored.text_in(ARTICLE) == "موسكو مستعدة للحوار\nوأضاف أن الرد لم يصل"
    assert article.span("d", claim.id).text_in(ARTICLE).count("\n") == 1


def test_moving_an_edge_across_a_break_is_refused_and_the_span_stays(article):
    person = article.add_span("d", NAME, NAME + len("سيرجي لافروف"), "PER")
    before = span_rows(article)
    with pytest.raises(ValidationError) as caught:
        article.update_span("d", person.id, end=BREAK + 3)
    assert_line_break_refusal(caught, "PER", BREAK)
    assert span_rows(article) == before
    assert article.span("d", person.id).text_in(ARTICLE) == "سيرجي لافروف"


def test_relabelling_a_multi_paragraph_quote_as_a_person_is_refused(article):
    quote = article.add_span("d", *QUOTE, "QUOTE", attrs={"type": "indirect"})
    before = span_rows(article)
    with pytest.raises(ValidationError) as caught:
        article.update_span("d", quote.id, label="PER")
    assert_line_break_refusal(caught, "PER", ARTICLE.index("\n", QUOTE[0]))
    assert span_rows(article) == before
    assert article.span("d", quote.id).label == "QUOTE"


def test_restoring_a_deleted_span_across_a_break_is_refused(article):
    legacy = Span("s-old", "d", NAME, BREAK + 3, "PER", "tester", {}, "pending", "x", "x")
    with pytest.raises(ValidationError) as caught:
        article.restore_span(DeletedSpan(legacy, ()))
    assert_line_break_refusal(caught, "PER", BREAK)
    assert span_rows(article) == []


def test_a_span_stored_before_the_rule_can_be_reviewed_but_not_moved_across(article):
    store_without_checks(article, NAME, BREAK + 3, "PER")
    assert article.update_span("d", "old", status="rejected").status == "rejected"
    with pytest.raises(ValidationError, match="PER span may not cross"):
        article.update_span("d", "old", start=NAME + 1)
    fixed = article.update_span("d", "old", end=NAME + len("سيرجي لافروف"))
    assert fixed.text_in(ARTICLE) == "سيرجي لافروف"


def test_an_imported_record_with_such_a_span_names_its_file_and_line(article):
    before = span_rows(article)
    person = Span("s1", "", NAME, BREAK + 3, "PER")
    for merge in (False, True):  # the text is already document d: checked either way
        record = DocumentRecord(ARTICLE, spans=(person,), source="pre.jsonl", line=3)
        with pytest.raises(InputError) as caught:
            article.import_documents([record], merge_annotations=merge)
        assert str(caught.value).startswith("pre.jsonl:3: a PER span may not cross")
    new_text = DocumentRecord("نص آخر", source="pre.jsonl", line=1)
    new_record = DocumentRecord(ARTICLE + "!", spans=(person,), source="pre.jsonl", line=2)
    with pytest.raises(InputError, match=r"^pre\.jsonl:2: a PER span may not cross"):
        article.import_documents([new_text, new_record])
    assert span_rows(article) == before
    assert article.document_ids() == ["d"]


def test_a_project_whose_schema_predates_the_key_gets_the_kind_defaults(tmp_path: Path):
    path = tmp_path / "old.sqlite"
    Project.create(path).close()
    with sqlite3.connect(path) as conn:
        (source,) = conn.execute("SELECT value FROM project WHERE key = 'schema'").fetchone()
        older = "\n".join(x for x in source.splitlines() if not x.startswith("multiline"))
        conn.execute("UPDATE project SET value = ? WHERE key = 'schema'", [older])
    with Project.open(path) as project:
        assert "multiline =" not in project.schema.source
        project.add_document(ARTICLE, doc_id="d")
        with pytest.raises(ValidationError, match="a PER span may not cross"):
            project.add_span("d", NAME, BREAK + 3, "PER")
        quote = project.add_span("d", *QUOTE, "QUOTE")
        assert [s.id for s in project.spans("d")] == [quote.id]
