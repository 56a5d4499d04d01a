"""A schema file is refused whole, with the key named, unless every key is known and well formed.

Each case starts from a valid schema and spoils one thing, the way a user editing a copy of the
default schema would.
"""

from __future__ import annotations

import pytest

from annotator.errors import InputError, SchemaError
from annotator.model.schema import load_default_schema, parse_schema
from annotator.model.schema_check import quoted
from annotator.model.shortcuts import WINDOW_KEYS, canonical, reserved_by

GOOD = """\
name = "test"

[[labels]]
id = "PER"
name_en = "Person <b>&amp;</b>"
name_ar = "شخص"
color = "#f6b26b"
shortcut = "P"

[[labels]]
id = "QUOTE"
kind = "quote"
color = "#c00"
shortcut = "Q"
multiline = true

[labels.attributes.type]
values = ["direct", "indirect", "mixed"]
default = "direct"

[[relations]]
id = "SPEAKER"
head = ["QUOTE"]
tail = ["@entity"]
color = "#cc0000"
"""


def third_label(*lines: str) -> str:
    """The good schema with a third label made of ``lines`` (an id is added when none is)."""
    body = list(lines) if any(line.startswith("id") for line in lines) else ['id = "X"', *lines]
    return GOOD.replace("[[relations]]", "[[labels]]\n" + "\n".join(body) + "\n\n[[relations]]")


def refusal(source: str) -> str:
    """Return the one line a bad schema is refused with (``my.toml`` names the file)."""
    with pytest.raises(InputError) as caught:
        parse_schema(source, "my.toml")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("my.toml: ")
    return message.removeprefix("my.toml: ")


def test_the_good_schema_and_the_default_one_pass():
    schema = parse_schema(GOOD, "my.toml")
    assert schema.label_ids == ["PER", "QUOTE"]
    assert schema.label("PER").name_en == "Person <b>&amp;</b>"  # names may hold any text
    assert schema.relation("SPEAKER").tail == frozenset({"PER"})
    assert [label.shortcut for label in load_default_schema().labels][:2] == ["P", "O"]


# ---- ids ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad_id",
    [
        "PER 2",  # a space
        "",  # empty
        " PER",
        "PER\\u202E",  # a bidi override
        "PER\\u2066",  # an isolate, never closed
        "PER\\u001B[2J",  # an escape sequence
        "PER\\t",
        '<img src=\\"file:///etc/passwd\\">',  # markup
        "B&amp;",
        "@entity",
        "2PER",
        "P" * 41,
    ],
)
def test_a_label_id_that_is_not_one_plain_word_is_refused(bad_id):
    message = refusal(third_label(f'id = "{bad_id}"'))
    assert message.startswith("labels[2].id: ")
    assert "is not an id: a letter, then up to 39 letters, digits, _ . or -" in message


def test_a_duplicate_label_id_names_the_first_one():
    assert refusal(third_label('id = "QUOTE"')) == (
        'labels[2].id: "QUOTE" is already the id of labels[1]'
    )


def test_relation_and_attribute_ids_follow_the_same_rule():
    bad_relation = GOOD.replace('id = "SPEAKER"', 'id = "SPEAKER OF"')
    assert refusal(bad_relation).startswith('relations[0].id: "SPEAKER OF" is not an id')
    twice = GOOD + '\n[[relations]]\nid = "SPEAKER"\nhead = ["QUOTE"]\ntail = ["PER"]\n'
    assert refusal(twice) == 'relations[1].id: "SPEAKER" is already the id of relations[0]'
    bad_attribute = GOOD.replace("[labels.attributes.type]", '[labels.attributes."<b>t</b>"]')
    assert refusal(bad_attribute).startswith(
        'labels[1].attributes."<b>t</b>": "<b>t</b>" is not an id'
    )


# ---- shortcuts ---------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["P", "p", " P"])
def test_two_labels_on_one_key_are_refused(key):
    assert refusal(third_label(f'shortcut = "{key}"')) == (
        f'labels[2].shortcut: "{key}" is already the shortcut of PER'
    )


