"""One tokenization per document: the same tokens in conll, hf and spacy whatever the selection;
a document read from a token file keeps that file's tokens; CoNLL round trips byte for byte."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import orjson
import pytest

from annotator.errors import StoredValueError
from annotator.io.alignment import ExportReport
from annotator.io.operations import Selection, export, import_paths
from annotator.model.document import DocumentRecord, Span
from annotator.store import Project


def conll_tokens(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split()[0] for line in lines if line and not line.startswith("-DOCSTART-")]


def hf_tokens(path: Path) -> list[str]:
    return [tok for line in path.read_bytes().splitlines() for tok in orjson.loads(line)["tokens"]]


def spacy_tokens(path: Path) -> list[str]:
    # spaCy's whitespace tokens (a line break, a no-break space) are left out.
    records = [orjson.loads(line) for line in path.read_bytes().splitlines()]
    return [t["text"] for r in records for t in r["tokens"] if t["text"].strip()]


READERS = {"conll": conll_tokens, "hf": hf_tokens, "spacy": spacy_tokens}


def tokens_of(project: Project, tmp_path: Path, fmt: str, **selection: object) -> list[str]:
    out = tmp_path / f"{fmt}-{len(list(tmp_path.iterdir()))}.out"
    export(project, out, fmt=fmt, selection=Selection(**selection))  # type: ignore[arg-type]
    return READERS[fmt](out)


def test_one_document_has_the_same_tokens_in_every_export_and_selection(seeded, tmp_path):
    seen = {
        (fmt, labels): tokens_of(seeded, tmp_path, fmt, labels=frozenset(labels))
        for fmt in ("conll", "hf", "spacy")
        for labels in ((), ("CUE",), ("PER",), ("QUOTE", "CLAIM"))
    }
    first = next(iter(seen.values()))
    assert all(tokens == first for tokens in seen.values())
    # The CUE أضاف of وأضاف and the GPE واشنطن of وواشنطن split their tokens in every export,
    # whether CUE or GPE is exported or not.
    at = first.index("أضاف")
    assert first[at - 1] == "و"
    assert first[first.index("واشنطن") - 1] == "و"
    assert "وأضاف" not in first and "وواشنطن" not in first


def add_span(project: Project, annotator: str, start: int, end: int, label: str) -> None:
    """Bring in one span of another annotator's, as merged or imported work arrives."""
    [doc_id] = project.document_ids()
    span = Span(f"{annotator}-1", doc_id, start, end, label, annotator)
    record = DocumentRecord(project.document(doc_id).text, spans=(span,))
    project.import_documents([record], merge_annotations=True)


def test_a_span_of_another_layer_splits_the_token_in_every_layers_export(seeded, tmp_path):
    [doc_id] = seeded.document_ids()
    text = seeded.document(doc_id).text
    word = "والهجمات"  # و + الهجمات: no span of the example layer starts after its و
    assert word in text
    before = tokens_of(seeded, tmp_path, "conll", annotators=("example",))
    assert word in before
    start = text.index(word) + 1
    add_span(seeded, "sami", start, start + len("الهجمات"), "EVENT")
    for fmt in ("conll", "hf", "spacy"):
        after = tokens_of(seeded, tmp_path, fmt, annotators=("example",))
        assert word not in after
        assert ["و", "الهجمات"] in [after[k : k + 2] for k in range(len(after))]


@pytest.mark.parametrize("options", [{}, {"nested": True}])
def test_conll_export_import_export_is_byte_identical(seeded, tmp_path, options):
    first = tmp_path / "first.conll"
    export(seeded, first, fmt="conll", options=dict(options))
    with Project.create(tmp_path / "fresh.sqlite") as fresh:
        import_paths(fresh, [first], fmt="conll")
        [doc_id] = fresh.document_ids()
        text = fresh.document(doc_id).text
        second = tmp_path / "second.conll"
        export(fresh, second, fmt="conll", options=dict(options))
    assert second.read_bytes() == first.read_bytes()
    # The text is the tokens joined as the export wrote them: a space within a sentence, a
    # line break between sentences.
    blocks = first.read_text(encoding="utf-8").split("\n\n")[1:-1]
    assert text == "\n".join(" ".join(x.split()[0] for x in b.splitlines()) for b in blocks)


