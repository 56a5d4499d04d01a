"""A run proposes without holding the project, stores a chunk at a time, and stops cleanly.

Five short articles; a first run of the same recommender left one GPE suggestion in each
(the "old" ones). A second run proposes a PER in each; what it is stopped by decides which
documents have which.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import pytest

from annotator.errors import Cancelled, RecommenderError
from annotator.model.document import Document, Span
from annotator.model.suggestions import Proposal, Proposals
from annotator.store import Project
from annotator.suggest import run
from annotator.suggest.run import run_recommender

TEXT = "قال سيرجي لافروف إن واشنطن لم ترد."
PER = (TEXT.index("سيرجي لافروف"), TEXT.index("سيرجي لافروف") + len("سيرجي لافروف"), "PER")
GPE = (TEXT.index("واشنطن"), TEXT.index("واشنطن") + len("واشنطن"), "GPE")


class Model:
    """A user's model: proposes ``place`` in each document, calling ``before`` first."""

    name = "mine"

    def __init__(
        self, place: tuple[int, int, str], before: Callable[[int], None] = lambda n: None
    ) -> None:
        self.place, self.before, self.seen = place, before, 0

    def prepare(self, project: Project, source: str, *, progress=None, cancelled=None) -> None:  # type: ignore[no-untyped-def]
        pass

    def propose(self, document: Document, known: Sequence[Span]) -> Proposals:
        self.seen += 1
        self.before(self.seen)
        return Proposals([Proposal(*self.place)])


@pytest.fixture
def five(project: Project, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Five documents with an old GPE suggestion each; chunks of two documents."""
    ids = [project.add_document(f"{TEXT} ({n})", title=str(n)).id for n in range(5)]
    run_recommender(project, Model(GPE), source="gold")
    monkeypatch.setattr(run, "CHUNK_DOCUMENTS", 2)
    yield ids


def labels(project: Project, ids: list[str]) -> list[str]:
    """Each document's suggestion labels, in project order."""
    return ["".join(s.label for s in project.suggestions(d).spans) for d in ids]


def test_a_window_writes_while_a_run_proposes(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = [project.add_document(f"{TEXT} ({n})", title=str(n)).id for n in range(3)]
    monkeypatch.setenv("ANNOTATOR_BUSY_TIMEOUT_MS", "0")  # the window would fail at once
    with Project.open(project.path, annotator="tester") as window:

        def edit_in_the_window(n: int) -> None:
            if n == 2:
                window.add_span(ids[0], *GPE)

        report = run_recommender(project, Model(PER, edit_in_the_window), source="gold")
    assert report.stored.documents == 3
    assert [s.label for s in project.spans(ids[0], ["tester"])] == ["GPE"]
    assert labels(project, ids) == ["PER", "PER", "PER"]


def test_a_cancel_keeps_what_was_stored_and_the_others_old_suggestions(
    project: Project, five: list[str]
) -> None:
    model = Model(PER)
    report = run_recommender(project, model, source="gold", cancelled=lambda: model.seen == 3)
    assert report.cancelled and report.stored.documents == 3
    assert report.lines()[0] == (
        "suggest:mine: cancelled after 3 of 5 documents: their suggestions were replaced,"
        " the others kept"
    )
    assert labels(project, five) == ["PER", "PER", "PER", "GPE", "GPE"]


def test_ctrl_c_keeps_the_chunks_stored(project: Project, five: list[str]) -> None:
    def interrupt(n: int) -> None:
        if n == 4:
            raise KeyboardInterrupt

    report = run_recommender(project, Model(PER, interrupt), source="gold")
    assert report.cancelled and report.stored.documents == 2  # the third was not stored yet
    assert "cancelled after 2 of 5 documents" in report.lines()[0]
    assert labels(project, five) == ["PER", "PER", "GPE", "GPE", "GPE"]


def test_ctrl_c_before_a_chunk_was_stored_changes_nothing(
    project: Project, five: list[str]
) -> None:
    def interrupt(n: int) -> None:
        if n == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_recommender(project, Model(PER, interrupt), source="gold")
    assert labels(project, five) == ["GPE"] * 5


def test_a_cancel_before_any_document_changes_nothing(project: Project, five: list[str]) -> None:
    with pytest.raises(Cancelled, match="no suggestions were stored"):
        run_recommender(project, Model(PER), source="gold", cancelled=lambda: True)
    assert labels(project, five) == ["GPE"] * 5


def test_a_failing_model_is_named_with_the_document(project: Project, five: list[str]) -> None:
    def bug(n: int) -> None:
        if n == 4:
            raise ZeroDivisionError("division by zero")

    with pytest.raises(RecommenderError) as failed:
        run_recommender(project, Model(PER, bug), source="gold")
    assert str(failed.value) == (
        f"{project.path}: the mine recommender failed on document {five[3]!r}:"
        " ZeroDivisionError: division by zero; the suggestions of the first 2 of 5 documents"
        " were stored, the others kept"
    )
    assert labels(project, five) == ["PER", "PER", "GPE", "GPE", "GPE"]


def test_a_model_failing_to_learn_is_named(project: Project) -> None:
    class Broken(Model):
        def prepare(self, project: Project, source: str, *, progress=None, cancelled=None) -> None:  # type: ignore[no-untyped-def]
            raise KeyError("weights")

    with pytest.raises(RecommenderError) as failed:
        run_recommender(project, Broken(PER), source="gold")
    assert str(failed.value) == (
        f"{project.path}: the mine recommender failed while learning from 'gold':"
        " KeyError: 'weights'; no suggestions were stored"
    )


def test_a_document_named_twice_is_proposed_for_once(project: Project, five: list[str]) -> None:
    model = Model(PER)
    report = run_recommender(project, model, source="gold", doc_ids=[five[1], five[1]])
    assert (model.seen, report.stored.documents, report.stored.removed) == (1, 1, 1)


def test_a_chunk_also_ends_after_its_seconds(
    project: Project, five: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run, "CHUNK_DOCUMENTS", 50)
    monkeypatch.setattr(run, "CHUNK_SECONDS", 0.0)  # every document is a chunk of its own

    def interrupt(n: int) -> None:
        if n == 4:
            raise KeyboardInterrupt

    report = run_recommender(project, Model(PER, interrupt), source="gold")
    assert report.stored.documents == 3
    assert labels(project, five) == ["PER", "PER", "PER", "GPE", "GPE"]
