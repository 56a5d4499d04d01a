"""The document list's filter bar: text, statuses, annotator, label, open review cases, and the
documents assigned to the window's annotator ("Assigned to me").

The bar only turns its widgets into a :class:`DocumentFilter` (and back, for a restart); the
store decides what matches (``annotator/store/listing.py``). Names of annotators and labels are
stored values: combo box items and check box captions show them as plain text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLineEdit,
    QSizePolicy,
    QStyle,
    QToolButton,
    QWidget,
)

from annotator.gui.i18n import Texts
from annotator.gui.plaintext import plain_label
from annotator.model.document import DOCUMENT_STATUSES
from annotator.model.schema import Schema
from annotator.store.listing import DocumentFilter

TYPING_PAUSE_MS = 300  # the text filter applies once typing pauses (Enter applies it at once)
NOT_DONE = frozenset({"not_started", "in_progress"})
# The Status box: every status, each one, or every one but done.
STATUS_CHOICES: tuple[tuple[str, frozenset[str]], ...] = (
    ("Any status", frozenset()),
    *((status, frozenset({status})) for status in DOCUMENT_STATUSES),
    ("not done", NOT_DONE),
)


class FilterBar(QWidget):
    """Widgets of a DocumentFilter; emits ``changed(filter)`` whenever the user changes one."""

    changed = Signal(object)  # DocumentFilter

    def __init__(self, texts: Texts, parent: QWidget | None = None, *, me: str = "") -> None:
        super().__init__(parent)
        self.texts = texts
        self.me = me  # the window's annotator, whom "Assigned to me" means
        self.text_edit = QLineEdit()
        self.text_edit.setClearButtonEnabled(True)
        texts.bind(self.text_edit.setPlaceholderText, "Search titles and text")
        self.status_combo = QComboBox()
        self.annotator_combo = QComboBox()
        self.label_combo = QComboBox()
        for combo in (self.status_combo, self.annotator_combo, self.label_combo):
            # A narrow dock keeps its share of the window: the boxes shrink, the texts elide.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(3)
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.review_box = QCheckBox()
        texts.bind(self.review_box.setText, "Open review cases")
        self.assigned_box = QCheckBox()
        texts.bind(self.assigned_box.setText, "Assigned to me")
        self.count_label = plain_label()
        self.count_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.clear_button = QToolButton()
        self.clear_button.setIcon(
            self.style().standardIcon(QStyle.StandardPixmap.SP_LineEditClearButton)
        )
        texts.bind(self.clear_button.setToolTip, "Clear filter")
        self._schema: Schema | None = None
        self._annotators: list[str] = []
        self._typing = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self._quiet = False  # set_filter fills the widgets without announcing each change
        self._lay_out()
        self._connect()
        texts.bind(lambda _text: self._fill_combos(), "Any status")

    def _lay_out(self) -> None:
        # Narrow enough for a dock at a quarter of a small window (scale factor 2 included).
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 4, 4, 4)
        grid.setSpacing(4)
        grid.addWidget(self.text_edit, 0, 0, 1, 3)
        grid.addWidget(self.status_combo, 1, 0)
        grid.addWidget(self.annotator_combo, 1, 1, 1, 2)
        grid.addWidget(self.label_combo, 2, 0)
        grid.addWidget(self.count_label, 2, 1)
        grid.addWidget(self.clear_button, 2, 2)
        grid.addWidget(self.review_box, 3, 0, 1, 3)
        grid.addWidget(self.assigned_box, 4, 0, 1, 3)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

    def _connect(self) -> None:
        self.text_edit.textChanged.connect(lambda _text: self._typing.start())
        self.text_edit.returnPressed.connect(self._announce)
        self._typing.timeout.connect(self._announce)
        self.review_box.toggled.connect(lambda _on: self._announce())
        self.assigned_box.toggled.connect(lambda _on: self._announce())
        for combo in (self.status_combo, self.annotator_combo, self.label_combo):
            combo.currentIndexChanged.connect(lambda _i: self._announce())
        self.clear_button.clicked.connect(lambda: self.set_filter(DocumentFilter(), announce=True))

    # ---- the filter ----------------------------------------------------------------------

    def current(self) -> DocumentFilter:
        """Return the filter the widgets show."""
        return DocumentFilter(
            statuses=frozenset(filter(None, str(self.status_combo.currentData() or "").split(","))),
            annotator=str(self.annotator_combo.currentData() or ""),
            label=str(self.label_combo.currentData() or ""),
            open_review=self.review_box.isChecked(),
            text=self.text_edit.text().strip(),
            assigned_to=self.me if self.assigned_box.isChecked() else "",
        )

    def set_filter(self, where: DocumentFilter, *, announce: bool = False) -> None:
        """Show ``where`` in the widgets (a name no longer in the project is kept as a choice)."""
        self._quiet = True
        try:
            self.text_edit.setText(where.text)
            _choose(self.status_combo, _status_key(where.statuses), self._statuses_caption)
            self.review_box.setChecked(where.open_review)
            self.assigned_box.setChecked(bool(where.assigned_to))
            _choose(self.annotator_combo, where.annotator)
            _choose(self.label_combo, where.label)
        finally:
            self._quiet = False
            self._typing.stop()
        if announce:
            self._announce()

    def _announce(self) -> None:
        self._typing.stop()
        if not self._quiet:
            self.changed.emit(self.current())

    # ---- choices -------------------------------------------------------------------------

    def set_choices(self, annotators: Iterable[str], schema: Schema) -> None:
        """Offer these annotators and the schema's labels (after an import or a merge)."""
        self._annotators, self._schema = list(annotators), schema
        self._fill_combos()

    def _fill_combos(self) -> None:
        where = self.current()
        self._quiet = True
        try:
            self.status_combo.clear()
            for caption, statuses in STATUS_CHOICES:
                self.status_combo.addItem(self.texts(caption), _status_key(statuses))
            self.annotator_combo.clear()
            self.annotator_combo.addItem(self.texts("Any annotator"), "")
            for name in self._annotators:
                self.annotator_combo.addItem(name, name)
            self.label_combo.clear()
            self.label_combo.addItem(self.texts("Any label"), "")
            for label in self._schema.labels if self._schema else ():
                name = label.name_ar if self.texts.language == "ar" else label.name_en
                self.label_combo.addItem(f"{label.id} · {name}", label.id)
            _choose(self.status_combo, _status_key(where.statuses), self._statuses_caption)
            _choose(self.annotator_combo, where.annotator)
            _choose(self.label_combo, where.label)
        finally:
            self._quiet = False

    def _statuses_caption(self, key: str) -> str:
        return ", ".join(self.texts(status) for status in key.split(","))

    def show_count(self, total: int | None) -> None:
        """Say how many documents match; None while they are being counted."""
        if total is None:
            self.count_label.setText(self.texts("counting…"))
        else:
            self.count_label.setText(self.texts("{count} document(s)", count=f"{total:,}"))


