"""Plain text articles: one document per ``.txt`` file.

Stored text = the decoded file with a leading BOM removed and line endings normalized to ``\\n``;
nothing else changes (no NFC, no tashkeel or tatweel stripping, U+00A0 kept).
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path

from annotator.errors import DecodeError, InputError
from annotator.io.base import ReadOptions
from annotator.model.document import DocumentRecord
from annotator.model.text import prepare_text

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode(data: bytes, encoding: str, path: Path) -> str:
    """Decode ``data``; on failure raise DecodeError naming the file and the byte offset."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}", path=path) from None
    codec = codecs.lookup(encoding).name
    is_utf8 = codec in ("utf-8", "utf-8-sig")
    if is_utf8 and data.startswith(_UTF16_BOMS):
        raise DecodeError("the file is UTF-16; import it with --encoding utf-16", path=path)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        hint = " (Windows Arabic files need --encoding cp1256)" if is_utf8 else ""
        raise DecodeError(
            f"not valid {encoding} at byte {exc.start}{hint}",
            path=path,
            line=data.count(b"\n", 0, exc.start) + 1,
        ) from None
    if not is_utf8 and not codec.startswith("utf") and not data.isascii() and _is_utf8(data):
        # cp1256 decodes almost any byte sequence, so UTF-8 read as cp1256 would import as
        # mojibake without an error: refuse it instead.
        raise DecodeError(
            f"the file is UTF-8, not {encoding}; import it without --encoding", path=path
        )
    if "\x00" in text:
        raise DecodeError("the file contains NUL bytes: not a text file", path=path)
    return text


def read_text_file(path: Path, encoding: str = "utf-8") -> str:
    """Read one text file and return its stored form."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError("is a folder, not a text file", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=path) from None
    text = prepare_text(decode(data, encoding, path))
    if not text.strip():
        raise InputError("the file is empty", path=path)
    return text


def read(path: Path, options: ReadOptions) -> Iterator[DocumentRecord]:
    """Yield the one document of a ``.txt`` file; its id is the file name without ``.txt``."""
    text = read_text_file(path, options.encoding)
    yield DocumentRecord(text=text, id=path.stem, meta={"source": path.name}, source=str(path))


def count(path: Path) -> int:
    """Return how many documents a ``.txt`` file holds: one."""
    return 1
