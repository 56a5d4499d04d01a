"""Plain text articles: one document per ``.txt`` file.

Stored text = the decoded file with a leading BOM removed and line endings normalized to ``\\n``;
nothing else changes (no NFC, no tashkeel or tatweel stripping, U+00A0 kept).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from pathlib import Path

from annotator.errors import DecodeError, InputError
from annotator.io.base import ReadOptions
from annotator.model.document import DocumentRecord
from annotator.model.text import prepare_text

# A byte order mark says which Unicode encoding a file is in, whatever --encoding says. UTF-32's
# little-endian mark begins with UTF-16's, so it is looked for first.
_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF8, "UTF-8"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
_FAMILIES = {
    "utf-8": "UTF-8", "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16", "utf-16-le": "UTF-16", "utf-16-be": "UTF-16",
    "utf-32": "UTF-32", "utf-32-le": "UTF-32", "utf-32-be": "UTF-32",
}  # fmt: skip
# Python codecs that are text codecs to Python but no text file's character set.
_NOT_CHARSETS = {"undefined", "unicode-escape", "raw-unicode-escape", "idna", "punycode"}
# Control characters other than tab, line feed, vertical tab, form feed and carriage return.
# UTF-16 or UTF-32 without a byte order mark can be valid UTF-8 too (Arabic in UTF-16 is bytes
# 0x06 and letters, Latin is letters and NULs), but read as UTF-8 it is full of these.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Characters an article in Arabic, with Latin names, digits and emoji, is made of: everything
# below U+0900 (Latin, Greek, Cyrillic, Hebrew, Arabic and its supplements), punctuation and
# symbols (U+2000-U+2BFF), Arabic presentation forms, variation selectors and specials, and
# every supplementary character (emoji). Bytes of another encoding read as UTF-16 or UTF-32
# come out as CJK ideographs, Hangul or unassigned code points instead.
_UNEXPECTED = re.compile(
    r"[^\x00-\u08ff\u2000-\u2bff\ufb50-\ufdff\ufe00-\ufe0f\ufe70-\uffff\U00010000-\U0010ffff\s]"
)
_SPACE = re.compile(r"\s")
# A text with more than this share of its characters outside those scripts was read in the
# wrong encoding (a few CJK quotes in an article stay well below it).
_UNEXPECTED_SHARE = 0.25


def text_codec(encoding: str, path: Path) -> str:
    """Return the codec's canonical name; refuse an unknown name or a codec that is not a charset.

    Python's codec registry also holds transforms (rot13, base64, zlib, hex) and escapes
    (unicode_escape): none of them is how a text file is saved.
    """
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}", path=path) from None
    try:
        b"\x00\x00\x00\x00".decode(name)  # a transform is no text encoding: LookupError
    except LookupError:
        raise InputError(
            f"{encoding!r} is not a text encoding (it transforms bytes); give the file's"
            " character set, e.g. utf-8, cp1256 or utf-16",
            path=path,
        ) from None
    except UnicodeError:
        pass  # a real text encoding that merely refuses these four bytes
    if name in _NOT_CHARSETS:
        raise InputError(
            f"{encoding!r} is a Python codec, not a text file's character set; give one such as"
            " utf-8, cp1256 or utf-16",
            path=path,
        )
    return name


def _bom(data: bytes) -> str | None:
    return next((family for bom, family in _BOMS if data.startswith(bom)), None)


def _really_utf8(data: bytes, family: str | None, text: str | None = None) -> bool:
    """Return True when ``data`` is UTF-8 text that a codec of ``family`` read otherwise.

    ``text`` is what that codec read, None when it could not read ``data`` at all.
    cp1256 and the other byte encodings decode almost any bytes, so UTF-8 read as one of them
    would import as mojibake without an error; real text in them is almost never valid UTF-8.
    """
    try:
        as_utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if as_utf8 == text:  # ASCII, read alike by both codecs
        return False
    return family is None or _CONTROL.search(as_utf8) is None


def decode(data: bytes, encoding: str, path: Path) -> str:
    """Decode ``data``; refuse, naming the file, what the encoding given would garble.

    The same checks hold for every codec: a byte order mark of another Unicode encoding, bytes
    that are plain UTF-8 but read otherwise under ``encoding`` (cp1256 or utf-16 would import
    mojibake without an error), bytes invalid in ``encoding`` (with the byte offset), and UTF-16
    or UTF-32 without a byte order mark whose characters are mostly outside the scripts of an
    article (bytes of another encoding read as UTF-16 become CJK ideographs).
    """
    codec = text_codec(encoding, path)
    family = _FAMILIES.get(codec)
    bom = _bom(data)
    if bom is not None and bom != family:
        if bom == "UTF-8":
            raise DecodeError(
                f"the file is UTF-8 (it starts with UTF-8's byte order mark), not {encoding};"
                " import it without --encoding",
                path=path,
            )
        raise DecodeError(f"the file is {bom}; import it with --encoding {bom.lower()}", path=path)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        if family != "UTF-8" and _really_utf8(data, family):
            raise _is_utf8(encoding, path) from None
        hint = " (Windows Arabic files need --encoding cp1256)" if family == "UTF-8" else ""
        raise DecodeError(
            f"not valid {encoding} at byte {exc.start}{hint}",
            path=path,
            line=data.count(b"\n", 0, exc.start) + 1,
        ) from None
    except UnicodeError as exc:  # a codec that fails otherwise: no offset to give
        raise DecodeError(f"cannot be read as {encoding} ({exc})", path=path) from None
    if family != "UTF-8" and _really_utf8(data, family, text):
        raise _is_utf8(encoding, path)
    if text.startswith("\ufffe"):
        raise DecodeError(
            f"the file is {family} in the other byte order; import it with"
            f" --encoding {(family or '').lower()}",
            path=path,
        )
    if family in ("UTF-16", "UTF-32") and bom is None:
        _check_plausible(text, encoding, path)
    if "\x00" in text:
        raise DecodeError(f"the file contains NUL bytes: {_nul_advice(data, family)}", path=path)
    return text


def _is_utf8(encoding: str, path: Path) -> DecodeError:
    return DecodeError(
        f"the file is UTF-8, not {encoding}; import it without --encoding", path=path
    )


def _nul_advice(data: bytes, family: str | None) -> str:
    # UTF-16 saved without a byte order mark has a NUL beside every Latin letter.
    if family not in ("UTF-16", "UTF-32"):
        for codec in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text and not _CONTROL.search(text) and _plausible(text):
                return f"it is UTF-16 without a byte order mark; import it with --encoding {codec}"
    return "not a text file"


def _plausible(text: str) -> bool:
    letters = len(text) - len(_SPACE.findall(text))
    return not letters or len(_UNEXPECTED.findall(text)) <= _UNEXPECTED_SHARE * letters


def _check_plausible(text: str, encoding: str, path: Path) -> None:
    if not _plausible(text):
        letters = len(text) - len(_SPACE.findall(text))
        unexpected = len(_UNEXPECTED.findall(text))
        raise DecodeError(
            f"read as {encoding}, {unexpected * 100 // letters}% of the text is in scripts an"
            " Arabic article does not use (CJK, Hangul, unassigned): the file is in another"
            " encoding; check --encoding",
            path=path,
        )


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
