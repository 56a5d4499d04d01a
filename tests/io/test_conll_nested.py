"""CoNLL as Arabic NER corpora write it: Wojood's nested tag columns, ANERcorp's labels, tags on
whole tokens with their proclitics; a label read through the label map or refused at its line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.errors import InputError
from annotator.io import conll
from annotator.io.alignment import ExportReport, token_options
from annotator.io.base import ReadOptions
from annotator.io.operations import Selection, export, import_paths
from annotator.io.registry import get_format
from annotator.model.schema import load_default_schema
from annotator.store import Project

DATA = Path(__file__).resolve().parents[1] / "data" / "conll"
WOJOOD = DATA / "wojood_nested.txt"
ANERCORP = DATA / "anercorp_camel.txt"
# Wojood's 21 entity types.
# fmt: off
WOJOOD_LABELS = [
    "PERS", "NORP", "OCC", "ORG", "GPE", "LOC", "FAC", "EVENT", "DATE", "TIME", "CARDINAL",
    "ORDINAL", "PERCENT", "QUANTITY", "UNIT", "MONEY", "CURR", "LANGUAGE", "WEBSITE", "LAW",
    "PRODUCT",
]
# fmt: on


def schema_file(folder: Path, labels: list[str]) -> Path:
    """A schema TOML holding ``labels``, every one an entity."""
    path = folder / "schema.toml"
    entries = [
        f'[[labels]]\nid = "{label}"\nname_en = "{label}"\nname_ar = "{label}"\n'
        f'color = "#{k:06x}"\nkind = "entity"\n'
        for k, label in enumerate(labels)
    ]
    path.write_text('name = "corpus"\n\n' + "\n".join(entries), encoding="utf-8")
    return path


@pytest.fixture
def corpus_project(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Project]:
    """An empty project whose schema has the labels the test is parametrized with."""
    schema = schema_file(tmp_path, request.param)
    with Project.create(tmp_path / "corpus.sqlite", schema=schema, annotator="t") as opened:
        yield opened


def spans_of(project: Project) -> list[tuple[str, str]]:
    """(label, text) of every span of the project's documents, by start, longest first."""
    found = []
    for doc_id in project.document_ids():
        text = project.document(doc_id).text
        found += [(s.label, s.text_in(text)) for s in project.spans(doc_id)]
    return found


@pytest.mark.parametrize("corpus_project", [WOJOOD_LABELS], indirect=True)
def test_a_wojood_file_reads_every_nesting_level_and_writes_back_unchanged(
    corpus_project, tmp_path
):
    import_paths(corpus_project, [WOJOOD], fmt="conll", annotator="wojood")
    found = spans_of(corpus_project)
    assert found[:3] == [
        ("OCC", "رئيس بلدية طولكرم"),
        ("ORG", "بلدية طولكرم"),
        ("GPE", "طولكرم"),
    ]
    assert ("GPE", "وجنين") in found  # the whole token, its proclitic و included
    assert ("OCC", "المندوب الدائم للمغرب لدى منظمة التعاون الإسلامي") in found
    assert ("GPE", "للمغرب") in found and ("CURR", "دولار") in found
    out = tmp_path / "out.conll"
    export(corpus_project, out, fmt="conll", options={"nested": True})
    assert out.read_bytes() == WOJOOD.read_bytes()


@pytest.mark.parametrize("corpus_project", [WOJOOD_LABELS], indirect=True)
def test_a_flat_export_keeps_the_outermost_entity_and_reports_the_nested_ones(
    corpus_project, tmp_path
):
    import_paths(corpus_project, [WOJOOD], fmt="conll", annotator="wojood")
    out, report = tmp_path / "flat.conll", ExportReport()
    export(corpus_project, out, fmt="conll", report=report)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[:5] == ["قال O", "رئيس B-OCC", "بلدية I-OCC", "طولكرم I-OCC", "إن O"]
    assert report.overlapping == 10  # the spans of the second and third levels


@pytest.mark.parametrize("corpus_project", [["PERS", "LOC", "ORG", "MISC"]], indirect=True)
def test_an_anercorp_file_reads_and_writes_back_unchanged(corpus_project, tmp_path):
    import_paths(corpus_project, [ANERCORP], fmt="conll", annotator="anercorp")
    found = spans_of(corpus_project)
    assert ("PERS", "دميتري بيسكوف") in found and ("LOC", "وواشنطن") in found
    assert ("MISC", "بطولة كأس العالم") in found
    out = tmp_path / "out.conll"
    export(corpus_project, out, fmt="conll")
    assert out.read_bytes() == ANERCORP.read_bytes()


def default_options(**label_map: str) -> ReadOptions:
    """Read options as an import into a project with the default schema gives them."""
    schema = load_default_schema()
    return ReadOptions(labels=frozenset(schema.label_ids), label_map=label_map, schema=schema)


