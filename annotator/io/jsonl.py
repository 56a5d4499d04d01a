"""Reading JSON Lines with errors that name the file and line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from annotator.errors import InputError


def require(condition: bool, message: str) -> None:
    """Raise InputError(message) unless ``condition`` holds."""
    if not condition:
        raise InputError(message)


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
        for line_no, raw in enumerate(fh, start=1):
            if line_no == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            try:
                obj = orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                raise InputError(f"not valid JSON ({exc})", path=path, line=line_no) from None
            seen = True
            yield line_no, obj
    if not seen:
        raise InputError("the file holds no records", path=path)
