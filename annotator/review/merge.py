"""Bringing annotators' work together into one project. No Qt.

Documents match by content hash. An incoming document whose id is already used in the project by
a different text is refused, and then nothing at all is merged (one transaction). Spans and
relations whose ids are already there are skipped, so merging the same work twice adds nothing;
those whose id is stored with other content are counted in the report and never applied.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from annotator.errors import Cancelled, InputError, ProjectError
from annotator.model.document import DocumentRecord
from annotator.model.text import content_hash
from annotator.store.importing import CancelCheck, ImportReport, Progress, imported_id
from annotator.store.project import DatabaseError, Project
from annotator.store.reading import check_spans_fit
from annotator.store.reviews import review_statuses, set_review_status


@dataclass
class MergeReport:
    """What a merge did: new documents, documents that got new work, annotations added."""

    added_documents: list[str] = field(default_factory=list)
    matched_documents: list[str] = field(default_factory=list)
    spans: int = 0
    relations: int = 0
    reopened: list[str] = field(default_factory=list)  # reviewed documents with new work
    # What the sources hold already (unchanged) or hold otherwise (not applied): see
    # annotator.store.corrections. A merge adds work and never changes any.
    imported: ImportReport = field(default_factory=ImportReport)

    def lines(self) -> list[str]:
        """Return the counts of work already there, and of changed work not applied."""
        return self.imported.lines(hint="a merge only adds work; nothing stored was changed")


def project_records(path: str | Path) -> Iterator[DocumentRecord]:
    """Yield every document of another project file (opened read-only) with its annotations.

    The file is read in one snapshot: work its owner saves meanwhile is merged whole or not at
    all. A stored span outside its text is refused (ProjectError naming the file), and so is any
    failure reading it: among fifty files merged, the message names the one that failed.
    """
    try:
        with Project.open(path, read_only=True) as other, other.snapshot():
            for doc in other.documents():
                spans = other.spans(doc.id)
                check_spans_fit(other.path, doc.id, len(doc.text), spans)
                yield DocumentRecord(
                    text=doc.text,
                    id=doc.id,
                    title=doc.title,
                    meta=doc.meta,
                    spans=tuple(spans),
                    relations=tuple(other.relations(doc.id)),
                    source=str(path),
                )
    except DatabaseError as exc:  # a damaged page met halfway through, say
        raise ProjectError(f"cannot read this project file: {exc}", path=path) from exc
    except ProjectError as exc:
        # This file is read inside the write transaction of the project merged into, which
        # takes a storage failure met there for its own: a plain ProjectError keeps the name.
        if type(exc) is ProjectError:
            raise
        raise ProjectError(exc.message, path=exc.path or path) from exc


def rename_layer(records: Iterable[DocumentRecord], annotator: str) -> Iterator[DocumentRecord]:
    """Yield the records with every annotation credited to ``annotator``.

    Ids are rewritten by the import id scheme (:func:`annotator.store.importing.imported_id`)
    with the old id as the key: model output often numbers its spans s1, s2, ..., and two layers
    must not collide, while merging the same file twice under the same name still adds nothing.
    """
    for record in records:

        def new(old: str, kind: str) -> str:
            return imported_id(kind, annotator, old, 0)

        spans = tuple(replace(s, id=new(s.id, "s"), annotator=annotator) for s in record.spans)
        relations = tuple(
            replace(
                r,
                id=new(r.id, "r"),
                head=new(r.head, "s"),
                tail=new(r.tail, "s"),
                annotator=annotator,
            )
            for r in record.relations
        )
        yield replace(record, spans=spans, relations=relations)


def merge_records(
    project: Project,
    records: Iterable[DocumentRecord],
    *,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> MergeReport:
    """Merge documents and their annotations into ``project``: all of them or nothing.

    ``cancelled`` is asked before every record and before the commit; when it returns True,
    Cancelled is raised and nothing is merged.
    """
    counts_before = project.annotation_counts()
    statuses = review_statuses(project)
    with project.write():
        imported = project.import_documents(
            _checked(project, records, cancelled), progress=progress, merge_annotations=True
        )
        report = MergeReport(
            added_documents=list(imported.added),
            matched_documents=list(dict.fromkeys(d for _, d in imported.duplicates)),
            spans=imported.spans,
            relations=imported.relations,
            imported=imported,
        )
        after = project.annotation_counts()
        for doc_id in report.matched_documents:
            grew = after.get(doc_id, 0) > counts_before.get(doc_id, 0)
            if grew and statuses.get(doc_id) == "reviewed":
                set_review_status(project, doc_id, "in_review")
                report.reopened.append(doc_id)
        _stop_if(cancelled)
    return report


def _stop_if(cancelled: CancelCheck | None) -> None:
    """Raise Cancelled when the user asked to stop; the merge's transaction then rolls back."""
    if cancelled is not None and cancelled():
        raise Cancelled("merge cancelled; nothing was merged")


def _checked(
    project: Project, records: Iterable[DocumentRecord], cancelled: CancelCheck | None
) -> Iterator[DocumentRecord]:
    """Pass records on, refusing one whose id names a different text in the project."""
    for record in records:
        _stop_if(cancelled)
        if record.id is not None:
            stored = project.content_hash_of(record.id)
            if stored is not None and stored != content_hash(record.text):
                raise InputError(
                    f"document {record.id!r} has a different text here than in the project;"
                    " nothing was merged",
                    path=record.source or None,
                    line=record.line,
                )
        yield record
