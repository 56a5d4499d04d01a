"""Journals beside a project file: a ``-wal`` or hot ``-journal`` of another database is refused.

SQLite applies whatever ``NAME-wal`` or hot ``NAME-journal`` it finds beside ``NAME`` when it
opens it: after a file was copied or renamed without its journal, or a journal was left behind,
another database's pages end up in the project (sqlite.org/howtocorrupt.html, "Mispairing
database files and hot journals"). SQLite cannot tell; nothing in a journal names its database.

So every commit of the annotator marks the file's header (:func:`stamp_commit`): the header's
``user_version`` gets a new random number and ``application_id`` the one before it. The main
file then holds the mark of its last checkpointed commit, and the ``-wal`` holds page 1, with its
marks, of every commit since the log was last reset. A log continues this file only if the
file's mark is the mark of one of its commits, or the one its first commit replaced; a log
whose commits carry other marks is another database's, and nothing is read from it.
:func:`check_journals` decides this from the file's header (its first 100 bytes, or through
SQLite with ``immutable=1``, which ignores journals, when this process has the file open) and
the log's frame headers, with checksums computed only when the marks disagree: opening a
project with no journal costs two ``stat`` calls, with a live log a read of its frame headers.
A rollback journal is judged by its page size and the original page 1 it would restore.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import struct
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

from annotator.errors import ProjectError

WAL_MAGIC = (0x377F0682, 0x377F0683)  # checksums of little-endian words; big-endian words
WAL_HEADER = 32
FRAME_HEADER = 24
JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")
JOURNAL_HEADER = 28
SQLITE_HEADER = 100
# Where SQLite keeps the two application fields in the database header (page 1).
USER_VERSION_AT = 60
APPLICATION_ID_AT = 68


@dataclass(frozen=True)
class Header:
    """What the main file says of itself: page size and the marks of its last commit."""

    page_size: int
    mark: int  # user_version: set by the last commit
    previous: int  # application_id: the mark that commit replaced
    wal_mode: bool | None  # None when it could not be read


@dataclass(frozen=True)
class PageOne:
    """The marks in one copy of page 1 found in a journal."""

    mark: int
    previous: int


def stamp_commit(conn: sqlite3.Connection) -> None:
    """Mark the write transaction open on ``conn``: a new random mark, the old one kept beside."""
    mark = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.execute(f"PRAGMA application_id = {int(mark)}")
    conn.execute(f"PRAGMA user_version = {secrets.randbelow(2**31 - 1) + 1}")


def check_journals(path: Path, *, create: bool = False) -> None:
    """Raise ProjectError when a ``-wal`` or hot ``-journal`` beside ``path`` is not its own."""
    wal, journal = Path(f"{path}-wal"), Path(f"{path}-journal")
    if not _has_content(wal) and not _has_content(journal):
        return  # the usual case: two stat calls
    if create:
        for stray in (wal, journal):
            if _has_content(stray):
                _refuse(path, stray, "it was left there by an earlier database")
        return
    header = _main_header(path)
    if header is None:
        return  # not an SQLite file: opening it says so
    if _has_content(wal) and _foreign_wal(wal, header, verify=False):
        # Confirm with checksums (a frame torn by a crash is not a commit), reading the file's
        # header again after the log, in case another program checkpointed meanwhile.
        log = _read_wal(wal, verify=True)
        header = _main_header(path) or header
        if reason := _judge_wal(log, header):
            _refuse(path, wal, reason)
    if _has_content(journal) and (reason := _foreign_journal(journal, header)):
        _refuse(path, journal, reason)


def _refuse(path: Path, stray: Path, reason: str) -> None:
    raise ProjectError(
        f"{stray.name} beside it is another database's journal ({reason}); nothing was read"
        f" or written: move {stray.name} out of this folder, then open the project again",
        path=path,
    )


def _has_content(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


def _main_header(path: Path) -> Header | None:
    """Return the main file's page size and marks, read without any journal; None if no SQLite."""
    header = _raw_header(path)
    if header is not None or not _open_in_this_process(path):
        return header
    # immutable=1 reads the main file alone, ignoring every journal, and a descriptor SQLite
    # opens is safe to close while another connection of this process holds locks on the file.
    uri = f"file:{quote(str(path.resolve()))}?immutable=1"
    try:
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            values = [
                int(conn.execute(f"PRAGMA {name}").fetchone()[0])
                for name in ("page_size", "user_version", "application_id")
            ]
    except sqlite3.Error:
        return None
    return Header(values[0], values[1] & 0xFFFFFFFF, values[2] & 0xFFFFFFFF, wal_mode=None)


