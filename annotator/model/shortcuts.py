"""Label keys: one written form for a shortcut, and the keys the window keeps for itself.

A label's key is a window shortcut. Two labels on one key, or a label on a key the window
already uses (Ctrl+Z, K, Esc, Alt+Left), would make Qt fire neither of them, so a schema that
asks for one is refused. Qt is not imported here: :data:`WINDOW_KEYS` lists the window's keys
as text, and ``tests/gui/test_schema_keys.py`` checks the list against the shortcuts the window
really binds.
"""

from __future__ import annotations

from annotator.model.document import DOCUMENT_STATUSES

MODIFIERS = ("Meta", "Ctrl", "Alt", "Shift")  # the order Qt writes them in
_MODIFIER_NAMES = {
    "meta": "Meta",
    "ctrl": "Ctrl",
    "control": "Ctrl",
    "alt": "Alt",
    "shift": "Shift",
}
# Keys with names, as Qt writes them (QKeySequence.toString), and the other spellings Qt reads.
NAMED_KEYS = {
    **{name.lower(): name for name in ("Esc", "Tab", "Backspace", "Return", "Enter", "Space")},
    **{name.lower(): name for name in ("Ins", "Del", "Home", "End", "PgUp", "PgDown")},
    **{name.lower(): name for name in ("Left", "Right", "Up", "Down")},
    **{f"f{n}": f"F{n}" for n in range(1, 36)},
    "escape": "Esc",
    "insert": "Ins",
    "delete": "Del",
    "pageup": "PgUp",
    "pagedown": "PgDown",
}
# Keys the article view moves and selects with, whatever the modifiers (Alt+arrows included).
NAVIGATION_KEYS = frozenset(
    {"Left", "Right", "Up", "Down", "Home", "End", "PgUp", "PgDown", "Tab", "Return", "Enter"}
)

WINDOW_KEYS: dict[str, str] = {
    # annotator/gui/actions.py ACTIONS, as the window binds them
    "Ctrl+N": "File > New project",
    "Ctrl+O": "File > Open project",
    "Ctrl+I": "File > Import",
    "Ctrl+E": "File > Export",
    "Ctrl+Q": "File > Quit",  # the Quit key of Linux desktops
    "Ctrl+Z": "Edit > Undo",
    "Alt+Backspace": "Edit > Undo",
    "Ctrl+Shift+Z": "Edit > Redo",
    "Ctrl+Y": "Edit > Redo",
    "Del": "Edit > Delete annotation",
    "K": "Edit > Link mode",
    "Ctrl+F": "Edit > Find",
    "Alt+Left": "Edit > Move end edge",
    "Alt+Right": "Edit > Move end edge",
    "Alt+Shift+Left": "Edit > Move start edge",
    "Alt+Shift+Right": "Edit > Move start edge",
    "Ctrl++": "View > Zoom in",
    "Ctrl+-": "View > Zoom out",
    "Ctrl+0": "View > Reset zoom",
    "Ctrl+Shift+C": "View > Character precision",
    **{f"Ctrl+{i}": f"Document > {s}" for i, s in enumerate(DOCUMENT_STATUSES, start=1)},
    "Ctrl+PgDown": "Document > Next document",
    "Ctrl+PgUp": "Document > Previous document",
    "Ctrl+Shift+PgDown": "Document > Next not done",
    "Ctrl+Shift+N": "Document > Next assigned",
    "F1": "Help > Keys and mouse",
    # annotator/gui/edit_controller.py: leave link mode, close the find bar, clear selections
    "Esc": "Esc (stop linking, close the find bar)",
    # annotator/gui/review_dock.py REVIEW_MODE_KEY, and review_widgets.py SHORTCUTS: the panel's
    "Ctrl+Shift+V": "Review > Review mode",
    "F8": "Review > Next",
    "Shift+F8": "Review > Previous",
    "Ctrl+Shift+A": "Review > Accept",
    "Ctrl+Shift+R": "Review > Reject",
    "Ctrl+Shift+E": "Review > Edit",
    "Ctrl+Shift+G": "Review > Accept all agreed",
    # annotator/gui/consistency_dock.py CONSISTENCY_KEY
    "Ctrl+Shift+K": "Review > Consistency report",
    # annotator/gui/search_dock.py SEARCH_KEY
    "Ctrl+Shift+F": "Document > Search the project",
    # the Suggestions menu; Tab, Enter and Backspace only while the article has the focus
    "Ctrl+Shift+S": "Suggestions > Run recommender",
    "Tab": "Suggestions > Next suggestion",
    "Shift+Tab": "Suggestions > Previous suggestion",
    "Return": "Suggestions > Accept suggestion",
    "Enter": "Suggestions > Accept suggestion",
    "Backspace": "Suggestions > Reject suggestion",
}
# The article view's own keys (annotator/gui/view_input.py and QPlainTextEdit).
VIEW_KEYS: dict[str, str] = {
    "Ctrl+A": "the article's Select all",
    "Ctrl+C": "the article's Copy",
    "Ctrl+=": "View > Zoom in",
    "Ctrl+_": "View > Zoom out",
}


def canonical(text: str) -> str:
    """Return a shortcut in Qt's written form ("ctrl+p" -> "Ctrl+P"); ValueError says why not.

    A shortcut is modifiers (Ctrl, Alt, Shift, Meta) and one key: a printable character or a
    named key (F1-F35, Del, Home, ...). Letters are one key whatever their case, as in Qt.
    """
    parts = text.split("+")
    if text == "+" or text.endswith("++"):  # "Ctrl++": the key is the plus sign
        parts = [*parts[:-2], "+"]
    *mods, key = parts
    found = set()
    for mod in mods:
        name = _MODIFIER_NAMES.get(mod.strip().lower())
        if name is None or name in found:
            raise ValueError(f"{mod.strip() or '+'!r} is not a modifier (Ctrl, Alt, Shift, Meta)")
        found.add(name)
    key = key.strip() if len(key) > 1 else key
    if len(key) == 1:
        if not key.isprintable() or key.isspace():
            raise ValueError("the key is not a printable character")
        written = key.upper() if len(key.upper()) == 1 else key
    elif key.lower() in NAMED_KEYS:
        written = NAMED_KEYS[key.lower()]
    else:
        raise ValueError(f"{key!r} is not a key: use one character, F1-F35, or a named key")
    return "+".join([*(m for m in MODIFIERS if m in found), written])


def reserved_by(shortcut: str) -> str | None:
    """Return what already uses the canonical ``shortcut`` in the window, or None."""
    if shortcut in WINDOW_KEYS:
        return WINDOW_KEYS[shortcut]
    if shortcut in VIEW_KEYS:
        return VIEW_KEYS[shortcut]
    if shortcut.rsplit("+", 1)[-1] in NAVIGATION_KEYS:
        return "the article view, to move and select"
    return None
