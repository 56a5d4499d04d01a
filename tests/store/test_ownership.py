"""Whose annotations an edit may change: the store keeps the window's rule for every caller.

The seeded project holds the seed article with annotator "example"'s annotation, imported. Mona
opens the same file through the Project API, as a script of hers would.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from review_helpers import mona_and_sami

from annotator.errors import OwnershipError
from annotator.model.document import GOLD_ANNOTATOR, Span
from annotator.review.compare import AGREED, compare_document
from annotator.review.gold import accept
from annotator.store import DeletedSpan, Project

from conftest import SEED_ID


def dump(path: Path) -> list[str]:
    """Every row of the project file, for before/after comparisons."""
    with sqlite3.connect(path) as conn:
        return list(conn.iterdump())


@pytest.fixture
def mona(seeded: Project) -> Iterator[Project]:
    """The seeded project opened by annotator mona."""
    with Project.open(seeded.path, annotator="mona") as opened:
        yield opened


def lavrov(project: Project) -> Span:
    """The example's PER span on the caption «سيرجي لافروف»."""
    text = project.document(SEED_ID).text
    return next(
        s for s in project.spans(SEED_ID) if s.label == "PER" and s.text_in(text) == "سيرجي لافروف"
    )


def test_mona_cannot_relabel_move_or_delete_the_examples_span(mona: Project) -> None:
    theirs = lavrov(mona)
    assert theirs.annotator == "example"
    before = dump(mona.path)
    edits = [
        lambda: mona.update_span(SEED_ID, theirs.id, label="ORG"),
        lambda: mona.update_span(SEED_ID, theirs.id, start=theirs.start + 6),
        lambda: mona.update_span(SEED_ID, theirs.id, status="rejected"),
        lambda: mona.delete_span(SEED_ID, theirs.id),
        lambda: mona.delete_span(SEED_ID, theirs.id, expected=theirs),
    ]
    for attempt in edits:
        with pytest.raises(OwnershipError, match="belongs to example; mona can change only") as e:
            attempt()
        assert e.value.owner == "example"
    assert dump(mona.path) == before
    with Project.open(mona.path, read_only=True) as disk:
        assert disk.span(SEED_ID, theirs.id) == theirs


def test_mona_cannot_write_into_the_examples_layer(mona: Project) -> None:
    theirs = lavrov(mona)
    before = dump(mona.path)
    with pytest.raises(OwnershipError, match="belongs to example"):
        mona.add_span(SEED_ID, theirs.start, theirs.end, "ORG", annotator="example")
    ghost = Span("s-ghost", SEED_ID, theirs.start, theirs.end, "ORG", "example")
    with pytest.raises(OwnershipError, match="belongs to example"):
        mona.restore_span(DeletedSpan(ghost, ()))
    assert dump(mona.path) == before


def test_mona_cannot_change_the_examples_links_or_link_into_them(mona: Project) -> None:
    link = next(r for r in mona.relations(SEED_ID) if r.type == "SPEAKER")
    before = dump(mona.path)
    with pytest.raises(OwnershipError, match=r"SPEAKER link '\w+' belongs to example"):
        mona.delete_relation(SEED_ID, link.id)
    with pytest.raises(OwnershipError, match="belongs to example"):
        mona.set_relation_status(SEED_ID, link.id, "rejected")
    with pytest.raises(OwnershipError, match="belongs to example"):
        mona.add_relation(SEED_ID, "SPEAKER", link.head, link.tail, annotator="example")
    # A link of her own between the example's spans would vanish when the example deletes one.
    with pytest.raises(OwnershipError, match="belongs to example: a SPEAKER link of mona"):
        mona.add_relation(SEED_ID, "SPEAKER", link.head, link.tail)
    assert dump(mona.path) == before


def test_mona_edits_her_own_layer(mona: Project) -> None:
    theirs = lavrov(mona)
    text = mona.document(SEED_ID).text
    mine = mona.add_span(SEED_ID, theirs.start, theirs.end, "PER")
    quote = mona.add_span(SEED_ID, text.index("لا يوجد رد"), text.index("لا يوجد رد") + 10, "QUOTE")
    link = mona.add_relation(SEED_ID, "SPEAKER", quote.id, mine.id)
    assert mona.update_span(SEED_ID, mine.id, label="ORG").label == "ORG"
    deleted = mona.delete_span(SEED_ID, mine.id)
    assert deleted.relations == (link,)
    mona.restore_span(deleted)
    assert mona.relations_of(SEED_ID, mine.id) == [link]
    assert lavrov(mona) == theirs


def test_gold_is_refused_by_hand_even_to_a_user_called_gold(seeded: Project) -> None:
    theirs = lavrov(seeded)
    before = dump(seeded.path)
    with pytest.raises(OwnershipError, match="gold layer, which only review writes") as caught:
        seeded.add_span(SEED_ID, theirs.start, theirs.end, "PER", annotator=GOLD_ANNOTATOR)
    assert caught.value.owner == GOLD_ANNOTATOR
    with (
        Project.open(seeded.path, annotator=GOLD_ANNOTATOR) as gold,
        pytest.raises(OwnershipError, match="only review writes"),
    ):
        gold.add_span(SEED_ID, theirs.start, theirs.end, "PER")
    assert dump(seeded.path) == before


def test_review_writes_gold_and_only_gold(tmp_path: Path) -> None:
    review = mona_and_sami(tmp_path)
    try:
        case = next(c for c in compare_document(review, "d1", ["mona", "sami"]).cases
                    if c.kind == AGREED and c.target == "span")  # fmt: skip
        accept(review, "d1", case)
        (gold,) = review.spans("d1", [GOLD_ANNOTATOR])
        assert (gold.start, gold.end, gold.label) == (case.start, case.end, case.options[0].label)
        # By hand, outside a review decision: refused, and gold stays as review left it.
        with pytest.raises(OwnershipError, match="only review writes"):
            review.update_span("d1", gold.id, label="ORG")
        with pytest.raises(OwnershipError, match="only review writes"):
            review.delete_span("d1", gold.id)
        # Review code writes gold inside as_reviewer(); the reviewer's own layer stays theirs.
        with review.as_reviewer():
            review.update_span("d1", gold.id, status="pending")
            monas = review.spans("d1", ["mona"])[0]
            with pytest.raises(OwnershipError, match="belongs to mona; reviewer can"):
                review.delete_span("d1", monas.id)
        assert review.span("d1", gold.id).status == "pending"
        # as_reviewer() ends with its block.
        with pytest.raises(OwnershipError, match="only review writes"):
            review.update_span("d1", gold.id, status="accepted")
    finally:
        review.close()


def test_imports_still_bring_in_other_annotators_layers(seeded: Project) -> None:
    # The seeded fixture imported "example"'s work into tester's project: the import
    # pipeline credits annotations to their annotator, whoever runs it.
    assert seeded.annotator == "tester"
    assert {s.annotator for s in seeded.spans(SEED_ID)} == {"example"}
    assert len(seeded.spans(SEED_ID)) == 88
