"""Edit > Undo and Redo take a review decision back and forth in the window, gold ids kept."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from review_helpers import TEXT, mona_and_sami
from window_helpers import open_window, use_private_settings

from annotator.gui import MainWindow
from annotator.gui.review_panel import ReviewPanel
from annotator.model.document import GOLD_ANNOTATOR
from annotator.review.compare import LABEL
from annotator.store import Project
from annotator.store.reviews import decisions


def gold_on_disk(path: Path) -> list[tuple[str, str, str]]:
    with Project.open(path, read_only=True, annotator="reader") as again:
        return [(s.id, s.text_in(TEXT), s.label) for s in again.spans("d1", [GOLD_ANNOTATOR])]


def decided_on_disk(path: Path) -> dict[str, str]:
    with Project.open(path, read_only=True, annotator="reader") as again:
        return {key: d.decision for key, d in decisions(again, "d1").items()}


def review_mode(qtbot: QtBot, window: MainWindow) -> ReviewPanel:
    window.docks["review"].toggleViewAction().trigger()
    panel = window.docks["review"].widget()
    assert isinstance(panel, ReviewPanel)
    qtbot.waitUntil(lambda: len(panel.cases()) == 7)
    return panel


def test_undo_and_redo_of_an_accept_in_review_mode(qtbot: QtBot, tmp_path: Path) -> None:
    use_private_settings(tmp_path / "settings")
    mona_and_sami(tmp_path).close()
    path = tmp_path / "review.sqlite"
    window = open_window(qtbot, path)
    window.open_document("d1")
    panel = review_mode(qtbot, window)
    row = next(i for i, c in enumerate(panel.cases()) if c.kind == LABEL)
    item = panel.case_list.topLevelItem(row)
    assert item is not None
    panel.case_list.setCurrentItem(item)
    case = panel.cases()[row]
    panel.accept_current([o.label for o in case.options].index("ORG"))
    accepted = gold_on_disk(path)
    assert [(words, label) for _id, words, label in accepted] == [("موسكو", "ORG")]

    window.undo()
    assert gold_on_disk(path) == []
    assert decided_on_disk(path) == {}
    assert panel.decision(case) is None  # the panel shows the case open again

    window.redo()
    assert gold_on_disk(path) == accepted  # the same gold span, same id
    assert decided_on_disk(path) == {case.key: "accepted"}
    assert panel.decision(case) is not None
