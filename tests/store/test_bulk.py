"""Many spans of many documents at once: all or none, the user's own layer, compare-and-swap."""

from __future__ import annotations

import pytest
from search_corpus import UN, add_articles, brute_force

from annotator.errors import OwnershipError, SchemaError, StaleEditError
from annotator.model.document import Span
from annotator.store import Project


@pytest.fixture
def news(project: Project) -> Project:
    add_articles(project)
    return project


def new_spans(project: Project, label: str = "ORG") -> list[Span]:
    return [Span("", h.doc_id, h.start, h.end, label) for h in brute_force(project, UN)]


def stored(project: Project) -> list[tuple[str, str, str]]:
    with Project.open(project.path, annotator="reader") as reader:
        return [
            (doc_id, s.id, reader.document(doc_id).text[s.start : s.end])
            for doc_id in reader.document_ids()
            for s in reader.spans(doc_id)
        ]


def test_spans_of_several_documents_are_added_with_new_ids_and_statuses(news: Project) -> None:
    added = news.add_spans(new_spans(news))
    assert [(s.doc_id, s.id, news.document(s.doc_id).text[s.start : s.end]) for s in added] == (
        stored(news)
    )
    assert len({s.id for s in added}) == 4 and all(s.id and s.created for s in added)
    assert {s.annotator for s in added} == {"tester"}
    statuses = {d: news.document(d).status for d in {s.doc_id for s in added}}
    assert set(statuses.values()) == {"in_progress"}


def test_deleted_spans_come_back_with_their_ids(news: Project) -> None:
    added = news.add_spans(new_spans(news))
    kept = news.add_span(added[0].doc_id, 0, 3, "PER")
    assert news.delete_spans(added) == []
    assert [span_id for _, span_id, _ in stored(news)] == [kept.id]
    assert news.add_spans(added) == added
    assert sorted(span_id for _, span_id, _ in stored(news)) == sorted(
        [kept.id, *(s.id for s in added)]
    )
    assert [news.span(s.doc_id, s.id) for s in added] == added


def test_links_go_with_their_spans(news: Project) -> None:
    added = news.add_spans(new_spans(news, "PER"))
    doc_id = added[0].doc_id
    text = news.document(doc_id).text
    start = text.index("يجب")
    quote = news.add_span(doc_id, start, start + len("يجب أن يكون متكافئا"), "QUOTE")
    link = news.add_relation(doc_id, "SPEAKER", quote.id, added[0].id)
    assert news.delete_spans(added) == [link]
    assert news.relations(doc_id) == []


def test_one_span_refused_stores_none(news: Project) -> None:
    spans = new_spans(news)
    doc_id = news.document_ids()[0]
    spans.append(Span("", doc_id, 70, 80, "ORG"))  # over a line break: refused for ORG
    with pytest.raises(SchemaError):
        news.add_spans(spans)
    assert stored(news) == []


def test_only_the_users_own_layer(news: Project) -> None:
    spans = [Span("", s.doc_id, s.start, s.end, s.label, "mona") for s in new_spans(news)]
    with pytest.raises(OwnershipError, match="mona"):
        news.add_spans(spans)
    assert stored(news) == []


def test_a_span_changed_since_it_was_shown_refuses_the_whole_delete(news: Project) -> None:
    added = news.add_spans(new_spans(news))
    with Project.open(news.path, annotator="tester") as other:
        other.update_span(added[2].doc_id, added[2].id, label="GPE")
    with pytest.raises(StaleEditError, match="changed since it was shown"):
        news.delete_spans(added)
    assert len(stored(news)) == 4
    news.delete_span(added[2].doc_id, added[2].id)
    with pytest.raises(StaleEditError, match="deleted since it was shown"):
        news.delete_spans(added)
    assert len(stored(news)) == 3
