"""Corpus search: every hit a scan with Find's normalization gives, and nothing else."""

from __future__ import annotations

import random
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from annotator.errors import Cancelled, InputError, SchemaError
from annotator.model.document import DocumentRecord
from annotator.model.text import find_matches, normalize_query
from annotator.store import Project, search, search_index
from annotator.store.connection import known_migrations
from annotator.store.migrations import migrations
from annotator.store.search import Hit
from annotator.store.search_index import SETTING

# One person or place written the ways news sites write it: another hamza, no ة, ى for ي,
# tashkeel, tatweel, a no-break space, a clitic attached.
FORMS = [
    "أسامة", "اسامه", "إسامة", "أُسَامَة", "أسـامة", "وأسامة", "بأسامه",
    "مصطفى", "مصطفي", "مُصْطَفَى", "لمصطفى",
    "عبد الله", "عبد\u00a0الله", "عبدالله", "عبد اللّه",
    "القاهرة", "القاهره", "بالقاهرة", "القـاهـرة",
    "آمال", "امال", "ٱمال",
    "الحوار", "بالحوار", "للحوار", "الحِوار", "بيان\u3000رسمي",
]  # fmt: skip
FILLER = [
    "قال", "إن", "في", "من", "على", "الوزير", "مؤتمر", "صحفي", "،", ".", "\n", "🔴", "2024",
    "قال:", "(AFP)", "NATO", "Nato", "Twitter,", "U.S.", "\u2028", "\u3000", "أ\u2009ب", "x\x00y",
]  # fmt: skip
# A project file stores a NUL character; a server refuses a text holding one (test_project.py).
NUL_WORD = "x\x00y"
QUERIES = [
    # one word, inside a word of the document (looked up in the vocabulary)
    "اسامة", "أسامه", "مصطفي", "مصطفى", "القاهره", "امال", "الحوار", "NATO", "witter", "2024",
    # several words: whole words in between, the first ends a word, the last starts one
    "عبد الله", "قال ان", "في القاهره", "الوزير في", "(AFP)", "ال: ا", "U.S", "ا\u2009ب",
    # too short to look up, or only signs: every text is read
    "في", "ه", "،", ". ", ":", "ن\u3000رس", "بيان\u3000رسمي",
]  # fmt: skip


def corpus(count: int, seed: int = 7, *, nul: bool = True) -> list[str]:
    """Return ``count`` distinct short articles mixing the forms above with filler words.

    With ``nul`` False the filler has no word holding a NUL character (for a server project).
    """
    rng = random.Random(seed)
    filler = FILLER if nul else [w for w in FILLER if w != NUL_WORD]
    texts: list[str] = []
    while len(texts) < count:
        words = [
            rng.choice(FORMS if rng.random() < 0.3 else filler) for _ in range(rng.randint(1, 30))
        ]
        text = " ".join(words).strip() or "خبر"
        if text not in texts:
            texts.append(text)
    return texts


def brute_force(project: Project, query: str, whole_words: bool = False) -> list[Hit]:
    """Find over every document, one after another: what search must give."""
    return [
        Hit(doc.id, m.start, m.end, m.whole_word)
        for doc in project.documents()
        for m in find_matches(doc.text, query)
        if m.whole_word or not whole_words
    ]


@pytest.fixture
def news(project: Project) -> Project:
    """A project of 300 generated articles, on each backend (NUL characters in the file only)."""
    project.import_documents(DocumentRecord(text=t) for t in corpus(300, nul=not project.on_server))
    return project


@pytest.fixture
def sqlite_news(sqlite_project: Project) -> Project:
    """The 300 articles in a project file: for tests of its full-text index (a server has none)."""
    sqlite_project.import_documents(DocumentRecord(text=t) for t in corpus(300))
    return sqlite_project


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("whole_words", [False, True])
def test_search_finds_what_a_scan_finds(news: Project, query: str, whole_words: bool) -> None:
    expected = brute_force(news, query, whole_words)
    anywhere = brute_force(news, query)
    assert anywhere, "the corpus holds every query"

    assert list(news.search(query, whole_words=whole_words)) == expected
    assert news.documents_matching(query) == list(dict.fromkeys(h.doc_id for h in anywhere))


