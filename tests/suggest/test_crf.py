"""The crf recommender: what it learns from a layer, what it proposes, what it keeps."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from crf_sentences import document, documents, parse

from annotator.errors import Cancelled, ValidationError
from annotator.model.document import Document, DocumentRecord, Span
from annotator.store import Project
from annotator.suggest.crf import CrfRecommender

HELD_OUT = [
    "قال وزير الخارجية [سيرجي لافروف|PER] إن [باريس|GPE] لن تقبل الشروط.",
    "أعلن [الكرملين|ORG] أن [بايدن|PER] سيزور [لندن|GPE] و[برلين|GPE] الأسبوع المقبل.",
    "التقى [بوتين|PER] و[لافروف|PER] في [موسكو|GPE] لبحث الأزمة.",
    "وصل الوفد إلى [جنيف|GPE] صباح اليوم.",
]


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Project, CrfRecommender]]:
    """A project of 40 training documents (gold) and a crf learned from them."""
    path = tmp_path_factory.mktemp("crf") / "p.sqlite"
    with Project.create(path, annotator="mona") as project:
        project.import_documents(documents(40))
        recommender = CrfRecommender()
        recommender.prepare(project, "gold")
        yield project, recommender


def proposed(project: Project, recommender: CrfRecommender, marked: list[str], doc_id: str):
    """Propose on a new document of ``marked`` sentences; return (texts proposed, expected)."""
    record = document(marked, doc_id)
    project.import_documents([DocumentRecord(text=record.text, id=doc_id)])
    doc = project.document(doc_id)
    found = recommender.propose(doc, [])
    got = [(doc.text[p.start : p.end], p.label) for p in found.spans]
    want = [(doc.text[s.start : s.end], s.label) for s in record.spans]
    return got, want, found


def test_proposes_the_entities_of_sentences_it_never_saw(trained) -> None:
    project, recommender = trained
    got, want, found = proposed(project, recommender, HELD_OUT, "held1")
    assert got == want
    assert got[0] == ("سيرجي لافروف", "PER")
    assert all(0.0 < p.score <= 1.0 for p in found.spans)
    assert all(p.note == f"crf {p.score:.2f}" for p in found.spans)
    assert len({p.key for p in found.spans}) == len(found.spans)


def test_an_attached_proclitic_stays_outside(trained) -> None:
    project, recommender = trained
    marked = [
        "التقى [ماكرون|PER] و[بايدن|PER] في [باريس|GPE] يوم الخميس.",
        "أعلن [الكرملين|ORG] أن [بلينكن|PER] سيزور [لندن|GPE] و[واشنطن|GPE] الأسبوع المقبل.",
        "واجتمع الوزراء ب[موسكو|GPE] مساء أمس.",
    ]
    got, want, _ = proposed(project, recommender, marked, "clitics")
    # وبايدن -> بايدن, وواشنطن -> واشنطن; بايدن, annotated whole, keeps its ب. Training never
    # split ب off a name, but موسكو was annotated: بموسكو -> موسكو.
    assert ("بايدن", "PER") in got and ("واشنطن", "GPE") in got and ("موسكو", "GPE") in got
    assert got == want


def test_a_name_never_seen_is_read_by_what_training_says_of_its_letters(trained) -> None:
    project, recommender = trained
    marked = [
        "التقى [ماكرون|PER] و[أردوغان|PER] في [أنقرة|GPE] يوم الخميس.",
        "وصل [أردوغان|PER] إلى [بغداد|GPE] قادما من [بيروت|GPE] مساء أمس.",
    ]
    got, _, _ = proposed(project, recommender, marked, "unseen")
    # Training split و off names more often than names began with it: وأردوغان is never in a
    # proposal whole. Names began with ب far more often than after it: بغداد keeps its ب.
    assert ("ماكرون", "PER") in got
    assert not any(text.startswith("و") or " و" in text for text, _ in got)
    assert ("بغداد", "GPE") in got and ("بيروت", "GPE") in got


def test_known_spans_are_not_proposed_again(trained) -> None:
    project, recommender = trained
    _, _, first = proposed(project, recommender, HELD_OUT[:1], "known")
    doc = project.document("known")
    person = next(p for p in first.spans if p.label == "PER")  # سيرجي لافروف
    place = next(p for p in first.spans if p.label == "GPE")  # باريس
    known = [
        # the person's own entity over part of the name: nothing overlapping it is proposed
        Span("k1", doc.id, person.start, person.start + 5, "PER", annotator="mona"),
        # another recommender's pending suggestion, identical: not proposed twice
        Span("k2", doc.id, place.start, place.end, "GPE", annotator="suggest:strings"),
    ]
    again = recommender.propose(doc, known)
    assert [(p.start, p.end) for p in again.spans] == []
    # a suggestion overlapping without being identical does not hide a proposal
    other = [Span("k3", doc.id, place.start, place.end, "LOC", annotator="suggest:strings")]
    assert [doc.text[p.start : p.end] for p in recommender.propose(doc, other).spans] == [
        "سيرجي لافروف",
        "باريس",
    ]


def test_a_mark_or_joiner_after_a_space_stays_outside_a_proposal(trained) -> None:
    # " \u200d" and " \u064e" are each one character (a space with a joiner, with a fatha): the
    # tokens after them start inside it, so a proposal starts after it, where the store takes it.
    _, recommender = trained
    text = "التقى بوتين و \u200dلافروف في \u064eموسكو يوم الخميس."
    found = recommender.propose(Document("marks", "", text), [])
    assert [(text[p.start : p.end], p.label) for p in found.spans] == [
        ("بوتين", "PER"),
        ("لافروف", "PER"),
        ("موسكو", "GPE"),
    ]


def small_project(path: Path) -> Project:
    """Two documents annotated in gold (16 tokens, 3 sentences), one in another layer only, one
    not annotated at all."""
    project = Project.create(path, annotator="mona")
    one, spans_one = parse("قال [لافروف|PER] إن [موسكو|GPE] و[واشنطن|GPE] تتحدثان.")
    two, spans_two = parse("وصل [بوتين|PER] إلى [جنيف|GPE]. ثم عاد.")
    three, spans_three = parse("قال [بايدن|PER] كلمة.", annotator="karim")
    project.import_documents(
        [
            DocumentRecord(text=one, id="one", spans=tuple(spans_one)),
            DocumentRecord(text=two, id="two", spans=tuple(spans_two)),
            DocumentRecord(text=three, id="three", spans=tuple(spans_three)),
            DocumentRecord(text="نص بلا تعليقات.", id="four"),
        ]
    )
    return project


def test_the_stored_model_says_what_it_was_trained_on(tmp_path: Path) -> None:
    with small_project(tmp_path / "p.sqlite") as project:
        recommender = CrfRecommender(params={"max_iterations": 20})
        recommender.prepare(project, "gold")
        stored = project.load_model("crf")
    assert stored is not None
    info = stored.info
    # قال لافروف إن موسكو و واشنطن تتحدثان . | وصل بوتين إلى جنيف . ثم عاد .
    assert (info["documents"], info["sentences"], info["tokens"]) == (2, 3, 16)
    assert info["entity_spans"] == {"GPE": 3, "PER": 2}
    assert info["labels"] == ["GPE", "PER"]
    assert info["source"] == "gold"
    assert info["project_documents"] == 4
    assert info["params"]["max_iterations"] == 20 and info["params"]["c1"] == 0.1
    assert info["feature_version"] >= 1 and info["train_seconds"] >= 0
    assert recommender.info == info
    assert "2 annotated document(s)" in recommender.describe()


def test_a_stored_model_is_reused_until_the_layer_changes(tmp_path: Path) -> None:
    with small_project(tmp_path / "p.sqlite") as project:
        steps: list[tuple[int, int]] = []
        first = CrfRecommender(params={"max_iterations": 20})
        first.prepare(project, "gold", progress=lambda d, t: steps.append((d, t)))
        assert not first.reused and steps[-1] == (20, 20)
        created = project.load_model("crf").created

        again = CrfRecommender(params={"max_iterations": 20})
        again.prepare(project, "gold")
        assert again.reused and project.load_model("crf").created == created

        forced = CrfRecommender(params={"max_iterations": 20}, retrain=True)
        forced.prepare(project, "gold")
        assert not forced.reused

        text = project.document("two").text
        project.import_documents(
            [
                DocumentRecord(
                    text=text,
                    spans=(Span("x", "", text.index("عاد"), text.index("عاد") + 3, "PER", "gold"),),
                )
            ],
            merge_annotations=True,
        )
        changed = CrfRecommender(params={"max_iterations": 20})
        changed.prepare(project, "gold")
        assert not changed.reused
        assert project.load_model("crf").info["entity_spans"] == {"GPE": 3, "PER": 3}

        # Another layer is other training data: trained again, and stored with that source.
        other = CrfRecommender(params={"max_iterations": 20})
        other.prepare(project, "karim")
        assert not other.reused and project.load_model("crf").info["source"] == "karim"


def test_cancel_during_training_stores_nothing(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.sqlite", annotator="mona") as project:
        project.import_documents(documents(30))
        steps: list[int] = []
        recommender = CrfRecommender()
        with pytest.raises(Cancelled, match="nothing was stored"):
            recommender.prepare(
                project,
                "gold",
                progress=lambda done, total: steps.append(done),
                cancelled=lambda: len(steps) >= 2,
            )
        assert 2 <= len(steps) < 100  # stopped during the iterations
        assert project.load_model("crf") is None
        with pytest.raises(ValidationError, match="after prepare"):
            recommender.propose(project.document("train000"), [])


def test_a_layer_without_entities_is_refused_saying_what_to_do(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.sqlite", annotator="mona") as project:
        text, spans = parse("قال المتحدث [إن الحوار مستمر|QUOTE].")
        project.import_documents([DocumentRecord(text=text, id="q", spans=tuple(spans))])
        with pytest.raises(ValidationError, match=r"'gold' has no entity spans .*annotate a few"):
            CrfRecommender().prepare(project, "gold")
        with pytest.raises(ValidationError, match="'nobody' has no annotations"):
            CrfRecommender().prepare(project, "nobody")
        assert project.load_model("crf") is None


def test_learning_from_chosen_documents_stores_no_model(tmp_path: Path) -> None:
    with small_project(tmp_path / "p.sqlite") as project:
        recommender = CrfRecommender(train_ids=["one", "four"], params={"max_iterations": 20})
        recommender.prepare(project, "gold")
        assert recommender.info["documents"] == 1  # "four" has no annotation
        assert recommender.info["entity_spans"] == {"GPE": 2, "PER": 1}
        assert project.load_model("crf") is None


CONLL = """قال O
(رويترز) O
إن O
موسكو B-LOC
وواشنطن B-LOC
تتحدثان O
. O

