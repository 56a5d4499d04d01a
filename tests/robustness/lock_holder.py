"""A child process holding the project's write lock, as a long save in another program would.

Usage: ``python lock_holder.py PROJECT``. It begins a write transaction, inserts a settings row
``held``, prints ``holding`` and waits for ``commit`` or ``rollback`` on standard input.
"""

from __future__ import annotations

import sqlite3
import sys


def main() -> None:
    """Hold the write lock until told what to do with the transaction."""
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO project (key, value) VALUES ('held', 'uncommitted')")
    print("holding", flush=True)
    command = sys.stdin.readline().strip()
    if command in ("commit", "rollback"):
        conn.execute(command.upper())
    conn.close()
    print("released", flush=True)


if __name__ == "__main__":
    main()
