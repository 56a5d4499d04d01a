"""Help texts: About, and what every key and mouse action does (also quoted in the README)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from annotator import __version__
from annotator.gui.errors import log_path
from annotator.gui.i18n import Texts
from annotator.gui.plaintext import plain_message

ABOUT = (
    f"Arabic News Annotator {__version__}\n\n"
    "Annotate entities, quotes and claims in Arabic news. Every edit is saved to the project "
    "file at once; there is no Save."
)

KEYS = """\
Mouse
  Drag over text            select; the selection snaps to whole words
                            (View > Character precision, Ctrl+Shift+C, turns snapping off)
  Click an annotation       select it: it gets a dark outline, the inspector shows it,
                            and a quote's or claim's linked spans are highlighted
  Click a label (palette)   same as its label key (below)
  Click a row (Annotations) select that annotation and scroll to it
  Click a suggestion        put it in focus (an annotation under the pointer wins)

Keys
  Label key (P, O, G, L, N, F, E, D, M, Q, V, C)
                            with text selected: annotate it with that label (entities and
                            cues stay within one paragraph). Otherwise: relabel the selected
                            annotation within its kind (PER to ORG), keeping its attributes
                            and links; a change of kind, or one that would drop an attribute
                            or a link, is refused with a message
  Delete                    delete the selected annotation (and its links)
  Alt+Left / Alt+Right      move the END edge of the selected annotation one letter
  Alt+Shift+Left / Right    move the START edge of the selected annotation one letter
                            The article runs right to left, so Left moves an edge towards
                            the end of the text (a later word), Right towards its beginning.
                            Alt+Left grows an annotation, Alt+Right shrinks it from its end;
                            Alt+Shift+Right grows it at its start, Alt+Shift+Left shrinks it.
                            A letter and its diacritics always move together.
  K                         link mode: with a quote or claim selected, click the speaker,
                            cue, claimant or carrying quote (in the text or in the
                            Annotations list); each click adds one link.
                            When several link types fit, you are asked which.
  Esc                       leave link mode, else close the find bar, else clear the selection
  Ctrl+F                    find (ignores hamza forms, ta marbuta/ha, alef maqsura/ya,
                            diacritics and tatweel); Enter = next hit
  Ctrl+Z                    undo (every edit, also status and review decisions; works in
                            the find box too)
  Ctrl+Shift+Z or Ctrl+Y    redo
  Ctrl++ / Ctrl+- / Ctrl+0  zoom in / out / reset
  Ctrl+1 / Ctrl+2 / Ctrl+3  document status: not started / in progress / done
  Ctrl+PgDown / Ctrl+PgUp   next / previous document of the list as filtered
  Ctrl+Shift+PgDown         next document of the list that is not done
  Ctrl+Shift+N              next document assigned to you that you have not marked done
                            (Ctrl+3 on a document assigned to you marks your part done)
  Ctrl+I / Ctrl+E           import / export (Cancel or Esc in the progress dialog stops them)
  Ctrl+Shift+K              consistency report: names labelled differently in different
                            places, or unlabelled where labelled elsewhere; double click or
                            Enter on a place opens it with the span or the words selected
  Ctrl+Shift+F              search the project (as Find compares); a click or Enter on a
                            hit opens its article with the hit selected. Annotate all…
                            there previews every hit, checked when a whole word, and adds
                            the checked ones as one undo step (Ctrl+Z takes all back)
  Ctrl+Shift+S              run a recommender (Suggestions > Run recommender…): its
                            suggestions are drawn as dashed outlines, the one in focus solid
  Tab / Shift+Tab           in the article: next / previous suggestion (without any, Tab
                            moves the keyboard focus on as usual)
  Ctrl+Tab / Ctrl+Shift+Tab move the keyboard focus out of the article (to the next /
                            previous panel), also while it has suggestions
  Enter                     accept the suggestion in focus, with the links it brings
  Backspace                 reject it: not proposed again. Ctrl+Z undoes either. Backspace
                            never deletes an annotation (Delete does)
  View > Reset layout       every panel back in place, the article at half the width
"""


def keys_help() -> str:
    """Return the keyboard and mouse help as plain text."""
    return KEYS


def message(parent: QWidget, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
    """Open a non-blocking message box whose text is never read as markup (paths, ids)."""
    box = plain_message(icon, title, text, parent)
    box.open()
    return box


def show_about(parent: QWidget, texts: Texts) -> QMessageBox:
    """Help > About, with where the error log is."""
    log = texts("Error log: {path}", path=log_path())
    title = texts("About Arabic News Annotator")
    return message(parent, QMessageBox.Icon.Information, title, f"{ABOUT}\n\n{log}")


def show_keys(parent: QWidget, texts: Texts) -> QMessageBox:
    """Help > Keys and mouse."""
    return message(parent, QMessageBox.Icon.Information, texts("Keys and mouse"), keys_help())
