"""Team work in the window: Document > Next assigned (Ctrl+Shift+N), the document list's
"Assigned to me" box, and Review > Team progress…, driven with real keys and clicks."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from window_helpers import open_window, press

from annotator.gui import MainWindow
from annotator.model.document import DocumentRecord, Span
from annotator.store import Project

TEXT = "قال المتحدث باسم الكرملين إن موسكو مستعدة للحوار"
SPEAKER = (4, 11)  # المتحدث


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """Five articles d0..d4: d1 and d3 given to tester and mona, d2 to mona alone."""
    made = tmp_path / "team.sqlite"
    with Project.create(made, annotator="manager") as project:
        project.import_documents(
            DocumentRecord(text=f"{TEXT} {n}", id=f"d{n}", title=f"خبر {n}") for n in range(5)
        )
        project.assign(["tester", "mona"], 2, seed=1, doc_ids=["d1", "d3"])
        project.assign(["mona"], 1, seed=1, doc_ids=["d2"])
    return made


def shown(window: MainWindow) -> str:
    """Return the id of the document the window shows."""
    assert window.session.document is not None
    return window.session.document.id


def listed(window: MainWindow) -> list[str]:
    """Return the ids the document list shows."""
    model = window.document_list.model
    return [model.row(i).id for i in range(model.rowCount())]


def marks(path: Path, who: str = "tester") -> dict[str, bool | None]:
    """Return ``who``'s done marks, read through another connection."""
    with Project.open(path, annotator="reader") as project:
        return {a.doc_id: a.done is not None for a in project.assignments(who)}


def test_next_assigned_walks_my_documents_and_skips_what_i_marked_done(qtbot, path: Path):
    window = open_window(qtbot, path)
    assert shown(window) == "d0"
    press(window, "Ctrl+Shift+N")
    assert shown(window) == "d1"
    press(window, "Ctrl+Shift+N")
    assert shown(window) == "d3"  # d2 is mona's only
    press(window, "Ctrl+3")  # done: my part of d3
    assert marks(path) == {"d1": False, "d3": True}
    press(window, "Ctrl+Shift+N")
    assert shown(window) == "d1"  # after d3 nothing is left: from the start
    press(window, "Ctrl+Shift+N")
    assert shown(window) == "d1"
    message = window.statusBar().currentMessage()
    assert message == "This is the last document assigned to you that is not done"
    press(window, "Ctrl+3")
    press(window, "Ctrl+Shift+N")
    assert window.statusBar().currentMessage() == "Every document assigned to you is marked done"
    assert marks(path) == {"d1": True, "d3": True}
    assert marks(path, "mona") == {"d1": False, "d2": False, "d3": False}


def test_done_in_a_document_someone_else_finished_marks_my_part(qtbot, path: Path):
    with Project.open(path, annotator="mona") as project:
        project.set_document_status("d1", "done")
        project.set_assignment_done("d1", True)
    window = open_window(qtbot, path)
    press(window, "Ctrl+Shift+N")
    assert shown(window) == "d1"  # done for mona, not for me
    assert window.documents.status_combo.currentData() == "done"
    press(window, "Ctrl+3")
    assert marks(path) == {"d1": True, "d3": False}
    press(window, "Ctrl+Z")
    assert marks(path) == {"d1": False, "d3": False}


def test_nothing_assigned_is_said_in_the_status_bar(qtbot, path: Path):
    window = MainWindow(path, annotator="huda")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    press(window, "Ctrl+Shift+N")
    assert shown(window) == "d0"
    assert window.statusBar().currentMessage() == "No document is assigned to you (huda)"


def test_assigned_to_me_filters_the_list_and_is_kept_for_the_next_window(qtbot, path: Path):
    first = MainWindow(path, annotator="tester")  # closing deletes it: not for qtbot
    first.show()
    qtbot.waitExposed(first)
    bar = first.document_list.filter_bar
    assert bar.assigned_box.text() == "Assigned to me"
    qtbot.mouseClick(bar.assigned_box, Qt.MouseButton.LeftButton)
    assert listed(first) == ["d1", "d3"]
    assert bar.count_label.text() == "2 document(s)"
    first.close()
    # Kept as "assigned to me": in mona's window, mona's documents.
    again = MainWindow(path, annotator="mona")
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    box = again.document_list.filter_bar.assigned_box
    assert box.isChecked()
    assert listed(again) == ["d1", "d2", "d3"]
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert listed(again) == [f"d{n}" for n in range(5)]


def test_team_progress_shows_the_table_of_the_command(qtbot, path: Path):
    with Project.open(path, annotator="mona") as project:
        spans = [Span(f"{who}-1", "", *SPEAKER, "PER", annotator=who) for who in ("mona", "tester")]
        text = project.document("d1").text
        project.import_documents([DocumentRecord(text=text, spans=spans)], merge_annotations=True)
        project.set_assignment_done("d2", True)
    window = open_window(qtbot, path)
    (entry,) = [a for a in window.menus["review"].actions() if a.text() == "Team &progress…"]
    entry.trigger()
    team = window.team
    assert team.dialog is not None
    qtbot.waitUntil(lambda: team.job is None and team.dialog.text.toPlainText() != "")
    # mona: d1, d2, d3 (started d1, done d2); tester: d1, d3 (started d1). They share d1 and
    # d3 and both annotated d1 the same: F1 1.
    assert team.dialog.text.toPlainText().splitlines() == [
        "annotator\tassigned\tstarted\tdone",
        "mona\t3\t1\t1",
        "tester\t2\t1\t0",
        "",
        "pair\tshared\tcompared\tspans a\tspans b\tF1 exact\tF1 overlap",
        "mona × tester\t2\t1\t1\t1\t1.000\t1.000",
    ]
    # Work done meanwhile appears on Refresh.
    press(window, "Ctrl+Shift+N")
    press(window, "Ctrl+3")
    qtbot.mouseClick(team.dialog.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: team.job is None and "tester\t2\t1\t1" in team.dialog.text.toPlainText()
    )
