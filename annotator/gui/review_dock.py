"""Review mode in the main window: the review panel as a dock, its actions in the Review menu.

The panel follows the window's open document and the window follows the panel's; decisions
reload the article so new gold annotations show when the gold layer (or all layers) is shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDockWidget

from annotator.gui.editor import ALL_ANNOTATORS
from annotator.gui.review_panel import ReviewPanel

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

REVIEW_MODE_KEY = "Ctrl+Shift+V"
MENU_ORDER = ("next", "previous", "accept", "reject", "edit", "accept_agreed")


def install_review(window: MainWindow) -> ReviewPanel:
    """Add the review panel (hidden until Review > Review mode) to ``window``; return it."""
    panel = ReviewPanel(window.project, window.text_view, load=False)
    dock = QDockWidget(window)
    dock.setObjectName("review")  # saveState needs object names to restore the layout
    window.texts.bind(dock.setWindowTitle, "Review")
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    dock.hide()
    window.docks["review"] = dock
    toggle = dock.toggleViewAction()
    window.texts.bind(toggle.setText, "Review mode")
    toggle.setShortcut(QKeySequence(REVIEW_MODE_KEY))
    window.add_menu_action("review", toggle)
    for name in MENU_ORDER:
        window.add_menu_action("review", panel.actions_by_name[name])
    _connect(window, panel, dock)
    return panel


def _connect(window: MainWindow, panel: ReviewPanel, dock: QDockWidget) -> None:
    def window_opened() -> None:
        doc_id = window.editor.doc_id if window.editor.document is not None else None
        if doc_id and dock.isVisible():
            panel.set_document(doc_id)
            panel.highlight_current()  # the view was refilled and lost the highlight

    def panel_chose(_index: int) -> None:
        doc_id = panel.document_id()
        if doc_id and window.editor.document is not None and doc_id != window.editor.doc_id:
            window.open_document(doc_id)

    def shown(visible: bool) -> None:
        if not visible:
            return
        panel.reload()  # annotators merged while the window was open appear
        if window.editor.document is not None:
            panel.set_document(window.editor.doc_id)
        # Comparing needs every annotator's spans in the article, not one layer.
        window.set_layer(ALL_ANNOTATORS)

    window.editor.documentOpened.connect(window_opened)
    panel.document_combo.currentIndexChanged.connect(panel_chose)
    panel.goldChanged.connect(lambda _doc: window.refresh_from_store())
    panel.failed.connect(window.report_error)
    dock.visibilityChanged.connect(shown)
