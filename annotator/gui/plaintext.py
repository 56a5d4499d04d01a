"""Showing article text in Qt widgets that would otherwise guess it is rich text."""

from __future__ import annotations

import html


def plain_tooltip(text: str) -> str:
    """Return a tooltip that shows ``text`` literally (markup such as ``<b>`` included).

    Qt renders a tooltip as HTML when it looks like HTML; escaping it inside a pre-wrap
    paragraph keeps the characters and the line breaks as they are.
    """
    return f"<p style='white-space:pre-wrap'>{html.escape(text, quote=False)}</p>"
