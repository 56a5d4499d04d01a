"""Schema versions of the project file, applied in order with sqlite-utils migrations.

Add a new function at the end for every change; never edit one that has shipped.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

from annotator.store import search_index
from annotator.store.assignments import ASSIGNMENTS_DDL

# The statements of each migration, kept as text so the PostgreSQL schema
# (store/pg/schema.py) applies the very same ones.
M001_INITIAL = """
        CREATE TABLE project (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE documents (
            id TEXT PRIMARY KEY,
            position INTEGER NOT NULL,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            meta TEXT NOT NULL DEFAULT '{}',
            content_hash TEXT NOT NULL UNIQUE,
            status TEXT NOT NULL DEFAULT 'not_started',
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        );
        CREATE INDEX documents_position ON documents(position);
        CREATE TABLE spans (
            doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            label TEXT NOT NULL,
            annotator TEXT NOT NULL,
            attrs TEXT NOT NULL DEFAULT '{}',
            status TEXT NOT NULL DEFAULT 'pending',
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            PRIMARY KEY (doc_id, id),
            CHECK (start >= 0 AND "end" > start)
        );
        CREATE INDEX spans_doc_start ON spans(doc_id, start);
        CREATE INDEX spans_annotator ON spans(annotator, doc_id);
        CREATE TABLE relations (
            doc_id TEXT NOT NULL,
            id TEXT NOT NULL,
            type TEXT NOT NULL,
            head TEXT NOT NULL,
            tail TEXT NOT NULL,
            annotator TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            PRIMARY KEY (doc_id, id),
            FOREIGN KEY (doc_id, head) REFERENCES spans(doc_id, id) ON DELETE CASCADE,
            FOREIGN KEY (doc_id, tail) REFERENCES spans(doc_id, id) ON DELETE CASCADE
        );
        CREATE INDEX relations_head ON relations(doc_id, head);
        CREATE INDEX relations_tail ON relations(doc_id, tail);
        """

M002_REVIEW_DECISIONS = """
        CREATE TABLE review_decisions (
            doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            case_key TEXT NOT NULL,
            decision TEXT NOT NULL,
            gold_ids TEXT NOT NULL DEFAULT '[]',
            detail TEXT NOT NULL DEFAULT '{}',
            reviewer TEXT NOT NULL,
            decided TEXT NOT NULL,
            PRIMARY KEY (doc_id, case_key)
        );
        CREATE TABLE document_reviews (
            doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            status TEXT NOT NULL,
            reviewer TEXT NOT NULL,
            updated TEXT NOT NULL
        )
        """

M003_DOCUMENT_LIST_INDEXES = """
        CREATE INDEX documents_listing ON documents(position, id, status);
        CREATE INDEX spans_doc_label ON spans(doc_id, label, annotator)
        """

M005_SUGGESTIONS = """
        CREATE TABLE suggestions (
            doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            recommender TEXT NOT NULL,
            annotator TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            label TEXT NOT NULL,
            attrs TEXT NOT NULL DEFAULT '{}',
            score REAL,
            note TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL,
            PRIMARY KEY (doc_id, id),
            CHECK (start >= 0 AND "end" > start)
        );
        CREATE INDEX suggestions_for ON suggestions(annotator, recommender, doc_id);
        CREATE INDEX suggestions_doc ON suggestions(doc_id, annotator, start);
        CREATE TABLE suggestion_links (
            doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            recommender TEXT NOT NULL,
            annotator TEXT NOT NULL,
            type TEXT NOT NULL,
            head TEXT NOT NULL,
            tail TEXT NOT NULL,
            PRIMARY KEY (doc_id, id)
        );
        CREATE INDEX suggestion_links_doc ON suggestion_links(doc_id, annotator);
        CREATE TABLE suggestion_decisions (
            doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            annotator TEXT NOT NULL,
            recommender TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            label TEXT NOT NULL,
            decision TEXT NOT NULL CHECK (decision IN ('accepted', 'rejected')),
            span_id TEXT NOT NULL DEFAULT '',
            at TEXT NOT NULL,
            PRIMARY KEY (doc_id, annotator, recommender, start, "end", label)
        );
        CREATE INDEX suggestion_decisions_stats ON suggestion_decisions(recommender, label);
        CREATE TABLE recommender_models (
            name TEXT PRIMARY KEY,
            data BLOB NOT NULL,
            info TEXT NOT NULL,
            created TEXT NOT NULL
        )
        """

migrations = Migrations("annotator")


def _run(db: Database, script: str) -> None:
    # executescript() would COMMIT first and break the migration's own transaction.
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


@migrations()
def m001_initial(db: Database) -> None:
    """Create project settings, documents, spans and relations."""
    _run(
        db,
        M001_INITIAL,
    )


@migrations()
def m002_review_decisions(db: Database) -> None:
    """Record the reviewer's decision on each comparison case, and each document's review status."""
    _run(
        db,
        M002_REVIEW_DECISIONS,
    )


@migrations()
def m003_document_list_indexes(db: Database) -> None:
    """Index what the document list filters on, so a filtered page reads no article text."""
    _run(
        db,
        M003_DOCUMENT_LIST_INDEXES,
    )


@migrations()
def m004_search_index(db: Database) -> None:
    """Index the search key of every document's text for corpus search (store/search_index.py)."""
    search_index.create(db)
    search_index.rebuild(db)


@migrations()
def m005_suggestions(db: Database) -> None:
    """Add recommenders' suggestions, people's decisions on them and trained models."""
    _run(
        db,
        M005_SUGGESTIONS,
    )


# Its statements live beside the code that uses the table (also PostgreSQL's, as they are).
M006_ASSIGNMENTS = ASSIGNMENTS_DDL


@migrations()
def m006_assignments(db: Database) -> None:
    """Record which documents are given to whom, with each person's own done mark."""
    _run(db, M006_ASSIGNMENTS)