def _status_key(statuses: frozenset[str]) -> str:
    return ",".join(sorted(statuses))


def _choose(combo: QComboBox, value: str, caption: Callable[[str], str] = str) -> None:
    index = combo.findData(value)
    if index < 0:  # a name saved before it left the project: still shown, still chosen
        combo.addItem(caption(value), value)
        index = combo.count() - 1
    combo.setCurrentIndex(index)


# ---- kept between sessions ----------------------------------------------------------------


def filter_to_text(where: DocumentFilter) -> str:
    """Return the filter as JSON, as the preferences keep it."""
    return json.dumps(
        {
            "statuses": sorted(where.statuses),
            "annotator": where.annotator,
            "label": where.label,
            "open_review": where.open_review,
            "text": where.text,
            "assigned_to_me": bool(where.assigned_to),
        },
        ensure_ascii=False,
    )


def filter_from_text(saved: str, me: str = "") -> DocumentFilter:
    """Return the filter saved by :func:`filter_to_text`; anything unreadable in it is dropped.

    "Assigned to me" is kept as such, and means ``me``, whoever saved it.
    """
    try:
        raw = json.loads(saved) if saved else {}
    except ValueError:
        raw = {}
    if not isinstance(raw, dict):
        raw = {}
    statuses = raw.get("statuses")
    words = {
        k: v if isinstance(v := raw.get(k), str) else "" for k in ("annotator", "label", "text")
    }
    return DocumentFilter(
        statuses=frozenset(s for s in statuses if s in DOCUMENT_STATUSES)
        if isinstance(statuses, list)
        else frozenset(),
        annotator=words["annotator"],
        label=words["label"],
        open_review=raw.get("open_review") is True,
        text=words["text"],
        assigned_to=me if raw.get("assigned_to_me") is True else "",
    )
