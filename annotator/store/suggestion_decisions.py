"""Deciding on suggestions: accepting copies them into the person's layer, rejecting remembers.

Decisions are by place (start, end, label): several recommenders may propose the same place,
and deciding one decides them all, with a row per suggestion so each recommender's statistics
count it. Accepting a suggestion copies it, with the suggestions it links to, into the person's
own layer (reusing a span already there with the same edges and label) and records the decision
with the id of the span it became (its source); rejecting one records the decision, so no later
run of any recommender proposes that place again. Both are undone exactly, and refused
(StaleEditError, nothing written) when what they touch changed since (another window deciding
the place, a new run replacing the suggestion).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from annotator.errors import AnnotatorError, StaleEditError
from annotator.model.document import Relation, Span
from annotator.model.suggestions import recommender_of
from annotator.store.annotations import _content, new_id, now
from annotator.store.suggestions import Key, Suggestions, SuggestionsMixin, _key


@dataclass(frozen=True, slots=True)
class Accepted:
    """What accepting suggestions wrote, so undo removes exactly that and redo writes it again."""

    doc_id: str
    added: tuple[Span, ...]
    reused: tuple[Span, ...]
    relations: tuple[Relation, ...]
    decisions: tuple[tuple[str, Key, str], ...]  # (recommender, key, span id)
    skipped: tuple[Span, ...] = ()  # linked suggestions left out: the person rejected them


@dataclass(frozen=True, slots=True)
class Rejected:
    """The suggestions a person rejected in one step."""

    doc_id: str
    decisions: tuple[tuple[str, Key], ...]  # (recommender, key)


class SuggestionDecisionsMixin(SuggestionsMixin):
    """Accepting and rejecting suggestions, and undoing that; mixed into Project."""

    def accept_suggestions(self, doc_id: str, shown: Sequence[Span]) -> Accepted:
        """Copy suggestions (as shown) and those they link to into the person's own layer.

        A span already in the layer with the same edges and label is reused, not doubled.
        Linked suggestions at a place the person rejected are left out (``Accepted.skipped``).
        Refused (StaleEditError, nothing written) when a suggestion was replaced by a new run
        since it was shown, or its place decided (another window).
        """
        with self.write():
            current = self.suggestions(doc_id)
            by_id = {s.id: s for s in current.spans}
            decided = self._decided(doc_id, self.annotator)
            _check_shown(self.path, shown, by_id, decided)
            chosen, skipped = _closure([s.id for s in shown], current.links, by_id, decided)
            ghosts = [by_id[i] for i in chosen]
            accepted = self._copy_into_layer(doc_id, ghosts, current, decided)
            accepted = replace(accepted, skipped=tuple(skipped))
            self._write_accepted(accepted)
        return accepted

    def _copy_into_layer(
        self, doc_id: str, chosen: list[Span], current: Suggestions, decided: Mapping[Key, str]
    ) -> Accepted:
        own = {_key(s): s for s in self.spans(doc_id, [self.annotator])}
        mine: dict[str, Span] = {}
        added: list[Span] = []
        reused: list[Span] = []
        stamp = now()
        for ghost in chosen:
            span = own.get(_key(ghost))
            if span is None:
                span = Span(
                    new_id("s"), doc_id, ghost.start, ghost.end, ghost.label, self.annotator,
                    dict(ghost.attrs), "pending", stamp, stamp,
                )  # fmt: skip
                own[_key(ghost)] = span
                added.append(span)
            elif span not in reused and span not in added:
                reused.append(span)
            mine[ghost.id] = span
        have = {(r.type, r.head, r.tail) for r in self.relations(doc_id, [self.annotator])}
        relations = []
        for link in current.links:
            if link.head in mine and link.tail in mine:
                ends = (link.type, mine[link.head].id, mine[link.tail].id)
                if ends not in have:
                    have.add(ends)
                    relations.append(
                        Relation(
                            new_id("r"), doc_id, *ends, self.annotator, "pending", stamp, stamp
                        )
                    )
        new = {s.id for s in added}
        # A span the person had made already is reused, not sourced to the recommender.
        sources = {g.id: mine[g.id].id for g in chosen if mine[g.id].id in new}
        fresh = [g for g in chosen if _key(g) not in decided]  # not accepted before
        decisions = tuple(
            (name, key, sources.get(sid, ""))
            for name, key, sid in _place_rows(fresh, current.spans)
        )
        return Accepted(doc_id, tuple(added), tuple(reused), tuple(relations), decisions)

    def _write_accepted(self, accepted: Accepted) -> None:
        """Write an acceptance's spans, links and decisions (again, for redo: the same ids)."""
        for span in accepted.added:
            self._check_span_owner(span)
        for relation in accepted.relations:
            self._check_relation_owner(relation)
        decided = self._decided(accepted.doc_id, self.annotator)
        if any(key in decided for _, key, _ in accepted.decisions):
            raise _decided_since(self.path)  # by another window, before a redo
        text = self._text_of(accepted.doc_id)
        try:
            self._insert_annotations(text, list(accepted.added), list(accepted.relations))
            self.db.conn.executemany(
                'INSERT INTO suggestion_decisions (doc_id, annotator, recommender, start, "end",'
                " label, decision, span_id, at) VALUES (?, ?, ?, ?, ?, ?, 'accepted', ?, ?)",
                [
                    (accepted.doc_id, self.annotator, name, *key, span_id, now())
                    for name, key, span_id in accepted.decisions
                ],
            )
        except (sqlite3.IntegrityError, AnnotatorError) as exc:
            if isinstance(exc, StaleEditError):
                raise
            raise StaleEditError(
                f"the suggestion cannot be accepted again: {exc}; nothing was changed",
                path=self.path,
            ) from exc
        self._touch_status(accepted.doc_id)

    def redo_accept(self, accepted: Accepted) -> None:
        """Write an undone acceptance again, with the same ids."""
        with self.write():
            self._write_accepted(accepted)

    def undo_accept(self, accepted: Accepted) -> None:
        """Remove what an acceptance wrote; refused (StaleEditError) if it changed since."""
        with self.write():
            stored = {s.id: s for s in self.spans(accepted.doc_id, [self.annotator])}
            links = self.relations(accepted.doc_id, [self.annotator])
            ours = {r.id for r in accepted.relations}
            by_id = {r.id: r for r in links}
            for relation in accepted.relations:
                now_ = by_id.get(relation.id)
                if now_ is None or replace(now_, updated="") != replace(relation, updated=""):
                    raise _changed(self.path, f"the {relation.type} link")
            added = {s.id for s in accepted.added}
            for span in accepted.added:
                current = stored.get(span.id)
                if current is None or _content(current) != _content(span):
                    raise _changed(self.path, f"the {span.label} annotation")
            if any(r.id not in ours and (r.head in added or r.tail in added) for r in links):
                raise _changed(self.path, "an accepted annotation (it was linked since)")
            self.db.conn.executemany(
                "DELETE FROM relations WHERE doc_id = ? AND id = ?",
                [(r.doc_id, r.id) for r in accepted.relations],
            )
            self.db.conn.executemany(
                "DELETE FROM spans WHERE doc_id = ? AND id = ?",
                [(s.doc_id, s.id) for s in accepted.added],
            )
            self._forget(accepted.doc_id, [(name, key) for name, key, _ in accepted.decisions])

    def reject_suggestions(self, doc_id: str, shown: Sequence[Span]) -> Rejected:
        """Remember that the person rejected these suggestions' places (as shown).

        Every recommender's suggestion at those places is rejected with them. Refused
        (StaleEditError, nothing written) when a suggestion was replaced by a new run since
        it was shown, or its place decided (another window).
        """
        with self.write():
            current = self.suggestions(doc_id)
            by_id = {s.id: s for s in current.spans}
            _check_shown(self.path, shown, by_id, self._decided(doc_id, self.annotator))
            places = [by_id[s.id] for s in shown]
            decisions = tuple((name, key) for name, key, _ in _place_rows(places, current.spans))
            self._reject(doc_id, decisions)
        return Rejected(doc_id, decisions)

    def redo_reject(self, rejected: Rejected) -> None:
        """Record an undone rejection again."""
        with self.write():
            self._reject(rejected.doc_id, rejected.decisions)

    def _reject(self, doc_id: str, decisions: Sequence[tuple[str, Key]]) -> None:
        decided = self._decided(doc_id, self.annotator)
        if any(key in decided for _, key in decisions):
            raise _decided_since(self.path)
        try:
            self.db.conn.executemany(
                'INSERT INTO suggestion_decisions (doc_id, annotator, recommender, start, "end",'
                " label, decision, span_id, at) VALUES (?, ?, ?, ?, ?, ?, 'rejected', '', ?)",
                [(doc_id, self.annotator, name, *key, now()) for name, key in decisions],
            )
        except sqlite3.IntegrityError as exc:
            raise _decided_since(self.path) from exc

    def undo_reject(self, rejected: Rejected) -> None:
        """Forget a rejection, so the suggestion is pending again."""
        with self.write():
            self._forget(rejected.doc_id, list(rejected.decisions))

    def _forget(self, doc_id: str, decisions: Sequence[tuple[str, Key]]) -> None:
        self.db.conn.executemany(
            "DELETE FROM suggestion_decisions WHERE doc_id = ? AND annotator = ?"
            ' AND recommender = ? AND start = ? AND "end" = ? AND label = ?',
            [(doc_id, self.annotator, name, *key) for name, key in decisions],
        )


