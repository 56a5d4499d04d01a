"""Issue 15's "Done when", walked through as a newsroom would, on a real PostgreSQL server.

The desk's own login (newsdesk, allowed to create roles, owner of the database) makes the project
with `annotator init`, imports 30 short wire stories and adds its people: three annotators (mona,
sami, huda), a curator (karim) and a manager (lina), each with a password of their own. lina
assigns every story to two annotators; mona and sami annotate at the same time, each as their own
login; sami then tries `psql` on mona's work; lina makes the project blind; karim reviews a story
into gold; the desk's export equals the export of the same work merged into a project file; and
`annotator progress` tells how far everyone got.

Commands run through the CLI as their user would type them (click's runner, in this process),
the password in PGPASSWORD as libpq reads it; annotating goes through the Project API and
reviewing through an editing session's review decisions, as the window does, each person with
their own login; psql is PostgreSQL's own client in a process of its own. Counts are worked
out by hand in the comments. sami's psql attempts come before the project goes blind: blind, he
cannot read mona's spans at all, so psql has nothing of hers to refuse (checked too).
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner, Result
from pg_cluster import PgCluster

from annotator.cli import main
from annotator.errors import OwnershipError
from annotator.model.document import GOLD_ANNOTATOR
from annotator.review import gold
from annotator.review.compare import Case, compare_document
from annotator.session.editing import EditingSession
from annotator.session.edits import ReviewDecision
from annotator.store import Project
from annotator.store.reviews import review_status

DESK = "newsdesk"  # the project's creator: a login that may create roles, not the superuser
ANNOTATORS = ("mona", "sami", "huda")
PEOPLE = {**dict.fromkeys(ANNOTATORS, "annotator"), "karim": "curator", "lina": "manager"}
PSQL = "/usr/bin/psql"  # PostgreSQL's own client, as a person would run it

# Fictional names: 6 people x 5 cities make 30 different stories.
NAMES = ["أحمد العلي", "سارة حداد", "يوسف منصور", "ليلى قاسم", "عمر الخطيب", "نادية سليمان"]
CITIES = ["بيروت", "عمان", "القاهرة", "تونس", "الرباط"]
BODIES = ["وزارة الصحة", "البنك المركزي", "نقابة المعلمين"]
PATTERNS = [
    "قال {per} في {gpe} إن {org} ستعلن خطتها الجديدة الأسبوع المقبل.",
    "أكد {per} خلال زيارته إلى {gpe} أن {org} تدرس مشروعا لدعم الشباب.",
    "وصرح {per} من {gpe} بأن {org} ستفتح باب الحوار مع المواطنين.",
]


@dataclass(frozen=True)
class Story:
    """One wire story and the names in it."""

    text: str
    per: str
    gpe: str
    org: str

    def at(self, part: str) -> tuple[int, int]:
        """The offsets of ``part``'s first appearance in the text."""
        start = self.text.index(part)
        return start, start + len(part)

    @property
    def quote(self) -> tuple[int, int]:
        """The reported words: from the body's name up to the full stop, which is left out."""
        return self.text.index(self.org), len(self.text) - 1

    @property
    def surname(self) -> tuple[int, int]:
        """The person's last name alone (sami marks only it)."""
        end = self.at(self.per)[1]
        return end - len(self.per.split()[-1]), end


