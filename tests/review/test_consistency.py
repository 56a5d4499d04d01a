"""The consistency report on small corpora: every count and order worked out by hand below."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.errors import Cancelled
from annotator.model.text import find_matches
from annotator.review.consistency import (
    CONFLICT,
    Finding,
    Place,
    complete_places,
    consistency,
    contexts,
    entity_labels,
    progress_total,
    span_form,
)
from annotator.store import Project

# Three articles. "بايدن" is PER in d1 and d3 but ORG in d2; "الأمم المتحدة" (with hamza and
# ta marbuta) is ORG in d1 and "الامم المتحده" (without) GPE in d3.
D1 = "قال الرئيس بايدن إن الأمم المتحدة ترفض الحوار مع موسكو"
D2 = "أعلنت موسكو أن بايدن وصل إلى جنيف"
D3 = "زار بايدن مقر الامم المتحده في جنيف"


def at(text: str, words: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the ``nth`` occurrence of ``words`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return start, start + len(words)


def annotate(path: Path, who: str, doc_id: str, text: str, spans: list[tuple[str, str]]) -> None:
    """Add ``who``'s spans (words, label) to a document, as that annotator."""
    with Project.open(path, annotator=who) as theirs:
        for words, label in spans:
            theirs.add_span(doc_id, *at(text, words), label)


@pytest.fixture
def corpus(tmp_path: Path) -> Iterator[Project]:
    path = tmp_path / "corpus.sqlite"
    with Project.create(path, annotator="tester") as project:
        for doc_id, text in (("d1", D1), ("d2", D2), ("d3", D3)):
            project.add_document(text, doc_id=doc_id)
    annotate(path, "mona", "d1", D1, [("بايدن", "PER"), ("الأمم المتحدة", "ORG")])
    annotate(path, "mona", "d2", D2, [("بايدن", "ORG"), ("موسكو", "GPE")])
    annotate(path, "mona", "d3", D3, [("بايدن", "PER"), ("الامم المتحده", "GPE")])
    with Project.open(path, annotator="tester") as project:
        yield project


def conflicts(project: Project, **kwargs: object) -> list[Finding]:
    return consistency(project, unlabelled=False, **kwargs)  # type: ignore[arg-type]


def by_form(findings: list[Finding]) -> dict[str, Finding]:
    return {f.text: f for f in findings}


def test_a_form_per_in_one_article_and_org_in_another_is_one_finding(corpus: Project) -> None:
    found = by_form(conflicts(corpus))
    biden = found["بايدن"]
    assert biden.kind == CONFLICT
    assert biden.layer == "mona"
    assert biden.labels == (("PER", 2), ("ORG", 1))
    assert biden.majority == "PER"
    assert biden.change == 1  # relabel the one ORG span
    # The span to change comes first; every place slices out the form from its article.
    texts = {"d1": D1, "d2": D2, "d3": D3}
    assert [(p.doc_id, p.label) for p in biden.places] == [
        ("d2", "ORG"),
        ("d1", "PER"),
        ("d3", "PER"),
    ]
    assert all(texts[p.doc_id][p.start : p.end] == "بايدن" for p in biden.places)
    (org,) = [s for s in corpus.spans("d2", ["mona"]) if s.label == "ORG"]
    assert biden.places[0].span_id == org.id


def test_hamza_and_ta_marbuta_variants_are_one_form(corpus: Project) -> None:
    assert span_form("الأمم المتحدة") == span_form("الامم المتحده") == "الامم المتحده"
    found = [f for f in conflicts(corpus) if f.form == "الامم المتحده"]
    assert len(found) == 1
    # One ORG, one GPE: a tie; the label first in the schema (ORG before GPE) leads.
    assert found[0].labels == (("ORG", 1), ("GPE", 1))
    assert found[0].change == 1
    assert found[0].text == "الأمم المتحدة"  # as written in the first span read
    assert {(p.doc_id, p.label) for p in found[0].places} == {("d1", "ORG"), ("d3", "GPE")}


def test_consistent_forms_are_not_reported(corpus: Project) -> None:
    assert "موسكو" not in by_form(conflicts(corpus))  # GPE wherever it is labelled


def test_each_layer_is_checked_on_its_own(corpus: Project) -> None:
    # sami labels موسكو ORG where mona has GPE: a disagreement, not an inconsistency.
    annotate(corpus.path, "sami", "d1", D1, [("موسكو", "ORG")])
    annotate(corpus.path, "sami", "d3", D3, [("جنيف", "GPE")])
    assert {(f.layer, f.text) for f in conflicts(corpus)} == {
        ("mona", "بايدن"),
        ("mona", "الأمم المتحدة"),
    }
    annotate(corpus.path, "sami", "d2", D2, [("موسكو", "GPE")])
    found = conflicts(corpus, layers=["sami"])
    assert [(f.layer, f.text, f.labels) for f in found] == [
        ("sami", "موسكو", (("ORG", 1), ("GPE", 1)))
    ]


