"""Whose annotations the window shows: one annotator's layer, or every annotator's."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Layer:
    """One annotator's layer (``annotator`` set) or all of them (``annotator`` None)."""

    annotator: str | None

    @classmethod
    def of(cls, annotator: str) -> Layer:
        """Return the layer of one annotator."""
        return cls(annotator)

    @classmethod
    def everyone(cls) -> Layer:
        """Return the layer that shows every annotator's annotations (others' read-only)."""
        return cls(None)

    @property
    def is_everyone(self) -> bool:
        """Return True for the all-annotators layer."""
        return self.annotator is None

    def shows(self, annotator: str) -> bool:
        """Return True when annotations by ``annotator`` are in this layer."""
        return self.annotator is None or self.annotator == annotator

    def annotators(self) -> list[str] | None:
        """Return the annotator names to read from the store (None: all)."""
        return None if self.annotator is None else [self.annotator]
