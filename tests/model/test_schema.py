"""The default schema and the rules it enforces, without a window or a database."""

from __future__ import annotations

import pytest

from annotator.errors import InputError, SchemaError
from annotator.model.schema import load_default_schema, parse_schema


@pytest.fixture
def schema():
    return load_default_schema()


def test_default_schema_has_the_news_labels_with_names_colours_and_shortcuts(schema):
    assert schema.label_ids == [
        "PER", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "DATE", "MISC", "QUOTE", "CUE", "CLAIM",
    ]  # fmt: skip
    shortcuts = [label.shortcut for label in schema.labels]
    assert len(set(shortcuts)) == len(shortcuts)
    assert all(
        label.name_ar and label.name_en and label.color.startswith("#") for label in schema.labels
    )
    assert schema.label("PER").name_ar == "شخص"


def test_quote_and_claim_attributes_have_closed_values_and_defaults(schema):
    # An attribute left out stays out; the defaults are what the window gives a drawn span.
    assert schema.check_span("QUOTE", {}) == {}
    assert schema.defaults("QUOTE") == {"type": "direct"}
    assert schema.check_span("QUOTE", {"type": "mixed"}) == {"type": "mixed"}
    assert schema.check_span("CLAIM", {}) == {}
    assert schema.defaults("CLAIM") == {"check_worthy": "yes"}
    assert schema.defaults("PER") == {}
    with pytest.raises(SchemaError, match="direct / indirect / mixed"):
        schema.check_span("QUOTE", {"type": "rumour"})
    with pytest.raises(SchemaError, match="no attribute"):
        schema.check_span("PER", {"type": "direct"})


@pytest.mark.parametrize(
    ("rel", "head", "tail"),
    [
        ("SPEAKER", "QUOTE", "PER"),
        ("SPEAKER", "QUOTE", "ORG"),
        ("SPEAKER", "QUOTE", "GPE"),
        ("SPEAKER", "QUOTE", "NORP"),
        ("CUE", "QUOTE", "CUE"),
        ("CLAIMANT", "CLAIM", "PER"),
        ("CLAIMANT", "CLAIM", "GPE"),
        ("CARRIED_BY", "CLAIM", "QUOTE"),
    ],
)
def test_allowed_links(schema, rel, head, tail):
    assert schema.check_relation(rel, head, tail).id == rel


@pytest.mark.parametrize(
    ("rel", "head", "tail"),
    [
        ("SPEAKER", "PER", "QUOTE"),
        ("SPEAKER", "QUOTE", "DATE"),
        ("CUE", "QUOTE", "PER"),
        ("CLAIMANT", "QUOTE", "PER"),
        ("CARRIED_BY", "CLAIM", "CLAIM"),
    ],
)
def test_forbidden_links_are_refused_with_a_reason(schema, rel, head, tail):
    with pytest.raises(SchemaError, match=rel):
        schema.check_relation(rel, head, tail)


def test_unknown_label_names_the_known_ones(schema):
    with pytest.raises(SchemaError, match="PER, ORG"):
        schema.label("PERSON")


def test_a_broken_schema_file_is_reported_with_its_name():
    with pytest.raises(InputError, match=r"mine\.toml"):
        parse_schema("labels = [", "mine.toml")
    with pytest.raises(InputError, match="unknown labels"):
        parse_schema(
            '[[labels]]\nid="A"\n[[relations]]\nid="R"\nhead=["A"]\ntail=["B"]\n', "x.toml"
        )


# ---- line breaks ----------------------------------------------------------------------------

TWO_PARAGRAPHS = "قال سيرجي\nلافروف إن موسكو مستعدة"  # a drag from سيرجي into the next line


def without_multiline_keys(source: str) -> str:
    """The default schema TOML as written before labels said whether they may span paragraphs."""
    return "\n".join(x for x in source.splitlines() if not x.startswith("multiline"))


def test_every_label_of_the_default_schema_says_whether_it_may_span_paragraphs(schema):
    tables = schema.source.split("[[labels]]")[1:]
    assert len(tables) == len(schema.labels)
    assert all("\nmultiline = " in table for table in tables)
    multiline = {label.id for label in schema.labels if label.multiline}
    assert multiline == {"QUOTE", "CLAIM"}


@pytest.mark.parametrize("label", ["PER", "GPE", "CUE"])
def test_an_entity_or_cue_across_a_line_break_is_refused_with_where_and_what_to_do(schema, label):
    start, end = TWO_PARAGRAPHS.index("سيرجي"), TWO_PARAGRAPHS.index(" إن")
    with pytest.raises(SchemaError) as caught:
        schema.check_span_text(label, TWO_PARAGRAPHS, start, end)
    message = str(caught.value)
    assert f"a {label} span may not cross a paragraph or line break" in message
    assert f"offset {TWO_PARAGRAPHS.index(chr(10))}" in message
    assert "select within one paragraph" in message


@pytest.mark.parametrize("brk", ["\n", "\r", "\u2028", "\u2029"])
def test_every_kind_of_line_break_counts(schema, brk):
    text = TWO_PARAGRAPHS.replace("\n", brk)
    with pytest.raises(SchemaError, match=f"offset {text.index(brk)}"):
        schema.check_span_text("PER", text, 4, 16)


def test_spans_within_one_paragraph_and_quotes_or_claims_across_paragraphs_pass(schema):
    start = TWO_PARAGRAPHS.index("سيرجي")
    schema.check_span_text("PER", TWO_PARAGRAPHS, start, start + len("سيرجي"))
    schema.check_span_text("PER", TWO_PARAGRAPHS, 10, 16)  # لافروف, just after the break
    schema.check_span_text("QUOTE", TWO_PARAGRAPHS, 4, len(TWO_PARAGRAPHS))
    schema.check_span_text("CLAIM", TWO_PARAGRAPHS, 0, len(TWO_PARAGRAPHS))
    with pytest.raises(SchemaError, match="unknown label 'PERSON'"):
        schema.check_span_text("PERSON", TWO_PARAGRAPHS, 4, 9)


def test_a_schema_without_the_key_gets_the_default_of_each_kind(schema):
    old = parse_schema(without_multiline_keys(schema.source), "old.toml")
    assert "multiline =" not in old.source
    assert {label.id for label in old.labels if label.multiline} == {"QUOTE", "CLAIM"}
    with pytest.raises(SchemaError, match="a CUE span may not cross"):
        old.check_span_text("CUE", TWO_PARAGRAPHS, 0, 16)


def test_a_label_can_say_otherwise_than_its_kind():
    custom = parse_schema(
        '[[labels]]\nid = "ADDRESS"\nmultiline = true\n'
        '[[labels]]\nid = "HEADLINE_QUOTE"\nkind = "quote"\nmultiline = false\n'
    )
    custom.check_span_text("ADDRESS", TWO_PARAGRAPHS, 0, len(TWO_PARAGRAPHS))
    with pytest.raises(SchemaError, match="HEADLINE_QUOTE span may not cross"):
        custom.check_span_text("HEADLINE_QUOTE", TWO_PARAGRAPHS, 0, len(TWO_PARAGRAPHS))


@pytest.mark.parametrize("value", ['"yes"', "1", '"false"'])
def test_a_multiline_value_that_is_not_true_or_false_is_refused(value):
    source = f'[[labels]]\nid = "PER"\nmultiline = {value}\n'
    with pytest.raises(InputError) as caught:
        parse_schema(source, "mine.toml")
    assert str(caught.value).startswith("mine.toml: labels[0].multiline: must be true or false")
    assert isinstance(caught.value.__cause__, SchemaError)
