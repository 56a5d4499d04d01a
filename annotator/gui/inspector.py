"""The inspector: label, text, attributes, links, annotator and times of the selected annotation."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.gui import plaintext
from annotator.gui.i18n import Texts
from annotator.gui.palette import swatch
from annotator.gui.plaintext import plain_tooltip
from annotator.model.document import Relation, Span
from annotator.model.schema import Schema

NOT_SET = "(not set)"  # an attribute the annotation has no value for


def plain_label(text: str = "") -> QLabel:
    """Return a selectable, wrapping QLabel that never interprets its text as markup."""
    label = plaintext.plain_label(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def short(text: str, limit: int = 60) -> str:
    """Return ``text`` on one line, cut to ``limit`` characters."""
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


def when(stamp: str) -> str:
    """Return a stored ISO time as "YYYY-MM-DD HH:MM:SS UTC"."""
    return f"{stamp[:19].replace('T', ' ')} UTC" if len(stamp) >= 19 else stamp


class Inspector(QWidget):
    """Shows one span; edits are requested through signals so they go through the session."""

    labelChangeRequested = Signal(str, str)  # span id, label id
    attributeChangeRequested = Signal(str, str, str)  # span id, attribute, value
    relationDeleteRequested = Signal(str)  # relation id
    spanActivated = Signal(str)  # span id at the other end of a link

    def __init__(self, schema: Schema, texts: Texts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.schema = schema
        self.texts = texts
        self.span: Span | None = None
        self.heading = plain_label()
        self.label_combo = QComboBox()
        self._fill_labels()
        self.label_combo.activated.connect(self._label_picked)
        # A long Arabic label name must not widen the dock past the article's share.
        self.label_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.label_combo.setMinimumContentsLength(8)
        self.text_label = plain_label()
        self.annotator_label = plain_label()
        self.created_label = plain_label()
        self.updated_label = plain_label()
        # Where the annotation came from, when a suggestion was accepted ("suggest:strings").
        self.source_label = plain_label()
        self.source_of: Callable[[Span], str] = lambda _span: ""
        self.form = QFormLayout()
        self.attributes = QFormLayout()
        self.attribute_combos: dict[str, QComboBox] = {}
        self.links = QListWidget()
        self.links.itemActivated.connect(self._link_activated)
        self.delete_link = QPushButton()
        texts.bind(self.delete_link.setText, "Delete link")
        self.delete_link.clicked.connect(self._delete_link)
        self._build_layout(texts)
        self.show_span(None, [], {})

    def _build_layout(self, texts: Texts) -> None:
        form = self.form
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        rows = (
            ("Label", self.label_combo),
            ("Text", self.text_label),
            ("Annotator", self.annotator_label),
            ("Created", self.created_label),
            ("Updated", self.updated_label),
            ("Source", self.source_label),
        )
        for key, widget in rows:
            caption = plaintext.plain_label()
            texts.bind(caption.setText, key)
            form.addRow(caption, widget)
        links_caption = plaintext.plain_label()
        texts.bind(links_caption.setText, "Links")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.delete_link)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addLayout(self.attributes)
        layout.addWidget(links_caption)
        layout.addWidget(self.links, 1)
        layout.addLayout(buttons)

    def show_span(
        self, span: Span | None, relations: list[Relation], spans: dict[str, Span], text: str = ""
    ) -> None:
        """Show ``span`` (None clears) with its links; ``spans`` resolves the other ends."""
        self.span = span
        self._clear_attributes()
        self.links.clear()
        editable = span is not None
        for widget in (self.label_combo, self.delete_link):
            widget.setEnabled(editable)
        if span is None:
            self.heading.setText(self.texts("No annotation selected"))
            for label in (self.text_label, self.annotator_label, self.created_label):
                label.setText("")
            self.updated_label.setText("")
            self._show_source("")
            return
        self.heading.setText(f"{span.label}  [{span.start}, {span.end})")
        self.label_combo.setCurrentIndex(self.label_combo.findData(span.label))
        self.text_label.setText(short(span.text_in(text), 200))
        self.annotator_label.setText(span.annotator)
        self.created_label.setText(when(span.created))
        self.updated_label.setText(when(span.updated))
        self._show_source(self.source_of(span))
        self._show_attributes(span)
        for rel in relations:
            self._add_link_item(span, rel, spans, text)

    def _show_source(self, source: str) -> None:
        self.source_label.setText(source)
        self.form.setRowVisible(self.source_label, bool(source))

    def _fill_labels(self) -> None:
        self.label_combo.clear()
        for label in self.schema.labels:
            self.label_combo.addItem(swatch(label.color), f"{label.id} · {label.name_ar}", label.id)

    def set_schema(self, schema: Schema) -> None:
        """Offer the labels of ``schema`` (after an import added some)."""
        self.schema = schema
        self._fill_labels()

    def _show_attributes(self, span: Span) -> None:
        for attribute in self.schema.label(span.label).attributes:
            combo = QComboBox()
            # "not set" first: an imported span whose file said nothing shows that, not the
            # schema's default, and picking it takes a value back out.
            combo.addItem(self.texts(NOT_SET), "")
            for value in attribute.values:
                combo.addItem(value, value)
            combo.setCurrentIndex(max(0, combo.findData(span.attrs.get(attribute.name, ""))))
            combo.activated.connect(
                lambda _i, name=attribute.name, box=combo: self._attribute_picked(name, box)
            )
            self.attribute_combos[attribute.name] = combo
            self.attributes.addRow(plaintext.plain_label(self.texts(attribute.name)), combo)

    def _add_link_item(self, span: Span, rel: Relation, spans: dict[str, Span], text: str) -> None:
        outgoing = rel.head == span.id
        other = spans.get(rel.tail if outgoing else rel.head)
        other_text = short(other.text_in(text), 40) if other else "?"
        other_label = other.label if other else "?"
        arrow = "→" if outgoing else "←"
        item = QListWidgetItem(f"{rel.type} {arrow} {other_text} ({other_label})")
        item.setData(Qt.ItemDataRole.UserRole, rel.id)
        item.setData(Qt.ItemDataRole.UserRole + 1, other.id if other else "")
        item.setToolTip(plain_tooltip(f"{rel.annotator} · {rel.created}"))
        self.links.addItem(item)

    def _clear_attributes(self) -> None:
        while self.attributes.rowCount():
            self.attributes.removeRow(0)
        self.attribute_combos = {}

    def link_ids(self) -> list[str]:
        """Return the relation ids listed, in order."""
        items = (self.links.item(i) for i in range(self.links.count()))
        return [item.data(Qt.ItemDataRole.UserRole) for item in items]

    def _label_picked(self, index: int) -> None:
        label_id = self.label_combo.itemData(index)
        if self.span is not None and label_id != self.span.label:
            self.labelChangeRequested.emit(self.span.id, label_id)

    def _attribute_picked(self, name: str, combo: QComboBox) -> None:
        if self.span is not None:
            self.attributeChangeRequested.emit(self.span.id, name, combo.currentData() or "")

    def _delete_link(self) -> None:
        item = self.links.currentItem()
        if item is not None:
            self.relationDeleteRequested.emit(item.data(Qt.ItemDataRole.UserRole))

    def _link_activated(self, item: QListWidgetItem) -> None:
        other = item.data(Qt.ItemDataRole.UserRole + 1)
        if other:
            self.spanActivated.emit(other)
