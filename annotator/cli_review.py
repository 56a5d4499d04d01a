"""The ``merge`` and ``agree`` commands: bring annotators' work together, measure agreement."""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from annotator.cli_common import (
    PROJECT,
    bidi_opt,
    echo_error,
    echo_text,
    open_to_read,
    progress_bar,
    project_arg,
)
from annotator.io.base import ReadOptions
from annotator.io.files import input_file
from annotator.io.operations import count_records
from annotator.io.registry import get_format
from annotator.io.targets import check_output, check_sources, project_files
from annotator.model.document import GOLD_ANNOTATOR, DocumentRecord
from annotator.review import consistency as checks
from annotator.review.agreement import agreement
from annotator.review.merge import merge_records, project_records, rename_layer
from annotator.review.report import table_lines, write_chart
from annotator.store.connection import SQLITE_MAGIC
from annotator.store.pg.location import ServerLocation
from annotator.store.project import Project
from annotator.terminal import Display


def _is_project(path: Path) -> bool:
    if isinstance(path, ServerLocation):
        return True  # a team project on a PostgreSQL server
    with path.open("rb") as fh:
        return fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC


def _records(path: Path) -> Iterator[DocumentRecord]:
    if _is_project(path):
        return project_records(path)
    read = get_format("native").read
    assert read is not None
    return read(path, ReadOptions())


def _count(path: Path) -> int:
    if _is_project(path):
        with Project.open(path, read_only=True) as other:
            return other.document_count()
    return count_records([path], "native")


@click.command("merge")
@project_arg
@click.argument("others", nargs=-1, required=True, type=PROJECT)
@click.option(
    "--annotator",
    help="Credit every incoming annotation to this name, e.g. model:camelbert.",
)
def merge(project: Path, others: tuple[Path, ...], annotator: str | None) -> None:
    """Merge other annotators' project files or native JSONL into PROJECT.

    Documents match by text. If a document id names a different text than in PROJECT, nothing
    is merged. Merging the same work twice adds nothing. Other project files are only read.

    \b
    Example:
      annotator merge projects/review.sqlite mona.sqlite sami.sqlite
      annotator merge projects/review.sqlite ner.jsonl --annotator model:camelbert
      annotator merge mona.sqlite postgresql://db.newsroom.example/elections
    """
    # A pipe, a device, a folder or a missing file among the sources is named before anything
    # is read; the project itself, even by another name or a link, is never a source.
    others = tuple(o if isinstance(o, ServerLocation) else input_file(o) for o in others)
    files = tuple(o for o in others if not isinstance(o, ServerLocation))
    if not isinstance(project, ServerLocation):
        check_sources(files, project)  # with its -wal, -shm and -journal
    elif any(isinstance(o, ServerLocation) and str(o) == str(project) for o in others):
        raise click.UsageError("a project cannot be merged into itself")
    records: Iterator[DocumentRecord] = itertools.chain.from_iterable(_records(o) for o in others)
    if annotator:
        records = rename_layer(records, annotator)
    total = sum(_count(o) for o in others)
    with Project.open(project) as target, progress_bar(total, "merging") as progress:
        report = merge_records(target, records, progress=progress)
    click.echo(
        f"merged {len(report.matched_documents)} matching document(s) and "
        f"{len(report.added_documents)} new one(s): {report.spans} span(s), "
        f"{report.relations} relation(s) added"
    )
    for doc_id in report.reopened:
        echo_error(f"{doc_id}: new work in a reviewed document; its review is open again")
    for line in report.lines():
        echo_error(line)