def vocabulary(project: Project) -> set[str]:
    """Return the words the index's vocabulary holds."""
    return {r[0] for r in project.db.execute("SELECT term FROM search_terms")}


def test_documents_added_one_by_one_give_the_vocabulary_of_a_bulk_import(
    sqlite_news: Project, tmp_path: Path
) -> None:
    """Small imports split each text for its words; a large one reads them off the index."""
    news = sqlite_news
    with Project.create(tmp_path / "one-by-one.sqlite") as single:
        for doc in news.documents():
            single.add_document(doc.text, doc_id=doc.id)
        assert vocabulary(single) == vocabulary(news)
        # Words as the ascii tokenizer cuts them: at ASCII signs, spaces and controls only.
        assert {"nato", "قال", "بيان\u3000رسمي", "x", "y", "،"} <= vocabulary(news)
        assert not {"NATO", "قال:", "بيان", "x\x00y"} & vocabulary(news)
        for query in QUERIES:
            assert list(single.search(query)) == brute_force(single, query)


def test_search_is_a_scan_whatever_the_vocabulary_gives(
    news: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a vocabulary too common to narrow anything, the index still misses nothing."""
    monkeypatch.setattr(search_index, "MAX_TERMS", 1)
    for query in QUERIES:
        assert list(news.search(query)) == brute_force(news, query)


def test_a_word_in_no_document_reads_no_text(sqlite_news: Project) -> None:
    news = sqlite_news
    plan = search_index.plan(news.db, "نيقوسيا")
    assert plan.none
    assert list(news.search("نيقوسيا")) == [] and news.documents_matching("نيقوسيا") == []


def test_documents_matching_one_arabic_word_needs_no_text(
    sqlite_news: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    news = sqlite_news
    expected = news.documents_matching("القاهره")
    monkeypatch.setattr(Project, "_holding", None)  # reading texts would now fail
    monkeypatch.setattr(search, "_holds", None)
    assert search_index.plan(news.db, "القاهره").exact
    assert not search_index.plan(news.db, "NATO").exact  # Nato too: the index ignores case
    assert news.documents_matching("القاهره") == expected


def test_a_name_without_its_hamza_or_taa_marbuta_finds_every_form(news: Project) -> None:
    found = {}
    for hit in news.search("اسامه", whole_words=True):
        text = news.document(hit.doc_id).text
        found[text[hit.start : hit.end]] = found.get(text[hit.start : hit.end], 0) + 1

    assert set(found) == {"أسامة", "اسامه", "إسامة", "أُسَامَة", "أسـامة"}
    in_words = {
        news.document(h.doc_id).text[h.start : h.end]
        for h in news.search("أسامة")
        if not h.whole_word
    }
    assert in_words == {"أسامة", "أسامه"}  # وأسامة, بأسامه: shown as parts of longer words


def test_a_typed_space_finds_a_no_break_space(news: Project) -> None:
    slices = {news.document(h.doc_id).text[h.start : h.end] for h in news.search("عبد الله")}
    assert slices == {"عبد الله", "عبد\u00a0الله", "عبد اللّه"}


def test_hits_come_in_project_order_then_by_offset(news: Project) -> None:
    order = {doc_id: k for k, doc_id in enumerate(news.document_ids())}
    hits = list(news.search("ال"))
    assert hits == sorted(hits, key=lambda h: (order[h.doc_id], h.start))
    assert len(hits) > 100


PIECES = [*FORMS, *FILLER, " ", "ا", "ة", "\u064e", "A", "a", ":", "(", "\u3000", "\u2028", "7"]
QUERY_CHARS = list("اأإآبةهىيلمحدعس \u00a0\u064e\u0640Aa:(.7،\u3000")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(PIECES), max_size=12).map("".join), min_size=1, max_size=5),
    st.lists(st.sampled_from(QUERY_CHARS), min_size=1, max_size=6).map("".join),
)
def test_search_equals_a_scan_on_random_arabic(texts: list[str], query: str) -> None:
    with tempfile.TemporaryDirectory() as tmp, Project.create(Path(tmp) / "p.sqlite") as project:
        project.import_documents(DocumentRecord(text=t) for t in dict.fromkeys(texts) if t)
        if not normalize_query(query).strip():
            with pytest.raises(InputError):
                project.search(query)
            return
        expected = brute_force(project, query)
        assert list(project.search(query)) == expected
        assert project.documents_matching(query) == list(dict.fromkeys(h.doc_id for h in expected))


# ---- restricted to spans -----------------------------------------------------------------


def test_inside_and_outside_spans_of_a_label(seeded: Project) -> None:
    """The Kremlin is named four times; once inside a PER (المتحدث باسم الكرملين)."""
    everything = list(seeded.search("الكرملين"))
    inside = list(seeded.search("الكرملين", label="PER"))
    outside = list(seeded.search("الكرملين", label="PER", inside=False))
    doc_id = everything[0].doc_id
    text = seeded.document(doc_id).text
    per = [s for s in seeded.spans(doc_id) if s.label == "PER"]

    assert len(everything) == 4
    assert sorted(inside + outside, key=lambda h: h.start) == everything
    [hit] = inside
    assert text[hit.start : hit.end] == "الكرملين"
    assert any(s.text_in(text) == "المتحدث باسم الكرملين" for s in per if s.start <= hit.start)
    assert len(outside) == 3
    for hit in outside:
        assert not any(s.start <= hit.start and hit.end <= s.end for s in per)
    assert len(list(seeded.search("الكرملين", label="ORG"))) == 4


def test_a_span_covering_part_of_a_hit_does_not_make_it_inside(project: Project) -> None:
    doc = project.add_document("قال عبد الله إن عبد الله وصل")
    project.add_span(doc.id, 4, 7, "PER")  # عبد only
    project.add_span(doc.id, 16, 24, "PER")  # عبد الله

    assert [(h.start, h.end) for h in project.search("عبد الله", label="PER")] == [(16, 24)]
    assert [(h.start, h.end) for h in project.search("عبد الله", label="PER", inside=False)] == [
        (4, 12)
    ]


def test_inside_spans_of_an_annotator(seeded: Project) -> None:
    everything = list(seeded.search("لافروف"))
    assert list(seeded.search("لافروف", annotator="nobody")) == []
    assert list(seeded.search("لافروف", annotator="nobody", inside=False)) == everything
    by_example = list(seeded.search("لافروف", annotator="example"))
    assert by_example and set(by_example) <= set(everything)
    both = list(seeded.search("لافروف", annotator="example", label="PER"))
    assert both == list(seeded.search("لافروف", label="PER"))


def test_an_unknown_label_or_an_empty_query_is_refused_at_once(news: Project) -> None:
    with pytest.raises(SchemaError):
        news.search("اسامة", label="NOPE")
    for query in ("", "   ", "\u064e\u0640"):
        with pytest.raises(InputError, match="nothing to search for"):
            news.search(query)
    assert news.documents_matching("\u064e") == []


def test_limit_doc_ids_and_cancel(news: Project) -> None:
    everything = list(news.search("القاهره"))
    assert list(news.search("القاهره", limit=3)) == everything[:3]
    some = news.document_ids()[100:140]
    assert list(news.search("القاهره", doc_ids=some)) == [h for h in everything if h.doc_id in some]
    with pytest.raises(Cancelled):
        list(news.search("القاهره", cancelled=lambda: True))


# ---- kept current ------------------------------------------------------------------------


def test_documents_imported_later_are_found(news: Project) -> None:
    before = list(news.search("نيقوسيا"))
    added = news.import_documents(
        [DocumentRecord(text="وصل الوفد إلى نيقوسيا أمس"), DocumentRecord(text="نيقوسيـا")]
    ).added

    assert before == []
    assert [h.doc_id for h in news.search("نيقوسيا")] == added
    assert news.documents_matching("نيقوسيا") == added


def older_project(path: Path, texts: list[str]) -> Path:
    """Write a project as the version before the search index left it."""
    from annotator.model.schema import load_default_schema

    db = Database(path)
    migrations.apply(db, stop_before="m004_search_index")
    db["project"].insert_all(
        [{"key": "schema", "value": load_default_schema().source}, {"key": "name", "value": "old"}]
    )
    for k, text in enumerate(texts):
        db.execute(
            "INSERT INTO documents (id, position, title, text, content_hash, created, updated)"
            " VALUES (?, ?, 'old', ?, ?, '2024-01-01', '2024-01-01')",
            [f"d{k}", k, text, f"h{k}"],
        )
    db.conn.commit()
    db.close()
    return path


def test_an_older_project_is_indexed_when_opened(tmp_path: Path) -> None:
    texts = corpus(50)
    path = older_project(tmp_path / "old.sqlite", texts)

    with Project.open(path, read_only=True) as project:  # an upgraded copy, file untouched
        assert project.search_index_ready()
        assert list(project.search("مصطفي")) == brute_force(project, "مصطفي")
    with Project.open(path) as project:
        assert project.search_index_ready()
        expected = brute_force(project, "مصطفي")
        assert expected and list(project.search("مصطفي")) == expected
    applied = [r[0] for r in sqlite3.connect(path).execute("SELECT name FROM _sqlite_migrations")]
    assert applied == known_migrations()


def test_an_index_of_another_key_version_is_not_used_and_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite"
    with Project.create(path) as project:
        project.import_documents(DocumentRecord(text=t) for t in corpus(40))
        # As if the key had been computed otherwise: an index that finds nothing.
        project.db.execute("INSERT INTO search_index (search_index) VALUES ('delete-all')")
        project.db.execute("UPDATE project SET value = 'older' WHERE key = ?", [SETTING])
        project.checkpoint()

    with Project.open(path, read_only=True) as project:
        assert not project.search_index_ready()
        expected = brute_force(project, "القاهره")
        assert expected and list(project.search("القاهره")) == expected  # every text read
    with Project.open(path) as project:
        assert project.search_index_ready()
        assert list(project.search("القاهره")) == expected


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(PIECES), max_size=12).map("".join), min_size=1, max_size=5),
    st.data(),
)
def test_any_slice_of_a_text_is_found_where_a_scan_finds_it(
    texts: list[str], data: st.DataObject
) -> None:
    texts = [t for t in dict.fromkeys(texts) if t.strip()]
    if not texts:
        return
    text = data.draw(st.sampled_from(texts))
    start = data.draw(st.integers(0, len(text) - 1))
    query = text[start : data.draw(st.integers(start + 1, len(text)))]
    if not normalize_query(query).strip():
        return
    with tempfile.TemporaryDirectory() as tmp, Project.create(Path(tmp) / "p.sqlite") as project:
        project.import_documents(DocumentRecord(text=t) for t in texts)
        expected = brute_force(project, query)
        assert expected
        assert list(project.search(query)) == expected
        assert project.documents_matching(query) == list(dict.fromkeys(h.doc_id for h in expected))


def test_a_project_busy_elsewhere_opens_and_searches_without_its_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "p.sqlite"
    with Project.create(path) as project:
        project.import_documents(DocumentRecord(text=t) for t in corpus(40))
        project.db.execute("UPDATE project SET value = 'older' WHERE key = ?", [SETTING])
    monkeypatch.setenv("ANNOTATOR_BUSY_TIMEOUT_MS", "50")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program writing: no rebuild now
    try:
        with Project.open(path) as project:
            assert not project.search_index_ready()
            expected = brute_force(project, "القاهره")
            assert expected and list(project.search("القاهره")) == expected
    finally:
        other.execute("ROLLBACK")
        other.close()
    with Project.open(path) as project:
        assert project.search_index_ready()
