"""The built-in recommenders by name, made on demand (crf loads python-crfsuite only when used)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib import import_module

from annotator.errors import ValidationError
from annotator.suggest.base import Recommender

# name -> (module, class, what it does)
BUILT_IN: dict[str, tuple[str, str, str]] = {
    "strings": (
        "annotator.suggest.strings",
        "StringsRecommender",
        "what the layer (or gold) annotated, proposed at its other occurrences",
    ),
    "quotes": (
        "annotator.suggest.quotes",
        "QuotesRecommender",
        "reporting verbs, quoted words and their speakers, by rules",
    ),
    "crf": (
        "annotator.suggest.crf",
        "CrfRecommender",
        "entities tagged by a CRF trained on the layer (python-crfsuite)",
    ),
}
LEARNS = {"strings": True, "quotes": False, "crf": True}  # False: nothing to learn, no folds


def names() -> list[str]:
    """Return the built-in recommenders' names."""
    return list(BUILT_IN)


def factory(name: str, **options: object) -> Callable[[Sequence[str] | None], Recommender]:
    """Return a maker of fresh ``name`` recommenders given the training document ids (or None)."""
    if name not in BUILT_IN:
        raise ValidationError(f"no recommender {name!r}: choose one of {', '.join(BUILT_IN)}")
    module, cls, _ = BUILT_IN[name]
    kind = getattr(import_module(module), cls)

    def make(train_ids: Sequence[str] | None = None) -> Recommender:
        if name in ("crf", "strings"):
            return kind(train_ids=train_ids, **options)
        return kind(**options)

    return make


def make(name: str, **options: object) -> Recommender:
    """Return a new built-in recommender ready to prepare on the whole project."""
    return factory(name, **options)(None)
