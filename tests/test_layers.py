"""Architecture: nothing outside annotator/gui imports PySide6 (HOUSE_STYLE layering)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import annotator

BLOCKER = """
import importlib, pkgutil, sys

class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6."):
            raise ImportError("PySide6 is blocked outside annotator.gui")

sys.meta_path.insert(0, Block())
import annotator
for info in pkgutil.walk_packages(annotator.__path__, "annotator."):
    if info.name.startswith("annotator.gui"):
        continue
    importlib.import_module(info.name)
print("ok", sorted(m for m in sys.modules if m.startswith("annotator.")).__len__())
"""


def test_core_modules_import_with_pyside6_blocked():
    result = subprocess.run([sys.executable, "-c", BLOCKER], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok")
    core = [
        i.name
        for i in pkgutil.walk_packages(annotator.__path__, "annotator.")
        if not i.name.startswith("annotator.gui")
    ]
    assert int(result.stdout.split()[1]) >= len(core)
