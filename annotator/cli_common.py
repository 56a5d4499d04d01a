"""Pieces shared by the CLI command modules: arguments, options, the terminal progress bar."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, TypeVar

import click

from annotator.io.registry import readable, writable
from annotator.terminal import BIDI_MODES

F = TypeVar("F", bound=Callable[..., Any])

PROGRESS_MIN = 20  # below this many items a progress bar is only noise

project_arg = click.argument("project", type=click.Path(path_type=Path))
bidi_opt = click.option(
    "--bidi",
    type=click.Choice(BIDI_MODES),
    default="auto",
    show_default=True,
    help="Reshape Arabic for terminals without bidi support (never for files or pipes).",
)


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


@contextmanager
def progress_bar(total: int, label: str) -> Iterator[Callable[[int], None] | None]:
    """Yield a progress callback drawing a bar on stderr, or None for small jobs."""
    if total < PROGRESS_MIN:
        yield None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update