def _check_shown(
    path: Path, shown: Sequence[Span], by_id: Mapping[str, Span], decided: Mapping[Key, str]
) -> None:
    """Refuse suggestions replaced by a new run, or at a place decided, since they were shown."""
    for span in shown:
        if span.id not in by_id or _content(by_id[span.id]) != _content(span):
            raise StaleEditError(
                "the suggestion was replaced by a new run since it was shown; nothing was changed",
                path=path,
            )
    if any(_key(span) in decided for span in shown):
        raise _decided_since(path)


def _place_rows(chosen: Sequence[Span], spans: Sequence[Span]) -> list[tuple[str, Key, str]]:
    """Return (recommender, place, id) of every suggestion at the places of ``chosen``.

    The id is that of the chosen suggestion at its place (the one the layer's span came from).
    """
    picked = {_key(g): g.id for g in chosen}
    rows: dict[tuple[str, Key], str] = {}
    for span in [*chosen, *spans]:
        place = _key(span)
        if place in picked:
            rows.setdefault((recommender_of(span.annotator) or "", place), picked[place])
    return [(name, place, sid) for (name, place), sid in rows.items()]


def _closure(
    ids: Sequence[str],
    links: Sequence[Relation],
    by_id: Mapping[str, Span],
    decided: Mapping[Key, str],
) -> tuple[list[str], list[Span]]:
    """Return the suggestions to accept (those asked, then what they link to) and the skipped.

    A linked suggestion at a place the person rejected is skipped, whoever proposed it.
    """
    chosen: list[str] = []
    skipped: list[Span] = []
    queue = list(ids)
    asked = set(ids)
    while queue:
        sid = queue.pop(0)
        if sid in chosen:
            continue
        ghost = by_id[sid]
        if sid not in asked and decided.get(_key(ghost)) == "rejected":
            skipped.append(ghost)
            continue
        chosen.append(sid)
        queue += [link.tail for link in links if link.head == sid]
    return chosen, skipped


def _decided_since(path: Path) -> StaleEditError:
    return StaleEditError(
        "the suggestion was decided since (another window); nothing was changed", path=path
    )


def _changed(path: Path, what: str) -> StaleEditError:
    return StaleEditError(
        f"{what} changed since it was accepted (another window or program); nothing was changed",
        path=path,
    )