def stories() -> list[Story]:
    """The 30 stories: person i % 6 in city i // 6, so no two texts are the same."""
    made = []
    for i in range(30):
        per, gpe, org = NAMES[i % 6], CITIES[i // 6], BODIES[i % 3]
        made.append(Story(PATTERNS[i % 3].format(per=per, gpe=gpe, org=org), per, gpe, org))
    return made


def password(who: str) -> str:
    return f"{who} passphrase 7!"


@dataclass
class Newsroom:
    """The team's server project: each person's URL (no password in it) and their commands."""

    cluster: PgCluster
    database: str

    def url(self, who: str = DESK) -> str:
        """The project's URL as ``who`` would type it: the password comes from PGPASSWORD."""
        return self.cluster.url(self.database, user=who)

    def run(self, *args: object, who: str = DESK, typed: str | None = None) -> Result:
        """``annotator ARGS`` as ``who``: PGPASSWORD holds their password, as libpq reads it."""
        runner = CliRunner(env={"PGPASSWORD": password(who)})
        return runner.invoke(main, [str(a) for a in args], input=typed)

    def ok(self, *args: object, who: str = DESK, typed: str | None = None) -> Result:
        """A command that must succeed."""
        result = self.run(*args, who=who, typed=typed)
        assert result.exit_code == 0, result.output
        return result

    def open(self, who: str, *, read_only: bool = False) -> Project:
        """``who``'s own client of the project, as their window opens it."""
        with_password = self.cluster.url(self.database, user=who, password=password(who))
        return Project.open(with_password, read_only=read_only)

    def psql(self, who: str, statement: str, *flags: str) -> subprocess.CompletedProcess[str]:
        """The real psql as ``who`` with their own password, one statement."""
        program = PSQL if Path(PSQL).is_file() else str(self.cluster.bindir / "psql")
        return subprocess.run(
            [program, "-X", "-v", "ON_ERROR_STOP=1", *flags, "-c", statement, self.url(who)],
            env={**os.environ, "PGPASSWORD": password(who)},
            capture_output=True,
            text=True,
            check=False,
        )

    def stored_span(self, span_id: str) -> tuple[object, ...] | None:
        """The span's row as the server holds it, read by its superuser past every policy."""
        with self.cluster.connect(self.database) as admin:
            return admin.execute(
                'SELECT doc_id, start, "end", label, attrs, annotator, updated FROM spans'
                " WHERE id = %s",
                [span_id],
            ).fetchone()


@pytest.fixture
def newsroom(pg_cluster: PgCluster, pg_url: str) -> Newsroom:
    """An empty database owned by the desk's login, which may create roles but is no superuser."""
    database = urlsplit(pg_url).path.lstrip("/")
    with pg_cluster.connect() as admin:
        admin.execute(f"CREATE ROLE {DESK} LOGIN CREATEROLE PASSWORD '{password(DESK)}'")
        admin.execute(f'ALTER DATABASE "{database}" OWNER TO {DESK}')
    return Newsroom(pg_cluster, database)


def doc_id(n: int) -> str:
    """The id an import gives story ``n`` (1-based): its file's name."""
    return f"story-{n:02d}"


STORIES = {doc_id(n): story for n, story in enumerate(stories(), 1)}


# ---- 1. the desk makes the project and its people --------------------------------------------


def make_the_project(room: Newsroom, wire: Path) -> None:
    """`annotator init`, `import` and `team add` as the desk."""
    wire.mkdir()
    for n, story in enumerate(stories(), 1):
        (wire / f"{doc_id(n)}.txt").write_text(story.text, encoding="utf-8")
    made = room.ok("init", room.url())
    assert made.stdout.startswith(f"created {room.url()} with labels PER, ORG, GPE")
    imported = room.ok("import", room.url(), wire)
    assert imported.stdout.endswith("imported 30 document(s), 0 span(s), 0 relation(s)\n")
    for name, role in PEOPLE.items():
        args = ("team", "add", room.url(), name, "--role", role, "--password-stdin")
        added = room.ok(*args, typed=password(name) + "\n")
        assert added.stdout == f"added {name} to {room.url()} as {role} (a new login)\n"
        assert password(name) not in added.output
    listed = room.ok("team", "list", room.url("lina"), who="lina")
    assert listed.stdout == (
        f"member\trole\n{DESK}\towner\nhuda\tannotator\nkarim\tcurator\nlina\tmanager\n"
        "mona\tannotator\nsami\tannotator\nblind: off\n"
    )


# ---- 2. the manager assigns the work ---------------------------------------------------------


def assign_the_work(room: Newsroom) -> dict[str, set[str]]:
    """`annotator assign` as lina; return each story's people, as the server stored them."""
    args = ("--annotators", "mona,sami,huda", "--per-document", 2, "--seed", 3)
    assigned = room.ok("assign", room.url("lina"), *args, who="lina")
    # 30 stories x 2 people = 60 assignments over 3 people: 20 each.
    assert assigned.stdout.splitlines() == [
        "30 document(s), 2 annotator(s) each: 60 assignment(s) added, 0 kept, 0 removed",
        "annotator\tdocuments\tadded",
        "huda\t20\t20",
        "mona\t20\t20",
        "sami\t20\t20",
    ]
    with room.open("lina", read_only=True) as lina:
        people: dict[str, set[str]] = defaultdict(set)
        rows = lina.assignments()
        for assignment in rows:
            people[assignment.doc_id].add(assignment.annotator)
    assert len(rows) == 60 and sorted(people) == sorted(STORIES)
    assert all(len(names) == 2 for names in people.values())  # two different people each
    assert Counter(a.annotator for a in rows) == {"mona": 20, "sami": 20, "huda": 20}
    # Balanced: every pair shares 10 stories (x + y = 20 for each person's two pairs).
    pairs = Counter(tuple(sorted(names)) for names in people.values())
    assert pairs == {("huda", "mona"): 10, ("huda", "sami"): 10, ("mona", "sami"): 10}
    return people


# ---- 3. two annotators at once, each in their own lane ---------------------------------------


def annotate(project: Project, doc: str, whole_name: bool) -> None:
    """A story's names, its quote and the quote's speaker, one edit at a time as in the window."""
    story = STORIES[doc]
    person = project.add_span(doc, *(story.at(story.per) if whole_name else story.surname), "PER")
    project.add_span(doc, *story.at(story.gpe), "GPE")
    project.add_span(doc, *story.at(story.org), "ORG")
    quote = project.add_span(doc, *story.quote, "QUOTE", attrs={"type": "indirect"})
    project.add_relation(doc, "SPEAKER", quote.id, person.id)


@dataclass(frozen=True)
class Plan:
    """What one annotator does: the shared stories in step with the other, then the rest."""

    who: str
    shared: list[str]
    rest: list[str]

    @property
    def started(self) -> list[str]:
        return self.shared + self.rest


def work(room: Newsroom, plan: Plan, together: threading.Barrier) -> list[str]:
    """Annotate as ``plan.who`` with their own login; return the stories annotated."""
    done: list[str] = []
    try:
        with room.open(plan.who) as project:
            assert project.annotator == plan.who  # the login is the layer
            together.wait()
            for doc in plan.shared:
                # Both annotators work in the same story in each round.
                annotate(project, doc, whole_name=plan.who == "mona")
                done.append(doc)
                together.wait()
            for doc in plan.rest:
                annotate(project, doc, whole_name=plan.who == "mona")
                done.append(doc)
            if plan.who == "mona":  # she marks her part of each story done
                for doc in done:
                    project.set_assignment_done(doc, True)
    except BaseException:
        together.abort()  # the other thread stops waiting for this one
        raise
    return done


def annotate_at_once(room: Newsroom, people: dict[str, set[str]]) -> dict[str, list[str]]:
    """mona (all 20 of hers) and sami (the 10 shared with her and 4 more) in two threads."""
    shared = sorted(doc for doc, names in people.items() if names == {"mona", "sami"})
    mona_rest = sorted(doc for doc, names in people.items() if names == {"mona", "huda"})
    sami_rest = sorted(doc for doc, names in people.items() if names == {"sami", "huda"})[:4]
    plans = [Plan("mona", shared, mona_rest), Plan("sami", shared, sami_rest)]
    together = threading.Barrier(2, timeout=60)
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {plan.who: pool.submit(work, room, plan, together) for plan in plans}
        done = {who: future.result() for who, future in futures.items()}
    assert done == {plan.who: plan.started for plan in plans}
    # No edit lost: 4 spans and 1 link a story; mona 20 stories, sami 14.
    with room.open(DESK, read_only=True) as desk:
        counts = Counter(s.annotator for doc in desk.document_ids() for s in desk.spans(doc))
        links = Counter(r.annotator for doc in desk.document_ids() for r in desk.relations(doc))
    assert counts == {"mona": 80, "sami": 56} and links == {"mona": 20, "sami": 14}
    return done


def names_seen(project: Project, doc: str, layer: str) -> list[tuple[str, str]]:
    """The text and label of each span of ``layer`` that ``project``'s login reads, in order."""
    text = STORIES[doc].text
    spans = sorted(project.spans(doc, [layer]), key=lambda s: (s.start, s.end))
    return [(text[s.start : s.end], s.label) for s in spans]


def marked(doc: str, whole_name: bool) -> list[tuple[str, str]]:
    """What ``annotate`` marks in a story, in text order."""
    story = STORIES[doc]
    person = story.per if whole_name else story.per.split()[-1]
    quote = story.text[slice(*story.quote)]
    return [(person, "PER"), (story.gpe, "GPE"), (story.org, "ORG"), (quote, "QUOTE")]


def each_sees_the_other(room: Newsroom, shared: list[str]) -> None:
    """Not blind yet: in every story they share, each reads the other's spans."""
    with room.open("mona", read_only=True) as mona, room.open("sami", read_only=True) as sami:
        for doc in shared:
            assert names_seen(mona, doc, "sami") == marked(doc, whole_name=False)
            assert names_seen(sami, doc, "mona") == marked(doc, whole_name=True)


# ---- 4. sami goes around the program with psql -----------------------------------------------


def psql_is_refused(room: Newsroom, doc: str) -> None:
    """sami's psql may read mona's span but not change, delete or forge one in her name."""
    with room.open("mona", read_only=True) as mona:
        (target,) = [s.id for s in mona.spans(doc, ["mona"]) if s.label == "PER"]
    before = room.stored_span(target)
    count = "SELECT count(*) FROM spans WHERE annotator = 'mona'"
    read = room.psql("sami", count, "--tuples-only", "--no-align")
    assert (read.returncode, read.stdout) == (0, "80\n"), read.stderr  # her 20 stories x 4
    attempts = {
        f"UPDATE spans SET label = 'ORG' WHERE id = '{target}'": (
            f"sami may not change mona's annotation {target}"
        ),
        f"DELETE FROM spans WHERE id = '{target}'": f"sami may not delete mona's annotation {target}",
        'INSERT INTO spans (doc_id, id, start, "end", label, annotator, created, updated)'
        f" VALUES ('{doc}', 'forged', 0, 3, 'PER', 'mona', 'now', 'now')": (
            'new row violates row-level security policy for table "spans"'
        ),
    }
    for statement, refusal in attempts.items():
        done = room.psql("sami", statement)
        assert done.returncode != 0, statement
        assert f"ERROR:  {refusal}" in done.stderr
    assert room.stored_span(target) == before
    assert room.stored_span("forged") is None
    assert room.psql("sami", count, "--tuples-only", "--no-align").stdout == "80\n"


# ---- 3 (again). the manager makes the project blind ------------------------------------------


def go_blind(room: Newsroom, shared: list[str]) -> None:
    """lina switches blind on: sami no longer reads mona's spans, karim still does."""
    switched = room.ok("team", "blind", room.url("lina"), "on", who="lina")
    assert switched.stdout == "blind: on\n"
    with room.open("sami", read_only=True) as sami, room.open("karim", read_only=True) as karim:
        for doc in shared:
            assert names_seen(sami, doc, "mona") == []
            assert names_seen(sami, doc, "sami") == marked(doc, whole_name=False)  # his own
            assert names_seen(karim, doc, "mona") == marked(doc, whole_name=True)
    # Not even psql shows him her work: what he cannot read, he cannot name.
    hidden = room.psql("sami", "UPDATE spans SET label = 'ORG' WHERE annotator = 'mona'")
    assert (hidden.returncode, hidden.stdout) == (0, "UPDATE 0\n")


# ---- 5. the curator reviews a story into gold ------------------------------------------------


def decision(session: EditingSession, doc: str, case: Case, reviewed: list[str]) -> ReviewDecision:
    """The window's review step for ``case``: mona's version into gold, sami's alone left out."""
    project = session.project
    option = next((i for i, o in enumerate(case.options) if "mona" in o.annotators), None)

    def decide() -> object:
        if option is None:
            made: object = gold.reject(project, doc, case)
        else:
            made = gold.accept(project, doc, case, option)
        # As the review panel does: the status is part of the decision.
        comparison = compare_document(project, doc, ["mona", "sami"])
        reviewed.append(gold.refresh_review_status(project, comparison))
        return made

    return ReviewDecision(
        doc,
        "review decision (1 case(s))",
        decide,
        lambda: gold.snapshot(project, doc, [case.key]),
        lambda snap: gold.restore(project, snap),  # type: ignore[arg-type]
    )


def review(room: Newsroom, who: str, doc: str) -> tuple[Counter[tuple[str, str]], list[str]]:
    """Decide every case of ``doc`` as ``who`` in an editing session, as the review panel does.

    Returns the kinds of cases ``who`` was shown and the review status after each decision.
    """
    statuses: list[str] = []
    with room.open(who) as project:
        session = EditingSession(project)
        session.open_document(doc)
        cases = compare_document(project, doc, ["mona", "sami"]).cases
        kinds = Counter((c.kind, c.target) for c in cases)
        for case in sorted(cases, key=lambda c: c.target != "span"):  # spans, then links
            session.review_decision(decision(session, doc, case, statuses))
    return kinds, statuses


def curator_reviews(room: Newsroom, doc: str) -> None:
    """karim decides every case of ``doc``: gold holds mona's version, the story is reviewed."""
    kinds, statuses = review(room, "karim", doc)
    # The curator reads both layers: PER as a whole name against a surname, three spans
    # alike, and each one's SPEAKER link to their own PER span.
    assert kinds == {("boundary", "span"): 1, ("agreed", "span"): 3, ("only", "relation"): 2}
    assert statuses == ["in_review"] * 5 + ["reviewed"]  # reviewed once all 6 are decided
    story = STORIES[doc]
    with room.open(DESK, read_only=True) as desk:
        assert names_seen(desk, doc, GOLD_ANNOTATOR) == marked(doc, whole_name=True)
        (link,) = desk.relations(doc, [GOLD_ANNOTATOR])  # mona's link kept, sami's left out
        spans = {s.id: s for s in desk.spans(doc, [GOLD_ANNOTATOR])}
        head, tail = spans[link.head], spans[link.tail]
        said = (link.type, head.label, story.text[tail.start : tail.end])
        assert said == ("SPEAKER", "QUOTE", story.per)
        assert review_status(desk, doc) == "reviewed"


def annotator_may_not_review(room: Newsroom, doc: str, other: str) -> None:
    """mona's review of ``other`` is refused; blind, sami reads mona's work in ``doc`` alone."""
    with pytest.raises(OwnershipError) as refused:
        review(room, "mona", other)
    assert str(refused.value) == (
        "the server refused the change: new row violates row-level security policy for table"
        ' "spans" (an annotator writes only their own layer, a curator also the gold layer)'
    )
    with room.open(DESK, read_only=True) as desk:
        assert desk.spans(other, [GOLD_ANNOTATOR]) == []
        assert review_status(desk, other) == "unreviewed"
    # Blind lasts until review: sami now reads mona's work, and gold, on the reviewed story only.
    with room.open("sami", read_only=True) as sami:
        assert names_seen(sami, doc, "mona") == marked(doc, whole_name=True)
        assert names_seen(sami, doc, GOLD_ANNOTATOR) == marked(doc, whole_name=True)
        assert names_seen(sami, other, "mona") == []


# ---- 6. the server's export equals the same work merged into a file --------------------------

EXPORTS = [
    ("native", "--format", "native"),
    # CoNLL has no annotator column: one layer at a time, gold or a person's.
    ("gold.conll", "--format", "conll", "--gold"),
    ("mona.conll", "--format", "conll", "--annotator", "mona"),
]


def tagged(conll: Path) -> dict[str, list[tuple[str, str]]]:
    """The tokens tagged other than O in each document of a CoNLL file, by story id."""
    documents = conll.read_text(encoding="utf-8").split("-DOCSTART- O\n")[1:]
    assert len(documents) == 30  # one block a story, in project order
    found = {}
    for n, block in enumerate(documents, 1):
        rows = [line.split(" ") for line in block.splitlines() if line]
        found[doc_id(n)] = [(token, tag) for token, tag in rows if tag != "O"]
    return found


def tags_of(doc: str) -> list[tuple[str, str]]:
    """The CoNLL tags mona's (and gold's) spans give a story's words: PER, GPE, ORG."""
    story = STORIES[doc]
    tags = []
    for words, label in ((story.per, "PER"), (story.gpe, "GPE"), (story.org, "ORG")):
        first, *rest = words.split()
        tags += [(first, f"B-{label}")] + [(word, f"I-{label}") for word in rest]
    return tags


def exports_match(room: Newsroom, folder: Path, reviewed: str, mona: list[str]) -> None:
    """`annotator export` of the server project and of a file it was merged into: same bytes."""
    local = folder / "local.sqlite"
    room.ok("init", local)
    merged = room.ok("merge", local, room.url())
    # mona 20 x 4 + sami 14 x 4 + gold 4 spans; 20 + 14 + 1 links.
    assert merged.stdout.endswith(
        "merged 0 matching document(s) and 30 new one(s): 140 span(s), 35 relation(s) added\n"
    )
    for name, *options in EXPORTS:
        server, file = folder / f"server.{name}", folder / f"file.{name}"
        room.ok("export", room.url(), server, *options)
        room.ok("export", local, file, *options)
        assert server.read_bytes() == file.read_bytes(), name
    lines = [
        json.loads(line) for line in (folder / "server.native").read_text("utf-8").splitlines()
    ]
    assert [d["id"] for d in lines] == list(STORIES)
    layers = Counter(s["annotator"] for d in lines for s in d["spans"])
    assert layers == {"mona": 80, "sami": 56, GOLD_ANNOTATOR: 4}
    gold = tagged(folder / "server.gold.conll")
    assert {doc: tags for doc, tags in gold.items() if tags} == {reviewed: tags_of(reviewed)}
    hers = tagged(folder / "server.mona.conll")
    assert {doc: tags for doc, tags in hers.items() if tags} == {doc: tags_of(doc) for doc in mona}


# ---- 7. how far everyone got -----------------------------------------------------------------


def progress_shows(room: Newsroom, done: dict[str, list[str]]) -> None:
    """`annotator progress`: 20 assigned each; started as the threads annotated."""
    report = room.ok("progress", room.url())
    started = {who: len(set(docs)) for who, docs in done.items()}
    assert started == {"mona": 20, "sami": 14}  # all of hers; his 10 shared with her and 4 more
    # Over the 10 stories mona and sami share: 4 spans each a story, 40 each; 3 of 4 the same
    # exactly (sami's PER is the surname alone): F1 = 2 x 30 / (40 + 40) = 0.750; the surname
    # overlaps her PER, so every span overlaps one of the same label: 1.000. huda started none.
    assert report.stdout.splitlines() == [
        "annotator\tassigned\tstarted\tdone",
        "huda\t20\t0\t0",
        f"mona\t20\t{started['mona']}\t20",
        f"sami\t20\t{started['sami']}\t0",
        "",
        "pair\tshared\tcompared\tspans a\tspans b\tF1 exact\tF1 overlap",
        "huda × mona\t10\t0\t0\t0\tn/a\tn/a",
        "huda × sami\t10\t0\t0\t0\tn/a\tn/a",
        "mona × sami\t10\t10\t40\t40\t0.750\t1.000",
    ]


def test_a_newsroom_team_works_on_one_server_project(newsroom: Newsroom, tmp_path: Path) -> None:
    make_the_project(newsroom, tmp_path / "wire")
    people = assign_the_work(newsroom)
    done = annotate_at_once(newsroom, people)
    shared = sorted(doc for doc, names in people.items() if names == {"mona", "sami"})
    each_sees_the_other(newsroom, shared)
    psql_is_refused(newsroom, shared[0])
    go_blind(newsroom, shared)
    curator_reviews(newsroom, shared[0])
    annotator_may_not_review(newsroom, shared[0], shared[1])
    exports_match(newsroom, tmp_path, shared[0], done["mona"])
    progress_shows(newsroom, done)
