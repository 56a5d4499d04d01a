"""Article view benchmarks: does the view's cost follow what is on screen, not the span count?

Each benchmark measures the same operation twice in this run, with 5,000 spans and with none,
alternating the two sides and taking the median of several repetitions; the ratio is the
figure that matters (ARABIC_TEXT.md section 10). Times are CPU seconds of this process
(``time.process_time``): the view is single-threaded, and on a machine shared with other work
CPU time is far steadier than wall time, while still counting everything the view does.

    python bench/bench_view.py [--quick]     # prints one JSON object

``run(quick)`` returns ``{name: {"times": {...}, "ratio": r, "target": t, "ok": bool}}`` for
bench/run.py.
"""

from __future__ import annotations

import gc
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.gui.text_view import ArticleView  # noqa: E402
from annotator.model.document import DocumentRecord, Span  # noqa: E402
from annotator.model.schema import Schema, load_default_schema  # noqa: E402
from annotator.paths import SEEDS  # noqa: E402
from annotator.store import Project  # noqa: E402

ARTICLE_CHARS = 50_000
SPAN_COUNT = 5_000
ENTITY_LABELS = ("PER", "ORG", "GPE", "LOC", "NORP", "DATE")
WORD = re.compile(r"[\u0621-\u064a\u0660-\u0669\u064b-\u065f\u0670\w]+")
Entry = dict[str, Any]


def article_text() -> str:
    """Return a 50,000-character right-to-left article made of the seed article's body."""
    seed = (SEEDS / "000_2024f0fe6e876b71.txt").read_text(encoding="utf-8")
    body = seed.split("\n\n", 4)[-1]
    copies = ARTICLE_CHARS // len(body) + 1
    return "\n\n".join([body] * copies)[:ARTICLE_CHARS]


def article_spans(text: str, count: int = SPAN_COUNT) -> list[Span]:
    """Return ``count`` spans spread over the article: word entities plus quotes and claims."""
    words = [m.span() for m in WORD.finditer(text)]
    step = len(words) / count
    spans: list[Span] = []
    for i in range(count):
        first = int(i * step)
        if i % 50 == 0:  # every fiftieth a quote or claim over the next dozen words
            last = min(first + 12, len(words) - 1)
            label = "QUOTE" if i % 100 == 0 else "CLAIM"
            start, end = words[first][0], words[last][1]
        else:
            label = ENTITY_LABELS[i % len(ENTITY_LABELS)]
            start, end = words[first]
        spans.append(Span(f"b{i}", "bench", start, end, label))
    return spans


def median_seconds(action: Callable[[], object], repeats: int) -> float:
    """Return the median CPU time of ``action`` over ``repeats`` runs."""
    times = []
    for _ in range(repeats):
        started = time.process_time()
        action()
        times.append(time.process_time() - started)
    return statistics.median(times)


def paired(
    with_spans: Callable[[], object], without: Callable[[], object], repeats: int
) -> tuple[float, float]:
    """Time two actions alternately (so machine noise hits both) and return both medians.

    The garbage collector is paused while timing, as ``timeit`` does: a collection landing in
    one side's repetition says nothing about the view.
    """
    a: list[float] = []
    b: list[float] = []
    gc.collect()
    gc.disable()
    try:
        for _ in range(repeats):
            a.append(median_seconds(with_spans, 1))
            b.append(median_seconds(without, 1))
    finally:
        gc.enable()
    return statistics.median(a), statistics.median(b)


def entry(loaded: float, baseline: float, target: float, labels: tuple[str, str]) -> Entry:
    """Return one result in bench/run.py's shape."""
    ratio = loaded / baseline if baseline > 0 else float("inf")
    times = {labels[0]: round(loaded, 6), labels[1]: round(baseline, 6)}
    return {"times": times, "ratio": round(ratio, 3), "target": target, "ok": ratio <= target}


def new_view(app: QApplication) -> ArticleView:
    """Return a shown 900x700 article view."""
    view = ArticleView()
    view.resize(900, 700)
    view.show()
    app.processEvents()
    return view


def bench_open(app: QApplication, text: str, spans: list[Span], schema: Schema, n: int) -> Entry:
    """Opening: set the article and paint its first screen, with 5,000 spans vs none."""
    view = new_view(app)

    def open_with(shown: list[Span]) -> Callable[[], None]:
        def action() -> None:
            view.set_content(text, shown, schema)
            app.processEvents()
            view.viewport().repaint()

        return action

    loaded, baseline = paired(open_with(spans), open_with([]), n * 2)
    view.close()
    return entry(loaded, baseline, 1.5, ("5000_spans", "no_spans"))


