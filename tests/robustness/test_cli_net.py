"""Failures below the named errors (SQLite, the operating system) still read as one line."""

from __future__ import annotations

import dataclasses
import errno
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import pytest
from robustness_support import assert_one_clear_line, cli, cli_process

from annotator.io import operations
from annotator.io.registry import get_format
from annotator.store.project import Project


def test_sqlite_failure_inside_a_command(filled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An SQLite error nobody mapped is one line naming the project, exit 3, nothing saved."""

    def failing(*_args: object, **_kwargs: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(Project, "document_rows", failing)
    outcome = cli("list", filled)

    assert outcome.exit_code == 3
    assert outcome.error_lines == [
        f"error: {filled}: the project file failed: disk I/O error; the step was not saved"
    ]


def test_os_failure_inside_a_command(filled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An operating-system error nobody mapped names its file in one line."""

    def failing(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", "/srv/shared/news.sqlite")

    monkeypatch.setattr(Project, "document_rows", failing)
    outcome = cli("list", filled)

    assert outcome.exit_code == 1
    assert outcome.error_lines == ["error: /srv/shared/news.sqlite: Permission denied"]


def test_disk_full_during_export_leaves_no_file(
    filled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails halfway names the target and leaves neither it nor a temporary file."""
    native = get_format("native")

    def write_then_fail(items: Iterable[Any], out: IO[bytes], options: dict[str, Any]) -> None:
        out.write(b'{"id": "half')
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(
        operations, "get_format", lambda _name: dataclasses.replace(native, write=write_then_fail)
    )
    out = tmp_path / "out" / "news.jsonl"
    out.parent.mkdir()

    outcome = cli("export", filled, out)

    message = assert_one_clear_line(outcome, [out], None)
    assert "No space left on device; nothing was written" in message
    assert list(out.parent.iterdir()) == []


def test_export_into_a_read_only_folder(filled: Path, tmp_path: Path) -> None:
    """The folder cannot take the file: one line naming the file, nothing left behind."""
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    out = folder / "news.jsonl"

    outcome = cli_process("export", filled, out, honour_file_modes=True)

    folder.chmod(0o755)
    message = assert_one_clear_line(outcome, [out], None)
    assert "cannot write into this folder: Permission denied" in message
    assert list(folder.iterdir()) == []
