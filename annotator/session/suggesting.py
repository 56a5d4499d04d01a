"""Suggestions in the window: the ghosts of the open document, the one in focus, accept, reject.

The session shows the pending suggestions made for the user (``Project.suggestions``) over
their own layer. Tab moves the focus from ghost to ghost in reading order; Enter accepts the
focused one with what it links to, Backspace rejects it, and either moves the focus on to the
next ghost. Each is one step of the window's history (``AcceptSuggestions``,
``RejectSuggestions``); accepting every ghost of the document is one step too. A project
opened read-only shows no ghosts.

The document's suggestions (spans, links, decided places) are read when it is opened or read
again, when the shown layer changes, and after a decision or its undo; an ordinary edit only
works out again in memory which ones wait (``pending_ids`` over the user's shown spans), so
annotating costs no read of the store.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from annotator.errors import ValidationError
from annotator.model.document import Relation, Span
from annotator.model.suggestions import recommender_of
from annotator.session.edits import Change, Edit
from annotator.session.events import Event
from annotator.store import Project
from annotator.store.suggestion_decisions import Accepted, Rejected
from annotator.store.suggestions import Key, Suggestions, pending_ids


@dataclass
class Decided(Change):
    """What a decision (or its undo) did: the session reads the suggestions again."""


class AcceptSuggestions(Edit):
    """Copy suggestions (and what they link to) into the user's layer; undo removes them."""

    def __init__(self, doc_id: str, shown: list[Span], description: str) -> None:
        self.doc_id, self.shown, self.description = doc_id, shown, description
        self.accepted: Accepted | None = None

    def apply(self, project: Project) -> Change:
        """Accept the suggestions (the same ids again on redo)."""
        if self.accepted is None:
            self.accepted = project.accept_suggestions(self.doc_id, self.shown)
        else:
            project.redo_accept(self.accepted)
        return Decided(
            self.doc_id,
            added=list(self.accepted.added),
            relations_added=list(self.accepted.relations),
        )

    def revert(self, project: Project) -> Change:
        """Remove what the accept wrote, if it is still as written."""
        assert self.accepted is not None
        project.undo_accept(self.accepted)
        return Decided(
            self.doc_id,
            removed=[s.id for s in self.accepted.added],
            relations_removed=[r.id for r in self.accepted.relations],
        )


class RejectSuggestions(Edit):
    """Remember that the user rejected suggestions; undo forgets it."""

    def __init__(self, doc_id: str, shown: list[Span], description: str) -> None:
        self.doc_id, self.shown, self.description = doc_id, shown, description
        self.rejected: Rejected | None = None

    def apply(self, project: Project) -> Change:
        """Record the rejection."""
        if self.rejected is None:
            self.rejected = project.reject_suggestions(self.doc_id, self.shown)
        else:
            project.redo_reject(self.rejected)
        return Decided(self.doc_id)

    def revert(self, project: Project) -> Change:
        """Forget the rejection: the suggestions are pending again."""
        assert self.rejected is not None
        project.undo_reject(self.rejected)
        return Decided(self.doc_id)


def describe(span: Span, text: str, limit: int = 30) -> str:
    """Return "PER «سيرجي لافروف» from strings" for a ghost (the text cut at ``limit``)."""
    words = text[span.start : span.end]
    if len(words) > limit:
        words = words[: limit - 1] + "…"
    return f"{span.label} «{words}» from {recommender_of(span.annotator)}"


