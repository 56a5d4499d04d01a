"""The strings recommender: a name annotated once is proposed wherever else it is written.

``prepare`` gathers every entity and reporting-verb span of a person's layer and of gold, keyed
as Find compares words (alef forms, ى/ي, ة/ه, tashkeel and tatweel ignored), and keeps for each
the label chosen most often (a tie goes to the label seen first in project order). ``propose``
walks a document's tokens once and looks each up by its first word, so its cost follows the
document's length, not the project's: the longest known name wins, matches do not overlap, and
a name written with attached proclitics (ولافروف, وواشنطن) is proposed without them. A word
that merely starts with such a letter (وزير) is split only when the rest is a known name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from annotator.errors import Cancelled, ValidationError
from annotator.model.document import GOLD_ANNOTATOR, Document, Span
from annotator.model.schema import Schema
from annotator.model.suggestions import SUGGEST_PREFIX, Proposal, Proposals
from annotator.model.text import first_line_break
from annotator.model.tokens import PROCLITICS
from annotator.store import Project
from annotator.suggest.base import Cancelled as CancelledCheck
from annotator.suggest.base import Progress
from annotator.suggest.words import (
    Words,
    offset_after_key,
    phrase_key,
    proclitic_readings,
    words_of,
)

LEARNED_KINDS = frozenset({"entity", "cue"})
PROCLITIC_LETTERS = frozenset(p[0] for p in PROCLITICS)


@dataclass(slots=True)
class Tally:
    """How often one name was annotated with each label, in the order the labels were seen."""

    counts: dict[str, int] = field(default_factory=dict)
    gold: dict[str, int] = field(default_factory=dict)

    def add(self, label: str, *, gold: bool) -> None:
        """Count one more annotation of the name with ``label`` (of gold when ``gold``)."""
        self.counts[label] = self.counts.get(label, 0) + 1
        if gold:
            self.gold[label] = self.gold.get(label, 0) + 1


@dataclass(frozen=True, slots=True)
class Known:
    """A learned name: its word keys, the label it gets, and why (the note and score)."""

    words: tuple[str, ...]
    label: str
    note: str
    score: float


def choose(tally: Tally) -> tuple[str, str, float]:
    """Return the majority label of a tally, the note that explains it and its share."""
    best = max(tally.counts.values())
    label = next(lb for lb, n in tally.counts.items() if n == best)  # first seen wins a tie
    total = sum(tally.counts.values())

    def times(lb: str) -> str:
        n, gold = tally.counts[lb], tally.gold.get(lb, 0)
        return f"{lb} {n} time{'s' if n != 1 else ''}" + (f" (gold {gold})" if gold else "")

    note = "annotated as " + times(label)
    others = [lb for lb in tally.counts if lb != label]
    if others:
        note += ", as " + ", as ".join(times(lb) for lb in others)
    tied = [lb for lb in others if tally.counts[lb] == best]
    if tied:
        note += f"; a tie: {label} was seen first"
    return label, note, best / total


class StringsRecommender:
    """Proposes the label a name was given elsewhere at its other whole-word occurrences."""

    name = "strings"

    def __init__(self, train_ids: Sequence[str] | None = None) -> None:
        self.train_ids = None if train_ids is None else list(train_ids)  # None: every document
        self.schema: Schema | None = None
        # First word key -> the names starting with it.
        self.by_first: dict[str, list[Known]] = {}

    def prepare(
        self,
        project: Project,
        source: str,
        *,
        progress: Progress | None = None,
        cancelled: CancelledCheck | None = None,
    ) -> None:
        """Learn every entity and cue name of ``source``'s layer and of gold, with its label."""
        schema = self.schema = project.schema
        kinds = {label.id: label.kind for label in schema.labels}
        layers = sorted({source, GOLD_ANNOTATOR})
        tallies: dict[tuple[str, ...], Tally] = {}
        with project.snapshot():
            ids = self.train_ids
            total = project.document_count() if ids is None else len(ids)
            for done, document in enumerate(project.documents(ids), 1):
                if cancelled is not None and cancelled():
                    raise Cancelled("the strings recommender was cancelled while learning")
                for span in project.spans(document.id, layers):
                    if kinds.get(span.label) not in LEARNED_KINDS:
                        continue
                    words = phrase_key(span.text_in(document.text))
                    if words:
                        tally = tallies.setdefault(words, Tally())
                        tally.add(span.label, gold=span.annotator == GOLD_ANNOTATOR)
                if progress is not None:
                    progress(done, total)
        if not tallies:
            raise _nothing_to_learn(source, self.train_ids is not None)
        self.learn(tallies)

    def learn(self, tallies: dict[tuple[str, ...], Tally]) -> None:
        """Index the tallied names by their first word."""
        by_first: dict[str, list[Known]] = {}
        for words, tally in tallies.items():
            label, note, score = choose(tally)
            by_first.setdefault(words[0], []).append(Known(words, label, note, score))
        self.by_first = by_first

    def propose(self, document: Document, known: Sequence[Span]) -> Proposals:
        """Propose each learned name at its whole-word occurrences not annotated already."""
        text = document.text
        words = words_of(text)
        blocked = _Blocked(known, self.schema)
        found = Proposals()
        k, n = 0, len(words.keys)
        while k < n:
            taken = self._take(text, words, k, blocked)
            if taken is None:
                k += 1
                continue
            last, proposal = taken
            if proposal is not None:
                found.spans.append(replace(proposal, key=f"n{len(found.spans)}"))
            k = last + 1
        return found

    def _take(
        self, text: str, words: Words, k: int, blocked: _Blocked
    ) -> tuple[int, Proposal | None] | None:
        """Return the last token and the proposal of the longest name at token ``k``.

        The proposal is None where that name is annotated already (the tokens are passed
        over); None alone means no name may be proposed at ``k``.
        """
        for known, skip in self._candidates(words, k):
            last = k + len(known.words) - 1
            start = words.starts[k] + skip
            end = words.end(last)
            if not blocked.fits(text, start, end, known.label):
                continue
            if blocked.same(start, end, known.label):
                return last, None
            if blocked.overlaps(start, end, known.label):
                continue
            return last, Proposal(start, end, known.label, score=known.score, note=known.note)
        return None

    def _candidates(self, words: Words, k: int) -> list[tuple[Known, int]]:
        """Return the names that match at token ``k`` (longest first) and the letters skipped.

        The whole token is read first; a reading without an attached proclitic comes after,
        so وزير stays وزير unless زير alone is a known name and وزير is not.
        """
        key = words.keys[k]
        readings: list[tuple[list[Known], int]] = []
        names = self.by_first.get(key)
        if names:
            readings.append((names, 0))
        if key[:1] in PROCLITIC_LETTERS:
            for proclitic in proclitic_readings(key):
                names = self.by_first.get(key[len(proclitic) :])
                if names:
                    readings.append((names, offset_after_key(words.texts[k], len(proclitic))))
        if not readings:
            return []
        keys = words.keys
        found: list[tuple[Known, int]] = []
        for names, skip in readings:
            for known in names:
                size = len(known.words)
                if size == 1 or tuple(keys[k + 1 : k + size]) == known.words[1:]:
                    found.append((known, skip))
        found.sort(key=lambda pair: len(pair[0].words), reverse=True)  # stable: whole first
        return found


