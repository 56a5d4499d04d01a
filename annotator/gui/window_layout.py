"""Where the window's parts sit: the article in the middle, lists and tools docked beside it.

The article keeps at least half the window's width by default, at any scale factor; View >
Reset layout brings the default back; a saved layout is restored only where it still fits.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDockWidget, QFrame, QMainWindow, QScrollArea, QWidget

from annotator.gui import preferences
from annotator.gui.i18n import Texts

LISTS = ("documents", "annotations")
TOOLS = ("labels", "inspector")
ARTICLE_SHARE = 0.5  # of the window's width, at least, in the default layout
MIN_ARTICLE_CHARS = 18  # average characters per line: below that, long Arabic words break
STATE_VERSION = 2  # a layout saved by an older window is not restored


class WindowLayout:
    """Docks around the article; the default layout, its reset, and the saved one."""

    def __init__(self, window: QMainWindow, article: QWidget, texts: Texts) -> None:
        self.window, self.article, self.texts = window, article, texts
        self.docks: dict[str, QDockWidget] = {}
        width = article.fontMetrics().averageCharWidth() * MIN_ARTICLE_CHARS
        article.setMinimumWidth(max(240, width))
        self._default_state = QByteArray()
        self._share_on_show = False

    def dock(self, name: str, title: str, widget: QWidget, scroll: bool = False) -> QDockWidget:
        """Put ``widget`` in a dock called ``name`` (its layout key) with a translated title.

        With ``scroll`` the widget scrolls instead of holding the dock at its full height.
        """
        dock = QDockWidget(self.window)
        dock.setObjectName(name)  # saveState needs object names to restore the layout
        self.texts.bind(dock.setWindowTitle, title)
        if scroll:
            area = QScrollArea()
            area.setWidgetResizable(True)
            area.setFrameShape(QFrame.Shape.NoFrame)
            area.setWidget(widget)
            widget = area
        dock.setWidget(widget)
        self.docks[name] = dock
        return dock

    def place(self) -> None:
        """Lists on the reading side's start, tools on the other; mirrored for the Arabic UI."""
        lists, tools = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        if self.texts.language == "ar":
            lists, tools = tools, lists
        for name in LISTS:
            if name in self.docks:
                self.window.addDockWidget(lists, self.docks[name])
        for name in TOOLS:
            if name in self.docks:
                self.window.addDockWidget(tools, self.docks[name])

    def first_size(self) -> None:
        """Size a new window to fit its screen (90% of it, at most 1600 x 1000)."""
        screen = self.window.screen() or QGuiApplication.primaryScreen()
        area = screen.availableGeometry()
        width = min(1600, int(area.width() * 0.9))
        height = min(1000, int(area.height() * 0.9))
        self.window.resize(width, height)

    def share_width(self) -> None:
        """Give each side a quarter of the window at most, so the article keeps half of it."""
        side = int(self.window.width() * (1 - ARTICLE_SHARE) / 2)
        side = max(160, side - 8)
        docks = [self.docks[n] for n in (LISTS[0], TOOLS[0]) if n in self.docks]
        self.window.resizeDocks(docks, [side] * len(docks), Qt.Orientation.Horizontal)
        if all(n in self.docks for n in TOOLS):
            # Every label of the palette in view; the inspector takes what is left.
            palette = self.docks[TOOLS[0]].widget()
            wanted = palette.sizeHint().height() + 8
            rest = max(120, self.window.height() - wanted)
            tools = [self.docks[n] for n in TOOLS]
            self.window.resizeDocks(tools, [wanted, rest], Qt.Orientation.Vertical)

    def remember_default(self) -> None:
        """Keep the layout as built, for View > Reset layout."""
        self._default_state = self.window.saveState(STATE_VERSION)

    def reset(self) -> None:
        """View > Reset layout: every dock back in its place, the article at half the width."""
        for dock in self.docks.values():
            dock.setFloating(False)
        self.window.restoreState(self._default_state, STATE_VERSION)
        for name in (*LISTS, *TOOLS):
            if name in self.docks:
                self.docks[name].show()
        self.share_width()

    def restore(self) -> None:
        """Restore the saved geometry and docks; fall back to the default when they don't fit."""
        store = preferences.settings()
        geometry, state = store.value("window/geometry"), store.value("window/state")
        if not (isinstance(geometry, QByteArray) and self.window.restoreGeometry(geometry)):
            self.first_size()
        self._fit_screen()
        if not (isinstance(state, QByteArray) and self.window.restoreState(state, STATE_VERSION)):
            self._share_on_show = True  # dock sizes only take once the window has its size

    def shown(self) -> None:
        """The window is on screen: give the docks their default share the first time."""
        if self._share_on_show:
            self._share_on_show = False
            self.share_width()

    def _fit_screen(self) -> None:
        screen = self.window.screen() or QGuiApplication.primaryScreen()
        area = screen.availableGeometry()
        if self.window.width() > area.width() or self.window.height() > area.height():
            self.first_size()

    def save(self) -> None:
        """Remember geometry and docks for the next window."""
        store = preferences.settings()
        store.setValue("window/geometry", self.window.saveGeometry())
        store.setValue("window/state", self.window.saveState(STATE_VERSION))


def bottom_dock(
    window: QMainWindow, name: str, title: str, widget: QWidget, texts: Texts
) -> QDockWidget:
    """Add a hidden dock below the article holding ``widget`` (review, search, consistency)."""
    dock = QDockWidget(window)
    dock.setObjectName(name)  # saveState needs object names
    texts.bind(dock.setWindowTitle, title)
    dock.setWidget(widget)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    dock.hide()
    return dock
