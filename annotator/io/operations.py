"""Import and export between files and a project: what the CLI and the window call."""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from typing import Any

from annotator.errors import Cancelled, InputError
from annotator.io.alignment import ExportReport
from annotator.io.base import (
    AnnotatedDocument,
    CancelCheck,
    Progress,
    ReadOptions,
    ReadReport,
    atomic_write,
    check_size,
)
from annotator.io.files import files_in, input_file
from annotator.io.labels import NEW_LABELS, ON_CHANGE, LabelNames, check_label_map
from annotator.io.registry import Format, get_format
from annotator.io.split import Split, part_path
from annotator.io.targets import check_output, check_sources, project_files
from annotator.model.document import GOLD_ANNOTATOR, Document, DocumentRecord, Span
from annotator.store.importing import ImportReport
from annotator.store.project import Project
from annotator.store.reading import check_spans_fit


def input_files(paths: Iterable[str | Path], fmt: str) -> list[Path]:
    """Return the files to import: ``paths``, with each folder replaced by its files.

    A folder is searched recursively for files with the suffixes the format ``fmt`` reads (its
    row in the table of formats), sorted by name. A missing file, a folder without such files,
    or anything but a regular file (a pipe, a device, a looping link: see
    :mod:`annotator.io.files`) raises InputError before anything is read. The CLI and the
    window both walk folders through here.
    """
    suffixes = get_format(fmt).suffixes
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = files_in(path, suffixes)
            if not found:
                raise InputError(f"no {' or '.join(suffixes)} files in this folder", path=path)
            files.extend(found)
        else:
            files.append(input_file(path))
    return files


def source_names(files: list[Path]) -> dict[Path, str]:
    """Return how each imported file is named in its documents' ``meta["source"]``.

    The name is the file's path below the deepest folder holding every file of the import,
    with ``/`` between folders: importing ``articles/`` that holds ``a/x.txt`` and
    ``b/x.txt`` names them ``a/x.txt`` and ``b/x.txt``; a single file keeps its own name.
    The name tells the files of one import apart and, unlike an absolute path, reveals no
    folder of the importer's computer in a project that is shared.
    """
    absolute = {path: Path(os.path.abspath(path)) for path in files}
    try:
        root = os.path.commonpath([p.parent for p in absolute.values()]) if files else ""
    except ValueError:  # files on different drives (Windows): nothing is in common
        return {path: absolute[path].as_posix() for path in files}
    return {path: absolute[path].relative_to(root).as_posix() for path in files}


def count_records(files: Iterable[Path], fmt: str) -> int:
    """Return how many records ``files`` hold in format ``fmt``, for a progress bar.

    0 when the format cannot tell without reading its files (Label Studio, CoNLL).
    """
    count = get_format(fmt).count
    return 0 if count is None else sum(count(path) for path in files)


