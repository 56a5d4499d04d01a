"""The filtered document list of the store: what matches, pages by key, counts, neighbours."""

from __future__ import annotations

from typing import Any

import pytest

from annotator.errors import ValidationError
from annotator.model.document import GOLD_ANNOTATOR, DocumentRecord, Span
from annotator.store import Project
from annotator.store.listing import DocumentFilter, DocumentListing
from annotator.store.reviews import set_review_status

TEXT = "قال المتحدث باسم الكرملين إن موسكو مستعدة للحوار"
PER = (4, 11)  # المتحدث
GPE = (29, 34)  # موسكو


def span(doc: int, label: str, who: str, where: tuple[int, int] = PER) -> Span:
    """Return a span of document ``doc`` by ``who``."""
    return Span(f"{who}-{label}-{doc}", "", *where, label, annotator=who)


# doc -> (status, spans); titles are "خبر N", texts TEXT + N.
LAYOUT: dict[int, tuple[str, tuple[Span, ...]]] = {
    0: ("done", (span(0, "PER", "mona"),)),
    1: ("not_started", ()),
    2: ("in_progress", (span(2, "GPE", "karim", GPE),)),
    3: ("done", (span(3, "PER", "karim"), span(3, "GPE", "mona", GPE))),
    4: ("not_started", (span(4, "PER", GOLD_ANNOTATOR),)),
    5: ("in_progress", (span(5, "PER", "mona"),)),
    6: ("not_started", ()),
    7: ("done", ()),
}


@pytest.fixture
def listed(project: Project) -> Project:
    """Eight documents with statuses, spans of mona, karim and gold, and one reviewed."""
    project.import_documents(
        DocumentRecord(text=f"{TEXT} {n}", id=f"d{n}", title=f"خبر {n}", spans=spans)
        for n, (_status, spans) in LAYOUT.items()
    )
    for n, (status, _spans) in LAYOUT.items():
        if status != "not_started":
            project.set_document_status(f"d{n}", status)
    set_review_status(project, "d5", "reviewed")
    set_review_status(project, "d3", "in_review")
    return project


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ({}, [f"d{n}" for n in range(8)]),
        ({"statuses": frozenset({"done"})}, ["d0", "d3", "d7"]),
        ({"statuses": frozenset({"not_started", "in_progress"})}, ["d1", "d2", "d4", "d5", "d6"]),
        ({"annotator": "mona"}, ["d0", "d3", "d5"]),
        ({"label": "GPE"}, ["d2", "d3"]),
        ({"label": "PER", "annotator": "karim"}, ["d3"]),
        ({"label": "GPE", "annotator": "karim"}, ["d2"]),
        # d4 has only gold spans; d5 is reviewed; d1, d6 and d7 have nothing to review.
        ({"open_review": True}, ["d0", "d2", "d3"]),
        ({"text": "خبر 5"}, ["d5"]),
        ({"text": "%"}, []),
        ({"statuses": frozenset({"done"}), "annotator": "mona", "open_review": True}, ["d0", "d3"]),
        ({"statuses": frozenset({"in_progress"}), "label": "PER"}, ["d5"]),
    ],
)
def test_filters_combine_with_and_in_project_order(
    listed: Project, where: dict[str, Any], expected: list[str]
) -> None:
    listing = DocumentListing(listed, DocumentFilter(**where))
    assert [r.id for r in listing.rows()] == expected
    assert listing.count() == len(expected)
    low, high = listing.position_range() or (0, 0)
    middle = (low + high) // 2
    assert listing.count_between(low, middle) + listing.count_between(middle, high + 1) == len(
        expected
    )
    assert [d for d in (f"d{n}" for n in range(8)) if listing.matches(d)] == expected


def test_rows_carry_title_status_and_annotation_count(listed: Project) -> None:
    rows = DocumentListing(listed, DocumentFilter(statuses=frozenset({"done"}))).rows()
    assert [(r.title, r.status, r.span_count) for r in rows] == [
        ("خبر 0", "done", 1),
        ("خبر 3", "done", 2),
        ("خبر 7", "done", 0),
    ]


