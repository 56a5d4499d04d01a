"""Span lookup by position for the article view: what overlaps the visible part, cheaply.

Spans sit in a list sorted by start with a parallel list of starts, so "what overlaps
``[a, b)``" is a bisect plus a short scan. Spans longer than ``LONG`` code points (a long quote
or claim) are kept aside and checked one by one: there are few of them, and keeping them out
of the sorted list bounds the scan window for everything else. Building is O(n) on spans that
arrive sorted (the store returns them by start); adding or removing one is a bisect and a
list insert, no rebuild.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from operator import attrgetter

from annotator.errors import NotFoundError
from annotator.model.document import Span

LONG = 400


def _order(span: Span) -> tuple[int, int, str]:
    return (span.start, -span.end, span.id)


_START = attrgetter("start")


class SpanIndex:
    """The spans of one document, found by offset or range in O(log n + hits)."""

    def __init__(self, spans: Iterable[Span] = ()) -> None:
        self._by_id: dict[str, Span] = {span.id: span for span in spans}
        # attrgetter keys and one pass keep building 5,000 spans at about a millisecond.
        ordered = sorted(self._by_id.values(), key=_START)
        self._short: list[Span] = []
        self._long: list[Span] = []
        keep_short, keep_long = self._short.append, self._long.append
        for span in ordered:
            if span.end - span.start > LONG:
                keep_long(span)
            else:
                keep_short(span)
        self._starts = [span.start for span in self._short]

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, span_id: object) -> bool:
        return span_id in self._by_id

    def __iter__(self) -> Iterator[Span]:
        return iter(self._by_id.values())

    def get(self, span_id: str) -> Span:
        """Return the span with this id or raise NotFoundError."""
        try:
            return self._by_id[span_id]
        except KeyError:
            raise NotFoundError(f"the view shows no span {span_id!r}") from None

    def add(self, span: Span) -> None:
        """Add a span (replacing one with the same id)."""
        if span.id in self._by_id:
            self.remove(span.id)
        self._by_id[span.id] = span
        if span.end - span.start > LONG:
            self._long.append(span)
            return
        index = bisect_right(self._starts, span.start)
        self._starts.insert(index, span.start)
        self._short.insert(index, span)

    def remove(self, span_id: str) -> Span:
        """Remove and return the span with this id."""
        span = self.get(span_id)
        del self._by_id[span_id]
        if span.end - span.start > LONG:
            self._long = [s for s in self._long if s.id != span_id]
            return span
        index = bisect_left(self._starts, span.start)
        while self._short[index].id != span_id:
            index += 1
        del self._starts[index]
        del self._short[index]
        return span

    def overlapping(self, start: int, end: int) -> list[Span]:
        """Return the spans sharing a character with ``[start, end)``, ordered by start."""
        low = bisect_left(self._starts, start - LONG)
        high = bisect_left(self._starts, end)
        found = [s for s in self._short[low:high] if s.end > start]
        if self._long:
            found.extend(s for s in self._long if s.start < end and s.end > start)
            found.sort(key=_order)
        return found

    def at(self, offset: int) -> list[Span]:
        """Return the spans covering the character at ``offset``, innermost (shortest) first."""
        covering = self.overlapping(offset, offset + 1)
        return sorted(covering, key=lambda s: (s.end - s.start, s.start, s.id))


class HitIndex:
    """Find hits ``(start, end, whole_word)`` sorted by start, looked up by range."""

    def __init__(self, hits: Iterable[tuple[int, int, bool]] = ()) -> None:
        self.hits = sorted((int(a), int(b), bool(w)) for a, b, w in hits)
        self._starts = [h[0] for h in self.hits]
        self._longest = max((b - a for a, b, _ in self.hits), default=0)

    def overlapping(self, start: int, end: int) -> list[tuple[int, int, int, bool]]:
        """Return ``(index, start, end, whole_word)`` of the hits touching ``[start, end)``."""
        low = bisect_left(self._starts, start - self._longest)
        high = bisect_right(self._starts, end)
        return [(i, *self.hits[i]) for i in range(low, high) if self.hits[i][1] > start]


def stack_slots(spans: list[Span]) -> dict[str, int]:
    """Give each span the lowest slot no overlapping span before it uses: nested spans stack."""
    slots: dict[str, int] = {}
    active: list[tuple[int, int]] = []  # (end, slot) of spans still open at the sweep point
    for span in sorted(spans, key=_order):
        active = [(end, slot) for end, slot in active if end > span.start]
        taken = {slot for _, slot in active}
        slot = 0
        while slot in taken:
            slot += 1
        slots[span.id] = slot
        active.append((span.end, slot))
    return slots
