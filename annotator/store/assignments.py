"""Who is to annotate which document: assignments, each person's done mark, and their progress.

A manager gives every document to N distinct annotators (:meth:`AssignmentsMixin.assign`):
balanced (each person's count differs from the others' by at most one when their counts were
balanced before, as in a fresh project), and reproducible (the same seed, names and documents
give the same people). The table is migration ``m006`` (:data:`ASSIGNMENTS_DDL`, written in SQL
that SQLite and PostgreSQL both accept).

"Done" is per person: a document is shared by the people it is assigned to, and its one status
(not started, in progress, done) cannot say that one of them has finished and another has not.
Each assignment therefore carries its own done mark (``done``: when the person marked it, or
NULL), which the window sets for its annotator whenever they set the document's status
(``annotator.session.edits.SetStatus``). Progress counts per person the documents assigned,
started (the person has at least one span in it) and done (their mark).
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from annotator.errors import NotFoundError, ValidationError
from annotator.model.document import GOLD_ANNOTATOR
from annotator.store import values
from annotator.store.annotations import now

# The table and its index (migration m006). Plain types and constraints both engines read the
# same way, so this text is also the PostgreSQL DDL (store/pg applies it as it is).
ASSIGNMENTS_DDL = """
        CREATE TABLE assignments (
            doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            annotator TEXT NOT NULL,
            assigned TEXT NOT NULL,
            done TEXT,
            PRIMARY KEY (doc_id, annotator)
        );
        CREATE INDEX assignments_annotator ON assignments(annotator, doc_id)
        """
POSTGRES_DDL = ASSIGNMENTS_DDL

_TABLE = "assignments"
# Documents in project order with their rows; used by every read that lists documents.
_IN_ORDER = "FROM assignments AS a JOIN documents AS d ON d.id = a.doc_id"
_KEY = "(SELECT position, id FROM documents WHERE id = ?)"


@dataclass(frozen=True, slots=True)
class Assignment:
    """One document given to one person; ``done`` is when they marked it done, or None."""

    doc_id: str
    annotator: str
    assigned: str
    done: str | None = None


@dataclass(frozen=True, slots=True)
class AssignReport:
    """What :meth:`AssignmentsMixin.assign` did.

    ``counts``: documents assigned to each person in the project afterwards (everyone holding
    an assignment); ``added`` and ``removed``: what this run gave and took away per person;
    ``kept``: assignments of these documents left as they were.
    """

    documents: int
    per_document: int
    counts: dict[str, int] = field(default_factory=dict)
    added: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)
    kept: int = 0


@dataclass(frozen=True, slots=True)
class AnnotatorProgress:
    """One person's assigned documents: how many, started (a span of theirs in it), done."""

    annotator: str
    assigned: int
    started: int
    done: int


def check_names(annotators: Sequence[str], per_document: int) -> list[str]:
    """Return the names sorted (so their order given does not change the outcome), or refuse."""
    names = [n.strip() for n in annotators]
    if any(not n for n in names):
        raise ValidationError("an annotator name is empty (names are separated by commas)")
    repeated = sorted(n for n, k in Counter(names).items() if k > 1)
    if repeated:
        raise ValidationError(f"{repeated[0]!r} is named twice among the annotators")
    if GOLD_ANNOTATOR in names:
        raise ValidationError(f"{GOLD_ANNOTATOR!r} is the reviewed layer, not an annotator")
    if per_document < 1:
        raise ValidationError("each document needs at least 1 annotator (--per-document)")
    if per_document > len(names):
        raise ValidationError(
            f"cannot give each document to {per_document} different annotators: only"
            f" {len(names)} named ({', '.join(names)}); name more or lower --per-document"
        )
    return sorted(names)


def choose(
    doc_ids: Sequence[str],
    names: Sequence[str],
    per_document: int,
    seed: int,
    held: dict[str, set[str]],
    load: Counter[str],
) -> dict[str, list[str]]:
    """Return the people to add to each document: the least loaded first, ties by the seed.

    ``held``: who already has each document (kept); ``load``: each person's assignments so far,
    updated. Taking the N least loaded for every document keeps the counts within one of each
    other; the random tie-break varies who shares a document with whom.
    """
    rng = random.Random(seed)
    added: dict[str, list[str]] = {}
    for doc_id in doc_ids:
        ranks = {name: rng.random() for name in names}  # drawn for all: one stream per run
        have = held.get(doc_id, set())
        need = per_document - len(have)
        if need <= 0:
            continue
        free = sorted((n for n in names if n not in have), key=lambda n: (load[n], ranks[n]))
        chosen = sorted(free[:need])
        for name in chosen:
            load[name] += 1
        added[doc_id] = chosen
    return added


