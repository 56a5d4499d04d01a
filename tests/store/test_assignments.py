"""Assigning documents to annotators: balanced, reproducible, N distinct people per document;
each person's done mark, their queue (next assigned) and their progress.

Tests taking the ``project`` fixture run on both backends (tests/store/conftest.py)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from annotator.errors import NotFoundError, ValidationError
from annotator.model.document import DocumentRecord, Span
from annotator.store import Project
from annotator.store.listing import DocumentFilter, DocumentListing

TEXT = "قال المتحدث باسم الكرملين إن موسكو مستعدة للحوار"
PER = (4, 11)  # المتحدث


def fill(project: Project, documents: int, annotator: str = "tester") -> Project:
    """Add ``documents`` short articles d0, d1, ... to ``project``; the work is ``annotator``'s."""
    project.import_documents(
        DocumentRecord(text=f"{TEXT} {n}", id=f"d{n}") for n in range(documents)
    )
    project.annotator = annotator
    return project


def make(path: Path, documents: int) -> Project:
    """Return a new project file holding ``documents`` short articles d0, d1, ..."""
    return fill(Project.create(path, annotator="tester"), documents)


def people(project: Project) -> dict[str, list[str]]:
    """Return who each document is assigned to, names sorted."""
    found: dict[str, list[str]] = {}
    for a in project.assignments():
        found.setdefault(a.doc_id, []).append(a.annotator)
    return found


def test_every_document_goes_to_n_distinct_people_and_counts_are_balanced(project: Project):
    fill(project, 10)
    report = project.assign(["mona", "sami", "huda"], 2, seed=7)
    given = people(project)
    assert sorted(given) == [f"d{n}" for n in range(10)]
    assert all(len(set(names)) == len(names) == 2 for names in given.values())
    # 10 documents x 2 = 20 assignments over 3 people: 7, 7 and 6.
    assert sorted(report.counts.values()) == [6, 7, 7]
    assert report.counts == dict(Counter(n for names in given.values() for n in names))
    assert report.added == report.counts and report.removed == {} and report.kept == 0
    assert report.documents == 10 and report.per_document == 2


def test_the_same_seed_and_documents_give_the_same_people(project: Project, tmp_path: Path):
    fill(project, 12)
    project.assign(["mona", "sami", "huda", "karim"], 2, seed=3)
    # Another project file, the names in another order: the same people.
    with make(tmp_path / "two.sqlite", 12) as two:
        two.assign(["karim", "huda", "sami", "mona"], 2, seed=3)
        assert people(two) == people(project)
    with make(tmp_path / "three.sqlite", 12) as three:
        three.assign(["mona", "sami", "huda", "karim"], 2, seed=4)
        assert people(three) != people(project)  # another seed, another draw


def test_pairs_vary_so_every_pair_shares_documents(project: Project):
    # Four people, two per document: a fixed rotation would only ever pair (1,2) and (3,4).
    fill(project, 24)
    project.assign(["mona", "sami", "huda", "karim"], 2, seed=11)
    assert len({tuple(names) for names in people(project).values()}) >= 4


def test_more_people_per_document_than_named_is_refused(project: Project):
    fill(project, 3)
    with pytest.raises(ValidationError) as caught:
        project.assign(["mona", "sami"], 3, seed=1)
    assert project.assignments() == []
    assert str(caught.value) == (
        "cannot give each document to 3 different annotators: only 2 named (mona, sami);"
        " name more or lower --per-document"
    )


@pytest.mark.parametrize(
    ("names", "per_document", "message"),
    [
        (["mona", "mona"], 1, "'mona' is named twice among the annotators"),
        (["mona", " "], 1, "an annotator name is empty (names are separated by commas)"),
        (["mona", "gold"], 1, "'gold' is the reviewed layer, not an annotator"),
        (["mona"], 0, "each document needs at least 1 annotator (--per-document)"),
    ],
)
def test_names_and_counts_that_cannot_work_are_refused(
    tmp_path: Path, names: list[str], per_document: int, message: str
):
    with make(tmp_path / "p.sqlite", 2) as project, pytest.raises(ValidationError) as caught:
        project.assign(names, per_document, seed=1)
    assert str(caught.value) == message


def test_an_unknown_document_is_refused_and_nothing_assigned(project: Project):
    fill(project, 2)
    with pytest.raises(NotFoundError, match="no document 'd9'"):
        project.assign(["mona"], 1, seed=1, doc_ids=["d0", "d9"])
    assert project.assignments() == []


def test_only_the_documents_named_are_assigned(project: Project):
    fill(project, 4)
    report = project.assign(["mona", "sami"], 1, seed=1, doc_ids=["d3", "d1"])
    assert sorted(people(project)) == ["d1", "d3"]
    assert report.documents == 2 and report.counts == {"mona": 1, "sami": 1}


def test_assigned_documents_keep_their_people_and_are_topped_up(project: Project):
    fill(project, 4)
    project.assign(["mona", "sami"], 1, seed=5)
    first = people(project)
    again = project.assign(["mona", "sami"], 1, seed=99)
    assert people(project) == first  # nothing to do: every document has its one person
    assert again.added == {} and again.kept == 4
    report = project.assign(["mona", "sami", "huda"], 2, seed=5)
    after = people(project)
    for doc_id, (holder,) in first.items():
        assert holder in after[doc_id] and len(set(after[doc_id])) == 2
    # mona and sami hold 2 each, huda none: huda is the least loaded for d0 and d1.
    assert "huda" in after["d0"] and "huda" in after["d1"]
    assert report.kept == 4 and sum(report.added.values()) == 4 and report.removed == {}


