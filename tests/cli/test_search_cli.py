"""`annotator search` and `annotator annotate-matches`, as a user runs them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from search_corpus import ARTICLES, UN, UN_INSIDE, UN_WHOLE, add_articles, brute_force

from annotator.cli import main
from annotator.model.text import normalize_query
from annotator.store import Project

PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")


def run(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(autouse=True)
def user(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's user is mona (the default layer of annotate-matches)."""
    monkeypatch.setenv("ANNOTATOR_NAME", "mona")


@pytest.fixture
def news(tmp_path: Path) -> Path:
    """A project of the search articles, annotator "mona"."""
    path = tmp_path / "news.sqlite"
    with Project.create(path, annotator="mona") as project:
        add_articles(project)
    return path


def spans_of(path: Path, annotator: str = "mona") -> list[tuple[str, str, str]]:
    """Return (document, label, text) of every span of ``annotator``, in project order."""
    with Project.open(path, read_only=True) as project:
        return [
            (doc.id, s.label, s.text_in(doc.text))
            for doc in project.documents()
            for s in project.spans(doc.id, [annotator])
        ]


# ---- search ------------------------------------------------------------------------------


def test_search_prints_each_hit_in_context_and_a_count(news: Path) -> None:
    result = run("search", news, UN)

    assert result.exit_code == 0, result.output
    *lines, count = result.output.splitlines()
    assert count == f"{UN_WHOLE + UN_INSIDE} hit(s) in 4 document(s)"
    with Project.open(news, read_only=True) as project:
        expected = brute_force(project, UN)
        texts = {d.id: d.text for d in project.documents()}
    assert len(lines) == len(expected)
    for line, hit in zip(lines, expected, strict=True):
        doc_id, where, kind, shown = line.split("\t")
        assert (doc_id, where) == (hit.doc_id, f"[{hit.start}, {hit.end})")
        assert kind == ("word" if hit.whole_word else "part")
        assert f"[{texts[doc_id][hit.start : hit.end]}]" in shown
    # Written another way in each article, always the stored text between the brackets.
    assert "[الأمم المتحدة]" in lines[0] and "[الامم المتحده]" in lines[-2]
    assert "[الأمم المتّحدة]" in lines[-1]


def test_search_whole_words_and_limit(news: Path) -> None:
    whole = run("search", news, UN, "--whole-words")
    assert whole.output.splitlines()[-1] == f"{UN_WHOLE} hit(s) in 2 document(s)"
    assert all("\tword\t" in line for line in whole.output.splitlines()[:-1])

    first = run("search", news, "الحوار", "--limit", "2")
    assert first.exit_code == 0
    assert first.output.splitlines()[-1] == "2 hit(s) in 2 document(s) (--limit reached)"


def test_search_json_gives_the_stored_text_and_its_context(news: Path) -> None:
    result = run("search", news, "الحوار", "--json")

    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    with Project.open(news, read_only=True) as project:
        texts = {d.id: d.text for d in project.documents()}
        expected = brute_force(project, "الحوار")
    assert [(r["doc_id"], r["start"], r["end"], r["whole_word"]) for r in records] == [
        (h.doc_id, h.start, h.end, h.whole_word) for h in expected
    ]
    for r in records:
        text = texts[r["doc_id"]]
        assert r["text"] == text[r["start"] : r["end"]]
        assert normalize_query(r["text"]) == "الحوار"
        left = r["start"] - len(r["left"])
        assert text[left : r["end"] + len(r["right"])] == r["left"] + r["text"] + r["right"]
    assert {r["text"] for r in records} == {"الحوار", "الحِوار"}


def test_search_inside_and_outside_a_label(news: Path) -> None:
    with Project.open(news, annotator="mona") as project:
        doc_id = project.document_ids()[0]
        text = project.document(doc_id).text
        start = text.index("الأمم المتحدة")
        project.add_span(doc_id, start, start + len("الأمم المتحدة"), "ORG")

    inside = run("search", news, UN, "--label", "ORG")
    outside = run("search", news, UN, "--label", "ORG", "--outside")
    by_mona = run("search", news, UN, "--annotator", "mona")

    assert inside.output.splitlines()[-1] == "1 hit(s) in 1 document(s)"
    assert outside.output.splitlines()[-1] == f"{UN_WHOLE + UN_INSIDE - 1} hit(s) in 3 document(s)"
    assert by_mona.output == inside.output


def test_search_to_a_pipe_is_logical_text_even_with_bidi_on(news: Path) -> None:
    result = run("search", news, "لافروف", "--bidi", "on")
    assert "[لافروف]" in result.output
    assert not PRESENTATION_FORMS.search(result.output)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["\u064e\u0640"], "has nothing to search for"),
        (["   "], "has nothing to search for"),
        (["x", "--label", "NOPE"], "NOPE"),
        (["x", "--annotator", "nobody"], "no annotations by 'nobody'"),
        (["x", "--outside"], "--outside needs --label or --annotator"),
    ],
)
def test_search_refusals_are_one_line(news: Path, args: list[str], message: str) -> None:
    result = run("search", news, *args)
    assert result.exit_code != 0
    assert message in result.output
    errors = [line for line in result.output.splitlines() if line.lower().startswith("error:")]
    assert len(errors) == 1 and message in errors[0]
    assert "Traceback" not in result.output


