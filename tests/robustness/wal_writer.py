"""A child process that commits documents to a project and then waits, its log not checkpointed.

Usage: ``python wal_writer.py PROJECT TITLE...``. It opens the project, turns automatic
checkpoints off, adds one document per title (each its own commit), prints ``committed`` and
waits for standard input to close. Until then the commits are only in ``PROJECT-wal``; killed
(SIGKILL) at that point, it leaves the log a crash leaves.
"""

from __future__ import annotations

import sys
from pathlib import Path

from annotator.store import Project


def main() -> None:
    """Commit one document per title, report, and wait."""
    path, *titles = sys.argv[1:]
    with Project.open(Path(path), annotator="writer") as project:
        project.db.execute("PRAGMA wal_autocheckpoint=0")
        for title in titles:
            project.add_document(f"خبر عن {title} في صحيفة اليوم", title=title)
        sys.stdout.write("committed\n")
        sys.stdout.flush()
        sys.stdin.read()


if __name__ == "__main__":
    main()
