"""Agreement numbers on small cases, each computed by hand in the comments."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from annotator.review.agreement import agreement, cohen_kappa, nominal_alpha
from annotator.store import Project

# Six words, one token each: قال(0) بايدن(1) إن(2) موسكو(3) ترفض(4) الحوار(5).
TEXT = "قال بايدن إن موسكو ترفض الحوار"
WORDS = TEXT.split(" ")


def words(first: int, last: int) -> tuple[int, int]:
    """Code-point offsets of words ``first``..``last`` (inclusive) of TEXT."""
    start = sum(len(w) + 1 for w in WORDS[:first])
    end = sum(len(w) + 1 for w in WORDS[: last + 1]) - 1
    return start, end


@pytest.fixture
def two(tmp_path: Path) -> Iterator[tuple[Project, str]]:
    with Project.create(tmp_path / "agree.sqlite", annotator="tester") as project:
        doc = project.add_document(TEXT, doc_id="d1")
        yield project, doc.id


def annotate(project: Project, doc_id: str, who: str, spans: list[tuple[int, int, str]]) -> None:
    # Each annotator writes only their own layer: open the project as them.
    with Project.open(project.path, annotator=who) as theirs:
        for first, last, label in spans:
            theirs.add_span(doc_id, *words(first, last), label)


def pair(project: Project) -> dict[str, Any]:
    result = agreement(project, ["a", "b"])
    assert len(result["pairs"]) == 1
    return result["pairs"][0]


def test_word_offsets_slice_the_arabic_words() -> None:
    start, end = words(1, 1)
    assert TEXT[start:end] == "بايدن"
    start, end = words(3, 4)
    assert TEXT[start:end] == "موسكو ترفض"


def test_identical_annotators_agree_fully(two: tuple[Project, str]) -> None:
    project, doc = two
    for who in ("a", "b"):
        annotate(project, doc, who, [(1, 1, "PER"), (3, 3, "GPE")])
    scores = pair(project)
    assert scores["span_f1_exact"] == 1.0
    assert scores["span_f1_overlap"] == 1.0
    assert scores["kappa_tokens"] == pytest.approx(1.0)
    assert scores["alpha"] == pytest.approx(1.0)
    assert scores["per_label"]["PER"]["span_f1_exact"] == 1.0


def test_no_overlap_scores_zero_f1_and_negative_chance_corrected(
    two: tuple[Project, str],
) -> None:
    # A: PER on words 0-1, B: PER on words 3-4. PER layer tags (O=0, B=1, I=2):
    #   A = 1 2 0 0 0 0, B = 0 0 0 1 2 0 -> agree on 2 of 6 tokens, po = 1/3.
    #   Both have O 4/6, B 1/6, I 1/6: pe = 16/36 + 1/36 + 1/36 = 1/2.
    #   kappa = (1/3 - 1/2) / (1 - 1/2) = -1/3.
    # Alpha: coincidences o00 = 4, o01 = o10 = o02 = o20 = 2; n0 = 8, n1 = n2 = 2, n = 12.
    #   Do = 8/12; De = (2*8*2 + 2*8*2 + 2*2*2) / (12*11) = 72/132; alpha = 1 - 11/9 = -2/9.
    project, doc = two
    annotate(project, doc, "a", [(0, 1, "PER")])
    annotate(project, doc, "b", [(3, 4, "PER")])
    scores = pair(project)
    assert scores["span_f1_exact"] == 0.0
    assert scores["span_f1_overlap"] == 0.0
    assert scores["kappa_tokens"] == pytest.approx(-1 / 3)
    assert scores["alpha"] == pytest.approx(-2 / 9)


def test_one_boundary_off(two: tuple[Project, str]) -> None:
    # A: PER words 0-1, GPE word 3. B: PER word 0 only, GPE word 3.
    # Exact: GPE matches, PER does not: F1 = 2*1 / (2 + 2) = 0.5.
    # Overlap: every span overlaps a same-label span on the other side: P = R = 1, F1 = 1.
    # Tokens, layers PER then GPE (12 items): PER A = 1 2 0 0 0 0, B = 1 0 0 0 0 0;
    #   GPE A = B = 0 0 0 1 0 0. One disagreement: po = 11/12.
    #   A: O 9, B 2, I 1; B: O 10, B 2, I 0. pe = (9*10 + 2*2 + 1*0) / 144 = 94/144.
    #   kappa = (132/144 - 94/144) / (50/144) = 38/50 = 0.76.
    # Alpha: o00 = 18, o11 = 4, o02 = o20 = 1; n0 = 19, n1 = 4, n2 = 1, n = 24.
    #   Do = 2/24; De = (2*19*4 + 2*19*1 + 2*4*1) / (24*23) = 198/552; alpha = 1 - 23/99 = 76/99.
    project, doc = two
    annotate(project, doc, "a", [(0, 1, "PER"), (3, 3, "GPE")])
    annotate(project, doc, "b", [(0, 0, "PER"), (3, 3, "GPE")])
    scores = pair(project)
    assert scores["span_f1_exact"] == 0.5
    assert scores["span_f1_overlap"] == 1.0
    assert scores["kappa_tokens"] == pytest.approx(0.76)
    assert scores["alpha"] == pytest.approx(76 / 99)
    assert scores["per_label"]["PER"]["span_f1_exact"] == 0.0
    assert scores["per_label"]["GPE"]["span_f1_exact"] == 1.0


def test_one_label_off(two: tuple[Project, str]) -> None:
    # A: PER words 0-1, ORG word 3. B: PER words 0-1, GPE word 3.
    # Exact: only PER matches: F1 = 2*1 / (2 + 2) = 0.5. Overlap: P = 1/2, R = 1/2, F1 = 0.5.
    # Tokens, layers PER, ORG, GPE (18 items): PER equal; ORG A has B at word 3, B has none;
    #   GPE the other way round. Two disagreements: po = 16/18.
    #   Each side: O 15, B 2, I 1: pe = (225 + 4 + 1) / 324 = 230/324.
    #   kappa = (288 - 230) / (324 - 230) = 58/94 = 29/47.
    # Alpha: o00 = 28, o11 = 2, o22 = 2, o01 = o10 = 2; n0 = 30, n1 = 4, n2 = 2, n = 36.
    #   Do = 4/36; De = (2*30*4 + 2*30*2 + 2*4*2) / (36*35) = 376/1260; alpha = 1 - 35/94 = 59/94.
    project, doc = two
    annotate(project, doc, "a", [(0, 1, "PER"), (3, 3, "ORG")])
    annotate(project, doc, "b", [(0, 1, "PER"), (3, 3, "GPE")])
    scores = pair(project)
    assert scores["span_f1_exact"] == 0.5
    assert scores["span_f1_overlap"] == 0.5
    assert scores["kappa_tokens"] == pytest.approx(29 / 47)
    assert scores["alpha"] == pytest.approx(59 / 94)
    assert scores["per_label"]["ORG"]["spans_a"] == 1
    assert scores["per_label"]["ORG"]["spans_b"] == 0


def test_links_match_on_type_and_both_ends(two: tuple[Project, str]) -> None:
    # A: SPEAKER quote->بايدن and CLAIMANT claim->بايدن. B: the same SPEAKER, CLAIMANT to موسكو.
    # CUE links are not counted. One of two links matches on each side: F1 = 2*1 / (2 + 2).
    project, doc = two
    for who, claimant in (("a", 1), ("b", 3)):
        with Project.open(project.path, annotator=who) as theirs:
            quote = theirs.add_span(doc, *words(4, 5), "QUOTE")
            claim = theirs.add_span(doc, *words(4, 5), "CLAIM")
            cue = theirs.add_span(doc, *words(0, 0), "CUE")
            person = theirs.add_span(doc, *words(1, 1), "PER")
            other = theirs.add_span(doc, *words(3, 3), "GPE")
            theirs.add_relation(doc, "SPEAKER", quote.id, person.id)
            theirs.add_relation(doc, "CUE", quote.id, cue.id)
            tail = person.id if claimant == 1 else other.id
            theirs.add_relation(doc, "CLAIMANT", claim.id, tail)
    scores = pair(project)
    assert scores["links_f1"] == 0.5
    assert scores["span_f1_exact"] == 1.0


def test_per_document_numbers_and_documents_one_side_left_out(
    two: tuple[Project, str],
) -> None:
    project, doc = two
    other = project.add_document("نص آخر لم يعلق عليه إلا واحد", doc_id="d2")
    annotate(project, doc, "a", [(1, 1, "PER")])
    annotate(project, doc, "b", [(1, 1, "PER")])
    with Project.open(project.path, annotator="a") as a:
        a.add_span(other.id, 0, 2, "MISC")
    scores = pair(project)
    assert scores["documents"] == 1
    assert [d["doc_id"] for d in scores["per_document"]] == ["d1"]
    assert scores["per_document"][0]["span_f1_exact"] == 1.0


def test_kappa_and_alpha_undefined_without_variation() -> None:
    import numpy as np

    same = np.zeros(5, dtype=np.int64)
    assert cohen_kappa(same, same) is None
    assert nominal_alpha([same, same]) is None


def test_three_annotators_give_three_pairs(two: tuple[Project, str]) -> None:
    project, doc = two
    for who in ("a", "b", "c"):
        annotate(project, doc, who, [(1, 1, "PER")])
    result = agreement(project)
    assert [(p["a"], p["b"]) for p in result["pairs"]] == [("a", "b"), ("a", "c"), ("b", "c")]
    assert all(p["span_f1_exact"] == 1.0 for p in result["pairs"])
