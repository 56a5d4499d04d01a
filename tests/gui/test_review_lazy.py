"""Review mode costs nothing while it is off: no comparison and no agreement until it is shown.

Comparing a long, doubly annotated article takes a noticeable time; the window must not pay it
on every opening when the review dock is hidden, and must compare only the document shown.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from window_helpers import open_window, use_private_settings

import annotator.review.agreement
import annotator.review.compare
from annotator.gui import MainWindow
from annotator.gui.review_panel import ReviewPanel
from annotator.model.document import DocumentRecord, Span
from annotator.paths import SEEDS
from annotator.store import Project

LABELS = ("PER", "ORG", "GPE", "LOC", "NORP", "DATE")
WORD = re.compile(r"[\u0621-\u064a][\u0621-\u065f\u0670]*")  # letters with their tashkeel


def long_article() -> DocumentRecord:
    """The seed article's body ten times over, every third word marked by mona and karim."""
    seed = (SEEDS / "000_2024f0fe6e876b71.txt").read_text(encoding="utf-8")
    text = "\n\n".join([seed.split("\n\n", 4)[-1]] * 10)
    spans = []
    for i, word in enumerate(list(WORD.finditer(text))[::3]):
        label = LABELS[i % len(LABELS)]
        spans.append(Span(f"m{i}", "long", *word.span(), label, annotator="mona"))
        if i % 10:  # karim leaves one in ten out and relabels one in seven
            other = "ORG" if i % 7 == 0 and label == "PER" else label
            spans.append(Span(f"k{i}", "long", *word.span(), other, annotator="karim"))
    return DocumentRecord(text=text, id="long", spans=tuple(spans))


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    use_private_settings(tmp_path / "settings")
    path = tmp_path / "review.sqlite"
    with Project.create(path, annotator="reviewer") as project:
        # "short" comes first in the document list: showing review mode on "long" must not
        # compare it on the way.
        short = DocumentRecord(text="خبر قصير عن موسكو", id="short")
        project.import_documents([short, long_article()])
    return path


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, object]]:
    """Record every comparison and agreement computed, whichever module calls them."""
    made: list[tuple[str, object]] = []

    def recording(name: str, real: Callable[..., object]) -> Callable[..., object]:
        def record(project: Project, *args: object, **kwargs: object) -> object:
            made.append((name, args[0] if name == "compare" else kwargs.get("doc_ids")))
            return real(project, *args, **kwargs)

        return record

    for name, real in (
        ("compare", annotator.review.compare.compare_document),
        ("agreement", annotator.review.agreement.agreement),
    ):
        patched = recording(name, real)
        for module in list(sys.modules.values()):
            for attr in ("compare_document", "agreement"):
                if getattr(module, attr, None) is real:
                    monkeypatch.setattr(module, attr, patched)
    return made


def toggle_review(qtbot: QtBot, window: MainWindow, visible: bool) -> None:
    window.docks["review"].toggleViewAction().trigger()
    qtbot.waitUntil(lambda: window.docks["review"].isVisible() == visible)
    qtbot.wait(20)  # anything the panel deferred to the event loop runs


def test_opening_a_long_article_compares_nothing_while_review_mode_is_off(
    qtbot: QtBot, project_path: Path, calls: list[tuple[str, object]]
) -> None:
    window = open_window(qtbot, project_path)
    window.open_document("long")
    qtbot.wait(20)
    window.open_document("short")
    window.open_document("long")
    qtbot.wait(20)
    assert not window.docks["review"].isVisible()
    assert calls == []

    toggle_review(qtbot, window, True)
    # Once, for the document shown: not first for the document at the top of the list.
    assert calls == [("compare", "long"), ("agreement", ["long"])]
    panel = window.docks["review"].widget()
    assert isinstance(panel, ReviewPanel)
    marked = [s for s in long_article().spans if s.annotator == "mona"]
    assert len(panel.cases()) == len(marked) > 1000  # one case per marked word

    calls.clear()
    toggle_review(qtbot, window, False)
    window.open_document("short")
    window.open_document("long")
    qtbot.wait(20)
    assert calls == []
    window.open_document("short")
    toggle_review(qtbot, window, True)
    assert calls == [("compare", "short"), ("agreement", ["short"])]
