"""Every malformed input in tests/data/bad through ``annotator import``.

Each must give one line naming the file (and line) and then saying what is wrong, exit 2, no
traceback, and leave the project exactly as it was. Every importable format has cases here.
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

from annotator.io.registry import formats

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


def looping_link(tmp: Path) -> Path:
    """A symbolic link to a link back to itself: it leads nowhere."""
    first, second = tmp / "article.txt", tmp / "other.txt"
    first.symlink_to(second)
    second.symlink_to(first)
    return first


def labelstudio_10000_deep(tmp: Path) -> Path:
    """Ten thousand nested lists: Python's own JSON parser would run out of stack."""
    path = tmp / "deep.json"
    path.write_text("[" * 10_000 + "]" * 10_000, encoding="utf-8")
    return path


def doccano_10000_deep(tmp: Path) -> Path:
    """A good line, then one whose entities nest ten thousand deep."""
    path = tmp / "deep.jsonl"
    good = json.dumps({"text": "قال الرئيس إن الاتفاق قريب"}, ensure_ascii=False)
    path.write_text(good + '\n{"text": "x", "entities": ' + "[" * 10_000 + "\n", encoding="utf-8")
    return path


@dataclass(frozen=True)
class Case:
    """One bad input: the file, how it is imported, and what the message must say."""

    source: str | Callable[[Path], Path]
    fmt: str
    # A regular expression the reason must match from its start: the reason is what follows
    # "error: FILE:LINE: ", so the file's name can never be what matches.
    expect: str
    line: int | None = None
    options: tuple[str, ...] = ()
    named: str = ""  # the file the message names, when not the input itself
    extra: dict[str, str] = field(default_factory=dict)


NOT_UTF8 = r"not valid utf-8 at byte {} \(Windows Arabic files need --encoding cp1256\)$"
BAD_JSON_END = r"not valid JSON at character \d+ of the line: unexpected end of data$"
NOT_UTF8_JSONL = (
    r"not valid UTF-8 at byte \d+ of the line; JSON Lines must be saved as UTF-8"
    r" \(a Windows Arabic file is cp1256: convert it first\)$"
)
NO_TEXT = r'the record has no "text"$'
SCHEMA = r"; the schema has PER, ORG, GPE, LOC, NORP, FAC, EVENT, DATE, MISC, QUOTE, CUE, CLAIM$"
MAP_HINT = (
    r" \(the project's labels: PER, ORG, GPE, LOC, NORP, FAC, EVENT, DATE, MISC, QUOTE, CUE,"
    r" CLAIM\); rename it with --label-map \S+=LABEL or add it with --new-labels add \(in File >"
    r" Import: Rename labels, Add labels the schema lacks\)$"
)
TOO_LONG = (
    r"a document of [\d,]+ characters is too long for one article \(the limit is [\d,]+\);"
    r" split the file into articles$"
)


def does_not_fit(start: int, end: int) -> str:
    """The reason given for a span outside the 26-character test sentence."""
    return rf"span \[{start}, {end}\) does not fit the text: need 0 <= start < end <= 26$"


