"""Other clients' commits, as PostgreSQL announces them (LISTEN / NOTIFY).

Every table a window shows has a statement trigger sending ``NOTIFY annotator_changes``
(:mod:`annotator.store.pg.schema`); PostgreSQL delivers a notification only once its transaction
has committed, and only to connections listening. :class:`Changes` keeps a connection of its own
listening, and counts the notifications sent by any other connection: the window's watcher
polls the count every few hundred milliseconds (as it polls ``PRAGMA data_version`` on a file)
and re-reads when it moves, so another annotator's edit shows within about a second.
"""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any

import psycopg

from annotator.store.pg.location import ServerLocation

CHANNEL = "annotator_changes"


RETRY_S = 5.0  # how long a lost listening connection waits before it is tried again
CONNECT_TIMEOUT_S = 3  # the window polls on its own thread: never hang it on a dead server


class Changes:
    """A listening connection, opened on first use; counts other connections' commits.

    When the listening connection is lost (the server restarted, the network dropped), every
    commit since may have gone unannounced: the count moves once, so the window re-reads what
    is on the server, and listening starts again at most every few seconds.
    """

    def __init__(self, location: ServerLocation, own_pid: int) -> None:
        self.location = location
        self.own_pid = own_pid
        self.seen = 0
        self._conn: psycopg.Connection[Any] | None = None
        self._lock = threading.Lock()
        self._next_try = 0.0
        self._lost = False  # a connection was lost: re-read once listening again

    def _listening(self) -> psycopg.Connection[Any] | None:
        if self._conn is None and time.monotonic() >= self._next_try:
            try:
                self._conn = psycopg.connect(
                    self.location.conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S
                )
                self._conn.execute(f"LISTEN {CHANNEL}")
            except psycopg.Error:
                self._drop()
                return None
            if self._lost:
                self._lost = False
                self.seen += 1  # what was committed while nobody listened: read it again
        return self._conn

    def _drop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(psycopg.Error):
                self._conn.close()
        self._conn = None
        self._lost = True
        self._next_try = time.monotonic() + RETRY_S

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
                self._drop()
            return self.seen

    def close(self) -> None:
        """Stop listening."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
