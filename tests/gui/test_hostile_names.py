"""Markup in anything read from a file is shown literally in every widget, tooltip and message box.

A project is built with ``<b>&amp;</b>`` (and an ``<img>`` that would load a local file) in its
folder name, project name, label and relation names, attribute values, document id, title and
text, and two annotators' names. The window is opened on it with the inspector, the review
dock, the dialogs and an error box up, and every string Qt could read as HTML, or whose ``&``
it could take for a mnemonic, is checked to show the markup as the characters it is.
"""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QTextDocument
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QGroupBox,
    QLabel,
    QMenu,
    QMessageBox,
    QTabBar,
    QWidget,
)
from window_helpers import open_window

from annotator.gui.app import run
from annotator.gui.export_dialog import ExportDialog
from annotator.gui.import_dialog import ImportDialog
from annotator.gui.palette import LabelPalette
from annotator.gui.preferences import PreferencesDialog
from annotator.gui.review_widgets import EditDialog
from annotator.model.schema import Label, Schema
from annotator.store import Project

SIG = "<b>&amp;</b>"  # rendered as HTML it becomes a bold "&": the markup is gone
PATH_SIG = "<b>&amp;<i>"  # the same in a file name, which cannot hold "/"
KEPT = "<b>&amp;"  # what a reader must see of either
SECRET = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
IMG = f'<img src="file://{SECRET}/review-panel.png">'
MONA = f"mona{SIG}"
SAMI = f"sami{SIG}{IMG}"
TEXT = f"قال لافروف إن موسكو مستعدة للحوار {SIG} مع واشنطن"
TITLE = f"عنوان{SIG}{IMG}"
DOC_ID = f"doc{SIG}"
SCHEMA = f"""
name = "hostile{SIG}"
[[labels]]
id = "PER"
name_en = "Person{SIG}"
name_ar = "شخص{SIG}{IMG.replace('"', "'")}"
shortcut = "P"
[[labels]]
id = "QUOTE"
name_en = "Quote{SIG}"
kind = "quote"
shortcut = "Q"
[labels.attributes.type]
values = ["direct{SIG}", "indirect"]
default = "direct{SIG}"
[[relations]]
id = "SPEAKER"
name_en = "Speaker{SIG}"
name_ar = "المتحدث{SIG}"
head = ["QUOTE"]
tail = ["PER"]
"""


def shown(text: str, rich: bool) -> str:
    """What a reader sees of ``text``: rendered as HTML when Qt would take it for rich text."""
    if not rich:
        return text
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


def without_mnemonics(caption: str) -> str:
    """What a menu or button shows of ``caption``: "&x" is x underlined, "&&" one "&"."""
    return re.sub(r"&(.)", r"\1", caption)


# The hostile values as they may reach a widget: raw, mnemonic-escaped or -eaten, HTML-escaped.
MARKS = ("<b>&", "<b>amp;", html.escape("<b>&"), '<img src="file:', html.escape("<img src="))


def from_a_file(text: str) -> bool:
    """True for a string holding one of this test's hostile values (not another test's)."""
    return any(mark in text for mark in MARKS)


class Walk:
    """Collects every string that shows hostile markup other than literally."""

    def __init__(self) -> None:
        self.wrong: list[tuple[str, str, str]] = []
        self.checked = 0

    def check(self, where: str, text: str, seen: str) -> None:
        if not text or not from_a_file(text):
            return
        self.checked += 1
        if KEPT not in seen:
            self.wrong.append((where, text, seen))

    def tooltip(self, where: str, text: str) -> None:
        self.check(where, text, shown(text, GuiQt.mightBeRichText(text)))

    def label(self, widget: QLabel) -> None:
        text, fmt = widget.text(), widget.textFormat()
        rich = fmt == Qt.TextFormat.RichText or (
            fmt != Qt.TextFormat.PlainText and GuiQt.mightBeRichText(text)
        )
        self.check(f"QLabel {widget.objectName()}", text, shown(text, rich))

    def caption(self, where: str, text: str) -> None:
        self.check(where, text, without_mnemonics(text))

    def model(self, where: str, model: QAbstractItemModel) -> None:
        for index in cells(model):
            tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
            if isinstance(tip, str):
                self.tooltip(f"{where} tooltip", tip)

    def widget(self, widget: QWidget) -> None:
        name = type(widget).__name__
        self.tooltip(f"{name} tooltip", widget.toolTip())
        if isinstance(widget, QLabel):
            self.label(widget)
        if isinstance(widget, QAbstractButton):
            self.caption(f"{name} text", widget.text())
        if isinstance(widget, QGroupBox):
            self.caption(f"{name} title", widget.title())
        if isinstance(widget, QMenu):
            self.caption("QMenu title", widget.title())
        if isinstance(widget, QTabBar):
            for i in range(widget.count()):
                self.caption("tab", widget.tabText(i))
                self.tooltip("tab tooltip", widget.tabToolTip(i))
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            self.model(name, widget.model())
        for act in widget.actions():
            self.action(act)

    def action(self, act: QAction) -> None:
        self.caption("QAction text", act.text())
        self.tooltip("QAction tooltip", act.toolTip())


