"""Shared fixtures: tmp projects, the seed article, the awkward samples in ../shared/samples."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from seed_files import SAMPLES, SEED_EXAMPLE, SEED_ID, SEED_TXT

from annotator.store import Project

if TYPE_CHECKING:
    from pg_cluster import PgCluster

__all__ = ["SAMPLES", "SEED_EXAMPLE", "SEED_ID", "SEED_TXT"]  # imported by test modules


@pytest.fixture
def seed_text() -> str:
    """The seed article exactly as stored (LF, no final newline, one U+00A0)."""
    return SEED_TXT.read_text(encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    """An empty project with the default schema, annotator "tester"."""
    with Project.create(tmp_path / "p.sqlite", annotator="tester") as opened:
        yield opened


@pytest.fixture
def seeded(tmp_path: Path) -> Iterator[Project]:
    """A project holding the seed article and its example annotation (annotator "example")."""
    from annotator.io.operations import import_paths

    with Project.create(tmp_path / "seeded.sqlite", annotator="tester") as opened:
        import_paths(opened, [SEED_TXT], fmt="txt")
        import_paths(opened, [SEED_EXAMPLE], fmt="native", merge_annotations=True)
        yield opened


@pytest.fixture(scope="session")
def filled_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed project file holding the seed article and its 88 example spans."""
    from annotator.io.operations import import_paths

    path = tmp_path_factory.mktemp("template") / "filled.sqlite"
    with Project.create(path, annotator="tester") as project:
        import_paths(project, [SEED_TXT], fmt="txt")
        import_paths(project, [SEED_EXAMPLE], fmt="native", merge_annotations=True)
    return path


@pytest.fixture
def filled(filled_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the filled project in this test's folder (robustness tests break it)."""
    path = tmp_path / "project.sqlite"
    shutil.copyfile(filled_template, path)
    return path


@pytest.fixture(autouse=True)
def private_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[None]:
    """Window tests: keep the user's settings out of reach; leave the application left to right."""
    if "gui" not in request.node.path.parts:
        yield
        return
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication
    from window_helpers import use_private_settings

    use_private_settings(tmp_path / "settings")
    yield
    QApplication.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """A throwaway PostgreSQL server on 127.0.0.1 for the run, stopped and deleted at its end."""
    from pg_cluster import PostgresNotInstalled, start_cluster

    try:
        cluster = start_cluster()
    except PostgresNotInstalled as missing:
        # A PostgreSQL test proves a claim: it fails, never skips, on a machine without a server.
        pytest.fail(str(missing), pytrace=False)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: PgCluster) -> Iterator[str]:
    """A fresh empty database t_<n> as its superuser's URL; dropped after, with the test's roles."""
    from pg_cluster import fresh_database

    with fresh_database(pg_cluster) as url:
        yield url
