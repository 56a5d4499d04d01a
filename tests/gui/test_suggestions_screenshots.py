"""Pictures of suggestions ("ghosts") over the seed article and over a name inside a word, at
scale factors 1 and 2, written to build/screenshots/suggestions-*.png and checked where a
reader looks: each ghost's outline runs along its words in its label's colour (dashed, the one
in focus solid), nothing is filled but the focused one's light tint, nothing is drawn anywhere
else, and the letters inside every ghost are the very pixels drawn without ghosts: the text's
shaping is untouched, so بلافروف stays joined where the ghost لافروف begins after its ب.

Each scale runs in a child process (``QT_SCALE_FACTOR`` is read once, at start); the child
writes the pictures and says where the ghosts are, in the window's logical coordinates.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage
from test_window_screenshots import SHOTS, is_color, rgb

from annotator.gui.view_paint import GHOST_FOCUS_ALPHA, blend
from annotator.io.operations import import_paths
from annotator.model.schema import load_default_schema
from annotator.paths import SEEDS
from annotator.store import Project
from annotator.suggest.registry import make
from annotator.suggest.run import run_recommender

SEED_ID = "000_2024f0fe6e876b71"
SECOND = "التقى الوزير نظيره في جنيف، واتصل بلافروف أمس ولافروف قال إن موسكو مستعدة للحوار."
PER_COLOR = QColor(load_default_schema().label("PER").color)

CHILD = r"""
import json, sys
from pathlib import Path
from PySide6.QtCore import QPoint, QSettings
from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv[:1])
path, settings, shots, scale, second = sys.argv[1:6]
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings)
from annotator.gui import MainWindow

window = MainWindow(Path(path), annotator="tester")
window.resize(1300, 860)
window.show()
window.set_layer("tester")


def settle():
    # Docks and the article take their sizes a few events after show: lay out first.
    for _ in range(5):
        app.processEvents()


def picture(name):
    shot = window.grab().toImage()
    shot.save(f"{shots}/{name}")
    return shot.devicePixelRatio()


def where(view, rects):
    corner = view.viewport().mapTo(window, QPoint(0, 0))
    return [[r.x() + corner.x(), r.y() + corner.y(), r.width(), r.height()] for r in rects]


found = {}
for doc_id, name, steps in ((None, "seed", 2), (second, "inside-a-word", 1)):
    if doc_id:
        window.open_document(doc_id)
    session, view = window.session, window.text_view
    session.set_suggestions_shown(True)
    settle()
    for _ in range(steps):
        session.next_suggestion()
    settle()
    focused = view.focused_ghost()
    ghosts = [
        {"text": session.text[g.start : g.end], "label": g.label, "focused": g.id == focused,
         "rects": where(view, view.rects_for_ghost(g.id))}
        for g in view.ghosts()
    ]
    ratio = picture(f"suggestions-{name}@{scale}x.png")
    session.set_suggestions_shown(False)
    settle()
    picture(f"suggestions-hidden-{name}@{scale}x.png")
    corner = view.viewport().mapTo(window, QPoint(0, 0))
    port = [corner.x(), corner.y(), view.viewport().width(), view.viewport().height()]
    found[name] = {"ghosts": ghosts, "ratio": ratio, "viewport": port}
