"""The search dock's widget: the query and its options, a summary line and the result list.

The panel holds no search: it says what the user asked for (``searchRequested`` with a
:class:`SearchQuery`), which hit was activated (``hitActivated``) and that annotate all was
asked for; :mod:`annotator.gui.search_dock` does the rest. The query is compared as Find
compares it (another hamza, ة or ه, tashkeel: see :func:`annotator.model.text.find_matches`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.consistency_panel import RightToLeftDelegate
from annotator.gui.fonts import arabic_family
from annotator.gui.i18n import Texts
from annotator.gui.plaintext import plain_label
from annotator.gui.search_results import (
    CONTEXT_COLUMN,
    HIT_ROLE,
    TITLE_COLUMN,
    KwicDelegate,
    SearchResults,
)
from annotator.gui.undo_keys import UndoGoesToTheWindow
from annotator.model.schema import Schema
from annotator.session.corpus_search import SearchQuery

ANY = ""  # the label and annotator boxes' "any" entry


class SearchPanel(QWidget):
    """Query box, options, summary and the hits; Enter or Search runs the query."""

    searchRequested = Signal(object)  # SearchQuery
    hitActivated = Signal(object)  # ShownHit
    annotateAllRequested = Signal()

    def __init__(self, texts: Texts, schema: Schema, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.texts = texts
        self.query = QLineEdit()
        self.query.setClearButtonEnabled(True)
        texts.bind(self.query.setPlaceholderText, "Search the project")
        self.query.installEventFilter(UndoGoesToTheWindow(self))
        self.search_button = QPushButton()
        texts.bind(self.search_button.setText, "Search")
        self.whole_words = QCheckBox()
        texts.bind(self.whole_words.setText, "Whole words only")
        self.label_combo = QComboBox()
        self.annotator_combo = QComboBox()
        self.where_combo = QComboBox()
        self.annotate_button = QPushButton()
        texts.bind(self.annotate_button.setText, "Annotate all…")
        self.summary = plain_label()
        self.results = SearchResults(texts, self)
        self.table = self._table()
        self._fill_choices(schema)
        self._lay_out()
        self.query.returnPressed.connect(self.request_search)
        self.search_button.clicked.connect(self.request_search)
        self.annotate_button.clicked.connect(self.annotateAllRequested.emit)
        self.table.activated.connect(self._activated)
        self.table.clicked.connect(self._activated)
        for combo in (self.label_combo, self.annotator_combo):
            combo.currentIndexChanged.connect(lambda _i: self._restriction_changed())
        self._restriction_changed()

    def _table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.results)
        table.setItemDelegateForColumn(TITLE_COLUMN, RightToLeftDelegate(table))
        table.setItemDelegateForColumn(CONTEXT_COLUMN, KwicDelegate(table))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.setWordWrap(False)
        font = table.font()
        font.setFamily(arabic_family())
        table.setFont(font)
        header = table.horizontalHeader()
        header.setSectionResizeMode(TITLE_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(CONTEXT_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(TITLE_COLUMN, 180)
        return table

    def _fill_choices(self, schema: Schema) -> None:
        # The first entries and the inside/outside box follow the interface language.
        self.label_combo.addItem("", ANY)
        self.texts.bind(partial(self.label_combo.setItemText, 0), "Any label")
        for label in schema.labels:
            self.label_combo.addItem(f"{label.id} — {label.name_ar}", label.id)
        self.annotator_combo.addItem("", ANY)  # set_annotators keeps it first
        self.texts.bind(partial(self.annotator_combo.setItemText, 0), "Any annotator")
        for index, key in enumerate(("inside such annotations", "outside such annotations")):
            self.where_combo.addItem("", key.startswith("inside"))
            self.texts.bind(partial(self.where_combo.setItemText, index), key)

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.query, 1)
        top.addWidget(self.search_button)
        options = QHBoxLayout()
        options.addWidget(self.whole_words)
        for combo in (self.label_combo, self.annotator_combo, self.where_combo):
            options.addWidget(combo)
        options.addStretch(1)
        options.addWidget(self.annotate_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 4, 4, 4)
        column.addLayout(top)
        column.addLayout(options)
        column.addWidget(self.summary)
        column.addWidget(self.table, 1)

    def set_annotators(self, names: Sequence[str]) -> None:
        """Offer these annotators in the restriction box (the choice kept when still there)."""
        current = self.annotator_combo.currentData()
        self.annotator_combo.blockSignals(True)
        self.annotator_combo.clear()
        self.annotator_combo.addItem(self.texts("Any annotator"), ANY)
        for name in names:
            self.annotator_combo.addItem(name, name)
        self.annotator_combo.setCurrentIndex(max(0, self.annotator_combo.findData(current)))
        self.annotator_combo.blockSignals(False)
        self._restriction_changed()

    def search_query(self) -> SearchQuery:
        """Return what the fields ask for now."""
        label = str(self.label_combo.currentData() or "") or None
        annotator = str(self.annotator_combo.currentData() or "") or None
        return SearchQuery(
            self.query.text(),
            whole_words=self.whole_words.isChecked(),
            label=label,
            annotator=annotator,
            inside=bool(self.where_combo.currentData()),
        )

    def request_search(self) -> None:
        """Enter or Search: ask for the query in the fields."""
        self.searchRequested.emit(self.search_query())

    def focus_query(self) -> None:
        """Put the cursor in the query box with its text selected, ready to type."""
        self.query.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query.selectAll()

    def _restriction_changed(self) -> None:
        restricted = bool(self.label_combo.currentData() or self.annotator_combo.currentData())
        self.where_combo.setEnabled(restricted)

    def _activated(self, index: QModelIndex) -> None:
        shown = index.data(HIT_ROLE)
        if shown is not None:
            self.hitActivated.emit(shown)
