"""Label Studio on the command line: the ``labelstudio-config`` command, export's --predictions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from annotator.cli_common import echo_text, open_to_read, project_arg
from annotator.errors import InputError
from annotator.io.labelstudio_config import labeling_config
from annotator.io.operations import Selection
from annotator.store.project import Project


@click.command("labelstudio-config")
@project_arg
def labelstudio_config(project: Path) -> None:
    """Print the Label Studio labeling config of a project's schema.

    Its tag names are those the labelstudio export writes: paste it into the Label Studio
    project's Settings > Labeling Interface > Code before importing the export.

    \b
    Example:
      annotator labelstudio-config projects/news.sqlite > news-config.xml
    """
    with open_to_read(project) as opened:
        config = labeling_config(opened.schema)
    echo_text(config.rstrip("\n"))


def prediction_options(
    project: Project, fmt: str, selection: Selection, layers: tuple[str, ...]
) -> dict[str, Any]:
    """Return the writer options of ``export --predictions LAYER``, checked against the project."""
    if not layers:
        return {}
    if fmt != "labelstudio":
        raise InputError("--predictions needs --format labelstudio")
    known = project.annotators()
    chosen = selection.annotator_names
    for layer in layers:
        if layer not in known:
            raise InputError(
                f"--predictions {layer}: the project has no such layer (its layers:"
                f" {', '.join(known) or 'none'})"
            )
        if chosen is not None and layer not in chosen:
            raise InputError(
                f"--predictions {layer}: that layer is not exported (add --annotator {layer})"
            )
    return {"predictions": list(layers)}
