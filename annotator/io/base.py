"""Shared pieces of the format modules: options, annotated documents, atomic files, progress."""

from __future__ import annotations

import os
import re
import secrets
import socket
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from annotator.errors import InputError, ValidationError
from annotator.model.document import Document, DocumentRecord, Relation, Span
from annotator.model.limits import check_document_length
from annotator.model.schema import Schema

Progress = Callable[[int], None]
CancelCheck = Callable[[], bool]


@dataclass
class ReadReport:
    """What readers met beyond the records they yield, for the import's report.

    ``layers`` counts the spans and relations read per annotator; ``notes`` lists, for each
    thing a reader skipped or read in a way the user should hear of, where it was (a task, a
    line): nothing a file holds is left out silently.
    """

    layers: dict[str, list[int]] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)

    def note(self, what: str, where: str) -> None:
        """Record one more ``what`` (e.g. "cancelled annotation(s) skipped") found at ``where``."""
        self.notes.setdefault(what, []).append(where)

    def count(self, record: DocumentRecord) -> None:
        """Count the spans and relations of ``record`` in their annotators' layers."""
        for span in record.spans:
            self.layers.setdefault(span.annotator, [0, 0])[0] += 1
        for rel in record.relations:
            self.layers.setdefault(rel.annotator, [0, 0])[1] += 1

    def layer_lines(self) -> list[str]:
        """Return one line per layer read: its name and how many spans and relations."""
        return [
            f"layer {name}: {spans} span(s), {relations} relation(s)"
            for name, (spans, relations) in sorted(self.layers.items())
        ]

    def lines(self, shown: int = 3) -> list[str]:
        """Return one line per kind of note: how many, and the first places."""
        lines = []
        for what, where in self.notes.items():
            more = f", and {len(where) - shown} more" if len(where) > shown else ""
            lines.append(f"{len(where)} {what}: {', '.join(where[:shown])}{more}")
        return lines


@dataclass(frozen=True)
class ReadOptions:
    """How to read an input file: its encoding, whom its annotations belong to, label names.

    ``label_map`` renames a file's labels to the project's (``--label-map PERS=PER``); readers
    call :meth:`label` on every label they read, so an error about a label names the project's
    label and the file's line where the label is. ``schema`` is the project's (a reader may
    need it to read what a file leaves out, such as a link's type); ``report`` collects what
    the readers skipped or noticed.
    """

    encoding: str = "utf-8"
    annotator: str = ""
    labels: frozenset[str] = frozenset()
    label_map: Mapping[str, str] = field(default_factory=dict)
    schema: Schema | None = field(default=None, compare=False)
    report: ReadReport = field(default_factory=ReadReport, compare=False)
    # The unit the file's offsets count when its format can be told (doccano: "utf16" or
    # "graphemes"); None is the format's own.
    offsets: str | None = None

    def label(self, name: str) -> str:
        """Return the project's name for the file's label ``name``."""
        return self.label_map.get(name, name)


@dataclass(frozen=True)
class AnnotatedDocument:
    """A document with the spans and relations selected for export.

    ``span_starts`` lists where every span of the document starts, of any layer or label,
    selected or not: token formats split proclitics there, so the tokens do not depend on the
    selection (None: only the selected spans are known).
    """

    document: Document
    spans: list[Span] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    span_starts: tuple[int, ...] | None = None


@contextmanager
def atomic_write(path: Path) -> Iterator[IO[bytes]]:
    """Write to a temporary file beside ``path`` and rename it over ``path`` only on success.

    An interrupted or failed export never leaves a truncated file under the target name.
    """
    path = Path(path)
    if path.is_dir():
        raise InputError("is a folder; give a file name to write", path=path)
    if not path.parent.is_dir():
        raise InputError("the folder to write into does not exist", path=path)
    remove_stale_parts(path)
    tmp = path.with_name(f"{_part_prefix(path)}{os.getpid()}-{secrets.token_hex(6)}.part")
    try:
        # Mode 0o666 less the umask, as `touch` creates a file (mkstemp's 0o600 would make every
        # export private whatever the umask); O_EXCL never writes through an existing file.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except OSError as exc:
        raise InputError(f"cannot write into this folder: {exc.strerror}", path=path) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        # A full disk or a lost network drive: name the target, not the temporary file.
        Path(tmp).unlink(missing_ok=True)
        raise InputError(
            f"cannot write: {exc.strerror or exc}; nothing was written", path=path
        ) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _part_prefix(path: Path) -> str:
    # The temporary file names the output, this computer and this process: an export killed
    # before its rename leaves a file a later export of the same output can tell is stale.
    host = re.sub(r"[^A-Za-z0-9-]", "_", socket.gethostname())[:63] or "host"
    return f".{path.name}.{host}-"


def remove_stale_parts(path: Path) -> list[Path]:
    """Remove the temporary files that exports of ``path`` killed on this computer left behind.

    Only files named as :func:`atomic_write` names them for this very output, on this computer,
    by a process that is no longer running, are removed; return them.
    """
    if os.name != "posix":  # no cheap way to ask whether a process runs; leave them
        return []
    pattern = re.compile(re.escape(_part_prefix(path)) + r"(\d+)-[0-9a-f]{12}\.part")
    removed = []
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return []
    for entry in entries:
        found = pattern.fullmatch(entry.name)
        if found and entry.is_file(follow_symlinks=False) and not _running(int(found[1])):
            Path(entry.path).unlink(missing_ok=True)
            removed.append(Path(entry.path))
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's process, or a number no process has: leave the file
    return True


def check_size(record: DocumentRecord, path: Path) -> None:
    """Raise InputError when a document's text is too long to annotate as one article.

    Checked as each record is read, so a huge file fails at once; the store checks the same
    limit (:mod:`annotator.model.limits`) for every other path.
    """
    try:
        check_document_length(len(record.text))
    except ValidationError as exc:
        raise InputError(exc.message, path=record.source or path, line=record.line) from None
