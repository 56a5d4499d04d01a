"""The ``crf`` recommender: entities learned from a layer with a linear-chain CRF (pycrfsuite).

It learns the entity labels of the schema (kind ``entity``) as BIO tags over the tool's own
tokens (:mod:`annotator.suggest.crf_features`), from the documents of the training layer that
hold at least one of its spans (the others are not taken as "no entity here"). Features of a
token: its normalized form (the search key: alef forms, ى, ة folded, tashkeel dropped), its forms
without an attached proclitic, its first and last 1-3 letters, its shape (Arabic letters,
digits, Latin, punctuation), whether it has ال, a length bucket, the normalized and stripped forms
of the tokens two before to two after, and the sentence's start and end.

Training: pycrfsuite's L-BFGS with ``c1=0.1`` (L1: most feature weights become zero, so the
stored model stays small), ``c2=0.1`` (L2), at most 100 iterations, and transitions between
every pair of tags (``feature.possible_transitions``); the values of sklearn-crfsuite's CoNLL
tutorial, and crfsuite's own defaults are ``c1=0``, ``c2=1``. It runs in a child process that
Cancel stops at once (:mod:`annotator.suggest.crf_training`). The model is kept in the project
(``project.save_model``) with what it was learned from, and used again while the training data
is the same (same documents, texts and spans of the layer, same parameters and features).

Proclitics: a span of the layer that starts after an attached و ف ب ل ك (``واشنطن`` in
``وواشنطن``) splits that token for training, as the token exports do. Proposing, nothing says
where spans start, so the model keeps a lexicon learned with it (``crf_features.Lexicon``):

1. A token is offered to the tagger split after a proclitic when what follows was seen in an
   entity in training and the whole token was not: ``ولافروف`` is ``و`` + ``لافروف`` once
   ``لافروف`` was annotated, and the proposal is ``لافروف``; ``بريطانيا``, annotated whole, stays
   whole.
2. A token the tagger puts in an entity that training saw in neither form (``وأردوغان``) is read
   split when, in training, entities after that proclitic's letters started after it
   (``و`` + ``واشنطن``) more often than with them (``واشنطن``, ``وليد``); the sentence is then
   tagged again with the token split and the proclitic left outside. A name that starts with
   such letters is kept whole where training says they usually begin names (ب: بغداد, بيروت).

So a proposal never starts with, or holds, an attached proclitic the training layer leaves
outside. A model learned from whole-token data (a CoNLL import such as ANERcorp, where
``وواشنطن`` is tagged ``B-LOC``) never saw a split, and proposes as that data is tagged.
"""

from __future__ import annotations

import hashlib
import os
import struct
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
import pycrfsuite

from annotator.errors import Cancelled, ValidationError
from annotator.model.document import GOLD_ANNOTATOR, Document, Span
from annotator.model.suggestions import SUGGEST_PREFIX, Proposal, Proposals
from annotator.store import Project
from annotator.suggest import crf_training
from annotator.suggest.crf_features import (
    FEATURE_VERSION,
    Lexicon,
    TaggerFeatures,
    bio_tags,
    entity_runs,
    is_token_file,
    proclitic_reading,
    sentence_ranges,
    sentence_tokens,
    split_word,
    tagging_columns,
    training_tokens,
)
from annotator.suggest.words import inside_clusters

DEFAULT_PARAMS: dict[str, Any] = {
    "c1": 0.1,
    "c2": 0.1,
    "max_iterations": 100,
    "feature.possible_transitions": True,
}
_MAGIC = b"annotator-crf\x00"
_HEADER = struct.Struct(">I")


@dataclass(slots=True)
class TrainingData:
    """What the training layer gives: sentences with BIO tags, and counts for the model's info."""

    sentences: list[tuple[list[str], list[str]]] = field(default_factory=list)
    documents: int = 0
    tokens: int = 0
    spans: Counter[str] = field(default_factory=Counter)
    left_out: int = 0  # entity spans that do not fit the tokens, or nest in another
    lexicon: Lexicon = field(default_factory=Lexicon)  # where proclitics are split off
    fingerprint: str = ""


