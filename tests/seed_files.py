"""The seed article, its example annotation and the awkward samples, for every test's imports.

Kept apart from the conftest files: ``from conftest import ...`` finds whichever conftest pytest
loaded last (tests/store has one of its own), so each conftest re-exports these names.
"""

from __future__ import annotations

from pathlib import Path

from annotator.paths import SEEDS

SEED_TXT = SEEDS / "000_2024f0fe6e876b71.txt"
SEED_EXAMPLE = SEEDS / "000_2024f0fe6e876b71.example.jsonl"
SEED_ID = "000_2024f0fe6e876b71"
SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
if not SAMPLES.is_dir():  # a CI clone has shared/ beside the checkout, as here
    SAMPLES = Path(__file__).resolve().parents[1] / "tests" / "data" / "samples"
