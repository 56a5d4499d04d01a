"""The model's list of the window's own keys is the list of keys the window really binds.

A schema is refused when a label asks for one of these keys (annotator/model/shortcuts.py);
the model cannot ask Qt, so this test holds the list to the actions of a real window.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction, QKeySequence
from window_helpers import open_window

from annotator.model.shortcuts import VIEW_KEYS, WINDOW_KEYS, canonical
from annotator.store import Project

# Keys a desktop's platform theme adds to a standard action, which the offscreen one may not.
PLATFORM_ALTERNATIVES = {"Ctrl+Q", "Alt+Backspace"}


def bound_keys(window) -> dict[str, list[str]]:
    """Return every key a QAction of the window (menus, toolbar, panels) is bound to."""
    label_keys = {canonical(label.shortcut) for label in window.project.schema.labels}
    bound: dict[str, list[str]] = {}
    for act in window.findChildren(QAction):
        for sequence in act.shortcuts():
            written = sequence.toString(QKeySequence.SequenceFormat.PortableText)
            try:
                key = canonical(written)
            except ValueError:
                continue  # a media key ("Undo", "Zoom In"): no schema can name it
            if key not in label_keys:
                bound.setdefault(key, []).append(act.text() or "(shortcut)")
    return bound


def test_every_key_the_window_binds_is_reserved_in_the_model(qtbot, tmp_path: Path):
    with Project.create(tmp_path / "p.sqlite", annotator="tester"):
        pass
    window = open_window(qtbot, tmp_path / "p.sqlite")
    bound = bound_keys(window)
    assert "Ctrl+Z" in bound and "K" in bound and "Esc" in bound and "F8" in bound
    unlisted = {key: names for key, names in bound.items() if key not in WINDOW_KEYS}
    assert unlisted == {}, "add these keys to WINDOW_KEYS in annotator/model/shortcuts.py"
    stale = set(WINDOW_KEYS) - set(bound) - PLATFORM_ALTERNATIVES
    assert stale == set(), "WINDOW_KEYS lists keys the window no longer binds"
    assert not set(VIEW_KEYS) & set(bound)  # the view's keys are its own, not actions'


def test_the_default_labels_keys_work_and_are_not_the_windows(qtbot, tmp_path: Path):
    with Project.create(tmp_path / "p.sqlite", annotator="tester") as project:
        keys = [canonical(label.shortcut) for label in project.schema.labels]
    assert not set(keys) & set(WINDOW_KEYS)
    assert len(set(keys)) == len(keys)