@pytest.mark.parametrize(
    ("key", "user"),
    [
        ("Ctrl+Z", "Edit > Undo"),
        ("ctrl+z", "Edit > Undo"),
        ("Ctrl+Shift+Z", "Edit > Redo"),
        ("Shift+Ctrl+Z", "Edit > Redo"),
        ("Ctrl+F", "Edit > Find"),
        ("Delete", "Edit > Delete annotation"),
        ("Del", "Edit > Delete annotation"),
        ("K", "Edit > Link mode"),
        ("k", "Edit > Link mode"),
        ("Esc", "Esc (stop linking, close the find bar)"),
        ("Escape", "Esc (stop linking, close the find bar)"),
        ("Ctrl+1", "Document > not_started"),
        ("Ctrl+3", "Document > done"),
        ("Alt+Left", "Edit > Move end edge"),
        ("Alt+Shift+Right", "Edit > Move start edge"),
        ("Ctrl++", "View > Zoom in"),
        ("Ctrl+=", "View > Zoom in"),
        ("F1", "Help > Keys and mouse"),
        ("F8", "Review > Next"),
        ("Ctrl+C", "the article's Copy"),
        ("Left", "the article view, to move and select"),
        ("Shift+End", "the article view, to move and select"),
        ("Return", "Suggestions > Accept suggestion"),
        ("Backspace", "Suggestions > Reject suggestion"),
    ],
)
def test_a_label_on_a_key_of_the_window_is_refused(key, user):
    assert refusal(third_label(f'shortcut = "{key}"')) == (
        f'labels[2].shortcut: "{key}" is a key of the window ({user})'
    )


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("Ctrl+Foo", "'Foo' is not a key"),
        ("Hyper+P", "'Hyper' is not a modifier"),
        ("Ctrl+", "'' is not a key"),
        ("Ctrl+Ctrl+P", "'Ctrl' is not a modifier"),
        ("P Q", "'P Q' is not a key"),
        ("\\u001B", "the key is not a printable character"),
    ],
)
def test_a_shortcut_qt_could_not_read_is_refused(key, why):
    message = refusal(third_label(f'shortcut = "{key}"'))
    assert message.startswith("labels[2].shortcut: ")
    assert f"is not a shortcut: {why}" in message


@pytest.mark.parametrize(
    ("written", "form"),
    [
        ("x", "X"),
        ("shift+ctrl+x", "Ctrl+Shift+X"),
        ("Control+Alt+Meta+1", "Meta+Ctrl+Alt+1"),
        ("ctrl++", "Ctrl++"),
        ("+", "+"),
        ("f12", "F12"),
        ("ب", "ب"),
        ("pagedown", "PgDown"),
    ],
)
def test_shortcuts_are_compared_in_qts_written_form(written, form):
    assert canonical(written) == form


def test_keys_a_label_may_have_pass():
    schema = parse_schema(
        third_label('shortcut = "Ctrl+Shift+1"')
        + '\n[[labels]]\nid = "Y"\nshortcut = "F5"\n[[labels]]\nid = "Z"\nshortcut = "ب"\n'
        + '[[labels]]\nid = "W"\n[[labels]]\nid = "V"\nshortcut = ""\n',  # no key, twice
        "my.toml",
    )
    assert [label.shortcut for label in schema.labels][2:] == ["Ctrl+Shift+1", "F5", "ب", "", ""]
    assert all(reserved_by(canonical(key)) for key in WINDOW_KEYS)


# ---- colours, kinds, names ---------------------------------------------------------------------


@pytest.mark.parametrize("color", ["red", "#12345", "#ggg", "f6b26b", "#f6b26b ", "#f6b26b80"])
def test_a_colour_that_is_not_rgb_or_rrggbb_is_refused(color):
    assert refusal(third_label(f'color = "{color}"')) == (
        f'labels[2].color: "{color}" is not a colour: write #rgb or #rrggbb'
    )
    relation = GOOD.replace('color = "#cc0000"', f'color = "{color}"')
    assert refusal(relation).startswith("relations[0].color: ")


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ('name_en = "Per\\u202Eson"', "name_en"),
        ('name_ar = "شخص\\n"', "name_ar"),
        ('name_en = "a\\u001B]0;title\\u0007"', "name_en"),
        ('name_en = "  "', "name_en"),
    ],
)
def test_a_name_with_control_or_bidi_characters_or_none_is_refused(line, key):
    message = refusal(third_label(line))
    assert message.startswith(f"labels[2].{key}: ")
    assert "control or bidi formatting character" in message or "is empty" in message


def test_an_unknown_kind_is_refused():
    assert refusal(third_label('kind = "person"')) == (
        'labels[2].kind: "person" is not one of entity, quote, cue, claim'
    )


# ---- unknown keys ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "path"),
    [
        ("version = 2\n" + GOOD, "version"),
        (third_label('colour = "#fff"'), "labels[2].colour"),
        (third_label('Shortcut = "X"'), "labels[2].Shortcut"),
        (GOOD.replace('default = "direct"', 'defualt = "direct"'), "labels[1].attributes.type.defualt"),
        (GOOD.replace('head = ["QUOTE"]', 'heads = ["QUOTE"]\nhead = ["QUOTE"]'), "relations[0].heads"),
        (third_label('"\\u001B[2J" = 1'), 'labels[2]."\\x1b[2J"'),
    ],
)  # fmt: skip
def test_an_unknown_key_is_refused_with_its_place(source, path):
    message = refusal(source)
    assert message.startswith(f"{path}: unknown key; ")