def test_quotes_claims_and_cues_are_not_compared(tmp_path: Path) -> None:
    text = "قال بايدن ثم قال بايدن"
    path = tmp_path / "kinds.sqlite"
    with Project.create(path, annotator="mona") as project:
        project.add_document(text, doc_id="d1")
        project.add_span("d1", *at(text, "بايدن"), "PER")
        project.add_span("d1", *at(text, "بايدن", 1), "QUOTE", attrs={"type": "direct"})
        project.add_span("d1", *at(text, "بايدن", 1), "CLAIM")
        project.add_span("d1", *at(text, "قال"), "CUE")
        project.add_span("d1", *at(text, "قال", 1), "MISC")
        # بايدن is PER, QUOTE and CLAIM; قال is CUE and MISC: only names are compared.
        assert conflicts(project) == []


def test_findings_are_ordered_by_the_spans_a_fix_would_change(tmp_path: Path) -> None:
    # كييف: GPE 3, LOC 2 -> relabel 2. تاس: ORG 4, MISC 1 -> 1. لندن: GPE 1, LOC 1, FAC 1 -> 2.
    text = "كييف تاس لندن"
    labels = {
        "كييف": ["GPE", "GPE", "GPE", "LOC", "LOC"],
        "تاس": ["ORG", "ORG", "ORG", "ORG", "MISC"],
        "لندن": ["GPE", "LOC", "FAC"],
    }
    path = tmp_path / "order.sqlite"
    with Project.create(path, annotator="mona") as project:
        for n in range(5):
            project.add_document(f"{text} {n}", doc_id=f"d{n}")
        for word, per_doc in labels.items():
            for n, label in enumerate(per_doc):
                project.add_span(f"d{n}", *at(text, word), label)
        found = conflicts(project)
    assert [(f.text, f.change) for f in found] == [("كييف", 2), ("لندن", 2), ("تاس", 1)]
    assert found[1].labels == (("GPE", 1), ("LOC", 1), ("FAC", 1))  # schema order on a tie


def test_capped_places_are_completed(corpus: Project) -> None:
    found = by_form(conflicts(corpus, place_cap=1))
    capped = found["بايدن"]
    assert len(capped.places) == 2 and capped.more == 1  # one per label kept
    full = by_form(list(complete_places(corpus, found.values())))["بايدن"]
    assert full.more == 0
    assert [(p.doc_id, p.label) for p in full.places] == [
        ("d2", "ORG"),
        ("d1", "PER"),
        ("d3", "PER"),
    ]


def test_contexts_show_the_place_in_its_words(corpus: Project) -> None:
    place = Place("d2", *at(D2, "بايدن"), "ORG")
    assert contexts(corpus, [place], width=9) == {place: "موسكو أن ⟦بايدن⟧ وصل إلى"}
    # A cut inside موسكو and إلى leaves their pieces out.
    assert contexts(corpus, [place], width=6) == {place: "أن ⟦بايدن⟧ وصل"}
    headline = Place("d1", *at(D1, "موسكو"), "GPE")  # at the text's end: nothing after
    assert contexts(corpus, [headline], width=10) == {headline: "الحوار مع ⟦موسكو⟧"}


def test_progress_adds_up_and_cancel_stops(corpus: Project) -> None:
    steps: list[int] = []
    conflicts(corpus, progress=steps.append)
    assert sum(steps) == progress_total(corpus, unlabelled=False) == 3
    steps.clear()
    consistency(corpus, progress=steps.append)  # the search's steps after the reading's
    assert sum(steps) == progress_total(corpus) == 6 and steps[0] == 3
    with pytest.raises(Cancelled):
        conflicts(corpus, cancelled=lambda: True)
    asked: list[int] = []  # cancelled while searching, after the one read chunk
    with pytest.raises(Cancelled):
        consistency(corpus, cancelled=lambda: asked.append(1) or len(asked) > 1)


