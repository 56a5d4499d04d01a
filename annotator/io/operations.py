"""Import and export between files and a project: what the CLI and the window call."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from annotator.errors import Cancelled, InputError
from annotator.io.base import (
    AnnotatedDocument,
    CancelCheck,
    Progress,
    ReadOptions,
    atomic_write,
    check_size,
    iter_input_files,
)
from annotator.io.registry import get_format
from annotator.model.document import DocumentRecord, Span
from annotator.store.project import ImportReport, Project


def import_paths(
    project: Project,
    paths: Iterable[str | Path],
    *,
    fmt: str = "txt",
    encoding: str = "utf-8",
    annotator: str | None = None,
    title: str | None = None,
    progress: Progress | None = None,
    merge_annotations: bool = False,
) -> ImportReport:
    """Import files or folders in format ``fmt``: the whole batch in one transaction or nothing."""
    format_ = get_format(fmt)
    if format_.read is None:
        raise InputError(f"the {fmt} format cannot be imported")
    files = iter_input_files([Path(p) for p in paths], (format_.suffix,))
    if title is not None and len(files) != 1:
        raise InputError("--title needs exactly one input file")
    options = ReadOptions(encoding=encoding, annotator=annotator or project.annotator)

    def records() -> Iterator[DocumentRecord]:
        for path in files:
            for record in format_.read(path, options):  # type: ignore[misc]
                check_size(record, path)
                if title is not None:
                    record = DocumentRecord(
                        text=record.text,
                        id=record.id,
                        title=title,
                        meta=record.meta,
                        spans=record.spans,
                        relations=record.relations,
                        source=record.source,
                        line=record.line,
                    )
                yield record

    return project.import_documents(
        records(), progress=progress, merge_annotations=merge_annotations
    )


@dataclass(frozen=True)
class Selection:
    """Which annotations to export: annotators (None = all), labels (empty = all), documents."""

    annotators: tuple[str, ...] | None = None
    labels: frozenset[str] = frozenset()
    doc_ids: tuple[str, ...] | None = None

    def keep(self, span: Span) -> bool:
        """Return True when ``span`` is selected by label."""
        return not self.labels or span.label in self.labels


# Documents whose annotations are fetched together: two queries per chunk instead of two per
# document, while memory holds only one chunk however large the project is.
EXPORT_CHUNK = 200


def annotated_documents(project: Project, selection: Selection) -> Iterator[AnnotatedDocument]:
    """Yield documents with their selected spans and the relations between selected spans."""
    documents = project.documents(selection.doc_ids)
    while chunk := list(islice(documents, EXPORT_CHUNK)):
        found = project.annotations_by_document([d.id for d in chunk], selection.annotators)
        for doc in chunk:
            all_spans, all_relations = found[doc.id]
            spans = [s for s in all_spans if selection.keep(s)]
            ids = {s.id for s in spans}
            relations = [r for r in all_relations if r.head in ids and r.tail in ids]
            yield AnnotatedDocument(doc, spans, relations)


def export(
    project: Project,
    out: str | Path,
    *,
    fmt: str = "native",
    selection: Selection | None = None,
    options: dict[str, Any] | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> int:
    """Write the selected documents to ``out`` atomically; return how many were written."""
    format_ = get_format(fmt)
    if format_.write is None:
        raise InputError(f"the {fmt} format cannot be exported")
    selection = selection or Selection()
    count = 0

    def items() -> Iterator[AnnotatedDocument]:
        nonlocal count
        for item in annotated_documents(project, selection):
            if cancelled is not None and cancelled():
                raise Cancelled("export cancelled; nothing was written")
            yield item
            count += 1
            if progress is not None:
                progress(1)

    with atomic_write(Path(out)) as fh:
        format_.write(items(), fh, dict(options or {}))
    return count
