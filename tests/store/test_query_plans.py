"""EXPLAIN QUERY PLAN of the hot queries, captured as the store really runs them.

A full table scan to fetch one document's annotations, or a sort of the whole documents table
for the list or the export, costs nothing on a small project and seconds at 100,000 documents;
the plan shows it at any size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from annotator.io.operations import Selection, annotated_documents, export
from annotator.model.document import DocumentRecord, Span
from annotator.store import Project

SEED_ID = "000_2024f0fe6e876b71"  # the seed article, as conftest.py imports it


@contextmanager
def captured_selects(project: Project) -> Iterator[list[str]]:
    """Collect every SELECT the project's connection runs, with its parameters filled in."""
    statements: list[str] = []

    def keep(sql: str) -> None:
        if sql.lstrip().upper().startswith("SELECT"):
            statements.append(sql)

    project.db.conn.set_trace_callback(keep)
    try:
        yield statements
    finally:
        project.db.conn.set_trace_callback(None)


def plan(project: Project, sql: str) -> list[str]:
    """Return the detail lines of SQLite's query plan for ``sql``."""
    return [row[3] for row in project.db.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()]


def plans_while(project: Project, action: Callable[[], object]) -> dict[str, list[str]]:
    """Run ``action`` and return the plan of each distinct SELECT it ran."""
    with captured_selects(project) as statements:
        action()
    assert statements, "the action ran no query: the capture is broken"
    return {sql: plan(project, sql) for sql in statements}


def full_scans(plans: dict[str, list[str]], table: str) -> list[str]:
    """Return the statements that read every row of ``table`` (a SCAN of it, index or not)."""
    return [
        sql
        for sql, lines in plans.items()
        if any(line.startswith(f"SCAN {table}") for line in lines)
    ]


def whole_table_sorts(plans: dict[str, list[str]]) -> list[str]:
    """Return statements that scan the documents table and sort the result in a temp B-tree."""
    return [
        sql
        for sql, lines in plans.items()
        if any(line.startswith("SCAN documents") for line in lines)
        and any("TEMP B-TREE FOR ORDER BY" in line for line in lines)
    ]


@pytest.fixture
def busy(seeded: Project) -> Project:
    """The seeded project plus a few more annotated documents by two annotators."""
    text = "قال المتحدث باسم الكرملين إن موسكو مستعدة للحوار"
    mona = (Span("m1", "", 4, 25, "PER", "mona"),)  # imported: another annotator's layer
    records = [
        DocumentRecord(
            text=f"{text} {n}", id=f"extra{n}", title=f"خبر {n}", spans=mona if n == 3 else ()
        )
        for n in range(30)
    ]
    seeded.import_documents(records)
    return seeded


def test_fetching_one_documents_annotations_uses_an_index(busy: Project) -> None:
    span = busy.spans(SEED_ID)[0]

    def one_document() -> None:
        busy.spans(SEED_ID)
        busy.spans(SEED_ID, annotators=["example"])
        busy.relations(SEED_ID)
        busy.relations(SEED_ID, annotators=["example"])
        busy.span(SEED_ID, span.id)
        busy.relations_of(SEED_ID, span.id)
        busy.document(SEED_ID)

    plans = plans_while(busy, one_document)
    assert full_scans(plans, "spans") == []
    assert full_scans(plans, "relations") == []
    assert full_scans(plans, "documents") == []


def test_document_list_page_reads_only_the_page(busy: Project) -> None:
    def first_and_later_page() -> None:
        busy.document_count()
        busy.document_rows(0, 200)
        busy.document_rows(20, 10)

    plans = plans_while(busy, first_and_later_page)
    assert full_scans(plans, "spans") == []
    assert whole_table_sorts(plans) == []
    page = next(sql for sql in plans if "LIMIT" in sql)
    assert any("USING INDEX documents_position" in line for line in plans[page]), plans[page]


def test_export_loop_streams_documents_in_order_and_seeks_annotations(
    busy: Project, tmp_path: Path
) -> None:
    def export_all() -> None:
        export(busy, tmp_path / "all.jsonl", fmt="native")
        list(annotated_documents(busy, Selection(annotators=("example", "mona"))))
        list(annotated_documents(busy, Selection(doc_ids=(SEED_ID, "extra3"))))
        # Token exports also read where every span starts, of every layer.
        list(annotated_documents(busy, Selection(annotators=("example",)), starts=True))

    plans = plans_while(busy, export_all)
    assert full_scans(plans, "spans") == []
    assert full_scans(plans, "relations") == []
    # Reading every document is the export's job, but in index order: no sort of the table.
    assert whole_table_sorts(plans) == []
    assert (tmp_path / "all.jsonl").read_text(encoding="utf-8").count("\n") == 31


def test_the_checks_see_a_full_scan(busy: Project) -> None:
    """The helpers flag a query that does read every span, so the tests above can fail."""
    plans = plans_while(
        busy, lambda: busy.db.execute("SELECT * FROM spans WHERE label = 'PER'").fetchall()
    )
    assert len(full_scans(plans, "spans")) == 1
    sort = plans_while(
        busy, lambda: busy.db.execute("SELECT id FROM documents ORDER BY title").fetchall()
    )
    assert len(whole_table_sorts(sort)) == 1


def test_filtered_document_list_walks_indexes_only(busy: Project) -> None:
    from annotator.store.listing import DocumentFilter, DocumentListing

    filters = [
        DocumentFilter(),
        DocumentFilter(statuses=frozenset({"done", "in_progress"})),
        DocumentFilter(annotator="mona"),
        DocumentFilter(label="PER"),
        DocumentFilter(label="PER", annotator="mona", open_review=True),
        DocumentFilter(text="الكرملين", statuses=frozenset({"not_started"})),
    ]

    def browse() -> None:
        for where in filters:
            listing = DocumentListing(busy, where)
            page = listing.rows(None, 10)
            listing.rows(page[-1].id if page else None, 10)
            listing.next("extra5", not_done=True)
            listing.previous("extra5")
            listing.count_between(0, 20)
            listing.count_before("extra20", "extra3", 50)

    plans = plans_while(busy, browse)
    assert full_scans(plans, "spans") == []
    assert whole_table_sorts(plans) == []
    # Every walk over the documents uses the list's index, which holds position, id and status:
    # documents left out by the filter are never read from the table (their text included).
    walks = {sql: lines for sql, lines in plans.items() if "documents AS d" in sql}
    assert walks
    for sql, lines in walks.items():
        assert any("documents_listing" in line for line in lines), (sql, lines)
        assert not any("TEMP B-TREE" in line for line in lines), (sql, lines)
    probes = [line for lines in walks.values() for line in lines if "SEARCH s " in line]
    assert probes and all("COVERING INDEX" in line for line in probes), probes