def test_unlabelled_occurrences_are_whole_words_outside_entity_spans(tmp_path: Path) -> None:
    d1 = "قال الرئيس بايدن إن أمريكا تدعم الحوار"
    # d2: بايدن inside a quote (counted), inside جو بايدن labelled PER (not), inside the longer
    # word بايدنية (not), and امريكا written without hamza (counted, one form with أمريكا).
    d2 = "قال جو بايدن: بايدن يدعم الحوار مع امريكا والسياسة البايدنية"
    d3 = "بايدن في أمريكا"  # a document mona has not annotated: not yet annotated, not counted
    path = tmp_path / "unlabelled.sqlite"
    with Project.create(path, annotator="mona") as project:
        for doc_id, text in (("d1", d1), ("d2", d2), ("d3", d3)):
            project.add_document(text, doc_id=doc_id)
        project.add_span("d1", *at(d1, "بايدن"), "PER")
        project.add_span("d1", *at(d1, "أمريكا"), "GPE")
        project.add_span("d2", *at(d2, "جو بايدن"), "PER")
        quote = at(d2, "بايدن يدعم الحوار مع امريكا")
        assert quote[0] == at(d2, "بايدن", 1)[0]
        project.add_span("d2", *quote, "QUOTE", attrs={"type": "direct"})
        found = {(f.kind, f.text): f for f in consistency(project)}
    assert set(found) == {("unlabelled", "بايدن"), ("unlabelled", "أمريكا")}
    biden = found["unlabelled", "بايدن"]
    assert (biden.unlabelled, biden.change) == (1, 1)
    assert biden.labels == (("PER", 1),)
    assert biden.places == (Place("d2", *at(d2, "بايدن", 1)),)
    america = found["unlabelled", "أمريكا"]
    assert america.places == (Place("d2", *at(d2, "امريكا")),)
    # "جو بايدن" is a form of its own, labelled where it occurs: nothing to report for it.


def test_unlabelled_and_conflicts_are_ordered_together(tmp_path: Path) -> None:
    # تاس: ORG 2, MISC 1 -> relabel 1. موسكو: GPE 1, unlabelled in 3 places -> annotate 3.
    texts = ["تاس موسكو", "تاس موسكو موسكو", "موسكو تاس", "خبر"]
    path = tmp_path / "mixed.sqlite"
    with Project.create(path, annotator="mona") as project:
        for n, text in enumerate(texts):
            project.add_document(text, doc_id=f"d{n}")
        for n, label in enumerate(["ORG", "ORG", "MISC"]):
            project.add_span(f"d{n}", *at(texts[n], "تاس"), label)
        project.add_span("d0", *at(texts[0], "موسكو"), "GPE")
        found = consistency(project)
    assert [(f.kind, f.text, f.change) for f in found] == [
        ("unlabelled", "موسكو", 3),
        ("labels", "تاس", 1),
    ]
    assert [(p.doc_id, p.start) for p in found[0].places] == [
        ("d1", 4),
        ("d1", 10),
        ("d2", 0),
    ]


WORDS = ["بايدن", "بوتين", "أمريكا", "امريكا", "موسكو", "قال", "إن", "الحوار", "بموسكو"]


def brute_force_unlabelled(project: Project, layer: str) -> dict[str, int]:
    """Count each labelled form's unlabelled occurrences by reading every text: the oracle."""
    entities = entity_labels(project.schema)
    forms: set[str] = set()
    documents: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    for doc in project.documents():
        spans = project.spans(doc.id, [layer])
        if spans:
            documents[doc.id] = (doc.text, [(s.start, s.end) for s in spans if s.label in entities])
        forms |= {span_form(s.text_in(doc.text)) for s in spans if s.label in entities}
    counts: dict[str, int] = {}
    for form in forms:
        for text, spans in documents.values():
            for match in find_matches(text, form):
                free = all(not (s < match.end and match.start < e) for s, e in spans)
                if match.whole_word and free:
                    counts[form] = counts.get(form, 0) + 1
    return counts


def test_unlabelled_counts_equal_a_scan_of_every_text(tmp_path: Path) -> None:
    rng = random.Random(7)
    path = tmp_path / "random.sqlite"
    texts: dict[str, list[str]] = {}
    with Project.create(path, annotator="tester") as project:
        for n in range(40):
            words = [rng.choice(WORDS) for _ in range(rng.randint(3, 12))]
            texts[f"d{n}"] = words
            project.add_document(" ".join(words) + f" {n}", doc_id=f"d{n}")
    for who, skip in (("mona", 4), ("sami", 3)):  # two layers, each with untouched documents
        with Project.open(path, annotator=who) as theirs:
            for n, (doc_id, words) in enumerate(texts.items()):
                if n % 5 == skip:
                    continue
                offset = 0
                for word in words:
                    if word != "قال" and rng.random() < 0.4:
                        label = rng.choice(["PER", "GPE", "ORG"])
                        theirs.add_span(doc_id, offset, offset + len(word), label)
                    offset += len(word) + 1
    with Project.open(path, read_only=True) as project:
        found = [f for f in consistency(project, place_cap=3) if f.kind == "unlabelled"]
        for who in ("mona", "sami"):
            counted = {f.form: f.unlabelled for f in found if f.layer == who}
            assert counted == brute_force_unlabelled(project, who)
            assert counted  # the random corpus has some
        full = list(complete_places(project, found))
    assert all(len(f.places) == f.unlabelled and f.more == 0 for f in full)
    assert any(len(f.places) > 3 for f in full)  # some were cut at three, then completed
