"""Undo and Redo typed in a text box go to the window's history, not to the box's own text."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence


class UndoGoesToTheWindow(QObject):
    """An event filter for a query box: Ctrl+Z / Ctrl+Shift+Z reach Edit > Undo / Redo.

    A person who has just annotated from the find box or the search dock and presses Ctrl+Z
    means the annotation, not the last letters typed in the box.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Leave the Undo and Redo keys to the window's shortcuts."""
        undo_keys = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and any(event.matches(key) for key in undo_keys)
        ):
            event.ignore()
            return True
        return super().eventFilter(watched, event)
