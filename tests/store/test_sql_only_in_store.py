"""SQL only in the store: the import-linter contract exists, covers every module, and holds."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

import annotator

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = "sql-only-in-store"


def contract() -> dict[str, object]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    found = [c for c in contracts if c.get("id") == CONTRACT]
    assert found, f"pyproject.toml has no import-linter contract {CONTRACT!r}"
    return found[0]


def test_the_contract_forbids_sqlite_to_every_module_but_the_store() -> None:
    rule = contract()
    assert rule["type"] == "forbidden"
    assert set(rule["forbidden_modules"]) == {"sqlite3", "sqlite_utils"}  # type: ignore[arg-type]
    # A module added to annotator/ later is covered only if it is named here.
    modules = {f"annotator.{m.name}" for m in pkgutil.iter_modules(annotator.__path__)}
    assert set(rule["source_modules"]) == modules - {"annotator.store"}  # type: ignore[arg-type]


def test_no_module_outside_the_store_imports_sqlite() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-logo", "--no-cache", "--contract", CONTRACT],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SQL only in the store KEPT" in result.stdout
