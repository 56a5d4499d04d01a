"""The window's menus and shortcuts, built once; strings follow the UI language.

Other parts of the application add entries with ``MainWindow.add_menu_action(name, action)``;
the menus are ``window.menus["file" | "edit" | "view" | "document" | "review" | "help"]``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QComboBox, QLabel, QMenu, QToolBar

from annotator.gui.editor import ALL_ANNOTATORS
from annotator.gui.i18n import Texts
from annotator.model.document import DOCUMENT_STATUSES

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

Key = QKeySequence.StandardKey
MENU_TITLES = (
    ("file", "&File"),
    ("edit", "&Edit"),
    ("view", "&View"),
    ("document", "&Document"),
    ("review", "Review"),
    ("help", "&Help"),
)


def action(
    window: MainWindow,
    texts: Texts,
    key: str,
    slot: Callable[[], object],
    shortcut: QKeySequence | Key | str | None = None,
    checkable: bool = False,
) -> QAction:
    """Return an action with a translated text, a shortcut and a slot."""
    act = QAction(window)
    texts.bind(act.setText, key)
    if shortcut is not None:
        act.setShortcut(QKeySequence(shortcut))
    act.setCheckable(checkable)
    act.triggered.connect(lambda _checked=False: slot())
    return act


def build_menus(window: MainWindow, texts: Texts) -> tuple[dict[str, QMenu], dict[str, QAction]]:
    """Create the menu bar; return the menus and the actions by name."""
    bar = window.menuBar()
    menus: dict[str, QMenu] = {}
    for name, title in MENU_TITLES:
        menu = bar.addMenu("")
        texts.bind(menu.setTitle, title)
        menus[name] = menu
    # The review menu stays hidden until the review feature adds an entry to it.
    menus["review"].menuAction().setVisible(False)
    actions = {**_file_actions(window, texts, menus), **_edit_actions(window, texts, menus)}
    actions.update(_view_actions(window, texts, menus))
    actions.update(_document_actions(window, texts, menus))
    actions["about"] = action(window, texts, "&About", window.show_about)
    actions["keys"] = action(window, texts, "&Keys and mouse", window.show_keys, Key.HelpContents)
    menus["help"].addActions([actions["keys"], actions["about"]])
    return menus, actions


def _file_actions(window: MainWindow, texts: Texts, menus: dict[str, QMenu]) -> dict[str, QAction]:
    acts = {
        "new": action(window, texts, "&New project…", window.new_project_dialog, Key.New),
        "open": action(window, texts, "&Open project…", window.open_project_dialog, Key.Open),
        "import": action(window, texts, "&Import…", window.import_dialog, "Ctrl+I"),
        "export": action(window, texts, "&Export…", window.export_dialog, "Ctrl+E"),
        "preferences": action(window, texts, "&Preferences…", window.preferences_dialog),
        "quit": action(window, texts, "&Quit", window.close, Key.Quit),
    }
    menu = menus["file"]
    menu.addActions([acts["new"], acts["open"]])
    window.recent_menu = menu.addMenu("")
    texts.bind(window.recent_menu.setTitle, "Recent projects")
    menu.addSeparator()
    menu.addActions([acts["import"], acts["export"]])
    menu.addSeparator()
    menu.addActions([acts["preferences"], acts["quit"]])
    return acts


def _edit_actions(window: MainWindow, texts: Texts, menus: dict[str, QMenu]) -> dict[str, QAction]:
    undo = window.undo_stack.createUndoAction(window)
    redo = window.undo_stack.createRedoAction(window)
    texts.bind(undo.setText, "&Undo")
    texts.bind(redo.setText, "&Redo")
    undo.setShortcut(QKeySequence(Key.Undo))
    redo.setShortcut(QKeySequence(Key.Redo))
    acts = {
        "undo": undo,
        "redo": redo,
        "delete": action(window, texts, "&Delete annotation", window.delete_selected, Key.Delete),
        "find": action(window, texts, "&Find…", window.find_bar.open_bar, Key.Find),
        "link": action(window, texts, "&Link mode", window.toggle_link_mode, "K", checkable=True),
    }
    # Visual direction in the right-to-left view: Left moves towards the end of the text.
    edges = (
        ("start_later", "Alt+Shift+Left", "start", True),
        ("start_earlier", "Alt+Shift+Right", "start", False),
        ("end_later", "Alt+Left", "end", True),
        ("end_earlier", "Alt+Right", "end", False),
    )
    for name, keys, edge, forward in edges:
        title = "Move start edge" if edge == "start" else "Move end edge"
        act = action(window, texts, title, lambda e=edge, f=forward: window.move_edge(e, f), keys)
        act.setText(f"{act.text()} ({keys})")
        window.addAction(act)
        acts[name] = act
    menu = menus["edit"]
    menu.addActions([undo, redo])
    menu.addSeparator()
    menu.addActions([acts["delete"], acts["link"], acts["find"]])
    edge_menu = menu.addMenu("")
    texts.bind(edge_menu.setTitle, "Move start edge")
    edge_menu.addActions([acts[n] for n, *_ in edges])
    return acts


def _document_actions(
    window: MainWindow, texts: Texts, menus: dict[str, QMenu]
) -> dict[str, QAction]:
    group = QActionGroup(window)
    acts: dict[str, QAction] = {}
    for i, status in enumerate(DOCUMENT_STATUSES, start=1):
        act = action(
            window, texts, status, lambda s=status: window.set_document_status(s), f"Ctrl+{i}", True
        )
        group.addAction(act)
        menus["document"].addAction(act)
        acts[f"status_{status}"] = act
    return acts


def _view_actions(window: MainWindow, texts: Texts, menus: dict[str, QMenu]) -> dict[str, QAction]:
    view = window.text_view
    acts = {
        "zoom_in": action(window, texts, "Zoom &in", view.zoom_in, Key.ZoomIn),
        "zoom_out": action(window, texts, "Zoom &out", view.zoom_out, Key.ZoomOut),
        "zoom_reset": action(window, texts, "&Reset zoom", view.reset_zoom, "Ctrl+0"),
        "precision": action(
            window, texts, "Character &precision", window.toggle_precision, "Ctrl+Shift+C", True
        ),
    }
    menu = menus["view"]
    menu.addActions([acts["zoom_in"], acts["zoom_out"], acts["zoom_reset"]])
    menu.addSeparator()
    menu.addAction(acts["precision"])
    window.layer_menu = menu.addMenu("")
    texts.bind(window.layer_menu.setTitle, "Annotations shown")
    language_menu = menu.addMenu("")
    texts.bind(language_menu.setTitle, "Interface language")
    group = QActionGroup(window)
    for code, caption in (("en", "English"), ("ar", "العربية")):
        act = QAction(caption, window, checkable=True)
        act.setChecked(texts.language == code)
        act.triggered.connect(lambda _c=False, c=code: window.set_language(c))
        group.addAction(act)
        language_menu.addAction(act)
        acts[f"language_{code}"] = act
    return acts


def build_toolbar(window: MainWindow, texts: Texts) -> QToolBar:
    """Document status and shown layer choosers, then find, link mode and character precision."""
    toolbar = QToolBar()
    toolbar.setObjectName("document_toolbar")  # saveState needs object names
    window.status_combo = QComboBox()
    for i, status in enumerate(DOCUMENT_STATUSES):
        window.status_combo.addItem(status, status)
        texts.bind(lambda text, i=i: window.status_combo.setItemText(i, text), status)
    window.layer_combo = QComboBox()
    window.layer_combo.activated.connect(lambda i: window.set_layer(window.layer_combo.itemData(i)))
    for key, widget in (("Status", window.status_combo), ("Show", window.layer_combo)):
        caption = QLabel()
        texts.bind(caption.setText, key)
        toolbar.addWidget(caption)
        toolbar.addWidget(widget)
        toolbar.addSeparator()
    toolbar.addActions([window.actions[n] for n in ("find", "link", "precision")])
    window.addToolBar(toolbar)
    return toolbar


def fill_layer_menu(window: MainWindow, menu: QMenu, texts: Texts) -> dict[str, QAction]:
    """List "mine", every other annotator and "all" in the View menu and the toolbar's Show box."""
    menu.clear()
    window.layer_combo.clear()
    group = QActionGroup(menu)
    me = window.project.annotator
    names = [me] + [n for n in window.project.annotators() if n != me] + [ALL_ANNOTATORS]
    found: dict[str, QAction] = {}
    for name in names:
        if name == me:
            caption = texts("Mine ({name})", name=me)
        elif name == ALL_ANNOTATORS:
            caption = texts("All annotators")
        else:
            caption = name
        act = QAction(caption, menu, checkable=True)
        act.setChecked(window.editor.layer == name)
        act.triggered.connect(lambda _c=False, n=name: window.set_layer(n))
        group.addAction(act)
        menu.addAction(act)
        found[name] = act
        window.layer_combo.addItem(caption, name)
    window.layer_combo.setCurrentIndex(window.layer_combo.findData(window.editor.layer))
    return found


def fill_recent_menu(window: MainWindow, menu: QMenu, texts: Texts, paths: list) -> None:
    """List recent project files; choosing one opens it."""
    menu.clear()
    if not paths:
        menu.addAction(texts("(none)")).setEnabled(False)
    for path in paths:
        act = menu.addAction(str(path))
        act.triggered.connect(lambda _c=False, p=path: window.open_project(p))
