"""Importing text: each awkward sample stores exactly the text a reader expects."""

from __future__ import annotations

import pytest

from annotator.errors import DecodeError, InputError
from annotator.io.operations import import_paths

from conftest import SAMPLES, SEED_ID, SEED_TXT


def imported_text(project, name: str, **kw) -> str:
    report = import_paths(project, [SAMPLES / name], fmt="txt", **kw)
    return project.document(report.added[0]).text


def test_seed_article_is_stored_byte_for_byte(project):
    report = import_paths(project, [SEED_TXT], fmt="txt")
    doc = project.document(SEED_ID)
    assert report.added == [SEED_ID]
    assert doc.text.encode("utf-8") == SEED_TXT.read_bytes()
    assert doc.meta == {"source": SEED_TXT.name}


def test_crlf_becomes_lf_and_emoji_and_nbsp_stay(project):
    text = imported_text(project, "crlf-emoji-nbsp.txt")
    raw = (SAMPLES / "crlf-emoji-nbsp.txt").read_bytes().decode("utf-8")
    assert text == raw.replace("\r\n", "\n")
    assert "\r" not in text and "🔴" in text and "\u00a0" in text


def test_bom_is_removed_and_nothing_else(project):
    text = imported_text(project, "utf8-bom.txt")
    assert text == "موسكو تدعو واشنطن إلى الحوار.\n"


def test_tashkeel_and_tatweel_are_kept(project):
    text = imported_text(project, "diacritics-tatweel.txt")
    assert "قَالَ الرَّئِيسُ" in text
    assert "الـــمـــتـــحـــدث" in text


def test_markup_is_kept_as_literal_text(project):
    text = imported_text(project, "markup-literal.txt")
    assert "<b>عاجل</b>" in text and "<script>alert(1)</script>" in text and "&" in text


def test_cp1256_needs_its_encoding(project):
    with pytest.raises(DecodeError, match=r"cp1256\.txt:1: not valid utf-8 at byte 0.*cp1256"):
        import_paths(project, [SAMPLES / "cp1256.txt"], fmt="txt")
    assert project.document_count() == 0
    text = imported_text(project, "cp1256.txt", encoding="cp1256")
    assert text == "صرح وزير الخارجية بأن المفاوضات ستستأنف الأسبوع المقبل.\n"


def test_utf8_file_with_a_wrong_encoding_is_refused_not_garbled(project):
    with pytest.raises(DecodeError, match="is UTF-8, not cp1256"):
        import_paths(project, [SAMPLES / "mixed-direction.txt"], fmt="txt", encoding="cp1256")
    assert project.document_count() == 0


def test_a_folder_imports_all_or_nothing(project, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a.txt").write_text("خبر أول", encoding="utf-8")
    (folder / "b.txt").write_bytes("خبر ثان".encode("cp1256"))
    with pytest.raises(DecodeError, match=r"b\.txt"):
        import_paths(project, [folder], fmt="txt")
    assert project.document_count() == 0
    (folder / "b.txt").write_text("خبر ثان", encoding="utf-8")
    report = import_paths(project, [folder], fmt="txt")
    assert report.added == ["a", "b"]


def test_reimport_is_reported_not_duplicated(project):
    import_paths(project, [SEED_TXT], fmt="txt")
    report = import_paths(project, [SEED_TXT], fmt="txt")
    assert report.added == []
    assert report.duplicates == [(str(SEED_TXT), SEED_ID)]
    assert project.document_count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"  \n\t\n", "empty"),
        (b"\xff\xfe" + "نص".encode("utf-16-le"), "UTF-16"),
        ("نص\x00نص".encode(), "NUL"),
    ],
)
def test_unusable_text_files_get_one_clear_message(project, tmp_path, content, message):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    with pytest.raises(InputError, match=message) as caught:
        import_paths(project, [bad], fmt="txt")
    assert str(bad) in str(caught.value)
    assert project.document_count() == 0


def test_title_can_be_overridden(project):
    report = import_paths(project, [SEED_TXT], fmt="txt", title="لافروف والحوار")
    assert project.document(report.added[0]).title == "لافروف والحوار"


def test_utf8_sig_encoding_is_accepted(project):
    text = imported_text(project, "utf8-bom.txt", encoding="utf-8-sig")
    assert text == "موسكو تدعو واشنطن إلى الحوار.\n"
