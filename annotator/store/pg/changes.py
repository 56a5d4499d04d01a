"""Other clients' commits, as PostgreSQL announces them (LISTEN / NOTIFY).

Every table a window shows has a statement trigger sending ``NOTIFY annotator_changes``
(:mod:`annotator.store.pg.schema`); PostgreSQL delivers a notification only once its transaction
has committed, and only to connections listening. :class:`Changes` keeps a connection of its own
listening, and counts the notifications sent by any other connection: the window's watcher
polls the count every few hundred milliseconds (as it polls ``PRAGMA data_version`` on a file)
and re-reads when it moves, so another annotator's edit shows within about a second.
"""

from __future__ import annotations

import threading
from typing import Any

import psycopg

from annotator.store.pg.location import ServerLocation

CHANNEL = "annotator_changes"


class Changes:
    """A listening connection, opened on first use; counts other connections' commits."""

    def __init__(self, location: ServerLocation, own_pid: int) -> None:
        self.location = location
        self.own_pid = own_pid
        self.seen = 0
        self._conn: psycopg.Connection[Any] | None = None
        self._lock = threading.Lock()
        self._failed = False

    def _listening(self) -> psycopg.Connection[Any] | None:
        if self._conn is None and not self._failed:
            try:
                self._conn = psycopg.connect(self.location.conninfo, autocommit=True)
                self._conn.execute(f"LISTEN {CHANNEL}")
            except psycopg.Error:
                self._failed = True  # the window then only sees its own edits
        return self._conn

    def count(self) -> int:
        """Return how many other commits were announced so far (reads what arrived)."""
        with self._lock:
            conn = self._listening()
            if conn is None:
                return self.seen
            try:
                for note in conn.notifies(timeout=0):
                    if note.pid != self.own_pid:
                        self.seen += 1
            except psycopg.Error:
                pass
            return self.seen

    def close(self) -> None:
        """Stop listening."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
