"""Limits hold on every path: what import refuses, merge and the API refuse too; a stored span
outside its text is refused wherever it is read, never exported or merged."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import orjson
import pytest
from robustness_support import assert_one_clear_line, cli, dump

from annotator.errors import InputError, ProjectError
from annotator.model import limits
from annotator.model.text import content_hash
from annotator.session import EditingSession
from annotator.store import Project

TEXT = "قال بوتين إن موسكو مستعدة للحوار"


def _insert_raw_document(path: Path, doc_id: str, text: str) -> None:
    """Put a document into a project behind the annotator's back, as another program could."""
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(
            "INSERT INTO documents (id, position, title, text, meta, content_hash, status,"
            " created, updated) VALUES (?, 99, 'big', ?, '{}', ?, 'not_started', 'x', 'x')",
            [doc_id, text, content_hash(text)],
        )


@pytest.fixture
def target(tmp_path: Path) -> Path:
    """The project work is merged or imported into: one article with one span."""
    path = tmp_path / "review.sqlite"
    with Project.create(path, annotator="mona") as project:
        project.add_document(TEXT, doc_id="d1")
        project.add_span("d1", 4, 9, "PER")
    return path


def _native(path: Path, *records: dict[str, object]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


# ---- document length ------------------------------------------------------------------------


def test_merge_refuses_the_20_million_character_document_that_import_refuses(
    target: Path, tmp_path: Path
) -> None:
    source = tmp_path / "sami.sqlite"
    with Project.create(source, annotator="sami") as project:
        project.add_document(TEXT, doc_id="d1")
    _insert_raw_document(source, "big", "ب" * 20_000_000)
    before = dump(target)
    reason = assert_one_clear_line(cli("merge", target, source), [source], None)
    assert reason.startswith(
        "document 'big' of 20,000,000 characters is too long for one article"
        " (the limit is 2,000,000)"
    ), reason
    assert dump(target) == before


def test_merge_of_native_jsonl_refuses_a_too_long_document_by_its_line(
    target: Path, tmp_path: Path
) -> None:
    text = "ب" * (limits.MAX_DOCUMENT_CHARS + 1)
    source = _native(tmp_path / "model.jsonl", {"id": "ok", "text": TEXT + "."}, {"text": text})
    before = dump(target)
    reason = assert_one_clear_line(cli("merge", target, source), [source], 2)
    assert reason.startswith("a document of 2,000,001 characters is too long"), reason
    assert dump(target) == before


def test_the_api_holds_the_same_length_limit(target: Path) -> None:
    with Project.open(target) as project:
        project.add_document("ب" * limits.MAX_DOCUMENT_CHARS, doc_id="longest")
        with pytest.raises(InputError, match=r"2,000,001 characters is too long"):
            project.add_document("ت" * (limits.MAX_DOCUMENT_CHARS + 1), doc_id="too-long")
        assert project.document_ids() == ["d1", "longest"]


# ---- annotations per document ---------------------------------------------------------------


@pytest.fixture
def three_spans(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A limit of three spans per document, so the cases stay small."""
    monkeypatch.setattr(limits, "MAX_SPANS_PER_DOCUMENT", 3)
    yield


def _spans(*edges: tuple[int, int]) -> list[dict[str, object]]:
    return [{"id": f"n{k}", "start": s, "end": e, "label": "GPE"} for k, (s, e) in enumerate(edges)]


WORDS = ((0, 3), (10, 12), (13, 18), (19, 25))


@pytest.mark.usefixtures("three_spans")
def test_import_refuses_a_document_with_more_spans_than_the_limit(
    target: Path, tmp_path: Path
) -> None:
    new = _native(
        tmp_path / "dense.jsonl", {"id": "d9", "text": TEXT + "!", "spans": _spans(*WORDS)}
    )
    before = dump(target)
    reason = assert_one_clear_line(cli("import", target, new, "--format", "native"), [new], 1)
    assert reason == "document 'd9' would hold 4 spans (the limit is 3)"
    assert dump(target) == before


@pytest.mark.usefixtures("three_spans")
def test_merging_into_a_document_counts_the_spans_already_there(
    target: Path, tmp_path: Path
) -> None:
    fits = _native(tmp_path / "fits.jsonl", {"text": TEXT, "spans": _spans(*WORDS[:2])})
    assert cli("merge", target, fits).exit_code == 0  # 1 stored + 2 new = 3
    more = _native(tmp_path / "more.jsonl", {"text": TEXT, "spans": _spans(*WORDS)})
    before = dump(target)
    reason = assert_one_clear_line(cli("merge", target, more, "--annotator", "x"), [more], 1)
    assert reason == "document 'd1' would hold 7 spans (the limit is 3)"
    assert dump(target) == before


# ---- nesting and line length of JSON inputs ------------------------------------------------


def test_meta_nested_deeper_than_the_limit_is_refused(target: Path, tmp_path: Path) -> None:
    meta: dict[str, object] = {}
    inner = meta
    for _ in range(limits.MAX_JSON_DEPTH + 1):
        inner["x"] = {}
        inner = inner["x"]  # type: ignore[assignment]
    deep = _native(tmp_path / "deep.jsonl", {"id": "d9", "text": TEXT + "!", "meta": meta})
    before = dump(target)
    reason = assert_one_clear_line(cli("import", target, deep, "--format", "native"), [deep], 1)
    assert reason == f"the meta of document 'd9' nests deeper than {limits.MAX_JSON_DEPTH} levels"
    assert dump(target) == before


def test_an_over_long_jsonl_line_is_refused_unread(
    target: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_LINE_BYTES", 1000)
    long = _native(tmp_path / "long.jsonl", {"text": TEXT + "!"}, {"text": "ب" * 600})
    before = dump(target)
    reason = assert_one_clear_line(cli("import", target, long, "--format", "native"), [long], 2)
    assert reason.startswith("the line is longer than 1,000 bytes"), reason
    assert dump(target) == before


# ---- a stored span outside its text ---------------------------------------------------------


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    """A project whose span 's-bad' ends past its 33-character text (edited by hand)."""
    path = tmp_path / "damaged.sqlite"
    with Project.create(path, annotator="mona") as project:
        project.add_document(TEXT, doc_id="d1")
        project.add_span("d1", 4, 9, "PER", span_id="s-bad")
        project.add_span("d1", 13, 18, "GPE")
    with Project.open(path, annotator="sami") as project:
        project.add_span("d1", 4, 9, "PER")
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("UPDATE spans SET \"end\" = 400 WHERE id = 's-bad'")
    return path


BAD_SPAN = (
    "the project file is damaged: span 's-bad' of document 'd1' is [4, 400) but the text has"
    f" {len(TEXT)} characters"
)


@pytest.mark.parametrize("fmt", ["native", "doccano", "conll"])
def test_export_refuses_a_span_outside_its_text(damaged: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "out.jsonl"
    before = dump(damaged)
    reason = assert_one_clear_line(
        cli("export", damaged, out, "--format", fmt, "--annotator", "mona"), [damaged], None
    )
    assert reason.startswith(BAD_SPAN), reason
    assert not out.exists() and list(tmp_path.glob("*.part")) == []
    assert dump(damaged) == before


def test_merge_refuses_a_source_with_a_span_outside_its_text(damaged: Path, target: Path) -> None:
    before = dump(target)
    reason = assert_one_clear_line(cli("merge", target, damaged), [damaged], None)
    assert reason.startswith(BAD_SPAN), reason
    assert dump(target) == before


def test_agreement_refuses_a_span_outside_its_text(damaged: Path) -> None:
    reason = assert_one_clear_line(cli("agree", damaged), [damaged], None)
    assert reason.startswith(BAD_SPAN), reason


def test_the_window_refuses_to_show_a_span_outside_its_text(damaged: Path) -> None:
    with Project.open(damaged, annotator="mona") as project:
        session = EditingSession(project)
        with pytest.raises(ProjectError) as caught:
            session.open_document("d1")
        assert str(caught.value).startswith(f"{damaged}: {BAD_SPAN}")
        assert session.document is None and session.spans == {}
