"""The window's search dock and annotate all across the project, large project vs small.

- ``search_first_page``: the first page of hits (what the dock shows after Enter): windows of
  documents searched until 200 hits are found, each with its title and context line.
- ``annotate_all``: ``EditingSession.annotate_hits`` over every whole-word hit of the query (one
  undo step, one transaction over all their documents), then its undo and its redo; compared
  per hit, since the large project has a hundred times more hits.

Both compare the generated project of 100,000 documents (10,000 with ``--quick``) with the one
of 1,000 (bench/generate.py, copied to a temporary folder); CPU seconds of this process, the
best of alternating repeats, as in bench/run.py.

    python bench/bench_search_dock.py [--quick]     # prints one JSON object
"""

from __future__ import annotations

import gc
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
for folder in (BENCH.parent, BENCH):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import generate  # noqa: E402

from annotator.session import EditingSession  # noqa: E402
from annotator.session.corpus_search import SearchQuery, all_hits, search_page  # noqa: E402
from annotator.store.project import Project  # noqa: E402

Entry = dict[str, Any]
QUERY = SearchQuery("SolarWinds")  # a word in some articles (the generator inserts brand names)
LABEL = "ORG"
PAGE_TARGET = 3.0  # the first page costs at most this many times more on the large project
PER_HIT_TARGET = 2.0  # adding (and undoing) one hit's span, large project vs small


def cpu_of(action: Callable[[], object]) -> float:
    """Return the CPU seconds of ``action``, the garbage collector paused."""
    gc.collect()
    gc.disable()
    try:
        cpu = time.process_time()
        action()
        return time.process_time() - cpu
    finally:
        gc.enable()


def measure(path: Path) -> dict[str, float]:
    """Return CPU seconds of the first page, and per hit of annotate all, its undo and redo."""
    with Project.open(path, annotator="searcher") as project:
        first = cpu_of(lambda: search_page(project, QUERY))
        hits = [h for h in all_hits(project, QUERY) if h.whole_word]
        session = EditingSession(project)
        add = cpu_of(lambda: session.annotate_hits(hits, LABEL))
        undo = cpu_of(session.undo)
        redo = cpu_of(session.redo)
        session.undo()  # the copy is as it was for the next repeat
    return {
        "first_page": first,
        "add": add / len(hits),
        "undo": undo / len(hits),
        "redo": redo / len(hits),
        "hits": len(hits),
    }


def run(quick: bool = False, repeats: int | None = None) -> dict[str, Entry]:
    """Return ``{"search_first_page": entry, "annotate_all": entry}`` in bench/run.py's shape."""
    small_n, large_n = (1_000, 10_000) if quick else (1_000, 100_000)
    repeats = repeats or 3
    runs: dict[str, list[dict[str, float]]] = {"small": [], "large": []}
    with tempfile.TemporaryDirectory(prefix="annotator-search-dock-") as tmp:
        paths = {}
        for size, count in (("small", small_n), ("large", large_n)):
            paths[size] = Path(tmp) / f"{size}.sqlite"
            shutil.copyfile(generate.ensure_project(count), paths[size])
        for _ in range(repeats):
            for size, path in paths.items():
                runs[size].append(measure(path))
    best = {size: {k: min(r[k] for r in found) for k in found[0]} for size, found in runs.items()}
    page_ratio = best["large"]["first_page"] / best["small"]["first_page"]
    hit_ratio = max(best["large"][k] / best["small"][k] for k in ("add", "undo", "redo"))
    return {
        "search_first_page": {
            "times": {size: round(best[size]["first_page"], 4) for size in best},
            "documents": {"small": small_n, "large": large_n},
            "ratio": round(page_ratio, 2),
            "target": PAGE_TARGET,
            "ok": page_ratio <= PAGE_TARGET,
        },
        "annotate_all": {
            "per_hit_ms": {
                size: {k: round(best[size][k] * 1000, 4) for k in ("add", "undo", "redo")}
                for size in best
            },
            "hits": {size: int(best[size]["hits"]) for size in best},
            "ratio": round(hit_ratio, 2),
            "target": PER_HIT_TARGET,
            "ok": hit_ratio <= PER_HIT_TARGET,
        },
    }


def main(argv: list[str]) -> None:
    """Print the results as one JSON object."""
    print(json.dumps(run(quick="--quick" in argv), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
