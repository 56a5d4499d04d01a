"""Running a recommender over documents and storing what it proposes in its own layer.

A run proposes outside any transaction and stores a chunk of documents at a time (every
``CHUNK_DOCUMENTS`` documents or ``CHUNK_SECONDS`` seconds of proposing, whichever comes
first), each chunk in a short transaction replacing those documents' earlier suggestions of
the recommender, so a window can go on writing to the project during a long run. A cancel or
Ctrl+C stops between documents: the documents done keep their new suggestions, the others their
old ones, and the report says so.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from annotator.errors import AnnotatorError, Cancelled, RecommenderError, ValidationError
from annotator.model.document import Span
from annotator.model.suggestions import Proposals, layer_name
from annotator.store import Project
from annotator.store.suggestions import StoredRun
from annotator.suggest.base import Recommender

# (phase, done, total): phase is "learning" while the recommender prepares, then "proposing"
RunProgress = Callable[[str, int, int], None]
NAME = re.compile(r"[A-Za-z0-9_-]{1,40}")
CHUNK_DOCUMENTS = 50
CHUNK_SECONDS = 1.0


@dataclass(slots=True)
class RunReport:
    """What a run proposed and stored, for the terminal and the window."""

    recommender: str
    source: str
    annotator: str
    proposed: int = 0
    stored: StoredRun = field(default_factory=StoredRun)
    seconds_learning: float = 0.0
    seconds_proposing: float = 0.0
    learned: str = ""  # what the recommender says it learned (crf: documents, tokens, model)
    learns: bool = True  # False: rules, nothing learned from the source layer
    documents: int = 0  # the documents the run was asked to propose for
    cancelled: bool = False  # stopped before the end: only stored.documents got theirs

    def lines(self) -> list[str]:
        """Return the report as lines of plain text."""
        s = self.stored
        layer = layer_name(self.recommender)
        per_label = ", ".join(f"{label} {n}" for label, n in sorted(s.labels.items()))
        out = []
        if self.cancelled:
            out.append(
                f"{layer}: cancelled after {s.documents} of {self.documents} documents: their"
                " suggestions were replaced, the others kept"
            )
        out.append(
            f"{layer}: {s.stored} suggestion(s) and {s.links} link(s) in {s.documents}"
            f" document(s) for {self.annotator}, "
            + (f"learned from {self.source}" if self.learns else "by rules")
            + (f" ({per_label})" if per_label else "")
        )
        if s.removed:
            out.append(f"replaced {s.removed} earlier suggestion(s) of {layer}")
        if s.skipped_decided:
            out.append(f"left out {s.skipped_decided} accepted or rejected before")
        if s.skipped_existing:
            out.append(f"left out {s.skipped_existing} already in {self.annotator}'s layer")
        if s.refused:
            out.append(f"refused {s.refused} invalid proposal(s):")
            out += [f"  {reason}" for reason in s.reasons]
            if s.refused > len(s.reasons):
                out.append(f"  ... and {s.refused - len(s.reasons)} more")
        if self.learned:
            out.append(self.learned)
        return out


def check_name(name: str) -> str:
    """Return a recommender's name, refused unless letters, digits, '-' and '_'."""
    if not NAME.fullmatch(name):
        raise ValidationError(
            f"recommender name {name!r} must be 1-40 letters, digits, '-' or '_'"
            " (it names the layer suggest:NAME)"
        )
    return name


