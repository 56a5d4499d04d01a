"""What a recommender proposes: spans and links of one document, before anyone accepts them.

A recommender's proposals live in a suggestion layer, ``suggest:NAME``, kept apart from every
person's layer and from gold: they reach a person's layer only when that person accepts them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

SUGGEST_PREFIX = "suggest:"


def layer_name(recommender: str) -> str:
    """Return the name of a recommender's layer (``strings`` -> ``suggest:strings``)."""
    return f"{SUGGEST_PREFIX}{recommender}"


def recommender_of(layer: str) -> str | None:
    """Return the recommender a layer name belongs to, or None for a person's layer or gold."""
    return layer[len(SUGGEST_PREFIX) :] if layer.startswith(SUGGEST_PREFIX) else None


@dataclass(frozen=True, slots=True)
class Proposal:
    """A proposed span ``[start, end)`` (code points) of one document's stored text.

    ``key`` names it among the document's proposals so links can point at it; ``note`` says
    why it is proposed (shown in the window's tooltip).
    """

    start: int
    end: int
    label: str
    attrs: Mapping[str, str] = field(default_factory=dict)
    key: str = ""
    score: float | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class ProposedLink:
    """A proposed link of ``type`` from the proposal keyed ``head`` to the one keyed ``tail``."""

    type: str
    head: str
    tail: str


@dataclass(slots=True)
class Proposals:
    """Everything a recommender proposes for one document."""

    spans: list[Proposal] = field(default_factory=list)
    links: list[ProposedLink] = field(default_factory=list)
