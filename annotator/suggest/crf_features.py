"""Tokens, BIO tags and features of the ``crf`` recommender (:mod:`annotator.suggest.crf`).

Tokens are the tool's own, as the token exports make them: a document read from a CoNLL file
keeps its file's tokens (``meta["tokenization"] == "whitespace"``); any other is tokenized by
:func:`annotator.model.tokens.tokenize`, and for training an attached proclitic (و ف ب ل ك ...)
is split off where a span of the training layer starts right after it
(:func:`annotator.model.tokens.split_proclitics`), so ``وواشنطن`` with a GPE on ``واشنطن`` is
``و`` + ``واشنطن`` tagged ``O B-GPE``.

At prediction no span starts are known: a :class:`Lexicon` learned with the model says where
to split (:func:`tagging_columns`, :func:`proclitic_reading`); the module docstring of
:mod:`annotator.suggest.crf` says how.

Nothing here imports pycrfsuite: the training child (:mod:`annotator.suggest.crf_training`)
and the tagger share these functions, so a token gets the same features in both (the tagger
is handed only those its model knows, which changes nothing: :class:`TaggerFeatures`).
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any, TypeVar

from annotator.model.document import Document, Span
from annotator.model.text import is_mark, search_key_text
from annotator.model.tokens import (
    PROCLITICS,
    Token,
    TokenColumns,
    TokenIndex,
    sentences,
    split_columns,
    split_proclitics,
    token_columns,
    tokenize,
    tokenize_whitespace,
    whitespace_columns,
)

# Raised whenever a feature changes meaning: a stored model of another version is retrained.
FEATURE_VERSION = 1
# Longest first: وبموسكو is وب + موسكو before و + بموسكو.
_CLITICS = sorted(PROCLITICS, key=len, reverse=True)
_MIN_REST = 2  # letters left after a proclitic for the rest to be a word
_AL = "ال"
_WINDOW = (-2, -1, 1, 2)
_AT = tuple(f"{offset}:" for offset in _WINDOW)  # a neighbour's feature: -2:n=...
# Distinct tokens whose features are kept (a pure function of the token's text): an article
# or a corpus repeats its words. Strings of features by token, at most some megabytes.
_CACHED_FEATURES = 4096  # features(), for training
_CACHED_TOKENS = 8192  # TaggerFeatures: what a model knows of them, fewer and as bytes
_T = TypeVar("_T", str, bytes)
# A token's own features, and those it gives the tokens it is -2, -1, +1, +2 from.
_Features = tuple[tuple[_T, ...], tuple[tuple[_T, ...], ...]]


def is_token_file(doc: Document) -> bool:
    """Return True for a document rebuilt from a token file (CoNLL): its tokens are kept."""
    return doc.meta.get("tokenization") == "whitespace"


def key(token: str) -> str:
    """Return a token's normalized form: the search key (alef forms, ى, ة folded, no tashkeel)."""
    return search_key_text(token).lower()


def training_tokens(doc: Document, layer: Sequence[Span]) -> list[Token]:
    """Return the document's tokens, split after a proclitic where a span of ``layer`` starts."""
    if is_token_file(doc):
        return tokenize_whitespace(doc.text)
    tokens, _ = split_proclitics(tokenize(doc.text), [s.start for s in layer])
    return tokens


@dataclass(slots=True)
class Lexicon:
    """What training says about proclitics: the words seen in entities, and for each proclitic
    how often an entity started after it inside a token (و + واشنطن) or with its letters (بغداد).
    """

    words: set[str] = field(default_factory=set)  # normalized tokens seen in an entity
    after: Counter[str] = field(default_factory=Counter)  # proclitic -> entities started after it
    within: Counter[str] = field(default_factory=Counter)  # proclitic -> names starting with it

    def learn(self, tokens: Sequence[Token], tags: Sequence[str]) -> None:
        """Add a training document's tokens (split as :func:`training_tokens` does) and tags."""
        for k, (tok, tag) in enumerate(zip(tokens, tags, strict=True)):
            if tag == "O":
                continue
            self.words.add(key(tok.text))
            if not tag.startswith("B-"):
                continue
            before = tokens[k - 1] if k else None
            if before is not None and before.end == tok.start and before.text in PROCLITICS:
                self.after[before.text] += 1  # split off for this span: a proclitic
            else:
                self.within.update(tok.text[:cut] for cut in clitic_cuts(tok.text, frozenset()))

    def splits(self, clitic: str) -> bool:
        """Return True when entities after ``clitic``'s letters started after it more often
        than with it in training (never when training saw neither)."""
        return self.after[clitic] > self.within[clitic]

    def as_json(self) -> dict[str, Any]:
        """Return the lexicon as JSON values (kept with the model)."""
        return {"words": sorted(self.words), "after": self.after, "within": self.within}

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> Lexicon:
        """Return the lexicon :meth:`as_json` gave."""
        return cls(set(value["words"]), Counter(value["after"]), Counter(value["within"]))


