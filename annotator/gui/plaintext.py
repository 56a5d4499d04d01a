"""Showing strings from files (article text, titles, ids, names, paths) in Qt as plain text.

Qt reads a tooltip, a QLabel or a QMessageBox text as HTML when it looks like HTML, so a label
name ``<img src="file:///...">`` would load a local file and ``<b>`` would render; in a menu or
button caption, ``&`` marks a mnemonic and disappears. Every such string goes through one of
these helpers, or into a widget set to ``Qt.TextFormat.PlainText``.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget


def plain_tooltip(text: str) -> str:
    """Return a tooltip that shows ``text`` literally (markup such as ``<b>`` included).

    Qt renders a tooltip as HTML when it looks like HTML; escaping it inside a pre-wrap
    paragraph keeps the characters and the line breaks as they are. Empty stays empty, so no
    empty tooltip box appears.
    """
    if not text:
        return ""
    return f"<p style='white-space:pre-wrap'>{html.escape(text, quote=False)}</p>"


def plain_caption(text: str) -> str:
    """Return a menu or button caption that shows ``text`` with its ``&`` characters."""
    return text.replace("&", "&&")


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """Return a QLabel that never interprets its text as markup."""
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def plain_message(
    icon: QMessageBox.Icon, title: str, text: str, parent: QWidget | None = None
) -> QMessageBox:
    """Return a message box (not yet shown) whose texts are never read as markup."""
    box = QMessageBox(icon, title, "", parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # before the text: the informative one follows
    box.setText(text)
    return box
