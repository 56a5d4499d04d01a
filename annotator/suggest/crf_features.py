"""Tokens, BIO tags and features of the ``crf`` recommender (:mod:`annotator.suggest.crf`).

Tokens are the tool's own, as the token exports make them: a document read from a CoNLL file
keeps its file's tokens (``meta["tokenization"] == "whitespace"``); any other is tokenized by
:func:`annotator.model.tokens.tokenize`, and for training an attached proclitic (و ف ب ل ك ...)
is split off where a span of the training layer starts right after it
(:func:`annotator.model.tokens.split_proclitics`), so ``وواشنطن`` with a GPE on ``واشنطن`` is
``و`` + ``واشنطن`` tagged ``O B-GPE``.

At prediction no span starts are known: a :class:`Lexicon` learned with the model says where
to split (:func:`tagging_tokens`, :func:`proclitic_reading`); the module docstring of
:mod:`annotator.suggest.crf` says how.

Nothing here imports pycrfsuite: the training child (:mod:`annotator.suggest.crf_training`)
and the tagger share these functions, so a token gets the same features in both.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from annotator.model.document import Document, Span
from annotator.model.text import is_mark, search_key_text
from annotator.model.tokens import (
    PROCLITICS,
    Token,
    TokenIndex,
    sentences,
    split_proclitics,
    tokenize,
    tokenize_whitespace,
)

# Raised whenever a feature changes meaning: a stored model of another version is retrained.
FEATURE_VERSION = 1
# Longest first: وبموسكو is وب + موسكو before و + بموسكو.
_CLITICS = sorted(PROCLITICS, key=len, reverse=True)
_MIN_REST = 2  # letters left after a proclitic for the rest to be a word
_AL = "ال"
_WINDOW = (-2, -1, 1, 2)


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


def tagging_tokens(doc: Document, lexicon: Lexicon) -> list[Token]:
    """Return the tokens to tag: split after a proclitic where the rest was seen in an entity
    in training and the whole token was not (never in a token file)."""
    if is_token_file(doc):
        return tokenize_whitespace(doc.text)
    tokens = tokenize(doc.text)
    starts = []
    for tok in tokens:
        cut = proclitic_cut(tok.text, lexicon.words)
        if cut:
            starts.append(tok.start + cut)
    return split_proclitics(tokens, starts)[0] if starts else tokens


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


def split_token(tokens: list[Token], k: int, cut: int) -> list[Token]:
    """Return ``tokens`` with token ``k`` split ``cut`` code points in (indices left as they were)."""
    tok = tokens[k]
    head = Token(tok.text[:cut], tok.start, tok.start + cut, tok.i, False)
    rest = Token(tok.text[cut:], tok.start + cut, tok.end, tok.i, tok.ws)
    return [*tokens[:k], head, rest, *tokens[k + 1 :]]


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
    norms = [key(t) for t in texts]
    forms = [stripped(n) for n in norms]
    n = len(texts)
    out = []
    for i, (text, norm) in enumerate(zip(texts, norms, strict=True)):
        own = forms[i]
        feats = ["b", f"n={norm}", f"shape={shape(text)}", f"len={_length(norm)}"]
        feats += [f"s={f}" for f in own]
        feats += [f"p{k}={norm[:k]}" for k in (1, 2, 3) if len(norm) >= k]
        feats += [f"x{k}={norm[-k:]}" for k in (1, 2, 3) if len(norm) >= k]
        if _has_al(norm, own):
            feats.append("al")
        if i == 0:
            feats.append("BOS")
        if i == n - 1:
            feats.append("EOS")
        for offset in _WINDOW:
            j = i + offset
            if 0 <= j < n:
                feats.append(f"{offset}:n={norms[j]}")
                feats += [f"{offset}:s={f}" for f in forms[j]]
        out.append(feats)
    return out
