"""Corpus search a page at a time: the pages together are the scan, and Cancel stops it."""

from __future__ import annotations

import pytest
from search_corpus import UN, add_articles, brute_force

from annotator.errors import Cancelled
from annotator.model.document import DocumentRecord
from annotator.session import corpus_search
from annotator.session.corpus_search import SearchQuery, all_hits, search_page
from annotator.store import Project


@pytest.fixture
def news(project: Project) -> Project:
    """The articles, then 300 more with «الحوار» in some: windows and pages over many."""
    add_articles(project)
    filler = [
        f"خبر رقم {n} " + ("عن الحوار " * (n % 4)) + ("وبالحوار" if n % 7 == 0 else "")
        for n in range(300)
    ]
    project.import_documents(DocumentRecord(text=t, title=f"خبر {n}") for n, t in enumerate(filler))
    return project


def pages(project: Project, query: SearchQuery, want: int) -> list[corpus_search.Page]:
    found = [search_page(project, query, want=want)]
    while not found[-1].complete:
        found.append(search_page(project, query, found[-1].next_document, want=want))
    return found


@pytest.mark.parametrize("whole_words", [False, True])
def test_pages_together_are_the_scan(
    news: Project, whole_words: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(corpus_search, "FIRST_WINDOW", 8)
    query = SearchQuery("الحوار", whole_words=whole_words)
    read = pages(news, query, want=20)
    expected = brute_force(news, "الحوار", whole_words)
    assert len(read) > 3, "many pages"
    assert [s.hit for page in read for s in page.hits] == expected
    assert all(len(page.hits) >= 20 for page in read[:-1])
    assert read[-1].next_document == read[-1].documents == len(news.document_ids())


def test_document_ids_by_window_are_the_project_order(news: Project) -> None:
    ids = news.document_ids()
    assert news.document_ids(5, 3) == ids[5:8]
    assert news.document_ids(len(ids) - 2, 10) == ids[-2:]
    assert news.document_ids(len(ids), 10) == []


def test_each_hit_carries_its_title_and_its_words(news: Project) -> None:
    page = search_page(news, SearchQuery(UN))
    assert [s.hit for s in page.hits] == brute_force(news, UN)
    first = page.hits[0]
    text = news.document(first.hit.doc_id).text
    assert first.title == "موسكو تدعو إلى الحوار"
    assert first.context.hit == text[first.hit.start : first.hit.end] == "الأمم المتحدة"
    assert first.context.before.endswith("الحوار مع ")


def test_every_hit_with_a_restriction_is_the_store_search(news: Project) -> None:
    doc_id = news.document_ids()[0]
    text = news.document(doc_id).text
    start = text.index("الحوار مع الأمم")
    news.add_span(doc_id, start, start + len("الحوار مع الأمم المتحدة"), "EVENT")
    for inside in (True, False):
        query = SearchQuery("الحوار", label="EVENT", inside=inside)
        expected = list(news.search("الحوار", label="EVENT", inside=inside))
        assert list(all_hits(news, query)) == expected
    assert [h.doc_id for h in all_hits(news, SearchQuery("الحوار", label="EVENT"))] == [doc_id]


def test_cancel_stops_the_search_between_windows(
    news: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(corpus_search, "FIRST_WINDOW", 8)
    searched: list[int] = []
    with pytest.raises(Cancelled):
        list(
            all_hits(
                news,
                SearchQuery("خبر"),
                cancelled=lambda: sum(searched) >= 16,
                progress=searched.append,
            )
        )
    assert sum(searched) == 8 + 16  # two windows, then the cancel was seen
