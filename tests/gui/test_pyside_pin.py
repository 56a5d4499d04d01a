"""PySide6 6.12.0 aborts Python 3.11 on value-type field assignment (ARABIC_TEXT.md section 9)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import PySide6

SCRIPT = textwrap.dedent(
    """
    from PySide6.QtGui import QTextCharFormat, QTextCursor, QTextDocument, QTextLayout
    from PySide6.QtWidgets import QApplication, QTextEdit

    app = QApplication([])
    doc = QTextDocument()
    doc.setPlainText("قال لافروف")
    cursor = QTextCursor(doc)
    fmt = QTextCharFormat()
    for i in range(10_000):
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor
        selection.format = fmt
        rng = QTextLayout.FormatRange()
        rng.format = fmt
        rng.start = i % 5
        rng.length = 2
    print("done", i + 1)
    """
)


def test_value_type_field_assignments_do_not_crash() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "done 10000"


def test_installed_pyside_is_below_the_broken_release() -> None:
    major, minor = (int(part) for part in PySide6.__version__.split(".")[:2])
    assert (major, minor) < (6, 12), PySide6.__version__
