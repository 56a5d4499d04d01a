"""Main window benchmarks: opening a long, doubly annotated article, and labelling in it.

- ``window_open``: the whole opening, ``MainWindow(project)`` + ``open_document`` + events until
  the article is painted, on the 50,000-character article with about 5,800 spans of two
  annotators (review mode off), against the same article without spans; opening a 300-word
  article with the same density of spans is reported beside it (``ratio_to_300_words``).
- ``window_annotate``: ``window.annotate`` (store write, article view, annotation list,
  inspector, status) and its undo, on the long article with 5,000 spans and with none.

Times are CPU seconds of this process (wall-clock beside them), the best of alternating repeats,
as in bench/run.py.

    python bench/bench_window.py [--quick]     # prints one JSON object
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
BENCH = Path(__file__).resolve().parent
for folder in (BENCH.parent, BENCH):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from bench_view import WORD, article_spans, article_text, bench_project, entry  # noqa: E402
from PySide6.QtCore import QCoreApplication, QEvent, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.gui import preferences  # noqa: E402
from annotator.gui.main_window import MainWindow  # noqa: E402
from annotator.model.document import DocumentRecord, Span  # noqa: E402
from annotator.review.compare import compare_document  # noqa: E402
from annotator.store import Project  # noqa: E402

SPANS_EACH = 2_900  # two annotators: about 5,800 spans on the 50,000-character article
SHORT_WORDS = 300
DOC_ID = "bench"
COVER = "cover"  # a one-line document the window opens first, as on any start


# ---- data -------------------------------------------------------------------------------


def two_annotators(text: str, each: int = SPANS_EACH) -> list[Span]:
    """Return mona's and karim's spans: same words two times in five, neighbouring words else.

    Where they agree, karim calls one PER in seven ORG. The long article gives about 4,600
    comparison cases, as many as the reviewed article that was slow to open.
    """
    words = [m.span() for m in WORD.finditer(text)]
    index = {start: k for k, (start, _end) in enumerate(words)}
    spans: list[Span] = []
    taken: set[tuple[int, int]] = set()
    for i, span in enumerate(article_spans(text, each)):
        spans.append(replace(span, id=f"m{i}", annotator="mona"))
        start, end, label = span.start, span.end, span.label
        if i % 5 < 2 or label in ("QUOTE", "CLAIM"):
            label = "ORG" if label == "PER" and i % 7 == 0 else label
        elif index[start] + 1 < len(words):
            start, end = words[index[start] + 1]
        if (start, end) not in taken:
            taken.add((start, end))
            spans.append(Span(f"k{i}", DOC_ID, start, end, label, annotator="karim"))
    return spans


def short_article(text: str, words: int = SHORT_WORDS) -> str:
    """Return the first ``words`` words of ``text`` (whole paragraphs of the same article)."""
    return text[: list(WORD.finditer(text))[words - 1].end()]


@contextmanager
def window_projects(folder: Path) -> Iterator[dict[str, Path]]:
    """Yield the three projects: long article with spans, without, and the 300-word one."""
    text = article_text()
    short = short_article(text)
    per_word = SPANS_EACH / len(WORD.findall(text))
    sides = {
        "spans_5800": (text, two_annotators(text)),
        "no_spans": (text, []),
        "words_300": (short, two_annotators(short, round(per_word * SHORT_WORDS))),
    }
    paths = {}
    for name, (body, spans) in sides.items():
        paths[name] = folder / f"open-{name}.sqlite"
        with Project.create(paths[name], annotator="reviewer") as project:
            cover = DocumentRecord(text="غلاف", id=COVER)
            article = DocumentRecord(text=body, id=DOC_ID, spans=tuple(spans))
            project.import_documents([cover, article])
    yield paths


# ---- window_open ------------------------------------------------------------------------


def open_window(app: QApplication, path: Path) -> tuple[float, float]:
    """Open a window on ``path`` and its article until painted; return (CPU, wall) seconds.

    The window itself opens the cover page first (the remembered document), then the article.
    """
    preferences.set_last_document(path, COVER)
    gc.collect()
    gc.disable()
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        window = MainWindow(path, annotator="reviewer")
        window.show()
        window.open_document(DOC_ID)
        app.processEvents()
        window.text_view.viewport().repaint()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    finally:
        gc.enable()
    assert not window.docks["review"].isVisible()  # review mode stays off
    window.close()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
    return cpu, wall


def bench_open(app: QApplication, folder: Path, repeats: int) -> Entry:
    """Opening the window on the long article with ~5,800 spans vs without; 300 words beside."""
    times: dict[str, dict[str, list[float]]] = {}
    with window_projects(folder) as paths:
        for path in paths.values():
            open_window(app, path)  # warm-up: fonts, settings, first layout
        for _ in range(repeats):
            for name in ("no_spans", "spans_5800", "words_300"):
                cpu, wall = open_window(app, paths[name])
                side = times.setdefault(name, {"cpu": [], "wall": []})
                side["cpu"].append(cpu)
                side["wall"].append(wall)
        facts = _facts(paths["spans_5800"]) | {"short_words": SHORT_WORDS}
    best = {name: min(side["cpu"]) for name, side in times.items()}
    measured = {}
    for name, side in times.items():
        measured[f"{name}_cpu_s"] = [round(t, 4) for t in side["cpu"]]
        measured[f"{name}_wall_s"] = [round(t, 4) for t in side["wall"]]
    ratio = best["spans_5800"] / best["no_spans"]
    return {
        "times": measured,
        "ratio": round(ratio, 3),
        "target": 1.5,
        "ok": ratio <= 1.5,
        "ratio_to_300_words": round(best["spans_5800"] / best["words_300"], 3),
        **facts,
    }


def _facts(path: Path) -> dict[str, int]:
    with Project.open(path, read_only=True, annotator="reviewer") as project:
        text = project.document(DOC_ID).text
        cases = compare_document(project, DOC_ID, ["mona", "karim"]).cases
        return {
            "characters": len(text),
            "spans": len(project.spans(DOC_ID)),
            "cases_if_reviewed": len(cases),
        }


# ---- window_annotate --------------------------------------------------------------------


def _label_once(app: QApplication, window: MainWindow, where: tuple[int, int]) -> float:
    window.text_view.select_range(*where)
    started = time.perf_counter()
    window.annotate("MISC")
    app.processEvents()
    window.text_view.viewport().repaint()
    elapsed = time.perf_counter() - started
    _undo(window)
    app.processEvents()
    return elapsed


def _undo(window: MainWindow) -> None:
    window.undo()  # Edit > Undo


def bench_annotate(app: QApplication, folder: Path, repeats: int) -> Entry:
    """Labelling a selection in the window at 5,000 spans vs at none."""
    text = article_text()
    spans = [replace(s, annotator="bench") for s in article_spans(text)]
    where = next(m.span() for m in WORD.finditer(text, len(text) // 2 + 40))
    times: tuple[list[float], list[float]] = ([], [])
    with bench_project(folder, "full", text, spans), bench_project(folder, "empty", text, []):
        windows = [MainWindow(folder / f"{n}.sqlite", annotator="bench") for n in ("full", "empty")]
        for window in windows:
            window.resize(1400, 900)
            window.show()
        app.processEvents()
        for _ in range(repeats):
            for window, measured in zip(windows, times, strict=True):
                measured.append(_label_once(app, window, where))
        for window in windows:
            window.close()
        app.processEvents()
    loaded, baseline = statistics.median(times[0]), statistics.median(times[1])
    return entry(loaded, baseline, 2.0, ("at_5000_spans", "at_0_spans"))


Entry = dict[str, Any]


def run(quick: bool = False) -> dict[str, Entry]:
    """Return ``{"window_open": entry, "window_annotate": entry}`` in bench/run.py's shape."""
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory(prefix="annotator-window-") as tmp:
        folder = Path(tmp)
        # The user's settings (window layout, review mode, last documents) stay out of it.
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
        results = {"window_open": bench_open(app, folder, 5 if quick else 11)}
        results["window_annotate"] = bench_annotate(app, folder, 5 if quick else 15)
    return results


if __name__ == "__main__":
    print(json.dumps(run("--quick" in sys.argv), indent=2))