def test_the_label_map_reads_anercorp_labels_as_the_projects():
    [record] = conll.read(ANERCORP, default_options(PERS="PER", LOC="GPE"))
    labels = {(s.label, record.text[s.start : s.end]) for s in record.spans}
    assert ("PER", "دميتري بيسكوف") in labels and ("GPE", "جنيف") in labels
    assert ("ORG", "الكرملين") in labels and ("MISC", "بطولة كأس العالم") in labels


def test_an_unknown_label_names_the_line_of_its_tag_and_the_way_out():
    with pytest.raises(InputError) as caught:
        list(conll.read(ANERCORP, default_options(LOC="GPE")))
    message = str(caught.value)
    assert message.startswith(f"{ANERCORP}:5: unknown label 'PERS' (the project's labels: PER,")
    assert "--label-map PERS=LABEL" in message


def test_a_label_mapped_to_no_label_of_the_project_names_both_names():
    with pytest.raises(InputError, match=r":4: unknown label 'BODY' \(the file's 'ORG'\)"):
        list(conll.read(ANERCORP, default_options(ORG="BODY")))


def test_conll2003_columns_read_the_last_one_as_the_tag(tmp_path):
    source = tmp_path / "eng.conll"
    source.write_text(
        "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n"
        "German JJ B-NP B-MISC\ncall NN I-NP O\n. . O O\n\n",
        encoding="utf-8",
    )
    [record] = conll.read(source, ReadOptions())
    assert [(s.label, record.text[s.start : s.end]) for s in record.spans] == [
        ("ORG", "EU"),
        ("MISC", "German"),
    ]


def test_an_entity_ends_with_its_sentence(project, tmp_path):
    source = tmp_path / "two.conll"
    source.write_text("في O\nموسكو B-GPE\n\nجنيف I-GPE\nاليوم O\n", encoding="utf-8")
    import_paths(project, [source], fmt="conll")
    assert spans_of(project) == [("GPE", "موسكو"), ("GPE", "جنيف")]


def conll_lines(project: Project, tmp_path: Path, **options: object) -> list[str]:
    out, report = tmp_path / "seed.conll", ExportReport()
    export(project, out, fmt="conll", options=dict(options), report=report)
    return out.read_text(encoding="utf-8").splitlines()


def test_bio_tokens_whole_tags_a_span_after_a_proclitic_on_its_whole_token(seeded, tmp_path):
    split = conll_lines(seeded, tmp_path)
    assert "وواشنطن B-GPE" not in split
    assert split[split.index("واشنطن B-GPE") - 1] == "و O"
    whole = conll_lines(seeded, tmp_path, bio_tokens="whole")
    assert "وواشنطن B-GPE" in whole and "وبايدن B-PER" in whole
    assert "واشنطن B-GPE" not in whole and "و O" not in whole


def test_bio_tokens_whole_in_hf_tags_the_whole_token_and_reports_it(seeded, tmp_path):
    import orjson

    out, report = tmp_path / "ner.jsonl", ExportReport()
    export(seeded, out, fmt="hf", options={"bio_tokens": "whole"}, report=report)
    pairs = [
        pair
        for line in out.read_bytes().splitlines()
        for pair in zip(*(orjson.loads(line)[k] for k in ("tokens", "ner_tags")), strict=True)
    ]
    assert ("وواشنطن", "B-GPE") in pairs and ("و", "O") not in pairs
    assert report.whole_tokens >= 2 and report.split_tokens == 0
    assert any("tagged on whole tokens" in line for line in report.lines())


def test_a_nested_export_of_the_seed_writes_the_org_inside_the_person(seeded, tmp_path):
    lines = conll_lines(seeded, tmp_path, nested=True)
    # المتحدث باسم الكرملين is a PER mention holding the ORG الكرملين.
    at = lines.index("المتحدث B-PER")
    assert lines[at : at + 3] == ["المتحدث B-PER", "باسم I-PER", "الكرملين I-PER B-ORG"]


@pytest.mark.parametrize(
    ("fmt", "nested", "bio_tokens", "message"),
    [
        ("hf", True, "split", "--nested writes one CoNLL tag column"),
        ("spacy", False, "whole", "--bio-tokens whole is for the BIO formats"),
        ("conll", False, "half", "--bio-tokens must be one of split, whole"),
    ],
)
def test_token_options_are_refused_where_they_mean_nothing(fmt, nested, bio_tokens, message):
    with pytest.raises(InputError, match=message):
        token_options(fmt, get_format(fmt).bio, nested, bio_tokens)


def test_nested_and_flat_exports_have_the_same_tokens_line_for_line(seeded, tmp_path):
    lines = conll_lines(seeded, tmp_path, nested=True)
    out = tmp_path / "one.conll"
    export(seeded, out, fmt="conll", selection=Selection(annotators=("example",)))
    flat = out.read_text(encoding="utf-8").splitlines()
    # The same tokens, line for line; nested lines only add columns.
    assert [line.split()[0] if line else "" for line in lines] == [
        line.split()[0] if line else "" for line in flat
    ]