# ---- wrong types -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('name = "test"', "name = 5", "name: must be a string, got a number (5)"),
        ('id = "PER"', "id = 5", "labels[0].id: must be a string, got a number (5)"),
        ('name_ar = "شخص"', "name_ar = 1.5", "labels[0].name_ar: must be a string, got a number (1.5)"),
        ('shortcut = "P"', "shortcut = 1", "labels[0].shortcut: must be a string, got a number (1)"),
        ('shortcut = "P"', 'shortcut = ["P"]', "labels[0].shortcut: must be a string, got a list (['P'])"),
        ('color = "#c00"', "color = true", "labels[1].color: must be a string, got true/false (True)"),
        ("multiline = true", 'multiline = "yes"', 'labels[1].multiline: must be true or false, got a string ("yes")'),
        (
            'values = ["direct", "indirect", "mixed"]',
            'values = "direct"',
            'labels[1].attributes.type.values: must be a list of strings, got a string ("direct")',
        ),
        ('values = ["direct", "indirect", "mixed"]', "values = [1, 2]", "labels[1].attributes.type.values[0]: must be a string, got a number (1)"),
        ('head = ["QUOTE"]', 'head = "QUOTE"', 'relations[0].head: must be a list of label ids, got a string ("QUOTE")'),
        ('tail = ["@entity"]', "tail = [1]", "relations[0].tail[0]: must be a string, got a number (1)"),
    ],
)  # fmt: skip
def test_a_value_of_the_wrong_type_is_refused(old, new, message):
    assert old in GOOD
    assert refusal(GOOD.replace(old, new, 1)) == message


def test_tables_where_lists_of_tables_belong_and_the_reverse():
    assert refusal('labels = "PER"\n') == (
        'labels: must be a list of tables ([[labels]]), got a string ("PER")'
    )
    assert refusal('labels = ["PER"]\n') == 'labels[0]: must be a table, got a string ("PER")'
    assert refusal("labels = []\n") == "labels: is empty; a schema needs at least one label"
    assert (
        refusal('name = "x"\n') == "labels: missing; a schema needs at least one [[labels]] table"
    )
    attributes = third_label('attributes = "type"')
    assert refusal(attributes) == 'labels[2].attributes: must be a table, got a string ("type")'
    relations = GOOD.replace("[[relations]]", "[relations]")
    assert refusal(relations).startswith("relations: must be a list of tables ([[relations]])")
    assert refusal(GOOD.replace('id = "PER"\n', "")) == (
        "labels[0].id: missing; every label needs an id"
    )


# ---- attributes and relations ------------------------------------------------------------------


def test_an_attribute_default_outside_its_values_is_refused():
    assert refusal(GOOD.replace('default = "direct"', 'default = "rumour"')) == (
        'labels[1].attributes.type.default: "rumour" is not one of direct / indirect / mixed'
    )


def test_attribute_values_are_a_non_empty_list_of_distinct_names():
    values = 'values = ["direct", "indirect", "mixed"]'
    assert refusal(GOOD.replace(values, "values = []")) == (
        "labels[1].attributes.type.values: is empty"
    )
    assert refusal(GOOD.replace(values, 'values = ["direct", "direct"]')) == (
        'labels[1].attributes.type.values[1]: "direct" is listed twice'
    )
    assert refusal(GOOD.replace(values, 'values = ["direct", "in\\u202Edirect"]')).startswith(
        "labels[1].attributes.type.values[1]: holds U+202E"
    )
    no_values = GOOD.replace(values + "\n", "")
    assert refusal(no_values) == (
        "labels[1].attributes.type.values: missing; an attribute needs its list of values"
    )


@pytest.mark.parametrize(
    ("tail", "message"),
    [
        ('["PERSON"]', 'relations[0].tail: names unknown labels: "PERSON"'),
        ('["@person"]', 'relations[0].tail: "@person" is not a kind: @entity, @quote, @cue, @claim'),
        ('["@claim"]', 'relations[0].tail: "@claim" names no label of this schema'),
        ("[]", "relations[0].tail: is empty"),
    ],
)  # fmt: skip
def test_relation_ends_name_labels_or_kinds_there_are(tail, message):
    assert refusal(GOOD.replace('tail = ["@entity"]', f"tail = {tail}")) == message


def test_the_cause_is_a_schema_error_and_a_quoted_value_shows_its_controls():
    with pytest.raises(InputError) as caught:
        parse_schema(third_label('shortcut = "P"'), "my.toml")
    assert isinstance(caught.value.__cause__, SchemaError)
    assert quoted("a\x1b\u202eb") == '"a\\x1b\\u202eb"'
