"""The quotes recommender: reported speech in Arabic news, found by rules, nothing learned.

A reporting verb from the shipped lexicon (``resources/lexicons/reporting_verbs.txt``: قال،
أضاف، أكد ... with their feminine, plural, imperfect and participle forms; an attached و or ف
stays outside the CUE) introduces a quote in one of three ways:

- a quotation in «», “” or "" after it in the same sentence, right after it or after a colon
  (قال لافروف: «...»): the QUOTE is the content without the marks, type direct;
- a clause after إن / أن / بأن (أنه, إنها ... with their pronoun, which the quote keeps) a few
  words after it: the QUOTE runs to the end of the sentence, or to a comma followed by the next
  reporting verb (..., مضيفا أن ...), type indirect, mixed when it holds a quotation, direct
  (the quotation's content) when it is one;
- a quotation just before it («...»، قال لافروف).

The speaker is taken from the entity spans already there (the person's or another
recommender's), by the rules of :mod:`annotator.suggest.speakers`: the subject after the verb
(a PER first, titles giving way to the name), else the speaker of the verb before it in the same
sentence (..., مشيرا إلى أن ...), else the subject written before the verb (وكان بيسكوف قد صرح
بأن ...); a verb with no subject written between it and its quote (وأضاف: «...», وشدد على
أن ...) keeps the speaker of the quote before. A speaker found so is proposed again, same
edges and label, so the SPEAKER link stays within the suggestion layer. No verb, no quote: a
quotation nobody is said to have said (a title, a term in quotation marks) is left alone.
"""

from __future__ import annotations

import functools
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from annotator.errors import Cancelled, SchemaError, ValidationError
from annotator.model.document import Document, Span
from annotator.model.schema import Schema, load_default_schema
from annotator.model.suggestions import SUGGEST_PREFIX, Proposal, Proposals, ProposedLink
from annotator.model.text import search_key_text
from annotator.paths import RESOURCES
from annotator.store import Project
from annotator.suggest.base import Cancelled as CancelledCheck
from annotator.suggest.base import Progress
from annotator.suggest.speakers import Speakers
from annotator.suggest.words import Words, offset_after_key, words_of

REPORTING_VERBS = RESOURCES / "lexicons" / "reporting_verbs.txt"
NEEDED_LABELS = ("QUOTE", "CUE")  # what it proposes; SPEAKER and CUE links only where allowed
# Quotation marks: opening -> closing. A straight quote opens and closes by turns.
MARKS = {"«": "»", "“": "”", '"': '"'}
_ANY_MARK = frozenset(MARKS) | frozenset(MARKS.values())
# إن / أن, alone or with ب (بأن), bare or with an attached pronoun (أنه: "that he").
_PRONOUNS = ("ه", "ها", "هم", "هما", "هن", "نا", "ني", "ك", "كم")
BARE_THAT = frozenset({"ان", "بان"})
THAT_WITH_PRONOUN = frozenset(f"{p}ان{s}" for p in ("", "ب") for s in _PRONOUNS)
VERB_PREFIXES = ("و", "ف")  # a conjunction written attached to the verb, outside the CUE
# Punctuation a quote or clause does not end with, and that may sit between quote and verb.
PUNCTUATION = frozenset(".،,؛;:!?؟…-–—")
LINKING_WORDS = frozenset({"حسبما", "كما"})  # «...»، حسبما قال ... / كما أضاف ...
VERB_PARTICLES = frozenset({"الي", "علي"})  # the keys of إلى and على: أشار إلى أن، شدد على أن
# A quotation right after a preposition names something (a paper, a programme): لـ«هسبريس»،
# مع «الشرق الأوسط»، في «...»; keys as words_of gives them (tatweel dropped).
NAME_BEFORE = frozenset(
    {"ل", "ب", "مع", "في", "عن", "من", "الي", "علي", "عبر", "حسب", "بحسب", "لدي"}
)
DIRECT_GAP = 8  # words between a verb and a quotation opening without a colon before it
THAT_GAP = 15  # words between a verb and the إن / أن of its clause
SCAN = 60  # how far after a verb its quote is looked for
_CUE_NOTE = "a reporting verb of the lexicon, introducing a quote"


