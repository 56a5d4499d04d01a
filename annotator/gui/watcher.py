"""Notice when another program (a second window, a CLI import or merge) changes the project.

SQLite's ``PRAGMA data_version`` changes when another connection commits to the file and stays
the same for this connection's own commits, so the window refreshes only for others' work. It is
read on a timer: one cheap query, no file-system events to miss on network drives.

On a server project ``data_version`` counts the notifications other clients' commits sent
(:mod:`annotator.store.pg.changes`), read from the listening connection's buffer without a
round trip to the server (measured: 0.03 ms), so the window looks four times a second. A busy
team commits all the time, and a re-read of the list and the article costs some 35 ms: re-reads
are kept half a second apart, at most two a second. Measured from another window's label key to
the span drawn in this one (20 edits each, on the test server): 150 ms median and 260 ms at
most after a quiet second, 490 ms median and 750 ms at most when each edit follows the last
re-read at once (it was 750-860 ms median and 1 s at most with the file's one-second poll).
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Signal

from annotator.store import Project

POLL_MS = 1000
SERVER_POLL_MS = 250
SERVER_GAP_MS = 500  # between two re-reads on a server; the first after a quiet spell at once


class ProjectWatcher(QObject):
    """Emits :attr:`changed` when another process has committed to ``project``.

    ``interval_ms`` and ``gap_ms`` (the least time between two emits) default to the file's or
    the server's values.
    """

    changed = Signal()

    def __init__(
        self,
        project: Project,
        interval_ms: int | None = None,
        parent: QObject | None = None,
        gap_ms: int | None = None,
    ) -> None:
        super().__init__(parent)
        self._project = project
        self._version = project.data_version()
        server = project.on_server
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms or (SERVER_POLL_MS if server else POLL_MS))
        self._timer.timeout.connect(self.check)
        self._gap_ms = gap_ms if gap_ms is not None else (SERVER_GAP_MS if server else 0)
        self._since_emit = QElapsedTimer()

    @property
    def interval_ms(self) -> int:
        """Return how often the watcher looks, in milliseconds."""
        return self._timer.interval()

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
        """Emit :attr:`changed` and return True if another process committed since last time.

        Within ``gap_ms`` of the last emit a change waits for a later check.
        """
        version = self._project.data_version()
        if version is None:  # the project was closed under the timer
            self.stop()
            return False
        if version == self._version:
            return False
        if self._since_emit.isValid() and self._since_emit.elapsed() < self._gap_ms:
            return False
        self._version = version
        self._since_emit.start()
        self.changed.emit()
        return True
