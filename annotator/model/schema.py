"""The label schema: labels, attributes and which relation may join which labels.

A schema is a TOML file (``resources/schemas/arabic_news.toml`` by default) copied into every
project so a project file is self-contained.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.errors import InputError, SchemaError
from annotator.model.schema_check import check_schema
from annotator.model.shortcuts import canonical, reserved_by
from annotator.model.text import first_line_break
from annotator.paths import DEFAULT_SCHEMA

# Kinds whose spans may run over paragraphs when the label does not say: a quote or a claim in
# Arabic news often does; a name or a reporting verb never does, so a break in one is a slip.
MULTILINE_KINDS = frozenset({"quote", "claim"})


@dataclass(frozen=True, slots=True)
class Attribute:
    """A closed-choice attribute of a label, e.g. QUOTE ``type``: direct / indirect / mixed."""

    name: str
    values: tuple[str, ...]
    default: str | None = None


@dataclass(frozen=True, slots=True)
class Label:
    """A span label with its display names, colour, shortcut and attributes."""

    id: str
    name_en: str
    name_ar: str
    color: str
    shortcut: str
    kind: str = "entity"
    attributes: tuple[Attribute, ...] = ()
    multiline: bool = False  # whether a span may contain a line (paragraph) break

    def attribute(self, name: str) -> Attribute | None:
        """Return the attribute called ``name``, or None."""
        return next((a for a in self.attributes if a.name == name), None)


@dataclass(frozen=True, slots=True)
class RelationType:
    """A relation type and the labels allowed at its head and tail."""

    id: str
    name_en: str
    name_ar: str
    head: frozenset[str]
    tail: frozenset[str]
    color: str = "#555555"


@dataclass(frozen=True)
class Schema:
    """Labels and relation types of a project; enforces what may be annotated and linked."""

    name: str
    labels: tuple[Label, ...]
    relations: tuple[RelationType, ...]
    source: str = field(default="", repr=False)
    # Keys a stored schema gave its labels that a newer window took for itself: dropped on
    # open (the label is chosen in the palette), each said as "PER: Backspace (Suggestions >
    # Reject suggestion)".
    keys_dropped: tuple[str, ...] = field(default=(), compare=False)
    # label id -> may its spans cross a line break; checked for every span an import stores
    _multiline: dict[str, bool] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ids = [label.id for label in self.labels]
        if len(set(ids)) != len(ids):
            raise SchemaError(f"schema {self.name!r} defines a label twice")
        object.__setattr__(self, "_multiline", {lb.id: lb.multiline for lb in self.labels})
        known = set(ids)
        for rel in self.relations:
            unknown = (rel.head | rel.tail) - known
            if unknown:
                raise SchemaError(f"relation {rel.id} names unknown labels: {sorted(unknown)}")

    @property
    def version(self) -> str:
        """Return ``sha256:`` and 16 hex digits of the schema's TOML text: same text, same version.

        Schema files carry no version number; exports stamp this one, so a record can be matched
        with the schema (as the project holds it) its labels and attributes come from.
        """
        return "sha256:" + hashlib.sha256(self.source.encode("utf-8")).hexdigest()[:16]

    @property
    def label_ids(self) -> list[str]:
        """Return the label ids in schema order."""
        return [label.id for label in self.labels]

    def label(self, label_id: str) -> Label:
        """Return the label ``label_id`` or raise SchemaError."""
        for label in self.labels:
            if label.id == label_id:
                return label
        raise SchemaError(f"unknown label {label_id!r}; the schema has {', '.join(self.label_ids)}")

    def relation(self, type_id: str) -> RelationType:
        """Return the relation type ``type_id`` or raise SchemaError."""
        for rel in self.relations:
            if rel.id == type_id:
                return rel
        names = ", ".join(r.id for r in self.relations)
        raise SchemaError(f"unknown relation type {type_id!r}; the schema has {names}")

    def has_label(self, label_id: str) -> bool:
        """Return True when ``label_id`` is defined."""
        return any(label.id == label_id for label in self.labels)

    def check_span(self, label_id: str, attrs: Mapping[str, Any] | None) -> dict[str, str]:
        """Validate a span's label and attributes; return them as a new dict.

        An attribute left out stays out: a file that does not say whether a quote is direct
        has not said it is, and no default is written for it (see :meth:`defaults`).
        """
        label = self.label(label_id)
        attrs = dict(attrs or {})
        for name, value in attrs.items():
            attribute = label.attribute(name)
            if attribute is None:
                raise SchemaError(f"label {label_id} has no attribute {name!r}")
            if value not in attribute.values:
                allowed = " / ".join(attribute.values)
                raise SchemaError(f"{label_id} {name} must be one of {allowed}, got {value!r}")
        return attrs

    def defaults(self, label_id: str) -> dict[str, str]:
        """Return the schema's default attribute values of ``label_id``.

        The window gives them to a span a person draws, where they see and can change them;
        an import never does.
        """
        return {a.name: a.default for a in self.label(label_id).attributes if a.default is not None}

    def check_span_text(self, label_id: str, text: str, start: int, end: int) -> None:
        """Raise SchemaError when ``text[start:end]`` crosses a line break ``label_id`` forbids."""
        multiline = self._multiline.get(label_id)
        if multiline is None:
            self.label(label_id)  # raises, naming the labels there are
        if multiline:
            return
        at = first_line_break(text, start, end)
        if at is not None:
            raise SchemaError(
                f"a {label_id} span may not cross a paragraph or line break (there is one at"
                f" offset {at}, inside [{start}, {end})); select within one paragraph"
            )

    def check_relation(self, type_id: str, head_label: str, tail_label: str) -> RelationType:
        """Raise SchemaError unless a ``type_id`` link may go from ``head_label`` to ``tail_label``."""
        rel = self.relation(type_id)
        if head_label not in rel.head:
            allowed = "/".join(sorted(rel.head))
            raise SchemaError(f"a {type_id} link starts at a {allowed} span, not at {head_label}")
        if tail_label not in rel.tail:
            allowed = "/".join(sorted(rel.tail))
            raise SchemaError(
                f"a {type_id} link from {head_label} goes to {allowed}, not to {tail_label}"
            )
        return rel

    def relations_from(self, head_label: str) -> list[RelationType]:
        """Return the relation types that may start at a span labeled ``head_label``."""
        return [rel for rel in self.relations if head_label in rel.head]

    def relation_between(self, head_label: str, tail_label: str) -> list[RelationType]:
        """Return the relation types allowed from ``head_label`` to ``tail_label``."""
        return [r for r in self.relations if head_label in r.head and tail_label in r.tail]


def _label_from(raw: Mapping[str, Any]) -> Label:
    # ``raw`` passed check_schema: every key is known and every value has its type.
    attributes = tuple(
        Attribute(name, tuple(spec["values"]), spec.get("default"))
        for name, spec in raw.get("attributes", {}).items()
    )
    kind = raw.get("kind", "entity")
    # Schemas written before the key existed (and copied into older projects) get the default.
    multiline = raw.get("multiline", kind in MULTILINE_KINDS)
    return Label(
        id=raw["id"],
        name_en=raw.get("name_en", raw["id"]),
        name_ar=raw.get("name_ar", raw.get("name_en", raw["id"])),
        color=raw.get("color", "#cccccc"),
        shortcut=raw.get("shortcut", ""),
        kind=kind,
        attributes=attributes,
        multiline=multiline,
    )


def _expand(names: list[str], labels: tuple[Label, ...]) -> frozenset[str]:
    # "@entity" stands for every label of kind entity, so a schema can say "any entity mention".
    out: set[str] = set()
    for name in names:
        if name.startswith("@"):
            out.update(label.id for label in labels if label.kind == name[1:])
        else:
            out.add(name)
    return frozenset(out)


# Colours given to labels an import adds (--new-labels add): distinct, light enough for black
# text over them, and none of them the default schema's.
NEW_LABEL_COLORS = ("#ffd966", "#a4c2f4", "#b6d7a8", "#ea9999", "#d5a6bd", "#9fc5e8", "#f9cb9c")


def with_new_labels(schema: Schema, ids: list[str]) -> str:
    """Return ``schema``'s TOML with an entity label appended for each of ``ids``.

    The new labels have no shortcut (the person picks one in the schema later) and their id
    as their names; relations whose ends say ``@entity`` take them in. Parsing the result
    checks every id.
    """
    used = len(schema.labels)
    blocks = [
        "\n[[labels]]\n"
        f'id = "{ident}"\nname_en = "{ident}"\nname_ar = "{ident}"\n'
        f'color = "{NEW_LABEL_COLORS[(used + k) % len(NEW_LABEL_COLORS)]}"\n'
        'kind = "entity"\nmultiline = false\n'
        for k, ident in enumerate(ids)
        if ident.isascii() and ident.isprintable() and '"' not in ident and "\\" not in ident
    ]
    if len(blocks) != len(ids):
        bad = next(i for i in ids if not (i.isascii() and i.isprintable()) or '"' in i or "\\" in i)
        raise SchemaError(
            f"{bad!r} cannot be a label id: a letter, then up to 39 letters, digits, _ . or -"
            " (ASCII, no spaces); map it with --label-map"
        )
    return schema.source.rstrip("\n") + "\n" + "".join(blocks)


def parse_schema(source: str, origin: str = "<schema>", *, stored: bool = False) -> Schema:
    """Parse schema TOML text; raise InputError naming ``origin`` and the key when it is invalid.

    Every key is checked first (:mod:`annotator.model.schema_check`): an unknown key, a wrong
    type, a bad id, colour or shortcut, or a default outside its values refuses the whole file.
    ``stored`` reads a schema a project already holds: a label key that this version of the
    window keeps for itself (a key added to the window since the project was made) is dropped
    and listed in ``Schema.keys_dropped`` rather than refusing the project.
    """
    try:
        raw = tomllib.loads(source)
        dropped = _drop_window_keys(raw) if stored else ()
        check_schema(raw)
        labels = tuple(_label_from(item) for item in raw["labels"])
        relations = tuple(
            RelationType(
                id=item["id"],
                name_en=item.get("name_en", item["id"]),
                name_ar=item.get("name_ar", item.get("name_en", item["id"])),
                head=_expand(item["head"], labels),
                tail=_expand(item["tail"], labels),
                color=item.get("color", "#555555"),
            )
            for item in raw.get("relations", [])
        )
        return Schema(raw.get("name", "custom"), labels, relations, source, dropped)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not a valid schema file: {exc}", path=origin) from exc
    except (KeyError, TypeError) as exc:
        raise InputError(f"schema is missing a required field: {exc}", path=origin) from exc
    except SchemaError as exc:
        raise InputError(exc.message, path=origin) from exc


def load_schema(path: str | Path) -> Schema:
    """Load a schema TOML file."""
    try:
        source = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read schema: {exc}", path=path) from exc
    return parse_schema(source, str(path))


def load_default_schema() -> Schema:
    """Return the default Arabic news schema (``resources/schemas/arabic_news.toml``)."""
    return load_schema(DEFAULT_SCHEMA)


def _drop_window_keys(raw: dict[str, Any]) -> tuple[str, ...]:
    """Remove the label keys the window now uses itself; return what was dropped, said."""
    dropped = []
    labels = raw.get("labels")
    for label in labels if isinstance(labels, list) else []:
        written = label.get("shortcut") if isinstance(label, dict) else None
        if not isinstance(written, str) or not written:
            continue
        try:
            user = reserved_by(canonical(written))
        except ValueError:
            continue  # not a key at all: check_schema says so
        if user is not None:
            del label["shortcut"]
            dropped.append(f"{label.get('id', '?')}: {written} ({user})")
    return tuple(dropped)
