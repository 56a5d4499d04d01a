"""Helpers for review tests: annotators' own project files, built with the Project API."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

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
    from annotator.store import Project

    with Project.create(path, annotator=name) as project:
        project.add_document(text, doc_id=doc_id)
        made = [project.add_span(doc_id, *offsets(text, w), label) for w, label in spans]
        for type_, head, tail in relations:
            project.add_relation(doc_id, type_, made[head].id, made[tail].id)
    return path
