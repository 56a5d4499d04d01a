"""The one interface every recommender implements, built-in or a user's own.

A recommender learns from a project (``prepare``), then proposes spans and links for one
document at a time (``propose``). It never writes: :func:`annotator.suggest.run.run_recommender`
stores what it proposes in its own layer, ``suggest:NAME``. A user's own model plugs in the
same way::

    class MyModel:
        name = "mymodel"

        def prepare(self, project, source, *, progress=None, cancelled=None):
            ...  # read the training layer (project.spans(doc_id, [source])), load weights

        def propose(self, document, known):
            return Proposals(spans=[Proposal(0, 5, "PER")])

    run_recommender(project, MyModel(), source="gold")
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from annotator.model.document import Document, Span
from annotator.model.suggestions import Proposals
from annotator.store import Project

Progress = Callable[[int, int], None]  # (done, total)
Cancelled = Callable[[], bool]


class Recommender(Protocol):
    """Proposes spans and links for documents, learned from a project's own annotations."""

    name: str  # the layer is suggest:<name>; letters, digits, "-" and "_"

    def prepare(
        self,
        project: Project,
        source: str,
        *,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> None:
        """Learn from ``project``: ``source`` is the layer to learn from (an annotator or gold).

        Raises :class:`annotator.errors.Cancelled` when ``cancelled()`` says so.
        """
        ...

    def propose(self, document: Document, known: Sequence[Span]) -> Proposals:
        """Return the proposals for ``document``.

        ``known`` holds the spans already there for the person suggestions are made for: their
        own layer's, then other recommenders' pending suggestions (annotator ``suggest:NAME``),
        so a recommender can build on entities found by another.
        """
        ...
