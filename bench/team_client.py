"""One annotator's client process of the team load test (bench/bench_team.py).

Usage: ``python bench/team_client.py PLAN.json RESULT.json``. It opens the project with its
own login, prints ``ready``, waits for ``go`` on stdin, then makes the plan's number of edits
through the Project API on the shared documents, timing each (with the plan's pause before
each, if any, untimed), and tries a write outside its lane after each quarter of them. RESULT.json gets every edit (operation, milliseconds,
outcome), the spans and links it believes its layer holds at the end, and each attempt outside
its lane with what stopped it.
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

from annotator.errors import (  # noqa: E402
    AnnotatorError,
    OwnershipError,
    ProjectBusyError,
    StaleEditError,
)
from annotator.model.document import GOLD_ANNOTATOR, Relation, Span  # noqa: E402
from annotator.store.project import Project  # noqa: E402

# Entity labels a span may be given instead, as a person corrects a label (no links then).
RELABEL = {"PER": "ORG", "ORG": "PER", "GPE": "LOC", "LOC": "GPE", "NORP": "GPE"}
WEIGHTS = {"add_span": 40, "update_span": 25, "delete_span": 15, "add_relation": 20}
REFUSED = "42501"  # PostgreSQL's insufficient_privilege


@dataclass
class Client:
    """What one client knows of its own layer, and what it has done."""

    project: Project
    plan: dict[str, Any]
    rng: random.Random
    spans: dict[str, Span] = field(default_factory=dict)
    links: dict[str, Relation] = field(default_factory=dict)
    edits: list[tuple[str, float, str]] = field(default_factory=list)
    lane: list[tuple[str, str, str]] = field(default_factory=list)

    # ---- the edits -------------------------------------------------------------------------

    def edit(self) -> None:
        """Make one edit of a kind drawn by WEIGHTS (an addition while the layer is empty)."""
        kind = self.rng.choices(list(WEIGHTS), list(WEIGHTS.values()))[0]
        if not self.spans:
            kind = "add_span"
        edit = {
            "add_span": self.add_span,
            "update_span": self.update_span,
            "delete_span": self.delete_span,
            "add_relation": self.add_relation,
        }[kind]
        self.timed(kind, edit)

    def timed(self, kind: str, edit: Callable[[], str]) -> None:
        """Run one edit; record its time and outcome (a refusal is counted, never hidden)."""
        start = time.perf_counter()
        try:
            kind = edit()
            outcome = "ok"
        except ProjectBusyError:
            outcome = "busy"
        except StaleEditError:
            outcome = "stale"
        except AnnotatorError as exc:
            outcome = f"refused: {type(exc).__name__}: {exc}"
        self.edits.append((kind, (time.perf_counter() - start) * 1000, outcome))

    def add_span(self, doc_id: str | None = None, index: int | None = None) -> str:
        """Add one of a shared document's candidate spans (where the imported layers have one)."""
        doc_id = doc_id or self.rng.choice(list(self.plan["shared"]))
        candidates = self.plan["shared"][doc_id]["spans"]
        if index is None:
            index = self.rng.randrange(len(candidates))
        start, end, label, attrs = candidates[index]
        span = self.project.add_span(doc_id, start, end, label, attrs=attrs)
        self.spans[span.id] = span
        return "add_span"

    def update_span(self) -> str:
        """Relabel a span without links, else accept or reopen it, as it was last seen."""
        span = self.spans[self.rng.choice(list(self.spans))]
        linked = any(span.id in (r.head, r.tail) for r in self.links.values())
        if span.label in RELABEL and not linked:
            new = self.project.update_span(
                span.doc_id, span.id, label=RELABEL[span.label], expected=span
            )
        else:
            status = "accepted" if span.status != "accepted" else "pending"
            new = self.project.update_span(span.doc_id, span.id, status=status, expected=span)
        self.spans[new.id] = new
        return "update_span"

    def delete_span(self) -> str:
        """Delete a span (and the links touching it), as it was last seen."""
        span = self.spans[self.rng.choice(list(self.spans))]
        deleted = self.project.delete_span(span.doc_id, span.id, expected=span)
        del self.spans[span.id]
        for relation in deleted.relations:
            self.links.pop(relation.id, None)
        return "delete_span"

    def add_relation(self) -> str:
        """Link two spans of this layer as a candidate link says; add a missing end first."""
        doc_id = self.rng.choice(list(self.plan["shared"]))
        candidates = self.plan["shared"][doc_id]
        if not candidates["links"]:
            return self.add_span(doc_id)
        type_, head, tail = self.rng.choice(candidates["links"])
        ends = [self._span_at(doc_id, candidates["spans"][k]) for k in (head, tail)]
        if ends[0] is None:
            return self.add_span(doc_id, head)
        if ends[1] is None:
            return self.add_span(doc_id, tail)
        link = self.project.add_relation(doc_id, type_, ends[0].id, ends[1].id)
        self.links[link.id] = link
        return "add_relation"

    def _span_at(self, doc_id: str, candidate: list[Any]) -> Span | None:
        start, end, label, _attrs = candidate
        for span in self.spans.values():
            if (span.doc_id, span.start, span.end, span.label) == (doc_id, start, end, label):
                return span
        return None

    # ---- outside the lane --------------------------------------------------------------------

    def outside_lane(self, number: int) -> None:
        """Try one write the server must refuse; the program's own check is skipped."""
        doc_id = self.rng.choice(list(self.plan["shared"]))
        start, end, label, attrs = self.plan["shared"][doc_id]["spans"][0]
        foreign_doc, foreign_span, owner = self.plan["foreign"][number % 2]
        kind = ("gold", "neighbour", "update imported", "delete imported")[number % 4]
        me = self.project.annotator
        try:
            if kind == "gold":
                with self.project.as_reviewer():
                    self.project.add_span(
                        doc_id, start, end, label, attrs=attrs, annotator=GOLD_ANNOTATOR
                    )
            elif kind == "neighbour":
                # As a modified program would: the store believes it writes the neighbour's layer.
                self.project.annotator = self.plan["neighbour"]
                self.project.add_span(doc_id, start, end, label, attrs=attrs)
            elif kind == "update imported":
                self.project.annotator = owner
                self.project.update_span(foreign_doc, foreign_span, status="rejected")
            else:
                self.project.annotator = owner
                self.project.delete_span(foreign_doc, foreign_span)
            outcome, message = "written", ""
        except OwnershipError as exc:
            cause = exc.__cause__
            by_server = isinstance(cause, psycopg.Error) and cause.sqlstate == REFUSED
            outcome = "refused by the server" if by_server else "refused by the program"
            message = str(exc)
        except AnnotatorError as exc:  # any other failure is no refusal either: reported
            outcome, message = f"failed: {type(exc).__name__}", str(exc)
        finally:
            self.project.annotator = me
        self.lane.append((kind, outcome, message))

    def report(self) -> dict[str, Any]:
        """What RESULT.json holds."""
        return {
            "name": self.plan["name"],
            "edits": self.edits,
            "spans": {
                s.id: [s.doc_id, s.start, s.end, s.label, s.status] for s in self.spans.values()
            },
            "links": {r.id: [r.doc_id, r.type, r.head, r.tail] for r in self.links.values()},
            "lane": self.lane,
        }


def main(plan_path: str, out: str) -> None:
    """Connect, wait for the gate, edit, write the report."""
    plan = json.loads(Path(plan_path).read_text(encoding="utf-8"))
    with Project.open(plan["url"]) as project:
        client = Client(project, plan, random.Random(plan["seed"]))
        print("ready", flush=True)
        if sys.stdin.readline().strip() != "go":
            raise SystemExit("no go")
        quarter = max(1, plan["edits"] // 4)
        for n in range(plan["edits"]):
            if plan["pause_s"]:  # a person's pace, varied so that clients do not march in step
                time.sleep(plan["pause_s"] * client.rng.uniform(0.5, 1.5))
            client.edit()
            if n % quarter == quarter - 1:
                client.outside_lane(n // quarter)
    Path(out).write_text(json.dumps(client.report()), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:3])
