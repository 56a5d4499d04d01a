"""``annotator search`` and ``annotator annotate-matches``: corpus search from the command line.

Both compare as the window's Find does (:func:`annotator.model.text.find_matches`): alef and
hamza forms, ة/ه and ى/ي match each other, tashkeel and tatweel are ignored, a typed space
matches a no-break space. Hits come from :meth:`annotator.store.Project.search`; which of them
annotate-matches turns into spans is decided by the rules the window's Annotate all uses
(:mod:`annotator.session.annotate_all`).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import click

from annotator.cli_common import bidi_opt, echo_text, open_to_read, progress_bar, project_arg
from annotator.errors import InputError
from annotator.model.document import check_owner
from annotator.model.graphemes import cluster_end, cluster_start
from annotator.model.kwic import kwic
from annotator.session.annotate_all import (
    ALREADY,
    INSIDE_WORD,
    REFUSED,
    WHOLE_WORD,
    annotate_all_report,
    plan_hits,
)
from annotator.store.project import Project
from annotator.store.search import Hit
from annotator.terminal import Display

CONTEXT = 40  # characters of context on each side in --json


@click.command()
@project_arg
@click.argument("query")
@click.option("--label", help="Only hits a span of this label covers entirely.")
@click.option("--annotator", help="Only hits a span of this annotator covers entirely.")
@click.option(
    "--outside", is_flag=True, help="With --label/--annotator: only hits no such span covers."
)
@click.option("--whole-words", is_flag=True, help="Leave out hits inside longer words.")
@click.option("--limit", type=click.IntRange(min=1), help="Stop after this many hits.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per hit.")
@bidi_opt
def search(
    project: Path,
    query: str,
    label: str | None,
    annotator: str | None,
    outside: bool,
    whole_words: bool,
    limit: int | None,
    as_json: bool,
    bidi: str,
) -> None:
    """Find QUERY in every document, as Find does in the window.

    Hamza and alef forms (أ إ آ ٱ ا), ة and ه, ى and ي match each other; tashkeel and tatweel
    are ignored; a typed space matches a no-break space. Each line gives the document id, the
    hit's [start, end) in code points of the stored text, "word" for a whole word or "part" for
    a hit inside a longer word, and the hit in [brackets] with the words around it; the last
    line counts the hits. --json prints one object per hit: doc_id, start, end, text (the
    stored text at those offsets), whole_word, and left and right (the stored text before and
    after the hit, in reading order).

    \b
    Example:
      annotator search projects/news.sqlite "لافروف"
      annotator search projects/news.sqlite "الامم المتحده" --whole-words --json
      annotator search projects/news.sqlite "الكرملين" --label ORG --outside
    """
    if outside and label is None and annotator is None:
        raise click.UsageError("--outside needs --label or --annotator")
    display = Display(bidi, sys.stdout)
    with open_to_read(project) as opened:
        if annotator is not None and annotator not in opened.annotators():
            raise InputError(f"no annotations by {annotator!r} in the project")
        hits = opened.search(
            query,
            whole_words=whole_words,
            label=label,
            annotator=annotator,
            inside=not outside,
            limit=limit,
        )
        documents: set[str] = set()
        count = 0
        for hit, text in _with_texts(opened, hits):
            count += 1
            documents.add(hit.doc_id)
            echo_text(_json_line(hit, text, display) if as_json else _line(hit, text, display))
    if not as_json:
        more = " (--limit reached)" if limit is not None and count >= limit else ""
        click.echo(f"{count} hit(s) in {len(documents)} document(s){more}")


def _with_texts(project: Project, hits: Iterator[Hit]) -> Iterator[tuple[Hit, str]]:
    """Give each hit its document's text, reading each document once (hits come grouped)."""
    doc_id, text = None, ""
    for hit in hits:
        if hit.doc_id != doc_id:
            doc_id, text = hit.doc_id, project.document(hit.doc_id).text
        yield hit, text


