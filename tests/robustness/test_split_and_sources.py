"""Small points: a --split that is not 2 or 3 finite weights is refused in one line; files of one
name in different folders keep their own source and their renamed ids are reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from robustness_support import cli, dump, sqlite_rows

from annotator.io.operations import import_paths
from annotator.io.split import Split
from annotator.store import Project

TEXT = "قال بوتين إن موسكو مستعدة للحوار"


@pytest.fixture
def news(tmp_path: Path) -> Path:
    path = tmp_path / "news.sqlite"
    with Project.create(path, annotator="mona") as project:
        for n in range(10):
            project.add_document(f"{TEXT} {n}", doc_id=f"d{n}")
    return path


@pytest.mark.parametrize(
    ("spec", "why"),
    [
        ("nan,10,10", "finite numbers of 0 or more"),
        ("10,nan,10", "finite numbers of 0 or more"),
        ("inf,10,10", "finite numbers of 0 or more"),
        ("1e309,1", "finite numbers of 0 or more"),  # too large for a float: inf
        ("80,-10,30", "finite numbers of 0 or more"),
        ("-inf,1,1", "finite numbers of 0 or more"),
        ("0,0,0", "a part larger than 0"),
        ("0,0", "a part larger than 0"),
        ("40,30,20,10", "2 or 3 numbers"),
        ("100", "2 or 3 numbers"),
        ("", "numbers like 80,10,10"),
        ("80,10,", "numbers like 80,10,10"),
        ("eighty,10,10", "numbers like 80,10,10"),
        ("0x50,10,10", "numbers like 80,10,10"),
    ],
)
def test_a_split_that_is_not_two_or_three_finite_weights_is_refused(
    news: Path, tmp_path: Path, spec: str, why: str
) -> None:
    out = tmp_path / "out" / "news.jsonl"
    out.parent.mkdir()
    before = dump(news)
    outcome = cli("export", news, out, "--split", spec)
    assert outcome.exit_code != 0, outcome
    assert "Traceback" not in outcome.stderr + outcome.stdout
    assert len(outcome.error_lines) == 1, outcome.stderr
    assert outcome.error_lines[0].startswith("error: --split "), outcome.error_lines
    assert why in outcome.error_lines[0]
    assert list(out.parent.iterdir()) == []
    assert dump(news) == before


def test_valid_splits_still_parse_to_shares_summing_to_one() -> None:
    for spec, shares in [
        ("80,10,10", (0.8, 0.1, 0.1)),
        ("1,1", (0.5, 0.5)),
        (" 90 , 10", (0.9, 0.1)),
    ]:
        split = Split.parse(spec)
        assert tuple(round(s, 9) for _, s in split.parts) == shares
    assert Split.parse("0,1,0").parts[1] == ("dev", 1.0)


# ---- same file names in different folders ---------------------------------------------------


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _sources(project: Path) -> dict[str, str]:
    rows = sqlite_rows(project, "SELECT id, meta FROM documents ORDER BY position")
    metas = {str(i): json.loads(str(m)) for i, m in rows}
    return {i: meta["source"] for i, meta in metas.items() if "source" in meta}


@pytest.fixture
def folders(tmp_path: Path) -> Path:
    """articles/ holding a/x.txt, b/x.txt and b/y.txt: two files named x.txt."""
    root = tmp_path / "articles"
    _write(root / "a" / "x.txt", "قال الرئيس إن الاتفاق قريب")
    _write(root / "b" / "x.txt", "وأضاف المتحدث أن موسكو مستعدة")
    _write(root / "b" / "y.txt", "قال الوزير إن واشنطن ترفض")
    return root


def test_files_of_one_name_keep_their_own_source_and_the_renamed_id_is_reported(
    news: Path, folders: Path
) -> None:
    outcome = cli("import", news, folders)
    assert outcome.exit_code == 0, outcome
    assert "imported 3 document(s)" in outcome.stdout
    assert (
        f"1 document id(s) were taken and were renamed: x -> x-2 ({folders / 'b' / 'x.txt'})"
        in outcome.stderr
    )
    sources = _sources(news)
    assert {k: sources[k] for k in ("x", "x-2", "y")} == {
        "x": "a/x.txt",
        "x-2": "b/x.txt",
        "y": "b/y.txt",
    }


def test_the_report_counts_every_renamed_id(news: Path, folders: Path, tmp_path: Path) -> None:
    again = tmp_path / "more"
    _write(again / "x.txt", "نص ثالث اسمه x أيضا")
    _write(again / "d1.txt", "نص اسمه مثل وثيقة موجودة")
    with Project.open(news) as project:
        report = import_paths(project, [folders, again])
    assert sorted((wanted, given) for _, wanted, given in report.renamed) == [
        ("d1", "d1-2"),
        ("x", "x-2"),
        ("x", "x-3"),
    ]
    sources = _sources(news)
    assert sources["x"] == "articles/a/x.txt" and sources["x-3"] == "more/x.txt"
    assert sources["d1-2"] == "more/d1.txt"


def test_a_single_file_keeps_its_name_as_source(news: Path, folders: Path) -> None:
    with Project.open(news) as project:
        report = import_paths(project, [folders / "b" / "y.txt"])
    assert report.renamed == []
    assert _sources(news)["y"] == "y.txt"


def test_conll_files_of_one_name_keep_their_folders(news: Path, tmp_path: Path) -> None:
    for folder, word in (("train", "موسكو"), ("test", "واشنطن")):
        _write(tmp_path / "corpus" / folder / "ner.conll", f"قال O\n{word} B-GPE\n")
    outcome = cli("import", news, tmp_path / "corpus", "--format", "conll", "--annotator", "x")
    assert outcome.exit_code == 0, outcome
    assert "ner-0001 -> ner-0001-2" in outcome.stderr
    sources = _sources(news)
    assert sorted(sources[k] for k in ("ner-0001", "ner-0001-2")) == [
        "test/ner.conll",
        "train/ner.conll",
    ]
