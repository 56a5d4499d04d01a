"""Who says a quote: the rules that pick a speaker among the entity spans near a reporting verb.

Arabic news puts the subject after the verb (قال وزير الخارجية الروسي سيرجي لافروف، اليوم، إن
...), or before it (وكان بيسكوف قد صرح بأن ...). Around the verb, not every entity can be the
one speaking:

- one after a preposition (في جنيف، عن مصدر في الكرملين، بموسكو) says nothing;
- a NORP right after another word is an adjective of it (الوزير الروسي، الرئاسة الروسية);
- after the verb, the subject ends at the first comma after its first entity (قال الوزير X، في
  رد على Y، إن ...: Y is not the speaker);
- a PER is preferred to an ORG, GPE or NORP, then the one closest to the verb; a title given as
  a PER (المتحدث باسم الكرملين) and followed at once by a name gives way to the name.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Sequence

from annotator.model.document import Span
from annotator.model.text import search_key_text
from annotator.suggest.words import Words

SPEAKER_ORDER = ("PER", "ORG", "GPE", "NORP")  # a person first, then an institution
# Search keys of the prepositions after which an entity is a place or an object, not a subject.
# fmt: off
PREPOSITIONS = frozenset([
    "في", "من", "عن", "علي", "الي", "مع", "لدي", "حول", "خلال", "امام", "بين", "عبر", "منذ",
    "بعد", "قبل", "ضد", "نحو", "عند", "باسم",
])
# fmt: on
ATTACHED_PREPOSITIONS = frozenset("بلك")  # بموسكو، لواشنطن، كالكرملين
# Words a NORP subject may follow without being an adjective (وكان الروس قد أكدوا ...).
SUBJECT_OPENERS = frozenset(["كان", "وكان", "فكان", "قد", "وقد"])


class Speakers:
    """The entity spans of one document that can say a quote, and how one is chosen."""

    def __init__(
        self, text: str, words: Words, spans: Sequence[Span], verbs: Collection[int]
    ) -> None:
        self.text = text
        self.words = words
        self.verbs = verbs
        self.rank = {label: n for n, label in enumerate(SPEAKER_ORDER)}
        self.spans = [s for s in spans if self._can_speak(s)]

    def _can_speak(self, span: Span) -> bool:
        """Return False for an entity after a preposition, or a NORP used as an adjective."""
        starts, keys = self.words.starts, self.words.keys
        k = bisect_right(starts, span.start) - 1
        if k < 0:
            return True
        if starts[k] < span.start:  # after a proclitic attached to the name
            attached = search_key_text(self.text[starts[k] : span.start])
            return not ATTACHED_PREPOSITIONS.intersection(attached)
        if k == 0:
            return True
        before = keys[k - 1]
        if before in PREPOSITIONS:
            return False
        adjective = before[:1].isalpha() and k - 1 not in self.verbs
        return not (span.label == "NORP" and adjective and before not in SUBJECT_OPENERS)

    def subject(self, lo: int, hi: int) -> tuple[int, int]:
        """Narrow ``[lo, hi)``, the words after a verb, to its subject (see the docstring)."""
        starts = [s.start for s in self.spans if lo <= s.start and s.end <= hi]
        if not starts:
            return lo, hi
        first = min(starts)
        commas = [at for at in (self.text.find(c, first, hi) for c in "،,") if at != -1]
        return lo, min(commas, default=hi)

    def closest(
        self, lo: int, hi: int, *, after: bool, outside: Sequence[tuple[int, int]]
    ) -> Span | None:
        """Return the best speaker in ``[lo, hi)`` (``after`` the verb, or before it), none
        inside the ranges ``outside`` (quotations and quotes: their names say nothing)."""
        found = [
            s
            for s in self.spans
            if lo <= s.start
            and s.end <= hi
            and not any(a <= s.start and s.end <= b for a, b in outside)
        ]
        if not found:
            return None

        def order(s: Span) -> tuple[int, int, int]:
            distance = s.start - lo if after else hi - s.end
            return (self.rank.get(s.label, len(SPEAKER_ORDER)), distance, s.start - s.end)

        chosen = min(found, key=order)
        while chosen.label == "PER":  # a title, then the name: the name
            name = next((s for s in found if s.label == "PER" and self._next_to(chosen, s)), None)
            if name is None:
                break
            chosen = name
        return chosen

    def _next_to(self, first: Span, then: Span) -> bool:
        gap = self.text[first.end : then.start]
        return then.start > first.end and gap.isspace()
