"""A team's project on a server in the window: File > Open server project… and the title.

The dialog asks for the ``postgresql://`` URL of the project.

The password is no part of what is typed here: libpq reads ``PGPASSWORD`` or ``~/.pgpass``, and
otherwise the window asks for it when connecting (:func:`annotator.gui.app.ask_password`); the
tool never stores it. A URL that holds one anyway is used, and kept nowhere.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QWidget

from annotator.errors import ProjectError
from annotator.gui.dialogs import ok_cancel
from annotator.gui.i18n import Texts
from annotator.store import Project
from annotator.store.pg.location import ServerLocation, is_server_url

PLACEHOLDER = "postgresql://NAME@HOST:5432/DATABASE"
HINT = (
    "Your login name goes before the host. The password is read from PGPASSWORD or ~/.pgpass,"
    " else asked for when connecting; it is never saved."
)
NOT_A_URL = "Type a PostgreSQL URL starting with postgresql://"


class ServerProjectDialog(QDialog):
    """Ask for a server project's URL; :meth:`location` is what was typed, once accepted."""

    def __init__(self, texts: Texts, url: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.texts = texts
        self.setWindowTitle(texts("Open server project"))
        self.url_edit = QLineEdit(url)
        self.url_edit.setPlaceholderText(PLACEHOLDER)
        self.url_edit.setMinimumWidth(self.fontMetrics().horizontalAdvance(PLACEHOLDER) * 3 // 2)
        # URLs read left to right, in an Arabic interface too.
        self.url_edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        hint = QLabel(texts(HINT))
        hint.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setTextFormat(Qt.TextFormat.PlainText)  # holds what the user typed
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout = QFormLayout(self)
        layout.addRow(texts("Server project URL:"), self.url_edit)
        layout.addRow(hint)
        layout.addRow(self.problem)
        layout.addRow(ok_cancel(self))
        self._location: ServerLocation | None = None

    def location(self) -> ServerLocation | None:
        """Return the project's location once the dialog was accepted, else None."""
        return self._location

    def accept(self) -> None:
        """Close with the typed URL, or stay open saying what is wrong with it."""
        typed = self.url_edit.text().strip()
        try:
            if not is_server_url(typed):
                raise ProjectError(self.texts(NOT_A_URL))
            self._location = ServerLocation.of(typed)
        except ProjectError as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            self.url_edit.setFocus()
            return
        super().accept()


def project_caption(project: Project) -> str:
    """Return how the title bar names ``project``: its name, on a server also who and where."""
    where = project.path
    if not isinstance(where, ServerLocation):
        return project.name
    parts = urlsplit(where.url)
    host = parts.hostname or "localhost"  # libpq's default: the local socket
    if parts.port:
        host = f"{host}:{parts.port}"
    # Two people's windows side by side: whose is which.
    return f"{project.name} ({project.annotator} @ {host})"