def load_lexicon(path: Path) -> frozenset[str]:
    """Return the search keys of the forms listed in a lexicon file (``#`` starts a comment)."""
    forms = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        form = line.split("#", 1)[0].strip()
        if form:
            forms.add(search_key_text(form))
    return frozenset(forms)


@functools.cache
def reporting_verbs() -> frozenset[str]:
    """Return the shipped lexicon of reporting verbs, as search keys."""
    return load_lexicon(REPORTING_VERBS)


@dataclass(frozen=True, slots=True)
class Quotation:
    """Text between quotation marks: the tokens of the marks and the content's offsets."""

    first: int  # token index of the opening mark
    last: int  # token index of the closing mark
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Found:
    """One attribution: the verb's token and CUE edges, the quote's edges and how it was found."""

    cue: int
    cue_start: int
    quote_start: int
    quote_end: int
    kind: str  # direct / indirect / mixed
    speaker_zone: tuple[int, int]  # offsets where the speaker is looked for after the verb
    quotations: tuple[Quotation, ...]  # quotations the quote takes up
    how: str


@dataclass(slots=True)
class _Text:
    """A document read for quotes: words, quotations, reporting verbs and sentences."""

    text: str
    words: Words
    lexicon: frozenset[str]
    quotations: list[Quotation] = field(default_factory=list)
    opening: dict[int, Quotation] = field(default_factory=dict)
    closing: dict[int, Quotation] = field(default_factory=dict)
    verbs: dict[int, int] = field(default_factory=dict)  # token -> CUE start offset
    sentence: list[int] = field(default_factory=list)  # token -> sentence number

    def __post_init__(self) -> None:
        self.quotations = _quotations(self.text, self.words)
        self.opening = {q.first: q for q in self.quotations}
        self.closing = {q.last: q for q in self.quotations}
        quoted = [False] * len(self.words.keys)
        for q in self.quotations:
            quoted[q.first : q.last + 1] = [True] * (q.last + 1 - q.first)
        for k, key in enumerate(self.words.keys):
            start = None if quoted[k] else self._verb_start(k, key)
            if start is not None:
                self.verbs[k] = start
        # A sentence end inside a quotation does not end the sentence that quotes it.
        inside = {k for q in self.quotations for k in range(q.first, q.last)}
        breaks = [b for b in self.words.breaks if b not in inside]
        self.sentence = [bisect_left(breaks, k) for k in range(len(self.words.keys))]

    def _verb_start(self, k: int, key: str) -> int | None:
        if key in self.lexicon:
            return self.words.starts[k]
        for prefix in VERB_PREFIXES:
            if key.startswith(prefix) and key[len(prefix) :] in self.lexicon:
                return self.words.starts[k] + offset_after_key(self.words.texts[k], len(prefix))
        return None

    def sentence_edges(self, k: int) -> tuple[int, int]:
        """Return the first and last token of token ``k``'s sentence."""
        sid, sentence, n = self.sentence[k], self.sentence, len(self.sentence)
        first = last = k
        while first > 0 and sentence[first - 1] == sid:
            first -= 1
        while last + 1 < n and sentence[last + 1] == sid:
            last += 1
        return first, last


def _quotations(text: str, words: Words) -> list[Quotation]:
    """Pair quotation marks within each paragraph; a quotation inside another is part of it.

    A mark is one where a token starts (one glued inside another character's cluster is not);
    the content is the tokens between the two marks, so its edges are cluster boundaries.
    """
    at = {start: k for k, start in enumerate(words.starts)}
    found: list[Quotation] = []
    opened: list[tuple[str, int]] = []  # (closing mark awaited, token of the opening)
    for offset, ch in enumerate(text):
        if ch == "\n":
            opened.clear()  # a mark left open at a paragraph's end closes nothing after it
            continue
        k = at.get(offset) if ch in _ANY_MARK else None
        if k is None:
            continue
        if opened and ch == opened[-1][0]:
            _close, first = opened.pop()
            if not opened and k - first > 1:  # not empty: tokens between the marks
                found.append(Quotation(first, k, words.starts[first + 1], words.end(k - 1)))
        elif ch in MARKS:
            opened.append((MARKS[ch], k))
    return found