def _raw_header(path: Path) -> Header | None:
    # Closing any descriptor of a file drops every POSIX lock this process holds on it, those
    # of an open connection too: read the file directly only when this process has it nowhere.
    if _open_in_this_process(path):
        return None
    try:
        with path.open("rb") as fh:
            head = fh.read(SQLITE_HEADER)
    except OSError:
        return None
    if len(head) < SQLITE_HEADER or not head.startswith(b"SQLite format 3\x00"):
        return None
    size = struct.unpack(">H", head[16:18])[0]
    marks = _page_one(head)
    assert marks is not None
    return Header(65536 if size == 1 else size, marks.mark, marks.previous, head[18] == 2)


def _open_in_this_process(path: Path) -> bool:
    """Return True when a descriptor of this process refers to ``path`` (or it cannot tell)."""
    if os.name != "posix":
        return False  # Windows locks belong to a handle: closing another one keeps them
    try:
        target = path.stat()
        names = os.listdir("/dev/fd")
    except OSError:
        return True
    for name in names:
        try:
            found = os.fstat(int(name))
        except (OSError, ValueError):
            continue
        if (found.st_dev, found.st_ino) == (target.st_dev, target.st_ino):
            return True
    return False


# ---- the write-ahead log --------------------------------------------------------------------


@dataclass(frozen=True)
class WalLog:
    """What a log holds: its page size, how many frames, and the marks of its copies of page 1."""

    page_size: int
    frames: int
    page_ones: list[PageOne]


def _foreign_wal(wal: Path, header: Header, *, verify: bool) -> str | None:
    """Return why ``wal`` does not continue the main file, or None when it does (or may)."""
    return _judge_wal(_read_wal(wal, verify=verify), header)


def _judge_wal(log: WalLog | None, header: Header) -> str | None:
    if log is None or log.frames == 0:
        return None  # SQLite ignores a log without a valid header or frames
    if log.page_size != header.page_size:
        return f"its pages are {log.page_size} bytes, the file's {header.page_size}"
    if not log.page_ones:
        return None  # no commit of the annotator in it: nothing to compare
    if header.mark == log.page_ones[0].previous:
        return None  # the log's first commit was made on this file as it is
    if any(page.mark == header.mark for page in log.page_ones):
        return None  # the file was checkpointed up to one of the log's commits
    return "its commits do not continue this file's last one"


def _read_wal(wal: Path, *, verify: bool) -> WalLog | None:
    try:
        with wal.open("rb") as fh:
            head = fh.read(WAL_HEADER)
            if len(head) < WAL_HEADER:
                return None
            magic, _version, page_size = struct.unpack(">3I", head[:12])
            if magic not in WAL_MAGIC or not _wal_header_valid(head, magic):
                return None
            frames = 0
            page_ones: list[PageOne] = []
            for page_one in _wal_frames(fh, head, magic, page_size, verify=verify):
                frames += 1
                if page_one is not None:
                    page_ones.append(page_one)
    except OSError as exc:
        raise ProjectError(
            f"cannot read {wal.name} beside the project: {exc.strerror}", path=wal
        ) from exc
    return WalLog(page_size, frames, page_ones)


def _wal_header_valid(head: bytes, magic: int) -> bool:
    version = struct.unpack(">I", head[4:8])[0]
    page_size = struct.unpack(">I", head[8:12])[0]
    if version != 3007000 or page_size < 512 or page_size > 65536 or page_size & (page_size - 1):
        return False
    return _checksum(head[:24], magic, (0, 0)) == struct.unpack(">2I", head[24:32])


def _wal_frames(
    fh: BinaryIO, head: bytes, magic: int, page_size: int, *, verify: bool
) -> Iterator[PageOne | None]:
    """Yield, for each of the log's current frames in order, page 1's marks or None.

    Without ``verify`` only the salts are compared (a frame left from before the log's last
    reset has others); with it, each frame's checksum too, as SQLite does, stopping at the
    first frame that fails (a frame torn by a crash).
    """
    salts = head[16:24]
    checksum = struct.unpack(">2I", head[24:32])
    offset = WAL_HEADER
    while True:
        fh.seek(offset)
        frame = fh.read(FRAME_HEADER + page_size if verify else FRAME_HEADER)
        if len(frame) < FRAME_HEADER or frame[8:16] != salts:
            return
        if verify:
            if len(frame) < FRAME_HEADER + page_size:
                return
            checksum = _checksum(frame[FRAME_HEADER:], magic, _checksum(frame[:8], magic, checksum))
            if checksum != struct.unpack(">2I", frame[16:24]):
                return
        if struct.unpack(">I", frame[:4])[0] == 1:
            yield _page_one(frame[FRAME_HEADER:] if verify else fh.read(100))
        else:
            yield None
        offset += FRAME_HEADER + page_size