# ---- annotate-matches --------------------------------------------------------------------


def test_annotate_matches_adds_the_whole_word_hits_and_reports_the_rest(news: Path) -> None:
    result = run("annotate-matches", news, UN, "--label", "ORG")

    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:3] == [
        f"added {UN_WHOLE} ORG span(s) in 2 document(s) for mona (4 hit(s) of the query)",
        f"skipped {UN_INSIDE} hit(s): {UN_INSIDE} inside a longer word",
        "  (hits inside longer words are added with --within-words)",
    ]
    added = spans_of(news)
    assert [(label, text) for _, label, text in added] == [
        ("ORG", "الأمم المتحدة"),
        ("ORG", "الامم المتحده"),
    ]

    again = run("annotate-matches", news, UN, "--label", "ORG", "--within-words")
    assert again.output.splitlines()[:2] == [
        f"added {UN_INSIDE} ORG span(s) in 2 document(s) for mona (4 hit(s) of the query)",
        f"skipped {UN_WHOLE} hit(s): {UN_WHOLE} already annotated",
    ]
    assert sorted(text for _, _, text in spans_of(news)) == sorted(
        ["الأمم المتحدة", "الامم المتحده", "الأمم المتحدة", "الأمم المتّحدة"]
    )


def test_annotate_matches_dry_run_writes_nothing(news: Path) -> None:
    before = news.read_bytes()
    result = run("annotate-matches", news, UN, "--label", "ORG", "--dry-run")

    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"would add {UN_WHOLE} ORG span(s)")
    assert result.output.splitlines()[-1] == "nothing was written (--dry-run)"
    assert spans_of(news) == []
    assert news.read_bytes() == before


def test_annotate_matches_goes_to_the_named_layer_and_never_to_gold(news: Path) -> None:
    result = run("annotate-matches", news, "لافروف", "--label", "PER", "--annotator", "sami")
    assert result.exit_code == 0, result.output
    assert [t for _, _, t in spans_of(news, "sami")] == ["لافروف", "لافروف", "لافروف"]

    gold = run("annotate-matches", news, "لافروف", "--label", "PER", "--annotator", "gold")
    assert gold.exit_code != 0
    assert "gold layer" in gold.output
    assert spans_of(news, "gold") == []


def test_hits_the_schema_refuses_are_counted_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite"
    with Project.create(path, annotator="mona") as project:
        project.add_document("قال الوزير\nإن الوفد وصل")
        project.add_document("الوزير إن")

    result = run("annotate-matches", path, "الوزير\nان", "--label", "PER")

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "added 0 PER span(s) in 0 document(s) for mona (1 hit(s) of the query)"
    assert lines[1] == "skipped 1 hit(s): 1 refused by the schema"
    assert lines[2].startswith("  1 refused by the schema: a PER span may not cross")
    assert spans_of(path) == []


def test_a_failure_half_way_leaves_nothing_written(
    news: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    original = Project.add_span

    def failing(self: Project, *args: object, **kwargs: object) -> object:
        calls.append(args)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Project, "add_span", failing)
    result = run("annotate-matches", news, "الحوار", "--label", "EVENT", "--within-words")

    assert result.exit_code != 0
    assert "No space left on device" in result.output
    assert len(calls) == 2
    assert spans_of(news) == []


def test_ctrl_c_cancels_with_nothing_written(news: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = Project.add_span
    calls = []

    def interrupted(self: Project, *args: object, **kwargs: object) -> object:
        calls.append(args)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Project, "add_span", interrupted)
    result = run("annotate-matches", news, "الحوار", "--label", "EVENT", "--within-words")

    assert result.exit_code == 130
    assert "nothing was changed" in result.output
    assert spans_of(news) == []


def test_the_articles_hold_what_the_tests_expect() -> None:
    assert sum(UN in normalize_query(text) for _, text in ARTICLES) == 4


def test_a_hit_inside_a_span_of_the_label_is_named_with_the_label(tmp_path: Path) -> None:
    # The seed's example layer marks «سيرجي لافروف» as PER: the لافروف in it is not added again.
    from conftest import SEED_EXAMPLE, SEED_TXT

    seeded_file = tmp_path / "news.sqlite"
    assert run("init", seeded_file).exit_code == 0
    assert run("import", seeded_file, SEED_TXT).exit_code == 0
    assert run("import", seeded_file, SEED_EXAMPLE, "--format", "native").exit_code == 0
    result = run(
        "annotate-matches", seeded_file, "لافروف", "--label", "PER", "--annotator", "example",
        "--dry-run",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert re.search(r"\d+ inside a PER annotation", result.output)
    assert "{label}" not in result.output
