"""``annotator assign`` and ``annotator progress``: give documents to a team, see how far it is.

Assigning writes only the assignments table (:mod:`annotator.store.assignments`); progress reads
it with the spans (:mod:`annotator.review.progress`). Names are stored values: printed through
the terminal's Display, as ``agree`` prints them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from annotator.cli_common import bidi_opt, echo_text, open_to_read, project_arg
from annotator.review.progress import progress_lines, team_progress
from annotator.store.assignments import AssignReport
from annotator.store.project import Project
from annotator.terminal import Display


@click.command("assign")
@project_arg
@click.option(
    "--annotators", required=True, help="Who annotates: names separated by commas (a,b,c)."
)
@click.option(
    "--per-document",
    type=click.IntRange(min=1),
    required=True,
    help="How many different annotators each document goes to.",
)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="The draw: the same seed, names and documents give the same people.",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Assign documents already assigned again (default: they keep their people and are"
    " only topped up).",
)
@bidi_opt
def assign(
    project: Path, annotators: str, per_document: int, seed: int, replace: bool, bidi: str
) -> None:
    """Give every document to N different annotators, balanced and reproducible.

    Each person's count differs from the others' by at most one; a person marks their part of
    a document done in the window (Document status: done). Prints the documents each person
    now has and how many this run added.

    \b
    Example:
      annotator assign projects/news.sqlite --annotators mona,sami,huda --per-document 2 --seed 7
    """
    names = annotators.split(",")
    with Project.open(project) as opened:
        report = opened.assign(names, per_document, seed, replace=replace)
    _print_table(assign_lines(report), Display(bidi, sys.stdout))


def assign_lines(report: AssignReport) -> list[str]:
    """Return what an assignment did: a summary line, then documents and new ones per person."""
    added, removed = sum(report.added.values()), sum(report.removed.values())
    lines = [
        f"{report.documents} document(s), {report.per_document} annotator(s) each:"
        f" {added} assignment(s) added, {report.kept} kept, {removed} removed",
        "annotator\tdocuments\tadded",
    ]
    lines += [f"{name}\t{n}\t{report.added.get(name, 0)}" for name, n in report.counts.items()]
    return lines


@click.command("progress")
@project_arg
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@bidi_opt
def progress(project: Path, as_json: bool, bidi: str) -> None:
    """Print per annotator the documents assigned, started and done, and each pair's agreement.

    Started: the person has at least one span in the document; done: they marked their own
    part done. Agreement is span F1 (exact and overlap, as `annotator agree` computes it) on
    the documents assigned to both, where both have annotated.

    \b
    Example:
      annotator progress projects/news.sqlite
      annotator progress projects/news.sqlite --json
    """
    with open_to_read(project) as opened:
        report = team_progress(opened)
    show = Display(bidi, sys.stdout)
    if as_json:
        echo_text(show.json(json.dumps(report.to_json(), ensure_ascii=False, indent=2)))
        return
    _print_table(progress_lines(report), show)


def _print_table(lines: list[str], show: Display) -> None:
    # Cell by cell: a name is one field (a line break in it is shown as an escape).
    for line in lines:
        echo_text("\t".join(show.field(cell) for cell in line.split("\t")))