def _checksum(data: bytes, magic: int, start: tuple[int, int]) -> tuple[int, int]:
    """SQLite's WAL checksum of ``data`` (fileformat2.html, "Checksum Algorithm")."""
    order = "<" if magic == WAL_MAGIC[0] else ">"
    words = struct.unpack(f"{order}{len(data) // 4}I", data)
    s1, s2 = start
    pairs = iter(words)
    for x0, x1 in zip(pairs, pairs, strict=True):
        s1 = (s1 + x0 + s2) & 0xFFFFFFFF
        s2 = (s2 + x1 + s1) & 0xFFFFFFFF
    return s1, s2


def _page_one(page: bytes) -> PageOne | None:
    if len(page) < APPLICATION_ID_AT + 4:
        return None  # cut short: not a page SQLite would read
    mark = struct.unpack(">I", page[USER_VERSION_AT : USER_VERSION_AT + 4])[0]
    previous = struct.unpack(">I", page[APPLICATION_ID_AT : APPLICATION_ID_AT + 4])[0]
    return PageOne(mark, previous)


# ---- the rollback journal -------------------------------------------------------------------


def _foreign_journal(journal: Path, header: Header) -> str | None:
    """Return why a hot rollback journal is not the main file's, or None when it is (or may be)."""
    try:
        with journal.open("rb") as fh:
            head = fh.read(JOURNAL_HEADER)
            if len(head) < JOURNAL_HEADER or head[:8] != JOURNAL_MAGIC:
                return None  # not hot: SQLite plays nothing back from it
            page_size = struct.unpack(">I", head[24:28])[0]
            if page_size != header.page_size:
                return f"its pages are {page_size} bytes, the file's {header.page_size}"
            original = _journal_page_one(fh, page_size)
    except OSError as exc:
        raise ProjectError(
            f"cannot read {journal.name} beside the project: {exc.strerror}", path=journal
        ) from exc
    # The annotator never commits in rollback mode, so the page 1 a journal saved carries the
    # marks the file had then and still has: any others are another database's.
    if original is not None and original.mark != header.mark:
        return "the page 1 it would restore is another database's"
    # A file in WAL mode writes a rollback journal only to leave WAL mode or to enter it, and
    # either rewrites page 1: a journal without it was not written for this file.
    if original is None and header.wal_mode:
        return "the file is in WAL mode and the journal does not restore its page 1"
    return None


def _journal_page_one(fh: BinaryIO, page_size: int) -> PageOne | None:
    """Return the marks of the original page 1 the journal would restore, if it holds one.

    A journal is a run of segments, each a header padded to the sector size and then its
    records (page number, the page as it was, a checksum), as SQLite plays them back.
    """
    record = 4 + page_size + 4
    offset = 0
    while True:
        fh.seek(offset)
        head = fh.read(JOURNAL_HEADER)
        if len(head) < JOURNAL_HEADER or head[:8] != JOURNAL_MAGIC:
            return None
        n_rec, nonce, _pages, sector, _size = struct.unpack(">5I", head[8:])
        if not 32 <= sector <= 65536 or sector & (sector - 1):
            return None
        start = offset + sector
        if n_rec == 0xFFFFFFFF:  # written without syncs: the records run to the end
            fh.seek(0, os.SEEK_END)
            n_rec = max(0, (fh.tell() - start) // record)
        for index in range(n_rec):
            fh.seek(start + index * record)
            data = fh.read(record)
            if len(data) < record or not _journal_record_valid(data, nonce, page_size):
                return None  # SQLite stops playing back at a torn record
            if struct.unpack(">I", data[:4])[0] == 1:
                return _page_one(data[4 : 4 + page_size])
        if n_rec == 0:
            return None
        # The next segment's header starts at the next sector boundary.
        offset = -(-(start + n_rec * record) // sector) * sector


def _journal_record_valid(data: bytes, nonce: int, page_size: int) -> bool:
    """Check a record's checksum: the nonce plus every 200th byte of the page, from the end."""
    page = data[4 : 4 + page_size]
    total = nonce + sum(page[i] for i in range(page_size - 200, 0, -200))
    return struct.unpack(">I", data[-4:])[0] == total & 0xFFFFFFFF