class QuotesRecommender:
    """Proposes quotes, their reporting verbs and speakers by the rules of news attribution."""

    name = "quotes"
    learns = False  # rules: nothing is learned, an evaluation scores every annotated document
    # An evaluation gives it the layer's entities as known (it finds speakers, not entities).
    builds_on = frozenset({"entity"})

    def __init__(self, lexicon: frozenset[str] | None = None) -> None:
        self.schema: Schema | None = None
        self.lexicon = lexicon

    def prepare(
        self,
        project: Project,
        source: str,
        *,
        progress: Progress | None = None,
        cancelled: CancelledCheck | None = None,
    ) -> None:
        """Read the project's schema (which links it allows); nothing is learned.

        Raises ValidationError when the schema lacks a label quotes proposes (QUOTE, CUE).
        """
        if cancelled is not None and cancelled():
            raise Cancelled("the quotes recommender was cancelled")
        missing = [label for label in NEEDED_LABELS if not project.schema.has_label(label)]
        if missing:
            raise ValidationError(
                f"the project's schema has no {' or '.join(missing)} label, so the quotes"
                " recommender cannot propose anything: it proposes a QUOTE span with the CUE"
                " (reporting verb) that introduces it, and needs both labels"
            )
        self.schema = project.schema
        if progress is not None:
            progress(1, 1)

    def propose(self, document: Document, known: Sequence[Span]) -> Proposals:
        """Propose each quote with its CUE, and its SPEAKER where one is known."""
        schema = self.schema = self.schema or load_default_schema()
        if not all(schema.has_label(label) for label in NEEDED_LABELS):
            return Proposals()  # prepare() says why
        doc = _Text(document.text, words_of(document.text), self.lexicon or reporting_verbs())
        return _Attribution(doc, schema, known).run()