print(json.dumps(found, ensure_ascii=False))
window.close()
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The seed article and a second one; PER لافروف and سيرجي لافروف annotated, strings run."""
    path = tmp_path_factory.mktemp("ghosts") / "ghosts.sqlite"
    with Project.create(path, annotator="tester") as opened:
        import_paths(opened, [SEEDS / f"{SEED_ID}.txt"], fmt="txt")
        second = opened.add_document(SECOND, title="second").id
        text = opened.document(SEED_ID).text
        for words in ("سيرجي لافروف", "لافروف"):
            start = text.index(words)
            opened.add_span(SEED_ID, start, start + len(words), "PER")
        run_recommender(opened, make("strings"), source="tester")
    return path, second


def shoot(project: tuple[Path, str], scale: str, tmp_path: Path) -> dict:
    path, second = project
    SHOTS.mkdir(parents=True, exist_ok=True)
    screens = tmp_path / "screen.json"
    screens.write_text(
        '{"screens": [{"name": "wide", "x": 0, "y": 0, "width": 2800, "height": 1900,'
        ' "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}'
    )
    env = {
        **os.environ,
        "QT_SCALE_FACTOR": scale,
        "QT_QPA_PLATFORM": f"offscreen:configfile={screens}",
    }
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(tmp_path / "settings"), str(SHOTS), scale,
         second],
        env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.splitlines()[-1])


def pixels(name: str) -> np.ndarray:
    image = QImage(str(SHOTS / name))
    assert not image.isNull(), name
    return rgb(image)


def box(rect: list[int], ratio: float, grow: int = 0) -> tuple[slice, slice]:
    """Return the pixel rows and columns of a logical rectangle, ``grow`` logical px wider."""
    x, y, w, h = rect
    top, left = round((y - grow) * ratio), round((x - grow) * ratio)
    bottom, right = round((y + h + grow) * ratio), round((x + w + grow) * ratio)
    return slice(max(top, 0), bottom), slice(max(left, 0), right)


@pytest.mark.parametrize("scale", ["1", "2"])
def test_ghosts_are_outlines_over_untouched_letters(
    project: tuple[Path, str], scale: str, tmp_path: Path
) -> None:
    found = shoot(project, scale, tmp_path)
    assert [g["text"] for g in found["seed"]["ghosts"]] == [
        "سيرجي لافروف",
        "سيرجي لافروف",
        "لافروف",
    ]
    assert [g["text"] for g in found["inside-a-word"]["ghosts"]] == ["لافروف", "لافروف"]
    for name, shown in found.items():
        ratio = shown["ratio"]
        assert ratio == float(scale)
        ghosts, plain = (
            pixels(f"suggestions-{name}@{scale}x.png"),
            pixels(f"suggestions-hidden-{name}@{scale}x.png"),
        )
        rows, cols = box(shown["viewport"], ratio)
        changed = np.zeros(ghosts.shape[:2], dtype=bool)
        changed[rows, cols] = np.any(ghosts[rows, cols] != plain[rows, cols], axis=-1)
        near = np.zeros_like(changed)
        for ghost in shown["ghosts"]:
            assert ghost["rects"], f"{name}: {ghost['text']} is on screen"
            check_ghost(ghosts, plain, ghost, ratio)
            for rect in ghost["rects"]:
                near[box(rect, ratio, grow=4)] = True
        assert changed.any()
        assert not (changed & ~near).any(), f"{name}: drawn outside the ghosts"


def check_ghost(ghosts: np.ndarray, plain: np.ndarray, ghost: dict, ratio: float) -> None:
    """The outline along the ghost's top edge in the label colour; the letters as without it."""
    x, y, w, _ = ghost["rects"][0]
    pen = 3 if ghost["focused"] else 2
    band = ghosts[box([x + 4, y - 2, w - 8, pen + 3], ratio)]
    drawn = is_color(band, PER_COLOR, tolerance=40).any(axis=0).mean()
    assert drawn > (0.9 if ghost["focused"] else 0.4), f"{ghost['text']}: outline {drawn:.2f}"
    tint = blend(PER_COLOR, QColor("white"), GHOST_FOCUS_ALPHA)
    for rect in ghost["rects"]:
        inner = box([rect[0] + 4, rect[1] + 4, rect[2] - 8, rect[3] - 8], ratio)
        drawn, bare = ghosts[inner].astype(int), plain[inner].astype(int)
        assert (bare.sum(axis=-1) < 300).any(), f"{ghost['text']}: letters inside"
        if ghost["focused"]:
            # The tint changes red by a few levels only (PER is orange): the glyphs' red channel
            # shows the letters are the same pixels, joined as without the ghost.
            assert is_color(ghosts[inner], tint, tolerance=3).mean() > 0.3, "tinted"
            assert np.abs(drawn[..., 0] - bare[..., 0]).max() <= 256 - tint.red() + 1
        else:
            assert (drawn == bare).all(), f"{ghost['text']}: not filled, letters untouched"
