"""The recommenders on random Arabic news text full of awkward characters: none of them fails,
and every proposal slices the text where a reader sees a character edge.

The text mixes reporting verbs, إن / أن, names (given as the person's entity spans), quotation
marks of every kind, tashkeel, tatweel, NBSP, line breaks (CRLF as the importer stores it: LF)
and emoji sequences (zero-width-joiner families, skin tones, flags, keycaps, a joiner before a
quotation mark). A proposal's edge inside a grapheme cluster would be refused by the store
(``check_aligned``); a link to a key no proposal has would be dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from crf_sentences import documents
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.io.txt import read_text_file
from annotator.model.document import Document, Span
from annotator.model.offsets import check_aligned, is_aligned
from annotator.model.schema import load_default_schema
from annotator.model.suggestions import Proposals
from annotator.model.text import prepare_text
from annotator.store import Project
from annotator.suggest.crf import CrfRecommender
from annotator.suggest.quotes import QuotesRecommender
from annotator.suggest.strings import StringsRecommender, Tally
from annotator.suggest.words import phrase_key

from conftest import SAMPLES, SEED_TXT

ZWJ, VS16, KEYCAP, NBSP = "\u200d", "\ufe0f", "\u20e3", "\u00a0"
EMOJI = [
    "🔴",
    "🔴" + ZWJ,  # a joiner that joins nothing after it
    ZWJ,
    VS16,
    "👍🏽",
    "🏽",
    "❤" + VS16,
    "👨" + ZWJ + "👩" + ZWJ + "👧",
    "👩🏽" + ZWJ + "💻",
    "🇷🇺",
    "🇪",
    "1" + VS16 + KEYCAP,
    KEYCAP,
    "📢",
]
MARKS = ["«", "»", "“", "”", '"', "„", "‹", "›", "'", "‘", "’", "「", "」", "(", ")"]
VERBS = ["قال", "وقال", "فقال", "أضاف", "وأضاف", "أكد", "صرح", "وصرحت", "مشيرا", "يقول"]
THAT = ["إن", "أن", "بأن", "أنه", "إنها", "إلى", "على"]
# و and ب written right before a name are attached proclitics (ولافروف, بموسكو).
WORDS = ["الوزير", "المحادثات", "اليوم", "في", "وكان", "قد", "حسبما", "كما", "لـ", "مع", "و", "ب"]
MARKS_AND_SPACE = [
    "\u064e",  # fatha
    "\u064b",  # tanwin fath
    "\u0651",  # shadda
    "\u0670",
    "ـ",  # tatweel
    NBSP,
    " ",
    "  ",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\u200c",
    "\u0600",  # the Arabic number sign: it joins the character after it, a space even
]
PUNCTUATION = [".", "،", ",", ":", "؟", "!", "…", "؛", "-"]
# Names come with the label they were given, by the person or by another recommender.
NAMES = [
    ("لافروف", "PER"),
    ("سيرجي لافروف", "PER"),
    ("المتحدث باسم الكرملين", "PER"),
    ("الكرملين", "ORG"),
    ("موسكو", "GPE"),
    ("الروسي", "NORP"),
    ("لا\u064eفروف", "PER"),  # with a fatha inside
]

# One group after another at equal odds, so that the rarer awkward pieces meet often.
PIECE = st.one_of(
    [st.sampled_from(group) for group in (EMOJI, MARKS, VERBS, THAT, WORDS, PUNCTUATION, NAMES)]
    + [st.sampled_from(MARKS_AND_SPACE)] * 2
)
NOISE = st.lists(st.sampled_from(EMOJI + MARKS_AND_SPACE + MARKS), max_size=2)


def glued(piece: st.SearchStrategy) -> st.SearchStrategy:
    """A piece with, sometimes, emoji, marks or spaces written right before and after it."""
    return st.tuples(NOISE, st.lists(piece, max_size=1), NOISE).map(lambda t: t[0] + t[1] + t[2])


# A sentence that reports speech (قال الوزير لافروف: «...».), each part there or not, with
# emoji and marks glued around its parts, and the parts written apart or together.
GAP = st.sampled_from([" ", " ", "", NBSP, "\n"])
CLAUSE = st.tuples(
    *(
        st.tuples(part, GAP).map(lambda pair: [*pair[0], pair[1]])
        for part in (
            glued(st.sampled_from(NAMES)),
            glued(st.sampled_from(VERBS)),
            glued(st.sampled_from(NAMES)),
            glued(st.sampled_from(PUNCTUATION + THAT)),
            glued(st.sampled_from(MARKS)),
            st.lists(st.one_of(PIECE, st.just(" ")), max_size=6),
            glued(st.sampled_from(MARKS)),
            glued(st.sampled_from(PUNCTUATION)),
        )
    )
).map(lambda parts: [piece for part in parts for piece in part])
PIECES = st.lists(st.one_of(PIECE.map(lambda p: [p]), CLAUSE), min_size=1, max_size=12).map(
    lambda runs: [piece for run in runs for piece in run]
)


def build(pieces: list[str | tuple[str, str]]) -> tuple[str, list[Span]]:
    """Join the pieces into a text; each name becomes a known span, the person's or, every other
    one, another recommender's pending suggestion; only where the store would take it (a mark
    written right after a name moves its end inside a cluster: left out)."""
    text, spans = "", []
    for piece in pieces:
        if isinstance(piece, tuple):
            name, label = piece
            spans.append((len(text), len(text) + len(name), label))
            text += name
        else:
            text += prepare_text(piece)  # as the importer stores it: \r\n and \r become \n
    known = [
        Span(f"s{n}", "doc", a, b, label, "tester" if n % 2 else "suggest:crf")
        for n, (a, b, label) in enumerate(spans)
        if is_aligned(text, a, b)
    ]
    return text, known


def check(text: str, found: Proposals) -> None:
    """Every proposal fits the text on cluster edges, keys are distinct, links find their ends."""
    keys = [p.key for p in found.spans]
    assert len(set(keys)) == len(keys), keys
    for p in found.spans:
        assert 0 <= p.start < p.end <= len(text), p
        check_aligned(text, p.start, p.end)
        assert text[p.start : p.end].strip() == text[p.start : p.end], p
    for link in found.links:
        assert link.head in keys and link.tail in keys, link


def quotes() -> QuotesRecommender:
    recommender = QuotesRecommender()
    recommender.schema = load_default_schema()
    return recommender


def strings() -> StringsRecommender:
    """A strings recommender that knows the names and verbs the texts are made of."""
    recommender = StringsRecommender()
    recommender.schema = load_default_schema()
    tallies: dict[tuple[str, ...], Tally] = {}
    for name, label in [*NAMES, ("قال", "CUE"), ("أضاف", "CUE")]:
        tallies.setdefault(phrase_key(name), Tally()).add(label, gold=False)
    recommender.learn(tallies)
    return recommender


@pytest.fixture(scope="module")
def crf(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CrfRecommender]:
    """A crf learned from 40 documents of news sentences (gold)."""
    path = tmp_path_factory.mktemp("fuzz") / "p.sqlite"
    with Project.create(path, annotator="mona") as project:
        project.import_documents(documents(40))
        recommender = CrfRecommender(save=False)
        recommender.prepare(project, "gold")
        yield recommender


FUZZ = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(PIECES)
def test_quotes_on_random_news_text(pieces: list[str | tuple[str, str]]) -> None:
    text, known = build(pieces)
    check(text, quotes().propose(Document("doc", "", text), known))


@FUZZ
@given(PIECES)
def test_strings_on_random_news_text(pieces: list[str | tuple[str, str]]) -> None:
    text, known = build(pieces)
    check(text, strings().propose(Document("doc", "", text), known))


@FUZZ
@given(PIECES)
def test_crf_on_random_news_text(crf: CrfRecommender, pieces: list[str | tuple[str, str]]) -> None:
    text, known = build(pieces)
    check(text, crf.propose(Document("doc", "", text), known))


@pytest.mark.parametrize(
    "path", [*sorted(SAMPLES.glob("*.txt")), SEED_TXT], ids=lambda p: Path(p).name
)
def test_the_awkward_samples_and_the_seed_get_aligned_proposals(
    crf: CrfRecommender, path: Path
) -> None:
    text = read_text_file(path, "cp1256" if path.name == "cp1256.txt" else "utf-8")
    document = Document("doc", "", text)
    for recommender in (quotes(), strings(), crf):
        check(text, recommender.propose(document, []))
