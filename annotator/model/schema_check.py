"""What a schema file may say: every key known, every value of the right type and form.

:func:`annotator.model.schema.parse_schema` runs :func:`check_schema` on the TOML before it
builds anything, so a bad schema is refused whole, with the key it is about named the way the
file reads (``labels[3].shortcut: "P" is already the shortcut of PER``; tables counted from 0),
by ``annotator init --schema`` before a project file exists and when a project is opened.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from annotator.errors import SchemaError
from annotator.model.shortcuts import canonical, reserved_by

LABEL_KINDS = ("entity", "quote", "cue", "claim")
# Label, relation and attribute ids end up in BIO tags, spaCy labels and column headers: one
# ASCII word, so no space, markup or control character can ride along.
ID_FORM = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,39}")
COLOR_FORM = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
TEXT_LIMIT = 200  # characters of a display name or an attribute value

TOP_KEYS = ("name", "labels", "relations")
LABEL_KEYS = ("id", "name_en", "name_ar", "color", "shortcut", "kind", "multiline", "attributes")
ATTRIBUTE_KEYS = ("values", "default")
RELATION_KEYS = ("id", "name_en", "name_ar", "head", "tail", "color")
# Bidi embeddings, overrides and isolates, and line or paragraph separators: a one-line name
# holding one would reorder or break what is shown after it.
_FORMATTING = frozenset([*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029, 0xFEFF])


def _fail(where: str, message: str) -> SchemaError:
    return SchemaError(f"{where}: {message}")


def quoted(value: object) -> str:
    """Return a value as a message shows it: strings in double quotes, controls escaped."""
    if isinstance(value, str):
        shown = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in value)
        return f'"{shown}"'
    return repr(value)


def _kind_of(value: object) -> str:
    kinds: tuple[tuple[type | tuple[type, ...], str], ...] = (
        (bool, "true/false"),
        (str, "a string"),
        ((int, float), "a number"),
        (list, "a list"),
        (dict, "a table"),
    )
    return next((name for types, name in kinds if isinstance(value, types)), "a date")


def _typed(value: object, expected: type, what: str, where: str) -> Any:
    # bool is an int in Python, and an int is never a bool in TOML: compare types exactly.
    if type(value) is not expected:
        raise _fail(where, f"must be {what}, got {_kind_of(value)} ({quoted(value)})")
    return value


def _part(key: str) -> str:
    """Return a TOML key as a part of a key path: quoted unless it is a plain word."""
    return key if ID_FORM.fullmatch(key) else quoted(key)


def _keys(table: Mapping[str, Any], allowed: tuple[str, ...], where: str, what: str) -> None:
    for key in table:
        if key not in allowed:
            known = ", ".join(allowed)
            path = f"{where}.{_part(key)}" if where else _part(key)
            raise _fail(path, f"unknown key; {what} has {known}")


def _text(value: object, where: str) -> str:
    """A display name or attribute value: one line of plain text."""
    text = _typed(value, str, "a string", where)
    if not text.strip():
        raise _fail(where, "is empty")
    if len(text) > TEXT_LIMIT:
        raise _fail(where, f"is longer than {TEXT_LIMIT} characters")
    for ch in text:
        if unicodedata.category(ch) == "Cc" or ord(ch) in _FORMATTING:
            raise _fail(
                where,
                f"holds U+{ord(ch):04X}, a control or bidi formatting character;"
                " names are one line of plain text",
            )
    return text


def _an_id(value: object, where: str, seen: dict[str, str]) -> str:
    ident = _typed(value, str, "a string", where)
    if not ID_FORM.fullmatch(ident):
        raise _fail(
            where,
            f"{quoted(ident)} is not an id: a letter, then up to 39 letters, digits, _ . or -"
            " (ASCII, no spaces)",
        )
    if ident in seen:
        raise _fail(where, f"{quoted(ident)} is already the id of {seen[ident]}")
    return ident


def _color(table: Mapping[str, Any], where: str) -> None:
    if "color" in table:
        color = _typed(table["color"], str, "a string", f"{where}.color")
        if not COLOR_FORM.fullmatch(color):
            raise _fail(f"{where}.color", f"{quoted(color)} is not a colour: write #rgb or #rrggbb")


def _tables(value: object, where: str) -> list[Mapping[str, Any]]:
    items = _typed(value, list, "a list of tables ([[" + where + "]])", where)
    for i, item in enumerate(items):
        _typed(item, dict, "a table", f"{where}[{i}]")
    return items


def check_schema(raw: Mapping[str, Any]) -> None:
    """Raise SchemaError naming the first key of a parsed schema TOML that is not allowed."""
    _keys(raw, TOP_KEYS, "", "a schema")
    if "name" in raw:
        _text(raw["name"], "name")
    if "labels" not in raw:
        raise _fail("labels", "missing; a schema needs at least one [[labels]] table")
    labels = _tables(raw["labels"], "labels")
    if not labels:
        raise _fail("labels", "is empty; a schema needs at least one label")
    ids: dict[str, str] = {}
    keys: dict[str, str] = {}
    for i, label in enumerate(labels):
        _check_label(label, f"labels[{i}]", ids, keys)
    kinds = {str(label.get("kind", "entity")) for label in labels}
    relation_ids: dict[str, str] = {}
    for i, relation in enumerate(_tables(raw.get("relations", []), "relations")):
        _check_relation(relation, f"relations[{i}]", set(ids), kinds, relation_ids)


def _check_label(
    label: Mapping[str, Any], where: str, ids: dict[str, str], keys: dict[str, str]
) -> None:
    _keys(label, LABEL_KEYS, where, "a label")
    if "id" not in label:
        raise _fail(f"{where}.id", "missing; every label needs an id")
    ident = _an_id(label["id"], f"{where}.id", ids)
    ids[ident] = where
    for key in ("name_en", "name_ar"):
        if key in label:
            _text(label[key], f"{where}.{key}")
    _color(label, where)
    kind = _typed(label.get("kind", "entity"), str, "a string", f"{where}.kind")
    if kind not in LABEL_KINDS:
        raise _fail(f"{where}.kind", f"{quoted(kind)} is not one of {', '.join(LABEL_KINDS)}")
    if "multiline" in label:
        _typed(label["multiline"], bool, "true or false", f"{where}.multiline")
    _check_shortcut(label.get("shortcut", ""), ident, f"{where}.shortcut", keys)
    attributes = _typed(label.get("attributes", {}), dict, "a table", f"{where}.attributes")
    names: dict[str, str] = {}
    for name, spec in attributes.items():
        _check_attribute(name, spec, f"{where}.attributes.{_part(name)}", names)


def _check_shortcut(value: object, label_id: str, where: str, keys: dict[str, str]) -> None:
    written = _typed(value, str, "a string", where)
    if not written:
        return  # no key: the label is chosen in the palette
    try:
        key = canonical(written)
    except ValueError as exc:
        raise _fail(where, f"{quoted(written)} is not a shortcut: {exc}") from None
    user = reserved_by(key)
    if user is not None:
        raise _fail(where, f"{quoted(written)} is a key of the window ({user})")
    if key in keys:
        raise _fail(where, f"{quoted(written)} is already the shortcut of {keys[key]}")
    keys[key] = label_id


def _check_attribute(name: str, spec: object, where: str, names: dict[str, str]) -> None:
    _an_id(name, where, names)
    names[name] = where
    table = _typed(spec, dict, "a table with values (and a default)", where)
    _keys(table, ATTRIBUTE_KEYS, where, "an attribute")
    if "values" not in table:
        raise _fail(f"{where}.values", "missing; an attribute needs its list of values")
    values = _typed(table["values"], list, "a list of strings", f"{where}.values")
    if not values:
        raise _fail(f"{where}.values", "is empty")
    for i, value in enumerate(values):
        _text(value, f"{where}.values[{i}]")
        if value in values[:i]:
            raise _fail(f"{where}.values[{i}]", f"{quoted(value)} is listed twice")
    if "default" in table:
        default = _text(table["default"], f"{where}.default")
        if default not in values:
            allowed = " / ".join(values)
            raise _fail(f"{where}.default", f"{quoted(default)} is not one of {allowed}")


def _check_relation(
    relation: Mapping[str, Any],
    where: str,
    label_ids: set[str],
    kinds: set[str],
    seen: dict[str, str],
) -> None:
    _keys(relation, RELATION_KEYS, where, "a relation")
    if "id" not in relation:
        raise _fail(f"{where}.id", "missing; every relation needs an id")
    seen[_an_id(relation["id"], f"{where}.id", seen)] = where
    for key in ("name_en", "name_ar"):
        if key in relation:
            _text(relation[key], f"{where}.{key}")
    _color(relation, where)
    for end in ("head", "tail"):
        if end not in relation:
            raise _fail(f"{where}.{end}", "missing; a relation names the labels at each end")
        names = _typed(relation[end], list, "a list of label ids", f"{where}.{end}")
        if not names:
            raise _fail(f"{where}.{end}", "is empty")
        for i, name in enumerate(names):
            _typed(name, str, "a string", f"{where}.{end}[{i}]")
        unknown = [n for n in names if not n.startswith("@") and n not in label_ids]
        if unknown:
            raise _fail(
                f"{where}.{end}", f"names unknown labels: {', '.join(map(quoted, unknown))}"
            )
        for name in (n for n in names if n.startswith("@")):
            if name[1:] not in LABEL_KINDS:
                kinds_text = ", ".join(f"@{k}" for k in LABEL_KINDS)
                raise _fail(f"{where}.{end}", f"{quoted(name)} is not a kind: {kinds_text}")
            if name[1:] not in kinds:
                raise _fail(f"{where}.{end}", f"{quoted(name)} names no label of this schema")
