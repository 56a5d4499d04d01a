"""The window's status sets the annotator's own done mark on a document assigned to them.

A document shared by two people has one status; each person's assignment has its own mark, so
one person finishing does not finish it for the other (annotator.store.assignments).
"""

from __future__ import annotations

from pathlib import Path

from annotator.model.document import DocumentRecord
from annotator.session import EditingSession
from annotator.store import Project

TEXT = "قال المتحدث باسم الكرملين إن موسكو مستعدة للحوار"


def shared(path: Path) -> None:
    """Make a project whose d0 is assigned to mona and sami, and d1 to nobody."""
    with Project.create(path, annotator="manager") as project:
        project.import_documents(DocumentRecord(text=f"{TEXT} {n}", id=f"d{n}") for n in (0, 1))
        project.assign(["mona", "sami"], 2, seed=1, doc_ids=["d0"])


def window_of(path: Path, who: str, doc_id: str = "d0") -> EditingSession:
    """Return the session of a window opened on ``doc_id`` by ``who``."""
    session = EditingSession(Project.open(path, annotator=who))
    session.open_document(doc_id)
    return session


def marks(path: Path) -> dict[str, bool | None]:
    """Read mona's and sami's marks on d0 back through another connection."""
    with Project.open(path, annotator="reader") as project:
        return {who: project.assignment_done("d0", who) for who in ("mona", "sami")}


def test_done_marks_only_the_persons_own_assignment_and_undo_takes_it_back(tmp_path: Path):
    path = tmp_path / "p.sqlite"
    shared(path)
    mona = window_of(path, "mona")
    mona.set_status("done")
    assert marks(path) == {"mona": True, "sami": False}
    mona.undo()
    assert marks(path) == {"mona": False, "sami": False}
    assert mona.project.document("d0").status == "not_started"
    mona.redo()
    assert marks(path) == {"mona": True, "sami": False}
    mona.project.close()


def test_the_second_person_marks_done_a_document_already_done(tmp_path: Path):
    path = tmp_path / "p.sqlite"
    shared(path)
    mona = window_of(path, "mona")
    mona.set_status("done")
    sami = window_of(path, "sami")
    assert sami.document is not None and sami.document.status == "done"
    sami.set_status("done")  # the shared status is done already; sami's part is not
    assert marks(path) == {"mona": True, "sami": True}
    step = sami.history.next_undo()
    assert step is not None and step.description == "status done"
    sami.set_status("done")  # nothing left to do: no step in the history
    assert sami.history.next_undo() is step
    sami.undo()
    assert marks(path) == {"mona": True, "sami": False}
    assert sami.project.document("d0").status == "done"
    for session in (mona, sami):
        session.project.close()


def test_another_status_takes_the_mark_back(tmp_path: Path):
    path = tmp_path / "p.sqlite"
    shared(path)
    mona = window_of(path, "mona")
    mona.set_status("done")
    mona.set_status("in_progress")
    assert marks(path) == {"mona": False, "sami": False}
    mona.project.close()


def test_a_document_not_assigned_only_changes_status(tmp_path: Path):
    path = tmp_path / "p.sqlite"
    shared(path)
    mona = window_of(path, "mona", "d1")
    mona.set_status("done")
    assert mona.project.document("d1").status == "done"
    assert marks(path) == {"mona": False, "sami": False}
    mona.project.close()
