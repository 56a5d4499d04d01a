"""How the quotes recommender does on the seed article against its example annotation, and
what the strings recommender's proposing costs.

The example's own entity spans are given as what the person already has (``known``), so the
speaker rules are measured, not entity finding. QUOTE and CUE spans count by exact edges, the
SPEAKER and CUE links by the edges of both their ends.

The strings recommender proposes on an article of 5,000 words (the seed's body repeated) having
learned the example's names alone, then those and 20,000 more: its cost follows the article's
words, not how many names the project holds. CPU milliseconds, the best of five.

    python bench/suggest_quality.py [SEED.txt SEED.example.jsonl]     # prints both tables
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import orjson

from annotator.model.document import Document, Relation, Span
from annotator.model.schema import load_default_schema
from annotator.paths import SEEDS
from annotator.suggest.quality import Score, score_proposals, table
from annotator.suggest.quotes import QuotesRecommender
from annotator.suggest.strings import StringsRecommender, Tally
from annotator.suggest.words import phrase_key

SEED_TXT = SEEDS / "000_2024f0fe6e876b71.txt"
SEED_EXAMPLE = SEEDS / "000_2024f0fe6e876b71.example.jsonl"


def read_example(path: Path) -> tuple[str, list[Span], list[Relation]]:
    """Return the text, spans and relations of a one-document native JSONL annotation."""
    record = orjson.loads(path.read_bytes().splitlines()[0])
    doc_id = record["id"]
    spans = [
        Span(s["id"], doc_id, s["start"], s["end"], s["label"], record.get("annotator", ""))
        for s in record["spans"]
    ]
    relations = [
        Relation(r["id"], doc_id, r["type"], r["head"], r["tail"]) for r in record["relations"]
    ]
    return record["text"], spans, relations


def quotes_quality(text_path: Path = SEED_TXT, example: Path = SEED_EXAMPLE) -> list[Score]:
    """Score the quotes recommender on an article against its example annotation."""
    text, spans, relations = read_example(example)
    if text_path.read_text(encoding="utf-8") != text:
        raise SystemExit(f"{example} does not annotate {text_path}")
    schema = load_default_schema()
    entities = {label.id for label in schema.labels if label.kind == "entity"}
    recommender = QuotesRecommender()
    recommender.schema = schema
    known = [s for s in spans if s.label in entities]
    found = recommender.propose(Document(text_path.stem, "", text), known)
    return score_proposals(found, spans, relations)


def strings_speed(example: Path = SEED_EXAMPLE, words: int = 5_000) -> list[tuple[int, float]]:
    """Return (names learned, CPU ms of one propose) on an article of ``words`` words."""
    text, spans, _relations = read_example(example)
    body = text.split("\n\n", 3)[-1]
    article = "\n\n".join([body] * (words // len(body.split()) + 1))
    tallies: dict[tuple[str, ...], Tally] = {}
    for s in spans:
        if s.label not in ("QUOTE", "CLAIM"):
            tallies.setdefault(phrase_key(text[s.start : s.end]), Tally()).add(s.label, gold=False)
    document = Document("bench", "", article)
    rows = []
    for extra in (0, 20_000):
        more = dict(tallies)
        for n in range(extra):  # made-up names that never occur in the article
            more[(f"اسم{n}", "الثاني")] = Tally({"PER": 1})
        recommender = StringsRecommender()
        recommender.schema = load_default_schema()
        recommender.learn(more)
        best = min(_cpu(lambda r=recommender: r.propose(document, [])) for _ in range(5))
        rows.append((len(more), best * 1000))
    return rows


def _cpu(action: object) -> float:
    started = time.process_time()
    action()  # type: ignore[operator]
    return time.process_time() - started


def main(argv: list[str]) -> None:
    """Print the table for the seed article, or for the two files given, and the timings."""
    paths = [Path(a) for a in argv[:2]] if len(argv) >= 2 else [SEED_TXT, SEED_EXAMPLE]
    print(table(quotes_quality(*paths)))
    print()
    print("strings: propose on a 5,000-word article")
    for names, ms in strings_speed(paths[1]):
        print(f"  {names:>6} names learned: {ms:6.1f} ms")


if __name__ == "__main__":
    main(sys.argv[1:])
