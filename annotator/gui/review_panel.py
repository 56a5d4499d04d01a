"""Review mode: compare annotators on a document, step through cases, adjudicate into gold.

The panel holds no rules: comparison, decisions and agreement come from ``annotator.review``; it
shows them, turns keys and buttons into calls, and highlights the current case in the article.

Comparing a long article takes a noticeable time, so the window's panel (built with
``load=False``) compares nothing while it is hidden: it waits until it is shown and asked for a
document (``set_document``, or the reviewer choosing one in its list). A decision can be handed
to a ``decide`` callback, which runs it (the window's session makes it undoable).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QHideEvent, QKeySequence, QShowEvent
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
from annotator.gui.plaintext import plain_tooltip
from annotator.gui.review_widgets import (
    BUTTONS,
    CASE_COLUMNS,
    SHORTCUTS,
    AgreementTable,
    Decide,
    EditDialog,
    attribute_names,
    case_item,
    document_caption,
    option_text,
)
from annotator.gui.text_view import ArticleView
from annotator.model.document import GOLD_ANNOTATOR
from annotator.review import gold
from annotator.review.agreement import agreement
from annotator.review.compare import Case, Comparison, compare_document
from annotator.store.project import Project
from annotator.store.reviews import Decision, decisions, review_status, review_statuses


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
        decide: Decide | None = None,
    ) -> None:
        super().__init__(parent)
        self.project = project
        self.view = view
        self.comparison: Comparison | None = None
        self._decisions: dict[str, Decision] = {}
        self._dialog: EditDialog | None = None
        self._titles: dict[str, str] = {}
        self._decider = decide
        # load=False (the window's panel): compare only while shown, for a document asked for.
        self._lazy = not load
        self._asked = load
        self._pending = False  # asked while hidden: compare once shown
        self._compared = 0  # comparisons made, to tell whether the window refreshed the panel
        self._build()
        self.actions_by_name = self._build_actions()
        if load:
            self.reload()

    # ---- construction --------------------------------------------------------------------

    def _build(self) -> None:
        self.document_combo = QComboBox()
        self.annotator_list = QListWidget()
        self.annotator_list.setMaximumHeight(70)
        self.status_label = QLabel()
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.case_list = QTreeWidget()
        self.case_list.setHeaderLabels(list(CASE_COLUMNS))
        self.case_list.setRootIsDecorated(False)
        self.case_list.setAlternatingRowColors(False)
        self.case_list.setFont(QFont(arabic_family(), self.case_list.font().pointSize() + 1))
        self.option_combo = QComboBox()
        self.buttons = {name: QPushButton(title) for name, title in BUTTONS.items()}
        self.agreement_table = AgreementTable()
        self.agreement_scope = QComboBox()
        self.agreement_scope.addItem("This document", "document")
        self.agreement_scope.addItem("Whole project", "project")
        self._lay_out()
        self.document_combo.currentIndexChanged.connect(self._document_chosen)
        self.document_combo.activated.connect(self._document_activated)
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
        for name in BUTTONS:
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
            self.buttons[name].setToolTip(plain_tooltip(SHORTCUTS[name]))
            made[name] = act
        return made

    # ---- documents and annotators --------------------------------------------------------

    def reload(self) -> None:
        """Read documents and annotators from the project again (after a merge)."""
        self._fill_lists()
        self.refresh()

    def _fill_lists(self) -> None:
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

    def document_id(self) -> str | None:
        """Return the document under review."""
        data = self.document_combo.currentData()
        return str(data) if data is not None else None

    def set_document(self, doc_id: str) -> None:
        """Review ``doc_id`` (the window calls this when it opens a document)."""
        self._asked = True
        refilled = self.document_combo.findData(doc_id) < 0
        if refilled:
            self._fill_lists()
        index = self.document_combo.findData(doc_id)
        if index < 0:
            return
        if index != self.document_combo.currentIndex():
            self.document_combo.setCurrentIndex(index)  # _document_chosen compares it
        elif refilled or self.comparison is None or self.comparison.doc_id != doc_id:
            self.refresh()

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
        self._asked = True
        self.refresh()

    def _document_activated(self, _index: int) -> None:
        # Choosing the document already in the list, when none was compared yet, asks for it.
        if not self._asked:
            self._document_chosen(_index)

    # ---- computing only while shown ------------------------------------------------------

    def _may_compute(self) -> bool:
        return not self._lazy or (self._asked and self.isVisible())

    def showEvent(self, event: QShowEvent) -> None:
        """Compare a document asked for while the panel was hidden."""
        super().showEvent(event)
        if self._pending:
            # After the window's reactions to the dock appearing: they may ask for another document.
            QTimer.singleShot(0, self._compare_pending)

    def _compare_pending(self) -> None:
        if self._pending and self._may_compute():
            self.refresh()

    def hideEvent(self, event: QHideEvent) -> None:
        """Forget the comparison when review mode is closed; reopening it asks again."""
        super().hideEvent(event)
        if self._lazy and not event.spontaneous():  # not when the window is minimized
            self._asked = self._pending = False
            self._show_nothing("")

    # ---- cases ---------------------------------------------------------------------------

    def refresh(self, keep: str | None = None, *, numbers: bool = True) -> None:
        """Compare again and refill the case list, keeping the case ``keep`` current.

        Decisions do not change agreement, so after one ``numbers`` is False and the table
        (possibly over the whole project) is not computed again.
        """
        if not self._may_compute():
            self._pending = self._asked
            self._show_nothing("Choose a document to review.")
            return
        self._pending = False
        doc_id = self.document_id()
        names = self.annotators()
        if doc_id is None or len(names) < 2:
            self._show_nothing("Tick two or more annotators to compare.")
            return
        self.case_list.clear()
        self.comparison = compare_document(self.project, doc_id, names)
        self._compared += 1
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

    def refresh_after_change(self, case_key: str | None = None) -> None:
        """Show the stored decisions again (after an undo or redo); ``case_key`` becomes current.

        Asks for the document in the list if the panel is shown and had compared nothing yet.
        """
        self._asked = self._asked or self.isVisible()
        current = self.current_case()
        self.refresh(keep=case_key or (current.key if current else None), numbers=False)

    def _show_nothing(self, status: str) -> None:
        self.comparison, self._decisions = None, {}
        self.case_list.clear()
        self.status_label.setText(status)
        self.agreement_table.setRowCount(0)

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
            names = attribute_names(case)
            self.option_combo.addItem(option_text(option, self.comparison.text, names=names))
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
        if self.view is not None:  # the article takes the keys again (label keys, undo)
            view = self.view
            dialog.finished.connect(lambda _result: view.setFocus(Qt.FocusReason.OtherFocusReason))
        self._dialog = dialog
        dialog.open()
        return dialog

    def accept_all_agreed(self) -> None:
        """Accept every agreed case not decided yet."""
        if self.comparison is None:
            return
        comparison = self.comparison
        current = self.current_case()
        keys = [c.key for c in gold.agreed_open_cases(self.project, comparison)]

        def accept_agreed() -> int:
            accepted = gold.accept_all_agreed(self.project, comparison)
            # Decisions put gold in, never change the compared annotators' cases.
            gold.refresh_review_status(self.project, comparison)
            return accepted

        since = self._compared
        self._run(comparison.doc_id, keys, accept_agreed)
        self._show_decided(current.key if current else None, since)
        self.goldChanged.emit(comparison.doc_id)

    def _doc(self) -> str:
        assert self.comparison is not None
        return self.comparison.doc_id

    def _decide(self, case: Case, action: Callable[[], object]) -> None:
        if self.comparison is None:
            return
        comparison = self.comparison

        def decide() -> object:
            # The status is part of the decision, so undoing the decision undoes it too.
            made = action()
            gold.refresh_review_status(self.project, comparison)
            return made

        since = self._compared
        if not self._run(comparison.doc_id, [case.key], decide):
            return
        self._show_decided(case.key, since)
        self._step(+1, open_only=True)
        self.goldChanged.emit(comparison.doc_id)

    def _run(self, doc_id: str, keys: list[str], action: Callable[[], object]) -> bool:
        """Run a decision, through the ``decide`` callback when there is one; False if it failed."""
        try:
            if self._decider is None or not keys:  # nothing to undo when no case changes
                action()
            else:
                self._decider(doc_id, keys, action)
        except AnnotatorError as exc:
            self.failed.emit(exc)
            return False
        return True

    def _show_decided(self, keep: str | None, since: int) -> None:
        """Show the decisions again with ``keep`` current, unless the window already did."""
        if self._compared == since:
            self.refresh(keep=keep, numbers=False)
            return
        # The callback's edit made the window re-read the document, and refresh this panel.
        keys = [c.key for c in self.cases()]
        current = self.current_case()
        if keep in keys and (current is None or current.key != keep):
            self._select(keys.index(keep))

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
        if len(names) < 2 or doc_id is None or not self._may_compute():
            self.agreement_table.setRowCount(0)
            return
        scope = self.agreement_scope.currentData()
        docs = [doc_id] if scope == "document" else None
        self.agreement_table.show_result(agreement(self.project, names, doc_ids=docs))

    def status_text(self) -> str:
        """Return the review status line shown above the cases."""
        return self.status_label.text()