def cells(model: QAbstractItemModel, parent: QModelIndex | None = None) -> Iterator[QModelIndex]:
    """Yield every index of ``model`` (rows, columns and children)."""
    parent = parent or QModelIndex()
    try:
        columns = model.columnCount(parent)
    except TypeError:  # a list model keeps columnCount private: one column
        columns = 1 if not parent.isValid() else 0
    for row in range(model.rowCount(parent)):
        for column in range(columns):
            index = model.index(row, column, parent)
            yield index
            if column == 0:
                yield from cells(model, index)


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A project whose every name, id, title, value and path holds markup."""
    folder = tmp_path / f"news{PATH_SIG}"
    folder.mkdir()
    schema = tmp_path / "hostile.toml"
    schema.write_text(SCHEMA, encoding="utf-8")
    path = folder / f"p{PATH_SIG}.sqlite"
    with Project.create(path, schema=schema, annotator=MONA, name=f"Project{SIG}") as project:
        project.add_document(TEXT, title=TITLE, doc_id=DOC_ID)
        per = project.add_span(DOC_ID, TEXT.index("لافروف"), TEXT.index(" إن"), "PER")
        quote = project.add_span(DOC_ID, TEXT.index("إن"), TEXT.index(" مع"), "QUOTE")
        project.add_relation(DOC_ID, "SPEAKER", quote.id, per.id)
    with Project.open(path, annotator=SAMI) as project:
        project.add_span(DOC_ID, TEXT.index("واشنطن"), len(TEXT), "PER")
        project.add_span(DOC_ID, TEXT.index("إن"), TEXT.index(" مع"), "QUOTE")
    return path


def test_every_widget_shows_markup_from_the_project_literally(qtbot, hostile: Path):
    window = open_window(qtbot, hostile)
    quote = next(
        s for s in window.session.spans.values() if s.label == "QUOTE" and s.annotator == MONA
    )
    window.select_span(quote.id)  # inspector: annotator, attributes, the link and its tooltip
    assert window.inspector.link_ids()
    window.review.toggle.trigger()  # review dock: documents, annotators, cases, agreement
    qtbot.waitUntil(lambda: bool(window.review.panel.cases()))
    window.files.open_project(hostile.parent / f"missing{PATH_SIG}.sqlite")  # an error box
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    assert any(box.isVisible() for box in boxes)
    case = window.review.panel.cases()[0]
    dialogs = [
        ExportDialog(window.project, window.texts, window),
        ImportDialog(window.project, window.texts, window),
        PreferencesDialog(window.texts, window),
        EditDialog(TEXT, case, window.project.schema, window),
    ]
    for dialog in dialogs:
        dialog.show()
    walk = Walk()
    for widget in QApplication.allWidgets():
        walk.widget(widget)
    for act in window.findChildren(QAction):
        walk.action(act)
    assert walk.checked > 20  # the hostile values did reach the widgets
    assert walk.wrong == [], "\n".join(f"{w}: {t!r} shows as {s!r}" for w, t, s in walk.wrong)
    for dialog in dialogs:
        dialog.close()
    for box in boxes:
        box.close()


def test_the_start_up_error_box_shows_the_path_as_typed(qtbot, tmp_path: Path):
    bad = tmp_path / f"news{PATH_SIG}.sqlite"
    bad.write_text("not a project", encoding="utf-8")
    seen: list[tuple[Qt.TextFormat, str]] = []
    tries = [0]

    def grab() -> None:
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
        box = next((b for b in boxes if b.isVisible()), None)
        if box is not None:
            seen.append((box.textFormat(), box.text()))
            box.done(0)
        elif tries[0] < 500:  # the box opens within a few events; never wait for ever
            tries[0] += 1
            QTimer.singleShot(10, grab)
        else:
            QApplication.exit(99)

    previous = sys.excepthook
    QTimer.singleShot(0, grab)
    try:
        code = run(bad)
    finally:
        sys.excepthook = previous
    assert code != 0
    assert len(seen) == 1
    fmt, text = seen[0]
    assert str(bad) in text
    rich = fmt != Qt.TextFormat.PlainText and GuiQt.mightBeRichText(text)
    assert KEPT in shown(text, rich)


def test_the_palette_tooltip_of_a_label_id_is_plain_whatever_the_schema(qtbot):
    """Label ids are checked when a schema is read; a Schema made in Python is not, so the
    palette escapes them too."""
    label = Label(IMG, f"x{SIG}", "س", "#cccccc", "")
    palette = LabelPalette(Schema("s", (label,), ()))
    qtbot.addWidget(palette)
    tip = palette.item(0, 0).toolTip()
    assert shown(tip, GuiQt.mightBeRichText(tip)) == IMG
