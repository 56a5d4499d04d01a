"""Plain events: a list of callbacks, called in order. No Qt, so the session is tested without it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, ParamSpec

P = ParamSpec("P")


class Event(Generic[P]):
    """Something the session announces; widgets ``connect`` a callback and are called on ``emit``."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[P, object]] = []

    def connect(self, callback: Callable[P, object]) -> None:
        """Call ``callback`` on every later ``emit``."""
        self._callbacks.append(callback)

    def disconnect(self, callback: Callable[P, object]) -> None:
        """Stop calling ``callback``."""
        self._callbacks.remove(callback)

    def emit(self, *args: P.args, **kwargs: P.kwargs) -> None:
        """Call every connected callback with these arguments."""
        for callback in list(self._callbacks):
            callback(*args, **kwargs)
