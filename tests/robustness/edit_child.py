"""A child process that edits a project without pause, reporting each committed edit.

Usage: ``python edit_child.py PROJECT SEED [BATCH_SIZE [EDITS]]``. After each edit has returned (so is
committed) it prints one line and flushes:

- ``span ID START END LABEL``: a span was added;
- ``deleting ID`` just before, and ``deleted ID`` after, a span was deleted;
- ``batch TAG N``: N documents tagged TAG were imported in one transaction.

It prints ``ready`` once the project is open, then makes EDITS edits (default: until killed).
"""

from __future__ import annotations

import random
import sys
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


def main() -> None:
    """Edit the project until killed or EDITS edits are done."""
    path, seed = Path(sys.argv[1]), int(sys.argv[2])
    size = int(sys.argv[3]) if len(sys.argv) > 3 else 40
    steps = int(sys.argv[4]) if len(sys.argv) > 4 else 10**9
    rng = random.Random(seed)
    with Project.open(path, annotator="child") as project:
        doc_id = project.document_ids()[0]
        length = len(project.document(doc_id).text)
        mine: list[str] = []
        say("ready")
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


if __name__ == "__main__":
    main()