def _nothing_to_learn(source: str, chosen: bool) -> ValidationError:
    """Return the error for a layer (and gold) without a name to learn, saying what to do."""
    where = "the chosen documents" if chosen else "the project"
    gold = source == GOLD_ANNOTATOR
    who = f"{source!r} has no" if gold else f"neither {source!r} nor gold has an"
    elsewhere = "another layer" if gold else "another layer or gold"
    return ValidationError(
        f"nothing to learn: {who} entity or reporting-verb (CUE) annotation in {where};"
        f" annotate a few names in the layer {source!r} first, or learn from {elsewhere} (--from)"
    )


class _Blocked:
    """Where a name may not be proposed: across a line break its label forbids, at a place
    already holding it, over the person's own span of the same kind (entity, cue)."""

    def __init__(self, known: Sequence[Span], schema: Schema | None) -> None:
        labels = () if schema is None else schema.labels
        kinds = {label.id: label.kind for label in labels}
        self.multiline = {label.id: label.multiline for label in labels}
        self.kinds = kinds
        self.exact = {(s.start, s.end, s.label) for s in known}
        self.own = [
            (s.start, s.end, kinds.get(s.label))
            for s in known
            if not s.annotator.startswith(SUGGEST_PREFIX)
        ]

    def fits(self, text: str, start: int, end: int, label: str) -> bool:
        """Return False for a label the schema lacks, or a line break the label forbids."""
        multiline = self.multiline.get(label)
        if multiline is None:
            return False
        return multiline or first_line_break(text, start, end) is None

    def same(self, start: int, end: int, label: str) -> bool:
        return (start, end, label) in self.exact

    def overlaps(self, start: int, end: int, label: str) -> bool:
        kind = self.kinds.get(label)
        return any(a < end and start < b and k == kind for a, b, k in self.own)
