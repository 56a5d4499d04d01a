"""Suggestions for a 5,000-word article against opening it, in the window.

- ``suggest_article``: the three built-in recommenders, already prepared (``strings`` has learned
  the names of a generated project's layer, ``crf`` is trained on it, ``quotes`` has its
  lexicon), propose for one article of 5,000 words; the proposals are stored in their layers,
  the window reads the document's suggestions again and paints the ghosts. Against: opening
  the window on that article, as ``window_open`` in bench/bench_window.py times it
  (``MainWindow`` + ``open_document`` + events until painted). Target: at most 1.5 times the
  opening. Beside it, not judged: ``ratio_to_switching``, the same against switching to the
  article in a window already open (the article view lays out only the lines on screen, so that
  costs far less than proposing over all 5,000 words), and ``ghosts_open_ratio``, switching to
  the article with its stored ghosts against without them (what a user waits for once the
  suggestions are made).

Learning is a cost of the project, not of the article, paid once per run of a recommender: it
is timed apart (``learn_*``) and not judged. Times are CPU seconds of this process (wall-clock
beside them), the best of alternating repeats, as in bench/run.py.

    python bench/bench_suggest.py [--quick]     # prints one JSON object
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
BENCH = Path(__file__).resolve().parent
for folder in (BENCH.parent, BENCH):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import generate  # noqa: E402
from bench_view import WORD, article_text  # noqa: E402
from PySide6.QtCore import QCoreApplication, QEvent, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.gui import preferences  # noqa: E402
from annotator.gui.main_window import MainWindow  # noqa: E402
from annotator.model.document import Document, DocumentRecord, Span  # noqa: E402
from annotator.model.suggestions import Proposals  # noqa: E402
from annotator.store import Project  # noqa: E402
from annotator.suggest.base import Recommender  # noqa: E402
from annotator.suggest.crf import CrfRecommender  # noqa: E402
from annotator.suggest.quotes import QuotesRecommender  # noqa: E402
from annotator.suggest.run import run_recommender  # noqa: E402
from annotator.suggest.strings import StringsRecommender  # noqa: E402

Entry = dict[str, Any]
WORDS = 5_000
ARTICLE = "long5000"
COVER = "news000001"  # a generated article the window shows before the long one
LAYER = "mona"  # one of the generator's annotators: the layer the recommenders learn from
TARGET = 1.5


class Prepared:
    """A recommender already prepared: a run only proposes (learning is timed apart)."""

    def __init__(self, inner: Recommender) -> None:
        self.inner = inner
        self.name = inner.name

    def prepare(self, project: Project, source: str, *, progress=None, cancelled=None) -> None:  # type: ignore[no-untyped-def]
        """Nothing: the inner recommender learned before the timing."""

    def propose(self, document: Document, known: Sequence[Span]) -> Proposals:
        """Propose as the inner recommender does."""
        return self.inner.propose(document, known)


def long_article() -> str:
    """Return an article of 5,000 words made of the seed article's body."""
    text = article_text()
    return text[: list(WORD.finditer(text))[WORDS - 1].end()]


def build(folder: Path, documents: int) -> Path:
    """Copy a generated project and add the long article to it (annotated by nobody)."""
    source = generate.ensure_project(documents)
    path = folder / "suggest.sqlite"
    shutil.copyfile(source, path)
    for suffix in ("-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{path}{suffix}")
    with Project.open(path, annotator="bench") as project:
        project.import_documents([DocumentRecord(text=long_article(), id=ARTICLE, title="long")])
    return path


