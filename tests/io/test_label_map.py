"""A corpus's own label names: refused with file and line, renamed by --label-map, or added.

ANERcorp tags a person ``PERS``, this project's schema says ``PER``; Wojood has labels the
default schema lacks (``OCC``). Nothing is renamed or added unless the user says so, and a
failed import adds no label.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.errors import InputError
from annotator.io.operations import import_paths
from annotator.store import Project

TEXT = "قال بوتين في موسكو"


def _doccano(path: Path, *lines: list[tuple[int, int, str]], text: str = TEXT) -> Path:
    path.write_bytes(
        b"".join(
            orjson.dumps(
                {
                    "text": f"{text} {k}" if k else text,
                    "entities": [
                        {"id": j, "start_offset": s, "end_offset": e, "label": label}
                        for j, (s, e, label) in enumerate(entities)
                    ],
                }
            )
            + b"\n"
            for k, entities in enumerate(lines)
        )
    )
    return path


def _run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def _spans(path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute('SELECT start, "end", label FROM spans ORDER BY start').fetchall()
    finally:
        conn.close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "p.sqlite"
    Project.create(path).close()
    return path


def test_an_unknown_label_is_refused_naming_file_line_and_the_way_out(
    project: Path, tmp_path: Path
) -> None:
    data = _doccano(tmp_path / "a.jsonl", [(4, 9, "PER")], [(13, 18, "GPEX")])
    code, out, err = _run("import", project, data, "--format", "doccano")
    assert code != 0 and out == ""
    (line,) = err.strip().splitlines()
    assert f"{data}:2:" in line
    assert "unknown label 'GPEX'" in line and "--label-map GPEX=LABEL" in line
    assert "--new-labels add" in line
    assert _spans(project) == []


def test_label_map_renames_as_it_reads(project: Path, tmp_path: Path) -> None:
    data = _doccano(tmp_path / "a.jsonl", [(4, 9, "PERS"), (13, 18, "GPE")])
    code, out, err = _run("import", project, data, "--format", "doccano", "--label-map", "PERS=PER")
    assert code == 0, err
    assert "imported 1 document(s), 2 span(s)" in out
    assert _spans(project) == [(4, 9, "PER"), (13, 18, "GPE")]
    assert TEXT[4:9] == "بوتين"


def test_new_labels_add_puts_them_in_the_schema_and_says_so(project: Path, tmp_path: Path) -> None:
    data = _doccano(tmp_path / "a.jsonl", [(4, 9, "OCC")])
    code, _, err = _run("import", project, data, "--format", "doccano", "--new-labels", "add")
    assert code == 0, err
    assert "added 1 label(s) to the project's schema: OCC" in err
    assert _spans(project) == [(4, 9, "OCC")]
    with Project.open(project, read_only=True) as opened:
        occ = opened.schema.label("OCC")
        assert (occ.kind, occ.shortcut, occ.attributes) == ("entity", "", ())
        assert "PER" in opened.schema.label_ids  # nothing else changed


def test_a_failed_import_adds_no_label(project: Path, tmp_path: Path) -> None:
    good = _doccano(tmp_path / "a.jsonl", [(4, 9, "OCC")])
    bad = _doccano(tmp_path / "b.jsonl", [(4, 999, "PER")], text="نص آخر")
    with Project.open(project) as opened:
        before = opened.schema.source
        with pytest.raises(InputError, match=r"b\.jsonl"):
            import_paths(opened, [good, bad], fmt="doccano", new_labels="add")
        assert opened.schema.source == before and not opened.schema.has_label("OCC")
    with Project.open(project, read_only=True) as reopened:
        assert not reopened.schema.has_label("OCC")
    assert _spans(project) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--label-map", "PERS"], "--label-map 'PERS': write FROM=TO"),
        (["--label-map", "A=PER", "--label-map", "A=ORG"], "maps A twice"),
        (["--label-map", "PERS=PER", "--label-map", "PER=ORG"], "map PERS=ORG instead"),
    ],
)
def test_a_wrong_label_map_is_one_clear_line(
    project: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    data = _doccano(tmp_path / "a.jsonl", [(4, 9, "PER")])
    code, out, err = _run("import", project, data, "--format", "doccano", *args)
    assert code != 0 and out == ""
    (line,) = err.strip().splitlines()
    assert message in line
    assert _spans(project) == []
