"""Preferences kept with QSettings: annotator name, UI language, recent projects, window state."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QFormLayout, QLineEdit, QWidget

from annotator.gui.dialogs import ok_cancel
from annotator.gui.i18n import Texts
from annotator.store import default_annotator
from annotator.store.pg.location import ServerLocation, is_server_url

ORGANIZATION = "arabic-news-annotator"
APPLICATION = "annotator"
MAX_RECENT = 8


def settings() -> QSettings:
    """Return the application's settings (tests redirect them with QSettings.setPath)."""
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
    )


def annotator_name() -> str:
    """Return the saved annotator name, or the operating-system user when none is saved."""
    saved = str(settings().value("annotator", "") or "").strip()
    return saved or default_annotator()


def set_annotator_name(name: str) -> None:
    """Save the annotator name used for every new annotation."""
    settings().setValue("annotator", name.strip())


def language() -> str:
    """Return the saved UI language code ("en" or "ar")."""
    return str(settings().value("language", "en") or "en")


def set_language(code: str) -> None:
    """Save the UI language code."""
    settings().setValue("language", code)


def recent_projects() -> list[Path]:
    """Return recently opened projects, newest first: files that still exist, server URLs."""
    raw = settings().value("recent", []) or []
    paths = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, list | tuple) else []
    found: list[Path] = []
    for entry in map(str, paths):
        if is_server_url(entry):
            found.append(ServerLocation.of(entry))
        elif Path(entry).is_file():
            found.append(Path(entry))
    return found


def add_recent_project(path: Path) -> list[Path]:
    """Put ``path`` (a file or a server location) first in the recent projects list; return it."""
    resolved = _where(path)
    # Compared as text: two servers' locations of one database name are equal as paths.
    paths = [resolved] + [p for p in recent_projects() if str(_where(p)) != str(resolved)]
    settings().setValue("recent", [str(p) for p in paths[:MAX_RECENT]])
    return paths[:MAX_RECENT]


def _where(project: Path) -> Path:
    """A project file's absolute path; a server project's URL without its password."""
    if isinstance(project, ServerLocation):
        # Never the password typed at a prompt or written in the URL.
        return ServerLocation.of(str(project))
    return project.resolve()


def last_document(project: Path) -> str:
    """Return the document last open in ``project`` ("" if none is remembered)."""
    return str(settings().value(f"last_document/{_key(project)}", "") or "")


def set_last_document(project: Path, doc_id: str) -> None:
    """Remember the document open in ``project``, to reopen it next time."""
    settings().setValue(f"last_document/{_key(project)}", doc_id)


def document_filter(project: Path) -> str:
    """Return the document list's filter last used in ``project``, as saved ("" if none)."""
    return str(settings().value(f"document_filter/{_key(project)}", "") or "")


def set_document_filter(project: Path, saved: str) -> None:
    """Remember the document list's filter of ``project`` (see gui/filter_bar.py)."""
    settings().setValue(f"document_filter/{_key(project)}", saved)


def suggestions_shown() -> bool:
    """Return whether suggestions are drawn over the article (Suggestions > Show suggestions)."""
    return str(settings().value("suggestions_shown", "true")).lower() != "false"


def set_suggestions_shown(shown: bool) -> None:
    """Remember whether suggestions are drawn."""
    settings().setValue("suggestions_shown", "true" if shown else "false")


def _key(project: Path) -> str:
    # QSettings keys treat "/" as a group separator: keep the whole path as one key.
    return str(_where(project)).replace("/", "|").replace("\\", "|")


class PreferencesDialog(QDialog):
    """Edit the annotator name: set once, recorded on every span and relation."""

    def __init__(self, texts: Texts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(texts("Preferences"))
        self.name_edit = QLineEdit(annotator_name())
        layout = QFormLayout(self)
        layout.addRow(texts("Your annotator name:"), self.name_edit)
        buttons = ok_cancel(self)
        layout.addRow(buttons)

    def accept(self) -> None:
        """Save the name (an empty name falls back to the OS user) and close."""
        set_annotator_name(self.name_edit.text())
        super().accept()
