"""Fixtures of the robustness tests: a filled project to break things against."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annotator.io.operations import import_paths
from annotator.paths import SEEDS
from annotator.store import Project

SEED_TXT = SEEDS / "000_2024f0fe6e876b71.txt"
SEED_EXAMPLE = SEEDS / "000_2024f0fe6e876b71.example.jsonl"


@pytest.fixture(scope="session")
def filled_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed project file holding the seed article and its 97 example spans."""
    path = tmp_path_factory.mktemp("template") / "filled.sqlite"
    with Project.create(path, annotator="tester") as project:
        import_paths(project, [SEED_TXT], fmt="txt")
        import_paths(project, [SEED_EXAMPLE], fmt="native", merge_annotations=True)
    return path


@pytest.fixture
def filled(filled_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the filled project in this test's folder."""
    path = tmp_path / "project.sqlite"
    shutil.copyfile(filled_template, path)
    return path
