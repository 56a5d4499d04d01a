"""Article text with markup shows literally in every widget that could take it for rich text."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

from annotator.gui.plaintext import plain_tooltip
from annotator.gui.review_widgets import EditDialog, case_item
from annotator.model.schema import load_default_schema
from annotator.review.compare import Case, Option

TEXT = "نشرت الصحيفة عنوان <b>عاجل</b> ثم <script>alert(1)</script> & أعادت"


def shown_text(rich: str) -> str:
    """What a reader sees when Qt renders ``rich`` as HTML."""
    doc = QTextDocument()
    doc.setHtml(rich)
    return doc.toPlainText()


def test_tooltip_keeps_tags_and_line_breaks(qtbot):
    assert shown_text(plain_tooltip(TEXT + "\nسطر")) == TEXT + "\nسطر"


def _case() -> Case:
    start, end = TEXT.index("<b>"), TEXT.index("</b>") + 4
    option = Option("MISC", start, end, ("mona",), ("s1",))
    return Case("k", "only", "span", start, end, (option,), ("sami",))


def test_review_case_tooltip_and_edit_preview_show_markup_literally(qtbot):
    item = case_item(_case(), TEXT, None)
    assert "<b>عاجل</b>" in shown_text(item.toolTip(3))
    dialog = EditDialog(TEXT, _case(), load_default_schema())
    qtbot.addWidget(dialog)
    assert dialog.preview.textFormat() == Qt.TextFormat.PlainText
    assert dialog.preview.text() == "<b>عاجل</b>"
