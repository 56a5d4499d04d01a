"""A child process that edits a project without pause, reporting each committed edit.

Usage: ``python edit_child.py PROJECT SEED [BATCH_SIZE [EDITS]] [--wait-for-go] [--announce-lock]``.
After each edit has returned (so is committed) it prints one line and flushes:

- ``span ID START END LABEL``: a span was added;
- ``deleting ID`` just before, and ``deleted ID`` after, a span was deleted;
- ``batch TAG N``: N documents tagged TAG were imported in one transaction.

It prints ``ready`` once the project is open, then makes EDITS edits (default: until killed).
With ``--wait-for-go`` it starts editing only once a line arrives on standard input, so a parent
can start several children together. With ``--announce-lock`` it prints ``locking T`` when its
first edit asks SQLite for the write lock (``BEGIN IMMEDIATE`` starting to run), right before
any wait for that lock, and ``finished T`` after its last edit; T is ``time.monotonic()``, one
clock for every process on Linux.
"""

from __future__ import annotations

import random
import sqlite3
import sys
import time
from pathlib import Path

from annotator.model.document import DocumentRecord
from annotator.store import Project

LABELS = ("PER", "ORG", "GPE", "LOC")
WORDS = ("قال", "الرئيس", "إن", "الاتفاق", "قريب", "وأضاف", "موسكو", "واشنطن", "المتحدث")


def batch(rng: random.Random, tag: str, size: int) -> list[DocumentRecord]:
    """Return ``size`` distinct documents tagged ``tag`` in their meta."""
    records = []
    for n in range(size):
        words = " ".join(rng.choice(WORDS) for _ in range(30))
        records.append(
            DocumentRecord(text=f"{tag} {n} {words}", id=f"{tag}-{n}", meta={"batch": tag})
        )
    return records


def say(line: str) -> None:
    """Report one committed edit to the parent."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def announce_first_lock(conn: sqlite3.Connection) -> None:
    """Print ``locking T`` once, as the first write transaction starts to run."""
    said: list[str] = []

    def traced(statement: str) -> None:
        # SQLite calls this as the statement starts to run: before it tries the lock.
        if not said and statement.strip().upper() == "BEGIN IMMEDIATE":
            said.append(statement)
            say(f"locking {time.monotonic()}")

    conn.set_trace_callback(traced)


def main() -> None:
    """Edit the project until killed or EDITS edits are done."""
    flags = {a for a in sys.argv[1:] if a.startswith("--")}
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    path, seed = Path(args[0]), int(args[1])
    size = int(args[2]) if len(args) > 2 else 40
    steps = int(args[3]) if len(args) > 3 else 10**9
    rng = random.Random(seed)
    with Project.open(path, annotator="child") as project:
        doc_id = project.document_ids()[0]
        length = len(project.document(doc_id).text)
        mine: list[str] = []
        say("ready")
        if "--wait-for-go" in flags:
            sys.stdin.readline()
        if "--announce-lock" in flags:
            announce_first_lock(project.db.conn)
        for step in range(steps):
            roll = rng.random()
            if roll < 0.15:
                tag = f"b{seed}x{step}"
                project.import_documents(batch(rng, tag, size))
                say(f"batch {tag} {size}")
            elif roll < 0.3 and mine:
                span_id = mine.pop(rng.randrange(len(mine)))
                # Said first: a kill between the commit and "deleted" leaves the span gone
                # without a report, and the parent must know that is allowed.
                say(f"deleting {span_id}")
                project.delete_span(doc_id, span_id)
                say(f"deleted {span_id}")
            else:
                start = rng.randrange(length - 10)
                end = start + rng.randint(1, 10)
                span = project.add_span(doc_id, start, end, rng.choice(LABELS))
                mine.append(span.id)
                say(f"span {span.id} {start} {end} {span.label}")
        if "--announce-lock" in flags:
            say(f"finished {time.monotonic()}")


if __name__ == "__main__":
    main()
