"""The quotes recommender's held-out numbers: four articles its rules never saw.

``tests/data/suggest/heldout_quotes.jsonl`` (see the README beside it) was written and annotated
by hand before the rules were read, so these precision and recall figures are honest, unlike the
perfect score on the seed article the rules were written against. They were measured with
``annotator suggest PROJECT -r quotes --from heldout --evaluate`` and are pinned here as lower
bounds, 0.02 below what was measured: a change to the rules that loses more fails, a change that
gains is welcome (raise the bounds then). Do not tune the rules or the data to these articles.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.io.operations import import_paths
from annotator.store import Project
from annotator.suggest.evaluate import Scores, evaluate
from annotator.suggest.registry import factory

HELDOUT = Path(__file__).resolve().parents[1] / "data" / "suggest" / "heldout_quotes.jsonl"
SLACK = 0.02
# Measured (matches / proposals, matches / layer), each count checked against the file by hand.
LABELS = {
    # 31 of 35 quotes proposed are the layer's; 36 in the layer.
    "QUOTE": (31 / 35, 31 / 36),
    # every verb proposed is right; أكدت after «لكنها» is missed.
    "CUE": (35 / 35, 35 / 36),
}
LINKS = {
    "CUE": (31 / 35, 31 / 36),  # a CUE link counts only when its quote's edges are right
    "SPEAKER": (28 / 34, 28 / 33),
}
SUPPORT = {"QUOTE": 36, "CUE": 36}
LINK_SUPPORT = {"CUE": 36, "SPEAKER": 33}


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> Scores:
    """The quotes recommender scored against the held-out layer, as the CLI scores it."""
    path = tmp_path_factory.mktemp("heldout") / "heldout.sqlite"
    with Project.create(path, annotator="tester") as project:
        import_paths(project, [HELDOUT], fmt="native")
        return evaluate(project, factory("quotes"), source="heldout")


def test_every_article_is_scored_and_only_quotes_and_verbs(scores: Scores) -> None:
    """Four documents; the entities are given to it as known, so only QUOTE and CUE count."""
    assert scores.documents == 4
    assert {k: c.expected for k, c in scores.labels.items()} == SUPPORT
    assert {k: c.expected for k, c in scores.links.items()} == LINK_SUPPORT


@pytest.mark.parametrize("label", sorted(LABELS))
def test_held_out_label_scores(scores: Scores, label: str) -> None:
    """QUOTE and CUE precision and recall stay within 0.02 of the held-out measurement."""
    row = scores.labels[label].row(label)
    precision, recall = LABELS[label]
    assert row.precision >= precision - SLACK
    assert row.recall >= recall - SLACK


@pytest.mark.parametrize("link", sorted(LINKS))
def test_held_out_link_scores(scores: Scores, link: str) -> None:
    """SPEAKER and CUE link precision and recall stay within 0.02 of the measurement."""
    row = scores.links[link].row(link)
    precision, recall = LINKS[link]
    assert row.precision >= precision - SLACK
    assert row.recall >= recall - SLACK
