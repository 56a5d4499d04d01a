"""The Label Studio labeling config of a project's schema, with the names the export writes.

``labelstudio`` exports write results with ``from_name="label"`` (span labels), one
``from_name`` per attribute (``type``, ``check_worthy``: per-region choices) and
``to_name="text"``; relations carry their type as a label. The config built here declares exactly
those (tags documented at https://labelstud.io/tags):

- ``<Labels name="label" toName="text">`` with one ``<Label>`` per span label, in its colour;
- ``<Text name="text" value="$text">`` inside a right-to-left ``<View>``;
- ``<Relations>`` with one ``<Relation>`` per relation type, so Label Studio keeps the links'
  labels;
- per attribute, ``<Choices perRegion="true">`` shown when a region of its label(s) is selected.

``resources/labelstudio/arabic_news.xml`` is this config for the default schema (a test keeps the
two equal); ``annotator labelstudio-config PROJECT`` prints the one of a project's own schema.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from annotator.errors import SchemaError
from annotator.model.schema import Schema

LABELS = "label"  # from_name of span labels
TEXT = "text"  # to_name of every result, and the task's data key


def _attributes(schema: Schema) -> dict[str, tuple[list[str], list[str]]]:
    """Return each attribute name with its values (in schema order) and the labels having it."""
    found: dict[str, tuple[list[str], list[str]]] = {}
    for label in schema.labels:
        for attribute in label.attributes:
            if attribute.name in (LABELS, TEXT):
                raise SchemaError(
                    f"attribute {attribute.name!r} of {label.id} has the name the Label Studio"
                    f" config gives its {attribute.name} tag; rename the attribute"
                )
            values, labels = found.setdefault(attribute.name, ([], []))
            values += [v for v in attribute.values if v not in values]
            labels.append(label.id)
    return found


def labeling_config(schema: Schema) -> str:
    """Return the Label Studio labeling config (XML) of ``schema``."""
    view = ET.Element("View")
    view.append(
        ET.Comment(
            f" Label Studio labeling config of the schema {schema.name!r}, written by"
            " `annotator labelstudio-config`: its names are those the labelstudio export"
            " writes. "
        )
    )
    labels = ET.SubElement(view, "Labels", name=LABELS, toName=TEXT)
    for label in schema.labels:
        ET.SubElement(
            labels,
            "Label",
            value=label.id,
            background=label.color,
            hint=f"{label.name_en} / {label.name_ar}",
        )
    text_view = ET.SubElement(view, "View", style="direction: rtl; text-align: right")
    ET.SubElement(text_view, "Text", name=TEXT, value=f"${TEXT}")
    if schema.relations:
        relations = ET.SubElement(view, "Relations")
        for rel in schema.relations:
            ET.SubElement(relations, "Relation", value=rel.id, background=rel.color)
    for name, (values, owners) in _attributes(schema).items():
        shown = {"visibleWhen": "region-selected", "whenLabelValue": ",".join(owners)}
        box = ET.SubElement(view, "View", shown)
        ET.SubElement(box, "Header", value=f"{name} ({', '.join(owners)})")
        attributes = {"name": name, "toName": TEXT, "perRegion": "true", "showInline": "true"}
        choices = ET.SubElement(box, "Choices", {**attributes, **shown})
        for value in values:
            ET.SubElement(choices, "Choice", value=value)
    ET.indent(view, space="  ")
    return ET.tostring(view, encoding="unicode") + "\n"
