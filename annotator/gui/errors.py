"""Unexpected errors in the window: shown in a dialog and logged with the traceback.

:func:`install_excepthook` replaces ``sys.excepthook``; PySide6 hands it every exception a slot
raises, so nothing fails silently. The log is ``annotator.log`` in the user's application data
folder (``QStandardPaths.AppDataLocation``); Help > About shows where.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from annotator.errors import AnnotatorError

LOG_NAME = "annotator.log"
LOG_BYTES = 1_000_000  # then rotated, three old logs kept
TITLE = "Arabic News Annotator"
SAFE = (
    "Every edit finished before this is saved in the project file. "
    "The action that failed may not have been saved: check it before going on."
)

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]
_logger = logging.getLogger("annotator.gui")
_open_dialogs: list[QMessageBox] = []  # referenced until closed, or Qt would delete them


def log_path() -> Path:
    """Return the error log's path in the user's application data folder."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(folder) / LOG_NAME


def _file_handler(path: Path) -> logging.Handler:
    """Return the logger's handler writing to ``path``, replacing one for another path."""
    for handler in list(_logger.handlers):
        if isinstance(handler, RotatingFileHandler):
            if Path(handler.baseFilename) == path:
                return handler
            _logger.removeHandler(handler)
            handler.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    created = RotatingFileHandler(path, maxBytes=LOG_BYTES, backupCount=3, encoding="utf-8")
    created.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    _logger.addHandler(created)
    _logger.setLevel(logging.INFO)
    return created


def log_error(exc: BaseException) -> Path | None:
    """Append the error with its traceback to the log; return the log path, or None if unwritable."""
    path = log_path()
    try:
        handler = _file_handler(path)
        _logger.error("%s", exc, exc_info=(type(exc), exc, exc.__traceback__))
        handler.flush()
    except OSError:
        return None  # a full disk must not turn one error into two
    return path


def message_for(exc: BaseException, log: Path | None) -> str:
    """Return the dialog text: the error in the user's words, that work is safe, where the log is."""
    if isinstance(exc, AnnotatorError):
        text = str(exc)
    else:
        text = f"Something went wrong: {type(exc).__name__}: {exc}"
    where = f"Details are in the log: {log}" if log else "The log could not be written."
    return f"{text}\n\n{SAFE}\n\n{where}"


def show_error(exc: BaseException, parent: QWidget | None = None) -> QMessageBox:
    """Log ``exc`` and show it in a dialog that does not block the window."""
    log = log_error(exc)
    parent = parent or QApplication.activeWindow()
    box = QMessageBox(QMessageBox.Icon.Critical, TITLE, message_for(exc, log), parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # messages may quote article text: never markup
    box.setDetailedText("".join(traceback.format_exception(exc)))
    _open_dialogs.append(box)
    box.finished.connect(lambda _result: _open_dialogs.remove(box))
    box.open()
    return box


def excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Show and log an exception nobody caught; Ctrl+C still ends the program."""
    if issubclass(kind, KeyboardInterrupt) or QApplication.instance() is None:
        sys.__excepthook__(kind, exc, tb)
        return
    show_error(exc.with_traceback(tb))


def install_excepthook() -> ExceptHook:
    """Route uncaught exceptions to :func:`excepthook`; return the hook it replaced."""
    previous = sys.excepthook
    sys.excepthook = excepthook
    return previous
