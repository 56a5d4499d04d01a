"""Document list benchmarks in the window: filtering the list and Document > Next, large vs small.

- ``list_filter``: choosing a filter in the filter bar until the list shows its first page
  (the model reset, one page read by key, the table laid out and painted), for each of six
  filters (statuses, annotator, label, label by annotator, open review cases, a combination).
  The count that follows in slices between events is timed apart (``count_*``, not judged: it
  looks at every document), and so is the text filter (``text_*``, corpus search included).
- ``list_next``: Document > Next document and Next not done, 20 steps each with a filter on,
  from the middle of the project: the neighbour query, opening the article, the list's
  selection, painted.

Both compare the generated project of 100,000 documents (10,000 with ``--quick``) with the one
of 1,000, copied with a realistic mix of statuses (a third done, a fifth in progress) and review
statuses; CPU seconds of this process, the best of alternating repeats, as in bench/run.py.

    python bench/bench_navigation.py [--quick]     # prints one JSON object
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
BENCH = Path(__file__).resolve().parent
for folder in (BENCH.parent, BENCH):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import generate  # noqa: E402
from PySide6.QtCore import QCoreApplication, QEvent, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.gui import preferences  # noqa: E402
from annotator.gui.main_window import MainWindow  # noqa: E402
from annotator.store.listing import DocumentFilter  # noqa: E402

Entry = dict[str, Any]
STEPS = 20  # Next presses per measurement
FILTERS: dict[str, DocumentFilter] = {
    "not_done": DocumentFilter(statuses=frozenset({"not_started", "in_progress"})),
    "annotator": DocumentFilter(annotator="mona"),
    "label": DocumentFilter(label="EVENT"),
    "label_by": DocumentFilter(label="CLAIM", annotator="karim"),
    "open_review": DocumentFilter(open_review=True),
    "done_by": DocumentFilter(statuses=frozenset({"done"}), annotator="salma"),
}
NEXT_FILTER = DocumentFilter(statuses=frozenset({"not_started", "in_progress"}), annotator="mona")
TEXT = "SolarWinds"  # a word in some articles (the generator inserts brand names)


def working_copy(count: int, folder: Path) -> Path:
    """Copy the generated project of ``count`` documents and give it statuses and reviews."""
    target = folder / f"nav-{count}.sqlite"
    shutil.copyfile(generate.ensure_project(count), target)
    conn = sqlite3.connect(target)
    with conn:
        conn.execute("UPDATE documents SET status = 'done' WHERE position % 3 = 0")
        conn.execute("UPDATE documents SET status = 'in_progress' WHERE position % 5 = 1")
        conn.execute(
            "INSERT INTO document_reviews (doc_id, status, reviewer, updated)"
            " SELECT id, 'reviewed', 'bench', '' FROM documents WHERE position % 7 = 0"
        )
    conn.close()
    return target


def open_window(app: QApplication, path: Path) -> MainWindow:
    """Open a shown 1400 x 900 window on ``path``, settled."""
    window = MainWindow(path, annotator="bench")
    window.resize(1400, 900)
    window.show()
    app.processEvents()
    return window


def painted(window: MainWindow) -> None:
    """Deliver posted events and paint the list and the article now, as a frame would."""
    QCoreApplication.sendPostedEvents()
    window.document_list.table.viewport().repaint()
    window.text_view.viewport().repaint()


def settle(app: QApplication, window: MainWindow) -> float:
    """Let the list finish counting; return the CPU seconds it took."""
    model = window.document_list.model
    cpu = time.process_time()
    while model.total is None:
        app.processEvents()
    return time.process_time() - cpu


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


def measure_filters(app: QApplication, window: MainWindow) -> dict[str, tuple[float, float]]:
    """Return (first page, count) CPU seconds of each filter, and of the text filter."""
    bar = window.document_list.filter_bar
    found: dict[str, tuple[float, float]] = {}
    for name, where in [*FILTERS.items(), ("text", DocumentFilter(text=TEXT))]:
        bar.set_filter(DocumentFilter(), announce=True)
        settle(app, window)

        def choose(where: DocumentFilter = where) -> None:
            bar.set_filter(where, announce=True)
            painted(window)

        first = cpu_of(choose)
        found[name] = (first, settle(app, window))
    return found


def measure_next(app: QApplication, window: MainWindow, middle: str) -> dict[str, float]:
    """Return the CPU seconds of STEPS Next and STEPS Next not done from ``middle``."""
    window.document_list.filter_bar.set_filter(NEXT_FILTER, announce=True)
    settle(app, window)
    found = {}
    for name, step in (
        ("next", window.documents.next_document),
        ("next_not_done", window.documents.next_not_done),
    ):
        window.open_document(middle)
        painted(window)

        def walk(step: Callable[[], None] = step) -> None:
            for _ in range(STEPS):
                step()
                painted(window)

        found[name] = cpu_of(walk)
    return found


def middle_document(path: Path) -> str:
    """Return the id of the document half way down the project."""
    conn = sqlite3.connect(path)
    total = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    row = conn.execute(
        "SELECT id FROM documents ORDER BY position LIMIT 1 OFFSET ?", [total // 2]
    ).fetchone()
    conn.close()
    return str(row[0])


def run(
    quick: bool = False, sizes: tuple[int, int] | None = None, repeats: int | None = None
) -> dict[str, Entry]:
    """Return ``{"list_filter": entry, "list_next": entry}`` in bench/run.py's shape."""
    small_n, large_n = sizes or ((1_000, 10_000) if quick else (1_000, 100_000))
    repeats = repeats or (3 if quick else 5)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory(prefix="annotator-navigation-") as tmp:
        folder = Path(tmp)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
        paths = {"small": working_copy(small_n, folder), "large": working_copy(large_n, folder)}
        filters: dict[str, dict[str, list[tuple[float, float]]]] = {"small": {}, "large": {}}
        steps: dict[str, dict[str, list[float]]] = {"small": {}, "large": {}}
        for path in paths.values():
            preferences.set_last_document(path, middle_document(path))
        for _ in range(repeats):
            for size, path in paths.items():
                window = open_window(app, path)
                for name, times in measure_filters(app, window).items():
                    filters[size].setdefault(name, []).append(times)
                for name, cpu in measure_next(app, window, middle_document(path)).items():
                    steps[size].setdefault(name, []).append(cpu)
                window.close()
                QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
                app.processEvents()
    return {
        "list_filter": _filter_entry(filters, small_n, large_n),
        "list_next": _next_entry(steps, small_n, large_n),
    }


