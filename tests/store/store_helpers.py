"""Helpers of the store's tests that read a project the same way on both backends."""

from __future__ import annotations

from annotator.store import Project


def table_rows(project: Project) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table of the project, sorted, for before/after comparisons."""
    found: dict[str, list[tuple[object, ...]]] = {}
    for table in project.db.table_names():
        rows = project.db.execute(f'SELECT * FROM "{table}"').fetchall()
        found[table] = sorted((tuple(row) for row in rows), key=repr)
    return found