class _Attribution:
    """Walks a document's reporting verbs in order and builds the proposals."""

    def __init__(self, doc: _Text, schema: Schema, known: Sequence[Span]) -> None:
        self.doc = doc
        self.schema = schema
        allowed = _speaker_labels(schema)
        candidates = [s for s in known if s.label in allowed]
        self.speakers = Speakers(doc.text, doc.words, candidates, doc.verbs)
        self.own_quotes = {
            (s.start, s.end)
            for s in known
            if s.label == "QUOTE" and not s.annotator.startswith(SUGGEST_PREFIX)
        }
        self.quoted: list[tuple[int, int]] = [(q.start, q.end) for q in doc.quotations]
        self.used: set[Quotation] = set()
        self.taken: list[tuple[int, int]] = []  # quotes proposed, as offsets
        self.out = Proposals()
        self.entity_keys: dict[tuple[int, int, str], str] = {}
        self.by_sentence: dict[int, Span | None] = {}
        self.last_speaker: Span | None = None

    def run(self) -> Proposals:
        for k in sorted(self.doc.verbs):
            start = self.doc.words.starts[k]
            if any(a <= start < b for a, b in self.taken):
                continue  # a verb inside a quote reports speech within speech
            found = self._after(k) or self._before(k)
            if found is not None:
                self._emit(found, self._speaker(found))
        return self.out

    # ---- where the quote is --------------------------------------------------------------

    def _after(self, k: int) -> Found | None:
        """Return the quote a verb introduces after it in its sentence, if any."""
        doc, keys = self.doc, self.doc.words.keys
        sid, n = doc.sentence[k], len(keys)
        j = k + 1
        while j < min(n, k + SCAN):
            if doc.sentence[j] != sid or j in doc.verbs:
                return None
            quotation = doc.opening.get(j)
            if quotation is not None and keys[j - 1] in NAME_BEFORE:
                j = quotation.last + 1  # لـ«هسبريس», مع «الشرق الأوسط»: a name, not the quote
                continue
            if quotation is not None:
                if quotation in self.used or (j - k > DIRECT_GAP and keys[j - 1] != ":"):
                    return None
                zone = (self._end(k), doc.words.starts[j])
                return self._direct(k, quotation, zone, "after")
            if keys[j] in BARE_THAT or keys[j] in THAT_WITH_PRONOUN:
                if j - k <= THAT_GAP:
                    return self._clause(k, j)
            elif keys[j] == ":" and j + 1 < n and j + 1 not in doc.opening:
                return self._after_colon(k, j)
            j += 1
        return None

    def _before(self, k: int) -> Found | None:
        """Return the quotation right before a verb (punctuation or حسبما between), if free."""
        doc, keys = self.doc, self.doc.words.keys
        for j in range(k - 1, max(-1, k - 5), -1):
            quotation = doc.closing.get(j)
            if quotation is not None:
                if quotation in self.used:
                    return None
                _first, last = doc.sentence_edges(k)
                zone = (self._end(k), doc.words.end(last))
                return self._direct(k, quotation, zone, "before")
            if keys[j] not in PUNCTUATION and keys[j] not in LINKING_WORDS:
                return None
        return None

    def _direct(self, k: int, q: Quotation, zone: tuple[int, int], where: str) -> Found:
        verb = self._verb_text(k)
        how = f"a quotation {'after' if where == 'after' else 'before'} «{verb}»"
        return Found(k, self.doc.verbs[k], q.start, q.end, "direct", zone, (q,), how)

    def _clause(self, k: int, that: int) -> Found | None:
        """Return the clause after إن / أن (token ``that``) up to the sentence end."""
        words = self.doc.words
        first = that if words.keys[that] in THAT_WITH_PRONOUN else that + 1
        last = self._clause_last(first)
        if last is None:
            return None
        whole = self.doc.opening.get(first)
        if whole is not None and whole.last == last and whole not in self.used:
            # أن "...": the clause is a quotation, reported word for word
            zone = (self._end(k), words.starts[that])
            return self._direct(k, whole, zone, "after")
        start, end = words.starts[first], words.end(last)
        inner = tuple(q for q in self.doc.quotations if start <= q.start and q.end <= end)
        kind = "mixed" if inner else "indirect"
        how = f"the clause after «{words.texts[that]}» following «{self._verb_text(k)}»"
        zone = (self._end(k), words.starts[that])
        return Found(k, self.doc.verbs[k], start, end, kind, zone, inner, how)

    def _after_colon(self, k: int, colon: int) -> Found | None:
        """Return the words after ``verb ...:`` to the sentence end, a quote without marks."""
        words = self.doc.words
        first = colon + 1
        while first < len(words.keys) and words.keys[first] in MARKS:
            first += 1  # a mark whose quotation closes in a later paragraph, or never
        last = self._clause_last(first)
        if last is None:
            return None
        start, end = words.starts[first], words.end(last)
        zone = (self._end(k), words.starts[colon])
        how = f"the words after «{self._verb_text(k)} ...:»"
        return Found(k, self.doc.verbs[k], start, end, "direct", zone, (), how)

    def _clause_last(self, first: int) -> int | None:
        """Return the last token of a clause from ``first``: the sentence's end, or before a
        comma that a reporting verb follows; closing punctuation left out."""
        doc, keys = self.doc, self.doc.words.keys
        n = len(keys)
        if first >= n:
            return None
        sid, last, j = doc.sentence[first], first - 1, first
        while j < n and doc.sentence[j] == sid:
            if keys[j] in ("،", ",") and j + 1 < n and j + 1 in doc.verbs:
                break
            last, j = j, j + 1
        while last >= first and keys[last] in PUNCTUATION:
            last -= 1
        return last if last >= first else None

    # ---- who said it ---------------------------------------------------------------------

    def _speaker(self, found: Found) -> Span | None:
        """Return the known entity that said the quote, by the rules in the module docstring."""
        sid = self.doc.sentence[found.cue]
        outside = self.quoted + self.taken
        first, _last = self.doc.sentence_edges(found.cue)
        subject = self.speakers.subject(*found.speaker_zone)
        speaker = self.speakers.closest(*subject, after=True, outside=outside)
        if speaker is None and sid in self.by_sentence:
            return self.by_sentence[sid]  # the verb before in the sentence said who, or not
        if speaker is None:
            sentence_start = self.doc.words.starts[first]
            speaker = self.speakers.closest(
                sentence_start, found.cue_start, after=False, outside=outside
            )
        if speaker is None and self._nothing_between(*found.speaker_zone):
            speaker = self.last_speaker
        self.by_sentence[sid] = speaker
        self.last_speaker = speaker
        return speaker

    def _nothing_between(self, lo: int, hi: int) -> bool:
        """Return True when no subject is written between a verb and its quote (وأضاف: «...»,
        وشدد على أن ...): only punctuation and the verb's own preposition."""
        words = [
            w for w in search_key_text(self.doc.text[lo:hi]).split() if w not in VERB_PARTICLES
        ]
        return all(ch in PUNCTUATION for ch in "".join(words))

    # ---- proposals -----------------------------------------------------------------------

    def _emit(self, found: Found, speaker: Span | None) -> None:
        self.taken.append((found.quote_start, found.quote_end))
        self.used.update(found.quotations)
        if (found.quote_start, found.quote_end) in self.own_quotes:
            return  # the person has this quote already
        n = len(self.out.spans)
        quote_key, cue_key = f"q{n}", f"c{n}"
        attrs = {"type": found.kind} if self._has_type(found.kind) else {}
        verb = self._verb_text(found.cue)
        self.out.spans.append(
            Proposal(found.quote_start, found.quote_end, "QUOTE", attrs, quote_key, note=found.how)
        )
        self.out.spans.append(
            Proposal(
                found.cue_start, self._end(found.cue), "CUE", {}, cue_key, note="a reporting verb"
            )
        )
        self._link("CUE", quote_key, cue_key, "CUE")
        if speaker is not None:
            entity_key = self._entity(speaker, verb)
            self._link("SPEAKER", quote_key, entity_key, speaker.label)

    def _entity(self, speaker: Span, verb: str) -> str:
        """Return the key of the speaker's copy among the proposals, proposing it once."""
        edges = (speaker.start, speaker.end, speaker.label)
        key = self.entity_keys.get(edges)
        if key is None:
            key = self.entity_keys[edges] = f"e{len(self.entity_keys)}"
            note = f"the speaker of a quote introduced by «{verb}»"
            self.out.spans.append(Proposal(*edges, {}, key, note=note))
        return key

    def _link(self, type_id: str, head: str, tail: str, tail_label: str) -> None:
        try:
            self.schema.check_relation(type_id, "QUOTE", tail_label)
        except SchemaError:
            return  # this project's schema has no such link
        self.out.links.append(ProposedLink(type_id, head, tail))

    def _has_type(self, kind: str) -> bool:
        attribute = self.schema.label("QUOTE").attribute("type")
        return attribute is not None and kind in attribute.values

    def _end(self, k: int) -> int:
        return self.doc.words.end(k)

    def _verb_text(self, k: int) -> str:
        return self.doc.text[self.doc.verbs[k] : self._end(k)]


def _speaker_labels(schema: Schema) -> frozenset[str]:
    """Return the labels a SPEAKER link may go to from a QUOTE in ``schema``."""
    try:
        relation = schema.relation("SPEAKER")
    except SchemaError:
        return frozenset()
    return relation.tail if "QUOTE" in relation.head else frozenset()
