"""The whole review of the seed article, as a new user would do it: two annotators' files are
merged, every disagreement is stepped through in the panel and settled, then agreement is read
and the gold layer exported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from PySide6.QtCore import Qt
from review_helpers import seed_annotator_files, seed_example

from annotator.cli import main
from annotator.gui.review_panel import ReviewPanel
from annotator.review.compare import ONLY
from annotator.store import Project


def cli(*args: object) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def settle(panel: ReviewPanel) -> None:
    """Take mona's version of every disagreement; what only sami marked is rejected."""
    case = panel.current_case()
    assert case is not None
    mine = [i for i, o in enumerate(case.options) if "mona" in o.annotators]
    if case.kind == ONLY and not mine:
        panel.buttons["reject"].click()
    else:
        panel.option_combo.setCurrentIndex(mine[0])
        panel.buttons["accept"].click()


def test_seed_article_reviewed_end_to_end(qtbot, tmp_path: Path) -> None:
    mona, sami = seed_annotator_files(tmp_path)
    review = tmp_path / "review.sqlite"
    cli("init", review)
    cli("merge", review, mona, sami)
    # Hand computation (tests/review/review_helpers.py lists sami's differences):
    # mona 88 spans; sami drops 3, adds 1: 86. Exact matches: 88 - 3 dropped - 2 relabelled
    # - 2 moved edges = 81: F1 = 162/174. Overlap: the 2 moved edges still overlap: 83 on
    # each side: F1 = 166/174. Links: mona 18 SPEAKER/CLAIMANT, sami 17, 16 equal: 32/35.
    pair = json.loads(cli("agree", review, "--json"))["pairs"][0]
    assert pair["span_f1_exact"] == 162 / 174
    assert pair["span_f1_overlap"] == pytest.approx(166 / 174)
    assert pair["links_f1"] == 32 / 35
    assert pair["per_label"]["PER"]["span_f1_exact"] == 30 / 34

    with Project.open(review, annotator="reviewer") as project:
        panel = ReviewPanel(project)
        qtbot.addWidget(panel)
        panel.show()
        panel.activateWindow()
        panel.case_list.setFocus()
        qtbot.waitUntil(panel.case_list.hasFocus)
        disagreements = [c.key for c in panel.cases() if c.disagreement]
        # 2 label, 2 boundary, 1 attribute, 4 one-sided spans, 3 one-sided links.
        assert len(disagreements) == 12
        panel.case_list.setCurrentItem(panel.case_list.topLevelItem(0))
        if not panel.current_case().disagreement:
            qtbot.keyClick(panel.case_list, Qt.Key.Key_F8)
        visited = []
        while panel.current_case() is not None and panel.decision(panel.current_case()) is None:
            visited.append(panel.current_case().key)
            settle(panel)  # the panel moves on to the next open disagreement by itself
        assert sorted(visited) == sorted(disagreements)
        panel.buttons["accept_agreed"].click()
        assert panel.status_text().startswith("Review: reviewed")
        panel.tabs.setCurrentIndex(1)
        assert panel.agreement_table.cell_text(0, 3) == f"{162 / 174:.3f}"

    out = tmp_path / "gold.jsonl"
    cli("export", review, out, "--format", "native", "--annotator", "gold")
    (line,) = out.read_text(encoding="utf-8").splitlines()
    exported = json.loads(line)
    example = seed_example()

    def spans(doc: dict) -> set[tuple]:
        return {
            (s["start"], s["end"], s["label"], tuple(sorted(s["attrs"].items())))
            for s in doc["spans"]
        }

    def links(doc: dict) -> set[tuple]:
        ends = {s["id"]: (s["start"], s["end"], s["label"]) for s in doc["spans"]}
        return {(r["type"], ends[r["head"]], ends[r["tail"]]) for r in doc["relations"]}

    assert len(exported["spans"]) == 88 and len(exported["relations"]) == 35
    assert spans(exported) == spans(example)
    assert links(exported) == links(example)
    assert {s["annotator"] for s in exported["spans"]} == {"gold"}
    assert {s["status"] for s in exported["spans"]} == {"accepted"}
    # mona's version everywhere: gold and mona agree fully.
    gold_vs_mona = json.loads(cli("agree", review, "--annotators", "gold,mona", "--json"))
    assert gold_vs_mona["pairs"][0]["span_f1_exact"] == 1.0
    assert gold_vs_mona["pairs"][0]["links_f1"] == 1.0
