"""CoNLL token TAG lines: ANERcorp-style import, export, valid BIO, errors with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.errors import InputError
from annotator.io.operations import Selection, export, import_paths
from annotator.model.document import DocumentRecord, Span
from annotator.store import Project

# ANERcorp style: one "token TAG" per line, no blank lines, no document markers.
ANERCORP = """\
قال O
وزير O
الخارجية O
الروسي B-NORP
سيرجي B-PER
لافروف I-PER
إن O
موسكو B-GPE
لم O
تتلق O
ردا O
من O
الولايات B-GPE
المتحدة I-GPE
. O
وأضاف O
المتحدث O
باسم O
الكرملين B-ORG
دميتري B-PER
بيسكوف I-PER
أن O
الاتصالات O
جارية O
بين O
موسكو B-GPE
وواشنطن B-GPE
في O
جنيف B-GPE
. O
"""


def pairs(path: Path) -> list[tuple[str, str]]:
    """The (token, tag) lines of a CoNLL file, without blank and -DOCSTART- lines."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [tuple(x.split()) for x in lines if x.strip() and not x.startswith("-DOCSTART-")]  # type: ignore[misc]


def assert_valid_bio(tags: list[str]) -> None:
    previous = "O"
    for tag in tags:
        if tag.startswith("I-"):
            assert previous[2:] == tag[2:], f"{tag} after {previous}"
        previous = tag


def test_anercorp_import_then_export_gives_back_the_same_tokens_and_tags(project, tmp_path):
    source = tmp_path / "anercorp.txt"
    source.write_text(ANERCORP, encoding="utf-8")
    report = import_paths(project, [source], fmt="conll", annotator="anercorp")
    assert report.spans == 9
    out = tmp_path / "out.conll"
    export(project, out, fmt="conll")
    assert pairs(out) == pairs(source)


def test_import_rebuilds_text_with_single_spaces_and_a_newline_per_sentence(project, tmp_path):
    source = tmp_path / "anercorp.txt"
    source.write_text(ANERCORP, encoding="utf-8")
    import_paths(project, [source], fmt="conll")
    [doc_id] = project.document_ids()
    text = project.document(doc_id).text
    assert text.split("\n")[0].endswith("الولايات المتحدة .")
    assert text.count("\n") == 1 and "  " not in text
    spans = [(s.label, s.text_in(text)) for s in project.spans(doc_id)]
    assert ("PER", "سيرجي لافروف") in spans and ("GPE", "الولايات المتحدة") in spans
    assert ("GPE", "وواشنطن") in spans  # tags cover whole tokens, clitic included


def test_blank_lines_separate_sentences_and_docstart_separates_documents(project, tmp_path):
    source = tmp_path / "two.conll"
    source.write_text(
        "-DOCSTART- O\n\nقال O\nبوتين B-PER\n\nنعم O\n\n-DOCSTART- O\n\nجنيف B-GPE\n",
        encoding="utf-8",
    )
    report = import_paths(project, [source], fmt="conll")
    assert len(report.added) == 2
    first, second = (project.document(d).text for d in report.added)
    assert first == "قال بوتين\nنعم" and second == "جنيف"


def test_i_tag_after_o_starts_an_entity_and_exports_as_b(project, tmp_path):
    source = tmp_path / "iob1.conll"
    source.write_text("في O\nموسكو I-GPE\nو O\nجنيف I-GPE\nجنيف B-GPE\n", encoding="utf-8")
    import_paths(project, [source], fmt="conll")
    [doc_id] = project.document_ids()
    text = project.document(doc_id).text
    assert [s.text_in(text) for s in project.spans(doc_id)] == ["موسكو", "جنيف", "جنيف"]
    out = tmp_path / "out.conll"
    export(project, out, fmt="conll")
    assert [tag for _, tag in pairs(out)] == ["O", "B-GPE", "O", "B-GPE", "B-GPE"]


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("قال O\nبوتين\n", 2, "expected 'token TAG'"),
        ("قال O\nبوتين PER\n", 2, "not O, B-X or I-X"),
        ("قال O\n\nبوتين B-\n", 3, "not O, B-X or I-X"),
    ],
)
def test_a_malformed_line_names_file_and_line_and_imports_nothing(
    project, tmp_path, body, line, message
):
    source = tmp_path / "bad.conll"
    source.write_text(body, encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        import_paths(project, [source], fmt="conll")
    assert str(caught.value).startswith(f"{source}:{line}: ")
    assert project.document_count() == 0


def test_seed_export_is_valid_bio_with_the_outermost_entity(seeded, tmp_path):
    out = tmp_path / "seed.conll"
    export(seeded, out, fmt="conll")
    lines = pairs(out)
    assert_valid_bio([tag for _, tag in lines])
    tags = {tag[2:] for _, tag in lines if tag != "O"}
    assert not tags & {"QUOTE", "CUE", "CLAIM"}
    text = out.read_text(encoding="utf-8")
    # المتحدث باسم الكرملين is a PER mention holding the ORG الكرملين: the PER wins.
    assert "المتحدث B-PER\nباسم I-PER\nالكرملين I-PER\n" in text
    # واشنطن in وواشنطن: the proclitic becomes its own token instead of moving the span.
    assert "و O\nواشنطن B-GPE\n" in text


def add_work_of(project: Project, annotator: str, start: int, end: int, label: str) -> None:
    """Bring in one span of another annotator's, as their imported or merged work arrives."""
    [doc_id] = project.document_ids()
    span = Span(f"{annotator}-1", doc_id, start, end, label, annotator)
    record = DocumentRecord(project.document(doc_id).text, spans=(span,))
    project.import_documents([record], merge_annotations=True)


def test_a_span_inside_a_word_is_reported_not_shifted(seeded, tmp_path):
    from annotator.io.alignment import ExportReport

    [doc_id] = seeded.document_ids()
    text = seeded.document(doc_id).text
    start = text.index("لافروف")
    add_work_of(seeded, "sloppy", start, start + 4, "PER")  # لافر, cut in the word
    report = ExportReport()
    out = tmp_path / "x.conll"
    export(seeded, out, fmt="conll", selection=Selection(annotators=("sloppy",)), report=report)
    assert report.misaligned == 1
    assert "«لافر» cuts token(s) «لافروف»" in report.examples[0]
    assert "لافر " not in out.read_text(encoding="utf-8")


def test_two_annotators_in_a_format_without_annotators_is_refused(seeded, tmp_path):
    add_work_of(seeded, "sami", 79, 85, "PER")
    out = tmp_path / "mixed.conll"
    with pytest.raises(InputError, match=r"annotations by example, sami.*--annotator NAME"):
        export(seeded, out, fmt="conll")
    assert not out.exists()
    export(seeded, out, fmt="conll", selection=Selection(annotators=("sami",)))
    assert "لافروف B-PER" in out.read_text(encoding="utf-8")


def test_round_trip_through_a_fresh_project(seeded, tmp_path):
    first = tmp_path / "first.conll"
    export(seeded, first, fmt="conll")
    with Project.create(tmp_path / "fresh.sqlite") as fresh:
        import_paths(fresh, [first], fmt="conll")
        second = tmp_path / "second.conll"
        export(fresh, second, fmt="conll")
    assert pairs(second) == pairs(first)
