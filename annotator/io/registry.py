"""The table of formats: every file format the annotator reads or writes, in one place.

A format module only defines its ``read`` and/or ``write`` functions; this module imports them and
lists each format with what it is (as spaCy's ``registrations.py`` gathers its registrations):
importing a format module registers nothing, and no format module imports this one. The CLI's
``--format`` choices, the window's format menus, the folder walk and the progress count all read
:data:`FORMATS`, so a format added here appears everywhere without another edit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from annotator.errors import InputError
from annotator.io import (
    claims,
    conll,
    doccano,
    hf,
    jsonl,
    labelstudio,
    native,
    quotes,
    spacy_jsonl,
    txt,
)
from annotator.io.base import AnnotatedDocument, ReadOptions
from annotator.model.document import DocumentRecord

Reader = Callable[[Path, ReadOptions], Iterator[DocumentRecord]]
Writer = Callable[[Iterable[AnnotatedDocument], IO[bytes], dict[str, Any]], None]
Counter = Callable[[Path], int]


@dataclass(frozen=True)
class Format:
    """A named file format: how to read and write it, and what its files carry."""

    name: str
    description: str
    offsets: str
    read: Reader | None = None
    write: Writer | None = None
    # Suffixes of the files a folder is searched for; an export is given the first one.
    suffixes: tuple[str, ...] = (".jsonl",)
    # True when records carry spans and relations: those of a text already in the project are
    # added to it. Plain text carries none.
    annotations: bool = True
    # How many records one file holds, for a progress bar; None when only reading it tells.
    count: Counter | None = None
    relations: bool = True  # False: the writer ignores relations, so the export skips them
    bio: bool = False  # True: the writer tags only the ``bio_labels``; no other span is read
    # True when the writer writes tokens: it is given where every span of a document starts,
    # selected or not, so a document has the same tokens in every export.
    tokens: bool = False
    # True when records keep who annotated what (native, Label Studio); other formats would
    # mix several annotators' spans into one layer of duplicates and conflicts.
    layers: bool = False
    # The units a file's offsets may count (``--offsets``), the format's own first; empty when
    # the format has one unit only.
    offset_units: tuple[str, ...] = ()

    @property
    def suffix(self) -> str:
        """Return the suffix of the files this format writes."""
        return self.suffixes[0]

    def offset_unit(self, asked: str | None) -> str | None:
        """Return the offset unit ``asked`` for (None: the format's own), or raise InputError."""
        if asked is None or asked in self.offset_units:
            return asked
        if not self.offset_units:
            raise InputError(f"the {self.name} format has one offset unit: {self.offsets}")
        known = ", ".join(self.offset_units)
        raise InputError(f"the {self.name} format's offsets count {known}, not {asked!r}")


_CODE_POINTS = "code points, end exclusive"
_NATIVE = "lossless native JSONL, one document per line"
_NATIVE_OFFSETS = "code points (Python str indices), end exclusive"

FORMATS: tuple[Format, ...] = (
    Format(
        name="txt",
        description="plain text article, one document per file",
        offsets="none (text only)",
        read=txt.read,
        suffixes=(".txt",),
        annotations=False,
        count=txt.count,
    ),
    Format(
        name="native",
        description=_NATIVE,
        offsets=_NATIVE_OFFSETS,
        read=native.read,
        write=native.write,
        count=jsonl.count_lines,
        layers=True,
    ),
    Format(
        name="jsonl",
        description="alias of native",
        offsets=_NATIVE_OFFSETS,
        read=native.read,
        write=native.write,
        count=jsonl.count_lines,
        layers=True,
    ),
    Format(
        name="doccano",
        description="doccano JSONL: text, entities, relations",
        offsets="UTF-16 code units, end exclusive (--offsets graphemes: grapheme clusters)",
        read=doccano.read,
        write=doccano.write,
        count=jsonl.count_lines,
        offset_units=doccano.UNITS,
    ),
    Format(
        name="labelstudio",
        description="Label Studio JSON tasks with spans, attributes and relations",
        offsets=_CODE_POINTS,
        read=labelstudio.read,
        write=labelstudio.write,
        suffixes=(".json",),
        layers=True,
    ),
    Format(
        name="conll",
        description="CoNLL token TAG lines (BIO), blank line between sentences",
        offsets="none: tokens and BIO tags",
        read=conll.read,
        write=conll.write,
        suffixes=(".conll",),
        relations=False,
        bio=True,
        tokens=True,
    ),
    Format(
        name="spacy",
        description="spaCy/Prodigy JSONL: text, tokens, spans, relations",
        offsets=f"{_CODE_POINTS}; token_end inclusive",
        write=spacy_jsonl.write,
        tokens=True,
    ),
    Format(
        name="hf",
        description="Hugging Face token classification JSONL (tokens, ner_tags) + label list",
        offsets="none: tokens and BIO tags",
        write=hf.write,
        relations=False,
        bio=True,
        tokens=True,
    ),
    Format(
        name="quotes",
        description="one record per quote: text, type, speakers, cues, context",
        offsets=_CODE_POINTS,
        write=quotes.write,
    ),
    Format(
        name="claims",
        description="one record per claim: text, check_worthy, claimants, carrying quotes",
        offsets=_CODE_POINTS,
        write=claims.write,
    ),
)


def formats() -> list[Format]:
    """Return every format, in the table's order."""
    return list(FORMATS)


def get_format(name: str) -> Format:
    """Return the format called ``name`` or raise InputError listing the known ones."""
    for fmt in FORMATS:
        if fmt.name == name:
            return fmt
    known = ", ".join(f.name for f in FORMATS)
    raise InputError(f"unknown format {name!r}; known formats: {known}")


def readable() -> list[str]:
    """Return the names of formats that can be imported, in the table's order."""
    return [f.name for f in FORMATS if f.read is not None]


def offset_units() -> list[str]:
    """Return every offset unit some format can be told to count, for ``--offsets``."""
    return list(dict.fromkeys(unit for f in FORMATS for unit in f.offset_units))


def writable() -> list[str]:
    """Return the names of formats that can be exported, in the table's order."""
    return [f.name for f in FORMATS if f.write is not None]
