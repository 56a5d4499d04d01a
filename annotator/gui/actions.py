"""The window's actions as one table: name, text, shortcut, menu. Menus and toolbar come from it.

Each row names a handler; :func:`build_actions` looks the handlers up in a mapping the window
assembles from its controllers, so no module injects attributes into the window.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QMenuBar, QWidget

from annotator.gui.i18n import Texts
from annotator.gui.plaintext import plain_caption, plain_tooltip
from annotator.model.document import DOCUMENT_STATUSES

T = TypeVar("T")
Key = QKeySequence.StandardKey
Shortcut = QKeySequence | Key | str | None

MENU_TITLES = (
    ("file", "&File"),
    ("edit", "&Edit"),
    ("view", "&View"),
    ("document", "&Document"),
    ("review", "Review"),
    ("suggestions", "&Suggestions"),
    ("help", "&Help"),
)


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """One row of the table: ``handler`` is a key of the handlers mapping."""

    name: str
    text: str
    menu: str | None
    shortcut: Shortcut = None
    checkable: bool = False
    separator_before: bool = False


# Visual direction in the right-to-left view: Left moves towards the end of the text.
EDGE_KEYS = (
    ("end_later", "Move end edge", "Alt+Left"),
    ("end_earlier", "Move end edge", "Alt+Right"),
    ("start_later", "Move start edge", "Alt+Shift+Left"),
    ("start_earlier", "Move start edge", "Alt+Shift+Right"),
)

ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("new", "&New project…", "file", Key.New),
    ActionSpec("open", "&Open project…", "file", Key.Open),
    ActionSpec("open_server", "Open &server project…", "file"),
    ActionSpec("import", "&Import…", "file", "Ctrl+I", separator_before=True),
    ActionSpec("export", "&Export…", "file", "Ctrl+E"),
    ActionSpec("preferences", "&Preferences…", "file", separator_before=True),
    ActionSpec("quit", "&Quit", "file", Key.Quit),
    ActionSpec("undo", "&Undo", "edit", Key.Undo),
    ActionSpec("redo", "&Redo", "edit", Key.Redo),
    ActionSpec("delete", "&Delete annotation", "edit", Key.Delete, separator_before=True),
    ActionSpec("link", "&Link mode", "edit", "K", checkable=True),
    ActionSpec("find", "&Find…", "edit", Key.Find),
    *(ActionSpec(name, text, "edge", keys) for name, text, keys in EDGE_KEYS),
    ActionSpec("zoom_in", "Zoom &in", "view", Key.ZoomIn),
    ActionSpec("zoom_out", "Zoom &out", "view", Key.ZoomOut),
    ActionSpec("zoom_reset", "&Reset zoom", "view", "Ctrl+0"),
    ActionSpec(
        "precision", "Character &precision", "view", "Ctrl+Shift+C", True, separator_before=True
    ),
    ActionSpec("reset_layout", "Reset &layout", "view"),
    *(
        ActionSpec(f"status_{status}", status, "document", f"Ctrl+{i}", checkable=True)
        for i, status in enumerate(DOCUMENT_STATUSES, start=1)
    ),
    # The list as filtered; PgUp / PgDown point the same way in either reading direction.
    ActionSpec("next_document", "&Next document", "document", "Ctrl+PgDown", separator_before=True),
    ActionSpec("previous_document", "&Previous document", "document", "Ctrl+PgUp"),
    ActionSpec("next_not_done", "Next &not done", "document", "Ctrl+Shift+PgDown"),
    # The annotator's own queue (annotator.store.assignments), whatever the list shows.
    ActionSpec("next_assigned", "Next &assigned", "document", "Ctrl+Shift+N"),
    # Tab, Enter and Backspace act in the article only (suggest_controller.SUGGESTION_KEYS).
    ActionSpec("suggest_run", "&Run recommender…", "suggestions", "Ctrl+Shift+S"),
    ActionSpec("suggest_next", "&Next suggestion", "suggestions", "Tab", separator_before=True),
    ActionSpec("suggest_previous", "&Previous suggestion", "suggestions", "Shift+Tab"),
    ActionSpec("suggest_accept", "&Accept suggestion", "suggestions", "Return"),
    ActionSpec("suggest_reject", "Re&ject suggestion", "suggestions", "Backspace"),
    ActionSpec("suggest_accept_all", "Accept a&ll in this document", "suggestions"),
    ActionSpec("suggest_shown", "&Show suggestions", "suggestions", None, True, True),
    ActionSpec("suggest_stats", "Suggestion s&tatistics…", "suggestions"),
    ActionSpec("keys", "&Keys and mouse", "help", Key.HelpContents),
    ActionSpec("about", "&About", "help"),
)


def build_actions(
    window: QMainWindow, texts: Texts, handlers: Mapping[str, Callable[[], object]]
) -> dict[str, QAction]:
    """Create every action of the table, wired to ``handlers[name]``; return them by name."""
    made: dict[str, QAction] = {}
    for spec in ACTIONS:
        act = QAction(window)
        texts.bind(act.setText, spec.text)
        if isinstance(spec.shortcut, QKeySequence.StandardKey):
            act.setShortcuts(spec.shortcut)  # every binding of the platform, not just the first
        elif spec.shortcut is not None:
            act.setShortcut(QKeySequence(spec.shortcut))
        act.setCheckable(spec.checkable)
        handler = handlers[spec.name]
        act.triggered.connect(lambda _checked=False, h=handler: h())
        window.addAction(act)  # shortcuts work with the menus closed and the bar hidden
        made[spec.name] = act
    group = QActionGroup(window)
    for status in DOCUMENT_STATUSES:
        group.addAction(made[f"status_{status}"])
    # Ctrl+Shift+Z is what the README and most editors say, whatever the platform's first choice.
    made["redo"].setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    return made


def build_menus(bar: QMenuBar, texts: Texts, actions: Mapping[str, QAction]) -> dict[str, QMenu]:
    """Fill the menu bar from the table; return the menus by name (plus "edge", "layers")."""
    menus: dict[str, QMenu] = {}
    for name, title in MENU_TITLES:
        menu = bar.addMenu("")
        texts.bind(menu.setTitle, title)
        menus[name] = menu
    menus["edge"] = _submenu(menus["edit"], texts, "Move annotation edges")
    for spec in ACTIONS:
        if spec.menu is None:
            continue
        menu = menus[spec.menu]
        if spec.separator_before:
            menu.addSeparator()
        menu.addAction(actions[spec.name])
    for name, text_key, keys in EDGE_KEYS:
        # The key is part of the entry: two entries per edge would otherwise look the same.
        texts.bind(partial(_with_keys, actions[name], keys), text_key)
    menus["layers"] = _submenu(menus["view"], texts, "Annotations shown")
    menus["language"] = _submenu(menus["view"], texts, "Interface language")
    menus["recent"] = _submenu(menus["file"], texts, "Recent projects")
    menus["file"].insertMenu(actions["import"], menus["recent"])
    return menus


def fill_recent_menu(
    menu: QMenu, texts: Texts, paths: list[Path], open_project: Callable[[Path], object]
) -> None:
    """List recent project files in File > Recent projects; choosing one opens it."""
    menu.clear()
    if not paths:
        menu.addAction(texts("(none)")).setEnabled(False)
    for path in paths:
        act = menu.addAction(plain_caption(str(path)))
        act.setToolTip(plain_tooltip(str(path)))
        act.triggered.connect(partial(_call_with, open_project, path))


def fill_language_menu(
    menu: QMenu, texts: Texts, choose: Callable[[str], object]
) -> dict[str, QAction]:
    """View > Interface language: English or Arabic; return the actions by language code."""
    group = QActionGroup(menu)
    made: dict[str, QAction] = {}
    for code, caption in (("en", "English"), ("ar", "العربية")):
        act = QAction(caption, menu, checkable=True)
        act.setChecked(texts.language == code)
        act.triggered.connect(partial(_call_with, choose, code))
        group.addAction(act)
        menu.addAction(act)
        made[f"language_{code}"] = act
    return made


def _call_with(function: Callable[[T], object], value: T, *_signal_args: object) -> None:
    function(value)


def _with_keys(act: QAction, keys: str, text: str) -> None:
    act.setText(f"{text} ({keys})")


def _submenu(parent: QMenu, texts: Texts, title: str) -> QMenu:
    menu = parent.addMenu("")
    texts.bind(menu.setTitle, title)
    return menu


def focus_article_after(article: QWidget, handler: Callable[[], object]) -> Callable[[], None]:
    """Wrap ``handler`` so the article has the keyboard focus afterwards (label keys, undo)."""

    def run() -> None:
        try:
            handler()
        finally:
            article.setFocus(Qt.FocusReason.OtherFocusReason)

    return run
