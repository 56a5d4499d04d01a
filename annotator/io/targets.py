"""Files a command writes must not be the files it reads: the project, its journals, its inputs.

An output that is the project (``annotator export p.sqlite p.sqlite``) would replace it with the
export; one that is its ``-wal``, ``-shm`` or ``-journal`` would hand SQLite a journal that is not
the project's. Each output path is compared with each protected file before anything is written:
as the same file on disk where both exist (another spelling, a symbolic or a hard link, a bind
mount: ``os.path.samefile``), and as the same resolved path otherwise (a journal not made yet).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from annotator.errors import InputError

# What SQLite keeps beside a database file NAME, in the words a message uses.
JOURNALS = (
    ("-wal", "write-ahead log"),
    ("-shm", "shared-memory index"),
    ("-journal", "rollback journal"),
)


@dataclass(frozen=True)
class Protected:
    """A file a command reads, and what it is, as a message says it."""

    path: Path
    what: str


def project_files(project: str | Path) -> list[Protected]:
    """Return a project file and the journal files SQLite keeps beside it."""
    project = Path(project)
    files = [Protected(project, f"the project {project}")]
    for suffix, what in JOURNALS:
        files.append(Protected(Path(f"{project}{suffix}"), f"the {what} of the project {project}"))
    return files


def inputs(paths: Iterable[str | Path]) -> list[Protected]:
    """Return input files of a command as protected files."""
    return [Protected(Path(p), f"the input {p}") for p in paths]


def same_file(a: Path, b: Path) -> bool:
    """Return True when ``a`` and ``b`` name one file, or would once it exists."""
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet)
        pass
    return _canonical(a) == _canonical(b)


def _canonical(path: Path) -> str:
    # realpath follows links in every part, a dangling last link too: a link to a journal
    # not made yet still resolves to the journal's name.
    return os.path.normcase(os.path.realpath(path))


def check_output(out: str | Path, protected: Iterable[Protected]) -> Path:
    """Return ``out``; raise InputError when writing it would overwrite a ``protected`` file."""
    out = Path(out)
    consequence = "which the command reads; nothing was written: choose another output file"
    _refuse_if_protected(out, "output", protected, consequence)
    return out


def check_input(path: str | Path, protected: Iterable[Protected]) -> None:
    """Raise InputError when the input ``path`` is one of the ``protected`` files it goes into."""
    consequence = "which the command writes to; nothing was read or written"
    _refuse_if_protected(Path(path), "input", protected, consequence)


def _refuse_if_protected(
    path: Path, role: str, protected: Iterable[Protected], consequence: str
) -> None:
    for item in protected:
        if same_file(path, item.path):
            raise InputError(f"this {role} is {item.what}, {consequence}", path=path)


def check_sources(paths: Iterable[str | Path], project: str | Path) -> None:
    """Raise InputError when one of the input ``paths`` is ``project`` or one of its journals."""
    protected = project_files(project)
    for path in paths:
        check_input(path, protected)