EMOJI = "علم 🇷🇺 فوق 1️⃣ مبنى و👨\u200d👩\u200d👧 عائلة 👍🏽.\nوقال د. بيسكوف (أ.ف.ب) ذلك."


def test_emoji_sequences_round_trip_through_conll_as_one_token(project, tmp_path):
    source = tmp_path / "emoji.txt"
    source.write_text(EMOJI, encoding="utf-8")
    import_paths(project, [source], fmt="txt")
    first = tmp_path / "first.conll"
    export(project, first, fmt="conll")
    assert "🇷🇺 O\n" in first.read_text(encoding="utf-8")
    assert conll_tokens(first)[:9] == [
        "علم", "🇷🇺", "فوق", "1️⃣", "مبنى", "و", "👨\u200d👩\u200d👧", "عائلة", "👍🏽",
    ]  # fmt: skip
    # One sentence per line of the article: د. and أ.ف.ب do not end one.
    assert first.read_text(encoding="utf-8").count("\n\n") == 3
    with Project.create(tmp_path / "fresh.sqlite") as fresh:
        import_paths(fresh, [first], fmt="conll")
        [doc_id] = fresh.document_ids()
        assert "علم 🇷🇺 فوق 1️⃣ مبنى" in fresh.document(doc_id).text
        second = tmp_path / "second.conll"
        export(fresh, second, fmt="conll")
    assert second.read_bytes() == first.read_bytes()


TOKEN_FILE = """\
قالت O
وكالة B-ORG
(أ.ف.ب) I-ORG
إن O
U.S. B-GPE
ووزارة B-ORG
الخارجية I-ORG
رفعت O
3.5% O
. O

وأضاف O
د. O
بيسكوف B-PER
أن O
وواشنطن B-GPE
ترد O
. O

"""


def test_a_document_from_a_token_file_keeps_its_tokens_in_every_export(project, tmp_path):
    source = tmp_path / "tokens.conll"
    source.write_text(TOKEN_FILE, encoding="utf-8")
    import_paths(project, [source], fmt="conll", annotator="file")
    expected = conll_tokens(source)
    for fmt in ("conll", "hf", "spacy"):
        assert tokens_of(project, tmp_path, fmt) == expected


def test_a_span_inside_a_token_of_the_file_is_reported_or_tagged_whole(project, tmp_path):
    source = tmp_path / "tokens.conll"
    source.write_text(TOKEN_FILE, encoding="utf-8")
    import_paths(project, [source], fmt="conll", annotator="file")
    [doc_id] = project.document_ids()
    text = project.document(doc_id).text
    start = text.index("ووزارة") + 1  # وزارة without its و: inside the file's token
    add_span(project, "mona", start, start + len("وزارة الخارجية"), "ORG")
    report = ExportReport()
    out = tmp_path / "split.conll"
    only_new = Selection(annotators=("mona",))
    export(project, out, fmt="conll", selection=only_new, report=report)
    assert conll_tokens(out) == conll_tokens(source)  # the file's token is not split
    assert report.misaligned == 1 and "«وزارة الخارجية» cuts token(s)" in report.examples[0]
    out = tmp_path / "whole.conll"
    export(project, out, fmt="conll", selection=only_new, options={"bio_tokens": "whole"})
    assert "ووزارة B-ORG\nالخارجية I-ORG\n" in out.read_text(encoding="utf-8")


def test_a_damaged_start_of_a_span_not_exported_is_still_refused(filled, tmp_path):
    # The CoNLL export tags entities only, but reads where every span starts: a CUE whose
    # start another program made text is refused with the file, table and document named.
    with closing(sqlite3.connect(filled)) as conn:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute(
            "UPDATE spans SET start = 'abc' WHERE rowid ="
            " (SELECT MIN(rowid) FROM spans WHERE label = 'CUE')"
        )
        conn.commit()
    with Project.open(filled, annotator="t") as project, pytest.raises(StoredValueError) as caught:
        export(project, tmp_path / "out.conll", fmt="conll")
    message = str(caught.value)
    assert "damaged value in table spans, a span of document '000_2024f0fe6e876b71'" in message
    assert "'abc'" in message and not (tmp_path / "out.conll").exists()
