"""Reading JSON Lines with errors that name the file and line."""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from annotator.errors import InputError, ValidationError
from annotator.model import limits
from annotator.model.document import DocumentRecord


def require(condition: bool, message: str) -> None:
    """Raise InputError(message) unless ``condition`` holds."""
    if not condition:
        raise InputError(message)


def text_of(value: Any, what: str) -> str:
    """Return a file's id, label or name as text: a string, or a number written as one.

    A list or an object there is a wrong file, and turning one nested a thousand deep into text
    would exhaust Python's stack: it is refused, saying what was found.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    raise InputError(f"{what} must be text, not {_kind(value)}")


def shown(value: Any) -> str:
    """Quote a value from a file in a message: a number or short text as is, else its kind."""
    if isinstance(value, int | float) or value is None:
        return repr(value)
    if isinstance(value, str):
        return repr(value[:40]) + ("…" if len(value) > 40 else "")
    return _kind(value)


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "null" if value is None else type(value).__name__


def json_reason(message: str) -> str:
    """Return orjson's reason for refusing a JSON text, in a reader's words where they differ."""
    if "depth limit" in message:
        return "nested too deeply (more than 1,024 levels)"
    if "surrogate" in message:
        # "\ud800" alone is half of a UTF-16 pair: no character, and no text can hold it.
        return f"{message}: a \\u escape names half a surrogate pair, not a character"
    return message


def _json_error(raw: bytes, exc: orjson.JSONDecodeError, path: Path, line: int) -> InputError:
    # orjson reports undecodable bytes as a JSON error at "line 1 column 1"; the encoding is
    # the user's real problem, and the position inside the line is what they can look for.
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return InputError("the file is UTF-16; JSON Lines must be saved as UTF-8", path=path)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as bad:
        return InputError(
            f"not valid UTF-8 at byte {bad.start} of the line; JSON Lines must be saved as UTF-8"
            " (a Windows Arabic file is cp1256: convert it first)",
            path=path,
            line=line,
        )
    return InputError(
        f"not valid JSON at character {exc.pos + 1} of the line: {json_reason(exc.msg)}",
        path=path,
        line=line,
    )


def iter_json_lines(path: Path) -> Iterator[tuple[int, Any]]:
    """Yield ``(line number, parsed object)`` for each non-blank line of a JSONL file."""
    try:
        fh = path.open("rb")
    except IsADirectoryError:
        raise InputError("is a folder, not a JSONL file", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=path) from None
    seen = False
    with fh:
        for line_no, raw in enumerate(_lines(fh, path), start=1):
            if line_no == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            try:
                obj = orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                raise _json_error(raw, exc, path, line_no) from None
            seen = True
            yield line_no, obj
    if not seen:
        raise InputError("the file holds no records", path=path)


def _lines(fh: BinaryIO, path: Path) -> Iterator[bytes]:
    """Yield the lines of ``fh``; refuse one longer than limits.MAX_LINE_BYTES unread."""
    limit = limits.MAX_LINE_BYTES
    line_no = 0
    while raw := fh.readline(limit + 1):
        line_no += 1
        if len(raw) > limit and not raw.endswith(b"\n"):
            raise InputError(
                f"the line is longer than {limit:,} bytes, far more than one document with its"
                " annotations; is this JSON Lines (one document per line)?",
                path=path,
                line=line_no,
            )
        yield raw


def records_at_lines(
    path: Path, items: Iterable[tuple[int, Any]], build: Callable[[Any], DocumentRecord]
) -> Iterator[DocumentRecord]:
    """Build a record from each ``(line, object)``; an invalid one names the file and line."""
    for line_no, obj in items:
        try:
            record = build(obj)
        except (InputError, ValidationError) as exc:
            raise InputError(exc.message, path=path, line=line_no) from None
        yield replace(record, source=str(path), line=line_no)


def count_lines(path: Path) -> int:
    """Return how many records a JSONL file holds (its non-blank lines), for a progress bar."""
    try:
        with path.open("rb") as fh:
            return sum(1 for line in _lines(fh, path) if line.strip())
    except (OSError, InputError):
        return 0  # the reader reports the file; a bar without a total is no error