# Every importable format has its cases here, listed by hand: a format that loses its reader
# fails its cases (and test_every_importable_format_has_its_cases) instead of dropping them.
CASES: dict[str, Case] = {
    # ---- plain text
    "txt-invalid-utf8": Case("txt_invalid_utf8.txt", "txt", NOT_UTF8.format(55), 3),
    "txt-utf16le-bom": Case(
        "txt_utf16le_bom.txt", "txt", r"the file is UTF-16; import it with --encoding utf-16$"
    ),
    "txt-utf16be-bom": Case(
        "txt_utf16be_bom.txt", "txt", r"the file is UTF-16; import it with --encoding utf-16$"
    ),
    "txt-cp1256-without-encoding": Case("txt_cp1256.txt", "txt", NOT_UTF8.format(0), 1),
    "txt-utf8-read-as-cp1256": Case(
        "txt_utf8_as_cp1256.txt",
        "txt",
        r"the file is UTF-8, not cp1256; import it without --encoding$",
        options=("--encoding", "cp1256"),
    ),
    "txt-unknown-encoding": Case(
        "txt_cp1256.txt",
        "txt",
        r"unknown encoding 'arabic-dos'$",
        options=("--encoding", "arabic-dos"),
    ),
    "txt-nul-bytes": Case(
        "txt_nul_bytes.txt", "txt", r"the file contains NUL bytes: not a text file$"
    ),
    "txt-empty": Case("txt_empty.txt", "txt", r"the file is empty$"),
    "txt-whitespace-only": Case("txt_whitespace_only.txt", "txt", r"the file is empty$"),
    "txt-binary-png": Case("txt_binary_png.txt", "txt", NOT_UTF8.format(0), 1),
    "txt-20mb-single-line": Case(big_txt, "txt", TOO_LONG),
    "txt-folder-without-txt": Case(folder_without_txt, "txt", r"no \.txt files in this folder$"),
    "txt-batch-with-one-bad-file": Case(
        folder_with_one_bad, "txt", NOT_UTF8.format(0), 1, named="b_bad.txt"
    ),
    "txt-missing-file": Case(missing, "txt", r"no such file$"),
    "txt-looping-link": Case(looping_link, "txt", r"a symbolic link that loops back on itself$"),
    # The check that refuses UTF-8 read as cp1256 holds for every codec.
    "txt-utf8-read-as-utf16": Case(
        "txt_utf8_as_cp1256.txt",
        "txt",
        r"the file is UTF-8, not utf-16; import it without --encoding$",
        options=("--encoding", "utf-16"),
    ),
    "txt-not-a-character-set": Case(
        "txt_cp1256.txt",
        "txt",
        r"'rot13' is not a text encoding \(it transforms bytes\)",
        options=("--encoding", "rot13"),
    ),
    # ---- native JSONL
    "jsonl-broken-line": Case("jsonl_broken_line.jsonl", "native", BAD_JSON_END, 3),
    "jsonl-truncated-last-line": Case("jsonl_truncated_last_line.jsonl", "native", BAD_JSON_END, 2),
    "jsonl-missing-text": Case("jsonl_missing_text.jsonl", "native", NO_TEXT, 2),
    "jsonl-empty-text": Case("jsonl_empty_text.jsonl", "native", NO_TEXT, 1),
    # "text": 42 is reported as no text at all, not as text of the wrong type.
    "jsonl-text-not-string": Case("jsonl_text_not_string.jsonl", "native", NO_TEXT, 1),
    "jsonl-line-not-object": Case(
        "jsonl_line_not_object.jsonl", "native", r"each line must be a JSON object$", 2
    ),
    "jsonl-offsets-out-of-range": Case(
        "jsonl_offsets_out_of_range.jsonl", "native", does_not_fit(20, 40), 2
    ),
    "jsonl-end-equals-start": Case("jsonl_end_equals_start.jsonl", "native", does_not_fit(4, 4), 1),
    "jsonl-end-before-start": Case(
        "jsonl_end_before_start.jsonl", "native", does_not_fit(10, 4), 1
    ),
    "jsonl-negative-start": Case("jsonl_negative_start.jsonl", "native", does_not_fit(-1, 3), 1),
    "jsonl-float-offsets": Case(
        "jsonl_float_offsets.jsonl",
        "native",
        r"offsets must be whole numbers, got start=4\.0 end=10\.5$",
        1,
    ),
    "jsonl-span-missing-label": Case(
        "jsonl_span_missing_label.jsonl", "native", r"a span is missing 'label'$", 1
    ),
    "jsonl-unknown-label": Case(
        "jsonl_unknown_label.jsonl", "native", r"unknown label 'PRESIDENT'" + MAP_HINT, 2
    ),
    "jsonl-bad-attribute-value": Case(
        "jsonl_bad_attribute_value.jsonl",
        "native",
        r"QUOTE type must be one of direct / indirect / mixed, got 'sarcastic'$",
        1,
    ),
    "jsonl-duplicate-span-ids": Case(
        "jsonl_duplicate_span_ids.jsonl", "native", r"two spans share one id$", 1
    ),
    "jsonl-duplicate-relation-ids": Case(
        "jsonl_duplicate_relation_ids.jsonl", "native", r"two relations share one id$", 1
    ),
    "jsonl-relation-to-missing-span": Case(
        "jsonl_relation_missing_span.jsonl",
        "native",
        r"relation r1 points to missing span 'ghost'$",
        2,
    ),
    "jsonl-relation-not-allowed": Case(
        "jsonl_relation_not_allowed.jsonl",
        "native",
        r"a SPEAKER link starts at a QUOTE span, not at PER$",
        1,
    ),
    "jsonl-spans-not-a-list": Case(
        "jsonl_spans_not_list.jsonl", "native", r'"spans" must be a list$', 1
    ),
    "jsonl-empty": Case("jsonl_empty.jsonl", "jsonl", r"the file holds no records$"),
    "jsonl-blank-lines-only": Case(
        "jsonl_blank_lines_only.jsonl", "jsonl", r"the file holds no records$"
    ),
    "jsonl-invalid-utf8": Case("jsonl_invalid_utf8.jsonl", "native", NOT_UTF8_JSONL, 2),
    "jsonl-cp1256": Case("jsonl_cp1256.jsonl", "native", NOT_UTF8_JSONL, 1),
    "jsonl-utf16-bom": Case(
        "jsonl_utf16_bom.jsonl", "native", r"the file is UTF-16; JSON Lines must be saved as UTF-8$"
    ),
    "jsonl-nul-byte": Case(
        "jsonl_nul_byte.jsonl",
        "native",
        r"not valid JSON at character \d+ of the line: unexpected control character in string$",
        2,
    ),
    "jsonl-20mb-line-cut-off": Case(big_broken_jsonl, "native", BAD_JSON_END, 2),
    "jsonl-lone-surrogate": Case(
        "jsonl_lone_surrogate.jsonl",
        "native",
        r"not valid JSON at character \d+ of the line: .*surrogate.*: a \\u escape names half",
        2,
    ),
    "jsonl-20mb-valid-line": Case(big_valid_jsonl, "native", TOO_LONG, 1),
    # ---- doccano JSONL (offsets in UTF-16 units)
    "doccano-broken-line": Case("doccano_broken_line.jsonl", "doccano", BAD_JSON_END, 2),
    "doccano-offsets-out-of-range": Case(
        "doccano_offsets_out_of_range.jsonl",
        "doccano",
        r"UTF-16 offset 99 does not fit the text \(0\.\.26 units\)$",
        2,
    ),
    "doccano-end-before-start": Case(
        "doccano_end_before_start.jsonl", "doccano", does_not_fit(10, 4), 1
    ),
    "doccano-unknown-label": Case(
        "doccano_unknown_label.jsonl", "doccano", r"unknown label 'Person'" + MAP_HINT, 1
    ),
    "doccano-missing-text": Case("doccano_missing_text.jsonl", "doccano", NO_TEXT, 2),
    "doccano-relation-to-missing-span": Case(
        "doccano_relation_missing_span.jsonl",
        "doccano",
        r"a relation points to missing entity 7$",
        1,
    ),
    "doccano-cp1256": Case("doccano_cp1256.jsonl", "doccano", NOT_UTF8_JSONL, 1),
    "doccano-nested-10000-deep": Case(
        doccano_10000_deep,
        "doccano",
        r"not valid JSON at character \d+ of the line: nested too deeply",
        2,
    ),
    "doccano-duplicate-entity-ids": Case(
        "doccano_duplicate_entity_ids.jsonl", "doccano", r"two entities share the id 1$", 1
    ),
    # ---- CoNLL (token TAG lines)
    # The tag is the last column (as in CoNLL-2003), so a line with extra columns has a bad tag.
    "conll-malformed-line": Case(
        "conll_malformed_line.conll", "conll", r"tag 'columns' is not O, B-X or I-X$", 3
    ),
    "conll-missing-tag": Case(
        "conll_missing_tag.conll", "conll", r"expected 'token TAG', got 'الرئيس'$", 2
    ),
    # The label is checked where the tag is.
    "conll-unknown-label": Case(
        "conll_unknown_label.conll", "conll", r"unknown label 'PRESIDENT'" + MAP_HINT, 2
    ),
    "conll-bad-tag-prefix": Case(
        "conll_bad_tag_prefix.conll", "conll", r"tag 'X-PER' is not O, B-X or I-X$", 2
    ),
    # CoNLL files are decoded as plain text is: the byte counts from the start of the file.
    "conll-invalid-utf8": Case("conll_invalid_utf8.conll", "conll", NOT_UTF8.format(9), 2),
    "conll-empty": Case("conll_empty.conll", "conll", r"the file holds no tokens$"),
    # Quoted short: the line itself would not fit on a screen.
    "conll-20mb-single-line": Case(
        big_conll, "conll", r"expected 'token TAG', got '(كلمة){5,20}…'$", 1
    ),
    "conll-unknown-encoding": Case(
        "conll_i_after_o.conll",
        "conll",
        r"unknown encoding 'arabic-dos'$",
        options=("--encoding", "arabic-dos"),
    ),
    "conll-utf8-read-as-cp1256": Case(
        "conll_i_after_o.conll",
        "conll",
        r"the file is UTF-8, not cp1256; import it without --encoding$",
        options=("--encoding", "cp1256"),
    ),
    "conll-utf16-bom": Case(
        "txt_utf16le_bom.txt", "conll", r"the file is UTF-16; import it with --encoding utf-16$"
    ),
    # ---- Label Studio JSON
    # Label Studio files are one JSON array: the line is where the task (or the error) is.
    "labelstudio-broken-json": Case(
        "labelstudio_broken_json.json",
        "labelstudio",
        r"not valid JSON \(Expecting ',' delimiter\)$",
        22,
    ),
    "labelstudio-cp1256": Case(
        "labelstudio_cp1256.json",
        "labelstudio",
        r"not valid UTF-8 at byte \d+; Label Studio JSON must be saved as UTF-8"
        r" \(a Windows Arabic file is cp1256: convert it first\)$",
        5,
    ),
    "labelstudio-utf16-bom": Case(
        "labelstudio_utf16_bom.json",
        "labelstudio",
        r"the file is UTF-16; Label Studio JSON must be saved as UTF-8$",
    ),
    # One object is read as one task (Label Studio exports a single task so): it has no data.
    # A Label Studio export is one line: every message about a task names it (position, id).
    "labelstudio-not-a-list": Case(
        "labelstudio_not_a_list.json", "labelstudio", r'task 1: the task has no "data"$', 1
    ),
    "labelstudio-missing-text": Case(
        "labelstudio_missing_text.json",
        "labelstudio",
        r'task 2 \(id 2\): the task has no "data\.text"$',
        28,
    ),
    "labelstudio-offsets-out-of-range": Case(
        "labelstudio_offsets_out_of_range.json",
        "labelstudio",
        r"task 1 \(id 3\): " + does_not_fit(20, 90),
        2,
    ),
    "labelstudio-unknown-label": Case(
        "labelstudio_unknown_label.json",
        "labelstudio",
        r"task 1 \(id 4\): unknown label 'Person'" + MAP_HINT,
        2,
    ),
    "labelstudio-lone-surrogate": Case(
        "labelstudio_lone_surrogate.json",
        "labelstudio",
        r"not valid JSON \(no low surrogate in string: a \\u escape names half",
        14,
    ),
    "labelstudio-nested-10000-deep": Case(
        labelstudio_10000_deep, "labelstudio", r"not valid JSON \(nested too deeply", 1
    ),
    # The second task (from line 12) has "annotations": 5.
    "labelstudio-wrong-types": Case(
        "labelstudio_wrong_types.json", "labelstudio", r'task 2: "annotations" must be a list$', 12
    ),
    "labelstudio-relation-to-missing-span": Case(
        "labelstudio_relation_missing_span.json",
        "labelstudio",
        r"task 1 \(id 5\): a relation points to missing region 'ghost'$",
        2,
    ),
}
# Product bugs, expected to fail until fixed (strict: a fixed one must leave this set).
KNOWN_WRONG: set[str] = set()


def test_every_importable_format_has_its_cases() -> None:
    """A format that can be imported has bad inputs here; every case's format can be imported."""
    importable = {f.name for f in formats() if f.read is not None}
    covered = {case.fmt for case in CASES.values()}
    assert importable - covered == set(), "formats without bad-input cases"
    assert covered - importable == set(), "cases of formats that cannot be imported"


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            n,
            marks=pytest.mark.xfail(strict=True, reason="wrong advice for a UTF-16 CoNLL file"),
        )
        if n in KNOWN_WRONG
        else n
        for n in sorted(CASES)
    ],
)
def test_bad_input_is_refused_clearly(name: str, filled: Path, tmp_path: Path) -> None:
    """One line naming the file and line and saying what is wrong; exit 2; project unchanged."""
    case = CASES[name]
    source = BAD / case.source if isinstance(case.source, str) else case.source(tmp_path)
    named = source / case.named if case.named else source
    before = dump(filled)

    outcome = cli("import", filled, source, "--format", case.fmt, *case.options)

    assert outcome.exit_code == 2, outcome
    assert dump(filled) == before
    reason = assert_one_clear_line(outcome, [named], case.line)
    assert re.match(case.expect, reason), reason


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