def import_paths(
    project: Project,
    paths: Iterable[str | Path],
    *,
    fmt: str = "txt",
    encoding: str = "utf-8",
    annotator: str | None = None,
    title: str | None = None,
    progress: Progress | None = None,
    merge_annotations: bool | None = None,
    cancelled: CancelCheck | None = None,
    on_change: str = "update",
    remove_missing: bool = False,
    label_map: Mapping[str, str] | None = None,
    new_labels: str = "refuse",
    annotator_map: Mapping[str, str] | None = None,
    read_report: ReadReport | None = None,
    offsets: str | None = None,
) -> ImportReport:
    """Import files or folders in format ``fmt``: the whole batch in one transaction or nothing.

    The annotations of a text already in the project are added to it when the format carries
    annotations (every format but txt), unless ``merge_annotations`` says otherwise: a file
    taken back from another program, or corrected, updates the layers it brings. What it
    changed is applied to its own layer (``on_change="update"``), refuses the import naming it
    (``"refuse"``), or is only reported (``"keep"``); with ``remove_missing`` what those layers
    hold and the file does not is removed (see :func:`annotator.store.corrections.sort_annotations`).
    ``label_map`` renames the files' labels to the project's; a label the schema lacks refuses
    the import, naming file and line, unless ``new_labels="add"`` adds it to the schema.
    ``annotator_map`` renames the files' layers (Label Studio's ``labelstudio:1`` to ``mona``).
    ``cancelled`` is asked before every record; when it returns True, Cancelled is raised and
    nothing is imported. A document's ``meta["source"]`` names its file by
    :func:`source_names`. ``read_report`` receives the layers read (spans and relations per
    annotator) and what the readers skipped or read in a way to report. ``offsets`` is the
    unit the files' offsets count, for a format that can be told (doccano: ``"graphemes"``).
    """
    format_ = get_format(fmt)
    read = format_.read
    if read is None:
        raise InputError(f"the {fmt} format cannot be imported")
    files = input_files(paths, fmt)
    check_sources(files, project.path)
    if title is not None and len(files) != 1:
        raise InputError("--title needs exactly one input file")
    if on_change not in ON_CHANGE:
        raise InputError(f"on_change must be one of {', '.join(ON_CHANGE)}, not {on_change!r}")
    if new_labels not in NEW_LABELS:
        raise InputError(f"new_labels must be one of {', '.join(NEW_LABELS)}, not {new_labels!r}")
    labels = LabelNames(
        project,
        check_label_map(label_map or {}),
        add=new_labels == "add",
        annotator_map=check_label_map(annotator_map or {}),
    )
    options = ReadOptions(
        encoding=encoding,
        annotator=annotator or project.annotator,
        labels=frozenset() if labels.add else frozenset(project.schema.label_ids),
        label_map=labels.label_map,
        schema=project.schema,
        report=read_report if read_report is not None else ReadReport(),
        offsets=format_.offset_unit(offsets),
    )
    names = source_names(files)

    def records() -> Iterator[DocumentRecord]:
        for path in files:
            for record in read(path, options):
                check_size(record, path)
                record = labels.apply(record)
                options.report.count(record)
                if record.meta.get("source") == path.name != names[path]:
                    # The reader named the file (txt, CoNLL); the name alone may be shared by
                    # files of different folders.
                    record = replace(record, meta={**record.meta, "source": names[path]})
                yield record if title is None else replace(record, title=title)

    if merge_annotations is None:
        merge_annotations = format_.annotations
    try:
        report = project.import_documents(
            records(),
            progress=progress,
            merge_annotations=merge_annotations,
            cancelled=cancelled,
            update=on_change == "update",
            refuse_changes=on_change == "refuse",
            remove_missing=remove_missing,
            carried_labels=_carried_labels(project, format_),
        )
    except BaseException:
        labels.undo()  # the labels added went with the rolled-back import
        raise
    report.new_labels = labels.added
    return report


@dataclass(frozen=True)
class Selection:
    """Which annotations to export: annotators (None = all), labels (empty = all), documents."""

    annotators: tuple[str, ...] | None = None
    labels: frozenset[str] = frozenset()
    doc_ids: tuple[str, ...] | None = None
    gold: bool = False  # the adjudicated layer: spans and relations of GOLD_ANNOTATOR

    def __post_init__(self) -> None:
        if self.gold and self.annotators:
            raise InputError("choose either the gold layer or annotators, not both")

    @property
    def annotator_names(self) -> tuple[str, ...] | None:
        """Return the annotators whose work is exported (None = everyone's)."""
        return (GOLD_ANNOTATOR,) if self.gold else self.annotators

    def keep(self, span: Span) -> bool:
        """Return True when ``span`` is selected by label."""
        return self.keep_label(span.label)

    def keep_label(self, label: str) -> bool:
        """Return True when spans labeled ``label`` are selected."""
        return not self.labels or label in self.labels


# Documents whose annotations are fetched together: two queries per chunk instead of two per
# document, while memory holds only one chunk however large the project is.
EXPORT_CHUNK = 200


def annotated_documents(
    project: Project,
    selection: Selection,
    keep_doc: Callable[[str], bool] | None = None,
    *,
    relations: bool = True,
    labels: Collection[str] | None = None,
    starts: bool = False,
) -> Iterator[AnnotatedDocument]:
    """Yield documents with their selected spans and the relations between selected spans.

    Writers that do not use relations pass ``relations=False``; ``labels`` narrows the spans
    read to those labels (BIO writers tag nothing else); ``starts`` adds where every span of
    each document starts (token writers split proclitics there, whatever is selected).
    """
    documents: Iterator[Document] = project.documents(selection.doc_ids)
    if keep_doc is not None:
        documents = (d for d in documents if keep_doc(d.id))
    names = selection.annotator_names
    while chunk := list(islice(documents, EXPORT_CHUNK)):
        ids = [d.id for d in chunk]
        found = project.annotations_by_document(ids, names, relations=relations, labels=labels)
        all_starts = project.span_starts_by_document(ids) if starts else {}
        for doc in chunk:
            spans, doc_relations = found[doc.id]
            # A span outside its text is a damaged file: refused, never written out.
            check_spans_fit(project.path, doc.id, len(doc.text), spans)
            if selection.labels:
                spans = [s for s in spans if selection.keep(s)]
            if doc_relations:
                kept = {s.id for s in spans}
                doc_relations = [r for r in doc_relations if r.head in kept and r.tail in kept]
            yield AnnotatedDocument(doc, spans, doc_relations, all_starts.get(doc.id))


