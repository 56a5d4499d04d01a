"""The project's search index: SQLite FTS5 over the search key of every document's text.

The key is :func:`annotator.model.text.search_key_text` of the stored text, the same key the
window's Find compares on (alef forms, ى, ة and a no-break space folded; tashkeel, every other
combining mark and tatweel dropped). The FTS5 table ``search_index`` keeps no copy of it
(``content=''``): with the trigram tokenizer and ``detail=none`` it holds, for each
three-character piece of a key, the documents whose key has it. Its rowid is the document's
``position``, so candidates come in project order.

A query key of three characters or more is turned into the AND of its pieces: the documents
returned hold every piece, a superset of those holding the key, and nothing holding the key is
left out. :mod:`annotator.store.search` then finds and places the hits with ``find_matches`` on
the stored text, so they are exactly those of a scan. A shorter key has no piece to look up
and is answered by reading every text.

Kept current: a document enters the project only through the importer
(``importing._insert_document``), which adds it here in the same transaction; a stored text
never changes and no document is deleted. The project setting ``search_key`` records the
:func:`~annotator.model.text.search_key_version` the index was built with: when the key
changes (a new fold, a Python with another Unicode version) the index is rebuilt the next time
the project is opened for writing, and until then search reads every text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from sqlite_utils import Database

from annotator.model.text import search_key_text, search_key_version

TABLE = "search_index"
SETTING = "search_key"  # project setting: the key version the index was built with
GRAM = 3  # the trigram tokenizer's piece; a shorter query key cannot use the index

CREATE = (
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5(key, tokenize = 'trigram case_sensitive 1',"
    " content = '', detail = none)"
)
_INSERT = f"INSERT INTO {TABLE} (rowid, key) VALUES (?, ?)"


def create(db: Database) -> None:
    """Create the empty index table (a migration does, and then :func:`rebuild`)."""
    db.execute(CREATE)


def add(db: Database, position: int, text: str) -> None:
    """Index one new document's ``text`` under its ``position``, in the caller's transaction."""
    db.execute(_INSERT, [position, search_key_text(text)])


def rebuild(db: Database, progress: Callable[[int], None] | None = None) -> int:
    """Index every document again, in the caller's transaction; return how many were read.

    A text that is not text (a damaged row) is left out: reading that document fails anyway,
    naming it, and the rest of the project stays searchable.
    """
    db.execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('delete-all')")
    count = 0
    rows = db.execute("SELECT position, text FROM documents ORDER BY position")
    for position, keys in _grouped(rows):
        db.execute(_INSERT, [position, "\n".join(keys)])
        count += len(keys)
        if progress is not None:
            progress(len(keys))
    db.execute(
        "INSERT OR REPLACE INTO project (key, value) VALUES (?, ?)", [SETTING, search_key_version()]
    )
    return count


def _grouped(rows: Iterable[tuple[object, object]]) -> Iterator[tuple[int, list[str]]]:
    """Yield each position with the keys of its documents (two only in a hand-edited file)."""
    current: int | None = None
    keys: list[str] = []
    for position, text in rows:
        if not isinstance(position, int) or not isinstance(text, str):
            continue
        if position != current and keys:
            assert current is not None
            yield current, keys
            keys = []
        current = position
        keys.append(search_key_text(text))
    if keys and current is not None:
        yield current, keys


def is_current(db: Database) -> bool:
    """Return True when the index was built with the key this program computes."""
    row = db.execute("SELECT value FROM project WHERE key = ?", [SETTING]).fetchone()
    return row is not None and row[0] == search_key_version()


def candidates(db: Database, needle: str) -> Iterator[int]:
    """Yield, in project order, the positions of documents whose key may hold ``needle``.

    ``needle`` is a search key of at least :data:`GRAM` characters. Every document whose key
    holds it is yielded; a few others may be (their key has every piece, not in that order).
    """
    pieces = dict.fromkeys(needle[i : i + GRAM] for i in range(len(needle) - GRAM + 1))
    query = " AND ".join('"' + piece.replace('"', '""') + '"' for piece in pieces)
    cursor = db.execute(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH ? ORDER BY rowid", [query])
    while rows := cursor.fetchmany(512):
        for (position,) in rows:
            yield position


def exact(needle: str) -> bool:
    """Return True when :func:`candidates` of ``needle`` are exactly the documents holding it."""
    return len(needle) == GRAM