def learned(project: Project, train: int) -> tuple[list[Recommender], dict[str, float]]:
    """Prepare the three recommenders on ``LAYER``; return them and each one's learning time."""
    ids = [d for d in project.document_ids() if d != ARTICLE][:train]
    made: list[Recommender] = [
        StringsRecommender(),
        QuotesRecommender(),
        CrfRecommender(train_ids=ids),
    ]
    seconds = {}
    for recommender in made:
        started = time.perf_counter()
        recommender.prepare(project, LAYER)
        seconds[f"learn_{recommender.name}_s"] = round(time.perf_counter() - started, 3)
    return made, seconds


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """Run ``action`` once with the collector paused; return (CPU, wall) seconds."""
    gc.collect()
    gc.disable()
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        return time.process_time() - cpu, time.perf_counter() - wall
    finally:
        gc.enable()


def open_window(app: QApplication, path: Path) -> float:
    """Open a window on the long article until painted; return CPU seconds (then close it)."""
    preferences.set_last_document(path, ARTICLE)
    gc.collect()
    gc.disable()
    try:
        cpu = time.process_time()
        window = MainWindow(path, annotator="bench")
        window.show()
        window.open_document(ARTICLE)
        app.processEvents()
        window.text_view.viewport().repaint()
        cpu = time.process_time() - cpu
    finally:
        gc.enable()
    window.close()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
    return cpu


def run(quick: bool = False, documents: int = 1_000) -> dict[str, Entry]:
    """Return ``{"suggest_article": entry}`` in bench/run.py's shape.

    The recommenders learn from a generated project of ``documents`` articles (crf from 200 of
    them with ``quick``, all of them otherwise).
    """
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    repeats = 3 if quick else 7
    with tempfile.TemporaryDirectory(prefix="annotator-suggest-") as tmp:
        folder = Path(tmp)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
        path = build(folder, documents)
        preferences.set_last_document(path, COVER)
        window = MainWindow(path, annotator="bench")
        window.show()
        app.processEvents()
        session = window.session
        made, learning = learned(session.project, 200 if quick else documents)
        prepared = [Prepared(r) for r in made]

        def open_article() -> None:
            window.open_document(COVER)
            app.processEvents()
            started = time.process_time()  # only the article's opening is charged
            window.open_document(ARTICLE)
            app.processEvents()
            window.text_view.viewport().repaint()
            opened.append(time.process_time() - started)

        def suggest() -> None:
            for recommender in prepared:
                run_recommender(session.project, recommender, source=LAYER, doc_ids=[ARTICLE])
            session.refresh()
            app.processEvents()
            window.text_view.viewport().repaint()

        opened: list[float] = []
        suggesting: list[tuple[float, float]] = []
        windows: list[float] = []
        for _ in range(repeats):
            windows.append(open_window(app, path))
            timed(open_article)
            suggesting.append(timed(suggest))
        ghosts = len(session.ghosts())
        with_ghosts = opened[-repeats:]
        for _ in range(repeats):  # the same switch with the ghosts hidden: no suggestions drawn
            session.set_suggestions_shown(False)
            timed(open_article)
        without = opened[-repeats:]
        session.set_suggestions_shown(True)
        window.close()
        app.processEvents()
    best_suggest = min(c for c, _ in suggesting)
    times = {
        "window_open_cpu_s": [round(t, 4) for t in windows],
        "suggest_cpu_s": [round(c, 4) for c, _ in suggesting],
        "suggest_wall_s": [round(w, 4) for _, w in suggesting],
        "switch_with_ghosts_cpu_s": [round(t, 4) for t in with_ghosts],
        "switch_without_ghosts_cpu_s": [round(t, 4) for t in without],
        **learning,
    }
    ratio = best_suggest / min(windows)
    return {
        "suggest_article": {
            "times": times,
            "ratio": round(ratio, 3),
            "target": TARGET,
            "ok": ratio <= TARGET,
            "ratio_to_switching": round(best_suggest / min(with_ghosts), 3),
            "ghosts_open_ratio": round(min(with_ghosts) / min(without), 3),
            "ghosts": ghosts,
            "words": WORDS,
        }
    }


if __name__ == "__main__":
    print(json.dumps(run("--quick" in sys.argv), indent=2))