def export(
    project: Project,
    out: str | Path,
    *,
    fmt: str = "native",
    selection: Selection | None = None,
    options: dict[str, Any] | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
    report: ExportReport | None = None,
    split: Split | None = None,
) -> int:
    """Write the selected documents to ``out`` atomically; return how many were written.

    With ``split``, one file per part (``out`` with ``.train``/``.dev``/``.test`` before the
    suffix), all renamed into place only when every part is complete. ``report`` receives the
    counts and the spans that did not fit the format. ``cancelled`` is asked before every
    document and before the files are renamed into place; when it returns True, Cancelled is
    raised and no file is written.
    """
    format_ = get_format(fmt)
    if format_.write is None:
        raise InputError(f"the {fmt} format cannot be exported")
    selection = selection or Selection()
    report = report if report is not None else ExportReport()
    opts = _writer_options(project, selection, options, report, Path(out))
    opts["offsets"] = format_.offset_unit(opts.get("offsets"))  # doccano: "graphemes"
    reading = _what_to_read(format_, opts)
    count = 0

    def stop_if_cancelled() -> None:
        if cancelled is not None and cancelled():
            raise Cancelled("export cancelled; nothing was written")

    def items(keep_doc: Callable[[str], bool] | None) -> Iterator[AnnotatedDocument]:
        nonlocal count
        for item in annotated_documents(project, selection, keep_doc, **reading):
            stop_if_cancelled()
            yield item
            count += 1
            if progress is not None:
                progress(1)

    parts = [(Path(out), None)] if split is None else _part_filters(Path(out), split)
    protected = project_files(project.path)
    for path, _keep in parts:
        check_output(path, protected)
    # One read transaction for the whole run: an edit another program commits meanwhile is
    # in every exported file or in none, never in some documents only.
    with project.snapshot(), ExitStack() as stack:
        _check_one_layer(project, format_, selection)
        if split is not None:  # a part left empty is refused before any file is opened
            split.check(project.document_ids() if selection.doc_ids is None else selection.doc_ids)
        # Every part, and every side file a writer adds (the hf label list), stays a temporary
        # file until all are written: all appear or none.
        opts["open_side_file"] = lambda path: stack.enter_context(
            atomic_write(check_output(path, protected))
        )
        for n, (path, keep_doc) in enumerate(parts):
            before = count
            fh = stack.enter_context(atomic_write(path))
            format_.write(items(keep_doc), fh, opts)
            report.files.append(path)
            if split is not None:
                report.parts.append((split.names[n], count - before, path))
        stop_if_cancelled()  # a Cancel after the last document still leaves no file
    return count


def _check_one_layer(project: Project, format_: Format, selection: Selection) -> None:
    """Refuse to merge several annotators' work silently into a format without annotators."""
    if format_.layers or selection.annotator_names is not None:
        return
    names = project.annotators()
    if len(names) > 1:
        raise InputError(
            f"the project holds annotations by {', '.join(names)} and the {format_.name} format"
            " has no annotator field: choose one with --annotator NAME, or --gold"
        )


def _carried_labels(project: Project, format_: Format) -> frozenset[str] | None:
    """Return the labels a file of ``format_`` can hold, None for all (and links)."""
    if not format_.bio:
        return None
    return frozenset(label.id for label in project.schema.labels if label.kind == "entity")


def _what_to_read(format_: Format, opts: dict[str, Any]) -> dict[str, Any]:
    """Return what the writer uses beyond the documents: relations, and which span labels."""
    labels = opts.get("bio_labels") if format_.bio else None
    return {"relations": format_.relations, "labels": labels, "starts": format_.tokens}


def _part_filters(out: Path, split: Split) -> list[tuple[Path, Callable[[str], bool]]]:
    def keep(name: str) -> Callable[[str], bool]:
        return lambda doc_id: split.part_of(doc_id) == name

    return [(part_path(out, name), keep(name)) for name in split.names]


def _writer_options(
    project: Project,
    selection: Selection,
    options: dict[str, Any] | None,
    report: ExportReport,
    out: Path,
) -> dict[str, Any]:
    """Return what writers need beyond the documents: report, path, schema, BIO labels."""
    opts = dict(options or {})
    opts["report"] = report
    opts.setdefault("path", out)
    labels = project.schema.labels
    opts.setdefault("schema", project.schema)
    # BIO formats tag entities; a quote, cue or claim label counts only when asked for by name.
    opts.setdefault(
        "bio_labels",
        [
            label.id
            for label in labels
            if (label.kind == "entity" and selection.keep_label(label.id))
            or label.id in selection.labels
        ],
    )
    return opts
