"""A child process that, on cue, adds one span to two documents in one committed transaction.

Usage: ``python snapshot_writer.py PROJECT ANNOTATOR DOC_ID DOC_ID``. It opens the project with
its own connection, prints ``ready``, waits for a line on standard input, then adds a PER span
over the first word of each named document in one transaction and prints ``committed`` once the
commit has returned. The parent reads a consistent snapshot in between.
"""

from __future__ import annotations

import sys
from pathlib import Path

from annotator.store import Project


def say(line: str) -> None:
    """Tell the parent how far the child is."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> None:
    """Wait for the cue, write both spans in one transaction, report the commit."""
    path, annotator, *doc_ids = sys.argv[1:]
    with Project.open(Path(path), annotator=annotator) as project:
        say("ready")
        sys.stdin.readline()
        with project.write():
            for doc_id in doc_ids:
                text = project.document(doc_id).text
                project.add_span(doc_id, 0, text.index(" "), "PER")
        say("committed")


if __name__ == "__main__":
    main()
