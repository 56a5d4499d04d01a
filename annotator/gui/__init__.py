"""The PySide6 window. ``MainWindow`` is imported on first use, so ``annotator.gui.offsets`` and
the other small modules load without building the whole window."""

from __future__ import annotations

from typing import Any

__all__ = ["MainWindow"]


def __getattr__(name: str) -> Any:
    if name == "MainWindow":
        from annotator.gui.main_window import MainWindow

        return MainWindow
    raise AttributeError(f"module 'annotator.gui' has no attribute {name!r}")
