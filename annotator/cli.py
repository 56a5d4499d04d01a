"""The ``annotator`` command: a thin click layer over the Python API.

Every error a user can cause prints one line naming the file (and line) and exits non-zero.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from annotator.cli_common import (
    PROJECT,
    PROJECT_KEY,
    bidi_opt,
    echo_error,
    echo_text,
    format_option,
    install_password_prompt,
    neutralised_stderr,
    offsets_option,
    open_to_read,
    progress_bar,
    project_arg,
)
from annotator.cli_labelstudio import prediction_options
from annotator.errors import AnnotatorError, ProjectError
from annotator.io.alignment import BIO_TOKENS, ExportReport, token_options
from annotator.io.base import ReadReport
from annotator.io.labels import NEW_LABELS, ON_CHANGE, parse_annotator_map, parse_label_map
from annotator.io.operations import Selection, count_records, export, import_paths, input_files
from annotator.io.registry import get_format
from annotator.io.split import Split
from annotator.io.targets import check_sources
from annotator.paths import DEMO_PROJECT
from annotator.store.pg.location import ServerLocation
from annotator.store.pg.team import Team
from annotator.store.project import DatabaseError, Project
from annotator.terminal import Display


class Group(click.Group):
    """A click group that turns any error into one line on stderr and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AnnotatorError as exc:
            echo_error(f"error: {exc}")
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted; nothing was changed by the unfinished step", err=True)
            sys.exit(130)
        except BrokenPipeError:
            # The reader went away (`annotator search ... | head`): stop quietly, as `grep` does;
            # stdout is pointed at /dev/null so the interpreter's final flush does not fail too.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(141)
        except DatabaseError as exc:
            # Known SQLite failures are mapped to AnnotatorError in the store; this is the net
            # under them, so a user never gets a traceback.
            project = ctx.meta.get(PROJECT_KEY)
            where = f"{project}: " if project is not None else ""
            echo_error(f"error: {where}the project file failed: {exc}; the step was not saved")
            sys.exit(ProjectError.exit_code)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            echo_error(f"error: {where}{exc.strerror or exc}")
            sys.exit(1)
        except click.ClickException as exc:
            exc.show(file=neutralised_stderr())  # it may quote a typed or stored name
            sys.exit(exc.exit_code)


