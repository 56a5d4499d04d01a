"""doccano's "Count grapheme clusters as one character": ``--offsets graphemes``.

doccano's view splits text with grapheme-splitter 1.0.4 (Unicode 10 rules). The offsets below are
counted by hand, cluster by cluster; ``doccano_graphemes.json`` holds strings that library split.
"""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner
from emoji_sample import EMOJI_SPANS, emoji_project_fixture  # noqa: F401 (the emoji_project fixture)

from annotator.cli import main
from annotator.errors import InputError
from annotator.io.alignment import ExportReport
from annotator.io.doccano_graphemes import GraphemeOffsets, cluster_bounds
from annotator.io.operations import export, import_paths
from annotator.model.graphemes import clusters
from annotator.store import Project

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # man ZWJ woman ZWJ girl: one cluster
FLAG = "\U0001f1f8\U0001f1e6"  # two regional indicators: one cluster
KEYCAP = "1\ufe0f\u20e3"  # digit, VS16, combining enclosing keycap: one cluster
THUMBS = "\U0001f44d\U0001f3fd"  # E_Base and a skin tone: one cluster
# ق ا لَ ␠ 👨‍👩‍👧 ␠ ب و ت ي ن ␠ 🇸🇦 ␠ 1️⃣ ␠ 👍🏽 ␠ مُ حَ مَّ د ␠ ل ا ف ر و ف
TEXT = f"قالَ {FAMILY} بوتين {FLAG} {KEYCAP} {THUMBS} مُحَمَّد لافروف"
# word: (grapheme offsets, code points, UTF-16 units), each counted by hand from the line above.
BY_HAND = {
    "بوتين": ((6, 11), (11, 16), (14, 19)),
    "مُحَمَّد": ((18, 22), (27, 35), (34, 42)),
    "لافروف": ((23, 29), (36, 42), (43, 49)),
}


def test_hand_counted_offsets_on_arabic_with_marks_and_emoji():
    offsets = GraphemeOffsets(TEXT)
    assert offsets.length == 29
    for word, ((g_start, g_end), (start, end), _) in BY_HAND.items():
        assert TEXT[start:end] == word
        assert (offsets.to_graphemes(start), offsets.to_graphemes(end)) == (g_start, g_end)
        assert (offsets.to_code_points(g_start), offsets.to_code_points(g_end)) == (start, end)
    assert offsets.to_graphemes(3) is None  # between ل and its fatha
    assert offsets.to_graphemes(7) is None  # inside the family


@pytest.mark.parametrize(
    ("text", "sizes"),
    [
        ("مَّ", [3]),  # a letter with shadda and fatha
        (FLAG + FLAG, [2, 2]),  # flags pair their indicators
        (KEYCAP, [3]),
        (THUMBS, [2]),
        (FAMILY, [5]),
        # Where doccano's Unicode 10 splitter parts from current Unicode: a ZWJ joins only a
        # Glue_After_Zwj or E_Base_GAZ character (the service dog's vest is neither), a skin
        # tone joins only an E_Base of Unicode 10 (🫰, U+1FAF0, came in Unicode 14), and an
        # Arabic mark of Unicode 14 (U+08CA) starts a cluster of its own.
        ("\U0001f415\u200d\U0001f9ba", [2, 1]),
        ("\U0001faf0\U0001f3fd", [1, 1]),
        ("ب\u08ca", [1, 1]),
    ],
)
def test_clusters_as_doccano_counts_them(text, sizes):
    bounds = cluster_bounds(text)
    assert [b - a for a, b in pairwise(bounds)] == sizes


def test_agrees_with_grapheme_splitter_where_current_unicode_does_not():
    cases = json.loads((Path(__file__).parent / "doccano_graphemes.json").read_text("utf-8"))
    differ = 0
    for text, sizes in cases["cases"]:
        bounds = cluster_bounds(text)
        assert [b - a for a, b in pairwise(bounds)] == sizes, text
        differ += [b - a for a, b in clusters(text)] != sizes
    assert differ >= 100  # the file tests the Unicode 10 rules, not only what both agree on


def write_line(path: Path, line: dict) -> Path:
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def test_import_in_graphemes_puts_spans_on_the_hand_counted_words(project, tmp_path):
    entities = [
        {"id": k, "label": "PER", "start_offset": g[0], "end_offset": g[1]}
        for k, (g, _, _) in enumerate(BY_HAND.values())
    ]
    path = write_line(tmp_path / "g.jsonl", {"id": "d1", "text": TEXT, "entities": entities})
    import_paths(project, [path], fmt="doccano", offsets="graphemes")
    spans = project.spans("d1")
    assert sorted((s.start, s.end) for s in spans) == [cp for _, cp, _ in BY_HAND.values()]
    assert sorted(s.text_in(TEXT) for s in spans) == sorted(BY_HAND)


def test_grapheme_offsets_read_as_utf16_are_refused_naming_the_setting(project, tmp_path):
    # doccano's default unit: once an emoji precedes them, grapheme offsets read as UTF-16
    # fall inside one (the flag here), or land on other letters.
    g_start, g_end = BY_HAND["لافروف"][0]
    entity = {"id": 1, "label": "PER", "start_offset": g_start, "end_offset": g_end}
    path = write_line(tmp_path / "u.jsonl", {"id": "d1", "text": TEXT, "entities": [entity]})
    with pytest.raises(InputError, match="falls inside an emoji") as caught:
        import_paths(project, [path], fmt="doccano")
    assert str(caught.value).endswith(
        'a doccano project with "Count grapheme clusters as one character" counts clusters:'
        " import its files with --offsets graphemes"
    )
    assert project.document_count() == 0