def _filter_entry(
    runs: dict[str, dict[str, list[tuple[float, float]]]], small_n: int, large_n: int
) -> Entry:
    best = {
        size: {name: (min(t[0] for t in v), min(t[1] for t in v)) for name, v in found.items()}
        for size, found in runs.items()
    }
    judged = list(FILTERS)
    small = sum(best["small"][n][0] for n in judged)
    large = sum(best["large"][n][0] for n in judged)
    ratio = large / small
    per_filter = {n: round(best["large"][n][0] / best["small"][n][0], 2) for n in judged}
    return {
        "times": {"small_cpu_s": round(small, 4), "large_cpu_s": round(large, 4)},
        "ratio": round(ratio, 3),
        "target": 2.0,
        "ok": ratio <= 2.0,
        "ratio_per_filter": per_filter,
        "first_page_ms": _ms(best, 0, judged),
        "count_ms": _ms(best, 1, judged),
        "text_first_page_ms": _ms(best, 0, ["text"]),
        "text_count_ms": _ms(best, 1, ["text"]),
        "documents": {"small": small_n, "large": large_n},
    }


def _ms(best: dict[str, dict[str, tuple[float, float]]], k: int, names: list[str]) -> Any:
    return {size: {n: round(found[n][k] * 1000, 2) for n in names} for size, found in best.items()}


def _next_entry(runs: dict[str, dict[str, list[float]]], small_n: int, large_n: int) -> Entry:
    best = {size: {name: min(v) for name, v in found.items()} for size, found in runs.items()}
    small, large = sum(best["small"].values()), sum(best["large"].values())
    ratio = large / small
    return {
        "times": {"small_cpu_s": round(small, 4), "large_cpu_s": round(large, 4)},
        "ratio": round(ratio, 3),
        "target": 2.0,
        "ok": ratio <= 2.0,
        "per_step_ms": {
            size: {n: round(t * 1000 / STEPS, 2) for n, t in found.items()}
            for size, found in best.items()
        },
        "documents": {"small": small_n, "large": large_n},
    }


if __name__ == "__main__":
    print(json.dumps(run("--quick" in sys.argv), indent=2))
