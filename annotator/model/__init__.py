"""Documents, spans, relations, schema and Arabic text helpers. No Qt, no SQL."""

from annotator.model.document import Document, Relation, Span
from annotator.model.schema import Label, RelationType, Schema, load_default_schema, load_schema

__all__ = [
    "Document",
    "Label",
    "Relation",
    "RelationType",
    "Schema",
    "Span",
    "load_default_schema",
    "load_schema",
]
