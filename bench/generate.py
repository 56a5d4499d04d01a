"""Realistic benchmark projects: news-like Arabic articles built from the paragraphs in seeds/.

Each article is a headline and two to four body paragraphs of a seed article, shuffled, with a
dateline, tashkeel and tatweel sprinkled into some words and Latin words (agency names, brands)
inserted between others. Annotations come from the seed's example annotation: each paragraph's
spans are grouped into linked structures (a QUOTE with its SPEAKER and CUE, a CLAIM with its
CLAIMANT and CARRIED_BY quote, or a lone entity) and a structure is kept or dropped whole, so every
relation stays valid for the default schema. About 10 annotations (spans and links) per 100 words.

Usage::

    python bench/generate.py 1000 10000        # build (or reuse) cached projects, print stats

Projects are cached under bench/data/ (git-ignored), named by size, generator version and schema
version, so a changed generator or a new migration builds fresh files.
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from annotator.model.document import DocumentRecord, Relation, Span  # noqa: E402
from annotator.model.text import content_hash  # noqa: E402
from annotator.paths import SEEDS  # noqa: E402
from annotator.store.connection import known_migrations  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
GENERATOR_VERSION = 1
SIZES = (1_000, 10_000, 100_000)
# Chance to keep one linked structure: the seed is annotated densely (about 35 spans and
# links per 100 words); keeping about a third gives the ~10 per 100 words of a working project.
KEEP_STRUCTURE = 0.32
HARAKAT = ("\u064e", "\u064f", "\u0650", "\u0652", "\u0651", "\u064b", "\u064d")
TATWEEL = "\u0640"
LATIN = ("(Reuters)", "(AFP)", "(TASS)", "NATO", "Twitter", "COVID-19", "SolarWinds", "G20", "CNN")
CITIES = ("موسكو", "القاهرة", "واشنطن", "جنيف", "بيروت", "الرياض", "باريس", "لندن")
MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر")
ANNOTATORS = ("mona", "karim", "salma", "yousef")
FIRST, SECOND = "mona", "karim"  # the two annotators of the agreement projects
RELABEL = {"PER": "ORG", "ORG": "PER", "GPE": "LOC", "NORP": "GPE", "DATE": "EVENT"}
_ARABIC_LETTER = re.compile(r"[\u0621-\u063a\u0641-\u064a]")


@dataclass(frozen=True)
class Piece:
    """A paragraph of text with spans and relations whose offsets are local to it."""

    text: str
    spans: tuple[Span, ...] = ()
    relations: tuple[Relation, ...] = ()


def _structures(spans: list[Span], relations: list[Relation]) -> list[list[str]]:
    """Group span ids into connected components of the relation graph (union-find)."""
    parent = {s.id: s.id for s in spans}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for rel in relations:
        parent[find(rel.head)] = find(rel.tail)
    groups: dict[str, list[str]] = {}
    for s in spans:
        groups.setdefault(find(s.id), []).append(s.id)
    return list(groups.values())


@dataclass(frozen=True)
class SeedParagraph:
    """A seed paragraph with its annotation and that annotation's linked structures."""

    piece: Piece
    structures: tuple[tuple[str, ...], ...]


def _seed_paragraphs(path: Path) -> list[SeedParagraph]:
    """Split one example annotation into annotated paragraphs (repeated lines dropped)."""
    obj = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    text: str = obj["text"]
    lines = [m for m in re.finditer(r"[^\n]+", text)]
    counts: dict[str, int] = {}
    for m in lines:
        counts[m.group()] = counts.get(m.group(), 0) + 1
    out = []
    for m in lines:
        if counts[m.group()] > 1:  # mastheads and photo captions, not news prose
            continue
        a, b = m.span()
        spans = [
            Span(
                id=s["id"],
                doc_id="",
                start=s["start"] - a,
                end=s["end"] - a,
                label=s["label"],
                attrs=s.get("attrs") or {},
            )
            for s in obj["spans"]
            if a <= s["start"] and s["end"] <= b
        ]
        ids = {s.id for s in spans}
        rels = [
            Relation(id=r["id"], doc_id="", type=r["type"], head=r["head"], tail=r["tail"])
            for r in obj["relations"]
            if r["head"] in ids and r["tail"] in ids
        ]
        piece = Piece(m.group(), tuple(spans), tuple(rels))
        structures = tuple(tuple(g) for g in _structures(spans, rels))
        out.append(SeedParagraph(piece, structures))
    return out