def _views_in_the_middle(
    app: QApplication, text: str, spans: list[Span], schema: Schema
) -> tuple[ArticleView, ArticleView]:
    views = (new_view(app), new_view(app))
    for view, shown in zip(views, (spans, []), strict=True):
        view.set_content(text, shown, schema)
        view.scroll_to_offset(len(text) // 2)
        app.processEvents()
        view.viewport().repaint()
    return views


def bench_repaint(app: QApplication, text: str, spans: list[Span], schema: Schema, n: int) -> Entry:
    """Repainting the visible part of the article, 5,000 spans vs none."""
    views = _views_in_the_middle(app, text, spans, schema)
    loaded, baseline = paired(views[0].viewport().repaint, views[1].viewport().repaint, n * 4)
    for view in views:
        view.close()
    return entry(loaded, baseline, 1.5, ("5000_spans", "no_spans"))


def bench_scroll(app: QApplication, text: str, spans: list[Span], schema: Schema, n: int) -> Entry:
    """Scrolling a page onto text never shown before and painting it, 5,000 spans vs none.

    Every step lays out the spans of a page not drawn before. The issue sets no target for
    it, so it is printed by ``python bench/bench_view.py`` for information and left out of
    ``run`` (bench/run.py's table is for targets).
    """
    views = _views_in_the_middle(app, text, spans, schema)

    def scroller(view: ArticleView) -> Callable[[], None]:
        bar = view.verticalScrollBar()

        def action() -> None:
            bar.setValue(bar.value() + bar.pageStep() if bar.value() < bar.maximum() else 0)
            view.viewport().repaint()

        return action

    for view in views:
        view.verticalScrollBar().setValue(0)
    loaded, baseline = paired(scroller(views[0]), scroller(views[1]), n * 2)
    for view in views:
        view.close()
    result = entry(loaded, baseline, 1.5, ("5000_spans", "no_spans"))
    result.update(target=None, ok=None)
    return result


@contextmanager
def bench_project(folder: Path, name: str, text: str, spans: list[Span]) -> Iterator[Project]:
    """Yield a project holding the article with ``spans`` (stored through the importer)."""
    project = Project.create(folder / f"{name}.sqlite", annotator="bench")
    try:
        project.import_documents([DocumentRecord(text=text, id="bench", spans=tuple(spans))])
        yield project
    finally:
        project.close()


def bench_add_span(
    app: QApplication, text: str, spans: list[Span], schema: Schema, n: int
) -> Entry:
    """Adding one span: store write, view update and repaint, at 5,000 spans vs at none."""
    where = next(m.span() for m in WORD.finditer(text, len(text) // 2 + 40))
    times: tuple[list[float], list[float]] = ([], [])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with (
            bench_project(folder, "full", text, spans) as full,
            bench_project(folder, "empty", text, []) as empty,
        ):
            sides = [(p, _shown(app, p, schema, where[0])) for p in (full, empty)]
            gc.collect()
            gc.disable()
            try:
                for _ in range(n * 2):
                    for (project, view), measured in zip(sides, times, strict=True):
                        measured.append(_add_one(app, project, view, where))
            finally:
                gc.enable()
    return entry(
        statistics.median(times[0]),
        statistics.median(times[1]),
        2.0,
        ("at_5000_spans", "at_0_spans"),
    )


def _shown(app: QApplication, project: Project, schema: Schema, offset: int) -> ArticleView:
    view = new_view(app)
    view.set_content(project.document("bench").text, project.spans("bench"), schema)
    view.scroll_to_offset(offset)
    app.processEvents()
    view.viewport().repaint()
    return view


def _add_one(
    app: QApplication, project: Project, view: ArticleView, where: tuple[int, int]
) -> float:
    """Time one labelled span going to the store and onto the screen; then take it back.

    CPU time leaves out waiting for the disk on commit, which is the same on both sides.
    """
    started = time.process_time()
    span = project.add_span("bench", where[0], where[1], "PER")
    view.add_span(span)
    view.viewport().repaint()
    elapsed = time.process_time() - started
    project.delete_span("bench", span.id)  # keeps every repetition at the same span count
    view.remove_span(span.id)
    view.viewport().repaint()
    app.processEvents()
    return elapsed


def run(quick: bool) -> dict[str, Entry]:
    """Run the article view benchmarks and return their results."""
    app = QApplication.instance() or QApplication([])
    text = article_text()
    spans = article_spans(text)
    schema = load_default_schema()
    repeats = 9 if quick else 21
    results = {"view_open": bench_open(app, text, spans, schema, repeats)}
    results["view_repaint"] = bench_repaint(app, text, spans, schema, repeats)
    results["view_add_span"] = bench_add_span(app, text, spans, schema, repeats)
    return results


def main(argv: list[str]) -> None:
    """Print ``run``'s results and the informational page-scroll figure as one JSON object."""
    quick = "--quick" in argv
    results = run(quick)
    app = QApplication.instance() or QApplication([])
    text = article_text()
    scroll = bench_scroll(app, text, article_spans(text), load_default_schema(), 9 if quick else 21)
    results["view_scroll_page (information)"] = scroll
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
