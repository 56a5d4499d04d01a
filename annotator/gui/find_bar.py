"""Find (Ctrl+F) ignoring hamza/alef forms, ta marbuta, alef maqsura, tashkeel and tatweel.

Matching is annotator.model.text.find_matches; this module only shows hits and the preview of
"annotate all matches", where hits inside longer words are listed as such and left unchecked.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.dialogs import ok_cancel
from annotator.gui.i18n import Texts
from annotator.model.document import Span
from annotator.model.schema import Schema
from annotator.model.text import Match, find_matches


class FindBar(QWidget):
    """Query box with next/previous; ``hitsChanged(hits, current)`` drives the article view."""

    hitsChanged = Signal(list, int)  # [(start, end, whole_word)], index of the current hit
    annotateAllRequested = Signal()

    def __init__(self, texts: Texts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.texts = texts
        self.text = ""
        self.matches: list[Match] = []
        self.current = -1
        self.query = QLineEdit()
        self.query.setClearButtonEnabled(True)
        texts.bind(self.query.setPlaceholderText, "Find")
        self.count = QLabel()
        self.buttons: dict[str, QToolButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self.query, 1)
        layout.addWidget(self.count)
        for key, slot in (
            ("Previous", self.previous),
            ("Next", self.next),
            ("Annotate all…", self.annotateAllRequested.emit),
            ("Close", self.close_bar),
        ):
            button = QToolButton()
            texts.bind(button.setText, key)
            button.clicked.connect(slot)
            layout.addWidget(button)
            self.buttons[key] = button
        self.query.textChanged.connect(self.search)
        self.query.returnPressed.connect(self.next)

    def set_text(self, text: str) -> None:
        """Search a new document text with the current query."""
        self.text = text
        self.search(self.query.text())

    def search(self, query: str) -> None:
        """Find every hit of ``query`` and make the first one current."""
        self.matches = find_matches(self.text, query) if self.text else []
        self.current = 0 if self.matches else -1
        self._emit()

    def next(self) -> None:
        """Make the next hit current (wrapping around)."""
        if self.matches:
            self.current = (self.current + 1) % len(self.matches)
            self._emit()

    def previous(self) -> None:
        """Make the previous hit current (wrapping around)."""
        if self.matches:
            self.current = (self.current - 1) % len(self.matches)
            self._emit()

    def current_match(self) -> Match | None:
        """Return the current hit, or None."""
        return self.matches[self.current] if self.current >= 0 else None

    def close_bar(self) -> None:
        """Hide the bar and clear the hits from the article."""
        self.hide()
        self.hitsChanged.emit([], -1)

    def open_bar(self) -> None:
        """Show the bar with the query selected, ready to type."""
        self.show()
        self.query.setFocus()
        self.query.selectAll()
        self._emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc closes the bar (Enter in the query box goes to the next hit)."""
        if event.key() == Qt.Key.Key_Escape:
            self.close_bar()
        else:
            super().keyPressEvent(event)

    def _emit(self) -> None:
        if self.matches:
            total = len(self.matches)
            self.count.setText(
                self.texts("{current} of {total}", current=self.current + 1, total=total)
            )
        else:
            self.count.setText(self.texts("no match") if self.query.text().strip() else "")
        hits = [(m.start, m.end, m.whole_word) for m in self.matches]
        self.hitsChanged.emit(hits, self.current)


def context(text: str, match: Match, width: int = 24) -> str:
    """Return the hit with some text around it on one line, the hit between ⟦ ⟧."""
    before = text[max(0, match.start - width) : match.start]
    after = text[match.end : match.end + width]
    return " ".join(f"{before}⟦{text[match.start : match.end]}⟧{after}".split())


def _kind(match: Match, same_label: list[Span]) -> str:
    """Say why a hit would (not) be annotated: only whole words outside same-label spans are."""
    if any((s.start, s.end) == (match.start, match.end) for s in same_label):
        return "already annotated"
    if any(s.start < match.end and match.start < s.end for s in same_label):
        return "inside a {label} annotation"
    return "whole word" if match.whole_word else "inside a longer word"


class AnnotateAllDialog(QDialog):
    """Preview of "annotate all matches" with its own label chooser.

    Whole-word hits outside annotations of the chosen label are checked; the others are listed
    with the reason and left unchecked. Choosing another label re-checks the list for it.
    """

    def __init__(
        self,
        texts: Texts,
        text: str,
        matches: list[Match],
        label: str,
        existing: list[Span],
        schema: Schema,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.texts, self.text, self.existing = texts, text, existing
        self.setWindowTitle(texts("Annotate all matches"))
        self.matches = matches
        self.label_combo = QComboBox()
        for option in schema.labels:
            self.label_combo.addItem(
                f"{option.id} — {option.name_en} / {option.name_ar}", option.id
            )
        self.label_combo.setCurrentIndex(max(0, self.label_combo.findData(label)))
        self.table = QTableWidget(len(matches), 2)
        self.table.setHorizontalHeaderLabels([texts("Text"), ""])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )
        self.question = QLabel()
        self.question.setTextFormat(Qt.TextFormat.PlainText)
        self._fill()
        self.table.itemChanged.connect(lambda _item: self._ask())
        self.label_combo.currentIndexChanged.connect(lambda _i: self._fill())
        buttons = ok_cancel(self)
        layout = QVBoxLayout(self)
        chooser = QHBoxLayout()
        caption = QLabel(texts("Label:"))
        chooser.addWidget(caption)
        chooser.addWidget(self.label_combo, 1)
        layout.addLayout(chooser)
        layout.addWidget(self.question)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(640, 420)

    def label(self) -> str:
        """Return the label the checked hits will get."""
        return str(self.label_combo.currentData())

    def set_label(self, label_id: str) -> None:
        """Choose the label, as picking it in the box does."""
        self.label_combo.setCurrentIndex(self.label_combo.findData(label_id))

    def _ask(self) -> None:
        count = len(self.checked())
        self.question.setText(
            self.texts("Annotate {n} match(es) as {label}?", n=count, label=self.label())
        )

    def _fill(self) -> None:
        label = self.label()
        same = [s for s in self.existing if s.label == label]
        self.table.blockSignals(True)
        for row, match in enumerate(self.matches):
            kind = _kind(match, same)
            item = QTableWidgetItem(context(self.text, match))
            item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            wanted = kind == "whole word"
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)
            self.table.setItem(row, 0, item)
            self.table.setItem(row, 1, QTableWidgetItem(self.texts(kind, label=label)))
        self.table.blockSignals(False)
        self._ask()

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        item = self.table.item(row, column)
        assert item is not None  # every cell is filled in _fill
        return item

    def kinds(self) -> list[str]:
        """Return the kind column as shown, one entry per hit."""
        return [self._cell(row, 1).text() for row in range(self.table.rowCount())]

    def set_checked(self, row: int, checked: bool) -> None:
        """Check or uncheck one hit."""
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        self._cell(row, 0).setCheckState(state)

    def checked(self) -> list[Match]:
        """Return the hits that will be annotated."""
        return [
            match
            for row, match in enumerate(self.matches)
            if self._cell(row, 0).checkState() == Qt.CheckState.Checked
        ]
