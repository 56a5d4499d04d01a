"""Deterministic document-level train/dev/test split.

A document's part depends only on the seed and its id (a SHA-256 hash mapped to [0, 1)), so the
same seed always gives the same split, and adding documents never moves the ones already there.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from annotator.errors import InputError

PART_NAMES = ("train", "dev", "test")


@dataclass(frozen=True)
class Split:
    """Part names with their shares (summing to 1) and the seed."""

    parts: tuple[tuple[str, float], ...]
    seed: int = 0

    @classmethod
    def parse(cls, spec: str, seed: int = 0) -> Split:
        """Parse ``80,10,10`` (percent or any weights) into train/dev/test shares.

        Two or three finite, non-negative numbers, not all zero; anything else (nan, inf,
        a negative weight, a fourth part, a word) raises InputError saying what is wrong.
        """
        shown = repr(spec) if len(spec) <= 40 else repr(spec[:40] + "…")
        parts = spec.split(",")
        if not 2 <= len(parts) <= 3:
            raise InputError(
                f"--split takes 2 or 3 numbers like 80,10,10 (train,dev,test) or 90,10"
                f" (train,test), got {len(parts)} part(s) in {shown}"
            )
        weights = [_weight(part, shown) for part in parts]
        total = sum(weights)
        if total <= 0:
            raise InputError(f"--split needs a part larger than 0, got {shown}")
        names = PART_NAMES if len(weights) == 3 else ("train", "test")
        return cls(tuple((n, w / total) for n, w in zip(names, weights, strict=True)), seed)

    def part_of(self, doc_id: str) -> str:
        """Return the name of the part that ``doc_id`` belongs to."""
        digest = hashlib.sha256(f"{self.seed}\x00{doc_id}".encode()).digest()
        point = int.from_bytes(digest[:8], "big") / 2**64
        edge = 0.0
        for name, share in self.parts:
            edge += share
            if point < edge:
                return name
        return self.parts[-1][0]

    @property
    def names(self) -> list[str]:
        """Return the part names in order."""
        return [name for name, _ in self.parts]

    def counts(self, doc_ids: Iterable[str]) -> dict[str, int]:
        """Return how many of ``doc_ids`` each part gets, in part order."""
        counts = dict.fromkeys(self.names, 0)
        for doc_id in doc_ids:
            counts[self.part_of(doc_id)] += 1
        return counts

    def check(self, doc_ids: Iterable[str]) -> dict[str, int]:
        """Return each part's document count; raise InputError when a part would be empty.

        An empty part is an empty file that a training script cannot load: the export is
        refused before any file is written, naming the part and what to change.
        """
        counts = self.counts(doc_ids)
        empty = [name for name, count in counts.items() if count == 0]
        if not empty:
            return counts
        total = sum(counts.values())
        if total == 0:
            raise InputError("--split has no document to split: the selection holds none")
        shares = ",".join(f"{share * 100:.3g}" for _, share in self.parts)
        given = ", ".join(f"{name} {count}" for name, count in counts.items())
        parts = " and ".join(empty)
        fixes = [f"give {parts} a larger share", "try another --seed"]
        if total < len(counts):  # no seed or share can fill every part
            fixes = []
        if len(counts) > 2:
            fixes.append("use two parts (e.g. --split 80,20)")
        fixes.append("export without --split")
        fix = ", ".join(fixes[:-1]) + f" or {fixes[-1]}" if len(fixes) > 1 else fixes[0]
        raise InputError(
            f"--split {shares} --seed {self.seed} would leave the {parts}"
            f" part{'s' if len(empty) > 1 else ''} empty ({total} document(s): {given});"
            f" nothing was written; {fix}"
        )


def _weight(part: str, shown: str) -> float:
    """Return one weight of a --split: a finite number of 0 or more."""
    try:
        weight = float(part)
    except ValueError:
        raise InputError(f"--split takes numbers like 80,10,10, got {shown}") from None
    if not math.isfinite(weight) or weight < 0:
        raise InputError(
            f"--split takes finite numbers of 0 or more like 80,10,10, got {part.strip()!r}"
            f" in {shown}"
        )
    return weight


def part_path(out: Path, part: str) -> Path:
    """Return ``out`` with ``.part`` inserted before the suffix: news.jsonl -> news.train.jsonl."""
    if out.suffix:
        return out.with_name(f"{out.stem}.{part}{out.suffix}")
    return out.with_name(f"{out.name}.{part}")
