"""Review mode inside the main window: the dock, the Review menu, document sync, gold shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from review_helpers import TEXT, annotator_project

from annotator.gui.main_window import MainWindow
from annotator.gui.review_panel import ReviewPanel
from annotator.model.document import GOLD_ANNOTATOR
from annotator.review.compare import LABEL
from annotator.review.merge import merge_records, project_records
from annotator.session import Layer
from annotator.store import Project


@pytest.fixture
def window(qtbot, tmp_path: Path) -> MainWindow:
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "ini"))
    mona = annotator_project(tmp_path / "mona.sqlite", "mona", [("موسكو", "GPE")])
    sami = annotator_project(tmp_path / "sami.sqlite", "sami", [("موسكو", "ORG")])
    review = tmp_path / "review.sqlite"
    with Project.create(review, annotator="reviewer") as project:
        project.add_document("خبر آخر عن جنيف", doc_id="d0")
        for path in (mona, sami):
            merge_records(project, project_records(path))
    opened = MainWindow(review, annotator="reviewer")
    qtbot.addWidget(opened)
    opened.show()
    return opened


def panel_of(window: MainWindow) -> ReviewPanel:
    return window.review.panel


def test_review_menu_opens_the_panel_on_all_layers(qtbot, window: MainWindow) -> None:
    # Only mona and sami annotated, so the window opens on everyone's layer: show the
    # reviewer's own first, so review mode has a layer to switch away from.
    window.set_layer("reviewer")
    assert window.session.layer == Layer.of("reviewer")
    panel = panel_of(window)
    titles = [a.text() for a in window.menus["review"].actions()]
    assert titles[0] == "Review mode"
    assert "Accept all agreed" in titles
    assert window.menus["review"].menuAction().isVisible()
    window.menus["review"].actions()[0].trigger()
    qtbot.waitUntil(panel.isVisible)
    assert window.session.layer == Layer.everyone()
    window.open_document("d1")
    assert panel.document_id() == "d1"
    assert [c.kind for c in panel.cases()] == [LABEL]


def test_choosing_a_document_in_the_panel_opens_it_and_gold_shows(
    qtbot, window: MainWindow
) -> None:
    panel = panel_of(window)
    window.docks["review"].show()
    qtbot.waitUntil(panel.isVisible)
    panel.set_document("d1")
    assert window.session.doc_id == "d1"
    case = panel.cases()[0]
    panel.accept_current([o.label for o in case.options].index("ORG"))
    with Project.open(window.project.path, read_only=True) as again:
        (gold,) = again.spans("d1", [GOLD_ANNOTATOR])
    assert (gold.text_in(TEXT), gold.label) == ("موسكو", "ORG")
    # The article was reloaded: the new gold span is among the shown spans.
    assert gold.id in {s.id for s in window.text_view.spans()}
