"""``annotator suggest``: run recommenders, score them on the project, count what people decided.

Each run stores its proposals in the recommender's own layer (``suggest:NAME``) for one person;
the window shows them as ghosts to accept or reject. Nothing here writes a person's layer or
gold, and no export reads a suggestion layer.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import click

from annotator.cli_common import echo_error, echo_text, open_to_read, project_arg
from annotator.errors import AnnotatorError, ValidationError
from annotator.model.document import GOLD_ANNOTATOR
from annotator.model.suggestions import recommender_of
from annotator.store.project import Project
from annotator.suggest import registry
from annotator.suggest.run import RunProgress, run_recommender
from annotator.terminal import Display

INTERRUPTED = 130  # the exit code of a command stopped by Ctrl+C


@contextmanager
def _phases(enabled: bool) -> Iterator[RunProgress | None]:
    """Yield a progress callback drawing one bar per phase on stderr (None when not a terminal)."""
    if not enabled:
        yield None
        return
    with ExitStack() as stack:
        state: dict[str, Any] = {"phase": None, "bar": None, "done": 0}

        def update(phase: str, done: int, total: int) -> None:
            if phase != state["phase"]:
                stack.close()
                bar = click.progressbar(length=max(total, 1), label=phase, file=sys.stderr)
                state.update(phase=phase, bar=stack.enter_context(bar), done=0)
            state["bar"].update(done - state["done"])
            state["done"] = done

        yield update


@contextmanager
def _naming(project: Path) -> Iterator[None]:
    """Make every error of the block name the project (a recommender's may not)."""
    try:
        yield
    except AnnotatorError as exc:
        if exc.path is None:
            exc.path = str(project)
        raise


def _check_person(project: Path, annotator: str | None) -> None:
    if annotator is not None and (
        annotator == GOLD_ANNOTATOR or recommender_of(annotator) is not None
    ):
        raise ValidationError(
            f"--annotator {annotator!r}: suggestions are made for a person, to accept or"
            " reject in their own layer, not for gold or a suggestion layer",
            path=project,
        )


def _documents(opened: Project, docs: str | None) -> list[str] | None:
    """Return the ids --docs names, in the order given (None: every document)."""
    if docs is None:
        return None
    wanted = [d.strip() for d in docs.split(",")]
    if not all(wanted):
        raise ValidationError(
            f"--docs {docs!r} holds an empty id: give comma-separated document ids"
            " (see `annotator list`)",
            path=opened.path,
        )
    known = set(opened.document_ids())
    missing = [d for d in wanted if d not in known]
    if missing:
        raise ValidationError(
            f"no document {missing[0]!r} in the project (see `annotator list`)", path=opened.path
        )
    return wanted  # a document named twice is proposed for once (run_recommender)


@click.command("suggest")
@project_arg
@click.option(
    "--recommender",
    "-r",
    "recommenders",
    multiple=True,
    type=click.Choice(registry.names()),
    help="Which recommender to run; repeat to run several in turn (quotes then finds the"
    " entities strings or crf proposed).",
)
@click.option(
    "--from",
    "source",
    help="The layer to learn from: an annotator's name or gold (default: your own layer).",
)
@click.option(
    "--annotator", help="Whose suggestions: they are made for this person (default: you)."
)
@click.option("--docs", help="Only these documents (comma-separated ids; default: all).")
@click.option("--retrain", is_flag=True, help="crf: train again even if the stored model fits.")
@click.option(
    "--evaluate", is_flag=True, help="Score the recommender on --from instead of running it."
)
@click.option("--folds", type=click.IntRange(min=2), default=5, show_default=True)
@click.option(
    "--holdout",
    type=click.FloatRange(0.01, 0.99),
    help="With --evaluate: train on the first part of the documents, score this share at the end.",
)
@click.option("--stats", is_flag=True, help="Count pending, accepted and rejected suggestions.")
@click.option("--json", "as_json", is_flag=True, help="--evaluate/--stats: print JSON.")
def suggest(
    project: Path,
    recommenders: tuple[str, ...],
    source: str | None,
    annotator: str | None,
    docs: str | None,
    retrain: bool,
    evaluate: bool,
    folds: int,
    holdout: float | None,
    stats: bool,
    as_json: bool,
) -> None:
    """Propose annotations from what the project holds, as suggestions to accept or reject.

    A run of `strings` proposes what --from annotated (and gold) at its other occurrences;
    `quotes` proposes reporting verbs (CUE), the quoted words (QUOTE) and links to their
    speakers by rules; `crf` trains a tagger on --from's entities (stored in the project with
    what it was trained on) and proposes the entities it finds. The suggestions go to the
    layer suggest:NAME for you (or --annotator), replacing that recommender's earlier ones in
    those documents, leaving out what you already accepted, rejected or annotated; open the
    window to accept them (Enter) or reject them (Backspace).

    \b
    Example:
      annotator suggest projects/news.sqlite -r strings
      annotator suggest projects/news.sqlite -r crf --from gold -r quotes
      annotator suggest projects/news.sqlite -r crf --from gold --evaluate --holdout 0.2
      annotator suggest projects/news.sqlite --stats
    """
    if stats:
        with _naming(project):
            _print_stats(project, annotator, as_json)
        return
    if not recommenders:
        raise click.UsageError("choose a recommender with --recommender (or ask for --stats)")
    with _naming(project):
        if evaluate:
            for name in recommenders:
                _evaluate(project, name, source, folds, holdout, retrain, as_json)
            return
        _check_person(project, annotator)
        _run(project, recommenders, source, annotator, docs, retrain)


def _run(
    project: Path,
    recommenders: tuple[str, ...],
    source: str | None,
    annotator: str | None,
    docs: str | None,
    retrain: bool,
) -> None:
    """Run each recommender in turn; Ctrl+C stops after the report of the interrupted one."""
    show = Display("off", sys.stdout)  # names and ids from the project: neutralised on a terminal
    with Project.open(project, annotator=annotator) as opened:
        ids = _documents(opened, docs)
        learn_from = source or opened.annotator
        for n, name in enumerate(recommenders):
            options = {"retrain": True} if retrain and name == "crf" else {}
            recommender = registry.make(name, **options)
            with _phases(sys.stderr.isatty()) as progress:
                report = run_recommender(
                    opened, recommender, source=learn_from, doc_ids=ids, progress=progress
                )
            for line in report.lines():
                echo_text(show.field(line))
            if report.cancelled:
                if recommenders[n + 1 :]:
                    echo_error(f"not run: {', '.join(recommenders[n + 1 :])}")
                sys.exit(INTERRUPTED)


def _print_stats(project: Path, annotator: str | None, as_json: bool) -> None:
    show = Display("off", sys.stdout)  # recommender names and labels come from the project
    with open_to_read(project) as opened:
        rows = opened.suggestion_stats(annotator)
    if as_json:
        for row in rows:
            echo_text(
                show.json(
                    json.dumps(
                        {
                            "recommender": row.recommender,
                            "label": row.label,
                            "pending": row.pending,
                            "accepted": row.accepted,
                            "rejected": row.rejected,
                            "acceptance": row.acceptance,
                        },
                        ensure_ascii=False,
                    )
                )
            )
        return
    if not rows:
        echo_error(f"{project}: no suggestions yet: run `annotator suggest {project} -r strings`")
        return
    echo_text(
        f"{'recommender':<12} {'label':<8} {'pending':>8} {'accepted':>9} {'rejected':>9} {'rate':>6}"
    )
    for row in rows:
        rate = "-" if row.acceptance is None else f"{row.acceptance:.0%}"
        echo_text(
            show.field(
                f"{row.recommender:<12} {row.label:<8} {row.pending:>8} {row.accepted:>9}"
                f" {row.rejected:>9} {rate:>6}"
            )
        )


def _evaluate(
    project: Path,
    name: str,
    source: str | None,
    folds: int,
    holdout: float | None,
    retrain: bool,
    as_json: bool,
) -> None:
    from annotator.suggest.evaluate import evaluate

    del retrain  # each fold trains its own model; none is stored
    with open_to_read(project) as opened:
        layer = source or opened.annotator
        if layer != GOLD_ANNOTATOR and layer not in opened.annotators():
            raise ValidationError(
                f"no layer {layer!r} in the project: --from names an annotator or gold",
                path=project,
            )
        make = registry.factory(name)
        with _phases(sys.stderr.isatty()) as progress:
            scores = evaluate(
                opened,
                make,
                source=layer,
                folds=folds,
                holdout=holdout,
                progress=None if progress is None else lambda d, t: progress("training", d, t),
            )
    show = Display("off", sys.stdout)
    if as_json:
        echo_text(show.json(json.dumps(scores.as_dict(), ensure_ascii=False)))
        return
    for line in scores.lines():
        echo_text(show.field(line))
