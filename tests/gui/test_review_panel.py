"""Review mode driven through the panel with pytest-qt, checked in the store afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QTreeWidgetItem
from pytestqt.qtbot import QtBot
from review_helpers import TEXT, mona_and_sami

from annotator.gui.review_panel import ReviewPanel
from annotator.gui.review_widgets import KIND_COLORS
from annotator.gui.text_view import ArticleView
from annotator.model.document import GOLD_ANNOTATOR
from annotator.review.compare import AGREED, BOUNDARY, LABEL, ONLY, Case
from annotator.store import Project
from annotator.store.reviews import decisions, review_status


@pytest.fixture
def review(tmp_path: Path) -> Project:
    return mona_and_sami(tmp_path)


@pytest.fixture
def panel(qtbot: QtBot, review: Project) -> ReviewPanel:
    widget = ReviewPanel(review)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def on_disk(project: Project) -> Project:
    """A second connection to the same file: what was saved, not what the panel holds."""
    return Project.open(project.path, read_only=True, annotator="reader")


def gold_on_disk(project: Project) -> list[tuple[str, str]]:
    with on_disk(project) as again:
        return sorted((s.text_in(TEXT), s.label) for s in again.spans("d1", [GOLD_ANNOTATOR]))


def item(panel: ReviewPanel, row: int) -> QTreeWidgetItem:
    found = panel.case_list.topLevelItem(row)
    assert found is not None
    return found


def current(panel: ReviewPanel) -> Case:
    case = panel.current_case()
    assert case is not None
    return case


def row_of(panel: ReviewPanel, kind: str, target: str = "span") -> int:
    return next(i for i, c in enumerate(panel.cases()) if c.kind == kind and c.target == target)


def test_cases_are_listed_colour_coded_with_their_arabic_words(panel: ReviewPanel) -> None:
    assert panel.annotators() == ["mona", "sami"]
    assert panel.case_list.topLevelItemCount() == len(panel.cases()) == 7
    label_row = item(panel, row_of(panel, LABEL))
    assert label_row.text(0) == "label conflict"
    shown = label_row.text(3).replace("\u2068", "").replace("\u2069", "")
    assert shown == "GPE «موسكو» (mona) | ORG «موسكو» (sami)"
    assert label_row.background(0).color().name() == KIND_COLORS[LABEL]
    agreed_row = item(panel, row_of(panel, AGREED))
    assert agreed_row.background(0).color().name() == KIND_COLORS[AGREED]
    assert "7 case(s), 5 disagreement(s), 7 open" in panel.status_text()
    assert panel.document_combo.currentText().endswith("[unreviewed]")


def test_keyboard_steps_through_disagreements_only(qtbot: QtBot, panel: ReviewPanel) -> None:
    panel.case_list.setFocus()
    panel.activateWindow()
    qtbot.waitUntil(panel.case_list.hasFocus)
    seen = []
    panel.case_list.setCurrentItem(item(panel, 0))
    for _ in range(len(panel.cases())):
        qtbot.keyClick(panel.case_list, Qt.Key.Key_F8)
        seen.append(panel.current_index())
    disagreements = [i for i, c in enumerate(panel.cases()) if c.disagreement and i > 0]
    assert list(dict.fromkeys(seen)) == disagreements
    qtbot.keyClick(panel.case_list, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert panel.current_index() == disagreements[-2]


def test_accept_a_chosen_version_lands_in_gold_on_disk(panel: ReviewPanel) -> None:
    panel.case_list.setCurrentItem(item(panel, row_of(panel, LABEL)))
    org = [o.label for o in current(panel).options].index("ORG")
    panel.option_combo.setCurrentIndex(org)
    panel.buttons["accept"].click()
    assert gold_on_disk(panel.project) == [("موسكو", "ORG")]
    with on_disk(panel.project) as again:
        made = decisions(again, "d1")
    (decision,) = made.values()
    assert (decision.decision, decision.reviewer) == ("accepted", "reviewer")
    # The panel moved on to the next open disagreement and shows the decision in the list.
    assert current(panel).disagreement
    assert current(panel).key not in made
    row = item(panel, row_of(panel, LABEL))
    assert row.text(1) == "✓ accepted by reviewer"


def test_reject_by_shortcut(qtbot: QtBot, panel: ReviewPanel) -> None:
    panel.case_list.setCurrentItem(item(panel, row_of(panel, ONLY)))
    panel.case_list.setFocus()
    panel.activateWindow()
    qtbot.waitUntil(panel.case_list.hasFocus)
    case = current(panel)
    qtbot.keyClick(
        panel.case_list,
        Qt.Key.Key_R,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    with on_disk(panel.project) as again:
        assert decisions(again, "d1")[case.key].decision == "rejected"
    assert gold_on_disk(panel.project) == []


def test_edit_dialog_puts_the_corrected_span_in_gold(qtbot: QtBot, panel: ReviewPanel) -> None:
    panel.case_list.setCurrentItem(item(panel, row_of(panel, BOUNDARY)))
    dialog = panel.open_edit_dialog()
    assert dialog is not None
    start = TEXT.index("بايدن")
    dialog.start.setValue(start)
    dialog.end.setValue(start + len("بايدن"))
    assert dialog.preview.text() == "بايدن"
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert gold_on_disk(panel.project) == [("بايدن", "PER")]
    with on_disk(panel.project) as again:
        (decision,) = decisions(again, "d1").values()
        assert decision.decision == "edited"


def test_relation_case_accepted_with_its_ends(panel: ReviewPanel) -> None:
    row = row_of(panel, ONLY, "relation")
    panel.case_list.setCurrentItem(item(panel, row))
    assert not panel.buttons["edit"].isEnabled()
    panel.buttons["accept"].click()
    with on_disk(panel.project) as again:
        (rel,) = again.relations("d1", [GOLD_ANNOTATOR])
        assert rel.type == "SPEAKER"
        assert again.span("d1", rel.head).text_in(TEXT) == "ترفض الحوار"


def test_whole_document_reviewed_through_the_panel(panel: ReviewPanel) -> None:
    panel.buttons["accept_agreed"].click()
    assert gold_on_disk(panel.project) == [("ترفض الحوار", "QUOTE"), ("قال", "CUE")]
    panel.case_list.setCurrentItem(item(panel, 0))
    panel.buttons["next"].click()
    while (case := panel.current_case()) is not None and panel.decision(case) is None:
        panel.buttons["reject"].click()
    with on_disk(panel.project) as again:
        assert review_status(again, "d1") == "reviewed"
    assert panel.status_text().startswith("Review: reviewed")
    assert panel.status_text().endswith("0 open")
    assert panel.document_combo.currentText().endswith("[reviewed]")


def test_agreement_tab_shows_the_pair(panel: ReviewPanel) -> None:
    # Exact: CUE and QUOTE match; PER boundary, موسكو label, واشنطن one-sided do not.
    # mona has 4 spans, sami 5: F1 = 2*2 / (4 + 5) = 0.444. Links: none match: 0.
    # Per label: PER 1 / 1 spans that do not match exactly: 0.000 exact, 1.000 overlap.
    table = panel.agreement_table
    rows = [[table.cell_text(r, c) for c in range(8)] for r in range(table.rowCount())]
    assert rows[0][:4] == ["mona × sami", "all", "4 / 5", "0.444"]
    assert rows[0][7] == "0.000"
    per = next(r for r in rows if r[1] == "PER")
    assert per[2:5] == ["1 / 1", "0.000", "1.000"]


def test_current_case_is_highlighted_in_the_article(qtbot: QtBot, review: Project) -> None:
    view = ArticleView()
    qtbot.addWidget(view)
    view.set_content(TEXT, [], review.schema)
    widget = ReviewPanel(review, view)
    qtbot.addWidget(widget)
    row = row_of(widget, LABEL)
    with qtbot.waitSignal(widget.caseSelected) as blocker:
        widget.case_list.setCurrentItem(item(widget, row))
    start, end = blocker.args
    assert TEXT[start:end] == "موسكو"


def test_link_text_keeps_arabic_pieces_isolated_so_the_arrow_reads_right() -> None:
    from annotator.gui.review_widgets import option_text
    from annotator.review.compare import Option

    quote = (TEXT.index("ترفض"), TEXT.index("ترفض") + len("ترفض الحوار"), "QUOTE")
    person = (TEXT.index("بايدن"), TEXT.index("بايدن") + 5, "PER")
    link = Option("SPEAKER", quote[0], quote[1], ("mona",), ("r1",), head=quote, tail=person)
    assert option_text(link, TEXT) == (
        "SPEAKER: «\u2068ترفض الحوار\u2069» → «\u2068بايدن\u2069» (mona)"
    )
