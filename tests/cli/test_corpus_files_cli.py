"""A new user's way with the public Arabic NER corpora: the default project, one import, one export.

Wojood's nested file (21 labels, 13 of them unknown to the default schema) and ANERcorp (PERS,
LOC, ORG, MISC) import into a project made by ``annotator init`` with ``--new-labels add`` or
``--label-map``, and export back with their tokens and tags unchanged.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from annotator.cli import main
from annotator.store import Project

DATA = Path(__file__).resolve().parents[1] / "data" / "conll"
WOJOOD = DATA / "wojood_nested.txt"
ANERCORP = DATA / "anercorp_camel.txt"


def _run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def _init(tmp_path: Path) -> Path:
    project = tmp_path / "corpus.sqlite"
    assert _run("init", project)[0] == 0
    return project


def test_wojood_into_the_default_schema_with_new_labels_and_back(tmp_path: Path) -> None:
    project = _init(tmp_path)
    refused = _run("import", project, WOJOOD, "--format", "conll")
    assert refused[0] != 0 and "unknown label 'OCC'" in refused[2] and f"{WOJOOD}:2:" in refused[2]
    code, _, err = _run(
        "import", project, WOJOOD, "--format", "conll", "--annotator", "wojood",
        "--new-labels", "add",
    )  # fmt: skip
    assert code == 0, err
    added = next(line for line in err.splitlines() if line.startswith("added "))
    assert "OCC" in added and "CURR" in added and "PER," not in added
    with Project.open(project, read_only=True) as opened:
        assert opened.schema.has_label("OCC") and opened.schema.label("OCC").kind == "entity"
    back = tmp_path / "back.conll"
    code, _, err = _run("export", project, back, "--format", "conll", "--nested")
    assert code == 0, err
    assert back.read_bytes() == WOJOOD.read_bytes()


def test_anercorp_with_its_own_labels_and_with_the_projects(tmp_path: Path) -> None:
    project = _init(tmp_path)
    code, _, err = _run("import", project, ANERCORP, "--format", "conll", "--new-labels", "add")
    assert code == 0, err
    assert "added 1 label(s) to the project's schema: PERS" in err
    back = tmp_path / "back.conll"
    assert _run("export", project, back, "--format", "conll", "--bio-tokens", "whole")[0] == 0
    assert back.read_bytes() == ANERCORP.read_bytes()
    # Into another project with PERS read as the schema's PER: the same file, PER for PERS.
    other = tmp_path / "other.sqlite"
    assert _run("init", other)[0] == 0
    code, _, err = _run("import", other, ANERCORP, "--format", "conll", "--label-map", "PERS=PER")
    assert code == 0, err
    mapped = tmp_path / "mapped.conll"
    assert _run("export", other, mapped, "--format", "conll", "--bio-tokens", "whole")[0] == 0
    expected = ANERCORP.read_text(encoding="utf-8").replace("-PERS\n", "-PER\n")
    assert mapped.read_text(encoding="utf-8") == expected
    assert "B-PER\n" in expected
