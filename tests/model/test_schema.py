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
    assert schema.check_span("QUOTE", {}) == {"type": "direct"}
    assert schema.check_span("QUOTE", {"type": "mixed"}) == {"type": "mixed"}
    assert schema.check_span("CLAIM", {}) == {"check_worthy": "yes"}
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
