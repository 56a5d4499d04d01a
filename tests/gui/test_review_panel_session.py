"""The review panel driven by a window's session: decisions through a callback, undo shown,
nothing compared while the panel is hidden."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from review_helpers import TEXT, mona_and_sami

import annotator.gui.review_panel
from annotator.errors import AnnotatorError, StaleEditError
from annotator.gui.review_panel import ReviewPanel
from annotator.model.document import GOLD_ANNOTATOR
from annotator.review import gold
from annotator.review.compare import AGREED, LABEL, Case
from annotator.store import Project
from annotator.store.reviews import decisions

Action = Callable[[], object]


class Session:
    """What the window's editing session does with a decision: snapshot, run, snapshot."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.calls: list[tuple[str, list[str]]] = []
        self.undo: list[gold.GoldSnapshot] = []

    def decide(self, doc_id: str, keys: list[str], action: Action) -> None:
        self.calls.append((doc_id, list(keys)))
        self.undo.append(gold.snapshot(self.project, doc_id, keys))
        action()


@pytest.fixture
def review(tmp_path: Path) -> Project:
    return mona_and_sami(tmp_path)


@pytest.fixture
def session(review: Project) -> Session:
    return Session(review)


@pytest.fixture
def panel(qtbot: QtBot, review: Project, session: Session) -> ReviewPanel:
    widget = ReviewPanel(review, decide=session.decide)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def gold_on_disk(project: Project) -> list[tuple[str, str]]:
    with Project.open(project.path, read_only=True, annotator="reader") as again:
        return sorted((s.text_in(TEXT), s.label) for s in again.spans("d1", [GOLD_ANNOTATOR]))


def current(panel: ReviewPanel) -> Case:
    case = panel.current_case()
    assert case is not None
    return case


def select(panel: ReviewPanel, kind: str) -> Case:
    """Make the first span case of ``kind`` current and return it."""
    row = next(i for i, c in enumerate(panel.cases()) if c.kind == kind and c.target == "span")
    item = panel.case_list.topLevelItem(row)
    assert item is not None
    panel.case_list.setCurrentItem(item)
    return current(panel)


def test_a_decision_goes_through_the_callback_and_the_panel_moves_on(
    panel: ReviewPanel, session: Session
) -> None:
    case = select(panel, LABEL)
    panel.accept_current([o.label for o in case.options].index("ORG"))
    assert session.calls == [("d1", [case.key])]
    assert gold_on_disk(panel.project) == [("موسكو", "ORG")]
    assert panel.decision(case) is not None
    assert current(panel).key != case.key  # stepped to the next open disagreement
    assert panel.decision(current(panel)) is None
    assert panel.status_text().startswith("Review: in_review")


def test_the_callback_decides_whether_the_decision_runs(review: Project) -> None:
    asked: list[list[str]] = []
    widget = ReviewPanel(review, decide=lambda _doc, keys, _action: asked.append(keys))
    case = current(widget)
    widget.reject_current()
    assert asked == [[case.key]]
    assert decisions(review, "d1") == {}  # the panel did not write it behind the session


def test_accept_all_agreed_hands_over_every_agreed_case(
    panel: ReviewPanel, session: Session
) -> None:
    agreed = [c.key for c in panel.cases() if c.kind == AGREED]
    panel.buttons["accept_agreed"].click()
    assert [(doc, sorted(keys)) for doc, keys in session.calls] == [("d1", sorted(agreed))]
    assert gold_on_disk(panel.project) == [("ترفض الحوار", "QUOTE"), ("قال", "CUE")]


def test_undo_then_refresh_shows_the_case_open_again(panel: ReviewPanel, session: Session) -> None:
    case = select(panel, LABEL)
    panel.reject_current()
    assert "1 open" not in panel.status_text()
    gold.restore(panel.project, session.undo.pop())  # what Edit > Undo will do
    panel.refresh_after_change(case.key)
    assert current(panel).key == case.key
    assert panel.decision(case) is None
    row = panel.case_list.currentItem()
    assert row is not None and row.text(1) == ""
    assert panel.status_text().startswith("Review: unreviewed")
    assert panel.status_text().endswith("7 open")


def test_a_decision_the_window_already_showed_is_compared_once(
    qtbot: QtBot, review: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared: list[str] = []
    real = annotator.gui.review_panel.compare_document

    def record(project: Project, doc_id: str, names: list[str]) -> object:
        compared.append(doc_id)
        return real(project, doc_id, names)

    def decide_and_show(_doc: str, _keys: list[str], action: Action) -> None:
        action()
        widget.refresh_after_change()  # the window re-reads the document after every edit

    widget = ReviewPanel(review, decide=decide_and_show)
    qtbot.addWidget(widget)
    monkeypatch.setattr(annotator.gui.review_panel, "compare_document", record)
    case = select(widget, LABEL)
    widget.reject_current()
    assert compared == ["d1"]
    assert widget.decision(case) is not None
    assert current(widget).key != case.key  # and it still moved on
    assert widget.decision(current(widget)) is None
    widget.buttons["accept_agreed"].click()
    assert compared == ["d1", "d1"]
    assert gold_on_disk(review) == [("ترفض الحوار", "QUOTE"), ("قال", "CUE")]


def test_a_refused_decision_is_reported_and_the_panel_stays(review: Project, qtbot: QtBot) -> None:
    def refuse(_doc: str, _keys: list[str], _action: Action) -> None:
        raise StaleEditError("gold changed")

    widget = ReviewPanel(review, decide=refuse)
    case = widget.current_case()
    with qtbot.waitSignal(widget.failed) as failed:
        widget.reject_current()
    assert isinstance(failed.args[0], AnnotatorError)
    assert widget.current_case() == case


def test_a_hidden_window_panel_compares_only_once_shown(
    qtbot: QtBot, review: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared: list[str] = []
    real = annotator.gui.review_panel.compare_document

    def record(project: Project, doc_id: str, names: list[str]) -> object:
        compared.append(doc_id)
        return real(project, doc_id, names)

    monkeypatch.setattr(annotator.gui.review_panel, "compare_document", record)
    widget = ReviewPanel(review, load=False)
    qtbot.addWidget(widget)
    widget.reload()
    widget.set_document("d1")
    widget.refresh_after_change()
    assert compared == []
    assert widget.cases() == []
    widget.show()
    qtbot.waitUntil(lambda: compared == ["d1"])
    assert len(widget.cases()) == 7
    widget.hide()
    widget.refresh_after_change()
    widget.show()
    qtbot.wait(20)
    assert compared == ["d1"]  # shown again but not asked for a document yet
    widget.set_document("d1")
    assert compared == ["d1", "d1"]
