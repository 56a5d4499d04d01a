"""Pieces shared by the CLI command modules: arguments, options, the terminal progress bar."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from annotator.terminal import BIDI_MODES

PROGRESS_MIN = 20  # below this many items a progress bar is only noise

project_arg = click.argument("project", type=click.Path(path_type=Path))
bidi_opt = click.option(
    "--bidi",
    type=click.Choice(BIDI_MODES),
    default="auto",
    show_default=True,
    help="Reshape Arabic for terminals without bidi support (never for files or pipes).",
)


@contextmanager
def progress_bar(total: int, label: str) -> Iterator[Callable[[int], None] | None]:
    """Yield a progress callback drawing a bar on stderr, or None for small jobs."""
    if total < PROGRESS_MIN:
        yield None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update