def test_replace_assigns_again_as_a_fresh_project_would(project: Project, tmp_path: Path):
    with make(tmp_path / "fresh.sqlite", 6) as fresh:
        fresh.assign(["mona", "sami", "huda"], 2, seed=8)
        expected = people(fresh)
    fill(project, 6, "mona")
    project.assign(["mona", "sami"], 1, seed=1)
    mine = [a.doc_id for a in project.assignments("mona")]
    project.set_assignment_done(mine[0], True)
    report = project.assign(["mona", "sami", "huda"], 2, seed=8, replace=True)
    assert people(project) == expected
    # mona keeps her done mark where she keeps the document.
    kept_done = "mona" in expected[mine[0]]
    assert project.assignment_done(mine[0]) is (True if kept_done else None)
    assert sum(report.added.values()) - sum(report.removed.values()) == 12 - 6
    assert report.kept + sum(report.added.values()) == 12


def test_a_second_batch_is_balanced_with_the_first(project: Project):
    fill(project, 10)
    project.assign(["mona", "sami", "huda"], 2, seed=1, doc_ids=[f"d{n}" for n in range(5)])
    report = project.assign(
        ["mona", "sami", "huda"], 2, seed=2, doc_ids=[f"d{n}" for n in range(5, 10)]
    )
    # 5 + 5 documents x 2 people = 20 over 3 people: 7, 7 and 6 in the project.
    assert sorted(report.counts.values()) == [6, 7, 7]


def test_progress_counts_assigned_started_and_done_per_person(project: Project):
    fill(project, 4, "mona")
    project.assign(["mona", "sami"], 2, seed=1, doc_ids=["d0", "d1", "d2"])
    # mona annotates d0 and d1 (assigned) and d3 (not assigned: not counted), sami d2.
    for doc_id, who in (("d0", "mona"), ("d1", "mona"), ("d3", "mona"), ("d2", "sami")):
        project.import_documents(
            [
                DocumentRecord(
                    text=project.document(doc_id).text,
                    spans=[Span(f"{who}-{doc_id}", "", *PER, "PER", annotator=who)],
                )
            ],
            merge_annotations=True,
        )
    project.set_assignment_done("d0", True)
    project.set_assignment_done("d2", True)
    rows = [(p.annotator, p.assigned, p.started, p.done) for p in project.progress()]
    assert rows == [("mona", 3, 2, 2), ("sami", 3, 1, 0)]


def test_a_done_mark_is_per_person_and_can_be_taken_back(project: Project):
    fill(project, 2, "mona")
    project.assign(["mona", "sami"], 2, seed=1)
    project.set_assignment_done("d0", True)
    assert project.assignment_done("d0") is True
    assert project.assignment_done("d0", "sami") is False
    assert project.document("d0").status == "not_started"  # the shared status is apart
    project.set_assignment_done("d0", False)
    assert project.assignment_done("d0") is False
    project.annotator = "huda"
    assert project.assignment_done("d0") is None
    with pytest.raises(ValidationError, match="document 'd0' is not assigned to huda"):
        project.set_assignment_done("d0", True)


def test_next_assigned_goes_on_in_project_order_then_from_the_start(project: Project):
    fill(project, 6, "mona")
    project.assign(["mona"], 1, seed=1, doc_ids=["d1", "d3", "d4"])
    assert project.next_assigned() == "d1"
    assert project.next_assigned("d1") == "d3"
    assert project.next_assigned("d2") == "d3"  # from a document not assigned
    project.set_assignment_done("d4", True)
    assert project.next_assigned("d3") == "d1"  # d4 is done: back to the start
    project.set_assignment_done("d1", True)
    assert project.next_assigned("d3") is None  # d3 is the only one left, and open
    assert project.next_assigned("d0") == "d3"
    project.set_assignment_done("d3", True)
    assert project.next_assigned() is None
    project.annotator = "sami"
    assert project.next_assigned() is None


def test_assignments_go_with_a_reopened_project(tmp_path: Path):
    with make(tmp_path / "p.sqlite", 3) as project:
        project.assign(["mona", "sami"], 1, seed=2)
        before = project.assignments()
    with Project.open(tmp_path / "p.sqlite", read_only=True) as reopened:
        assert reopened.assignments() == before
        assert [a.doc_id for a in reopened.assignments("mona")] == [
            a.doc_id for a in before if a.annotator == "mona"
        ]


def test_the_document_list_filters_on_a_persons_assignments(project: Project):
    fill(project, 5)
    project.assign(["mona"], 1, seed=1, doc_ids=["d1", "d3", "d4"])
    project.assign(["sami"], 1, seed=1, doc_ids=["d0", "d3"])
    project.set_document_status("d3", "done")
    mona = DocumentListing(project, DocumentFilter(assigned_to="mona"))
    assert [r.id for r in mona.rows()] == ["d1", "d3", "d4"] and mona.count() == 3
    assert mona.next("d1") == "d3" and mona.matches("d4") and not mona.matches("d0")
    both = DocumentFilter(assigned_to="sami", statuses=frozenset({"not_started"}))
    assert [r.id for r in DocumentListing(project, both).rows()] == ["d0"]
    assert DocumentListing(project, DocumentFilter(assigned_to="huda")).rows() == []
