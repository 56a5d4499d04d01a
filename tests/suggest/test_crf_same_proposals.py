"""The crf recommender's features and proposals are those of the straightforward computation.

Proposing computes each distinct token's features once and tags token columns; the reference
below computes every token's features afresh, as they were first defined, over Token lists from
the tokenizer, :func:`split_proclitics` and :func:`sentences`, and hands the tagger all of them. A model trained on sentences
written for the tests must propose exactly the same spans, labels and scores either way, and
training must see exactly the same features.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from crf_sentences import documents

from annotator.model.document import Document
from annotator.model.text import is_mark, search_key_text
from annotator.model.tokens import (
    PROCLITICS,
    sentences,
    split_proclitics,
    tokenize,
    tokenize_whitespace,
)
from annotator.store import Project
from annotator.suggest import crf_features
from annotator.suggest.crf import CrfRecommender
from annotator.suggest.crf_features import FEATURE_VERSION, Lexicon, TaggerFeatures, entity_runs

CLITICS = sorted(PROCLITICS, key=len, reverse=True)


def norm(token: str) -> str:
    return search_key_text(token).lower()


def length_bucket(size: int) -> str:
    if size in (1, 2):
        return str(size)
    # An empty key (a lone tatweel) has always counted as 3-4.
    return "3-4" if size <= 4 else "5-7" if size <= 7 else "8+"


def reference_features(texts: list[str]) -> list[list[str]]:
    """Every token's features computed afresh, in the order training first gave them."""
    norms = [norm(t) for t in texts]
    forms = [
        [n[len(c) :] for c in CLITICS if n.startswith(c) and len(n) - len(c) >= 2] for n in norms
    ]
    out = []
    for i, (text, n) in enumerate(zip(texts, norms, strict=True)):
        kinds = set()
        for ch in text:
            if ch.isdigit():
                kinds.add("digit")
            elif ch.isalpha():
                kinds.add("arabic" if "\u0600" <= ch <= "\u08ff" else "latin")
            elif not (is_mark(ch) or ch == "\u0640"):
                kinds.add("punct")
        feats = [
            "b",
            f"n={n}",
            f"shape={'+'.join(sorted(kinds)) or 'other'}",
            f"len={length_bucket(len(n))}",
        ]
        feats += [f"s={f}" for f in forms[i]]
        feats += [f"p{k}={n[:k]}" for k in (1, 2, 3) if len(n) >= k]
        feats += [f"x{k}={n[-k:]}" for k in (1, 2, 3) if len(n) >= k]
        if n.startswith(("ال", "لل")) or any(f.startswith("ال") for f in forms[i]):
            feats.append("al")
        if i == 0:
            feats.append("BOS")
        if i == len(texts) - 1:
            feats.append("EOS")
        for offset in (-2, -1, 1, 2):
            if 0 <= i + offset < len(texts):
                feats.append(f"{offset}:n={norms[i + offset]}")
                feats += [f"{offset}:s={f}" for f in forms[i + offset]]
        out.append(feats)
    return out


def reference_cut(text: str, words: set[str], lexicon: Lexicon | None = None) -> int:
    """Where a token is split after a proclitic: for tagging (``lexicon`` None), or to read
    again a token tagged in an entity (by the lexicon's counts)."""
    if words and norm(text) in words:
        return 0
    for clitic in CLITICS:
        cut = len(clitic)
        if text.startswith(clitic) and len(text) - cut >= 2 and not is_mark(text[cut]):
            if lexicon is None and norm(text[cut:]) in words:
                return cut
            if lexicon is not None and lexicon.splits(clitic):
                return cut
    return 0


def reference_proposals(recommender: CrfRecommender, doc: Document) -> list[tuple]:
    """Propose as the recommender did with per-token features and Token lists (nothing known)."""
    tagger, lexicon = recommender._tagger, recommender._lexicon
    assert tagger is not None
    whole = doc.meta.get("tokenization") == "whitespace"
    if whole:
        tokens = tokenize_whitespace(doc.text)
    else:
        tokens = tokenize(doc.text)
        cuts = [t.start + c for t in tokens if (c := reference_cut(t.text, lexicon.words))]
        tokens = split_proclitics(tokens, cuts)[0]
    found = []
    for sentence in sentences(doc.text, tokens):
        texts, starts = [t.text for t in sentence], [t.start for t in sentence]
        tagger.set(reference_features(texts))
        tags = tagger.tag()
        again = (
            []
            if whole
            else [
                (k, c)
                for k, tag in enumerate(tags)
                if tag != "O" and (c := reference_cut(texts[k], lexicon.words, lexicon))
            ]
        )
        if again:
            for k, c in reversed(again):
                texts[k : k + 1] = [texts[k][:c], texts[k][c:]]
                starts[k : k + 1] = [starts[k], starts[k] + c]
            tagger.set(reference_features(texts))
            tags = tagger.tag()
            for n, (k, _) in enumerate(again):
                tags[k + n] = "O"
        for label, first, last in entity_runs(tags):
            score = min(tagger.marginal(tags[k], k) for k in range(first, last + 1))
            found.append((starts[first], starts[last] + len(texts[last]), label, round(score, 6)))
    return found


