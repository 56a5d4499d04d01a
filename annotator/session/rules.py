"""Rules for what a label change may do, in the user's words. No Qt."""

from __future__ import annotations

from collections.abc import Mapping

from annotator.errors import SchemaError, ValidationError
from annotator.model.document import Relation, Span
from annotator.model.schema import Schema

KIND_NAMES = {"entity": "an entity", "quote": "a quote", "cue": "a cue", "claim": "a claim"}


def relabel_attributes(
    schema: Schema,
    span: Span,
    label_id: str,
    relations: list[Relation],
    labels: Mapping[str, str],
) -> dict[str, str]:
    """Return the attributes ``span`` keeps as ``label_id``; refuse a change of kind or a loss.

    A label key changes a label within its kind (PER to ORG). Changing the kind (an entity to a
    quote), or dropping an attribute value or a link the new label cannot have, is refused with
    what to do instead.
    """
    old, new = schema.label(span.label), schema.label(label_id)
    if old.kind != new.kind:
        raise ValidationError(
            f"{old.id} is {KIND_NAMES.get(old.kind, old.kind)} and {new.id} is"
            f" {KIND_NAMES.get(new.kind, new.kind)}: a label changes only within its kind."
            f" To mark this text as {new.id}, drag over it and press {new.shortcut or new.id}"
            f" (or delete the {old.id} annotation first)"
        )
    attrs = dict(span.attrs)
    for name, value in span.attrs.items():
        attribute = new.attribute(name)
        if attribute is None or value not in attribute.values:
            raise ValidationError(
                f"{new.id} has no {name} {value!r}: relabelling would drop it."
                f" Change or clear the attribute in the inspector first"
            )
    attrs = schema.check_span(new.id, attrs)
    for rel in relations:
        # Only the relabelled span's label changes; the other end keeps its own.
        head = new.id if rel.head == span.id else labels.get(rel.head, "")
        tail = new.id if rel.tail == span.id else labels.get(rel.tail, "")
        try:
            schema.check_relation(rel.type, head, tail)
        except SchemaError as exc:
            raise ValidationError(
                f"relabelling as {new.id} would break its {rel.type} link ({exc.message})."
                " Delete the link in the inspector first"
            ) from exc
    return attrs


def why_no_link(schema: Schema, head: Span, tail: Span) -> str:
    """Say why no link type fits from ``head`` to ``tail``, in the schema's own words."""
    reasons = []
    for rel in schema.relations_from(head.label):
        try:
            schema.check_relation(rel.id, head.label, tail.label)
        except SchemaError as exc:
            reasons.append(exc.message)
    return "; ".join(reasons) or f"no link from {head.label} to {tail.label}"
