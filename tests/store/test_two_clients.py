"""Two clients of one project at once: two Project objects on one file or one server database.

On a server, a write racing another client's commit on the same span is refused (never a
silent overwrite; a file's write lock keeps the second writer out instead); an edit made against what a window showed is stale once another client changed it,
a snapshot reads one state while another client commits, the document list's text filter leaves
no transaction open behind it, and another client's commit is noticed within a second.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from annotator.errors import ProjectBusyError, StaleEditError
from annotator.model.document import DocumentRecord
from annotator.store import Project
from annotator.store.listing import DocumentFilter, DocumentListing
from annotator.store.reviews import record_decision, review_status, set_review_status

TEXT = "قال المتحدث باسم الكرملين إن موسكو مستعدة للحوار"
PER = (4, 11)  # المتحدث
NOTICED_WITHIN_S = 1.0  # the window's watcher polls every second


@pytest.fixture
def other(project: Project) -> Iterator[Project]:
    """A second client of the same project (file or server), as annotator "tester" too."""
    with Project.open(project.path, annotator="tester") as opened:
        yield opened


def until(deadline_s: float, moved: Callable[[], bool]) -> bool:
    """Ask ``moved`` until it says True or the deadline passes; return its last answer."""
    end = time.monotonic() + deadline_s
    while True:
        if moved():
            return True
        if time.monotonic() > end:
            return False
        time.sleep(0.005)  # between polls only: the deadline decides


@pytest.fixture
def server_pair(pg_url: str) -> Iterator[tuple[Project, Project]]:
    """Two clients of one server project holding document "d"."""
    with (
        Project.create(pg_url, annotator="tester") as mine,
        Project.open(pg_url, annotator="tester") as theirs,
    ):
        mine.add_document(TEXT, doc_id="d")
        yield mine, theirs


@pytest.mark.parametrize("checked", [True, False], ids=["expected", "unchecked"])
@pytest.mark.parametrize("their_edit", ["update", "delete"])
def test_a_write_racing_another_clients_commit_on_the_same_span_is_refused(
    server_pair: tuple[Project, Project], their_edit: str, checked: bool
) -> None:
    mine, theirs = server_pair
    span = mine.add_span("d", *PER, "PER")
    with pytest.raises(ProjectBusyError, match="the edit was not saved"), mine.write():
        seen = mine.span("d", span.id)  # this client's transaction has read the span...
        if their_edit == "update":  # ...and the other client commits its edit meanwhile
            theirs.update_span("d", span.id, end=25, expected=seen)
        else:
            theirs.delete_span("d", span.id, expected=seen)
        mine.update_span("d", span.id, label="ORG", expected=seen if checked else None)

    kept = theirs.spans("d")
    if their_edit == "update":
        assert [(s.label, s.text_in(TEXT)) for s in kept] == [("PER", "المتحدث باسم الكرملين")]
    else:
        assert kept == []
    # The refused client's connection works on: it reads what the other committed, and its
    # edit made against what it had shown is now stale.
    assert mine.spans("d") == kept
    with pytest.raises(StaleEditError, match="since it was shown"):
        mine.update_span("d", span.id, label="ORG", expected=seen)


def test_an_edit_against_what_was_shown_is_stale_once_another_client_changed_it(
    project: Project, other: Project
) -> None:
    project.add_document(TEXT, doc_id="d")
    shown = project.add_span("d", *PER, "PER")
    theirs = other.update_span("d", shown.id, end=25, expected=shown)
    with pytest.raises(StaleEditError, match=r"was changed since it was shown \(now PER \[4, 25\)"):
        project.update_span("d", shown.id, label="ORG", expected=shown)
    with pytest.raises(StaleEditError):
        project.delete_span("d", shown.id, expected=shown)
    assert project.spans("d") == [theirs]


def test_a_snapshot_reads_one_state_while_another_client_commits(
    project: Project, other: Project
) -> None:
    project.add_document(TEXT, doc_id="d")
    with project.snapshot():
        before = project.document_ids()
        other.add_document("خبر آخر", doc_id="e")
        other.add_span("d", *PER, "PER")
        assert project.document_ids() == before == ["d"]
        assert project.spans("d") == []
    assert project.document_ids() == ["d", "e"]
    assert [s.text_in(TEXT) for s in project.spans("d")] == ["المتحدث"]


def test_a_text_filter_leaves_no_transaction_open_and_sees_later_commits(
    project: Project, other: Project
) -> None:
    project.add_document(TEXT, doc_id="d", title="خبر")
    listing = DocumentListing(project, DocumentFilter(text="موسكو"))
    assert [r.id for r in listing.rows()] == ["d"]
    # Left open, the listing's transaction would keep this client on the state it read.
    assert not project.db.conn.in_transaction
    other.add_document("وصل الوفد إلى موسكو", doc_id="e")
    assert [r.id for r in DocumentListing(project, DocumentFilter(text="موسكو")).rows()] == [
        "d",
        "e",
    ]
    listing.close()


def test_a_text_filter_inside_a_snapshot_keeps_the_snapshot(
    project: Project, other: Project
) -> None:
    project.add_document(TEXT, doc_id="d", title="خبر")
    with project.snapshot():
        assert project.document_ids() == ["d"]
        other.add_document("وصل الوفد إلى موسكو", doc_id="e")
        listing = DocumentListing(project, DocumentFilter(text="موسكو"))
        assert project.db.conn.in_transaction  # its savepoint ended, the snapshot did not
        assert [r.id for r in listing.rows()] == ["d"]
    assert not project.db.conn.in_transaction


def test_a_read_only_client_filters_by_text(project: Project) -> None:
    project.import_documents(
        [DocumentRecord(text=TEXT, id="d", title="خبر"), DocumentRecord(text="نص", id="e")]
    )
    with Project.open(project.path, read_only=True) as reader:
        assert [r.id for r in DocumentListing(reader, DocumentFilter(text="موسكو")).rows()] == ["d"]
        assert [r.id for r in DocumentListing(reader, DocumentFilter(text="نص")).rows()] == ["e"]


def test_a_review_decided_again_is_replaced_not_added(project: Project) -> None:
    project.add_document(TEXT, doc_id="d")
    set_review_status(project, "d", "in_review")
    set_review_status(project, "d", "reviewed")
    record_decision(project, "d", "case-1", "accepted", gold_ids=["g1"])
    record_decision(project, "d", "case-1", "rejected")
    assert review_status(project, "d") == "reviewed"
    rows = project.db.execute("SELECT decision, gold_ids FROM review_decisions").fetchall()
    assert [tuple(r) for r in rows] == [("rejected", "[]")]


def test_another_clients_commit_moves_data_version_within_a_second(
    project: Project, other: Project
) -> None:
    mine, theirs = project.data_version(), other.data_version()
    assert mine is not None and theirs is not None
    project.add_document(TEXT, doc_id="d")
    assert until(NOTICED_WITHIN_S, lambda: other.data_version() != theirs)
    assert project.data_version() == mine  # a client's own commit is not another's
    other.add_span("d", *PER, "PER")
    assert until(NOTICED_WITHIN_S, lambda: project.data_version() != mine)
    if project.on_server:
        # The server announces each table a commit wrote (here spans, and documents for the
        # status), in commit order: after this client's own commit, which is not counted.
        assert until(NOTICED_WITHIN_S, lambda: (project.data_version() or 0) >= mine + 2)
        assert project.data_version() == mine + 2


def test_a_managers_assignment_moves_an_annotators_data_version(
    project: Project, other: Project
) -> None:
    project.add_document(TEXT, doc_id="d")
    annotators = other.data_version()
    project.assign(["mona", "karim"], per_document=1, seed=1)
    assert until(NOTICED_WITHIN_S, lambda: other.data_version() != annotators)


def test_two_annotators_starting_one_document_at_once_both_keep_their_spans(
    pg_url: str,
) -> None:
    """The first spans of a document, added by two people at the same moment, are both kept
    (its status, not started until then, is set after each commit, not inside the edits)."""
    with Project.create(pg_url, annotator="mona") as mona:
        doc = mona.add_document(TEXT, title="t").id
        with Project.open(pg_url, annotator="karim") as karim:
            with mona.write():  # mona's edit is open while karim's commits
                mona.add_span(doc, *PER, "PER")
                karim.add_span(doc, 29, 34, "GPE")  # موسكو
            assert sorted(s.annotator for s in karim.spans(doc)) == ["karim", "mona"]
            assert karim.document(doc).status == "in_progress"