زار O
دميتري B-PERS
بيسكوف I-PERS
لندن B-LOC
. O
"""


def test_a_conll_document_keeps_its_tokens_and_its_convention(tmp_path: Path) -> None:
    from annotator.io.operations import import_paths

    sample = tmp_path / "sample.conll"
    sample.write_text(CONLL * 3, encoding="utf-8")
    with Project.create(tmp_path / "p.sqlite", annotator="mona") as project:
        import_paths(project, [sample], fmt="conll", annotator="gold", label_map={"PERS": "PER"})
        recommender = CrfRecommender(params={"max_iterations": 50})
        recommender.prepare(project, "gold")
        # 12 token lines in 2 sentences, three times; the file's «(رويترز)» is one token.
        info = recommender.info
        assert (info["documents"], info["sentences"], info["tokens"]) == (1, 6, 36)
        assert info["entity_spans"] == {"LOC": 9, "PER": 3}
        doc = next(project.documents())
        got = [(doc.text[p.start : p.end], p.label) for p in recommender.propose(doc, []).spans]
        # Tokens as a CoNLL file gives them: ولندن is one token there, never split.
        tokens = Document("x", "", "زار بيسكوف ولندن .", meta={"tokenization": "whitespace"})
        other = [tokens.text[p.start : p.end] for p in recommender.propose(tokens, []).spans]
    # The file tags وواشنطن whole, and so does a model learned from it.
    assert ("وواشنطن", "LOC") in got and ("دميتري بيسكوف", "PER") in got
    assert "لندن" not in other
