"""Helpers for review tests: annotators' own project files, built with the Project API."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from annotator.paths import SEEDS
from annotator.review.merge import merge_records, project_records
from annotator.store import Project

TEXT = "قال الرئيس بايدن إن موسكو ترفض الحوار مع واشنطن"
WordSpan = tuple[str, str]  # (the word(s) to mark, label)


def offsets(text: str, words: str, occurrence: int = 0) -> tuple[int, int]:
    """Offsets of the ``occurrence``-th appearance of ``words`` in ``text``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(words, start + 1)
    return start, start + len(words)


def annotator_project(
    path: Path,
    name: str,
    spans: Sequence[WordSpan],
    relations: Sequence[tuple[str, int, int]] = (),
    *,
    text: str = TEXT,
    doc_id: str = "d1",
) -> Path:
    """Create ``path`` as ``name``'s own project: one document with ``spans`` and links."""

    with Project.create(path, annotator=name) as project:
        project.add_document(text, doc_id=doc_id)
        made = [project.add_span(doc_id, *offsets(text, w), label) for w, label in spans]
        for type_, head, tail in relations:
            project.add_relation(doc_id, type_, made[head].id, made[tail].id)
    return path


SEED_DIR = SEEDS
SEED_TXT = SEED_DIR / "000_2024f0fe6e876b71.txt"
SEED_EXAMPLE = SEED_DIR / "000_2024f0fe6e876b71.example.jsonl"
# How sami's annotation of the seed article differs from mona's (the example annotation):
SAMI_DROPS = {"g9", "g28", "g32"}  # two DATEs and an EVENT she did not mark
SAMI_LABELS = {"g39": "LOC", "g22": "MISC"}  # جنيف as a place, وكالة أنباء تاس as MISC
SAMI_EDGES = {"g4": (157, 163), "g36": (1062, 1067)}  # لافروف / بايدن without first names
SAMI_EXTRA = (187, 195, "ORG")  # الخارجية, a title mona left unmarked
SAMI_ATTRS = {"g43": {"type": "indirect"}}  # a direct quote she took as indirect
SAMI_RELATION_DROPS = {"r15"}  # one SPEAKER link missing
SAMI_TAILS = {"r31": "g82"}  # a CLAIMANT pointing to روسيا instead of الدول الغربية


def seed_example() -> dict:
    """The example annotation of the seed article (native JSON)."""
    import json

    return json.loads(SEED_EXAMPLE.read_text(encoding="utf-8").splitlines()[0])


def seed_annotator_files(folder: Path) -> tuple[Path, Path]:
    """Create mona's and sami's own projects: the seed article, annotated differently."""
    from annotator.io.operations import import_paths

    example = seed_example()
    made = []
    for name in ("mona", "sami"):
        path = folder / f"{name}.sqlite"
        with Project.create(path, annotator=name) as project:
            (doc_id,) = import_paths(project, [SEED_TXT], fmt="txt").added
            ids: dict[str, str] = {}
            for raw in example["spans"]:
                if name == "sami" and raw["id"] in SAMI_DROPS:
                    continue
                start, end, label, attrs = raw["start"], raw["end"], raw["label"], raw["attrs"]
                if name == "sami":
                    start, end = SAMI_EDGES.get(raw["id"], (start, end))
                    label = SAMI_LABELS.get(raw["id"], label)
                    attrs = SAMI_ATTRS.get(raw["id"], attrs)
                ids[raw["id"]] = project.add_span(doc_id, start, end, label, attrs=attrs).id
            if name == "sami":
                project.add_span(doc_id, *SAMI_EXTRA)
            for raw in example["relations"]:
                if name == "sami" and raw["id"] in SAMI_RELATION_DROPS:
                    continue
                tail = SAMI_TAILS.get(raw["id"], raw["tail"]) if name == "sami" else raw["tail"]
                project.add_relation(doc_id, raw["type"], ids[raw["head"]], ids[tail])
        made.append(path)
    return made[0], made[1]


MONA = [("قال", "CUE"), ("بايدن", "PER"), ("موسكو", "GPE"), ("ترفض الحوار", "QUOTE")]
SAMI = [
    ("قال", "CUE"),
    ("الرئيس بايدن", "PER"),
    ("موسكو", "ORG"),
    ("واشنطن", "GPE"),
    ("ترفض الحوار", "QUOTE"),
]


def mona_and_sami(folder: Path) -> Project:
    """A reviewer's project holding mona's and sami's differing work on one article."""

    mona = annotator_project(folder / "mona.sqlite", "mona", MONA, [("SPEAKER", 3, 1)])
    sami = annotator_project(folder / "sami.sqlite", "sami", SAMI, [("SPEAKER", 4, 1)])
    project = Project.create(folder / "review.sqlite", annotator="reviewer")
    for path in (mona, sami):
        merge_records(project, project_records(path))
    return project
