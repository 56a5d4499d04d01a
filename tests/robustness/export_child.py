"""A child process that starts an export and stops halfway, its temporary file written to.

Usage: ``python export_child.py PROJECT OUT``. It exports PROJECT to OUT through the real
``annotator.io.operations.export`` (and so the real temporary file beside OUT), with a native
writer that writes one line, prints ``writing`` and then waits for standard input to close. The
parent kills it (SIGKILL) there, as a power cut or a killed window would stop an export.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from annotator.io import operations
from annotator.io.registry import get_format
from annotator.store import Project


def stall(items: Iterable[Any], out: IO[bytes], options: dict[str, Any]) -> None:
    """Write a first line, report, and wait to be killed."""
    out.write(b'{"id": "half"}\n')
    out.flush()
    sys.stdout.write("writing\n")
    sys.stdout.flush()
    sys.stdin.read()


def main() -> None:
    """Export with the stalling writer."""
    native = dataclasses.replace(get_format("native"), write=stall)
    operations.get_format = lambda _name: native  # type: ignore[assignment]
    path, out = map(Path, sys.argv[1:])
    with Project.open(path, read_only=True) as project:
        operations.export(project, out)


if __name__ == "__main__":
    main()
