"""The consistency report as a tree: one row per finding, its places below it.

The findings come from :mod:`annotator.review.consistency`; this widget only shows them and
says which place the user activated (double click or Enter). Forms and contexts are article
text: shown as plain text, laid out right to left.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.fonts import arabic_family
from annotator.gui.i18n import Texts
from annotator.gui.plaintext import plain_label, plain_tooltip
from annotator.review.consistency import CONFLICT, Finding, Place

# The words last: the column that stretches, where long contexts have room.
COLUMNS = ("Fix", "Labels", "Layer", "Text")
LABELS_COLUMN, LAYER_COLUMN, TEXT_COLUMN = 1, 2, 3
EVERY_LAYER = ""  # the layer box's entry for "each layer on its own"
ROLE = Qt.ItemDataRole.UserRole


class RightToLeftDelegate(QStyledItemDelegate):
    """Lays a column's text out right to left, aligned right: Arabic with its punctuation."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        """Set the direction and alignment after the item's own options."""
        super().initStyleOption(option, index)
        option.direction = Qt.LayoutDirection.RightToLeft
        # Absolute: a plain AlignRight is mirrored to the left in a right-to-left option.
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute
        option.displayAlignment = right | Qt.AlignmentFlag.AlignVCenter


def labels_text(finding: Finding) -> str:
    """Return a finding's labels with their counts, e.g. ``PER 2 · ORG 1``."""
    return " · ".join(f"{label} {count}" for label, count in finding.labels)


class ConsistencyPanel(QWidget):
    """Layer box, Refresh, a summary line and the findings tree."""

    placeActivated = Signal(object, object)  # Finding, Place
    refreshRequested = Signal()

    def __init__(self, texts: Texts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.texts = texts
        self.findings: list[Finding] = []
        self.layer_combo = QComboBox()
        self.refresh_button = QPushButton()
        texts.bind(self.refresh_button.setText, "Refresh")
        self.summary = plain_label()
        self.tree = QTreeWidget()
        self.tree.setColumnCount(len(COLUMNS))
        texts.bind(lambda _t: self.tree.setHeaderLabels([texts(c) for c in COLUMNS]), "Text")
        self.tree.setItemDelegateForColumn(TEXT_COLUMN, RightToLeftDelegate(self.tree))
        self.tree.setUniformRowHeights(True)
        font = self.tree.font()
        font.setFamily(arabic_family())
        self.tree.setFont(font)
        row = QHBoxLayout()
        caption = QLabel()
        texts.bind(caption.setText, "Layer")
        row.addWidget(caption)
        row.addWidget(self.layer_combo, 1)
        row.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        self.refresh_button.clicked.connect(self.refreshRequested.emit)
        self.tree.itemActivated.connect(self._activated)

    def set_layers(self, names: Sequence[str], current: str | None) -> None:
        """Offer each layer of ``names`` and "every layer"; choose ``current`` when offered."""
        self.layer_combo.clear()
        self.layer_combo.addItem(self.texts("Every layer, each on its own"), EVERY_LAYER)
        for name in names:
            self.layer_combo.addItem(name, name)
        index = self.layer_combo.findData(current) if current else 0
        self.layer_combo.setCurrentIndex(max(index, 0))

    def layers(self) -> list[str] | None:
        """Return the layer to check as a list, or None for every layer."""
        chosen = self.layer_combo.currentData()
        return [str(chosen)] if chosen else None

    def set_busy(self, busy: bool) -> None:
        """Say the report is being made; Refresh waits for it."""
        self.refresh_button.setEnabled(not busy)
        if busy:
            self.summary.setText(self.texts("Checking…"))

    def show_findings(self, findings: Sequence[Finding], shown: Mapping[Place, str]) -> None:
        """Fill the tree: findings in their order, the places ``shown`` holds below each."""
        self.findings = list(findings)
        self.tree.clear()
        for finding in self.findings:
            item = self._finding_item(finding)
            for place in finding.places:
                if place in shown:
                    item.addChild(self._place_item(finding, place, shown[place]))
            hidden = len(finding.places) + finding.more - item.childCount()
            if hidden > 0:
                more = QTreeWidgetItem(["", "", "", self.texts("… and {n} more", n=hidden)])
                more.setFlags(Qt.ItemFlag.ItemIsEnabled)
                item.addChild(more)
            self.tree.addTopLevelItem(item)
        self.summary.setText(self.texts("{n} finding(s)", n=len(self.findings)))
        first = self.tree.topLevelItem(0)
        if first is not None:
            first.setExpanded(True)
            self.tree.setCurrentItem(first)
        for column in (0, LABELS_COLUMN, LAYER_COLUMN):  # the first finding's places too
            self.tree.resizeColumnToContents(column)

    def _finding_item(self, finding: Finding) -> QTreeWidgetItem:
        what = "relabel {n}" if finding.kind == CONFLICT else "annotate {n}"
        labels = labels_text(finding)
        if finding.kind != CONFLICT:
            labels = self.texts("{labels} · unlabelled {n}", labels=labels, n=finding.unlabelled)
        item = QTreeWidgetItem(
            [self.texts(what, n=finding.change), labels, finding.layer, finding.text]
        )
        item.setToolTip(TEXT_COLUMN, plain_tooltip(finding.text))
        item.setToolTip(LAYER_COLUMN, plain_tooltip(finding.layer))
        item.setData(0, ROLE, None)
        return item

    def _place_item(self, finding: Finding, place: Place, context: str) -> QTreeWidgetItem:
        label = place.label or self.texts("unlabelled")
        where = f"{place.doc_id} [{place.start}, {place.end})"
        item = QTreeWidgetItem([label, where, "", context])
        item.setToolTip(TEXT_COLUMN, plain_tooltip(context))
        item.setToolTip(LABELS_COLUMN, plain_tooltip(where))
        item.setData(0, ROLE, (finding, place))
        return item

    def place_items(self, row: int) -> list[QTreeWidgetItem]:
        """Return the place rows under finding ``row`` (the "more" row left out)."""
        parent = self.tree.topLevelItem(row)
        if parent is None:
            return []
        children = (parent.child(k) for k in range(parent.childCount()))
        return [c for c in children if c is not None and c.data(0, ROLE) is not None]

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        target = item.data(0, ROLE)
        if target is not None:
            self.placeActivated.emit(*target)