@click.group(cls=Group, invoke_without_command=True)
@click.version_option(package_name="arabic-news-annotator")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Annotate Arabic news: entities, quotes and claims; review; export JSONL.

    With no command, opens the window on the demo project (built from seeds/ on first run).

    \b
    Example:
      annotator init projects/news.sqlite
      annotator import projects/news.sqlite articles/ --encoding cp1256
      annotator gui projects/news.sqlite
    """
    install_password_prompt()
    if ctx.invoked_subcommand is None:
        ctx.invoke(gui, project=None)


@main.command()
@project_arg
@click.option(
    "--schema", type=click.Path(path_type=Path, dir_okay=False), help="Label schema TOML."
)
@click.option("--name", help="Display name of the project.")
@click.option(
    "--blind",
    is_flag=True,
    help="Server projects: annotators see only their own layer until a document is reviewed.",
)
def init(project: Path, schema: Path | None, name: str | None, blind: bool) -> None:
    """Create a new, empty project: a file, or a team project in a PostgreSQL database.

    In a database (postgresql://HOST/DB, empty), it also makes the project's roles:
    annotators, curators and managers (see `annotator team`); that needs a login that may
    create roles.

    \b
    Example:
      annotator init projects/news.sqlite --schema resources/schemas/arabic_news.toml
      annotator init postgresql://db.newsroom.example/elections --blind
    """
    where = cli_team.server_location(project) if blind else project
    with Project.create(where, schema=schema, name=name) as opened:
        labels = ", ".join(opened.schema.label_ids)
        if blind:
            Team.of(opened).set_blind(True)
    click.echo(f"created {project} with labels {labels}{' (blind)' if blind else ''}")


@main.command("import")
@project_arg
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@format_option("read", default="txt")
@click.option("--encoding", default="utf-8", show_default=True, help="Text encoding, e.g. cp1256.")
@click.option(
    "--annotator",
    help="Who made the annotations in the input (default: you); a Label Studio file names its"
    " own layers (completed_by, model_version) and this only those it leaves unnamed.",
)
@click.option("--title", help="Title of the document (one input file only).")
@click.option(
    "--on-change",
    type=click.Choice(ON_CHANGE),
    default="update",
    show_default=True,
    help="What to do with an annotation a file changed: apply it to its own layer, refuse the"
    " import naming it, or keep the project's and list it.",
)
@click.option("--update", is_flag=True, hidden=True)  # the default now; kept for old scripts
@click.option(
    "--remove-missing",
    is_flag=True,
    help="Remove what the files' layers hold in the project and the files do not.",
)
@click.option(
    "--label-map",
    "label_map",
    multiple=True,
    metavar="FROM=TO",
    help="Rename a label of the files to the project's, e.g. PERS=PER (repeatable).",
)
@click.option(
    "--annotator-map",
    "annotator_map",
    multiple=True,
    metavar="FROM=TO",
    help="Rename a layer of the files, e.g. labelstudio:1=mona for Label Studio's user ids"
    " (repeatable).",
)
@click.option(
    "--new-labels",
    type=click.Choice(NEW_LABELS),
    default="refuse",
    show_default=True,
    help="A label the schema lacks: refuse the import, or add it to the schema.",
)
@offsets_option("read")
def import_(
    project: Path,
    paths: tuple[Path, ...],
    fmt: str,
    encoding: str,
    annotator: str | None,
    title: str | None,
    on_change: str,
    update: bool,
    remove_missing: bool,
    label_map: tuple[str, ...],
    annotator_map: tuple[str, ...],
    new_labels: str,
    offsets: str | None,
) -> None:
    """Import articles or annotated files, or folders of them, into a project.

    A folder is searched for the files of the chosen format. The whole batch is imported in one
    transaction: on any error nothing is imported. A text already in the project is reported
    and not added twice; the annotations a file brings for it update the layers it brings:
    new ones are added, ones the file changed (a corrected label or edge, matched by id or,
    from doccano or Label Studio, by place) are applied, and ones the file lacks are kept and
    listed unless --remove-missing is given. Every count is reported.

    \b
    Example:
      annotator import projects/news.sqlite seeds/ articles/extra.txt
      annotator import projects/news.sqlite old/ --encoding cp1256
      annotator import projects/news.sqlite data.jsonl --format native --annotator model:camelbert
      annotator import projects/news.sqlite ANERcorp.conll --format conll --annotator anercorp \\
          --label-map PERS=PER --new-labels add
      annotator import projects/news.sqlite corrected.jsonl --format native --remove-missing
    """
    mapping = parse_label_map(label_map)
    layers = parse_annotator_map(annotator_map)
    read = ReadReport()
    with Project.open(project, annotator=annotator) as opened:
        files = input_files(paths, fmt)
        check_sources(files, project)  # before they are read, even to count them
        with progress_bar(count_records(files, fmt), "importing") as progress:
            report = import_paths(
                opened,
                files,
                fmt=fmt,
                encoding=encoding,
                annotator=annotator,
                title=title,
                progress=progress,
                on_change="update" if update else on_change,
                remove_missing=remove_missing,
                label_map=mapping,
                annotator_map=layers,
                new_labels=new_labels,
                read_report=read,
                offsets=offsets,
            )
    click.echo(
        f"imported {len(report.added)} document(s), {report.spans} span(s), "
        f"{report.relations} relation(s)"
    )
    if get_format(fmt).layers:
        for line in read.layer_lines():
            echo_text(f"  read {line}")
    for line in read.lines():
        echo_error(line)
    for source, existing in report.duplicates:
        echo_error(f"already in the project as {existing}: {source}")
    for line in report.lines():
        echo_error(line)


@main.command("export")
@project_arg
@click.argument("out", type=click.Path(path_type=Path))
@format_option("write", default="native")
@click.option("--annotator", "annotators", multiple=True, help="Only this annotator (repeatable).")
@click.option("--gold", is_flag=True, help="Only the reviewed gold layer.")
@click.option("--label", "labels", multiple=True, help="Only this label (repeatable).")
@click.option("--split", "split_spec", help="Document-level split into parts, e.g. 80,10,10.")
@click.option("--seed", default=0, show_default=True, help="Seed of the --split.")
@click.option(
    "--predictions",
    "prediction_layers",
    multiple=True,
    metavar="LAYER",
    help="labelstudio: write this layer as predictions (model_version: its name less model:),"
    " not as an annotation (repeatable).",
)
@offsets_option("write")
@click.option("--nested", is_flag=True, help="conll: one tag column per nesting level (Wojood).")
@click.option(
    "--bio-tokens",
    type=click.Choice(BIO_TOKENS),
    default="split",
    show_default=True,
    help="conll, hf: a span after an attached proclitic (و ب ل ...) splits it off its token,"
    " or tags the whole token (ANERcorp's and Wojood's convention).",
)
def export_(
    project: Path,
    out: Path,
    fmt: str,
    annotators: tuple[str, ...],
    gold: bool,
    labels: tuple[str, ...],
    split_spec: str | None,
    seed: int,
    prediction_layers: tuple[str, ...],
    offsets: str | None,
    nested: bool,
    bio_tokens: str,
) -> None:
    """Export documents and annotations; files appear only when complete.

    With --split, writes OUT with .train/.dev/.test before the suffix and prints each part's
    document count; a document's part depends only on the seed and its id, and a split that
    would leave a part empty is refused before any file is written. Spans that do not fit a
    token-based format are reported.

    \b
    Example:
      annotator export projects/news.sqlite out/news.jsonl --format native
      annotator export projects/news.sqlite out/per.jsonl --annotator mona --label PER
      annotator export projects/news.sqlite out/ner.jsonl --format hf --gold --split 80,10,10
      annotator export projects/news.sqlite out/ner.conll --format conll --gold --nested \\
          --bio-tokens whole
      annotator export projects/news.sqlite out/ls.json --format labelstudio \\
          --predictions model:camelbert
    """
    split = Split.parse(split_spec, seed) if split_spec is not None else None
    selection = Selection(annotators=annotators or None, labels=frozenset(labels), gold=gold)
    report = ExportReport()
    with open_to_read(project) as opened:
        for label in labels:
            opened.schema.label(label)
        options = prediction_options(opened, fmt, selection, prediction_layers)
        if offsets is not None:
            options = {**options, "offsets": offsets}
        fmt_bio = get_format(fmt).bio
        options = {**options, **token_options(fmt, fmt_bio, nested, bio_tokens)}
        with progress_bar(opened.document_count(), "exporting") as progress:
            count = export(
                opened,
                out,
                fmt=fmt,
                selection=selection,
                options=options,
                progress=progress,
                report=report,
                split=split,
            )
    files = ", ".join(str(f) for f in report.files)
    spans = f", {report.spans} span(s)" if report.spans else ""
    click.echo(f"wrote {count} document(s){spans} to {files} ({fmt})")
    for line in report.part_lines():
        click.echo(f"  {line}")
    for line in report.lines():
        echo_error(line)


@main.command("list")
@project_arg
@bidi_opt
def list_(project: Path, bidi: str) -> None:
    """List the documents of a project: id, status, annotation count and title.

    \b
    Example:
      annotator list projects/demo.sqlite
    """
    show = Display(bidi, sys.stdout)
    with open_to_read(project) as opened:
        offset = 0
        while rows := opened.document_rows(offset, 500):
            for row in rows:
                fields = (row.id, row.status, str(row.span_count), row.title)
                echo_text("\t".join(show.field(f) for f in fields))
            offset += len(rows)


@main.command()
@project_arg
@click.argument("doc")
@bidi_opt
@click.option("--annotator", "annotators", multiple=True, help="Only this annotator (repeatable).")
def show(project: Path, doc: str, bidi: str, annotators: tuple[str, ...]) -> None:
    """Print a document's text and its annotations in the terminal.

    \b
    Example:
      annotator show projects/demo.sqlite 000_2024f0fe6e876b71 --bidi on
    """
    display = Display(bidi, sys.stdout)
    with open_to_read(project) as opened:
        document = opened.document(doc)
        spans = opened.spans(doc, annotators or None)
        relations = opened.relations(doc, annotators or None)
    field = display.field  # every stored value: neutralised on a terminal, exact elsewhere
    echo_text(field(document.title))
    echo_text("=" * 40)
    echo_text(display(document.text))
    echo_text("=" * 40)
    echo_text(f"{len(spans)} span(s), {len(relations)} relation(s)")
    for span in spans:
        attrs = " ".join(f"{field(k)}={field(v)}" for k, v in sorted(span.attrs.items()))
        echo_text(
            f"{field(span.id)}\t{field(span.label)}\t[{span.start}, {span.end})\t"
            f"{field(span.annotator)}\t{field(span.text_in(document.text))}\t{attrs}".rstrip()
        )
    for rel in relations:
        ends = f"{field(rel.head)} -> {field(rel.tail)}"
        echo_text(f"{field(rel.id)}\t{field(rel.type)}\t{ends}\t{field(rel.annotator)}")


@main.command()
@click.argument("project", required=False, type=PROJECT)
@click.option("--annotator", help="Your annotator name (default: the saved one or your login).")
@click.option(
    "--read-only", is_flag=True, help="Only look: for a write-protected file or someone else's."
)
@click.option(
    "--consistency", is_flag=True, help="Open with the consistency report (Review menu) shown."
)
def gui(
    project: Path | None,
    annotator: str | None = None,
    read_only: bool = False,
    consistency: bool = False,
) -> None:
    """Open the annotation window (on the demo project when PROJECT is omitted).

    \b
    Example:
      annotator gui projects/news.sqlite
      annotator gui shared/mona.sqlite --read-only
      annotator gui projects/review.sqlite --consistency
      annotator gui postgresql://db.newsroom.example/elections --annotator mona
    """
    from annotator.demo import build_demo_project

    if project is None:
        project = build_demo_project(DEMO_PROJECT)
    elif not isinstance(project, ServerLocation) and not project.exists():
        raise click.BadParameter(f"{project}: no such project file", param_hint="PROJECT")
    from annotator.gui.app import run

    sys.exit(run(project, annotator=annotator, read_only=read_only, consistency=consistency))


# Commands defined in other modules (annotator/cli_*.py) are registered here, one line each.
from annotator import cli_labelstudio, cli_review, cli_search, cli_suggest, cli_team  # noqa: E402

main.add_command(cli_review.merge)
main.add_command(cli_review.agree)
main.add_command(cli_review.consistency)
main.add_command(cli_labelstudio.labelstudio_config)
main.add_command(cli_search.search)
main.add_command(cli_search.annotate_matches)
main.add_command(cli_suggest.suggest)
main.add_command(cli_team.assign)
main.add_command(cli_team.progress)
main.add_command(cli_team.team)


if __name__ == "__main__":
    main()
