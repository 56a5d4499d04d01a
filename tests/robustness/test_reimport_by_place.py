"""A file taken back from another program updates the layer it brings, matched by place.

doccano and Label Studio give every entity an id of their own, so a file exported from them holds
none of the project's ids. Taken back into the project it came from, it must add nothing it
already holds, apply what the person corrected there to the same annotations (keeping their ids
and links), and say what the file no longer holds: never a silent duplicate or skip.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from robustness_support import cli, dump, sqlite_rows

from annotator.store import Project

TEXT = "قال بوتين إن موسكو مستعدة للحوار"
PUTIN = (4, 9)
MOSCOW = (13, 18)
QUOTE = (13, 32)


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """mona's PER, GPE, QUOTE and SPEAKER link; sami's own GPE on the same word."""
    path = tmp_path / "news.sqlite"
    with Project.create(path, annotator="mona") as project:
        project.add_document(TEXT, doc_id="d1")
        per = project.add_span("d1", *PUTIN, "PER", span_id="s-per")
        project.add_span("d1", *MOSCOW, "GPE", span_id="s-gpe")
        quote = project.add_span("d1", *QUOTE, "QUOTE", span_id="s-quote")
        project.add_relation("d1", "SPEAKER", quote.id, per.id, relation_id="r-speaker")
    with Project.open(path, annotator="sami") as project:
        project.add_span("d1", *MOSCOW, "GPE", span_id="s-sami")
    assert TEXT[slice(*PUTIN)] == "بوتين" and TEXT[slice(*QUOTE)] == "موسكو مستعدة للحوار"
    return path


def _doccano_line(entities: list[tuple[int, int, str]], speaker: bool = True) -> dict[str, Any]:
    """mona's work as doccano exports it: ids of doccano's own (1001, ...), not the project's."""
    rows = [
        {"id": 1001 + k, "label": label, "start_offset": s, "end_offset": e}
        for k, (s, e, label) in enumerate(entities)
    ]
    quote = next((r["id"] for r in rows if r["label"] == "QUOTE"), None)
    per = next((r["id"] for r in rows if r["label"] == "PER"), None)
    relations = (
        [{"id": 7, "from_id": quote, "to_id": per, "type": "SPEAKER"}] if speaker and per else []
    )
    return {"id": 55, "text": TEXT, "entities": rows, "relations": relations}


def _write(path: Path, line: dict[str, Any]) -> Path:
    path.write_bytes(orjson.dumps(line) + b"\n")
    return path


def _layer(path: Path, annotator: str) -> list[tuple[object, ...]]:
    return sqlite_rows(
        path,
        'SELECT id, start, "end", label FROM spans WHERE annotator = ? ORDER BY start, label',
        annotator,
    )


MONA = [("s-per", *PUTIN, "PER"), ("s-gpe", *MOSCOW, "GPE"), ("s-quote", *QUOTE, "QUOTE")]


def test_the_same_work_from_doccano_adds_nothing(work: Path, tmp_path: Path) -> None:
    line = _doccano_line([(*PUTIN, "PER"), (*MOSCOW, "GPE"), (*QUOTE, "QUOTE")])
    before = dump(work)
    out = cli("import", work, _write(tmp_path / "d.jsonl", line), "--format", "doccano",
              "--annotator", "mona")  # fmt: skip
    assert out.exit_code == 0, out
    assert "imported 0 document(s), 0 span(s), 0 relation(s)" in out.stdout
    assert "4 annotation(s) were already in the project unchanged" in out.stderr
    assert dump(work) == before


