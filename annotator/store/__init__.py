"""The project file: SQLite through sqlite-utils, with migrations. No Qt."""

from annotator.store.annotations import DeletedSpan
from annotator.store.project import DocumentRow, ImportReport, Project, default_annotator

__all__ = ["DeletedSpan", "DocumentRow", "ImportReport", "Project", "default_annotator"]
