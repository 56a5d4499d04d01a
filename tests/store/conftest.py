"""The store's tests run against both backends: a project file (SQLite) and a project on a real,
throwaway PostgreSQL server (tests/pg_cluster.py). A test that takes the ``project`` fixture runs
twice; a test about the file itself (journals, pages, PRAGMAs) takes ``sqlite_project``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

# `from conftest import ...` in any test module may find this file rather than tests/conftest.py
# (pytest keeps the conftest it loaded last): it offers the same shared names.
from seed_files import SAMPLES, SEED_EXAMPLE, SEED_ID, SEED_TXT

from annotator.store import Project

__all__ = ["SAMPLES", "SEED_EXAMPLE", "SEED_ID", "SEED_TXT"]


@pytest.fixture(params=["sqlite", "postgresql"])
def project(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Project]:
    """An empty project with the default schema, annotator "tester", on each backend."""
    if request.param == "sqlite":
        target: str | Path = tmp_path / "p.sqlite"
    else:
        target = request.getfixturevalue("pg_url")
    with Project.create(target, annotator="tester") as opened:
        yield opened


@pytest.fixture
def sqlite_project(tmp_path: Path) -> Iterator[Project]:
    """An empty project file (for tests of the file itself), annotator "tester"."""
    with Project.create(tmp_path / "p.sqlite", annotator="tester") as opened:
        yield opened
