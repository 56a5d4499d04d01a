"""A project of the seed article annotated by three people and reviewed into gold, for Label Studio.

Each layer is a different part of the seed's example annotation, so a layer read back under
another layer's name, or mixed into it, shows: mona has every span and link, sami the entities
only, huda the quotes, cues and claims with their links, and gold every span and link again.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from annotator.io.operations import import_paths
from annotator.model.document import GOLD_ANNOTATOR
from annotator.store import Project

from conftest import SEED_EXAMPLE, SEED_TXT

LAYERS = ("mona@news.example", "sami", "huda", GOLD_ANNOTATOR)


def _layer(record: dict[str, Any], name: str) -> dict[str, Any]:
    if name == "sami":
        keep = {"PER", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "DATE", "MISC"}
    elif name == "huda":
        keep = {"QUOTE", "CUE", "CLAIM"}
    else:
        keep = None
    spans = [s for s in record["spans"] if keep is None or s["label"] in keep]
    kept = {s["id"] for s in spans}
    relations = [r for r in record["relations"] if {r["head"], r["tail"]} <= kept]
    prefix = name.split("@")[0]
    return {
        **record,
        "spans": [{**s, "id": f"{prefix}-{s['id']}", "annotator": name} for s in spans],
        "relations": [
            {
                **r,
                "id": f"{prefix}-{r['id']}",
                "head": f"{prefix}-{r['head']}",
                "tail": f"{prefix}-{r['tail']}",
                "annotator": name,
            }
            for r in relations
        ],
    }


@pytest.fixture(name="layered")
def layered_fixture(tmp_path: Path) -> Iterator[Project]:
    """The seed article with the layers of LAYERS (mona's is named by an e-mail address)."""
    record = json.loads(SEED_EXAMPLE.read_text(encoding="utf-8").splitlines()[0])
    with Project.create(tmp_path / "layered.sqlite", annotator="tester") as opened:
        import_paths(opened, [SEED_TXT], fmt="txt")
        for name in LAYERS:
            path = tmp_path / f"{name}.jsonl"
            path.write_text(json.dumps(_layer(record, name), ensure_ascii=False), "utf-8")
            import_paths(opened, [path], fmt="native", merge_annotations=True)
        assert opened.annotators() == sorted(LAYERS)
        yield opened


def layer_contents(project: Project, annotator: str) -> tuple[set[Any], set[Any]]:
    """Return what a layer holds, ids aside: (text, offsets, label, attrs) and links by ends."""
    [doc_id] = project.document_ids()
    text = project.document(doc_id).text
    spans = {s.id: s for s in project.spans(doc_id, [annotator])}
    return (
        {
            (s.text_in(text), s.start, s.end, s.label, tuple(sorted(s.attrs.items())))
            for s in spans.values()
        },
        {
            (r.type, spans[r.head].text_in(text), spans[r.head].start, spans[r.tail].start)
            for r in project.relations(doc_id, [annotator])
        },
    )
