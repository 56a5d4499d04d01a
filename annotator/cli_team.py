"""``annotator assign`` and ``annotator progress``: give documents to a team, see how far it is;
``annotator team``: who is in a server project, with which role (:mod:`annotator.store.pg.team`).

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
from annotator.errors import ProjectError, ValidationError
from annotator.review.progress import progress_lines, team_progress
from annotator.store.assignments import AssignReport
from annotator.store.pg.location import ServerLocation
from annotator.store.pg.roles import ROLES
from annotator.store.pg.team import FILES_HAVE_NO_ROLES, Team
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
        if opened.on_server:  # the team is known: a mistyped name would get work nobody sees
            members = {m.name for m in Team.of(opened).members()[1:]}
            strangers = [n for n in names if n.strip() and n.strip() not in members]
            if strangers:
                raise ValidationError(
                    f"not a member of {project}: {', '.join(strangers)}"
                    f" (add them with `annotator team add {project} NAME --role annotator`)"
                )
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


# ---- annotator team: the people of a server project ---------------------------------------


@click.group("team")
def team() -> None:
    """The people of a server project and their roles, enforced by PostgreSQL.

    An annotator writes only their own layer, a curator also the gold layer (review), a
    manager anything: the schema, assignments, imports. Each person logs in with their own
    name and password; the server refuses what their role does not allow, from the window,
    a command or psql alike. Adding and removing people needs a login that may create roles
    (the project's creator).

    \b
    Example:
      annotator team add postgresql://db.newsroom.example/elections mona --role annotator
      annotator team list postgresql://db.newsroom.example/elections
      annotator team blind postgresql://db.newsroom.example/elections on
    """


def server_location(project: Path) -> ServerLocation:
    """Return the URL of a server project; refuse a project file in one line."""
    if not isinstance(project, ServerLocation):
        raise ProjectError(FILES_HAVE_NO_ROLES, path=project)
    return project


@team.command("add")
@project_arg
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What NAME may do.")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read a new login's password from the first line of stdin instead of a prompt.",
)
def team_add(project: Path, name: str, role: str, password_stdin: bool) -> None:
    """Make NAME a member of the project with a role (a new login asks for its password).

    A new login's password is asked twice, not shown, and never stored by the annotator (the
    server keeps only a SCRAM verifier made from it). A login the server already has keeps its
    password; a member given another role leaves the former one.

    \b
    Example:
      annotator team add postgresql://db.newsroom.example/elections mona --role annotator
      printf '%s\\n' "$PW" | annotator team add postgresql://db/elections sami --role curator \\
          --password-stdin
    """
    with Project.open(server_location(project)) as opened:
        members = Team.of(opened)
        members.check_admin("add people")
        password = None
        if not members.login_exists(name):
            password = _new_password(name, password_stdin)
        added = members.add(name, role, password)
    show = Display("auto", sys.stdout)
    if added.previous == role:
        echo_text(f"{show.field(name)} is already {role} of {project}")
    elif added.previous is not None:
        echo_text(f"{show.field(name)} is now {role} of {project} (was {added.previous})")
    else:
        login = "a new login" if added.created else "their existing login and password"
        echo_text(f"added {show.field(name)} to {project} as {role} ({login})")


def _new_password(name: str, from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(
            f"password for {name}", hide_input=True, confirmation_prompt=True, err=True
        )
    if not password:
        raise ValidationError(f"{name} is a new login: an empty password is not allowed")
    return str(password)


@team.command("list")
@project_arg
def team_list(project: Path) -> None:
    """Print the project's owner and members, one per line, with their roles.

    \b
    Example:
      annotator team list postgresql://db.newsroom.example/elections
    """
    with open_to_read(server_location(project)) as opened:
        members = Team.of(opened)
        rows = [f"{m.name}\t{m.role}" for m in members.members()]
        blind = members.blind
    _print_table(["member\trole", *rows], Display("auto", sys.stdout))
    echo_text(f"blind: {'on' if blind else 'off'}")


@team.command("remove")
@project_arg
@click.argument("name")
def team_remove(project: Path, name: str) -> None:
    """Take NAME out of the project: they can no longer read or write it.

    Their annotations stay in the project; their login stays on the server (they may be in
    other projects), for its administrator to drop.

    \b
    Example:
      annotator team remove postgresql://db.newsroom.example/elections mona
    """
    with Project.open(server_location(project)) as opened:
        role = Team.of(opened).remove(name)
    show = Display("auto", sys.stdout)
    echo_text(f"removed {show.field(name)} ({role}) from {project}")


@team.command("blind")
@project_arg
@click.argument("state", type=click.Choice(["on", "off"]), required=False)
def team_blind(project: Path, state: str | None) -> None:
    """Show or switch whether annotators see only their own layer (a manager switches it).

    On: an annotator reads only their own annotations, and no one else's, gold included,
    until a curator marks the document reviewed. Curators and managers read everything.

    \b
    Example:
      annotator team blind postgresql://db.newsroom.example/elections on
    """
    with Project.open(server_location(project), read_only=state is None) as opened:
        members = Team.of(opened)
        if state is not None:
            members.set_blind(state == "on")
        blind = members.blind
    echo_text(f"blind: {'on' if blind else 'off'}")
