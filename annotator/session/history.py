"""One history of edits for undo and redo; the window's Edit menu drives it."""

from __future__ import annotations

from annotator.session.edits import Edit
from annotator.session.events import Event


class History:
    """Done and undone edits, newest last. An edit that can no longer be undone is dropped."""

    def __init__(self) -> None:
        self.done: list[Edit] = []
        self.undone: list[Edit] = []
        self.changed: Event[[]] = Event()

    def record(self, edit: Edit) -> None:
        """Remember an applied edit; a new edit makes the undone ones unreachable."""
        self.done.append(edit)
        self.undone.clear()
        self.changed.emit()

    def next_undo(self) -> Edit | None:
        """Return the edit Undo would revert."""
        return self.done[-1] if self.done else None

    def next_redo(self) -> Edit | None:
        """Return the edit Redo would apply again."""
        return self.undone[-1] if self.undone else None

    def moved_back(self) -> None:
        """The newest done edit was reverted."""
        self.undone.append(self.done.pop())
        self.changed.emit()

    def moved_forward(self) -> None:
        """The newest undone edit was applied again."""
        self.done.append(self.undone.pop())
        self.changed.emit()

    def drop(self, edit: Edit) -> None:
        """Forget ``edit`` (its target changed elsewhere): it cannot be undone or redone now."""
        for stack in (self.done, self.undone):
            if edit in stack:
                stack.remove(edit)
        self.changed.emit()
