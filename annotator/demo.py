"""The demo project: the articles in ``seeds/`` imported with the same importer users run."""

from __future__ import annotations

import os
from pathlib import Path

from annotator.io.operations import import_paths
from annotator.paths import DEMO_PROJECT, SEEDS
from annotator.store.project import Project


def build_demo_project(path: Path = DEMO_PROJECT, seeds: Path = SEEDS) -> Path:
    """Create ``path`` from the seed articles and their example annotations, if it is missing.

    The project is built under a temporary name and renamed, so an interrupted first run never
    leaves a half-built demo behind.
    """
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.building")
    tmp.unlink(missing_ok=True)
    try:
        with Project.create(tmp, name="Demo: Arabic news seeds") as project:
            import_paths(project, sorted(seeds.glob("*.txt")), fmt="txt")
            examples = sorted(seeds.glob("*.example.jsonl"))
            if examples:
                import_paths(project, examples, fmt="native")
            project.checkpoint()  # the renamed file must not need its -wal
        os.replace(tmp, path)
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)
    return path
