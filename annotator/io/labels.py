"""The labels of imported files: renamed to the project's (``--label-map``), or added to it.

A corpus names its labels its own way (ANERcorp ``B-PERS``, Wojood's 21 labels); the project's
schema names them once. ``--label-map PERS=PER`` renames a file's label as it is read, and a label
the schema still lacks refuses the import with the file and line where it is, unless
``--new-labels add`` adds it to the schema as an entity label (inside the import's transaction:
a failed or cancelled import adds none).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from annotator.errors import InputError
from annotator.io.jsonl import shown
from annotator.model.document import DocumentRecord
from annotator.store.project import Project

ON_CHANGE = ("update", "refuse", "keep")
NEW_LABELS = ("refuse", "add")


def parse_label_map(
    items: Iterable[str], option: str = "--label-map", example: str = "PERS=PER"
) -> dict[str, str]:
    """Turn ``FROM=TO`` items (``--label-map``, repeatable) into a mapping, checked."""
    found: dict[str, str] = {}
    for item in items:
        source, sep, target = item.partition("=")
        source, target = source.strip(), target.strip()
        if not sep or not source or not target:
            raise InputError(f"{option} {item!r}: write FROM=TO, e.g. {option} {example}")
        if found.get(source, target) != target:
            raise InputError(f"{option} maps {source} twice: to {found[source]} and {target}")
        found[source] = target
    return check_label_map(found)


def parse_annotator_map(items: Iterable[str]) -> dict[str, str]:
    """Turn ``FROM=TO`` items (``--annotator-map``) into a mapping of layer names, checked.

    Label Studio's own export names an annotator by user id (``labelstudio:1``); taken back
    into the project, the layer is renamed to the annotator it was: ``labelstudio:1=mona``.
    """
    return parse_label_map(items, "--annotator-map", "labelstudio:1=mona")


def check_label_map(label_map: Mapping[str, str]) -> dict[str, str]:
    """Refuse a map whose target is also mapped (PER=X with PERS=PER would rename twice)."""
    for source, target in label_map.items():
        if target in label_map and label_map[target] != target:
            raise InputError(
                f"the label map renames {source} to {target} and {target} to"
                f" {label_map[target]}: map {source}={label_map[target]} instead"
            )
    return dict(label_map)


def unknown_label(label: str, written: str, known: Iterable[str]) -> str:
    """Return the message refusing ``label`` (``written`` in the file) that the schema lacks."""
    renamed = f" (the file's {shown(written)})" if label != written else ""
    return (
        f"unknown label {shown(label)}{renamed} (the project's labels: {', '.join(known)});"
        f" rename it with --label-map {_hint(written)}=LABEL or add it with --new-labels add"
        " (in File > Import: Rename labels, Add labels the schema lacks)"
    )


def _hint(written: str) -> str:
    # The label itself when it is short and printable, so the hint can be typed as shown.
    return written if len(written) <= 20 and written.isprintable() else "FROM"


class LabelNames:
    """Renames the labels of imported records and checks (or adds) them against the schema."""

    def __init__(
        self,
        project: Project,
        label_map: Mapping[str, str],
        *,
        add: bool,
        annotator_map: Mapping[str, str] | None = None,
    ) -> None:
        self.project = project
        self.label_map = dict(label_map)
        self.annotator_map = dict(annotator_map or {})
        self.add = add
        self.added: list[str] = []
        self._schema = project.schema

    def apply(self, record: DocumentRecord) -> DocumentRecord:
        """Return ``record`` with labels and layers renamed; add or refuse unknown labels."""
        if self.annotator_map:
            record = self._rename_layers(record)
        spans = record.spans
        if self.label_map and any(s.label in self.label_map for s in spans):
            spans = tuple(replace(s, label=self.label_map.get(s.label, s.label)) for s in spans)
            record = replace(record, spans=spans)
        schema = self.project.schema
        unknown = [s.label for s in spans if not schema.has_label(s.label)]
        if unknown and self.add:
            self.added += self.project.add_labels(unknown)
        elif unknown:
            raise InputError(
                unknown_label(unknown[0], unknown[0], schema.label_ids),
                path=record.source or None,
                line=record.line,
            )
        return record

    def _rename_layers(self, record: DocumentRecord) -> DocumentRecord:
        names = self.annotator_map
        return replace(
            record,
            spans=tuple(replace(s, annotator=names.get(s.annotator, s.annotator))
                        for s in record.spans),
            relations=tuple(replace(r, annotator=names.get(r.annotator, r.annotator))
                            for r in record.relations),
        )  # fmt: skip

    def undo(self) -> None:
        """Forget labels added by an import that was rolled back."""
        self.project.schema = self._schema
        self.added = []