def run_recommender(
    project: Project,
    recommender: Recommender,
    *,
    source: str,
    doc_ids: Sequence[str] | None = None,
    progress: RunProgress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> RunReport:
    """Prepare ``recommender`` on ``source`` and store its proposals for the project's annotator.

    The documents are ``doc_ids`` (default: all, in project order); the recommender's earlier
    suggestions in each are replaced, a chunk of documents at a time. A cancel (``cancelled``)
    or Ctrl+C after some documents were stored returns the report with ``cancelled`` set;
    before that, it raises Cancelled (or KeyboardInterrupt): nothing was changed. A recommender
    failing with anything but an AnnotatorError raises RecommenderError.
    """
    name = check_name(recommender.name)
    report = RunReport(name, source, project.annotator)
    report.learns = bool(getattr(recommender, "learns", True))
    started = time.perf_counter()
    _prepare(project, recommender, source, progress, cancelled)
    report.seconds_learning = time.perf_counter() - started
    describe = getattr(recommender, "describe", None)
    report.learned = describe() if callable(describe) else ""
    started = time.perf_counter()
    ids = list(dict.fromkeys(doc_ids)) if doc_ids is not None else project.document_ids()
    report.documents = len(ids)
    try:
        _propose_all(project, recommender, ids, report, progress, cancelled)
    except KeyboardInterrupt:
        if not report.stored.documents:
            raise
        report.cancelled = True  # Ctrl+C: the chunks stored keep their new suggestions
    report.seconds_proposing = time.perf_counter() - started
    return report


def _prepare(
    project: Project,
    recommender: Recommender,
    source: str,
    progress: RunProgress | None,
    cancelled: Callable[[], bool] | None,
) -> None:
    try:
        recommender.prepare(
            project,
            source,
            progress=None if progress is None else lambda d, t: progress("learning", d, t),
            cancelled=cancelled,
        )
    except AnnotatorError:
        raise
    except Exception as exc:  # a bug in the recommender: said, not a traceback
        raise RecommenderError(
            f"the {recommender.name} recommender failed while learning from {source!r}:"
            f" {type(exc).__name__}: {exc}; no suggestions were stored",
            path=project.path,
        ) from exc


def _propose_all(
    project: Project,
    recommender: Recommender,
    ids: list[str],
    report: RunReport,
    progress: RunProgress | None,
    cancelled: Callable[[], bool] | None,
) -> None:
    """Propose for each document outside any transaction; store every chunk in its own."""
    chunk: list[tuple[str, Proposals]] = []
    since = time.perf_counter()
    for done, doc_id in enumerate(ids):
        if cancelled is not None and cancelled():
            _store(project, report, chunk)  # what was proposed is kept, as a chunk
            if not report.stored.documents:
                raise Cancelled("cancelled: no suggestions were stored", path=project.path)
            report.cancelled = True
            return
        found = _propose(project, recommender, report, doc_id)
        report.proposed += len(found.spans)
        chunk.append((doc_id, found))
        if progress is not None:
            progress("proposing", done + 1, len(ids))
        if len(chunk) >= CHUNK_DOCUMENTS or time.perf_counter() - since >= CHUNK_SECONDS:
            _store(project, report, chunk)
            chunk, since = [], time.perf_counter()
    _store(project, report, chunk)


def _propose(
    project: Project, recommender: Recommender, report: RunReport, doc_id: str
) -> Proposals:
    """Return the recommender's proposals for one document, given what is known there."""
    document = project.document(doc_id)
    known = project.spans(doc_id, [project.annotator])
    places = {_place(s) for s in known}
    others = project.suggestions(doc_id, own=places)
    layer = layer_name(report.recommender)
    for span in others.spans:  # other recommenders' undecided suggestions (quotes' speakers)
        if span.annotator != layer and _place(span) not in others.decided | places:
            known.append(span)
            places.add(_place(span))
    try:
        found = recommender.propose(document, known)
    except AnnotatorError:
        raise
    except Exception as exc:  # a bug in the recommender: said, not a traceback
        raise _failed(project, report, doc_id, f"{type(exc).__name__}: {exc}") from exc
    if not isinstance(found, Proposals):
        raise _failed(project, report, doc_id, f"it returned {type(found).__name__}")
    return found


def _place(span: Span) -> tuple[int, int, str]:
    return (span.start, span.end, span.label)


def _store(project: Project, report: RunReport, chunk: list[tuple[str, Proposals]]) -> None:
    if chunk:
        report.stored.add(project.replace_suggestions(report.recommender, chunk))


def _failed(project: Project, report: RunReport, doc_id: str, what: str) -> RecommenderError:
    done = report.stored.documents
    kept = (
        f"the suggestions of the first {done} of {report.documents} documents were stored,"
        " the others kept"
        if done
        else "no suggestions were stored"
    )
    return RecommenderError(
        f"the {report.recommender} recommender failed on document {doc_id!r}: {what}; {kept}",
        path=project.path,
    )