class SuggestionFocus:
    """The open document's suggestions for the user and the ghost in focus; part of the session.

    ``EditingSession`` mixes it in; it reads ``project``, ``document``, ``spans``,
    ``editable()`` and runs edits through ``_run``.
    """

    project: Project
    spans: dict[str, Span]

    def _init_suggestions(self) -> None:
        self.suggested = Suggestions()
        self.focused_suggestion: str | None = None
        self.suggestions_shown = True
        # (link type, suggestion) the newest accept left out: the person had rejected that place
        self.left_out: list[tuple[str, Span]] = []
        self.suggestions_changed: Event[[]] = Event()  # the ghosts to draw changed
        self.suggestion_focus_changed: Event[[str | None]] = Event()

    # provided by EditingSession
    @property
    def text(self) -> str:
        """Return the open document's stored text."""
        raise NotImplementedError

    def editable(self) -> bool:
        """Return True when the shown layer holds the user's own annotations."""
        raise NotImplementedError

    @property
    def doc_id(self) -> str:
        """Return the open document's id."""
        raise NotImplementedError

    def _run(self, edit: Edit) -> None:
        raise NotImplementedError

    def _open_doc_id(self) -> str | None:
        raise NotImplementedError

    # ---- reading -------------------------------------------------------------------------

    def _read_suggestions(self) -> None:
        """Read the open document's suggestions from the store (none: nothing is read)."""
        doc_id = self._open_doc_id()
        if doc_id is None or not self.project.has_suggestions(doc_id):
            self.suggested = Suggestions()
        else:
            self.suggested = self.project.suggestions(doc_id, own=self._own_places())
        if self.focused_suggestion not in self.suggested.pending:
            self._focus(None)
        self.suggestions_changed.emit()

    def _own_places(self) -> set[Key] | None:
        """Return the places of the user's spans as shown, or None when they are not shown."""
        if not self.editable():
            return None
        me = self.project.annotator
        return {(s.start, s.end, s.label) for s in self.spans.values() if s.annotator == me}

    def _suggestions_after(self, change: Change) -> None:
        """Bring the suggestions up to date after an edit, undo or redo of the open document."""
        if isinstance(change, Decided) or not self.editable():
            self._read_suggestions()  # decided places changed, or the user's spans are not shown
            return
        if not self.suggested.spans or not (change.added or change.removed or change.changed):
            return
        own = self._own_places() or set()
        found = self.suggested
        pending = pending_ids(found.spans, found.links, found.decided, own)
        if pending == found.pending:
            return
        self.suggested = replace(found, pending=pending)
        if self.focused_suggestion not in pending:
            self._focus(None)
        self.suggestions_changed.emit()

    def decisions_possible(self) -> bool:
        """Return True when the user may accept and reject here (their layer, a writable file)."""
        return self.editable() and not self.project.read_only

    def ghosts(self) -> list[Span]:
        """Return the suggestions to draw: pending, in reading order (none when hidden)."""
        if not self.suggestions_shown or not self.decisions_possible():
            return []
        pending = self.suggested.pending
        return [s for s in self.suggested.spans if s.id in pending]

    def ghost(self, suggestion_id: str) -> Span | None:
        """Return a shown ghost by id."""
        return next((s for s in self.ghosts() if s.id == suggestion_id), None)

    def ghost_links(self, suggestion_id: str) -> list[tuple[str, Span, bool]]:
        """Return ``(link type, other end, left out)`` of the links a ghost heads.

        Accepting brings the other ends, except those the user rejected before (left out: True).
        """
        by_id = {s.id: s for s in self.suggested.spans}
        rejected = self._rejected_places()
        return [
            (link.type, by_id[link.tail], _place(by_id[link.tail]) in rejected)
            for link in self.suggested.links
            if link.head == suggestion_id and link.tail in by_id
        ]

    def _rejected_places(self) -> set[Key]:
        # A decided place without a span of the user's is one they rejected (an accepted one
        # holds the span accepting made).
        own = self._own_places() or set()
        return {place for place in self.suggested.decided if place not in own}

    def set_suggestions_shown(self, shown: bool) -> None:
        """Show or hide the ghosts (View > Suggestions)."""
        self.suggestions_shown = shown
        if not shown:
            self._focus(None)
        self.suggestions_changed.emit()

    # ---- focus ---------------------------------------------------------------------------

    def _focus(self, suggestion_id: str | None) -> None:
        if suggestion_id != self.focused_suggestion:
            self.focused_suggestion = suggestion_id
            self.suggestion_focus_changed.emit(suggestion_id)

    def focus_suggestion(self, suggestion_id: str | None) -> Span | None:
        """Put a ghost in focus (a click on it); None takes the focus away."""
        span = None if suggestion_id is None else self.ghost(suggestion_id)
        self._focus(None if span is None else span.id)
        return span

    def next_suggestion(self, forward: bool = True, after: int | None = None) -> Span | None:
        """Focus the next ghost in reading order (``forward`` False: the previous), wrapping.

        It starts from the focused ghost, else from ``after`` (a position in the text).
        Returns the ghost now in focus, or None when the document has none.
        """
        ghosts = self.ghosts()
        if not ghosts:
            self._focus(None)
            return None
        order = ghosts if forward else ghosts[::-1]
        current = self.ghost(self.focused_suggestion) if self.focused_suggestion else None
        if current is not None:
            index = next(i for i, s in enumerate(order) if s.id == current.id)
            chosen = order[(index + 1) % len(order)]
        elif after is None:
            chosen = order[0]
        elif forward:
            chosen = next((s for s in order if s.start >= after), order[0])
        else:
            chosen = next((s for s in order if s.start < after), order[0])
        self._focus(chosen.id)
        return chosen

    # ---- decisions -----------------------------------------------------------------------

    def _check_decisions_possible(self) -> None:
        if self.project.read_only:
            raise ValidationError(
                "the project is open read-only: suggestions can be neither accepted nor rejected"
            )
        if not self.editable():
            raise ValidationError(
                "suggestions are for your own layer: choose it under View > Annotations shown"
            )

    def _focused_ghost(self) -> Span:
        self._check_decisions_possible()
        span = self.ghost(self.focused_suggestion) if self.focused_suggestion else None
        if span is None:
            raise ValidationError("no suggestion is chosen: press Tab to go to the next one")
        return span

    def accept_suggestion(self) -> Span:
        """Accept the focused ghost with what it links to; the focus moves to the next ghost.

        ``left_out`` then says which linked suggestions it left out (the user rejected them).
        """
        span = self._focused_ghost()
        edit = AcceptSuggestions(self.doc_id, [span], f"accept {describe(span, self.text)}")
        self._decide(edit)
        self._note_left_out(edit)
        return span

    def reject_suggestion(self) -> Span:
        """Reject the focused ghost (not proposed again); the focus moves to the next ghost."""
        span = self._focused_ghost()
        self._decide(RejectSuggestions(self.doc_id, [span], f"reject {describe(span, self.text)}"))
        return span

    def _decide(self, edit: AcceptSuggestions | RejectSuggestions) -> None:
        self.left_out = []
        order = self.ghosts()
        index = next(i for i, s in enumerate(order) if s.id == edit.shown[0].id)
        self._run(edit)
        # Stay in reading order: the next ghost after the decided one, else the first.
        left = {s.id for s in self.ghosts()}
        after = [s for s in order[index + 1 :] + order[:index] if s.id in left]
        self._focus(after[0].id if after else None)

    def _note_left_out(self, edit: AcceptSuggestions) -> None:
        skipped = edit.accepted.skipped if edit.accepted is not None else ()
        once = {s.id: s for s in skipped}  # linked from two accepted quotes: said once
        self.left_out = [(_link_to(self.suggested.links, s), s) for s in once.values()]

    def accept_all_suggestions(self) -> int:
        """Accept every ghost of the open document as one undo step; return how many."""
        self._check_decisions_possible()
        ghosts = self.ghosts()
        if not ghosts:
            raise ValidationError("this document has no suggestions to accept")
        what = f"accept all {len(ghosts)} suggestion(s) of this document"
        edit = AcceptSuggestions(self.doc_id, ghosts, what)
        self.left_out = []
        self._run(edit)
        self._note_left_out(edit)
        self._focus(None)
        return len(ghosts)


def _place(span: Span) -> Key:
    return (span.start, span.end, span.label)


def _link_to(links: list[Relation], span: Span) -> str:
    """Return the type of a link that ends at ``span`` (how an accept would have brought it)."""
    return next((link.type for link in links if link.tail == span.id), "")
