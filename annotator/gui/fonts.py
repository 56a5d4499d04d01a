"""Arabic fonts shipped as Python packages, registered with Qt once the application exists.

A fresh Linux may have no Arabic font at all; ``fontpkg-noto-sans-arabic`` and ``fontpkg-amiri``
ship real TTF files, so the view never depends on what the system happens to have.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

from annotator.errors import AnnotatorError

log = logging.getLogger(__name__)

# Noto Sans Arabic first: a clear screen face; Amiri (Naskh, as in print) as the alternative.
FONT_PACKAGES = ("fontpkg_noto_sans_arabic", "fontpkg_amiri")
# Only DejaVu Sans covers Arabic on a bare system; Qt falls back per glyph if even that is missing.
FALLBACK_FAMILY = "DejaVu Sans"
DEFAULT_POINT_SIZE = 15

_loaded: dict[str, str] = {}


class FontError(AnnotatorError):
    """No Arabic font could be loaded (only raised when the caller asks for strictness)."""


def _font_files(package: str) -> list[Path]:
    try:
        module = importlib.import_module(package)
    except ImportError:
        return []
    root = Path(getattr(module, "ROOT", Path(module.__file__ or "").parent))
    return sorted((root / "files").glob("*.[ot]tf"))


def load_package_fonts(package: str) -> str | None:
    """Register every font file of ``package`` with Qt; return its family name, or None."""
    if package in _loaded:
        return _loaded[package]
    if QGuiApplication.instance() is None:
        raise FontError("fonts can only be loaded once the QApplication exists")
    family: str | None = None
    for path in _font_files(package):
        font_id = QFontDatabase.addApplicationFont(str(path))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if families and family is None:
            family = families[0]
    if family is not None:
        _loaded[package] = family
    return family


def arabic_family(*, strict: bool = False) -> str:
    """Return the family of the first Arabic font package that loads, else the fallback."""
    for package in FONT_PACKAGES:
        family = load_package_fonts(package)
        if family:
            return family
    message = (
        "no Arabic font package could be loaded (pip install fontpkg-noto-sans-arabic);"
        f" using {FALLBACK_FAMILY}, which may show Arabic poorly"
    )
    if strict:
        raise FontError(message)
    log.warning(message)
    return FALLBACK_FAMILY


def article_font(point_size: int = DEFAULT_POINT_SIZE) -> QFont:
    """Return the font the article view uses: the packaged Arabic face at ``point_size``."""
    font = QFont(arabic_family(), point_size)
    # Kerning and ligatures are what joined Arabic needs; hinting off keeps advances exact.
    font.setKerning(True)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font