def _line(hit: Hit, text: str, display: Display) -> str:
    context = kwic(text, hit.start, hit.end)
    shown = f"{context.before}[{context.hit}]{context.after}"
    where = f"[{hit.start}, {hit.end})"
    kind = "word" if hit.whole_word else "part"
    return f"{display.field(hit.doc_id)}\t{where}\t{kind}\t{display.field(shown)}"


def _json_line(hit: Hit, text: str, display: Display) -> str:
    low = cluster_start(text, max(0, hit.start - CONTEXT))
    high = cluster_end(text, min(len(text), hit.end + CONTEXT))
    record = {
        "doc_id": hit.doc_id,
        "start": hit.start,
        "end": hit.end,
        "text": text[hit.start : hit.end],
        "whole_word": hit.whole_word,
        "left": text[low : hit.start],
        "right": text[hit.end : high],
    }
    return display.json(json.dumps(record, ensure_ascii=False))


@click.command("annotate-matches")
@project_arg
@click.argument("query")
@click.option("--label", required=True, help="The label of the spans to add.")
@click.option("--annotator", help="Whose layer gets the spans (default: you).")
@click.option("--within-words", is_flag=True, help="Also annotate hits inside longer words.")
@click.option("--dry-run", is_flag=True, help="Only report what would be added and skipped.")
def annotate_matches(
    project: Path,
    query: str,
    label: str,
    annotator: str | None,
    within_words: bool,
    dry_run: bool,
) -> None:
    """Add a LABEL span at every whole-word hit of QUERY, in one transaction.

    QUERY is matched as `annotator search` matches it. Hits inside longer words are added
    only with --within-words. Skipped and counted: hits already annotated with LABEL in the
    layer, hits inside (or overlapping) a LABEL span of the layer, and hits the schema refuses
    (a label that may not cross a line break, an edge inside a character), each with its reason.
    The spans take the schema's default attributes, as spans drawn in the window do. Nothing is
    written when anything fails, or when the run is interrupted (Ctrl+C).

    \b
    Example:
      annotator annotate-matches projects/news.sqlite "لافروف" --label PER --dry-run
      annotator annotate-matches projects/news.sqlite "الامم المتحده" --label ORG
    """
    with Project.open(project, read_only=dry_run, annotator=annotator) as opened:
        defaults = opened.schema.defaults(label)  # raises for an unknown label
        opened.schema.check_span(label, defaults)
        layer = opened.annotator
        check_owner(layer, layer, f"the {label} annotations of {layer}", reviewing=False)
        with opened.snapshot() if dry_run else opened.write():
            planned = list(plan_hits(opened, opened.search(query), layer))
            wanted = (WHOLE_WORD, INSIDE_WORD) if within_words else (WHOLE_WORD,)
            chosen = [p.hit for p in planned if p.kind(label) in wanted]
            if not dry_run:
                with progress_bar(len(chosen), "annotating") as progress:
                    for hit in chosen:
                        opened.add_span(hit.doc_id, hit.start, hit.end, label, attrs=defaults)
                        if progress is not None:
                            progress(1)
    report = annotate_all_report(planned, chosen, label)
    verb = "would add" if dry_run else "added"
    click.echo(
        f"{verb} {report.added} {label} span(s) in {report.documents} document(s) for {layer}"
        f" ({len(planned)} hit(s) of the query)"
    )
    skipped = Counter(p.kind(label) for p in planned if p.hit not in set(chosen))
    if skipped:
        parts = [f"{n} {kind.format(label=label)}" for kind, n in skipped.most_common()]
        click.echo(f"skipped {sum(skipped.values())} hit(s): {', '.join(parts)}")
    if skipped[INSIDE_WORD]:
        click.echo("  (hits inside longer words are added with --within-words)")
    display = Display("off", sys.stdout)  # a reason quotes no stored text, but names labels
    for reason, n in report.refused:
        echo_text(f"  {n} {REFUSED}: {display.field(reason)}")
    if dry_run:
        click.echo("nothing was written (--dry-run)")
    elif skipped[ALREADY] and not report.added:
        click.echo("nothing new to add")