def _insert(piece: Piece, at: int, extra: str, *, attach_left: bool) -> Piece:
    """Insert ``extra`` before index ``at``, moving span offsets after it.

    A combining mark belongs to the letter before it (``attach_left``): a span edge at ``at``
    moves past the mark. A Latin word goes before a space: a span ending there stays put.
    """

    def move(k: int) -> int:
        return k + len(extra) if (k >= at if attach_left else k > at) else k

    spans = tuple(replace(s, start=move(s.start), end=move(s.end)) for s in piece.spans)
    return Piece(piece.text[:at] + extra + piece.text[at:], spans, piece.relations)


def _sprinkle(piece: Piece, rng: random.Random) -> Piece:
    """Add tashkeel, the odd tatweel and Latin words at random places, keeping spans aligned."""
    edits: list[tuple[int, str, bool]] = []
    for m in re.finditer(r"\S+", piece.text):
        roll = rng.random()
        if roll < 0.06:
            letters = [x.end() for x in _ARABIC_LETTER.finditer(m.group())]
            if letters:
                edits.append((m.start() + rng.choice(letters), rng.choice(HARAKAT), True))
        elif roll < 0.07 and m.end() - m.start() > 3:
            edits.append((m.start() + 2, TATWEEL, True))
        elif roll < 0.085 and m.end() < len(piece.text):
            edits.append((m.end(), " " + rng.choice(LATIN), False))
    # From the end backwards, so earlier insertion points are still valid.
    for at, extra, attach_left in sorted(edits, reverse=True):
        piece = _insert(piece, at, extra, attach_left=attach_left)
    return piece


def _annotated(paragraph: SeedParagraph, rng: random.Random, prefix: str) -> Piece:
    """Keep a random subset of the paragraph's structures, with ids made unique by ``prefix``."""
    keep: set[str] = set()
    for group in paragraph.structures:
        if rng.random() < KEEP_STRUCTURE:
            keep.update(group)
    piece = paragraph.piece
    spans = tuple(replace(s, id=prefix + s.id) for s in piece.spans if s.id in keep)
    rels = tuple(
        replace(r, id=prefix + r.id, head=prefix + r.head, tail=prefix + r.tail)
        for r in piece.relations
        if r.head in keep and r.tail in keep
    )
    return Piece(piece.text, spans, rels)


def _dateline(rng: random.Random) -> str:
    day, month, year = rng.randint(1, 28), rng.choice(MONTHS), rng.randint(2019, 2025)
    return f"{rng.choice(CITIES)} في {day} {month} {year}"


def _article(paragraphs: list[SeedParagraph], rng: random.Random, number: int) -> DocumentRecord:
    """Build one article: headline, dateline, two to four body paragraphs."""
    chosen = rng.sample(paragraphs, k=min(len(paragraphs), rng.randint(3, 5)))
    pieces = [_sprinkle(_annotated(p, rng, f"p{k}"), rng) for k, p in enumerate(chosen)]
    pieces.insert(1, Piece(_dateline(rng)))
    text, spans, relations = "", [], []
    annotator = rng.choice(ANNOTATORS)
    status = "accepted" if rng.random() < 0.3 else "pending"
    for k, piece in enumerate(pieces):
        if k:
            text += "\n\n"
        shift = len(text)
        spans += [
            replace(s, start=s.start + shift, end=s.end + shift, annotator=annotator, status=status)
            for s in piece.spans
        ]
        relations += [replace(r, annotator=annotator, status=status) for r in piece.relations]
        text += piece.text
    return DocumentRecord(
        text=text, id=f"news{number:06d}", spans=tuple(spans), relations=tuple(relations)
    )


def seed_paragraphs() -> list[SeedParagraph]:
    """Return the annotated paragraphs of every example annotation in seeds/."""
    found = [p for path in sorted(SEEDS.glob("*.example.jsonl")) for p in _seed_paragraphs(path)]
    if not found:
        raise SystemExit(f"no *.example.jsonl seed annotations in {SEEDS}")
    return found


def generate_records(count: int, seed: int = 0) -> Iterator[DocumentRecord]:
    """Yield ``count`` distinct annotated articles, the same ones for the same ``seed``."""
    paragraphs = seed_paragraphs()
    rng = random.Random(seed)
    seen: set[str] = set()
    number = 0
    while number < count:
        record = _article(paragraphs, rng, number + 1)
        digest = content_hash(record.text)
        if digest in seen:  # the importer would skip a repeated text
            continue
        seen.add(digest)
        number += 1
        yield record