def tagging_columns(doc: Document, lexicon: Lexicon) -> TokenColumns:
    """Return the tokens to tag: split after a proclitic where the rest was seen in an entity
    in training and the whole token was not (never in a token file)."""
    if is_token_file(doc):
        return whitespace_columns(doc.text)
    columns = token_columns(doc.text)
    cuts: dict[str, int] = {}  # by token text: an article repeats its words
    starts = []
    for text, start in zip(columns.texts, columns.starts, strict=True):
        cut = cuts.get(text)
        if cut is None:
            cut = cuts[text] = proclitic_cut(text, lexicon.words)
        if cut:
            starts.append(start + cut)
    return split_columns(columns, starts)[0] if starts else columns


def sentence_ranges(doc: Document, columns: TokenColumns) -> list[range]:
    """Return the token indices of each sentence of ``columns`` (the tokens of
    :func:`tagging_columns`), grouped as :func:`sentence_tokens` groups tokens."""
    # A sentence ends where the tokenizer ends one, as annotator.model.tokens.sentences says;
    # a split token ends where it did whole, and a token file's tokens end at those ends too.
    found = token_columns(doc.text) if is_token_file(doc) else columns
    ends = {found.starts[k] + len(found.texts[k]) for k in found.breaks}
    out = []
    first = 0
    for k, (text, start) in enumerate(zip(columns.texts, columns.starts, strict=True)):
        if start + len(text) in ends:
            out.append(range(first, k + 1))
            first = k + 1
    if first < len(columns.texts):
        out.append(range(first, len(columns.texts)))
    return out


def proclitic_cut(text: str, entity_words: AbstractSet[str]) -> int:
    """Return where to split ``text`` after a proclitic because the rest was seen in an entity
    in training (and the whole token was not), or 0 to keep it whole."""
    for cut in clitic_cuts(text, entity_words):
        if key(text[cut:]) in entity_words:
            return cut
    return 0


def proclitic_reading(text: str, lexicon: Lexicon) -> int:
    """Return where an entity starting on ``text``, a token training never saw in an entity,
    starts after a proclitic by the lexicon's counts (0: with the token)."""
    for cut in clitic_cuts(text, lexicon.words):
        if lexicon.splits(text[:cut]):
            return cut
    return 0


def clitic_cuts(text: str, entity_words: AbstractSet[str]) -> list[int]:
    """Return where ``text`` could be split after a proclitic, longest proclitic first: none
    when the whole token was seen in an entity in training."""
    if entity_words and key(text) in entity_words:
        return []
    return [
        len(clitic)
        for clitic in _CLITICS
        if text.startswith(clitic)
        and len(text) - len(clitic) >= _MIN_REST
        and not is_mark(text[len(clitic)])  # a proclitic with tashkeel is not split (as exports)
    ]


def split_word(texts: list[str], starts: list[int], k: int, cut: int) -> None:
    """Split word ``k`` of a sentence's ``texts`` (starting at ``starts``) ``cut`` code points in."""
    text, start = texts[k], starts[k]
    texts[k : k + 1] = [text[:cut], text[cut:]]
    starts[k : k + 1] = [start, start + cut]


def bio_tags(
    tokens: list[Token], spans: Iterable[Span], labels: frozenset[str]
) -> tuple[list[str], list[Span], int]:
    """Return one BIO tag per token, the spans tagged, and how many were left out.

    A span is left out when an edge falls inside a token (never shifted) or when it nests in
    or overlaps one already tagged: a token carries its outermost entity, as the exports do.
    """
    index = TokenIndex(tokens)
    tags = ["O"] * len(tokens)
    used: list[Span] = []
    left_out = 0
    last = -1
    for span in sorted(
        (s for s in spans if s.label in labels), key=lambda s: (s.start, -s.end, s.id)
    ):
        found = index.span(span.start, span.end)
        if found is None or found[0] <= last:
            left_out += 1
            continue
        first, last = found
        tags[first] = f"B-{span.label}"
        tags[first + 1 : last + 1] = [f"I-{span.label}"] * (last - first)
        used.append(span)
    return tags, used, left_out


