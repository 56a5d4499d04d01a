"""A project holding the emoji/CRLF/NBSP sample with spans: import the fixture where needed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.io.operations import import_paths
from annotator.store import Project

from conftest import SAMPLES

# (text, label) of spans in the stored text of crlf-emoji-nbsp.txt; two come after an emoji.
EMOJI_SPANS = [
    ("الرئاسة الروسية", "ORG"),
    ("الكرملين", "ORG"),
    ("تلغرام", "MISC"),
    ("صباح اليوم", "DATE"),
]


@pytest.fixture(name="emoji_project")
def emoji_project_fixture(tmp_path: Path) -> Iterator[Project]:
    """A project with the emoji sample and four spans, two after an emoji (annotator "mona")."""
    with Project.create(tmp_path / "emoji.sqlite", annotator="mona") as opened:
        import_paths(opened, [SAMPLES / "crlf-emoji-nbsp.txt"], fmt="txt")
        [doc_id] = opened.document_ids()
        text = opened.document(doc_id).text
        spans = {}
        for needle, label in EMOJI_SPANS:
            start = text.index(needle)
            spans[needle] = opened.add_span(doc_id, start, start + len(needle), label)
        quote_start = text.index("المحادثات")
        quote = opened.add_span(doc_id, quote_start, text.index("\n"), "QUOTE")
        opened.add_relation(doc_id, "SPEAKER", quote.id, spans["الرئاسة الروسية"].id)
        yield opened