def _second_opinion(record: DocumentRecord, rng: random.Random) -> DocumentRecord:
    """Add a second annotator's work: the first one's, with spans dropped and relabeled."""
    linked = {end for r in record.relations for end in (r.head, r.tail)}
    first = [replace(s, id=f"a{s.id}", annotator=FIRST) for s in record.spans]
    second: list[Span] = []
    for span in record.spans:
        roll = rng.random()
        if roll < 0.1:
            continue  # missed by the second annotator
        label = span.label
        if roll < 0.2 and span.id not in linked and label in RELABEL:
            label = RELABEL[label]  # unlinked entities only, so every link stays valid
        second.append(replace(span, id=f"b{span.id}", label=label, annotator=SECOND))
    kept = {s.id[1:] for s in second}
    relations = [
        replace(r, id=f"a{r.id}", head=f"a{r.head}", tail=f"a{r.tail}", annotator=FIRST)
        for r in record.relations
    ]
    relations += [
        replace(r, id=f"b{r.id}", head=f"b{r.head}", tail=f"b{r.tail}", annotator=SECOND)
        for r in record.relations
        if r.head in kept and r.tail in kept
    ]
    return replace(record, spans=(*first, *second), relations=tuple(relations))


def _joined(records: list[DocumentRecord], number: int) -> DocumentRecord:
    """Concatenate articles into one long document, moving their spans along."""
    text, spans, relations = "", [], []
    for k, record in enumerate(records):
        if k:
            text += "\n\n"
        shift, prefix = len(text), f"x{k}"
        spans += [
            replace(s, id=prefix + s.id, start=s.start + shift, end=s.end + shift)
            for s in record.spans
        ]
        relations += [
            replace(r, id=prefix + r.id, head=prefix + r.head, tail=prefix + r.tail)
            for r in record.relations
        ]
        text += record.text
    return DocumentRecord(
        text=text, id=f"long{number:06d}", spans=tuple(spans), relations=tuple(relations)
    )


def agreement_records(count: int, repeat: int) -> Iterator[DocumentRecord]:
    """Yield ``count`` documents annotated by two annotators, each article ``repeat`` times.

    Repeating the same article makes a document with exactly ``repeat`` times the text, spans
    and links, so the time of the long documents against the short ones shows how the cost grows.
    """
    rng = random.Random(2)
    for number, article in enumerate(generate_records(count, seed=2), start=1):
        twice = _second_opinion(article, random.Random(rng.random()))
        yield _joined([twice] * repeat, number)


def ensure_agreement_project(count: int, repeat: int) -> Path:
    """Return a cached project of doubly annotated documents, building it first if needed."""
    from annotator.store.project import Project

    name = f"agree-{count}x{repeat}-g{GENERATOR_VERSION}-m{len(known_migrations())}"
    path = DATA / f"{name}.sqlite"
    if path.exists():
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    for leftover in DATA.glob(f"agree-{count}x{repeat}-*"):
        leftover.unlink()
    partial = path.with_name(path.name + ".partial")
    with Project.create(partial, annotator="bench", name=name) as project:
        project.import_documents(agreement_records(count, repeat))
        project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    partial.rename(path)
    return path


def project_path(count: int) -> Path:
    """Return where the cached project of ``count`` articles lives."""
    schema = len(known_migrations())
    return DATA / f"news-{count}-g{GENERATOR_VERSION}-m{schema}.sqlite"


def ensure_project(count: int) -> Path:
    """Return the cached project of ``count`` articles, building it first if needed."""
    from annotator.store.project import Project

    path = project_path(count)
    if path.exists():
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    # Files of an older generator or schema, and an interrupted build, are stale.
    for leftover in DATA.glob(f"news-{count}-*"):
        leftover.unlink()
    with Project.create(partial, annotator="bench", name=f"news-{count}") as project:
        project.import_documents(generate_records(count))
        project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    partial.rename(path)  # only a complete project gets the cache name
    return path


def stats(count: int) -> dict[str, float]:
    """Return words, spans and relations per 100 words over ``count`` generated articles."""
    words = spans = relations = 0
    for record in generate_records(count):
        words += len(record.text.split())
        spans += len(record.spans)
        relations += len(record.relations)
    return {
        "documents": count,
        "words_per_document": round(words / count, 1),
        "spans_per_100_words": round(100 * spans / words, 2),
        "relations_per_100_words": round(100 * relations / words, 2),
    }


def main(argv: list[str]) -> None:
    """Build or reuse the cached projects named on the command line and print their stats."""
    sizes = [int(a) for a in argv] or list(SIZES[:2])
    print(json.dumps(stats(min([*sizes, 1000])), ensure_ascii=False))
    for size in sizes:
        print(ensure_project(size))


if __name__ == "__main__":
    main(sys.argv[1:])