def entity_runs(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """Return ``(label, first, last)`` of each entity in BIO ``tags`` (inclusive token indices).

    As seqeval and conlleval read them: an ``I-X`` that does not follow a ``B-X`` or ``I-X``
    starts an entity of its own.
    """
    runs: list[tuple[str, int, int]] = []
    current: str | None = None
    for i, tag in enumerate(tags):
        prefix, _, label = tag.partition("-")
        if prefix == "I" and current == label:
            runs[-1] = (label, runs[-1][1], i)
        elif prefix in ("B", "I") and label:
            runs.append((label, i, i))
            current = label
        else:
            current = None
    return runs


def sentence_tokens(doc: Document, tokens: list[Token]) -> list[list[Token]]:
    """Return the tokens grouped into sentences (:func:`annotator.model.tokens.sentences`)."""
    return list(sentences(doc.text, tokens))


def stripped(norm: str) -> list[str]:
    """Return the forms of a normalized token without an attached proclitic (all readings)."""
    return [
        norm[len(c) :] for c in _CLITICS if norm.startswith(c) and len(norm) - len(c) >= _MIN_REST
    ]


def shape(token: str) -> str:
    """Return what the token is made of: arabic, digit, latin, punct, or a mix joined by +."""
    kinds = set()
    for ch in token:
        if ch.isdigit():
            kinds.add("digit")
        elif ch.isalpha():
            kinds.add("arabic" if "\u0600" <= ch <= "\u08ff" else "latin")
        elif not (is_mark(ch) or ch == "\u0640"):
            kinds.add("punct")
    return "+".join(sorted(kinds)) or "other"


def _length(norm: str) -> str:
    n = len(norm)
    return "1" if n == 1 else "2" if n == 2 else "3-4" if n <= 4 else "5-7" if n <= 7 else "8+"


def _has_al(norm: str, forms: list[str]) -> bool:
    return norm.startswith((_AL, "لل")) or any(f.startswith(_AL) for f in forms)


def features(texts: Sequence[str]) -> list[list[str]]:
    """Return the features of each token of one sentence (strings, each worth 1)."""
    return _sentence([_cached_token_features(t) for t in texts], "BOS", "EOS")


class TaggerFeatures:
    """The features a model is given to tag: those of :func:`features` it knows, as UTF-8.

    crfsuite skips an attribute its model does not know, and adds up the others' weights in
    the order given: leaving the unknown ones out, in order, changes nothing it computes, to the
    last bit. A distinct token's features are filtered and encoded once (pycrfsuite would encode
    every feature of every token, and crfsuite look each one up, at every sentence).
    """

    def __init__(self, known: AbstractSet[str] | None) -> None:
        """``known``: the attributes of the model (None: give it every feature)."""
        self.known = known
        self._tokens: dict[str, _Features[bytes]] = {}

    def sentence(self, texts: Sequence[str]) -> list[list[bytes]]:
        """Return what :func:`features` gives ``texts``, less what the model does not know."""
        tokens = self._tokens
        cached = []
        for text in texts:
            found = tokens.get(text)
            cached.append(self._token(text) if found is None else found)
        return _sentence(cached, b"BOS", b"EOS")

    def _token(self, text: str) -> _Features[bytes]:
        if len(self._tokens) >= _CACHED_TOKENS:
            self._tokens.clear()
        own, window = _token_features(text)
        found = self._tokens[text] = (
            self._kept(own, text),
            tuple(self._kept(feats, text) for feats in window),
        )
        return found

    def _kept(self, feats: tuple[str, ...], text: str) -> tuple[bytes, ...]:
        known = self.known
        if known is None:
            return tuple([f.encode() for f in feats])
        if "\0" in text:  # crfsuite looks an attribute up as a C string: up to its first NUL
            return tuple([f.encode() for f in feats if f.partition("\0")[0] in known])
        return tuple([f.encode() for f in feats if f in known])


def _sentence(cached: Sequence[_Features[_T]], bos: _T, eos: _T) -> list[list[_T]]:
    """Return each token's features from its own and its neighbours' (:func:`_token_features`)."""
    last = len(cached) - 1
    out = []
    for i, (own, _) in enumerate(cached):
        # In the order they always came: the token's own, BOS/EOS, then tokens -2, -1, +1, +2.
        feats = list(own)
        if i == 0:
            feats.append(bos)
        if i == last:
            feats.append(eos)
        if i >= 2:
            feats += cached[i - 2][1][0]
        if i >= 1:
            feats += cached[i - 1][1][1]
        if i < last:
            feats += cached[i + 1][1][2]
        if i < last - 1:
            feats += cached[i + 2][1][3]
        out.append(feats)
    return out


def _token_features(text: str) -> _Features[str]:
    """Return a token's own features, and those it gives the token it is -2, -1, +1 and +2
    from (``-2:n=...`` to the token two after it)."""
    norm = key(text)
    forms = stripped(norm)
    size = len(norm)
    own = ["b", "n=" + norm, "shape=" + shape(text), "len=" + _length(norm)]
    own += ["s=" + f for f in forms]
    # The first and last 1-3 letters, as many as it has: p1 p2 p3 x1 x2 x3.
    own += ("p1=" + norm[:1], "p2=" + norm[:2], "p3=" + norm[:3])[:size]
    own += ("x1=" + norm[-1:], "x2=" + norm[-2:], "x3=" + norm[-3:])[:size]
    if _has_al(norm, forms):
        own.append("al")
    window = tuple((at + "n=" + norm, *[at + "s=" + f for f in forms]) for at in _AT)
    return tuple(own), window


# Training (in its child process) asks for each sentence's features: the frequent words come
# back in every sentence.
_cached_token_features = functools.lru_cache(maxsize=_CACHED_FEATURES)(_token_features)
