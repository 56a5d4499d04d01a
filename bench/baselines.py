"""Minimal baselines the tool is measured against: plain sqlite3 and json over the same tables.

Each does the same work as the tool's path with nothing else: no validation, no model objects,
no atomic file, so the ratio shows what the tool's layers cost.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from annotator.model.document import DocumentRecord, guess_title
from annotator.model.text import content_hash
from annotator.store.annotations import now

_SPANS = 'SELECT id, start, "end", label, annotator, attrs, status FROM spans WHERE doc_id = ?'
_RELATIONS = "SELECT id, type, head, tail, annotator, status FROM relations WHERE doc_id = ?"
# CoNLL tags entities only, as the tool's conll export does by default.
_ENTITY_SPANS = (
    'SELECT start, "end", label FROM spans WHERE doc_id = ?'
    " AND label NOT IN ('QUOTE', 'CUE', 'CLAIM') ORDER BY start"
)


def export_jsonl(db_path: Path, out: Path) -> int:
    """Write every document with its spans and relations as one JSON line; return the count."""
    conn = sqlite3.connect(db_path)
    count = 0
    with out.open("w", encoding="utf-8") as fh:
        docs = conn.execute("SELECT id, title, text, meta FROM documents ORDER BY position")
        for doc_id, title, text, meta in docs:
            spans = [
                {
                    "id": i,
                    "start": s,
                    "end": e,
                    "label": lab,
                    "annotator": a,
                    "attrs": json.loads(at),
                    "status": st,
                }
                for i, s, e, lab, a, at, st in conn.execute(_SPANS + " ORDER BY start", (doc_id,))
            ]
            relations = [
                {"id": i, "type": t, "head": h, "tail": ta, "annotator": a, "status": st}
                for i, t, h, ta, a, st in conn.execute(_RELATIONS, (doc_id,))
            ]
            obj = {
                "id": doc_id,
                "title": title,
                "text": text,
                "meta": json.loads(meta),
                "spans": spans,
                "relations": relations,
            }
            fh.write(json.dumps(obj, ensure_ascii=False))
            fh.write("\n")
            count += 1
    conn.close()
    return count


def export_token_tags(db_path: Path, out: Path) -> int:
    """Write ``token TAG`` lines (BIO by whitespace split), a blank line between documents."""
    conn = sqlite3.connect(db_path)
    count = 0
    with out.open("w", encoding="utf-8") as fh:
        for doc_id, text in conn.execute("SELECT id, text FROM documents ORDER BY position"):
            spans = conn.execute(_ENTITY_SPANS, (doc_id,)).fetchall()
            lines, k, pos = [], 0, 0
            for token in text.split():
                start = text.index(token, pos)
                pos = start + len(token)
                while k < len(spans) and spans[k][1] <= start:
                    k += 1
                tag = "O"
                if k < len(spans) and spans[k][0] <= start:
                    tag = ("B-" if spans[k][0] == start else "I-") + spans[k][2]
                lines.append(f"{token} {tag}\n")
            fh.write("".join(lines))
            fh.write("\n")
            count += 1
    conn.close()
    return count


Rows = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]


def _rows(records: Sequence[DocumentRecord]) -> Rows:
    """Return the document, span and relation rows the tool would store for ``records``."""
    stamp = now()
    docs, spans, relations = [], [], []
    for position, record in enumerate(records):
        doc_id = record.id or f"doc{position + 1:06d}"
        title = record.title or guess_title(record.text)
        meta = json.dumps(dict(record.meta), ensure_ascii=False)
        docs.append(
            (doc_id, position, title, record.text, meta, content_hash(record.text), stamp, stamp)
        )
        spans += [
            (doc_id, s.id, s.start, s.end, s.label, s.annotator, json.dumps(dict(s.attrs)),
             s.status, stamp)
            for s in record.spans
        ]  # fmt: skip
        relations += [
            (doc_id, r.id, r.type, r.head, r.tail, r.annotator, r.status, stamp)
            for r in record.relations
        ]
    return docs, spans, relations


def import_records(db_path: Path, records: Sequence[DocumentRecord]) -> int:
    """Insert the records into an empty project file with three plain ``executemany`` calls."""
    docs, spans, relations = _rows(records)
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO documents (id, position, title, text, meta, content_hash, created, updated)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        docs,
    )
    conn.executemany(
        'INSERT INTO spans (doc_id, id, start, "end", label, annotator, attrs, status, created,'
        " updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?9)",
        spans,
    )
    conn.executemany(
        "INSERT INTO relations (doc_id, id, type, head, tail, annotator, status, created, updated)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?8)",
        relations,
    )
    conn.execute("COMMIT")
    conn.close()
    return len(docs)


def scan_search(db_path: Path, query: str) -> int:
    """Run Find (the same normalization) over every document's text; return how many hits."""
    from annotator.model.text import find_matches

    conn = sqlite3.connect(db_path)
    hits = 0
    for (text,) in conn.execute("SELECT text FROM documents ORDER BY position"):
        hits += len(find_matches(text, query))
    conn.close()
    return hits
