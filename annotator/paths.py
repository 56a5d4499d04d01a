"""Where the checkout's resources, seeds and default project folder are."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
SCHEMAS = RESOURCES / "schemas"
DEFAULT_SCHEMA = SCHEMAS / "arabic_news.toml"
SEEDS = ROOT / "seeds"
PROJECTS = ROOT / "projects"
DEMO_PROJECT = PROJECTS / "demo.sqlite"
