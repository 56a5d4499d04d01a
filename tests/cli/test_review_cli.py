"""The merge and agree commands, as a user runs them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from review_helpers import TEXT, annotator_project

from annotator.cli import main
from annotator.store import Project

PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path, Path]:
    # One boundary off: mona has الرئيس بايدن, sami بايدن; both mark موسكو as GPE.
    mona = annotator_project(
        tmp_path / "mona.sqlite", "mona", [("الرئيس بايدن", "PER"), ("موسكو", "GPE")]
    )
    sami = annotator_project(tmp_path / "sami.sqlite", "sami", [("بايدن", "PER"), ("موسكو", "GPE")])
    review = tmp_path / "review.sqlite"
    Project.create(review, annotator="reviewer").close()
    return review, mona, sami


def run(*args: str) -> object:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_merge_then_merge_again_adds_nothing(files: tuple[Path, Path, Path]) -> None:
    review, mona, sami = files
    first = run("merge", review, mona, sami)
    assert first.exit_code == 0, first.output
    assert "1 new one(s): 4 span(s)" in first.output
    again = run("merge", review, mona, sami)
    assert "0 span(s), 0 relation(s) added" in again.output
    with Project.open(review, read_only=True) as opened:
        assert opened.annotators() == ["mona", "sami"]
        assert len(opened.spans("d1")) == 4


def test_merge_jsonl_under_a_model_name(files: tuple[Path, Path, Path], tmp_path: Path) -> None:
    review, mona, _ = files
    run("merge", review, mona)
    start = TEXT.index("موسكو")
    record = {
        "id": "d1",
        "text": TEXT,
        "spans": [{"id": "1", "start": start, "end": start + 5, "label": "ORG"}],
    }
    model = tmp_path / "model.jsonl"
    model.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    result = run("merge", review, model, "--annotator", "model:camelbert")
    assert result.exit_code == 0, result.output
    with Project.open(review, read_only=True) as opened:
        (span,) = opened.spans("d1", ["model:camelbert"])
    assert (span.text_in(TEXT), span.label) == ("موسكو", "ORG")


def test_merge_refuses_a_changed_text_and_merges_nothing(
    files: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    review, mona, _ = files
    changed = annotator_project(
        tmp_path / "changed.sqlite", "sami", [("بايدن", "PER")], text=TEXT + " أمس"
    )
    result = CliRunner().invoke(main, ["merge", str(review), str(mona), str(changed)])
    assert result.exit_code == 2
    assert "different text" in result.output and "nothing was merged" in result.output
    with Project.open(review, read_only=True) as opened:
        assert opened.document_ids() == []


def test_agree_json_matches_the_hand_computation(files: tuple[Path, Path, Path]) -> None:
    # Exact: only GPE matches, F1 = 2*1 / (2 + 2) = 0.5. Overlap: all spans overlap, F1 = 1.
    # Tokens (9 words): PER layer A = O B I O ..., B = O O B O ...: 2 of 9 differ; GPE equal.
    #   18 items, po = 16/18. A: B 2, I 1, O 15; B: B 2, I 0, O 16.
    #   pe = (15*16 + 2*2) / 324 = 244/324; kappa = (288 - 244) / (324 - 244) = 44/80 = 0.55.
    review, mona, sami = files
    run("merge", review, mona, sami)
    result = run("agree", review, "--annotators", "mona,sami", "--json")
    data = json.loads(result.output)
    (pair,) = data["pairs"]
    assert (pair["a"], pair["b"]) == ("mona", "sami")
    assert pair["span_f1_exact"] == 0.5
    assert pair["span_f1_overlap"] == 1.0
    assert pair["kappa_tokens"] == pytest.approx(0.55)
    assert pair["links_f1"] is None
    assert pair["per_label"]["GPE"]["span_f1_exact"] == 1.0
    assert set(pair) >= {"alpha", "per_document"}


def test_agree_table_and_unknown_annotator(files: tuple[Path, Path, Path]) -> None:
    review, mona, sami = files
    run("merge", review, mona, sami)
    table = run("agree", review)
    assert "mona × sami: 1 document(s)" in table.output
    assert "all\t2\t2\t0.500\t1.000\t0.550" in table.output
    per_doc = run("agree", review, "--per-document")
    assert "d1\t0.500\t1.000\t0.550" in per_doc.output
    bad = CliRunner().invoke(main, ["agree", str(review), "--annotators", "mona,nobody"])
    assert bad.exit_code != 0
    assert "nobody" in bad.output


def test_chart_has_arabic_label_names_in_logical_order(
    files: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    import matplotlib

    review, mona, sami = files
    run("merge", review, mona, sami)
    png = tmp_path / "agreement.png"
    assert run("agree", review, "--chart", png).exit_code == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = tmp_path / "agreement.svg"
    with matplotlib.rc_context({"svg.fonttype": "none"}):  # keep text as text to read it back
        assert run("agree", review, "--chart", svg).exit_code == 0
    drawn = svg.read_text(encoding="utf-8")
    assert "شخص" in drawn and "جغرافي" in drawn  # كيان جغرافي سياسي wraps onto lines
    assert not PRESENTATION_FORMS.search(drawn)


def test_chart_refuses_other_formats(files: tuple[Path, Path, Path], tmp_path: Path) -> None:
    review, mona, sami = files
    run("merge", review, mona, sami)
    result = CliRunner().invoke(main, ["agree", str(review), "--chart", str(tmp_path / "a.pdf")])
    assert result.exit_code == 2
    assert ".png or .svg" in result.output
