"""Main window benchmark: labelling a selection costs the same with 5,000 spans as with none.

Measures ``window.annotate`` (store write, article view, annotation list, inspector, status)
and its undo, side by side on the 50,000-character article with 5,000 spans and with none.

    python bench/bench_window.py [--quick]     # prints one JSON object
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
BENCH = Path(__file__).resolve().parent
for folder in (BENCH.parent, BENCH):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from bench_view import WORD, article_spans, article_text, bench_project, entry  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.gui.main_window import MainWindow  # noqa: E402


def _label_once(app: QApplication, window: MainWindow, where: tuple[int, int]) -> float:
    window.text_view.select_range(*where)
    started = time.perf_counter()
    window.annotate("MISC")
    app.processEvents()
    window.text_view.viewport().repaint()
    elapsed = time.perf_counter() - started
    window.undo_stack.undo()
    app.processEvents()
    return elapsed


def run(quick: bool = False) -> dict[str, object]:
    """Return ``{"window_annotate": entry}`` in bench/run.py's shape."""
    app = QApplication.instance() or QApplication([])
    text = article_text()
    spans = [s.__class__(**{**_fields(s), "annotator": "bench"}) for s in article_spans(text)]
    where = next(m.span() for m in WORD.finditer(text, len(text) // 2 + 40))
    repeats = 5 if quick else 15
    times: tuple[list[float], list[float]] = ([], [])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
        with bench_project(folder, "full", text, spans), bench_project(folder, "empty", text, []):
            windows = [
                MainWindow(folder / f"{n}.sqlite", annotator="bench") for n in ("full", "empty")
            ]
            for window in windows:
                window.resize(1400, 900)
                window.show()
            app.processEvents()
            for _ in range(repeats):
                for window, measured in zip(windows, times, strict=True):
                    measured.append(_label_once(app, window, where))
            for window in windows:
                window.close()
    loaded, baseline = statistics.median(times[0]), statistics.median(times[1])
    return {"window_annotate": entry(loaded, baseline, 2.0, ("at_5000_spans", "at_0_spans"))}


def _fields(span: object) -> dict[str, object]:
    return {name: getattr(span, name) for name in span.__slots__}  # type: ignore[attr-defined]


if __name__ == "__main__":
    print(json.dumps(run("--quick" in sys.argv), indent=2))