class CrfRecommender:
    """Proposes entities with a CRF learned from one layer of the project."""

    name = "crf"
    learns = True  # evaluation trains it on some documents and scores the others

    def __init__(
        self,
        train_ids: Sequence[str] | None = None,
        params: Mapping[str, Any] | None = None,
        model_name: str = "crf",
        *,
        retrain: bool = False,
        save: bool | None = None,
    ) -> None:
        """``train_ids``: learn from these documents only; ``retrain``: never reuse a stored
        model; ``save``: reuse and store the model under ``model_name`` (by default only when
        learning from the whole project: a model of some documents, an evaluation fold's, is
        neither stored nor reused, so evaluating works on a project opened read-only)."""
        self.train_ids = None if train_ids is None else list(train_ids)
        self.params = {**DEFAULT_PARAMS, **(params or {})}
        self.model_name = model_name
        self.retrain = retrain
        self.save = train_ids is None if save is None else save
        self.info: dict[str, Any] = {}
        self.reused = False
        self.labels: list[str] = []
        self._tagger: pycrfsuite.Tagger | None = None
        self._features = TaggerFeatures(None)
        self._lexicon = Lexicon()
        self._entity_labels: frozenset[str] = frozenset()

    def prepare(
        self,
        project: Project,
        source: str,
        *,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> None:
        """Learn from the ``source`` layer, or reuse the stored model learned from the same data."""
        entity_labels = frozenset(
            label.id for label in project.schema.labels if label.kind == "entity"
        )
        self._entity_labels = entity_labels
        data = read_training(project, source, entity_labels, self.train_ids, self.params, cancelled)
        _check_learnable(data, source, entity_labels, self.train_ids is not None)
        stored = project.load_model(self.model_name) if self.save and not self.retrain else None
        if stored is not None and _same_training(stored.info, source, data.fingerprint):
            self._load(stored.data)
            self.info, self.reused = dict(stored.info), True
            if progress is not None:
                progress(1, 1)
            return
        started = time.perf_counter()
        trained = crf_training.train(
            data.sentences, self.params, progress=progress, cancelled=cancelled
        )
        info = _info(data, source, self.params, project.document_count())
        info.update(
            train_seconds=round(time.perf_counter() - started, 3),
            iterations=trained.iterations,
            train_ids=None if self.train_ids is None else len(self.train_ids),
        )
        packed = pack(trained.data, data.lexicon)
        if cancelled is not None and cancelled():  # asked while the model was being read
            raise Cancelled("training the crf model was cancelled: nothing was stored")
        if self.save:
            project.save_model(self.model_name, packed, info)
        self._load(packed)
        self.info, self.reused = info, False

    def describe(self) -> str:
        """Return one line saying what the model was learned from (after :meth:`prepare`)."""
        i = self.info
        spans = ", ".join(f"{label} {n}" for label, n in i.get("entity_spans", {}).items())
        how = "reused the stored model" if self.reused else f"trained in {i.get('train_seconds')} s"
        return (
            f"crf: learned from {i.get('source')}: {i.get('documents')} annotated document(s),"
            f" {i.get('sentences')} sentence(s), {i.get('tokens')} token(s), entities {spans};"
            f" {how}"
        )

    def _load(self, packed: bytes) -> None:
        model, lexicon = unpack(packed)
        tagger = pycrfsuite.Tagger()
        # pycrfsuite opens a model by file name; crfsuite reads the whole file at open, so the
        # file can go at once.
        handle, path = tempfile.mkstemp(prefix="annotator-crf-", suffix=".crfsuite")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(model)
            tagger.open(path)
        finally:
            os.unlink(path)
        self._tagger = tagger
        self._features = TaggerFeatures(_attributes(tagger))
        self._lexicon = lexicon
        self.labels = sorted({tag[2:] for tag in tagger.labels() if tag != "O"})

    def propose(self, document: Document, known: Sequence[Span]) -> Proposals:
        """Tag each sentence of ``document``; propose its entities not already there."""
        tagger = self._tagger
        if tagger is None:
            raise ValidationError("the crf recommender proposes only after prepare()")
        # Token columns, not Token objects: a long article has thousands of tokens.
        columns = tagging_columns(document, self._lexicon)
        same = {(s.start, s.end, s.label) for s in known}
        own = [s for s in known if not s.annotator.startswith(SUGGEST_PREFIX)]
        found: list[Proposal] = []
        whole = is_token_file(document)
        for sentence in sentence_ranges(document, columns):
            texts = columns.texts[sentence.start : sentence.stop]
            starts = columns.starts[sentence.start : sentence.stop]
            tags = self._read(tagger, texts, starts, whole)
            for label, first, last in entity_runs(tags):
                # A token may start inside a cluster (a joiner or tashkeel after a space
                # belongs to the space): the store refuses such an edge, so it moves in.
                edges = inside_clusters(
                    document.text, starts[first], starts[last] + len(texts[last])
                )
                if edges is None:
                    continue
                start, end = edges
                if (start, end, label) in same or _overlaps_own(
                    own, start, end, self._entity_labels
                ):
                    continue
                # The weakest token's marginal: an upper bound of the probability of the
                # span's tags together, and equal to it for a one-token span.
                score = min(tagger.marginal(tags[k], k) for k in range(first, last + 1))
                found.append(
                    Proposal(
                        start,
                        end,
                        label,
                        key=f"crf{len(found)}",
                        score=score,
                        note=f"crf {score:.2f}",
                    )
                )
        return Proposals(spans=found)

    def _read(
        self, tagger: pycrfsuite.Tagger, texts: list[str], starts: list[int], whole: bool
    ) -> list[str]:
        """Tag a sentence (its tokens' ``texts`` and ``starts``); read a token the tagger put in
        an entity, one never seen in an entity, as proclitic + rest when training says so
        (:func:`proclitic_reading`), and tag that: ``texts`` and ``starts`` are split in place.

        The tagger is left set on the reading returned (for its marginals).
        """
        tagger.set(self._features.sentence(texts))
        tags = tagger.tag()
        if whole:
            return tags
        cuts = [
            (k, cut)
            for k, tag in enumerate(tags)
            if tag != "O" and (cut := proclitic_reading(texts[k], self._lexicon))
        ]
        if not cuts:
            return tags
        for k, cut in reversed(cuts):  # from the end: a split shifts what follows
            split_word(texts, starts, k, cut)
        tagger.set(self._features.sentence(texts))
        tags = tagger.tag()
        for n, (k, _) in enumerate(cuts):
            tags[k + n] = "O"  # the proclitic stays outside, whatever the tagger reads
        return tags


def _attributes(tagger: pycrfsuite.Tagger) -> frozenset[str] | None:
    """Return the attributes the model knows, or None when its dump does not list them all."""
    try:
        info = tagger.info()  # pycrfsuite parses crfsuite's text dump of the model
    except (AttributeError, AssertionError, ValueError, OSError):  # a dump it could not read
        return None  # every feature is then handed to crfsuite, which skips the unknown ones
    attributes = frozenset(info.attributes)
    return attributes if str(len(attributes)) == info.header.get("num_attrs") else None


def _overlaps_own(own: Sequence[Span], start: int, end: int, labels: frozenset[str]) -> bool:
    """Return True when an entity of the person's own layer overlaps ``[start, end)``."""
    return any(s.start < end and start < s.end and s.label in labels for s in own)


def read_training(
    project: Project,
    source: str,
    labels: frozenset[str],
    ids: Sequence[str] | None,
    params: Mapping[str, Any],
    cancelled: Callable[[], bool] | None = None,
) -> TrainingData:
    """Read the ``source`` layer's annotated documents (of ``ids``, else all) into sentences."""
    data = TrainingData()
    digest = hashlib.sha256(
        orjson.dumps([FEATURE_VERSION, source, sorted(labels), params], option=orjson.OPT_SORT_KEYS)
    )
    with project.snapshot():
        for doc in project.documents(ids):
            if cancelled is not None and cancelled():
                raise Cancelled("training the crf model was cancelled: nothing was stored")
            layer = project.spans(doc.id, [source])
            if layer:
                _add_document(data, doc, layer, labels)
                digest.update(
                    orjson.dumps([doc.id, doc.text, [(s.start, s.end, s.label) for s in layer]])
                )
    data.fingerprint = digest.hexdigest()
    return data


def _add_document(
    data: TrainingData, doc: Document, layer: list[Span], labels: frozenset[str]
) -> None:
    tokens = training_tokens(doc, layer)
    tags, used, left_out = bio_tags(tokens, layer, labels)
    data.documents += 1
    data.tokens += len(tokens)
    data.left_out += left_out
    data.spans.update(s.label for s in used)
    data.lexicon.learn(tokens, tags)
    for sentence in sentence_tokens(doc, tokens):
        first = sentence[0].i
        data.sentences.append(([t.text for t in sentence], tags[first : first + len(sentence)]))


def _check_learnable(data: TrainingData, source: str, labels: frozenset[str], chosen: bool) -> None:
    """Refuse a layer with nothing to learn, saying which and what to do."""
    where = "the chosen documents" if chosen else "the project"
    elsewhere = "another layer" if source == GOLD_ANNOTATOR else "another layer or gold"
    todo = (
        f"annotate a few entities in the layer {source!r} first, or learn from {elsewhere} (--from)"
    )
    if not data.documents:
        raise ValidationError(f"nothing to learn: {source!r} has no annotations in {where}; {todo}")
    if not sum(data.spans.values()):
        raise ValidationError(
            f"nothing to learn: {source!r} has no entity spans ({', '.join(sorted(labels))})"
            f" that fit the tokens in its {data.documents} annotated document(s)"
            f"{' among the chosen documents' if chosen else ''}; {todo}"
        )


def _same_training(info: Mapping[str, Any], source: str, fingerprint: str) -> bool:
    return (
        info.get("source") == source
        and info.get("fingerprint") == fingerprint
        and info.get("feature_version") == FEATURE_VERSION
    )


def _info(
    data: TrainingData, source: str, params: Mapping[str, Any], project_documents: int
) -> dict[str, Any]:
    return {
        "recommender": "crf",
        "source": source,
        "documents": data.documents,
        "sentences": len(data.sentences),
        "tokens": data.tokens,
        "entity_spans": dict(sorted(data.spans.items())),
        "spans_left_out": data.left_out,
        "labels": sorted(data.spans),
        "params": dict(params),
        "feature_version": FEATURE_VERSION,
        "project_documents": project_documents,
        "fingerprint": data.fingerprint,
    }


def pack(model: bytes, lexicon: Lexicon) -> bytes:
    """Return what the project keeps: a header (the lexicon that splits proclitics), the model."""
    header = orjson.dumps({"feature_version": FEATURE_VERSION, "lexicon": lexicon.as_json()})
    return _MAGIC + _HEADER.pack(len(header)) + header + model


def unpack(data: bytes) -> tuple[bytes, Lexicon]:
    """Return the crfsuite model and the lexicon of a packed model."""
    if not data.startswith(_MAGIC) or len(data) < len(_MAGIC) + _HEADER.size:
        raise ValidationError("the stored crf model is not one this version reads: retrain it")
    at = len(_MAGIC)
    (size,) = _HEADER.unpack_from(data, at)
    at += _HEADER.size
    header = orjson.loads(data[at : at + size])
    return data[at + size :], Lexicon.from_json(header["lexicon"])
