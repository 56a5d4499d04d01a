"""Start the window: QApplication, Arabic fonts, settings, the main window, the event loop."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QInputDialog, QLabel, QLineEdit, QMessageBox

from annotator.errors import AnnotatorError
from annotator.gui import preferences
from annotator.gui.errors import install_excepthook
from annotator.gui.file_controller import OPEN_WINDOWS
from annotator.gui.fonts import arabic_family
from annotator.gui.plaintext import plain_message
from annotator.store.pg import connection as pg_connection
from annotator.store.pg.location import ServerLocation


def application() -> QApplication:
    """Return the running QApplication, creating it (with names for QSettings) if needed."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    QCoreApplication.setOrganizationName(preferences.ORGANIZATION)
    QCoreApplication.setApplicationName(preferences.APPLICATION)
    app.setWindowIcon(QIcon.fromTheme("accessories-text-editor"))
    arabic_family()  # registers the packaged Arabic fonts before any widget asks for them
    return app


def ask_password(location: ServerLocation, reason: str) -> str | None:
    """Ask for a server project's password in a dialog (typed hidden); None on Cancel."""
    dialog = QInputDialog()
    dialog.setWindowTitle("Arabic News Annotator")
    dialog.setLabelText(f"{location}\n{reason}\n\nPassword:")
    dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
    for label in dialog.findChildren(QLabel):  # the URL and the server's words are plain text
        label.setTextFormat(Qt.TextFormat.PlainText)
    if dialog.exec() != QInputDialog.DialogCode.Accepted:
        return None
    return dialog.textValue() or None


def run(
    project_path: Path,
    annotator: str | None = None,
    read_only: bool = False,
    consistency: bool = False,
) -> int:
    """Open the window on ``project_path`` and run until it closes; return the exit code.

    ``consistency`` shows the consistency report at once, as Review > Consistency report does.
    """
    from annotator.gui.main_window import MainWindow

    app = application()
    install_excepthook()  # an error in any action: a dialog and the log, never a silent loss
    pg_connection.password_prompt = ask_password
    try:
        window = MainWindow(project_path, annotator=annotator, read_only=read_only)
    except AnnotatorError as exc:
        # The message names the project path: a plain-text box, so <b> in a path stays <b>.
        plain_message(QMessageBox.Icon.Critical, "Arabic News Annotator", str(exc)).exec()
        return exc.exit_code
    OPEN_WINDOWS.append(window)
    window.show()
    if consistency:
        window.consistency.toggle.trigger()
    return int(app.exec())
