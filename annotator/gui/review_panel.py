"""Review mode: compare annotators on a document, step through cases, adjudicate into gold.

The panel holds no rules: comparison, decisions and agreement come from ``annotator.review``; it
shows them, turns keys and buttons into calls, and highlights the current case in the article.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.errors import AnnotatorError
from annotator.gui.fonts import arabic_family
from annotator.gui.review_widgets import (
    CASE_COLUMNS,
    AgreementTable,
    EditDialog,
    case_item,
    option_text,
)
from annotator.gui.text_view import ArticleView
from annotator.model.document import GOLD_ANNOTATOR
from annotator.review import gold
from annotator.review.agreement import agreement
from annotator.review.compare import Case, Comparison, compare_document
from annotator.store.project import Project
from annotator.store.reviews import Decision, decisions, review_status, review_statuses


def document_caption(doc_id: str, title: str, status: str) -> str:
    """Return a document's entry in the panel's list: id, title and review status."""
    return f"{doc_id} — {title} [{status.replace('_', ' ')}]"


SHORTCUTS = {
    "next": "F8",
    "previous": "Shift+F8",
    "accept": "Ctrl+Shift+A",
    "reject": "Ctrl+Shift+R",
    "edit": "Ctrl+Shift+E",
    "accept_agreed": "Ctrl+Shift+G",
}


class ReviewPanel(QWidget):
    """Pick annotators, step through a document's cases, accept/reject/edit them into gold."""

    caseSelected = Signal(int, int)  # code-point range of the current case
    goldChanged = Signal(str)  # document id whose gold layer changed
    failed = Signal(object)  # an AnnotatorError for the window to show

    def __init__(
        self,
        project: Project,
        view: ArticleView | None = None,
        parent: QWidget | None = None,
        *,
        load: bool = True,
    ) -> None:
        super().__init__(parent)
        self.project = project
        self.view = view
        self.comparison: Comparison | None = None
        self._decisions: dict[str, Decision] = {}
        self._dialog: EditDialog | None = None
        self._titles: dict[str, str] = {}
        self._build()
        self.actions_by_name = self._build_actions()
        if load:  # the window defers this until review mode is first shown
            self.reload()

    # ---- construction --------------------------------------------------------------------

    def _build(self) -> None:
        self.document_combo = QComboBox()
        self.annotator_list = QListWidget()
        self.annotator_list.setMaximumHeight(70)
        self.status_label = QLabel()
        self.case_list = QTreeWidget()
        self.case_list.setHeaderLabels(list(CASE_COLUMNS))
        self.case_list.setRootIsDecorated(False)
        self.case_list.setAlternatingRowColors(False)
        self.case_list.setFont(QFont(arabic_family(), self.case_list.font().pointSize() + 1))
        self.option_combo = QComboBox()
        self.buttons = {
            name: QPushButton(title)
            for name, title in (
                ("previous", "◀ Previous"),
                ("next", "Next ▶"),
                ("accept", "Accept"),
                ("reject", "Reject"),
                ("edit", "Edit…"),
                ("accept_agreed", "Accept all agreed"),
            )
        }
        self.agreement_table = AgreementTable()
        self.agreement_scope = QComboBox()
        self.agreement_scope.addItem("This document", "document")
        self.agreement_scope.addItem("Whole project", "project")
        self._lay_out()
        self.document_combo.currentIndexChanged.connect(self._document_chosen)
        self.annotator_list.itemChanged.connect(lambda _item: self.refresh())
        self.case_list.currentItemChanged.connect(lambda *_: self._case_changed())
        self.agreement_scope.currentIndexChanged.connect(lambda _i: self.refresh_agreement())

    def _lay_out(self) -> None:
        cases = QWidget()
        column = QVBoxLayout(cases)
        column.addWidget(self.case_list, 1)
        choose = QHBoxLayout()
        choose.addWidget(QLabel("Version to accept:"))
        choose.addWidget(self.option_combo, 1)
        column.addLayout(choose)
        row = QHBoxLayout()
        for name in ("previous", "next", "accept", "reject", "edit", "accept_agreed"):
            row.addWidget(self.buttons[name])
        column.addLayout(row)
        numbers = QWidget()
        numbers_layout = QVBoxLayout(numbers)
        numbers_layout.addWidget(self.agreement_scope)
        numbers_layout.addWidget(self.agreement_table, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(cases, "Cases")
        self.tabs.addTab(numbers, "Agreement")
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("Document:"))
        top.addWidget(self.document_combo, 1)
        layout.addLayout(top)
        layout.addWidget(QLabel("Annotators to compare:"))
        layout.addWidget(self.annotator_list)
        layout.addWidget(self.status_label)
        layout.addWidget(self.tabs, 1)

    def _build_actions(self) -> dict[str, QAction]:
        slots = {
            "next": self.next_disagreement,
            "previous": self.previous_disagreement,
            "accept": self.accept_current,
            "reject": self.reject_current,
            "edit": self.open_edit_dialog,
            "accept_agreed": self.accept_all_agreed,
        }
        made = {}
        for name, slot in slots.items():
            act = QAction(self.buttons[name].text(), self)
            act.setShortcut(QKeySequence(SHORTCUTS[name]))
            # Only while the focus is in the panel: the window's single-key label shortcuts
            # and this panel never compete for a key.
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(lambda _checked=False, s=slot: s())
            self.addAction(act)
            self.buttons[name].clicked.connect(lambda _checked=False, s=slot: s())
            self.buttons[name].setToolTip(SHORTCUTS[name])
            made[name] = act
        return made

    # ---- documents and annotators --------------------------------------------------------

    def reload(self) -> None:
        """Read documents and annotators from the project again (after a merge)."""
        current = self.document_id()
        self.document_combo.blockSignals(True)
        self.document_combo.clear()
        statuses = review_statuses(self.project)
        for row in self.project.document_rows(0, 10_000):
            self._titles[row.id] = row.title
            status = statuses.get(row.id, "unreviewed")
            self.document_combo.addItem(document_caption(row.id, row.title, status), row.id)
        index = self.document_combo.findData(current) if current else 0
        self.document_combo.setCurrentIndex(max(index, 0))
        self.document_combo.blockSignals(False)
        chosen = set(self.annotators())
        self.annotator_list.blockSignals(True)
        self.annotator_list.clear()
        for name in self.project.annotators():
            if name == GOLD_ANNOTATOR:
                continue
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = name in chosen or not chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.annotator_list.addItem(item)
        self.annotator_list.blockSignals(False)
        self.refresh()

    def document_id(self) -> str | None:
        """Return the document under review."""
        data = self.document_combo.currentData()
        return str(data) if data is not None else None

    def set_document(self, doc_id: str) -> None:
        """Review ``doc_id`` (the window calls this when it opens a document)."""
        index = self.document_combo.findData(doc_id)
        if index < 0:
            self.reload()
            index = self.document_combo.findData(doc_id)
        if index >= 0 and index != self.document_combo.currentIndex():
            self.document_combo.setCurrentIndex(index)

    def annotators(self) -> list[str]:
        """Return the annotators ticked for comparison."""
        items = (self.annotator_list.item(i) for i in range(self.annotator_list.count()))
        return [i.text() for i in items if i.checkState() == Qt.CheckState.Checked]

    def set_annotators(self, names: Sequence[str]) -> None:
        """Tick exactly ``names`` and compare them."""
        self.annotator_list.blockSignals(True)
        for i in range(self.annotator_list.count()):
            item = self.annotator_list.item(i)
            on = item.text() in names
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.annotator_list.blockSignals(False)
        self.refresh()

    def _document_chosen(self, _index: int) -> None:
        self.refresh()

    # ---- cases ---------------------------------------------------------------------------

    def refresh(self, keep: str | None = None, *, numbers: bool = True) -> None:
        """Compare again and refill the case list, keeping the case ``keep`` current.

        Decisions do not change agreement, so after one ``numbers`` is False and the table
        (possibly over the whole project) is not computed again.
        """
        doc_id = self.document_id()
        names = self.annotators()
        self.case_list.clear()
        if doc_id is None or len(names) < 2:
            self.comparison, self._decisions = None, {}
            self.status_label.setText("Tick two or more annotators to compare.")
            self.refresh_agreement()
            return
        self.comparison = compare_document(self.project, doc_id, names)
        self._decisions = decisions(self.project, doc_id)
        text = self.comparison.text
        for case in self.comparison.cases:
            self.case_list.addTopLevelItem(case_item(case, text, self._decisions.get(case.key)))
        for column in range(len(CASE_COLUMNS) - 1):
            self.case_list.resizeColumnToContents(column)
        keys = [c.key for c in self.comparison.cases]
        self._select(keys.index(keep) if keep in keys else 0 if keys else -1)
        self._show_status()
        if numbers:
            self.refresh_agreement()

    def cases(self) -> list[Case]:
        """Return the cases listed, in text order."""
        return list(self.comparison.cases) if self.comparison else []

    def current_index(self) -> int:
        """Return the row of the current case (-1 when none)."""
        item = self.case_list.currentItem()
        return self.case_list.indexOfTopLevelItem(item) if item is not None else -1

    def current_case(self) -> Case | None:
        """Return the current case."""
        index, cases = self.current_index(), self.cases()
        return cases[index] if 0 <= index < len(cases) else None

    def decision(self, case: Case) -> Decision | None:
        """Return the decision on ``case``, if one was made."""
        return self._decisions.get(case.key)

    def _select(self, index: int) -> None:
        item = self.case_list.topLevelItem(index) if index >= 0 else None
        if item is not None:
            self.case_list.setCurrentItem(item)
        self._case_changed()

    def _case_changed(self) -> None:
        case = self.current_case()
        self.option_combo.clear()
        if case is None or self.comparison is None:
            return
        for option in case.options:
            self.option_combo.addItem(option_text(option, self.comparison.text))
        self.buttons["edit"].setEnabled(case.target == "span")
        if self.view is not None:
            self.view.set_find_hits([(case.start, case.end, True)], 0)
            self.view.scroll_to_offset(case.start)
        self.caseSelected.emit(case.start, case.end)

    def highlight_current(self) -> None:
        """Highlight the current case in the article again (after the view was refilled)."""
        self._case_changed()

    def next_disagreement(self) -> None:
        """Move to the next disagreement after the current case."""
        self._step(+1)

    def previous_disagreement(self) -> None:
        """Move to the previous disagreement before the current case."""
        self._step(-1)

    def _step(self, direction: int, *, open_only: bool = False) -> bool:
        cases, index = self.cases(), self.current_index()
        k = index + direction
        while 0 <= k < len(cases):
            case = cases[k]
            if case.disagreement and not (open_only and case.key in self._decisions):
                self._select(k)
                return True
            k += direction
        return False

    # ---- decisions -----------------------------------------------------------------------

    def accept_current(self, option: int | None = None) -> None:
        """Accept the current case (the version chosen in the list) into gold."""
        case = self.current_case()
        if case is not None:
            chosen = self.option_combo.currentIndex() if option is None else option
            self._decide(case, lambda: gold.accept(self.project, self._doc(), case, max(chosen, 0)))

    def reject_current(self) -> None:
        """Keep the current case out of gold."""
        case = self.current_case()
        if case is not None:
            self._decide(case, lambda: gold.reject(self.project, self._doc(), case))

    def edit_current(self, start: int, end: int, label: str) -> None:
        """Put a corrected span for the current case into gold."""
        case = self.current_case()
        if case is not None:
            self._decide(
                case, lambda: gold.edit(self.project, self._doc(), case, start, end, label)
            )

    def open_edit_dialog(self) -> EditDialog | None:
        """Open the edit dialog for the current span case; OK puts the corrected span in gold."""
        case = self.current_case()
        if case is None or case.target != "span" or self.comparison is None:
            return None
        dialog = EditDialog(self.comparison.text, case, self.project.schema, self)
        dialog.accepted.connect(lambda: self.edit_current(*dialog.values()))
        self._dialog = dialog
        dialog.open()
        return dialog

    def accept_all_agreed(self) -> None:
        """Accept every agreed case not decided yet."""
        if self.comparison is None:
            return
        comparison = self.comparison
        current = self.current_case()
        try:
            gold.accept_all_agreed(self.project, comparison)
            gold.refresh_review_status(self.project, gold.recompare(self.project, comparison))
        except AnnotatorError as exc:
            self.failed.emit(exc)
        self.refresh(keep=current.key if current else None, numbers=False)
        self.goldChanged.emit(comparison.doc_id)

    def _doc(self) -> str:
        assert self.comparison is not None
        return self.comparison.doc_id

    def _decide(self, case: Case, action: object) -> None:
        assert callable(action) and self.comparison is not None
        try:
            action()
            gold.refresh_review_status(self.project, self.comparison)
        except AnnotatorError as exc:
            self.failed.emit(exc)
            return
        self.refresh(keep=case.key, numbers=False)
        self._step(+1, open_only=True)
        self.goldChanged.emit(self.comparison.doc_id)

    # ---- status and agreement ------------------------------------------------------------

    def _show_status(self) -> None:
        cases = self.cases()
        doc_id = self._doc()
        status = review_status(self.project, doc_id)
        disagreements = [c for c in cases if c.disagreement]
        open_ = [c for c in cases if c.key not in self._decisions]
        self.status_label.setText(
            f"Review: {status} — {len(cases)} case(s),"
            f" {len(disagreements)} disagreement(s), {len(open_)} open"
        )
        index = self.document_combo.findData(doc_id)
        if index >= 0:
            caption = document_caption(doc_id, self._titles.get(doc_id, ""), status)
            self.document_combo.setItemText(index, caption)

    def refresh_agreement(self) -> None:
        """Compute agreement for the ticked annotators on this document or the whole project."""
        names = self.annotators()
        doc_id = self.document_id()
        if len(names) < 2 or doc_id is None:
            self.agreement_table.setRowCount(0)
            return
        scope = self.agreement_scope.currentData()
        docs = [doc_id] if scope == "document" else None
        self.agreement_table.show_result(agreement(self.project, names, doc_ids=docs))

    def status_text(self) -> str:
        """Return the review status line shown above the cases."""
        return self.status_label.text()
