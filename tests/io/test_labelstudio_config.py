"""The shipped Label Studio labeling config, checked with Label Studio's own code.

label-studio-sdk (a test dependency) carries the parser Label Studio validates a project's
labeling config with (``LabelInterface``: the config's XML schema, unique names, toName
targets) and the checks its import runs on each prediction (``validate_prediction``: every
result's from_name and to_name exist, its type matches the tag, its labels and choices are the
config's), and the converter of its export formats (``Converter``). All run offline.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from label_studio_sdk.converter import Converter
from label_studio_sdk.label_interface import LabelInterface
from labelstudio_sample import LAYERS, layered_fixture  # noqa: F401

from annotator.errors import SchemaError
from annotator.io.labelstudio_config import labeling_config
from annotator.io.operations import export
from annotator.model.schema import load_default_schema, parse_schema
from annotator.paths import LABELSTUDIO_CONFIG

SHIPPED = LABELSTUDIO_CONFIG.read_text(encoding="utf-8")


def relation_labels(config: str) -> list[str]:
    """Return the values of the config's <Relation> tags, as Label Studio's parser reads them."""
    parsed = LabelInterface.parse_config_to_json(config)
    relations = parsed["View"]["Relations"]["Relation"]
    return [r["@value"] for r in (relations if isinstance(relations, list) else [relations])]


def test_the_shipped_config_is_the_one_the_default_schema_gives():
    assert labeling_config(load_default_schema()) == SHIPPED


def test_label_studio_accepts_the_shipped_config_with_every_name_of_the_schema():
    interface = LabelInterface(SHIPPED)
    interface.validate()  # raises on an invalid config
    schema = load_default_schema()
    controls = {c.name: (c.tag, c.to_name, c.labels) for c in interface.controls}
    assert controls == {
        "label": ("Labels", ["text"], schema.label_ids),
        "type": ("Choices", ["text"], ["direct", "indirect", "mixed"]),
        "check_worthy": ("Choices", ["text"], ["yes", "no"]),
    }
    assert [o.name for o in interface.objects] == ["text"]
    assert relation_labels(SHIPPED) == [r.id for r in schema.relations]
    # Per-region attributes, shown for the label that has them.
    choices = interface.get_control("type")
    assert choices.attr["perRegion"] == "true" and choices.attr["whenLabelValue"] == "QUOTE"


def _export(project, tmp_path: Path, **options: Any) -> list[dict[str, Any]]:
    out = tmp_path / "ls.json"
    export(project, out, fmt="labelstudio", options=options)
    return json.loads(out.read_text(encoding="utf-8"))


def test_every_exported_annotation_and_prediction_passes_label_studios_checks(layered, tmp_path):
    interface = LabelInterface(SHIPPED)
    [task] = _export(layered, tmp_path, predictions=["huda"])
    assert len(task["annotations"]) == 3 and len(task["predictions"]) == 1
    relations = set(relation_labels(SHIPPED))
    for item in task["annotations"] + task["predictions"]:
        assert interface.validate_prediction(item, return_errors=True) == []
        # Label Studio does not check a relation's label against <Relations>; the UI drops
        # one it does not know, so it is checked here.
        links = [r for r in item["result"] if r["type"] == "relation"]
        assert all(set(r["labels"]) <= relations for r in links)
    assert sum(len(a["result"]) for a in task["annotations"]) > 300


def test_label_studio_refuses_a_region_named_otherwise_so_the_check_can_fail(layered, tmp_path):
    interface = LabelInterface(SHIPPED)
    [task] = _export(layered, tmp_path)
    annotation = task["annotations"][0]
    annotation["result"][0]["from_name"] = "labels"
    assert interface.validate_prediction(annotation, return_errors=True) != []


def test_label_studios_converter_reads_the_export_with_every_annotator(layered, tmp_path):
    # The converter failed with KeyError: 'id' on an export whose tasks had no id.
    tasks = _export(layered, tmp_path)
    source = tmp_path / "ls.json"
    converter = Converter(SHIPPED, project_dir=str(tmp_path), download_resources=False)
    converter.convert(str(source), str(tmp_path / "min"), "JSON_MIN", is_dir=False)
    rows = json.loads((tmp_path / "min" / "result.json").read_text(encoding="utf-8"))
    assert sorted(row["annotator"] for row in rows) == sorted(LAYERS)
    text = tasks[0]["data"]["text"]
    for row in rows:
        assert row["id"] == 1 and row["doc_id"] == "000_2024f0fe6e876b71"
        for region in row["label"]:
            assert text[region["start"] : region["end"]] == region["text"]
    sami = next(row for row in rows if row["annotator"] == "sami")
    assert {"سيرجي لافروف", "الكرملين", "موسكو"} <= {r["text"] for r in sami["label"]}
    assert "check_worthy" not in sami and "type" not in sami  # entities only


def test_label_studios_conll_conversion_tags_the_arabic_words(layered, tmp_path):
    _export(layered, tmp_path)
    converter = Converter(SHIPPED, project_dir=str(tmp_path), download_resources=False)
    converter.convert(str(tmp_path / "ls.json"), str(tmp_path / "conll"), "CONLL2003", False)
    lines = (tmp_path / "conll" / "result.conll").read_text(encoding="utf-8").splitlines()
    tagged = [line.split(" -X- _ ") for line in lines if " -X- _ " in line]
    pairs = list(itertools.pairwise(tagged))
    assert (["سيرجي", "B-PER"], ["لافروف", "I-PER"]) in pairs
    assert ["الكرملين", "B-ORG"] in tagged


def test_a_project_schema_gets_its_own_labels_relations_and_shared_attributes():
    schema = parse_schema(
        """
name = "own"
[[labels]]
id = "SOURCE"
kind = "entity"
[labels.attributes.stance]
values = ["for", "against"]
[[labels]]
id = "STATEMENT"
kind = "quote"
[labels.attributes.stance]
values = ["against", "neutral"]
[[relations]]
id = "SAID_BY"
head = ["STATEMENT"]
tail = ["SOURCE"]
"""
    )
    config = labeling_config(schema)
    interface = LabelInterface(config)
    interface.validate()
    assert interface.get_control("label").labels == ["SOURCE", "STATEMENT"]
    stance = interface.get_control("stance")
    assert stance.labels == ["for", "against", "neutral"]
    assert stance.attr["whenLabelValue"] == "SOURCE,STATEMENT"
    assert relation_labels(config) == ["SAID_BY"]


def test_an_attribute_named_like_a_tag_of_the_config_is_refused():
    schema = parse_schema(
        """
name = "clash"
[[labels]]
id = "PER"
[labels.attributes.label]
values = ["a", "b"]
"""
    )
    with pytest.raises(SchemaError, match="attribute 'label' of PER"):
        labeling_config(schema)
