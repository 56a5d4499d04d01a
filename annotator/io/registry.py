"""Formats by name: each format module registers its reader and/or writer here."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from annotator.errors import InputError
from annotator.io.base import AnnotatedDocument, ReadOptions
from annotator.model.document import DocumentRecord

Reader = Callable[[Path, ReadOptions], Iterator[DocumentRecord]]
Writer = Callable[[Iterable[AnnotatedDocument], IO[bytes], dict[str, Any]], None]


@dataclass(frozen=True)
class Format:
    """A named file format: how to read it, how to write it, and its offset convention."""

    name: str
    description: str
    offsets: str
    read: Reader | None = None
    write: Writer | None = None
    suffix: str = ".jsonl"
    relations: bool = True  # False: the writer ignores relations, so the export skips them
    bio: bool = False  # True: the writer tags only the ``bio_labels``; no other span is read
    # True when records keep who annotated what (native, Label Studio); other formats would
    # mix several annotators' spans into one layer of duplicates and conflicts.
    layers: bool = False


_FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    """Make ``fmt`` available by its name to the CLI, the API and the window."""
    _FORMATS[fmt.name] = fmt
    return fmt


def _load_builtin() -> None:
    # Importing the modules registers them; the import is here so io/__init__ stays cheap.
    from annotator.io import (  # noqa: F401
        claims,
        conll,
        doccano,
        hf,
        labelstudio,
        native,
        quotes,
        spacy_jsonl,
        txt,
    )


def get_format(name: str) -> Format:
    """Return the format called ``name`` or raise InputError listing the known ones."""
    _load_builtin()
    try:
        return _FORMATS[name]
    except KeyError:
        known = ", ".join(sorted(_FORMATS))
        raise InputError(f"unknown format {name!r}; known formats: {known}") from None


def formats() -> list[Format]:
    """Return every registered format, by name."""
    _load_builtin()
    return [_FORMATS[k] for k in sorted(_FORMATS)]


def readable() -> list[str]:
    """Return the names of formats that can be imported."""
    return [f.name for f in formats() if f.read is not None]


def writable() -> list[str]:
    """Return the names of formats that can be exported."""
    return [f.name for f in formats() if f.write is not None]
