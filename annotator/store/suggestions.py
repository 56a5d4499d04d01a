"""Recommenders' suggestions, people's decisions on them, and trained models.

Suggestions live in tables of their own (migration ``m005``), never among the spans and
relations of a person or of gold: no export, merge, review or agreement reads them. Each row
is for one person (``annotator``) from one recommender; the window shows a person's pending
suggestions as ghosts over their layer. Accepting and rejecting them is
:mod:`annotator.store.suggestion_decisions`; this module reads them, stores a run's proposals,
counts the decisions and keeps trained models.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence, Set
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from annotator.errors import AnnotatorError, ValidationError
from annotator.model.document import Relation, Span, check_offsets
from annotator.model.offsets import check_aligned
from annotator.model.schema import Schema
from annotator.model.suggestions import Proposals, layer_name
from annotator.store.annotations import new_id, now

Key = tuple[int, int, str]  # a suggestion's place: start, end, label


def _key(span: Span) -> Key:
    return (span.start, span.end, span.label)


@dataclass(frozen=True, slots=True)
class Suggestions:
    """A document's suggestions for one person: spans, links, and which are still pending.

    Spans and links carry the layer name (``suggest:NAME``) as their annotator. ``decided``
    holds the places (start, end, label) the person accepted or rejected, whichever
    recommender proposed them; ``pending`` the ids to show, one per place (:func:`pending_ids`).
    """

    spans: list[Span] = field(default_factory=list)
    links: list[Relation] = field(default_factory=list)
    pending: frozenset[str] = frozenset()
    notes: Mapping[str, str] = field(default_factory=dict)
    scores: Mapping[str, float] = field(default_factory=dict)
    decided: frozenset[Key] = frozenset()


def pending_ids(
    spans: Sequence[Span], links: Sequence[Relation], decided: Set[Key], own: Set[Key]
) -> frozenset[str]:
    """Return the suggestions to show: one per place neither decided nor in the person's layer.

    Where several recommenders propose the same place, the one another suggestion links to
    is shown (accepting its quote brings that very one), else the one whose recommender's
    name comes first; deciding it decides the place.
    """
    tails = {link.tail for link in links}
    heads = {link.head for link in links}
    best: dict[Key, tuple[bool, bool, str, str]] = {}
    for span in spans:
        place = _key(span)
        if place in decided or place in own:
            continue
        rank = (span.id not in tails, span.id not in heads, span.annotator, span.id)
        if place not in best or rank < best[place]:
            best[place] = rank
    return frozenset(rank[3] for rank in best.values())


@dataclass(slots=True)
class StoredRun:
    """What storing a run's proposals did."""

    documents: int = 0
    stored: int = 0
    links: int = 0
    removed: int = 0  # the recommender's earlier suggestions that were replaced
    skipped_decided: int = 0  # accepted or rejected before by the person
    skipped_existing: int = 0  # already in the person's layer
    refused: int = 0  # invalid proposals (offsets, labels, links the schema forbids)
    reasons: list[str] = field(default_factory=list)  # the first refusals, said
    labels: dict[str, int] = field(default_factory=dict)  # stored per label

    def add(self, other: StoredRun) -> None:
        """Count another chunk of the same run in."""
        for name in ("documents", "stored", "links", "removed", "refused"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.skipped_decided += other.skipped_decided
        self.skipped_existing += other.skipped_existing
        self.reasons += other.reasons[: REASONS_KEPT - len(self.reasons)]
        for label, n in other.labels.items():
            self.labels[label] = self.labels.get(label, 0) + n


@dataclass(frozen=True, slots=True)
class SuggestionStat:
    """One recommender's suggestions of one label: how many wait, were accepted, rejected."""

    recommender: str
    label: str
    pending: int
    accepted: int
    rejected: int

    @property
    def acceptance(self) -> float | None:
        """Return accepted / decided, or None when nothing was decided."""
        decided = self.accepted + self.rejected
        return self.accepted / decided if decided else None


@dataclass(frozen=True, slots=True)
class StoredModel:
    """A trained model kept in the project, with what it was trained on."""

    name: str
    data: bytes
    info: dict[str, Any]
    created: str


REASONS_KEPT = 5
_SUGGESTION_COLUMNS = (
    'SELECT id, recommender, start, "end", label, attrs, score, note FROM suggestions'
    " WHERE doc_id = ? AND annotator = ?"
)


class SuggestionsMixin:
    """Suggestions, decisions and models; mixed into :class:`~annotator.store.Project`."""

    db: Database
    path: Path
    annotator: str
    schema: Schema

    def write(self) -> AbstractContextManager[Database]:
        """Return a context manager running its block as one transaction."""
        raise NotImplementedError

    def spans(self, doc_id: str, annotators: Iterable[str] | None = None) -> list[Span]:
        """Return a document's spans."""
        raise NotImplementedError

    def relations(self, doc_id: str, annotators: Iterable[str] | None = None) -> list[Relation]:
        """Return a document's relations."""
        raise NotImplementedError

    def _insert_annotations(
        self, text: str, spans: list[Span], relations: list[Relation], *, doc_id: str | None = None
    ) -> list[Span]:
        raise NotImplementedError

    def _check_span_owner(self, span: Span) -> None:
        raise NotImplementedError

    def _check_relation_owner(self, relation: Relation) -> None:
        raise NotImplementedError

    def _touch_status(self, doc_id: str) -> None:
        raise NotImplementedError

    def _text_of(self, doc_id: str) -> str:
        row = self.db.execute("SELECT text FROM documents WHERE id = ?", [doc_id]).fetchone()
        if row is None:
            raise ValidationError(f"no document {doc_id!r} in the project")
        return str(row[0])

    # ---- reading -------------------------------------------------------------------------

    def suggestions(
        self, doc_id: str, annotator: str | None = None, own: Set[Key] | None = None
    ) -> Suggestions:
        """Return a document's suggestions for ``annotator`` (default: the project's).

        ``own`` is the places of the person's spans when the caller has them at hand (the
        window does), so they are not read again.
        """
        person = annotator or self.annotator
        rows = self.db.execute(_SUGGESTION_COLUMNS + " ORDER BY start", [doc_id, person])
        spans, notes, scores = [], {}, {}
        for sid, name, start, end, label, attrs, score, note in rows:
            spans.append(Span(sid, doc_id, start, end, label, layer_name(name), json.loads(attrs)))
            if note:
                notes[sid] = str(note)
            if score is not None:
                scores[sid] = float(score)
        decided = frozenset(self._decided(doc_id, person))
        if not spans:
            return Suggestions(decided=decided)
        ids = {s.id for s in spans}
        links = [
            Relation(rid, doc_id, kind, head, tail, layer_name(name))
            for rid, name, kind, head, tail in self.db.execute(
                "SELECT id, recommender, type, head, tail FROM suggestion_links"
                " WHERE doc_id = ? AND annotator = ?",
                [doc_id, person],
            )
            if head in ids and tail in ids
        ]
        if own is None:
            own = {_key(s) for s in self.spans(doc_id, [person])}
        pending = pending_ids(spans, links, decided, own)
        return Suggestions(spans, links, pending, notes, scores, decided)

    def has_suggestions(self, doc_id: str, annotator: str | None = None) -> bool:
        """Return True when any recommender left suggestions in the document for the person."""
        row = self.db.execute(
            "SELECT 1 FROM suggestions WHERE doc_id = ? AND annotator = ? LIMIT 1",
            [doc_id, annotator or self.annotator],
        ).fetchone()
        return row is not None

    def _decided(self, doc_id: str, person: str) -> dict[Key, str]:
        """Return the person's decision at each place, whichever recommender proposed it."""
        rows = self.db.execute(
            'SELECT start, "end", label, decision FROM suggestion_decisions'
            " WHERE doc_id = ? AND annotator = ? ORDER BY at",
            [doc_id, person],
        )
        return {(start, end, label): str(d) for start, end, label, d in rows}

    def span_sources(self, doc_id: str, annotator: str | None = None) -> dict[str, str]:
        """Return, for spans of the person's layer that came from a suggestion, its recommender."""
        rows = self.db.execute(
            "SELECT span_id, recommender FROM suggestion_decisions"
            " WHERE doc_id = ? AND annotator = ? AND decision = 'accepted' AND span_id != ''",
            [doc_id, annotator or self.annotator],
        )
        return {str(span_id): str(name) for span_id, name in rows}

    def suggestion_stats(self, annotator: str | None = None) -> list[SuggestionStat]:
        """Return per recommender and label the pending, accepted and rejected suggestions."""
        person, args = ("", []) if annotator is None else (" WHERE annotator = ?", [annotator])
        counts: dict[tuple[str, str], list[int]] = {}
        for name, label, n in self.db.execute(
            f"SELECT recommender, label, count(*) FROM suggestions{person}"
            " GROUP BY recommender, label",
            args,
        ):
            counts.setdefault((name, label), [0, 0, 0])[0] += n
        for name, label, decision, n in self.db.execute(
            f"SELECT recommender, label, decision, count(*) FROM suggestion_decisions{person}"
            " GROUP BY recommender, label, decision",
            args,
        ):
            row = counts.setdefault((name, label), [0, 0, 0])
            row[1 if decision == "accepted" else 2] += n
        # A suggestion at a place the person decided no longer waits, whoever decided it.
        decided_rows = self.db.execute(
            "SELECT count(*), s.recommender, s.label FROM suggestions s WHERE EXISTS (SELECT 1"
            " FROM suggestion_decisions d WHERE d.doc_id = s.doc_id AND d.annotator ="
            ' s.annotator AND d.start = s.start AND d."end" = s."end" AND d.label = s.label)'
            + (" AND s.annotator = ?" if annotator is not None else "")
            + " GROUP BY s.recommender, s.label",
            args,
        )
        for n, name, label in decided_rows:
            counts[(name, label)][0] -= n
        return [
            SuggestionStat(name, label, *values) for (name, label), values in sorted(counts.items())
        ]

    # ---- a run's proposals ---------------------------------------------------------------

    def replace_suggestions(
        self,
        recommender: str,
        proposals: Iterable[tuple[str, Proposals]],
        *,
        annotator: str | None = None,
    ) -> StoredRun:
        """Store proposals per document, replacing the recommender's earlier ones there.

        One transaction, all or none; a run stores a chunk of documents at a time. Proposals
        at a place the person decided before (whichever recommender proposed it), or already
        has in their layer, are left out unless another proposal links to them; invalid ones
        are counted and said.
        """
        person = annotator or self.annotator
        report = StoredRun()
        with self.write():
            for doc_id, found in proposals:
                self._store_document(recommender, person, doc_id, found, report)
        return report

    def _store_document(
        self, recommender: str, person: str, doc_id: str, found: Proposals, report: StoredRun
    ) -> None:
        report.documents += 1
        report.removed += self._clear_document(recommender, person, doc_id)
        text = self._text_of(doc_id)
        decided = set(self._decided(doc_id, person))
        own = {_key(s) for s in self.spans(doc_id, [person])}
        linked = {key for link in found.links for key in (link.head, link.tail)}
        ids: dict[str, str] = {}  # a proposal's key -> the stored suggestion's id
        labels: dict[str, str] = {}
        placed: dict[Key, str] = {}  # the place of each stored suggestion -> its id
        rows = []
        stamp = now()
        for n, proposal in enumerate(found.spans):
            key = (proposal.start, proposal.end, proposal.label)
            local = proposal.key or f"#{n}"
            if key in placed:  # the same place proposed twice is one suggestion, links kept
                ids[local], labels[local] = placed[key], proposal.label
                continue
            needed = local in linked
            if key in decided and not needed:
                report.skipped_decided += 1
                continue
            if key in own and not needed:
                report.skipped_existing += 1
                continue
            reason = self._proposal_problem(text, proposal.start, proposal.end, proposal)
            if reason:
                self._refuse(report, doc_id, f"[{proposal.start}, {proposal.end}) {reason}")
                continue
            placed[key] = ids[local] = new_id("g")
            labels[local] = proposal.label
            attrs = json.dumps(dict(proposal.attrs), ensure_ascii=False)
            row = (doc_id, ids[local], recommender, person, *key, attrs, proposal.score)
            rows.append((*row, proposal.note, stamp))
            report.labels[proposal.label] = report.labels.get(proposal.label, 0) + 1
        self.db.conn.executemany(
            'INSERT INTO suggestions (doc_id, id, recommender, annotator, start, "end", label,'
            " attrs, score, note, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        report.stored += len(rows)
        self._store_links(recommender, person, doc_id, found, ids, labels, report)

    def _clear_document(self, recommender: str, person: str, doc_id: str) -> int:
        """Delete the recommender's suggestions and links in a document; return how many."""
        where = " WHERE doc_id = ? AND annotator = ? AND recommender = ?"
        args = [doc_id, person, recommender]
        self.db.execute("DELETE FROM suggestion_links" + where, args)
        return max(self.db.execute("DELETE FROM suggestions" + where, args).rowcount, 0)

    def _store_links(
        self,
        recommender: str,
        person: str,
        doc_id: str,
        found: Proposals,
        ids: dict[str, str],
        labels: dict[str, str],
        report: StoredRun,
    ) -> None:
        rows = []
        made: set[tuple[str, str, str]] = set()
        for link in found.links:
            if link.head not in ids or link.tail not in ids:
                continue  # an end was left out (refused): the link goes with it
            ends = (link.type, ids[link.head], ids[link.tail])
            if ends in made:
                continue  # two keys of one place linked twice: one link
            made.add(ends)
            try:
                self.schema.check_relation(link.type, labels[link.head], labels[link.tail])
            except AnnotatorError as exc:
                self._refuse(report, doc_id, f"{link.type} link: {exc}")
                continue
            rows.append((doc_id, new_id("h"), recommender, person, *ends))
        self.db.conn.executemany(
            "INSERT INTO suggestion_links (doc_id, id, recommender, annotator, type, head, tail)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        report.links += len(rows)

    def _proposal_problem(self, text: str, start: int, end: int, proposal: Any) -> str:
        try:
            check_offsets(len(text), start, end)
            check_aligned(text, start, end)
            self.schema.check_span_text(proposal.label, text, start, end)
            self.schema.check_span(proposal.label, proposal.attrs)
        except AnnotatorError as exc:
            return str(exc)
        return ""

    @staticmethod
    def _refuse(report: StoredRun, doc_id: str, reason: str) -> None:
        report.refused += 1
        if len(report.reasons) < REASONS_KEPT:
            report.reasons.append(f"document {doc_id}: {reason}")

    # ---- models --------------------------------------------------------------------------

    def save_model(self, name: str, data: bytes, info: Mapping[str, Any]) -> None:
        """Keep a trained model in the project (replacing one of the same name)."""
        with self.write():
            self.db.execute(
                "INSERT OR REPLACE INTO recommender_models (name, data, info, created)"
                " VALUES (?, ?, ?, ?)",
                [name, data, json.dumps(dict(info), ensure_ascii=False), now()],
            )

    def load_model(self, name: str) -> StoredModel | None:
        """Return the model stored under ``name``, or None."""
        row = self.db.execute(
            "SELECT data, info, created FROM recommender_models WHERE name = ?", [name]
        ).fetchone()
        if row is None:
            return None
        return StoredModel(name, bytes(row[0]), json.loads(row[1]), str(row[2]))
