"""Reading a whole project consistently: one snapshot per run, and spans checked against texts.

An export, a merge reading its source projects and an agreement run each read the project
inside :func:`snapshot`: one read transaction, so another program's edit committed meanwhile is
either wholly in what they read or wholly absent. A stored span is checked against its
document's text where the two are read together (:func:`check_spans_fit`); a span outside its
text is a damaged file, refused rather than exported or merged. A walk over every document
reads its rows through :func:`stream`, so memory holds a page of them, not the whole project.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from sqlite_utils import Database

from annotator.errors import ProjectError
from annotator.model.document import Span
from annotator.store.pg.connection import PgDatabase, is_server


@contextmanager
def snapshot(db: Database, path: Path) -> Iterator[None]:
    """Run the block's reads in one read transaction: what is read is one state of the file.

    Inside an open transaction (a write, or an outer snapshot) the block just runs: that
    transaction already reads one state.
    """
    conn = db.conn
    if conn.in_transaction:
        yield
        return
    try:
        # A deferred BEGIN takes no lock; the first read then pins the snapshot (in WAL mode
        # the reader's end mark in the log), which every later read of the block shares.
        conn.execute("BEGIN")
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
    except sqlite3.Error as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise ProjectError(f"cannot read the project file: {exc}", path=path) from exc
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    # COMMIT, not ROLLBACK: a write made inside the block (through a savepoint) is kept.
    # Ending the read transaction promptly lets checkpoints reclaim the log again.
    if conn.in_transaction:
        conn.execute("COMMIT")


def stream(db: Database, sql: str, parameters: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
    """Yield a query's rows as tuples without holding the whole result in memory.

    SQLite's cursor steps through the file a row at a time; on a server the rows come a page at
    a time from a server-side cursor (:meth:`PgDatabase.stream`), inside the snapshot the caller
    reads in, if any.
    """
    if is_server(db):
        return cast(PgDatabase, db).stream(sql, parameters)
    return iter(db.execute(sql, list(parameters)))


def check_spans_fit(path: Path, doc_id: str, text_length: int, spans: Iterable[Span]) -> None:
    """Raise ProjectError when a stored span of document ``doc_id`` does not fit its text."""
    for span in spans:
        if not 0 <= span.start < span.end <= text_length:
            raise ProjectError(
                f"the project file is damaged: span {span.id!r} of document {doc_id!r} is"
                f" [{span.start}, {span.end}) but the text has {text_length:,} characters;"
                " nothing was read from it (remove the span or restore a backup copy)",
                path=path,
            )
