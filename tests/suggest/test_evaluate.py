"""Evaluating a recommender against a layer: the arithmetic, the folds, the holdout."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from crf_sentences import documents
from seqeval.metrics import classification_report

from annotator.errors import Cancelled, ValidationError
from annotator.model.document import Document, DocumentRecord, Relation, Span
from annotator.model.suggestions import Proposal, Proposals, ProposedLink
from annotator.store import Project
from annotator.suggest.crf import CrfRecommender
from annotator.suggest.evaluate import evaluate, splits

WORDS = ["قال", "وزير", "الخارجية", "سيرجي", "لافروف", "إن", "موسكو", "لن", "تقبل", "الشروط"]
# Each document's layer and proposals, as (label, first word, last word).
GOLD = {
    "a": [("PER", 0, 0), ("PER", 2, 3), ("GPE", 5, 5)],
    "b": [("GPE", 0, 0), ("ORG", 2, 3)],
}
PROPOSED = {
    "a": [("PER", 0, 0), ("PER", 2, 2), ("GPE", 5, 5), ("ORG", 8, 8)],  # an edge wrong, one extra
    "b": [("GPE", 0, 0), ("PER", 2, 3)],  # a label wrong
}
TEXT = " ".join(WORDS)


def offsets(first: int, last: int) -> tuple[int, int]:
    """Return the character offsets of words ``first`` to ``last`` of TEXT."""
    start = sum(len(w) + 1 for w in WORDS[:first])
    return start, start + len(" ".join(WORDS[first : last + 1]))


class Fixed:
    """A recommender proposing fixed spans and links per document, noting what it learned from."""

    name = "fixed"

    def __init__(self, proposals: dict[str, Proposals], learns: bool, log: list) -> None:
        self.proposals = proposals
        self.learns = learns
        self.log = log

    def prepare(self, project, source, *, progress=None, cancelled=None) -> None:
        self.log.append("prepare")

    def propose(self, document: Document, known: Sequence[Span]) -> Proposals:
        assert known == []
        self.log.append(document.id)
        return self.proposals.get(document.id, Proposals())


def fixed(proposals: dict[str, Proposals], learns: bool = False, log: list | None = None):
    log = [] if log is None else log
    trained: list = []

    def make(train_ids):
        trained.append(train_ids)
        return Fixed(proposals, learns, log)

    return make, trained, log


def spans_of(marks, annotator="gold") -> tuple[Span, ...]:
    return tuple(
        Span(f"s{k}", "", *offsets(first, last), label, annotator=annotator)
        for k, (label, first, last) in enumerate(marks)
    )


def proposals_of(marks) -> Proposals:
    return Proposals(
        spans=[
            Proposal(*offsets(first, last), label, key=f"p{k}")
            for k, (label, first, last) in enumerate(marks)
        ]
    )


@pytest.fixture
def hand_made(project: Project) -> Project:
    """Two documents of the same words (a's text ends with a full stop), annotated in gold."""
    project.import_documents(
        [
            DocumentRecord(text=TEXT, id="a", spans=spans_of(GOLD["a"])),
            DocumentRecord(text=TEXT + ".", id="b", spans=spans_of(GOLD["b"])),
        ]
    )
    return project


def test_scores_computed_by_hand(hand_made: Project) -> None:
    make, _, log = fixed({k: proposals_of(v) for k, v in PROPOSED.items()})
    scores = evaluate(hand_made, make, source="gold")
    assert not scores.learns and scores.documents == 2 and log == ["prepare", "a", "b"]
    rows = {r.name: r for r in scores.label_rows()}
    # PER: 2 in the layer, 3 proposed, 1 right; GPE: 2, 2, 2; ORG: 1, 1, 0.
    assert (rows["PER"].precision, rows["PER"].recall) == (pytest.approx(1 / 3), 0.5)
    assert rows["PER"].f1 == pytest.approx(0.4)
    assert (rows["GPE"].precision, rows["GPE"].recall, rows["GPE"].f1) == (1.0, 1.0, 1.0)
    assert (rows["ORG"].precision, rows["ORG"].recall, rows["ORG"].f1) == (0.0, 0.0, 0.0)
    assert [rows[k].support for k in ("PER", "GPE", "ORG")] == [2, 2, 1]
    micro, macro, weighted = rows["micro avg"], rows["macro avg"], rows["weighted avg"]
    assert (micro.precision, micro.recall, micro.f1) == pytest.approx((3 / 6, 3 / 5, 6 / 11))
    assert (macro.precision, macro.recall, macro.f1) == pytest.approx((4 / 9, 1 / 2, 7 / 15))
    assert (weighted.precision, weighted.recall, weighted.f1) == pytest.approx(
        (8 / 15, 3 / 5, 2.8 / 5)
    )
    assert micro.support == macro.support == weighted.support == 5
    table = scores.table()
    assert table[0] == ("label", "precision", "recall", "f1-score", "support")
    assert table[1] == ("GPE", "1.000", "1.000", "1.000", "2")
    assert table[3] == ("PER", "0.333", "0.500", "0.400", "2")
    assert table[4] == ("micro avg", "0.500", "0.600", "0.545", "5")
    assert "nothing to learn, scored on all 2 annotated document(s)" in scores.lines()[0]


def bio(marks, n: int) -> list[str]:
    tags = ["O"] * n
    for label, first, last in marks:
        tags[first : last + 1] = [f"B-{label}"] + [f"I-{label}"] * (last - first)
    return tags


def test_scores_equal_seqeval_on_the_same_tags(hand_made: Project) -> None:
    make, _, _ = fixed({k: proposals_of(v) for k, v in PROPOSED.items()})
    scores = evaluate(hand_made, make, source="gold")
    n = len(WORDS)
    report = classification_report(
        [bio(GOLD[d], n) for d in "ab"],
        [bio(PROPOSED[d], n) for d in "ab"],
        output_dict=True,
        zero_division=0,
    )
    for row in scores.label_rows():
        theirs = report[row.name]
        assert (row.precision, row.recall, row.f1) == pytest.approx(
            (theirs["precision"], theirs["recall"], theirs["f1-score"])
        ), row.name
        assert row.support == theirs["support"]


def test_links_count_when_type_and_both_ends_match(project: Project) -> None:
    quote, speaker, other = offsets(5, 9), offsets(3, 4), offsets(0, 0)
    gold = (
        Span("q", "", *quote, "QUOTE", annotator="gold"),
        Span("p", "", *speaker, "PER", annotator="gold"),
    )
    project.import_documents(
        [
            DocumentRecord(
                text=TEXT,
                id="a",
                spans=gold,
                relations=(Relation("r", "", "SPEAKER", "q", "p", annotator="gold"),),
            )
        ]
    )
    right = Proposals(
        spans=[Proposal(*quote, "QUOTE", key="q"), Proposal(*speaker, "PER", key="p")],
        links=[ProposedLink("SPEAKER", "q", "p")],
    )
    wrong_end = Proposals(
        spans=[Proposal(*quote, "QUOTE", key="q"), Proposal(*other, "PER", key="p")],
        links=[ProposedLink("SPEAKER", "q", "p")],
    )
    scores = evaluate(project, fixed({"a": right})[0], source="gold")
    assert [(r.name, r.precision, r.recall, r.support) for r in scores.link_rows()[:1]] == [
        ("SPEAKER", 1.0, 1.0, 1)
    ]
    scores = evaluate(project, fixed({"a": wrong_end})[0], source="gold")
    assert [(r.name, r.precision, r.recall) for r in scores.link_rows()[:1]] == [
        ("SPEAKER", 0.0, 0.0)
    ]
    assert ("link", "precision", "recall", "f1-score", "support") in scores.table()


def test_folds_are_contiguous_blocks_of_the_annotated_documents(project: Project) -> None:
    records = [
        DocumentRecord(text=f"{TEXT} {k}", id=f"d{k}", spans=spans_of(GOLD["a"])) for k in range(7)
    ]
    records.insert(3, DocumentRecord(text="نص بلا تعليقات", id="empty"))
    project.import_documents(records)
    log: list = []
    make, trained, _ = fixed({}, learns=True, log=log)
    scores = evaluate(project, make, source="gold", folds=3, labels=["PER"])
    # 7 annotated documents in 3 blocks of 3, 2, 2; "empty" is neither trained on nor scored.
    assert trained[1:] == [
        ["d3", "d4", "d5", "d6"],
        ["d0", "d1", "d2", "d5", "d6"],
        ["d0", "d1", "d2", "d3", "d4"],
    ]
    assert [d for d in log if d != "prepare"] == [f"d{k}" for k in range(7)]
    assert (scores.folds, scores.documents, scores.training_documents) == (3, 7, [4, 5, 5])
    # Nothing proposed: only the labels asked for are scored, none without them.
    # Zero division gives 0: no proposal, precision 0.
    assert [(r.name, r.support, r.precision, r.recall) for r in scores.label_rows()[:-3]] == [
        ("PER", 14, 0.0, 0.0)
    ]
    assert evaluate(project, make, source="gold", folds=3).label_rows()[:-3] == []


def test_holdout_trains_on_the_first_documents_and_scores_the_rest() -> None:
    ids = [f"d{k}" for k in range(10)]
    assert splits(ids, 5, 0.2) == [(ids[:8], ids[8:])]
    with pytest.raises(ValidationError, match="only 1 annotated"):
        splits(ids[:1], 5, 0.2)
    with pytest.raises(ValidationError, match="the layer has 3: ask for fewer folds"):
        splits(ids[:3], 5, None)


def test_crf_evaluated_with_a_holdout_on_a_project_opened_read_only(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite"
    with Project.create(path, annotator="mona") as project:
        project.import_documents(documents(20))
    steps: list[int] = []
    with Project.open(path, read_only=True) as project:
        scores = evaluate(
            project,
            lambda ids: CrfRecommender(train_ids=ids, params={"max_iterations": 50}),
            source="gold",
            holdout=0.2,
            progress=lambda done, total: steps.append(total),
        )
        assert project.load_model("crf") is None
    assert (scores.documents, scores.training_documents, scores.holdout) == (4, [16], 0.2)
    assert steps == [5] * 4  # one training and 4 documents
    rows = {r.name: r for r in scores.label_rows()}
    # 4 documents of 6 sentences: 21 GPE, 9 ORG, 21 PER, counted from the marks.
    assert {k: rows[k].support for k in ("GPE", "ORG", "PER")} == {"GPE": 21, "ORG": 9, "PER": 21}
    assert rows["micro avg"].f1 > 0.8
    assert "trained on the first 16 annotated document(s), scored on the last 4" in scores.summary()
    assert scores.as_dict()["averages"]["micro avg"]["f1"] == rows["micro avg"].f1


def test_a_cancelled_evaluation_raises(hand_made: Project) -> None:
    make, _, log = fixed({})
    with pytest.raises(Cancelled):
        evaluate(hand_made, make, source="gold", cancelled=lambda: "a" in log)
    assert log == ["prepare", "a"]


def test_quotes_is_given_the_layers_entities_and_scored_on_speakers(seeded: Project) -> None:
    """quotes finds speakers among entities: it is given them, and scored on what it adds."""
    from annotator.suggest.registry import factory

    scores = evaluate(seeded, factory("quotes"), source="example")
    labels = {row.name: row for row in scores.label_rows()}
    links = {row.name: row for row in scores.link_rows()}
    assert set(labels) - {"micro avg", "macro avg", "weighted avg"} == {"CUE", "QUOTE"}
    assert links["SPEAKER"].support == 11 and links["SPEAKER"].recall > 0.5
