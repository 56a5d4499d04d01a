"""Where the schemas and seed articles are, and where project files go by default.

The schemas and the seed articles live at the top of the clone (``resources/``, ``seeds/``); a
wheel carries them inside the package as ``annotator/resources/`` and ``annotator/seeds/``
(``pyproject.toml`` maps them there), found through ``importlib.resources``.
Project files are the user's data and never go into the package: a checkout (the package runs
from a clone, e.g. ``pip install -e .``) keeps them in the clone's ``projects/`` folder (ignored
by git); an installed wheel (``pip install``, ``pipx install``) in the per-user data folder,
e.g. ``~/.local/share/arabic-news-annotator/projects`` on Linux (``platformdirs``).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import platformdirs

APP_NAME = "arabic-news-annotator"


def packaged(name: str) -> Path:
    """Return a folder shipped inside the ``annotator`` package as a file-system path."""
    folder = resources.files("annotator") / name
    # pip and pipx install packages unpacked, so this is a real folder; only a zip import
    # (which nothing here supports: SQLite and Qt need real files) would give something else.
    if not isinstance(folder, Path):
        raise RuntimeError(f"annotator must be installed unpacked to read {name}/")
    return folder


def checkout() -> Path | None:
    """Return the clone the package runs from, or None when it is installed from a wheel."""
    root = Path(__file__).resolve().parent.parent
    return root if (root / "pyproject.toml").is_file() else None


def default_projects() -> Path:
    """Return the folder where project files go by default (see the module docstring)."""
    root = checkout()
    if root is not None:
        return root / "projects"
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "projects"


def shipped(name: str) -> Path:
    """Return ``resources/`` or ``seeds/``: the clone's own folder, or the wheel's copy."""
    root = checkout()
    return root / name if root is not None else packaged(name)


RESOURCES = shipped("resources")
SCHEMAS = RESOURCES / "schemas"
DEFAULT_SCHEMA = SCHEMAS / "arabic_news.toml"
# The Label Studio labeling config of the default schema (annotator.io.labelstudio_config).
LABELSTUDIO_CONFIG = RESOURCES / "labelstudio" / "arabic_news.xml"
SEEDS = shipped("seeds")
PROJECTS = default_projects()
DEMO_PROJECT = PROJECTS / "demo.sqlite"
