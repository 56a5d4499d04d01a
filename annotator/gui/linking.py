"""Link mode: select a quote or claim, then click the spans it links to.

Which link types fit a pair is the schema's rule (Schema.relation_between); the store refuses
what the schema forbids. This module only picks the type, asking when several fit.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from annotator.errors import SchemaError, ValidationError
from annotator.model.document import Span
from annotator.model.schema import RelationType, Schema

Chooser = Callable[[list[RelationType]], RelationType | None]


class LinkMode(QObject):
    """Holds the head span while link mode is on; ``toggled(bool)`` follows the state."""

    toggled = Signal(bool)

    def __init__(self, schema: Schema, chooser: Chooser) -> None:
        super().__init__()
        self.schema = schema
        self.chooser = chooser
        self.head: Span | None = None

    @property
    def active(self) -> bool:
        """Return True while clicks on spans make links."""
        return self.head is not None

    def start(self, head: Span | None) -> None:
        """Start linking from ``head``; raise ValidationError when it cannot start any link."""
        if head is None:
            raise ValidationError("select a quote or claim first, then turn on link mode")
        if not self.schema.relations_from(head.label):
            starts = sorted({label for rel in self.schema.relations for label in rel.head})
            raise SchemaError(f"links start at a {'/'.join(starts)} span, not at {head.label}")
        self.head = head
        self.toggled.emit(True)

    def stop(self) -> None:
        """Leave link mode."""
        if self.head is not None:
            self.head = None
            self.toggled.emit(False)

    def relation_for(self, tail: Span) -> RelationType | None:
        """Return the link type from the head to ``tail``: the only fit, or the user's choice.

        Raises SchemaError with the schema's reasons when no type fits; returns None when the
        user cancels the choice.
        """
        if self.head is None:
            raise ValidationError("link mode is off")
        fits = self.schema.relation_between(self.head.label, tail.label)
        if len(fits) == 1:
            return fits[0]
        if fits:
            return self.chooser(fits)
        reasons = []
        for rel in self.schema.relations_from(self.head.label):
            try:
                self.schema.check_relation(rel.id, self.head.label, tail.label)
            except SchemaError as exc:
                reasons.append(exc.message)
        raise SchemaError("; ".join(reasons) or f"no link from {self.head.label} to {tail.label}")
