"""The Suggestions menu's dialogs: which recommender to run on what, and the statistics table.

:class:`RunDialog` says what a run is: the recommender (strings, quotes, crf, with what each
does), the layer it learns from (the user's own, gold, or another annotator's), the documents it
proposes for (this one, the document list as filtered, all), and for crf whether to train again
rather than reuse the stored model (what that model was learned from is shown). It only
chooses; :mod:`annotator.gui.suggest_controller` runs. :class:`StatsDialog` shows per
recommender and label how many suggestions wait, were accepted and rejected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.dialogs import ok_cancel
from annotator.gui.i18n import Texts
from annotator.gui.inspector import when
from annotator.gui.plaintext import plain_label
from annotator.model.document import GOLD_ANNOTATOR
from annotator.store.suggestions import StoredModel, SuggestionStat
from annotator.suggest.registry import BUILT_IN, LEARNS

SCOPES = (
    ("document", "This document"),
    ("listed", "The document list as filtered"),
    ("all", "All documents"),
)


@dataclass(frozen=True, slots=True)
class RunChoice:
    """A run as chosen in the dialog: ``scope`` is "document", "listed" or "all"."""

    recommender: str
    source: str
    scope: str
    retrain: bool = False


def model_summary(model: StoredModel | None) -> str:
    """Return one line saying what the stored crf model was learned from, and when."""
    if model is None:
        return "No stored model: the run trains one and keeps it in the project"
    info: dict[str, Any] = model.info
    spans = ", ".join(f"{label} {n}" for label, n in dict(info.get("entity_spans", {})).items())
    return (
        f"Stored model: learned from {info.get('source', '?')} on {when(model.created)},"
        f" {info.get('documents', '?')} document(s), {info.get('tokens', '?')} token(s)"
        + (f"; entities {spans}" if spans else "")
    )


class RunDialog(QDialog):
    """Choose a recommender, the layer it learns from and the documents it proposes for."""

    def __init__(
        self,
        texts: Texts,
        me: str,
        annotators: Sequence[str],
        model: StoredModel | None,
        has_document: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.texts = texts
        self.setWindowTitle(texts("Run recommender"))
        self.recommender = QComboBox()
        for name in BUILT_IN:
            self.recommender.addItem(name, name)
        self.description = plain_label()
        self.description.setWordWrap(True)
        self.source = QComboBox()
        self.source.addItem(texts("Your own layer ({name})", name=me), me)
        self.source.addItem(texts("Gold"), GOLD_ANNOTATOR)
        for name in annotators:
            if name not in (me, GOLD_ANNOTATOR):
                self.source.addItem(name, name)
        self.scopes = QButtonGroup(self)
        self.scope_buttons: dict[str, QRadioButton] = {}
        for number, (scope, caption) in enumerate(SCOPES):
            button = QRadioButton(texts(caption))
            self.scopes.addButton(button, number)
            self.scope_buttons[scope] = button
        self.scope_buttons["document"].setEnabled(has_document)
        self.scope_buttons["document" if has_document else "all"].setChecked(True)
        self.retrain = QCheckBox(texts("Train again"))
        self.model_info = plain_label(model_summary(model))
        self.model_info.setWordWrap(True)
        self.buttons = ok_cancel(self)
        self._lay_out()
        self.recommender.currentIndexChanged.connect(self._recommender_changed)
        self._recommender_changed()

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow(plain_label(self.texts("Recommender:")), self.recommender)
        form.addRow("", self.description)
        form.addRow(plain_label(self.texts("Learn from:")), self.source)
        scopes = QVBoxLayout()
        for button in self.scope_buttons.values():
            scopes.addWidget(button)
        form.addRow(plain_label(self.texts("Documents:")), scopes)
        form.addRow("", self.retrain)
        form.addRow("", self.model_info)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.buttons)
        self.resize(max(self.sizeHint().width(), 520), self.sizeHint().height())

    def _recommender_changed(self) -> None:
        name = self.recommender.currentData()
        self.description.setText(self.texts(BUILT_IN[name][2]))
        self.source.setEnabled(LEARNS.get(name, True))
        for widget in (self.retrain, self.model_info):
            widget.setVisible(name == "crf")

    def ok_button(self) -> Any:
        """Return the OK button (tests click it)."""
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def choice(self) -> RunChoice:
        """Return the run as chosen."""
        scope = next(s for s, b in self.scope_buttons.items() if b.isChecked())
        name = str(self.recommender.currentData())
        retrain = name == "crf" and self.retrain.isChecked()
        return RunChoice(name, str(self.source.currentData()), scope, retrain)


STATS_COLUMNS = ("Recommender", "Label", "Pending", "Accepted", "Rejected", "Acceptance")


def stats_rows(stats: Sequence[SuggestionStat]) -> list[tuple[str, ...]]:
    """Return the statistics table's cells: counts, and acceptance as a percentage or "–"."""
    rows: list[tuple[str, ...]] = []
    for s in stats:
        rate = "–" if s.acceptance is None else f"{s.acceptance:.0%}"
        rows.append(
            (s.recommender, s.label, str(s.pending), str(s.accepted), str(s.rejected), rate)
        )
    return rows


class StatsDialog(QDialog):
    """Per recommender and label: suggestions pending, accepted, rejected, acceptance rate."""

    def __init__(
        self, texts: Texts, stats: Sequence[SuggestionStat], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(texts("Suggestion statistics"))
        rows = stats_rows(stats)
        self.table = QTableWidget(len(rows), len(STATS_COLUMNS))
        self.table.setHorizontalHeaderLabels([texts(c) for c in STATS_COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem(value)  # items show their text as it is, never markup
                if c >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        if not rows:
            column.addWidget(plain_label(texts("No suggestions yet: run a recommender first")))
        column.addWidget(self.table)
        column.addWidget(buttons)
        self.resize(640, 320)