def test_export_in_graphemes_writes_the_hand_counted_offsets(project, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    import_paths(project, [path])
    [doc_id] = project.document_ids()
    for _, (start, end), _ in BY_HAND.values():
        project.add_span(doc_id, start, end, "PER")
    report = ExportReport()
    out = tmp_path / "g.jsonl"
    export(project, out, fmt="doccano", options={"offsets": "graphemes"}, report=report)
    line = json.loads(out.read_text(encoding="utf-8"))
    got = sorted((e["start_offset"], e["end_offset"]) for e in line["entities"])
    assert got == [g for g, _, _ in BY_HAND.values()]
    assert report.lines() == [
        "1 document(s) with offsets in grapheme clusters: import them into a doccano project"
        f' with "Count grapheme clusters as one character": {doc_id}'
    ]
    export(project, out, fmt="doccano")  # doccano's default: UTF-16 units
    line = json.loads(out.read_text(encoding="utf-8"))
    got = sorted((e["start_offset"], e["end_offset"]) for e in line["entities"])
    assert got == [u for _, _, u in BY_HAND.values()]


@pytest.mark.parametrize("fixture", ["seeded", "emoji_project"])
def test_round_trip_in_graphemes_keeps_every_span_and_relation(fixture, request, tmp_path):
    source = request.getfixturevalue(fixture)
    out = tmp_path / "g.jsonl"
    export(source, out, fmt="doccano", options={"offsets": "graphemes"})
    with Project.create(tmp_path / "fresh.sqlite") as fresh:
        import_paths(fresh, [out], fmt="doccano", annotator="team", offsets="graphemes")
        [doc_id] = fresh.document_ids()
        text = fresh.document(doc_id).text
        got = sorted((s.label, s.text_in(text)) for s in fresh.spans(doc_id))
        want = sorted((s.label, s.text_in(text)) for s in source.spans(doc_id))
        assert got == want
        assert len(fresh.relations(doc_id)) == len(source.relations(doc_id)) > 0


def test_emoji_sample_offsets_count_one_per_emoji(emoji_project, tmp_path):
    out = tmp_path / "g.jsonl"
    export(emoji_project, out, fmt="doccano", options={"offsets": "graphemes"})
    line = json.loads(out.read_text(encoding="utf-8"))
    text = line["text"]
    bounds = cluster_bounds(text)
    found = {text[bounds[e["start_offset"]] : bounds[e["end_offset"]]] for e in line["entities"]}
    assert {word for word, _ in EMOJI_SPANS} <= found


def test_a_span_edge_inside_doccanos_cluster_is_left_out_and_reported(project, tmp_path):
    # "ب" ZWJ "👨": Unicode 10's GB11 joins the man (E_Base_GAZ) to the ZWJ after a letter;
    # current Unicode does not, so the project holds a span on the man alone.
    text = "قال ب\u200d\U0001f468 بوتين"
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    import_paths(project, [path])
    [doc_id] = project.document_ids()
    man = project.add_span(doc_id, 6, 7, "PER")
    quote = project.add_span(doc_id, 8, 13, "QUOTE")
    rel = project.add_relation(doc_id, "SPEAKER", quote.id, man.id)
    report = ExportReport()
    out = tmp_path / "g.jsonl"
    export(project, out, fmt="doccano", options={"offsets": "graphemes"}, report=report)
    line = json.loads(out.read_text(encoding="utf-8"))
    assert [(e["start_offset"], e["end_offset"]) for e in line["entities"]] == [(6, 11)]
    assert line["relations"] == []
    assert report.lines()[:2] == [
        "1 span(s) left out: an edge falls inside a grapheme cluster as doccano counts them"
        f" (not shifted; export with --offsets utf16): {doc_id} [6, 7) PER",
        f"1 relation(s) left out: an end is a span left out: {doc_id} {rel.id} SPEAKER",
    ]


def test_offsets_out_of_the_texts_clusters_are_refused_with_the_line(project, tmp_path):
    entity = {"id": 1, "label": "PER", "start_offset": 4, "end_offset": 30}
    path = write_line(tmp_path / "g.jsonl", {"text": TEXT, "entities": [entity]})
    with pytest.raises(InputError, match=r"grapheme offset 30 does not fit the text \(0\.\.29"):
        import_paths(project, [path], fmt="doccano", offsets="graphemes")


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_cli_offsets_option_on_import_and_export(tmp_path):
    project = tmp_path / "p.sqlite"
    assert run("init", project).exit_code == 0
    entities = [{"id": 1, "label": "PER", "start_offset": 23, "end_offset": 29}]
    path = write_line(tmp_path / "g.jsonl", {"id": "d1", "text": TEXT, "entities": entities})
    result = run("import", project, path, "--format", "doccano", "--offsets", "graphemes")
    assert result.exit_code == 0, result.output
    with Project.open(project, read_only=True) as opened:
        [span] = opened.spans("d1")
        assert span.text_in(TEXT) == "لافروف"
    out = tmp_path / "out.jsonl"
    result = run("export", project, out, "--format", "doccano", "--offsets", "graphemes")
    assert result.exit_code == 0, result.output
    assert '"Count grapheme clusters as one character"' in result.output
    [entity] = json.loads(out.read_text(encoding="utf-8"))["entities"]
    assert (entity["start_offset"], entity["end_offset"]) == (23, 29)


def test_offsets_option_is_refused_for_a_format_with_one_unit(tmp_path):
    project = tmp_path / "p.sqlite"
    assert run("init", project).exit_code == 0
    result = run("export", project, tmp_path / "n.jsonl", "--offsets", "graphemes")
    assert result.exit_code != 0
    assert "the native format has one offset unit" in result.output
