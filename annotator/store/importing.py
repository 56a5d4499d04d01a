"""Importing documents with their annotations: the whole batch in one transaction, or nothing.

:meth:`annotator.store.Project.import_documents` is the public entry; it delegates here. A text
already in the project (same content hash) is reported and not added twice; with
``merge_annotations`` its new spans and relations are added to the document already there.

Every document is checked here against the limits of :mod:`annotator.model.limits` (length,
annotations per document, nesting of its meta), so import, merge, the Python API and the window
refuse the same documents.

Ids of imported annotations follow one scheme, :func:`imported_id`, which every reader and the
merge use, so importing or merging the same work twice adds nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

from annotator.errors import Cancelled, InputError, OwnershipError, ValidationError
from annotator.model.document import (
    DocumentRecord,
    Relation,
    Span,
    check_offsets,
    guess_title,
)
from annotator.model.limits import (
    check_annotation_counts,
    check_document_length,
    check_json_depth,
)
from annotator.model.offsets import check_aligned
from annotator.model.schema import Schema
from annotator.model.text import content_hash
from annotator.store import search_index
from annotator.store.annotations import _dumps, now
from annotator.store.corrections import (
    Difference,
    apply_relation_changes,
    apply_span_changes,
    differences,
    sort_annotations,
)
from annotator.store.pg import planner

if TYPE_CHECKING:
    from annotator.store.project import Project

Progress = Callable[[int], None]
CancelCheck = Callable[[], bool]


@dataclass
class ImportReport:
    """What an import did: documents added, texts that were there already, annotations.

    ``spans`` and ``relations`` count the annotations added. For a text already in the
    project, ``unchanged`` counts the annotations the file brings that are stored exactly so,
    ``differing`` lists those whose id is stored with other content and that were not applied,
    and ``updated`` counts those applied with ``update`` (see :mod:`annotator.store.corrections`).
    ``renamed`` lists new documents whose id was taken, as (source, wanted id, id given).
    ``missing`` lists what the layers a file brings hold in the project and the file does not
    (kept, or with ``remove_missing`` deleted and counted in ``removed``).
    """

    added: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (source, existing doc id)
    spans: int = 0
    relations: int = 0
    unchanged: int = 0
    differing: list[Difference] = field(default_factory=list)
    updated: int = 0
    renamed: list[tuple[str, str, str]] = field(default_factory=list)
    missing: list[Difference] = field(default_factory=list)
    removed: int = 0
    new_labels: list[str] = field(default_factory=list)  # labels added to the schema
    read_lines: list[str] = field(default_factory=list)  # what the file readers reported

    def lines(self, hint: str = "import again with --on-change update to apply them") -> list[str]:
        """Return what a user must hear beyond the counts of what was added, one line each.

        ``hint`` says how to apply the changed annotations that were not asked to be.
        """
        lines = []
        if self.new_labels:
            lines.append(
                f"added {len(self.new_labels)} label(s) to the project's schema:"
                f" {', '.join(self.new_labels)}"
            )
        if self.unchanged:
            lines.append(f"{self.unchanged} annotation(s) were already in the project unchanged")
        if self.updated:
            lines.append(f"updated {self.updated} annotation(s) that the files changed")
        for reason in dict.fromkeys(d.reason for d in self.differing):
            these = [d for d in self.differing if d.reason == reason]
            why = f" ({reason or hint})"
            lines.append(
                f"{len(these)} annotation(s) differ from what the project holds and were NOT"
                f" applied{why}: {_examples([f'{d.doc_id} {d.kind} {d.id}' for d in these])}"
            )
        kept = len(self.missing) - self.removed
        if kept > 0:
            lines.append(
                f"{kept} annotation(s) of the layers the files bring are in the project but not in"
                " the files, and were kept (import with --remove-missing to remove them):"
                f" {_examples([f'{d.doc_id} {d.kind} {d.id}' for d in self.missing])}"
            )
        if self.removed:
            lines.append(f"removed {self.removed} annotation(s) that the files no longer hold")
        if self.renamed:
            renames = [f"{wanted} -> {given} ({source})" for source, wanted, given in self.renamed]
            lines.append(
                f"{len(self.renamed)} document id(s) were taken and were renamed:"
                f" {_examples(renames)}"
            )
        return lines


def _examples(items: list[str], shown: int = 3) -> str:
    more = f", and {len(items) - shown} more" if len(items) > shown else ""
    return ", ".join(items[:shown]) + more


def imported_id(kind: str, annotator: str, file_id: object | None, position: int) -> str:
    """Return the id of an imported span (``kind`` "s") or relation ("r").

    The id is ``kind`` followed by the first 12 hex digits of the SHA-1 of the annotator's name,
    a NUL character and a key. The key is the id the file gives the annotation (a doccano entity
    id, a Label Studio region id, a span id in a file merged under another name), or ``#N`` when
    the file gives none, ``N`` its position among the document's spans (or relations) in the
    file, counted from 0. The same file imported twice under the same name gives the same ids,
    so the second import adds nothing; the same file imported under two names gives two layers
    that never share an id. The ids have the shape of those the window makes (``s`` or ``r`` and
    12 hex digits); native JSONL keeps the ids it has.
    """
    key = str(file_id) if file_id is not None else f"#{position}"
    return kind + hashlib.sha1(f"{annotator}\0{key}".encode()).hexdigest()[:12]


def import_documents(
    project: Project,
    records: Iterable[DocumentRecord],
    *,
    progress: Progress | None = None,
    merge_annotations: bool = False,
    cancelled: CancelCheck | None = None,
    update: bool = False,
    refuse_changes: bool = False,
    remove_missing: bool = False,
    carried_labels: frozenset[str] | None = None,
) -> ImportReport:
    """Add documents with their annotations in one transaction: the whole batch or none.

    ``cancelled`` is asked before every record and before the commit; when it returns True,
    Cancelled is raised and nothing is imported. With ``merge_annotations``, the annotations a
    file brings for a text already in the project are sorted against it
    (:func:`annotator.store.corrections.sort_annotations`): new ones are added; with ``update``
    the changed ones are applied to their own layer; with ``refuse_changes`` a changed one
    refuses the whole import, naming it; with ``remove_missing`` what the file's layers hold in
    the project and the file does not is deleted. ``carried_labels`` says which labels the
    format can hold (a BIO file holds entities and no links): other annotations are never
    missing from it; None means every label and link.
    """
    report = ImportReport()
    merging = _Merging(update, refuse_changes, carried_labels)
    with project.write(), search_index.batch(project.db):
        position = before = _next_position(project)
        hashes: dict[str, str] = {}
        for record in records:
            stop_if(cancelled)
            try:
                position = _import_one(
                    project, record, position, hashes, report, merge_annotations, merging
                )
            except OwnershipError:
                raise  # whose the work is, not what the file holds: said as the refusal says it
            except ValidationError as exc:
                raise InputError(exc.message, path=record.source or None, line=record.line) from exc
            if progress is not None:
                progress(1)
        if refuse_changes and report.differing:
            raise InputError(
                f"{len(report.differing)} annotation(s) in the files differ from what the project"
                " holds, so nothing was imported:"
                f" {_examples([f'{d.doc_id} {d.kind} {d.id}' for d in report.differing], 10)}"
            )
        if remove_missing:
            report.removed = _remove(project, merging)
        if project.on_server and planner.grew_much(before, len(report.added)):
            planner.analyze(project.db)
        stop_if(cancelled)
    return report


@dataclass
class _Merging:
    """How annotations of a known text are merged, and what the batch has seen so far."""

    update: bool
    refuse: bool
    carried: frozenset[str] | None  # labels the format holds; None: all, and links
    missing: list[Span | Relation] = field(default_factory=list)


def _remove(project: Project, merging: _Merging) -> int:
    """Delete the missing annotations (links of removed spans with them); return how many."""
    spans = [a for a in merging.missing if isinstance(a, Span)]
    gone = {(s.doc_id, s.id) for s in spans}
    relations = [
        a
        for a in merging.missing
        if isinstance(a, Relation)
        and (merging.carried is None or {(a.doc_id, a.head), (a.doc_id, a.tail)} & gone)
    ]
    for rel in relations:
        project.db.execute(
            "DELETE FROM relations WHERE doc_id = ? AND id = ?", [rel.doc_id, rel.id]
        )
    for span in spans:
        project.db.execute("DELETE FROM spans WHERE doc_id = ? AND id = ?", [span.doc_id, span.id])
    return len(spans) + len(relations)


def stop_if(cancelled: CancelCheck | None) -> None:
    """Raise Cancelled when the user asked to stop; the open transaction then rolls back."""
    if cancelled is not None and cancelled():
        raise Cancelled("import cancelled; nothing was imported")


def _import_one(
    project: Project,
    record: DocumentRecord,
    position: int,
    hashes: dict[str, str],
    report: ImportReport,
    merge_annotations: bool,
    merging: _Merging,
) -> int:
    # Every path that adds a document (import, merge, the API, the window) comes through here.
    what = f"document {record.id!r}" if record.id else "a document"
    check_document_length(len(record.text), what, "split it into articles")
    if project.on_server:
        _check_no_nul(record, what)
    check_json_depth(record.meta, f"the meta of {what}")
    digest = content_hash(record.text)
    existing = hashes.get(digest) or project.document_for_hash(digest)
    if existing is None:
        check_annotation_counts(len(record.spans), len(record.relations), what)
        # _insert_annotations checks every span and relation of a new document; checking
        # them twice cost a quarter of a large import. A failure rolls the batch back.
        doc_id = _insert_document(project, record, digest, position)
        if record.id and doc_id != record.id:
            report.renamed.append((record.source or record.id, record.id, doc_id))
        hashes[digest] = doc_id
        report.added.append(doc_id)
        report.spans += len(record.spans)
        report.relations += len(record.relations)
        return position + 1
    _validate_record(project.schema, record)
    report.duplicates.append((record.source or record.id or "", existing))
    if merge_annotations:
        _merge_into(project, existing, record, report, merging)
    return position


def _check_no_nul(record: DocumentRecord, what: str) -> None:
    """Refuse text holding U+0000 (a text, title, id or name): PostgreSQL's text cannot store it.

    SQLite's can. Meta and attributes are stored as JSON, which writes the character escaped.
    """
    found = [
        (f"the {part} of {what}", value or "")
        for part, value in (("text", record.text), ("title", record.title), ("id", record.id))
    ]
    for kind, items in (("span", record.spans), ("relation", record.relations)):
        found += [
            (f"the {column.name} of {kind} {item.id!r} of {what}", getattr(item, column.name))
            for item in items
            for column in fields(item)
            if isinstance(getattr(item, column.name), str)
        ]
    for where, value in found:
        at = value.find("\x00")
        if at >= 0:
            raise ValidationError(
                f"{where} holds a NUL character (U+0000) at offset {at:,}, which a project on"
                " a PostgreSQL server cannot store; nothing was imported (remove the character"
                " from the file, or import it into a project file)"
            )


def _merge_into(
    project: Project, doc_id: str, record: DocumentRecord, report: ImportReport, merging: _Merging
) -> None:
    """Add a known text's new annotations; count, and with ``update`` apply, changed ones."""
    update = merging.update and not merging.refuse
    found = sort_annotations(project, doc_id, record)
    if merging.carried is not None:
        # A BIO file cannot hold a quote or a link: leaving them out is not removing them.
        found.missing_spans = [s for s in found.missing_spans if s.label in merging.carried]
        gone = {s.id for s in found.missing_spans}
        found.missing_relations = [r for r in found.missing_relations if {r.head, r.tail} & gone]
    merging.missing += [*found.missing_spans, *found.missing_relations]
    report.missing += [
        *(Difference(doc_id, "span", s.id, s.annotator) for s in found.missing_spans),
        *(Difference(doc_id, "relation", r.id, r.annotator) for r in found.missing_relations),
    ]
    check_annotation_counts(
        found.stored_spans + len(found.new_spans),
        found.stored_relations + len(found.new_relations),
        f"document {doc_id!r}",
    )
    report.unchanged += found.unchanged
    report.differing += differences(found, update=update)
    if update:
        report.updated += apply_span_changes(project, record.text, found)
    project._insert_annotations(record.text, found.new_spans, found.new_relations)
    if update:
        report.updated += apply_relation_changes(project, found)
    report.spans += len(found.new_spans)
    report.relations += len(found.new_relations)


