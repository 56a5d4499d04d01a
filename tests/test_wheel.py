"""The wheel is the program pip and pipx install: built from the clone, installed into a fresh
virtual environment outside it and used from another folder, it has its schema and seeds and
keeps its projects out of site-packages.

Needs pip to reach the package index (the build backend and the dependencies come from there);
without it the test fails rather than skips, since a wheel nobody checked is the bug it guards.
"""

from __future__ import annotations

import json
import shutil
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fresh_clone import clean_env, copy_checkout, run

from conftest import SEED_TXT

pytestmark = pytest.mark.slow  # about half a minute: a wheel and a fresh venv

SEED_ID = SEED_TXT.stem
DEMO_ARTICLES = ("001_demo_lavrov_geneva", "002_demo_kremlin_talks")  # not annotated
PACKAGED = {
    "annotator/py.typed",
    "annotator/resources/schemas/arabic_news.toml",
    "annotator/resources/labelstudio/arabic_news.xml",
    "annotator/resources/lexicons/reporting_verbs.txt",
    f"annotator/seeds/{SEED_ID}.txt",
    f"annotator/seeds/{SEED_ID}.example.jsonl",
    *(f"annotator/seeds/{doc_id}.txt" for doc_id in DEMO_ARTICLES),
}


@dataclass(frozen=True)
class Installed:
    """A wheel built from the clone and the fresh virtual environment it is installed in."""

    wheel: Path
    bin: Path
    work: Path
    env: dict[str, str]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    """Build the wheel from a copy of the clone and install it into a fresh venv."""
    work = tmp_path_factory.mktemp("wheel")
    env = clean_env(work)
    source = copy_checkout(work / "source")
    dist = work / "dist"
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", dist, source]
    run(pip_wheel, cwd=work, env=env)
    (wheel,) = dist.glob("*.whl")
    run([sys.executable, "-m", "venv", work / "venv"], cwd=work, env=env)
    venv_bin = work / "venv" / "bin"
    run([venv_bin / "pip", "install", "--quiet", wheel], cwd=work, env=env)
    yield Installed(wheel=wheel, bin=venv_bin, work=work, env=env)
    shutil.rmtree(work, ignore_errors=True)  # the venv is half a gigabyte


def test_wheel_carries_the_schema_and_the_seeds(installed: Installed) -> None:
    """The data files are inside the package, and nothing lands at the top of site-packages."""
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    assert names >= PACKAGED
    tops = {name.split("/")[0] for name in names}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"annotator"}
    # pyproject.toml lists the packages by hand (two of them are mapped from the clone's top):
    # every package of annotator/ must be in the wheel.
    source = Path(__file__).resolve().parents[1] / "annotator"
    packages = {p.parent.relative_to(source.parent) for p in source.rglob("__init__.py")}
    assert {f"{p.as_posix()}/__init__.py" for p in packages} <= names


def test_installed_annotator_inits_imports_and_exports_from_another_folder(
    installed: Installed,
) -> None:
    """`annotator init`, `import` and `export` in a folder that is not the clone."""
    folder = installed.work / "elsewhere"
    folder.mkdir()
    article = folder / "article.txt"
    article.write_bytes(SEED_TXT.read_bytes())
    annotator = installed.bin / "annotator"
    created = run([annotator, "init", "p.sqlite"], cwd=folder, env=installed.env)
    assert "labels PER, ORG" in created  # the packaged default schema was read
    run([annotator, "import", "p.sqlite", article.name], cwd=folder, env=installed.env)
    run([annotator, "export", "p.sqlite", "out.jsonl", "--format", "native"], folder, installed.env)
    (line,) = (folder / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["text"] == SEED_TXT.read_text(encoding="utf-8")


def test_installed_demo_goes_to_the_user_data_folder(installed: Installed) -> None:
    """The installed package is not the clone's; its demo is built from the packaged seeds in
    the per-user data folder ($XDG_DATA_HOME here), not in site-packages."""
    script = (
        "import json, annotator, annotator.paths as p\n"
        "from annotator.demo import build_demo_project\n"
        "print(json.dumps({'package': annotator.__file__, 'checkout': str(p.checkout()),"
        " 'demo': str(build_demo_project())}))\n"
    )
    folder = installed.work / "demo-run"
    folder.mkdir()
    out = json.loads(run([installed.bin / "python", "-c", script], folder, installed.env))
    assert Path(out["package"]).is_relative_to(installed.work / "venv")
    assert out["checkout"] == "None"
    demo = Path(installed.env["XDG_DATA_HOME"]) / "arabic-news-annotator/projects/demo.sqlite"
    assert out["demo"] == str(demo) and demo.is_file()
    listed = run([installed.bin / "annotator", "list", demo], folder, installed.env)
    counts = {row.split("\t")[0]: int(row.split("\t")[2]) for row in listed.splitlines()}
    assert list(counts) == [SEED_ID, *DEMO_ARTICLES]
    assert counts[SEED_ID] > 0  # the seed and its example annotation
    assert all(counts[doc_id] == 0 for doc_id in DEMO_ARTICLES)