def test_pages_go_by_key_and_cover_every_document_once(listed: Project) -> None:
    # Two documents on one position (a file from elsewhere): the order stays total.
    listed.db.execute("UPDATE documents SET position = 2 WHERE id IN ('d2', 'd3', 'd4')")
    listing = DocumentListing(listed)
    seen: list[str] = []
    after = None
    while page := listing.rows(after, 3):
        seen += [r.id for r in page]
        after = page[-1].id
    assert seen == [f"d{n}" for n in range(8)]


def test_next_and_previous_follow_the_filter(listed: Project) -> None:
    done = DocumentListing(listed, DocumentFilter(statuses=frozenset({"done"})))
    assert (done.first(), done.last()) == ("d0", "d7")
    assert done.next("d0") == "d3"
    assert done.next("d3") == "d7"
    assert done.next("d7") is None
    assert done.previous("d3") == "d0"
    assert done.previous("d0") is None
    # From a document the filter leaves out (it was open when the filter changed).
    assert done.next("d4") == "d7"
    assert done.previous("d4") == "d3"
    assert done.next("no such document") is None
    assert done.precedes("d0", "d4") and not done.precedes("d4", "d0")
    assert not done.precedes("d4", "d4") and not done.precedes("no such document", "d4")


def test_next_not_done_skips_done_documents(listed: Project) -> None:
    everything = DocumentListing(listed)
    assert everything.next("d2", not_done=True) == "d4"
    assert everything.next("d6", not_done=True) is None  # only d7 (done) is left
    assert everything.next("d6") == "d7"
    assert everything.next(None, not_done=True) == "d1"  # nothing open yet: from the start
    assert everything.previous(None, not_done=True) == "d6"
    mona = DocumentListing(listed, DocumentFilter(annotator="mona"))
    assert mona.next("d0", not_done=True) == "d5"  # d3 is mona's but done


def test_an_empty_filter_result(listed: Project) -> None:
    nothing = DocumentListing(listed, DocumentFilter(label="EVENT"))
    assert nothing.rows() == [] and nothing.count() == 0
    assert nothing.first() is None and nothing.next("d0") is None


def test_count_before_is_bounded(listed: Project) -> None:
    listing = DocumentListing(listed, DocumentFilter(statuses=frozenset({"not_started"})))
    assert listing.count_before("d6", None, 100) == 2  # d1, d4
    assert listing.count_before("d6", "d1", 100) == 1  # d4
    assert listing.count_before("d6", None, 1) == 1


def test_an_unknown_status_is_refused() -> None:
    with pytest.raises(ValidationError, match="finished"):
        DocumentFilter(statuses=frozenset({"finished"}))


def test_the_text_is_found_as_find_finds_it_and_titles_as_typed(project: Project) -> None:
    project.import_documents(
        [
            DocumentRecord(text="قال الكرملين إنَّ مُوسكو مستعدة", id="a", title="خبر"),
            DocumentRecord(text="واشنطن ترد", id="b", title="خبر عن موسكو"),
            DocumentRecord(text="لا شيء هنا", id="c", title="خبر آخر"),
        ]
    )
    # Hamza, shadda and damma aside, in the article; as typed, in the title.
    assert [r.id for r in DocumentListing(project, DocumentFilter(text="آخر")).rows()] == ["c"]
    marked = DocumentListing(project, DocumentFilter(text="ان موسكو"))
    assert [r.id for r in marked.rows()] == ["a"]
    moscow = DocumentListing(project, DocumentFilter(text="موسكو"))
    assert [r.id for r in moscow.rows()] == ["a", "b"]
    assert moscow.count() == 2 and moscow.next("a") == "b" and moscow.next("b") is None
    done = DocumentListing(project, DocumentFilter(text="موسكو", statuses=frozenset({"done"})))
    assert done.rows() == []
    # Two listings keep their own results; a closed one forgets its own only.
    marked.close()
    assert [r.id for r in moscow.rows()] == ["a", "b"]
    assert [r.id for r in DocumentListing(project, DocumentFilter(text="ترد")).rows()] == ["b"]