class AssignmentsMixin:
    """Assignments and progress; mixed into :class:`~annotator.store.Project`."""

    db: Database
    path: Path
    annotator: str

    def write(self) -> AbstractContextManager[Database]:
        """Return a context manager running its block as one transaction."""
        raise NotImplementedError

    def document_ids(self, offset: int = 0, limit: int | None = None) -> list[str]:
        """Return the document ids in project order."""
        raise NotImplementedError

    # ---- assigning -----------------------------------------------------------------------

    def assign(
        self,
        annotators: Sequence[str],
        per_document: int,
        seed: int,
        doc_ids: Iterable[str] | None = None,
        *,
        replace: bool = False,
    ) -> AssignReport:
        """Give each document (default: all) to ``per_document`` distinct ``annotators``.

        Balanced and reproducible for the same seed, names and documents (see :func:`choose`).
        A document already assigned keeps its people and is only topped up to
        ``per_document``; with ``replace`` its assignments are made again (a person who keeps
        it keeps their done mark). One transaction: all of it or none.
        """
        names = check_names(annotators, per_document)
        with self.write():
            order = self._in_project_order(doc_ids)
            rows = self._assignment_pairs()
            wanted = set(order)
            held: dict[str, set[str]] = defaultdict(set)
            load: Counter[str] = Counter()
            for doc_id, name in rows:
                if doc_id in wanted:
                    held[doc_id].add(name)
                if not (replace and doc_id in wanted):
                    load[name] += 1
            before = {d: set(people) for d, people in held.items()}
            if replace:
                held = defaultdict(set)
            added = choose(order, names, per_document, seed, held, load)
            gained, lost = self._store_choice(order, before, held, added)
            return AssignReport(
                documents=len(order),
                per_document=per_document,
                counts=self._assignment_counts(),
                added=dict(sorted(gained.items())),
                removed=dict(sorted(lost.items())),
                kept=sum(len(before.get(d, set())) for d in order) - lost.total(),
            )

    def _store_choice(
        self,
        order: Sequence[str],
        before: dict[str, set[str]],
        held: dict[str, set[str]],
        added: dict[str, list[str]],
    ) -> tuple[Counter[str], Counter[str]]:
        """Write the new people of each document (held: those it keeps); return who gained
        and who lost a document."""
        gained: Counter[str] = Counter()
        lost: Counter[str] = Counter()
        inserts: list[tuple[str, str, str]] = []
        deletes: list[tuple[str, str]] = []
        at = now()
        for doc_id in order:
            old = before.get(doc_id, set())
            new = held.get(doc_id, set()) | set(added.get(doc_id, []))
            inserts += [(doc_id, name, at) for name in sorted(new - old)]
            deletes += [(doc_id, name) for name in sorted(old - new)]
            gained.update(new - old)
            lost.update(old - new)
        self.db.conn.executemany(
            "DELETE FROM assignments WHERE doc_id = ? AND annotator = ?", deletes
        )
        self.db.conn.executemany(
            "INSERT INTO assignments (doc_id, annotator, assigned) VALUES (?, ?, ?)", inserts
        )
        return gained, lost

    def _in_project_order(self, doc_ids: Iterable[str] | None) -> list[str]:
        every = self.document_ids()
        if doc_ids is None:
            return every
        wanted = set(doc_ids)
        missing = sorted(wanted - set(every))
        if missing:
            raise NotFoundError(f"no document {missing[0]!r} in the project", path=self.path)
        return [d for d in every if d in wanted]

    def _assignment_pairs(self) -> list[tuple[str, str]]:
        with values.decoding(self.path, _TABLE):
            rows = self.db.execute("SELECT doc_id, annotator FROM assignments").fetchall()
        return [
            (
                values.text(self.path, _TABLE, "", "doc_id", r[0]),
                values.text(self.path, _TABLE, "", "annotator", r[1]),
            )
            for r in rows
        ]

    def _assignment_counts(self) -> dict[str, int]:
        rows = self.db.execute(
            "SELECT annotator, COUNT(*) FROM assignments GROUP BY annotator"
        ).fetchall()
        return {
            values.text(self.path, _TABLE, "", "annotator", r[0]): int(r[1]) for r in sorted(rows)
        }

    # ---- reading -------------------------------------------------------------------------

    def assignments(self, annotator: str | None = None) -> list[Assignment]:
        """Return the assignments (of one person, or everyone's) in project order."""
        where, params = (
            ("WHERE a.annotator = ?", [annotator]) if annotator is not None else ("", [])
        )
        sql = (
            f"SELECT a.doc_id, a.annotator, a.assigned, a.done {_IN_ORDER} {where}"
            " ORDER BY d.position, d.id"
        )
        with values.decoding(self.path, _TABLE):
            rows = self.db.execute(sql, params).fetchall()
        found = [_assignment(self.path, row) for row in rows]
        # Within a document by name, sorted here: the engines' text orders differ.
        positions = {doc_id: i for i, doc_id in enumerate(dict.fromkeys(a.doc_id for a in found))}
        return sorted(found, key=lambda a: (positions[a.doc_id], a.annotator))

    def progress(self) -> list[AnnotatorProgress]:
        """Return each assigned person's counts: assigned, started and done, by name."""
        rows = self.db.execute(
            "SELECT a.annotator, COUNT(*),"
            " SUM(CASE WHEN EXISTS (SELECT 1 FROM spans AS s"
            "  WHERE s.annotator = a.annotator AND s.doc_id = a.doc_id) THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN a.done IS NULL THEN 0 ELSE 1 END)"
            " FROM assignments AS a GROUP BY a.annotator"
        ).fetchall()
        found = [
            AnnotatorProgress(
                values.text(self.path, _TABLE, "", "annotator", r[0]),
                int(r[1]),
                int(r[2]),
                int(r[3]),
            )
            for r in rows
        ]
        return sorted(found, key=lambda p: p.annotator)

    # ---- one person's queue --------------------------------------------------------------

    def assignment_done(self, doc_id: str, annotator: str | None = None) -> bool | None:
        """Return whether the person (default: the project's annotator) marked the document
        done; None when it is not assigned to them."""
        row = self.db.execute(
            "SELECT done FROM assignments WHERE doc_id = ? AND annotator = ?",
            [doc_id, annotator or self.annotator],
        ).fetchone()
        return None if row is None else row[0] is not None

    def set_assignment_done(self, doc_id: str, done: bool) -> None:
        """Mark the project annotator's assignment of ``doc_id`` done, or not done.

        Refused (ValidationError) when the document is not assigned to them.
        """
        with self.write():
            changed = self.db.execute(
                "UPDATE assignments SET done = ? WHERE doc_id = ? AND annotator = ?",
                [now() if done else None, doc_id, self.annotator],
            ).rowcount
            if changed == 0:
                raise ValidationError(f"document {doc_id!r} is not assigned to {self.annotator}")

    def next_assigned(self, after: str | None = None) -> str | None:
        """Return the next document assigned to the project's annotator and not marked done.

        In project order after ``after``, then from the start (``after`` itself left out);
        None when nothing is left to do.
        """
        sql = (
            f"SELECT d.id {_IN_ORDER} WHERE a.annotator = ? AND a.done IS NULL{{more}}"
            " ORDER BY d.position, d.id LIMIT 1"
        )
        me = self.annotator
        if after is not None:
            row = self.db.execute(
                sql.format(more=f" AND (d.position, d.id) > {_KEY}"), [me, after]
            ).fetchone()
            if row is None:
                row = self.db.execute(sql.format(more=" AND d.id != ?"), [me, after]).fetchone()
        else:
            row = self.db.execute(sql.format(more=""), [me]).fetchone()
        return None if row is None else values.text(self.path, _TABLE, "", "doc_id", row[0])


def _assignment(path: Path, row: Sequence[object]) -> Assignment:
    where = f"document {values.quoted(row[0])}"
    done = row[3]
    return Assignment(
        doc_id=values.text(path, _TABLE, where, "doc_id", row[0]),
        annotator=values.text(path, _TABLE, where, "annotator", row[1]),
        assigned=values.text(path, _TABLE, where, "assigned", row[2]),
        done=None if done is None else values.text(path, _TABLE, where, "done", done),
    )
