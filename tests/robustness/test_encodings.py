"""``--encoding`` is checked the same way for every codec: nothing imports as mojibake.

A file that is UTF-8 is refused under any other codec (utf-16 turns Arabic and ASCII into CJK
ideographs without an error, cp1256 and latin-1 into accented letters); a byte order mark of
another Unicode encoding is refused under any codec; UTF-16 without a byte order mark is refused
when what it gives is mostly ideographs; a name that is no character set (rot13, base64, zlib,
hex, Python's "undefined" or escape codecs) or no codec at all is refused in one line. Real
cp1256 and UTF-16 files still import, as plain text and as CoNLL.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from robustness_support import BAD, ROOT, Outcome, assert_one_clear_line, cli, dump, sqlite_rows

SAMPLES = ROOT / "tests" / "data" / "samples"
UTF8 = BAD / "txt_utf8_as_cp1256.txt"  # an Arabic article saved as UTF-8
ARTICLE = UTF8.read_text(encoding="utf-8")


def _file(tmp: Path, name: str, data: bytes) -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path


def _last_text(project: Path) -> str:
    rows = sqlite_rows(project, "SELECT text FROM documents ORDER BY position DESC LIMIT 1")
    text = rows[0][0]
    assert isinstance(text, str)
    return text


# ---- what must still import ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "encoding"),
    [
        ("cp1256.txt", ARTICLE.encode("cp1256"), "cp1256"),
        ("windows.txt", ARTICLE.encode("cp1256"), "windows-1256"),
        ("iso.txt", ARTICLE.encode("iso8859-6", errors="ignore"), "iso8859-6"),
        ("utf16le-bom.txt", codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"), "utf-16"),
        ("utf16be-bom.txt", codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"), "utf-16"),
        ("utf16le-bom2.txt", codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"), "utf-16-le"),
        ("utf16le.txt", ARTICLE.encode("utf-16-le"), "utf-16-le"),
        ("utf16be.txt", ARTICLE.encode("utf-16-be"), "utf-16-be"),
        ("utf32.txt", ARTICLE.encode("utf-32"), "utf-32"),
        ("utf8.txt", ARTICLE.encode(), "utf-8"),
        ("utf8-sig.txt", codecs.BOM_UTF8 + ARTICLE.encode(), "utf-8-sig"),
        ("ascii.txt", b"President Putin said talks would go on.\n", "cp1256"),
        ("ascii-latin1.txt", b"President Putin said talks would go on.\n", "latin-1"),
    ],
)
def test_a_file_in_the_encoding_given_imports(
    name: str, data: bytes, encoding: str, filled: Path, tmp_path: Path
) -> None:
    source = _file(tmp_path, name, data)
    outcome = cli("import", filled, source, "--encoding", encoding)
    assert outcome.exit_code == 0, outcome.stderr
    expected = data.decode(encoding).removeprefix("\ufeff").replace("\r\n", "\n")
    assert _last_text(filled) == expected


def test_the_utf16_sample_imports_as_the_same_text_as_its_utf8_original(filled: Path) -> None:
    """tests/data/samples/utf16le-bom.txt is mixed-direction.txt saved as UTF-16 LE with a BOM."""
    outcome = cli("import", filled, SAMPLES / "utf16le-bom.txt", "--encoding", "utf-16")
    assert outcome.exit_code == 0, outcome.stderr
    original = (SAMPLES / "mixed-direction.txt").read_text(encoding="utf-8")
    assert _last_text(filled) == original.replace("\r\n", "\n")


# ---- what must be refused, in one line ------------------------------------------------------

IS_UTF8 = "the file is UTF-8, not {}; import it without --encoding"
UTF8_CODECS = [
    "cp1256", "latin-1", "cp1252", "iso8859-6", "mac-arabic", "cp720", "koi8-r", "gbk",
    "shift_jis", "cp037", "utf-7", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le",
]  # fmt: skip


@pytest.mark.parametrize("encoding", UTF8_CODECS)
@pytest.mark.parametrize("fmt", ["txt", "conll"])
def test_utf8_read_in_another_encoding_is_refused(
    encoding: str, fmt: str, filled: Path, tmp_path: Path
) -> None:
    """The check that refused UTF-8 read as cp1256 holds for every codec."""
    text = ARTICLE if fmt == "txt" else "قال O\nبوتين B-PER\n"
    source = _file(tmp_path, f"article.{fmt}", text.encode())
    before = dump(filled)

    outcome = cli("import", filled, source, "--format", fmt, "--encoding", encoding)

    assert assert_one_clear_line(outcome, [source], None) == IS_UTF8.format(encoding)
    assert dump(filled) == before


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_ascii_utf8_read_as_utf16_is_refused(encoding: str, filled: Path, tmp_path: Path) -> None:
    """Even ASCII: under UTF-16 each pair of letters would become one CJK ideograph."""
    source = _file(tmp_path, "english.txt", b"Reuters reported the talks would go on!!\n")
    outcome = cli("import", filled, source, "--encoding", encoding)
    assert assert_one_clear_line(outcome, [source], None) == IS_UTF8.format(encoding)


BOMS = {
    "UTF-16": codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"),
    "UTF-32": codecs.BOM_UTF32_LE + ARTICLE.encode("utf-32-le"),
}


@pytest.mark.parametrize("encoding", ["utf-8", "cp1256", "latin-1", "utf-8-sig", "gbk"])
@pytest.mark.parametrize("family", sorted(BOMS))
@pytest.mark.parametrize("fmt", ["txt", "conll"])
def test_a_byte_order_mark_of_another_encoding_is_refused(
    family: str, encoding: str, fmt: str, filled: Path, tmp_path: Path
) -> None:
    source = _file(tmp_path, f"article.{fmt}", BOMS[family])
    outcome = cli("import", filled, source, "--format", fmt, "--encoding", encoding)
    reason = assert_one_clear_line(outcome, [source], None)
    assert reason == f"the file is {family}; import it with --encoding {family.lower()}"


@pytest.mark.parametrize("encoding", ["cp1256", "utf-16", "latin-1", "utf-32"])
def test_a_utf8_byte_order_mark_is_refused_under_another_encoding(
    encoding: str, filled: Path, tmp_path: Path
) -> None:
    source = _file(tmp_path, "bom.txt", codecs.BOM_UTF8 + ARTICLE.encode())
    outcome = cli("import", filled, source, "--encoding", encoding)
    reason = assert_one_clear_line(outcome, [source], None)
    assert reason.startswith("the file is UTF-8 (it starts with UTF-8's byte order mark)")


def test_utf16_in_the_wrong_byte_order_is_refused(filled: Path, tmp_path: Path) -> None:
    source = _file(tmp_path, "be.txt", codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"))
    outcome = cli("import", filled, source, "--encoding", "utf-16-le")
    reason = assert_one_clear_line(outcome, [source], None)
    assert reason == "the file is UTF-16 in the other byte order; import it with --encoding utf-16"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (ARTICLE.encode("utf-16-le"), "utf-16-be"),  # Arabic letters become Hangul and CJK
        (ARTICLE.encode("utf-16-be"), "utf-16-le"),
        (ARTICLE.encode("cp1256")[:200], "utf-16-le"),  # cp1256 bytes read in pairs
    ],
)
def test_utf16_without_a_byte_order_mark_that_gives_ideographs_is_refused(
    data: bytes, encoding: str, filled: Path, tmp_path: Path
) -> None:
    source = _file(tmp_path, "pairs.txt", data)
    before = dump(filled)
    outcome = cli("import", filled, source, "--encoding", encoding)
    lines = {None, *range(1, 10)}  # a bad byte's line is named, the garble has none
    reason = next(r for n in lines if (r := _reason_if_named(outcome, source, n)) is not None)
    assert reason.startswith((f"read as {encoding}, ", f"not valid {encoding} at byte ")), reason
    assert dump(filled) == before


def _reason_if_named(outcome: Outcome, source: Path, line: int | None) -> str | None:
    where = f"error: {source}:{line}: " if line else f"error: {source}: "
    return (
        assert_one_clear_line(outcome, [source], line) if outcome.stderr.startswith(where) else None
    )


def test_utf16_without_a_byte_order_mark_read_as_utf8_says_so(filled: Path, tmp_path: Path) -> None:
    source = _file(tmp_path, "nobom.txt", ARTICLE.encode("utf-16-le"))
    outcome = cli("import", filled, source)
    reason = assert_one_clear_line(outcome, [source], None)
    assert reason == (
        "the file contains NUL bytes: it is UTF-16 without a byte order mark;"
        " import it with --encoding utf-16-le"
    )


NOT_CHARSETS = {
    "rot13": "is not a text encoding",
    "base64": "is not a text encoding",
    "zlib": "is not a text encoding",
    "hex": "is not a text encoding",
    "bz2": "is not a text encoding",
    "uu": "is not a text encoding",
    "quopri": "is not a text encoding",
    "undefined": "is a Python codec, not a text file's character set",
    "unicode_escape": "is a Python codec, not a text file's character set",
    "raw_unicode_escape": "is a Python codec, not a text file's character set",
    "idna": "is a Python codec, not a text file's character set",
    "punycode": "is a Python codec, not a text file's character set",
    "arabic-dos": "unknown encoding",
    "": "unknown encoding",
}


@pytest.mark.parametrize("encoding", sorted(NOT_CHARSETS))
@pytest.mark.parametrize("fmt", ["txt", "conll"])
def test_a_codec_that_is_no_character_set_is_refused(
    encoding: str, fmt: str, filled: Path, tmp_path: Path
) -> None:
    source = _file(tmp_path, f"article.{fmt}", "قال O\nبوتين B-PER\n".encode())
    before = dump(filled)
    outcome = cli("import", filled, source, "--format", fmt, "--encoding", encoding)
    reason = assert_one_clear_line(outcome, [source], None)
    expect = NOT_CHARSETS[encoding]
    assert reason in (f"{expect} {encoding!r}", f"{encoding!r} {expect}") or reason.startswith(
        f"{encoding!r} {expect}"
    ), reason
    assert dump(filled) == before


def test_conll_in_cp1256_imports_with_its_encoding(filled: Path, tmp_path: Path) -> None:
    source = _file(tmp_path, "anercorp.conll", "قال O\nبوتين B-PER\n.. O\n".encode("cp1256"))
    outcome = cli("import", filled, source, "--format", "conll", "--encoding", "cp1256")
    assert outcome.exit_code == 0, outcome.stderr
    assert _last_text(filled) == "قال بوتين .."


def test_conll_in_utf16_imports_with_its_encoding(filled: Path, tmp_path: Path) -> None:
    data = codecs.BOM_UTF16_LE + "قال O\r\nبوتين B-PER\r\n".encode("utf-16-le")
    source = _file(tmp_path, "utf16.conll", data)
    outcome = cli("import", filled, source, "--format", "conll", "--encoding", "utf-16")
    assert outcome.exit_code == 0, outcome.stderr
    assert _last_text(filled) == "قال بوتين"