# Sentences written for this test: names with and without attached proclitics, names training
# never saw, tashkeel and tatweel, Latin, digits, a sentence without a full stop at the end, a
# one-word line, and the same sentences again (features reused from the first time).
PROPOSE = """التقى ماكرون وبايدن في باريس يوم الخميس، وقال لافروف إن موسكو ستتابع.
وصل أردوغان إلى بغداد قادما من بيروت مساء أمس. التقى ماكرون وأردوغان في أنقرة يوم الخميس. وأضاف وأردوغان أن الكرملين يتابع الموقف في باريس عن كثب.
التقى بوتين ونتنياهو في موسكو يوم الخميس. واجتمع بلافروف وبوتين في بموسكو!
قال مُوسْكو ولافـروف (AFP) إن COVID-19 انتشر في 2024 بنسبة 12.5 بالمئة؟
باريس
أعلن الكرملين أن بلينكن سيزور لندن وواشنطن الأسبوع المقبل
التقى ماكرون وبايدن في باريس يوم الخميس، وقال لافروف إن موسكو ستتابع."""


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Project, CrfRecommender]]:
    """A crf learned from 40 documents of the test sentences (gold)."""
    path: Path = tmp_path_factory.mktemp("crf_same") / "p.sqlite"
    with Project.create(path, annotator="mona") as project:
        project.import_documents(documents(40))
        recommender = CrfRecommender()
        recommender.prepare(project, "gold")
        yield project, recommender


def proposals(recommender: CrfRecommender, doc: Document) -> list[tuple]:
    found = recommender.propose(doc, []).spans
    assert all(p.note == f"crf {p.score:.2f}" for p in found)
    assert [p.key for p in found] == [f"crf{k}" for k in range(len(found))]
    return [(p.start, p.end, p.label, round(p.score, 6)) for p in found]


def test_proposals_are_those_of_per_token_features(trained) -> None:
    _, recommender = trained
    doc = Document("t", "", PROPOSE)
    got = proposals(recommender, doc)
    assert got == reference_proposals(recommender, doc)
    texts = [(PROPOSE[a:b], label) for a, b, label, _ in got]
    # The proclitic stays outside names training saw (بلافروف, بموسكو); وأردوغان, never seen,
    # is tagged in the entity, read again split, and then left out: ماكرون is proposed alone;
    # ونتنياهو, never seen either, is read again split, and نتنياهو proposed.
    assert ("لافروف", "PER") in texts and ("موسكو", "GPE") in texts
    assert texts.count(("ماكرون", "PER")) == 3
    assert not any("أردوغان" in t for t, _ in texts)
    assert ("نتنياهو", "PER") in texts
    assert ("واشنطن", "GPE") in texts and ("لافـروف", "PER") in texts  # وواشنطن, ولافـروف
    # Asked again, the recommender proposes the same (nothing kept from the first call leaks).
    assert proposals(recommender, doc) == got


def test_a_token_file_is_tagged_as_per_token_features_tag_it(trained) -> None:
    _, recommender = trained
    # Sentences end where the tokenizer ends them (after the full stop), not only at the line.
    text = "التقى ماكرون وبايدن في باريس . وصل بوتين إلى موسكو ولندن\nقال لافروف"
    doc = Document("w", "", text, meta={"tokenization": "whitespace"})
    got = proposals(recommender, doc)
    assert got == reference_proposals(recommender, doc)
    # A token file's tokens are never split: وبايدن is tagged whole, with the name before it.
    assert [text[a:b] for a, b, _, _ in got][:2] == ["ماكرون وبايدن", "باريس"]


def test_without_the_models_attributes_every_feature_is_handed_over(trained) -> None:
    _, recommender = trained
    doc = Document("t", "", PROPOSE)
    kept = recommender._features
    assert kept.known  # the model's attributes were read: the tagger gets only those
    try:
        recommender._features = TaggerFeatures(None)
        assert proposals(recommender, doc) == reference_proposals(recommender, doc)
    finally:
        recommender._features = kept


def test_the_tagger_is_handed_the_features_its_model_knows_in_order() -> None:
    texts = ["قال", "\x00", "ـ", "في", "موسكو", "."]
    known = {"b", "n=", "shape=arabic", "-1:n=في", "1:n=موسكو", "2:n=.", "x1=و", "BOS"}
    want = [
        # BOS and EOS are always handed over: crfsuite skips them when its model does not know them.
        [f.encode() for f in feats if f.partition("\x00")[0] in known or f in ("BOS", "EOS")]
        for feats in reference_features(texts)
    ]
    assert TaggerFeatures(known).sentence(texts) == want
    # The NUL token's n= is handed over: crfsuite reads it up to the NUL, as the n= it knows.
    assert want[1][:2] == [b"b", b"n=\x00"]
    # موسكو: its own b, shape and last letter, and في before it (not ـ two before: -2:n=).
    assert want[4] == [f.encode() for f in ("b", "shape=arabic", "x1=و", "-1:n=في")]
    assert want[3][-1] == b"2:n=." and b"n=" in want[2]
    every = [[f.encode() for f in feats] for feats in reference_features(texts)]
    assert TaggerFeatures(None).sentence(texts) == every


def test_training_gets_the_features_it_always_got() -> None:
    sents = [[t.text for t in s] for s in sentences(PROPOSE, tokenize(PROPOSE))]
    for record in documents(3):  # split after a proclitic where a span starts, as training is
        doc = Document("d", "", record.text)
        tokens = crf_features.training_tokens(doc, list(record.spans))
        sents += [[t.text for t in s] for s in sentences(doc.text, tokens)]
    sents += [
        ["و"],
        ["بـالـلـه", "ال"],
        ["وللأمم", "ولل", "فلل"],
        ["12", "-", "x"],
        ["ـ", "\u064e"],
        [],
    ]
    for texts in sents + sents:  # the second time, each token's features are reused
        assert crf_features.features(texts) == reference_features(texts)
    # Features unchanged: a model stored before is still reused.
    assert FEATURE_VERSION == 1
