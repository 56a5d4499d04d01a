"""Every malformed input in tests/data/bad through ``annotator import``.

Each must give one line naming the file (and line), a non-zero exit, no traceback, and leave
the project exactly as it was.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from robustness_support import BAD, assert_one_clear_line, cli, dump, sqlite_rows

from annotator.io.registry import readable

BIG = 20 * 1024 * 1024  # the 20 MB single line


def big_txt(tmp: Path) -> Path:
    """A 20 MB article on one line: valid UTF-8, far too long for one document."""
    path = tmp / "one_line_20mb.txt"
    word = "الاتفاق ".encode()
    path.write_bytes(word * (BIG // len(word)))
    return path


def big_broken_jsonl(tmp: Path) -> Path:
    """A valid first line, then a 20 MB JSON line cut off before its end."""
    path = tmp / "one_line_20mb_broken.jsonl"
    with path.open("wb") as fh:
        fh.write(json.dumps({"id": "ok", "text": "نص قصير"}, ensure_ascii=False).encode() + b"\n")
        fh.write(b'{"id": "huge", "text": "' + "كلمة ".encode() * (BIG // 9))
    return path


def big_valid_jsonl(tmp: Path) -> Path:
    """One well-formed 20 MB JSON line whose text is far too long for one document."""
    path = tmp / "one_line_20mb.jsonl"
    text = "كلمة " * (BIG // 9)
    path.write_bytes(json.dumps({"id": "huge", "text": text}, ensure_ascii=False).encode())
    return path


def big_conll(tmp: Path) -> Path:
    """A 20 MB CoNLL "line" with no tag: the message must quote it short."""
    path = tmp / "one_line_20mb.conll"
    path.write_bytes("كلمة".encode() * (BIG // 8))
    return path


def folder_without_txt(tmp: Path) -> Path:
    """A folder given where .txt files were expected, holding none."""
    folder = tmp / "articles"
    folder.mkdir()
    (folder / "notes.md").write_text("# ملاحظات\n", encoding="utf-8")
    return folder


def folder_with_one_bad(tmp: Path) -> Path:
    """A batch of three articles, the second of which is not UTF-8."""
    folder = tmp / "batch"
    folder.mkdir()
    (folder / "a_good.txt").write_text("خبر أول صحيح", encoding="utf-8")
    shutil.copyfile(BAD / "txt_cp1256.txt", folder / "b_bad.txt")
    (folder / "c_good.txt").write_text("خبر ثالث صحيح", encoding="utf-8")
    return folder


def missing(tmp: Path) -> Path:
    """A path to a file that does not exist."""
    return tmp / "no_such_article.txt"


@dataclass(frozen=True)
class Case:
    """One bad input: the file, how it is imported, and what the message must say."""

    source: str | Callable[[Path], Path]
    fmt: str
    expect: str  # regular expression the message must match
    line: int | None = None
    options: tuple[str, ...] = ()
    named: str = ""  # the file the message names, when not the input itself
    extra: dict[str, str] = field(default_factory=dict)


CASES: dict[str, Case] = {
    # ---- plain text
    "txt-invalid-utf8": Case("txt_invalid_utf8.txt", "txt", r"not valid utf-8 at byte \d+", 3),
    "txt-utf16le-bom": Case("txt_utf16le_bom.txt", "txt", r"UTF-16.*--encoding utf-16"),
    "txt-utf16be-bom": Case("txt_utf16be_bom.txt", "txt", r"UTF-16.*--encoding utf-16"),
    "txt-cp1256-without-encoding": Case("txt_cp1256.txt", "txt", r"--encoding cp1256", 1),
    "txt-utf8-read-as-cp1256": Case(
        "txt_utf8_as_cp1256.txt", "txt", r"is UTF-8, not cp1256", options=("--encoding", "cp1256")
    ),
    "txt-unknown-encoding": Case(
        "txt_cp1256.txt",
        "txt",
        r"unknown encoding 'arabic-dos'",
        options=("--encoding", "arabic-dos"),
    ),
    "txt-nul-bytes": Case("txt_nul_bytes.txt", "txt", r"NUL bytes"),
    "txt-empty": Case("txt_empty.txt", "txt", r"empty"),
    "txt-whitespace-only": Case("txt_whitespace_only.txt", "txt", r"empty"),
    "txt-binary-png": Case("txt_binary_png.txt", "txt", r"not valid utf-8 at byte 0", 1),
    "txt-20mb-single-line": Case(big_txt, "txt", r"too long for one article.*split"),
    "txt-folder-without-txt": Case(folder_without_txt, "txt", r"no \.txt files in this folder"),
    "txt-batch-with-one-bad-file": Case(
        folder_with_one_bad, "txt", r"--encoding cp1256", 1, named="b_bad.txt"
    ),
    "txt-missing-file": Case(missing, "txt", r"no such file"),
    # ---- native JSONL
    "jsonl-broken-line": Case("jsonl_broken_line.jsonl", "native", r"not valid JSON", 3),
    "jsonl-truncated-last-line": Case(
        "jsonl_truncated_last_line.jsonl", "native", r"not valid JSON.*end of data", 2
    ),
    "jsonl-missing-text": Case("jsonl_missing_text.jsonl", "native", r'no "text"', 2),
    "jsonl-empty-text": Case("jsonl_empty_text.jsonl", "native", r'no "text"', 1),
    "jsonl-text-not-string": Case("jsonl_text_not_string.jsonl", "native", r'"text"', 1),
    "jsonl-line-not-object": Case("jsonl_line_not_object.jsonl", "native", r"JSON object", 2),
    "jsonl-offsets-out-of-range": Case(
        "jsonl_offsets_out_of_range.jsonl", "native", r"\[20, 40\) does not fit", 2
    ),
    "jsonl-end-equals-start": Case(
        "jsonl_end_equals_start.jsonl", "native", r"\[4, 4\) does not fit", 1
    ),
    "jsonl-end-before-start": Case(
        "jsonl_end_before_start.jsonl", "native", r"\[10, 4\) does not fit", 1
    ),
    "jsonl-negative-start": Case("jsonl_negative_start.jsonl", "native", r"\[-1, 3\)", 1),
    "jsonl-float-offsets": Case("jsonl_float_offsets.jsonl", "native", r"whole numbers", 1),
    "jsonl-span-missing-label": Case(
        "jsonl_span_missing_label.jsonl", "native", r"missing 'label'", 1
    ),
    "jsonl-unknown-label": Case(
        "jsonl_unknown_label.jsonl", "native", r"unknown label 'PRESIDENT'.*PER", 2
    ),
    "jsonl-bad-attribute-value": Case(
        "jsonl_bad_attribute_value.jsonl", "native", r"direct / indirect / mixed", 1
    ),
    "jsonl-duplicate-span-ids": Case(
        "jsonl_duplicate_span_ids.jsonl", "native", r"two spans share one id", 1
    ),
    "jsonl-duplicate-relation-ids": Case(
        "jsonl_duplicate_relation_ids.jsonl", "native", r"two relations share one id", 1
    ),
    "jsonl-relation-to-missing-span": Case(
        "jsonl_relation_missing_span.jsonl", "native", r"missing span 'ghost'", 2
    ),
    "jsonl-relation-not-allowed": Case(
        "jsonl_relation_not_allowed.jsonl", "native", r"SPEAKER link starts at a QUOTE", 1
    ),
    "jsonl-spans-not-a-list": Case("jsonl_spans_not_list.jsonl", "native", r"span", 1),
    "jsonl-empty": Case("jsonl_empty.jsonl", "jsonl", r"no records"),
    "jsonl-blank-lines-only": Case("jsonl_blank_lines_only.jsonl", "jsonl", r"no records"),
    "jsonl-invalid-utf8": Case("jsonl_invalid_utf8.jsonl", "native", r"not valid UTF-8", 2),
    "jsonl-cp1256": Case("jsonl_cp1256.jsonl", "native", r"not valid UTF-8.*cp1256", 1),
    "jsonl-utf16-bom": Case("jsonl_utf16_bom.jsonl", "native", r"UTF-16.*UTF-8"),
    "jsonl-nul-byte": Case("jsonl_nul_byte.jsonl", "native", r"control character", 2),
    "jsonl-20mb-line-cut-off": Case(big_broken_jsonl, "native", r"not valid JSON.*end of data", 2),
    "jsonl-20mb-valid-line": Case(big_valid_jsonl, "native", r"too long for one article", 1),
    # ---- doccano JSONL (offsets in UTF-16 units)
    "doccano-broken-line": Case("doccano_broken_line.jsonl", "doccano", r"JSON", 2),
    "doccano-offsets-out-of-range": Case(
        "doccano_offsets_out_of_range.jsonl", "doccano", r"\b20\b.*\b99\b|fit|range", 2
    ),
    "doccano-end-before-start": Case(
        "doccano_end_before_start.jsonl", "doccano", r"fit|before|start", 1
    ),
    "doccano-unknown-label": Case(
        "doccano_unknown_label.jsonl", "doccano", r"unknown label 'Person'", 1
    ),
    "doccano-missing-text": Case("doccano_missing_text.jsonl", "doccano", r'"text"|text', 2),
    "doccano-relation-to-missing-span": Case(
        "doccano_relation_missing_span.jsonl", "doccano", r"\b7\b", 1
    ),
    "doccano-cp1256": Case("doccano_cp1256.jsonl", "doccano", r"not valid UTF-8.*cp1256", 1),
    "doccano-duplicate-entity-ids": Case(
        "doccano_duplicate_entity_ids.jsonl", "doccano", r"share|duplicate|twice", 1
    ),
    # ---- CoNLL (token TAG lines)
    "conll-malformed-line": Case("conll_malformed_line.conll", "conll", r"token|column|TAG", 3),
    "conll-missing-tag": Case("conll_missing_tag.conll", "conll", r"token|column|TAG|tag", 2),
    # The label is checked when the document is stored, so the line is where it starts.
    "conll-unknown-label": Case("conll_unknown_label.conll", "conll", r"PRESIDENT", 1),
    "conll-bad-tag-prefix": Case("conll_bad_tag_prefix.conll", "conll", r"X-PER", 2),
    "conll-invalid-utf8": Case("conll_invalid_utf8.conll", "conll", r"UTF-8|utf-8", 2),
    "conll-empty": Case("conll_empty.conll", "conll", r"empty|no (tokens|records|sentences)"),
    "conll-20mb-single-line": Case(big_conll, "conll", r"expected 'token TAG', got 'كلمة", 1),
    "conll-utf16-bom": Case("txt_utf16le_bom.txt", "conll", r"not valid utf-8", 1),
    # ---- Label Studio JSON
    # Label Studio files are one JSON array: the line is where the task (or the error) is.
    "labelstudio-broken-json": Case("labelstudio_broken_json.json", "labelstudio", r"JSON", 22),
    "labelstudio-cp1256": Case(
        "labelstudio_cp1256.json", "labelstudio", r"not valid UTF-8 at byte \d+.*cp1256", 5
    ),
    "labelstudio-utf16-bom": Case("labelstudio_utf16_bom.json", "labelstudio", r"UTF-16.*UTF-8"),
    "labelstudio-not-a-list": Case("labelstudio_not_a_list.json", "labelstudio", r"task", 1),
    "labelstudio-missing-text": Case(
        "labelstudio_missing_text.json", "labelstudio", r"data\.text", 28
    ),
    "labelstudio-offsets-out-of-range": Case(
        "labelstudio_offsets_out_of_range.json", "labelstudio", r"\[20, 90\) does not fit", 2
    ),
    "labelstudio-unknown-label": Case(
        "labelstudio_unknown_label.json", "labelstudio", r"unknown label 'Person'", 2
    ),
    "labelstudio-relation-to-missing-span": Case(
        "labelstudio_relation_missing_span.json", "labelstudio", r"missing region 'ghost'", 2
    ),
}

# A format whose reader is not registered yet has nothing to test: its cases join the table
# as soon as its module registers it.
ACTIVE = {name: case for name, case in CASES.items() if case.fmt in readable()}


@pytest.mark.parametrize("name", sorted(ACTIVE))
def test_bad_input_is_refused_clearly(name: str, filled: Path, tmp_path: Path) -> None:
    """One line naming the file and line, a non-zero exit, and the project unchanged."""
    case = ACTIVE[name]
    source = BAD / case.source if isinstance(case.source, str) else case.source(tmp_path)
    named = source / case.named if case.named else source
    before = dump(filled)

    outcome = cli("import", filled, source, "--format", case.fmt, *case.options)

    message = assert_one_clear_line(outcome, [named], case.line)
    assert re.search(case.expect, message), message
    assert outcome.exit_code == 2
    assert dump(filled) == before


def test_conll_i_tag_after_o_starts_a_new_entity(filled: Path) -> None:
    """An I- tag after O is read as conlleval reads it (ANERcorp has them), never dropped."""
    outcome = cli("import", filled, BAD / "conll_i_after_o.conll", "--format", "conll")

    assert outcome.exit_code == 0, outcome.stderr
    rows = sqlite_rows(filled, "SELECT id, text FROM documents ORDER BY position DESC LIMIT 1")
    doc_id, text = rows[0]
    assert isinstance(text, str)
    spans = sqlite_rows(filled, 'SELECT start, "end", label FROM spans WHERE doc_id = ?', doc_id)
    found = {(text[start:end], label) for start, end, label in spans}
    assert found == {("الرئيس بوتين", "PER"), ("موسكو", "GPE")}
