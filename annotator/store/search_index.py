"""The project's search index: SQLite FTS5 over the words of every document's search key.

The key is :func:`annotator.model.text.search_key_text` of the stored text, the key the
window's Find compares on (alef forms, ى, ة and a no-break space folded; tashkeel, every other
combining mark and tatweel dropped). Three tables hold the index:

- ``search_index``: FTS5 with the ``ascii`` tokenizer, ``detail=none``, no copy of the text
  (``content=''``); its rowid is the document's ``position``. A *word* is a run of characters
  that are not ASCII punctuation, space or control: an Arabic word with its attached Arabic
  punctuation (قال،), a Latin word (ASCII letters compared without case).
- ``search_terms``: every word of the index, once (its vocabulary).
- ``search_term_grams``: FTS5 trigram over ``search_terms``: which words hold a string.

A query key is cut into words the same way (:func:`plan`). A word with separators on both
sides must be a whole word of the document; one reaching the end of the query must begin one
(an FTS5 prefix query); one reaching the start must end one, and one spanning the query must be
inside one: those are looked up in the vocabulary through ``search_term_grams``. The AND of
these names a superset of the documents holding the key; :mod:`annotator.store.search` then
finds the hits with ``find_matches`` on the stored text, so they are exactly those of a scan.
A query whose words are all too short to look up (في, ال) is answered by reading every text.

Kept current: a document enters the project only through the importer
(``importing._insert_document``), which adds it here in the same transaction (its vocabulary
at the end of the import, :func:`batch`); a stored text never changes and no document is
deleted. The project setting ``search_key`` records the index format and the
:func:`~annotator.model.text.search_key_version` the index was built with: when either changes
(a new fold, a Python with another Unicode version) the index is rebuilt the next time the
project is opened for writing, and until then search reads every text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlite_utils import Database

from annotator.model.text import search_key_text, search_key_version
from annotator.store.pg.connection import is_server

SETTING = "search_key"  # project setting: the index format and key version it was built with
FORMAT = "words-1"  # the tables below; another value (an earlier format) rebuilds them
GRAM = 3  # the trigram tokenizer's piece: a shorter word is not looked up in the vocabulary
MAX_TERMS = 1000  # more vocabulary words than this for one query word: it does not narrow

TABLES = (
    "CREATE VIRTUAL TABLE search_index USING fts5(key, tokenize = 'ascii', content = '',"
    " detail = none)",
    "CREATE TABLE search_terms (id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE)",
    "CREATE VIRTUAL TABLE search_term_grams USING fts5(term,"
    " tokenize = 'trigram case_sensitive 1', content = '', detail = none)",
)
_INSERT = "INSERT INTO search_index (rowid, key) VALUES (?, ?)"

# A word as the ascii tokenizer cuts them: a run of anything but ASCII that is not a letter or a
# digit (so U+2028, U+3000 or an Arabic comma are part of a word, a NUL or a space is not).
_WORD = re.compile("[^\\x00-/:-@\\[-`{-\\x7f]+")
_ASCII_UPPER = re.compile("[A-Z]+")


def create(db: Database) -> None:
    """Create the empty index tables, replacing those of an earlier format."""
    for table in ("search_index", "search_terms", "search_term_grams"):
        db.execute(f"DROP TABLE IF EXISTS {table}")
    for statement in TABLES:
        db.execute(statement)


def version() -> str:
    """Return what the setting holds for an index this program would build."""
    return f"{FORMAT} {search_key_version()}"


@dataclass
class _Batch:
    """The documents one import indexes, and the vocabulary they bring (see :func:`batch`)."""

    before: int  # documents in the project when the import began (about)
    added: int = 0
    terms: set[str] = field(default_factory=set)
    read_index: bool = False  # gather the vocabulary from the index itself at the end


# Keyed by id() of the connection: an entry lives only while its batch() block runs.
_pending: dict[int, _Batch] = {}


def _on_server(db: Database) -> bool:
    # A PostgreSQL project has no FTS5 index: its searches read every text.
    return is_server(db)


def add(db: Database, position: int, text: str) -> None:
    """Index one new document's ``text`` under its ``position``, in the caller's transaction."""
    if _on_server(db):
        return
    key = search_key_text(text)
    db.conn.execute(_INSERT, [position, key])
    pending = _pending.get(id(db.conn))
    if pending is None:
        _add_terms(db, _words(key))
        return
    pending.added += 1
    if pending.read_index:
        return
    if 3 * pending.added > pending.before:
        # A quarter of the project or more: reading the index's own word list once at the end
        # costs less than splitting every text here.
        pending.read_index = True
        pending.terms.clear()
        return
    pending.terms.update(_words(key))


@contextmanager
def batch(db: Database, *, whole: bool = False) -> Iterator[None]:
    """Gather the vocabulary of the documents :func:`add` indexes in the block; write it at the end.

    Run inside the import's transaction: a failed import rolls the words back with the rest.
    ``whole`` says the block indexes every document (a rebuild).
    """
    if id(db.conn) in _pending or _on_server(db):
        yield
        return
    last = db.execute("SELECT MAX(position) FROM documents").fetchone()[0]
    pending = _Batch(before=last + 1 if isinstance(last, int) else 0, read_index=whole)
    _pending[id(db.conn)] = pending
    try:
        yield
        if pending.read_index:
            _add_index_terms(db)
        else:
            _add_terms(db, pending.terms)
    finally:
        del _pending[id(db.conn)]


def _words(key: str) -> set[str]:
    """Return the words the ascii tokenizer makes of ``key``: ASCII letters in lower case."""
    if _ASCII_UPPER.search(key):
        key = _ASCII_UPPER.sub(lambda m: m.group().lower(), key)
    return set(_WORD.findall(key))


def _add_terms(db: Database, terms: set[str]) -> None:
    if not terms:
        return
    before = _last_term(db)
    db.conn.executemany(
        "INSERT OR IGNORE INTO search_terms (term) VALUES (?)", ((t,) for t in terms)
    )
    _add_grams(db, before)


def _add_index_terms(db: Database) -> None:
    before = _last_term(db)
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_words"
        " USING fts5vocab(main, search_index, row)"
    )
    db.execute("INSERT OR IGNORE INTO search_terms (term) SELECT term FROM temp.search_words")
    _add_grams(db, before)


def _last_term(db: Database) -> int:
    return int(db.execute("SELECT COALESCE(MAX(id), 0) FROM search_terms").fetchone()[0])


def _add_grams(db: Database, before: int) -> None:
    db.execute(
        "INSERT INTO search_term_grams (rowid, term) SELECT id, term FROM search_terms"
        " WHERE id > ?",
        [before],
    )


def rebuild(db: Database, progress: Callable[[int], None] | None = None) -> int:
    """Index every document again, in the caller's transaction; return how many were read.

    A row whose position or text is not what the annotator writes (a damaged file) is left
    out: reading that document fails anyway, naming it, and the rest stays searchable.
    """
    create(db)
    count = 0
    with batch(db, whole=True):
        rows = db.execute("SELECT position, text FROM documents ORDER BY position")
        for position, texts in _grouped(rows):
            add(db, position, "\n".join(texts))
            count += len(texts)
            if progress is not None:
                progress(len(texts))
    db.execute("INSERT OR REPLACE INTO project (key, value) VALUES (?, ?)", [SETTING, version()])
    return count


def _grouped(rows: Iterable[tuple[object, object]]) -> Iterator[tuple[int, list[str]]]:
    """Yield each position with the texts at it (two only in a hand-edited file)."""
    current: int | None = None
    texts: list[str] = []
    for position, text in rows:
        if not isinstance(position, int) or not isinstance(text, str):
            continue
        if position != current and texts:
            assert current is not None
            yield current, texts
            texts = []
        current = position
        texts.append(text)
    if texts and current is not None:
        yield current, texts


def is_current(db: Database) -> bool:
    """Return True when the index was built with the key this program computes."""
    if _on_server(db):
        return False
    row = db.execute("SELECT value FROM project WHERE key = ?", [SETTING]).fetchone()
    return row is not None and row[0] == version()


# ---- queries -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """How the index answers one query key.

    ``match`` is the FTS5 query naming the candidate documents, or None when nothing narrows
    them (read every text). ``none`` is True when no document can hold the key (a word of it
    is in no document). ``exact`` is True when the candidates are exactly the documents
    holding the key.
    """

    match: str | None
    none: bool = False
    exact: bool = False


def plan(db: Database, needle: str) -> Plan:
    """Return how the index narrows the documents that may hold the query key ``needle``."""
    clauses: list[str] = []
    words = list(_WORD.finditer(needle))
    for word in words:
        at_start, at_end = word.start() == 0, word.end() == len(needle)
        text = word.group()
        if not at_start and not at_end:
            clauses.append(_quoted(text))  # a whole word of the document
        elif at_end and not at_start:
            clauses.append(_quoted(text) + " *")  # the start of one
        else:
            terms = _terms_holding(db, text)
            if terms is not None and not terms:
                return Plan(None, none=True)
            if terms is not None:
                clauses.append("(" + " OR ".join(_quoted(t) for t in sorted(terms)) + ")")
    if not clauses:
        return Plan(None)
    # One word looked up whole in the vocabulary names exactly the documents holding it,
    # unless it has ASCII letters (the index compares them without case, Find with).
    single = len(words) == 1 and words[0].group() == needle and clauses[0].startswith("(")
    exact = single and not re.search("[A-Za-z]", needle)
    return Plan(" AND ".join(clauses), exact=exact)


def _terms_holding(db: Database, text: str) -> set[str] | None:
    """Return the words of the documents that hold ``text``, or None when there are too many
    to narrow anything (or ``text`` is too short to look up)."""
    if len(text) < GRAM:
        return None
    if _ASCII_UPPER.search(text):
        text = _ASCII_UPPER.sub(lambda m: m.group().lower(), text)
    grams = dict.fromkeys(text[i : i + GRAM] for i in range(len(text) - GRAM + 1))
    rows = db.execute(
        "SELECT t.term FROM search_term_grams g JOIN search_terms t ON t.id = g.rowid"
        " WHERE search_term_grams MATCH ? AND instr(t.term, ?) > 0 LIMIT ?",
        [" AND ".join(_quoted(g) for g in grams), text, MAX_TERMS + 1],
    ).fetchall()
    if len(rows) > MAX_TERMS:
        return None
    return {term for (term,) in rows}


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def candidates(db: Database, match: str, within: tuple[int, int] | None = None) -> Iterator[int]:
    """Yield, in project order, the positions of the documents an FTS5 ``match`` names.

    ``within`` is the first and last position to look at (a window of the project).
    """
    where, params = "", list[str | int]([match])
    if within is not None:
        where = " AND rowid BETWEEN ? AND ?"
        params += within
    cursor = db.execute(
        f"SELECT rowid FROM search_index WHERE search_index MATCH ?{where} ORDER BY rowid", params
    )
    while rows := cursor.fetchmany(512):
        for (position,) in rows:
            yield position
