"""Pieces shared by the CLI command modules: arguments, options, output, the progress bar."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Literal, TextIO, TypeVar, cast

import click

from annotator.errors import AnnotatorError
from annotator.io.registry import offset_units, readable, writable
from annotator.store.pg import connection as pg_connection
from annotator.store.pg.location import ServerLocation, is_server_url
from annotator.store.project import Project
from annotator.terminal import BIDI_MODES, is_terminal, neutralise, safe_line

F = TypeVar("F", bound=Callable[..., Any])

PROGRESS_MIN = 20  # below this many items a progress bar is only noise

# Where the project a command works on is kept, so the CLI's last net can name it.
PROJECT_KEY = "annotator.project"


def _remember_project(ctx: click.Context, _param: click.Parameter, value: Path) -> Path:
    ctx.meta[PROJECT_KEY] = value  # meta is shared with the group's context
    return value


def _ask_password(location: ServerLocation, reason: str) -> str | None:
    """Ask for a server project's password on the terminal (not echoed); None when not one."""
    if not sys.stdin.isatty():
        return None
    echo_error(f"{location}: {reason}")
    try:
        return getpass.getpass(f"password for {location}: ") or None
    except (EOFError, KeyboardInterrupt):
        return None


def install_password_prompt() -> None:
    """Let a server project's password be typed at a prompt, as psql asks for it."""
    pg_connection.password_prompt = _ask_password


class ProjectTarget(click.ParamType):
    """A project file's path, or a ``postgresql://HOST/DB`` URL of a team project."""

    name = "project"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path:
        if isinstance(value, Path):
            return value
        text = str(value)
        if is_server_url(text):
            try:
                return ServerLocation.of(text)
            except AnnotatorError as exc:
                self.fail(exc.message, param, ctx)
        return Path(text)


PROJECT = ProjectTarget()
project_arg = click.argument("project", type=PROJECT, callback=_remember_project)
bidi_opt = click.option(
    "--bidi",
    type=click.Choice(BIDI_MODES),
    default="auto",
    show_default=True,
    help="Reshape Arabic for terminals without bidi support (never for files or pipes).",
)


def echo_text(text: str) -> None:
    """Write ``text`` to stdout exactly: click would drop ESC sequences going to a file or pipe."""
    click.echo(text, color=True)


def echo_error(message: str) -> None:
    """Write one diagnostic line to stderr with its control characters shown as escapes.

    Messages quote file names, ids and titles from files; a log is read in a terminal later, so
    they are neutralised wherever stderr goes, and a line break in a name cannot split the line.
    """
    click.echo(safe_line(message), err=True)


class NeutralisedStream:
    """A text stream for click's own error messages (usage errors): controls shown as escapes.

    The message may quote a name a user typed or a file held; click's usage lines and line
    breaks are kept, so only what a terminal would act on changes.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        """Write ``text`` neutralised."""
        return self._stream.write(neutralise(text, lines=True))

    def flush(self) -> None:
        """Flush the stream underneath."""
        self._stream.flush()

    def isatty(self) -> bool:
        """Return whether the stream underneath is a terminal."""
        return is_terminal(self._stream)


def neutralised_stderr() -> IO[Any]:
    """Return stderr for click's ``show``, which takes any object with write and flush."""
    return cast(IO[Any], NeutralisedStream(sys.stderr))


class FormatChoice(click.Choice[str]):
    """The names of formats in the table (``annotator.io.registry``), read when asked.

    Reading the table at each use, not once at import, means a format added to the table is a
    ``--format`` choice, and is listed by ``--help``, without another edit.
    """

    def __init__(self, names: Callable[[], list[str]]) -> None:
        self._names = names
        super().__init__((), case_sensitive=True)

    @property  # type: ignore[override]
    def choices(self) -> Sequence[str]:
        """Return the format names, in the table's order."""
        return tuple(self._names())

    @choices.setter
    def choices(self, value: Sequence[str]) -> None:
        pass  # click.Choice.__init__ sets them; they come from the table instead


def format_option(direction: Literal["read", "write"], default: str) -> Callable[[F], F]:
    """Return the ``--format`` option of ``import`` ("read") or ``export`` ("write")."""
    names, what = (readable, "Input") if direction == "read" else (writable, "Output")
    return click.option(
        "--format",
        "fmt",
        type=FormatChoice(names),
        default=default,
        show_default=True,
        help=f"{what} format (the README's table of formats gives each one's fields and offsets).",
    )


def offsets_option(direction: Literal["read", "write"]) -> Callable[[F], F]:
    """Return the ``--offsets`` option: the unit a file's offsets count, where a format asks."""
    what = "read" if direction == "read" else "written"
    return click.option(
        "--offsets",
        type=click.Choice(offset_units()),
        default=None,
        help=f"doccano: what the offsets {what} count, utf16 (doccano's default) or graphemes"
        " (a project that counts grapheme clusters as one character).",
    )


@contextmanager
def open_to_read(path: Path) -> Iterator[Project]:
    """Open a project read-only; say so on stderr when it could only be opened as unchangeable."""
    with Project.open(path, read_only=True) as opened:
        if opened.immutable:
            echo_error(
                f"note: {path}: its folder is read-only, so the project was opened as an"
                " unchangeable file: a change made elsewhere meanwhile is not seen"
            )
        yield opened


@contextmanager
def progress_bar(total: int, label: str) -> Iterator[Callable[[int], None] | None]:
    """Yield a progress callback drawing a bar on stderr, or None for small jobs."""
    if total < PROGRESS_MIN:
        yield None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update
