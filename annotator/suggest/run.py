"""Running a recommender over documents and storing what it proposes in its own layer."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from annotator.errors import Cancelled, ValidationError
from annotator.model.suggestions import Proposals, layer_name
from annotator.store import Project
from annotator.store.suggestions import StoredRun
from annotator.suggest.base import Recommender

# (phase, done, total): phase is "learning" while the recommender prepares, then "proposing"
RunProgress = Callable[[str, int, int], None]
NAME = re.compile(r"[A-Za-z0-9_-]{1,40}")


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

    def lines(self) -> list[str]:
        """Return the report as lines of plain text."""
        s = self.stored
        layer = layer_name(self.recommender)
        per_label = ", ".join(f"{label} {n}" for label, n in sorted(s.labels.items()))
        out = [
            f"{layer}: {s.stored} suggestion(s) and {s.links} link(s) in {s.documents}"
            f" document(s) for {self.annotator}, "
            + (f"learned from {self.source}" if self.learns else "by rules")
            + (f" ({per_label})" if per_label else ""),
        ]
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

    The documents are ``doc_ids`` (default: all, in project order). The recommender's earlier
    suggestions in those documents are replaced, in one transaction: a cancelled or failed run
    changes nothing.
    """
    name = check_name(recommender.name)
    report = RunReport(name, source, project.annotator)
    report.learns = bool(getattr(recommender, "learns", True))
    started = time.perf_counter()
    recommender.prepare(
        project,
        source,
        progress=None if progress is None else lambda d, t: progress("learning", d, t),
        cancelled=cancelled,
    )
    report.seconds_learning = time.perf_counter() - started
    describe = getattr(recommender, "describe", None)
    report.learned = describe() if callable(describe) else ""
    started = time.perf_counter()
    ids = list(doc_ids) if doc_ids is not None else project.document_ids()

    def proposals() -> Iterator[tuple[str, Proposals]]:
        for done, doc_id in enumerate(ids):
            if cancelled is not None and cancelled():
                raise Cancelled("the suggestions were not stored: cancelled")
            document = project.document(doc_id)
            known = project.spans(doc_id, [project.annotator])
            others = project.suggestions(doc_id)
            known += [
                s
                for s in others.spans
                if s.id in others.pending and s.annotator != layer_name(name)
            ]
            found = recommender.propose(document, known)
            report.proposed += len(found.spans)
            yield doc_id, found
            if progress is not None:
                progress("proposing", done + 1, len(ids))

    report.stored = project.replace_suggestions(name, proposals(), cancelled=cancelled)
    report.seconds_proposing = time.perf_counter() - started
    return report
