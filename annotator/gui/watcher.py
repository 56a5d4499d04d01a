"""Notice when another program (a second window, a CLI import or merge) changes the project.

SQLite's ``PRAGMA data_version`` changes when another connection commits to the file and stays
the same for this connection's own commits, so the window refreshes only for others' work. It is
read on a timer: one cheap query, no file-system events to miss on network drives.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.store import Project

POLL_MS = 1000


class ProjectWatcher(QObject):
    """Emits :attr:`changed` when another process has committed to ``project``."""

    changed = Signal()

    def __init__(self, project: Project, interval_ms: int = POLL_MS, parent: QObject | None = None):
        super().__init__(parent)
        self._project = project
        self._version = project.data_version()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)

    def start(self) -> None:
        """Start polling."""
        self._timer.start()

    def stop(self) -> None:
        """Stop polling (before the project is closed)."""
        self._timer.stop()

    @property
    def active(self) -> bool:
        """Return True while polling."""
        return self._timer.isActive()

    def check(self) -> bool:
        """Emit :attr:`changed` and return True if another process committed since last time."""
        version = self._project.data_version()
        if version is None:  # the project was closed under the timer
            self.stop()
            return False
        if version == self._version:
            return False
        self._version = version
        self.changed.emit()
        return True