def _validate_record(schema: Schema, record: DocumentRecord) -> None:
    # Checked even when the text is already there, so a bad file is reported, not skipped.
    labels = {}
    for span in record.spans:
        check_offsets(len(record.text), span.start, span.end)
        check_aligned(record.text, span.start, span.end)
        schema.check_span(span.label, span.attrs)
        schema.check_span_text(span.label, record.text, span.start, span.end)
        labels[span.id] = span.label
    for rel in record.relations:
        if rel.head in labels and rel.tail in labels:
            schema.check_relation(rel.type, labels[rel.head], labels[rel.tail])


def _insert_document(project: Project, record: DocumentRecord, digest: str, position: int) -> str:
    doc_id = _free_doc_id(project, record.id or f"doc{position + 1:06d}")
    stamp = now()
    title = record.title if record.title is not None else guess_title(record.text)
    project.db.execute(
        "INSERT INTO documents (id, position, title, text, meta, content_hash, status,"
        " created, updated) VALUES (?, ?, ?, ?, ?, ?, 'not_started', ?, ?)",
        [doc_id, position, title, record.text, _dumps(record.meta), digest, stamp, stamp],
    )
    search_index.add(project.db, position, record.text)
    if record.spans or record.relations:
        project._insert_annotations(
            record.text, list(record.spans), list(record.relations), doc_id=doc_id
        )
    return doc_id


def _next_position(project: Project) -> int:
    row = project.db.execute("SELECT MAX(position) FROM documents").fetchone()
    return 0 if row[0] is None else int(row[0]) + 1


def _free_doc_id(project: Project, wanted: str) -> str:
    candidate, n = wanted, 1
    while project.db.execute("SELECT 1 FROM documents WHERE id = ?", [candidate]).fetchone():
        n += 1
        candidate = f"{wanted}-{n}"
    return candidate