def test_corrections_made_in_doccano_apply_to_the_same_annotations(
    work: Path, tmp_path: Path
) -> None:
    # In doccano mona relabelled موسكو GPE -> LOC and moved the quote's start one word later.
    moved = (19, QUOTE[1])
    assert TEXT[slice(*moved)] == "مستعدة للحوار"
    line = _doccano_line([(*PUTIN, "PER"), (*MOSCOW, "LOC"), (*moved, "QUOTE")])
    out = cli("import", work, _write(tmp_path / "d.jsonl", line), "--format", "doccano",
              "--annotator", "mona")  # fmt: skip
    assert out.exit_code == 0, out
    assert "imported 0 document(s), 0 span(s), 0 relation(s)" in out.stdout
    assert "updated 2 annotation(s) that the files changed" in out.stderr
    assert _layer(work, "mona") == [
        ("s-per", *PUTIN, "PER"),
        ("s-gpe", *MOSCOW, "LOC"),
        ("s-quote", *moved, "QUOTE"),
    ]
    # The link still joins the same two annotations, and sami's GPE is untouched.
    assert sqlite_rows(work, "SELECT id, head, tail FROM relations") == [
        ("r-speaker", "s-quote", "s-per")
    ]
    assert _layer(work, "sami") == [("s-sami", *MOSCOW, "GPE")]


def test_what_the_file_lacks_is_kept_and_listed_or_removed_when_asked(
    work: Path, tmp_path: Path
) -> None:
    # In doccano mona deleted the person (and with it the speaker link).
    line = _doccano_line([(*MOSCOW, "GPE"), (*QUOTE, "QUOTE")], speaker=False)
    path = _write(tmp_path / "d.jsonl", line)
    kept = cli("import", work, path, "--format", "doccano", "--annotator", "mona")
    assert kept.exit_code == 0, kept
    assert (
        "2 annotation(s) of the layers the files bring are in the project but not in the"
        " files, and were kept (import with --remove-missing to remove them):"
        " d1 span s-per, d1 relation r-speaker" in kept.stderr
    )
    assert _layer(work, "mona") == MONA
    removed = cli(
        "import", work, path, "--format", "doccano", "--annotator", "mona", "--remove-missing"
    )
    assert removed.exit_code == 0, removed
    assert "removed 2 annotation(s) that the files no longer hold" in removed.stderr
    assert _layer(work, "mona") == MONA[1:]
    assert sqlite_rows(work, "SELECT COUNT(*) FROM relations") == [(0,)]
    assert _layer(work, "sami") == [("s-sami", *MOSCOW, "GPE")]


def test_remove_missing_spares_what_a_bio_file_cannot_hold(work: Path, tmp_path: Path) -> None:
    # A CoNLL file holds entities only: it says nothing of the quote or the link, which stay,
    # while the GPE that mona deleted before exporting goes.
    conll = tmp_path / "mona.conll"
    conll.write_text(
        "".join(f"{tok}\t{tag}\n" for tok, tag in [
            ("قال", "O"), ("بوتين", "B-PER"), ("إن", "O"), ("موسكو", "O"), ("مستعدة", "O"),
            ("للحوار", "O"),
        ]),
        encoding="utf-8",
    )  # fmt: skip
    out = cli("import", work, conll, "--format", "conll", "--annotator", "mona",
              "--remove-missing")  # fmt: skip
    assert out.exit_code == 0, out
    assert "removed 1 annotation(s) that the files no longer hold" in out.stderr
    assert [row[0] for row in _layer(work, "mona")] == ["s-per", "s-quote"]
    assert sqlite_rows(work, "SELECT id FROM relations") == [("r-speaker",)]
    assert _layer(work, "sami") == [("s-sami", *MOSCOW, "GPE")]


def test_the_file_under_another_name_is_a_layer_of_its_own(work: Path, tmp_path: Path) -> None:
    line = _doccano_line([(*PUTIN, "PER"), (*MOSCOW, "LOC")], speaker=False)
    path = _write(tmp_path / "d.jsonl", line)
    out = cli("import", work, path, "--format", "doccano", "--annotator", "huda")
    assert out.exit_code == 0, out
    assert "imported 0 document(s), 2 span(s), 0 relation(s)" in out.stdout
    assert [row[1:] for row in _layer(work, "huda")] == [(*PUTIN, "PER"), (*MOSCOW, "LOC")]
    assert _layer(work, "mona") == MONA
    assert _layer(work, "sami") == [("s-sami", *MOSCOW, "GPE")]