@click.command("agree")
@project_arg
@click.option("--annotators", help="Comma-separated annotator names (default: all but gold).")
@click.option("--json", "as_json", is_flag=True, help="Print the numbers as JSON.")
@click.option("--per-document", is_flag=True, help="Also print each document's numbers.")
@click.option(
    "--chart",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also draw a chart (.png or .svg).",
)
@bidi_opt
def agree(
    project: Path,
    annotators: str | None,
    as_json: bool,
    per_document: bool,
    chart: Path | None,
    bidi: str,
) -> None:
    """Print inter-annotator agreement for each pair: span F1, kappa, alpha, link F1.

    \b
    Example:
      annotator agree projects/review.sqlite --annotators mona,sami
      annotator agree projects/review.sqlite --json --chart agreement.png
    """
    names = [n.strip() for n in annotators.split(",") if n.strip()] if annotators else None
    with open_to_read(project) as opened:
        if names is not None:
            unknown = sorted(set(names) - set(opened.annotators()))
            if unknown:
                raise click.BadParameter(
                    f"no annotations by {', '.join(unknown)} in the project",
                    param_hint="--annotators",
                )
        with progress_bar(opened.document_count(), "comparing") as progress:
            result = agreement(opened, names, progress=progress)
        if chart is not None:
            write_chart(result, check_output(chart, project_files(project)), opened.schema)
    show = Display(bidi, sys.stdout)  # annotator names are stored values: neutralised
    if as_json:
        echo_text(show.json(json.dumps(result, ensure_ascii=False, indent=2)))
    else:
        for line in table_lines(result, per_document=per_document):
            echo_text(show(line))
    if chart is not None:
        click.echo(f"wrote the chart to {chart}", err=True)


PLACES_SHOWN = 3  # places printed under each finding (--json prints every one)


@click.command("consistency")
@project_arg
@click.option("--annotator", "layer", help="Check this annotator's layer only.")
@click.option("--gold", is_flag=True, help="Check the gold layer only.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per finding.")
@click.option("--limit", type=click.IntRange(min=1), help="Print only the first N findings.")
@bidi_opt
def consistency(
    project: Path, layer: str | None, gold: bool, as_json: bool, limit: int | None, bidi: str
) -> None:
    """List names labelled differently in different places, and left unlabelled elsewhere.

    A name is compared by its search key (hamza forms, ة/ه, ى/ي and tashkeel make no
    difference), among entity labels only. Each layer is checked on its own: every
    annotator's and gold without --annotator or --gold. Findings come by how many spans a
    fix would change, most first; --json prints every place of each.

    \b
    Example:
      annotator consistency projects/review.sqlite --annotator mona
      annotator consistency projects/review.sqlite --gold --json --limit 20
    """
    if layer and gold:
        raise click.BadParameter("choose either --annotator or --gold", param_hint="--gold")
    layers = [GOLD_ANNOTATOR] if gold else [layer] if layer else None
    with open_to_read(project) as opened, opened.snapshot():
        if layers is not None and layers[0] not in opened.annotators():
            raise click.BadParameter(
                f"no annotations by {layers[0]} in the project",
                param_hint="--gold" if gold else "--annotator",
            )
        with progress_bar(checks.progress_total(opened), "checking") as progress:
            findings = checks.consistency(
                opened, layers, place_cap=checks.PLACE_CAP, progress=progress
            )
        total, findings = len(findings), findings[:limit]
        shown: dict[checks.Place, str] = {}
        if as_json:
            findings = list(checks.complete_places(opened, findings))
        else:
            shown = checks.contexts(opened, [p for f in findings for p in f.places[:PLACES_SHOWN]])
    _print_findings(findings, shown, as_json, Display(bidi, sys.stdout))
    cut = f", the first {len(findings)} shown" if len(findings) < total else ""
    click.echo(f"{total} finding(s){cut}", err=True)


def _print_findings(
    findings: list[checks.Finding], shown: dict[checks.Place, str], as_json: bool, show: Display
) -> None:
    for finding in findings:
        if as_json:
            record = checks.finding_record(finding)
            echo_text(show.json(json.dumps(record, ensure_ascii=False)))
            continue
        echo_text(show.field(checks.summary(finding)))
        listed = finding.places[:PLACES_SHOWN]
        for place in listed:
            where = f"[{place.start}, {place.end})\t{place.label or '-'}"
            echo_text(f"    {show.field(place.doc_id)}\t{where}\t{show.field(shown[place])}")
        hidden = len(finding.places) + finding.more - len(listed)
        if hidden > 0:
            echo_text(f"    … and {hidden} more place(s)")
