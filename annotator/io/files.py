"""Input paths, checked before anything reads them: only regular files are read.

Opening a named pipe (FIFO) waits until another program writes to it, a device such as
/dev/zero never ends, and a symbolic link that loops never leads anywhere. An import or a merge
reads its inputs inside the project's write transaction, so such an input would hang there
while holding the lock. Every input is therefore looked at with ``stat``, which opens nothing,
before the transaction begins, and anything but a regular file (or a link to one) is refused
with one line saying what it is.
"""

from __future__ import annotations

import errno
import stat
from pathlib import Path

from annotator.errors import InputError

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device (a character device such as a terminal or /dev/zero)"),
    (stat.S_ISBLK, "a device (a disk or partition)"),
)


def input_file(path: Path) -> Path:
    """Return ``path`` when it is a regular file or a link to one; else raise InputError."""
    try:
        mode = path.stat().st_mode  # follows links, opens nothing
    except FileNotFoundError:
        dangling = path.is_symlink()
        what = "a symbolic link to a file that does not exist" if dangling else "no such file"
        raise InputError(what, path=path) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError("a symbolic link that loops back on itself", path=path) from None
        raise InputError(f"cannot read: {exc.strerror or exc}", path=path) from None
    if stat.S_ISREG(mode):
        return path
    kind = next((name for test, name in _KINDS if test(mode)), "a special file")
    raise InputError(f"is {kind}, not a regular file", path=path)


def files_in(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """Return the files under ``folder`` with one of ``suffixes``, sorted; each checked as above.

    A folder with a matching name is walked into, not read; a pipe, device or broken link with a
    matching name is refused rather than skipped, so no file the user expected is left out.
    """
    found = [p for p in folder.rglob("*") if p.suffix in suffixes and not p.is_dir()]
    return [input_file(p) for p in sorted(found)]
