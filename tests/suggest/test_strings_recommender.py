"""The strings recommender on articles written for these tests: what a person sees proposed.

Every expectation is a slice of the test's own text (text[start:end]), worked out by hand.
"""

from __future__ import annotations

import pytest

from annotator.errors import Cancelled, ValidationError
from annotator.model.document import GOLD_ANNOTATOR, Document, Span
from annotator.store import Project
from annotator.suggest.strings import StringsRecommender

# The article a person annotated: a few names, once each.
LEARNED = (
    "التقى وزير الخارجية الروسي سيرجي لافروف نظيره التركي في أنقرة. وقال لافروف إن موسكو "
    "تريد الحوار مع واشنطن."
)


def add(project: Project, doc_id: str, text: str, word: str, label: str, nth: int = 0) -> Span:
    """Annotate the ``nth`` occurrence of ``word`` in the project annotator's layer."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return project.add_span(doc_id, start, start + len(word), label)


def learned(project: Project) -> StringsRecommender:
    """A recommender prepared on LEARNED with the names annotated by "tester"."""
    doc = project.add_document(LEARNED, doc_id="learned").id
    add(project, doc, LEARNED, "سيرجي لافروف", "PER")
    add(project, doc, LEARNED, "لافروف", "PER", nth=1)
    add(project, doc, LEARNED, "موسكو", "GPE")
    add(project, doc, LEARNED, "واشنطن", "GPE")
    add(project, doc, LEARNED, "أنقرة", "GPE")
    add(project, doc, LEARNED, "قال", "CUE")
    recommender = StringsRecommender()
    recommender.prepare(project, "tester")
    return recommender


def proposed(recommender: StringsRecommender, text: str, known: list[Span] | None = None):
    """Return (text, label) of every proposal for ``text``, in order."""
    found = recommender.propose(Document("new", "", text), known or [])
    return [(text[p.start : p.end], p.label) for p in found.spans]


def test_a_name_is_proposed_elsewhere_and_proclitics_stay_outside(project: Project) -> None:
    recommender = learned(project)
    text = (
        "وصل لافروف إلى جنيف، ولافروف يرافقه وفد، وَلافروف متفائل. وفي واشنطن ووَاشنطن"
        " وبموسكو قالت مصادر."
    )
    found = recommender.propose(Document("new", "", text), [])
    got = [(text[p.start : p.end], p.label) for p in found.spans]
    assert got == [
        ("لافروف", "PER"),
        ("لافروف", "PER"),  # in ولافروف
        ("لافروف", "PER"),  # in وَلافروف: the و with its fatha left out
        ("واشنطن", "GPE"),
        ("وَاشنطن", "GPE"),  # in ووَاشنطن: the first و and nothing else is left out
        ("موسكو", "GPE"),  # in وبموسكو: وب left out
    ]
    wa, marked = found.spans[1], found.spans[2]
    assert text[wa.start - 1 : wa.end] == "ولافروف"  # the span starts right after the و
    assert text[marked.start - 2 : marked.end] == "وَلافروف"
    assert found.spans[4].start == text.index("ووَاشنطن") + 1


def test_a_word_that_starts_like_a_proclitic_is_not_split(project: Project) -> None:
    doc = project.add_document("زار زياد القاهرة.", doc_id="d").id
    project.add_span(doc, 4, 8, "PER")  # زياد
    recommender = StringsRecommender()
    recommender.prepare(project, "tester")
    # وزير is not و + a known name; وزياد is; بزيادة is not a whole-word زياد.
    assert proposed(recommender, "قال وزير الخارجية إن وزياد وبزيادة غادرا.") == [("زياد", "PER")]


def test_the_longest_name_wins_and_matches_do_not_overlap(project: Project) -> None:
    recommender = learned(project)
    text = "صرح سيرجي لافروف أمس، ثم عاد لافروف فقال لسيرجي شويغو."
    assert proposed(recommender, text) == [
        ("سيرجي لافروف", "PER"),
        ("لافروف", "PER"),
        ("قال", "CUE"),  # in فقال
    ]


def test_a_longer_name_with_the_same_first_word_wins(project: Project) -> None:
    text = "رحب سيرجي بالضيوف، ثم تحدث سيرجي لافروف."
    doc = project.add_document(text, doc_id="d").id
    add(project, doc, text, "سيرجي", "PER")  # the short name is learned first
    add(project, doc, text, "سيرجي لافروف", "PER")
    recommender = StringsRecommender()
    recommender.prepare(project, "tester")
    assert proposed(recommender, "وقال سيرجي لافروف ثم سيرجي وحده.") == [
        ("سيرجي لافروف", "PER"),
        ("سيرجي", "PER"),
    ]


def test_only_whole_words_and_never_a_split_article(project: Project) -> None:
    doc = project.add_document("دعا إلى حوار جاد ثم إلى الحوار الوطني.", doc_id="d").id
    text = project.document(doc).text
    add(project, doc, text, "حوار", "EVENT")
    recommender = StringsRecommender()
    recommender.prepare(project, "tester")
    # لافروفي is another word; بالحوار is ب + ال + حوار and ال belongs to the word.
    assert proposed(recommender, "رحب بالحوار والحوار، وحوار آخر.") == [("حوار", "EVENT")]
    project.add_span(doc, text.index("الحوار"), text.index("الحوار") + 6, "EVENT")
    recommender.prepare(project, "tester")
    got = proposed(recommender, "رحب بالحوار والحوار، وحوار آخر.")
    assert got == [("الحوار", "EVENT"), ("الحوار", "EVENT"), ("حوار", "EVENT")]


def test_whole_words_only(project: Project) -> None:
    recommender = learned(project)
    assert proposed(recommender, "المدرسة اللافروفية وأسلوب لافروفي معروفان.") == []


def test_alef_forms_ta_marbuta_and_tashkeel_are_ignored(project: Project) -> None:
    doc = project.add_document("وصل الوفد إلى أنقرة والقاهرة.", doc_id="d").id
    text = project.document(doc).text
    add(project, doc, text, "أنقرة", "GPE")
    add(project, doc, text, "القاهرة", "GPE")
    recommender = StringsRecommender()
    recommender.prepare(project, "tester")
    text = "من انقره إلى القاهره ثم إلى أَنْقَرَةَ."
    found = recommender.propose(Document("new", "", text), [])
    got = [text[p.start : p.end] for p in found.spans]
    assert got == ["انقره", "القاهره", "أَنْقَرَةَ"]
    # The span ends after the last letter's mark: no edge between a letter and its tashkeel.
    assert found.spans[2].end == text.index("أَنْقَرَةَ") + len("أَنْقَرَةَ")


def test_the_majority_label_wins_and_the_note_says_so(project: Project) -> None:
    text = "موسكو ترد. موسكو تعلن. موسكو تنفي. بايدن وترامب. ترامب وبايدن."
    doc = project.add_document(text, doc_id="d").id
    add(project, doc, text, "موسكو", "GPE", nth=0)
    add(project, doc, text, "موسكو", "ORG", nth=1)
    add(project, doc, text, "موسكو", "GPE", nth=2)
    add(project, doc, text, "بايدن", "PER", nth=0)  # a tie: PER seen first
    add(project, doc, text, "بايدن", "ORG", nth=1)
    with project.as_reviewer():
        start = text.index("موسكو")
        project.add_span(doc, start, start + 5, "GPE", annotator=GOLD_ANNOTATOR)
    recommender = StringsRecommender()
    recommender.prepare(project, "tester")
    found = recommender.propose(Document("new", "", "قالت موسكو إن بايدن اتصل."), [])
    moscow, biden = found.spans
    assert moscow.label == "GPE"
    assert moscow.note == "annotated as GPE 3 times (gold 1), as ORG 1 time"
    assert biden.label == "PER"
    assert biden.note == "annotated as PER 1 time, as ORG 1 time; a tie: PER was seen first"


def test_what_is_there_already_is_not_proposed_again(project: Project) -> None:
    recommender = learned(project)
    text = "قال سيرجي لافروف إن موسكو ترد على واشنطن وأنقرة."

    def at(word: str, label: str, annotator: str) -> Span:
        start = text.index(word)
        return Span("k", "new", start, start + len(word), label, annotator)

    known = [
        at("موسكو", "GPE", "suggest:crf"),  # the same place and label: passed over
        at("لافروف", "PER", "tester"),  # the person's own entity: nothing may overlap it
        at("واشنطن", "ORG", "tester"),  # the person gave it another label: left alone
        at("أنقرة", "ORG", "suggest:crf"),  # another recommender's guess does not block
    ]
    assert proposed(recommender, text, known) == [("قال", "CUE"), ("أنقرة", "GPE")]


def test_a_name_is_not_proposed_across_a_line_break(project: Project) -> None:
    recommender = learned(project)
    assert proposed(recommender, "سيرجي\nلافروف") == [("لافروف", "PER")]


def test_prepare_reports_progress_per_document_and_can_be_cancelled(project: Project) -> None:
    for n in range(3):
        project.add_document(f"نص رقم {n} عن موسكو.", doc_id=f"d{n}")
    project.add_span("d0", 12, 17, "GPE")  # موسكو
    steps: list[tuple[int, int]] = []
    StringsRecommender().prepare(project, "tester", progress=lambda d, t: steps.append((d, t)))
    assert steps == [(1, 3), (2, 3), (3, 3)]
    asked: list[int] = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) == 2  # stop before the second document

    recommender = StringsRecommender()
    with pytest.raises(Cancelled):
        recommender.prepare(project, "tester", cancelled=cancelled)
    assert recommender.by_first == {}  # nothing half learned


def test_an_empty_layer_is_refused_saying_what_to_do(project: Project) -> None:
    project.add_document("نص عن موسكو.", doc_id="d0")
    with pytest.raises(ValidationError, match="annotate a few names in the layer 'tester' first"):
        StringsRecommender().prepare(project, "tester")


def test_learning_from_chosen_documents_only(project: Project) -> None:
    """An evaluation fold learns from its training documents, never from those it is scored on."""
    for n in range(2):
        project.add_document(f"نص رقم {n} عن موسكو.", doc_id=f"d{n}")
    project.add_span("d1", 12, 17, "GPE")
    with pytest.raises(ValidationError):
        StringsRecommender(train_ids=["d0"]).prepare(project, "tester")
    recommender = StringsRecommender(train_ids=["d1"])
    recommender.prepare(project, "tester")
    assert list(recommender.by_first) == ["موسكو"]


def test_a_long_article_is_walked_once(project: Project) -> None:
    """Proposals in a long article are those of its paragraphs, each found once."""
    recommender = learned(project)
    paragraph = "وقال لافروف إن موسكو لن ترد على واشنطن. "
    text = paragraph * 500
    found = recommender.propose(Document("new", "", text), [])
    assert len(found.spans) == 4 * 500
    assert {text[p.start : p.end] for p in found.spans} == {"قال", "لافروف", "موسكو", "واشنطن"}
