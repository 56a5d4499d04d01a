"""Two annotators at once, each in a window of their own on one server project.

The test server's superuser stands for the team's administrator: it makes the project with three
articles and its people (annotators mona and karim, curator huda, manager lina), each a login
with a password of their own, and each window connects with its person's URL. mona annotates
with the mouse and a label key; karim's window shows her span within about a second without
his doing anything (waited for with a deadline, never a sleep), unless the project is blind
(the curator's window shows it there); a read-only window follows too and saves nothing; his
window refuses to change her span and the server keeps it; the server's refusal of his review
into gold shows in his status bar; a stale edit is refused and read again; Next assigned walks
what a manager assigned meanwhile; File > Open server project asks for the URL and the
password, and keeps neither the password nor one person's settings for another.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pg_cluster import PgCluster
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QWidget
from window_helpers import at, press

from annotator.gui import MainWindow, preferences
from annotator.gui import app as gui_app
from annotator.gui.export_dialog import ExportDialog
from annotator.gui.i18n import Texts
from annotator.gui.import_dialog import ImportDialog
from annotator.gui.server_project import ServerProjectDialog
from annotator.model.document import DocumentRecord
from annotator.session import Layer
from annotator.store import Project
from annotator.store.pg import connection as pg_connection
from annotator.store.pg.location import ServerLocation
from annotator.store.pg.team import Team

TEXT = "قال المتحدث باسم الكرملين إن موسكو مستعدة للحوار"
SPEAKER = "المتحدث"
PEOPLE = {"mona": "annotator", "karim": "annotator", "huda": "curator", "lina": "manager"}
LIVE_MS = 3000  # the promise is about a second; the deadline leaves room for a busy machine


def password(name: str) -> str:
    return f"{name}'s secret"


@dataclass
class Server:
    """The team's project on the test server."""

    cluster: PgCluster
    database: str

    def url(self, who: str | None = None, *, with_password: bool = True) -> str:
        """The project's URL as ``who`` (with their password unless told), or as the superuser."""
        if who is None:
            return self.cluster.url(self.database)
        secret = password(who) if with_password else None
        return self.cluster.url(self.database, user=who, password=secret)

    def spans(self, doc_id: str = "d0") -> list[tuple[str, str, str]]:
        """(label, text, annotator) of every stored span, as the administrator reads them."""
        with Project.open(self.url()) as admin:
            text = admin.document(doc_id).text
            return sorted(
                (s.label, text[s.start : s.end], s.annotator) for s in admin.spans(doc_id)
            )

    def blind(self) -> None:
        """Make the project blind: annotators read only their own layer until review."""
        with Project.open(self.url()) as admin:
            Team.of(admin).set_blind(True)


@pytest.fixture
def server(pg_cluster: PgCluster, pg_url: str) -> Server:
    """Three articles d0..d2 and the team, made by the administrator."""
    with Project.create(pg_url, name="أخبار الفريق") as project:
        project.import_documents(
            DocumentRecord(text=f"{TEXT} {n}", id=f"d{n}", title=f"خبر {n}") for n in range(3)
        )
        team = Team.of(project)
        for name, role in PEOPLE.items():
            team.add(name, role, password(name))
    return Server(pg_cluster, urlsplit(pg_url).path.lstrip("/"))


def open_as(qtbot, server: Server, who: str, layer: Layer | None = None) -> MainWindow:
    """Open a window on the project as ``who`` with their own URL and password, shown."""
    window = MainWindow(server.url(who))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    if layer is not None:  # as View > Annotations shown does
        window.documents.layer_actions[layer].trigger()
        assert window.session.layer == layer
    return window


def activate(qtbot, window: MainWindow) -> None:
    """Bring ``window`` to the front: label keys are its shortcuts."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def drag_over(qtbot, window: MainWindow, word: str) -> None:
    """Press the mouse on the first letter of ``word`` and release it on its last."""
    start, end = at(window.session.text, word)
    view = window.text_view
    last = view.point_for_offset(end - 1)
    first = view.point_for_offset(start)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=first)
    qtbot.mouseMove(view.viewport(), pos=last)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=last)
    assert window.session.text_selection == (start, end)


def annotate(qtbot, window: MainWindow, word: str, key: str) -> str:
    """Select ``word`` with the mouse and press a label key; return the new span's id."""
    activate(qtbot, window)
    drag_over(qtbot, window, word)
    press(window, key)
    span = window.session.selected_span()
    assert span is not None, window.statusBar().currentMessage()
    return span.id


def click_span(qtbot, window: MainWindow, span_id: str) -> None:
    """Click an annotation's row in the annotation list."""
    listed = window.annotation_list
    rect = listed.row_rect(span_id)
    qtbot.mouseClick(listed.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.session.selected == span_id


def drawn(window: MainWindow) -> list[tuple[str, str, str]]:
    """(label, text, annotator) of the spans the article view draws."""
    text = window.session.text
    return sorted((s.label, text[s.start : s.end], s.annotator) for s in window.text_view.spans())


def listed_count(window: MainWindow, doc_id: str = "d0") -> object:
    """The Annotations cell of a document's row in the document list."""
    model = window.document_list.model
    row = next(r for r in range(model.rowCount()) if model.row(r).id == doc_id)
    return model.data(model.index(row, 1))


def counter(window: MainWindow) -> Callable[[], int]:
    """Count the window's re-reads after another client's commit, from now on."""
    seen = [0]
    # Connected after the window's own re-read: counted once it is done.
    window.documents.watcher.changed.connect(lambda: seen.__setitem__(0, seen[0] + 1))
    return lambda: seen[0]


# ---- live: another annotator's edit arrives by itself -------------------------------------


def test_monas_span_appears_in_karims_window_by_itself(qtbot, server: Server) -> None:
    mona = open_as(qtbot, server, "mona")
    karim = open_as(qtbot, server, "karim", Layer.everyone())
    assert karim.session.doc_id == mona.session.doc_id == "d0"
    assert drawn(karim) == [] and listed_count(karim) == 0
    annotate(qtbot, mona, SPEAKER, "P")
    assert server.spans() == [("PER", SPEAKER, "mona")]
    # karim does nothing: his window notices the server's announcement and reads again.
    qtbot.waitUntil(lambda: drawn(karim) == [("PER", SPEAKER, "mona")], timeout=LIVE_MS)
    assert listed_count(karim) == 1
    assert karim.annotation_list.list_model.rowCount() == 1
    assert karim.documents.status_label.text().startswith("1 annotation(s)")
    # mona's layer is offered in his View > Annotations shown.
    assert Layer.of("mona") in karim.documents.layer_actions


def test_a_blind_project_keeps_monas_span_out_of_karims_window(qtbot, server: Server) -> None:
    server.blind()
    mona = open_as(qtbot, server, "mona")
    karim = open_as(qtbot, server, "karim", Layer.everyone())
    huda = open_as(qtbot, server, "huda", Layer.everyone())  # the curator reads every layer
    karim_read_again = counter(karim)
    annotate(qtbot, mona, SPEAKER, "P")
    # The curator's window shows it; karim's heard of mona's commit and read again.
    qtbot.waitUntil(lambda: drawn(huda) == [("PER", SPEAKER, "mona")], timeout=LIVE_MS)
    qtbot.waitUntil(lambda: karim_read_again() > 0, timeout=LIVE_MS)
    assert drawn(karim) == []
    assert listed_count(karim) == 0
    assert Layer.of("mona") not in karim.documents.layer_actions
    assert listed_count(huda) == 1


def test_a_read_only_window_follows_the_team_and_writes_nothing(qtbot, server: Server) -> None:
    """huda, the curator, looks on with `annotator gui --read-only`: a read-only connection
    still hears the others' commits, and a label key there saves nothing."""
    mona = open_as(qtbot, server, "mona")
    huda = MainWindow(server.url("huda"), read_only=True)
    qtbot.addWidget(huda)
    huda.show()
    qtbot.waitExposed(huda)
    huda.documents.layer_actions[Layer.everyone()].trigger()
    annotate(qtbot, mona, SPEAKER, "P")
    qtbot.waitUntil(lambda: drawn(huda) == [("PER", SPEAKER, "mona")], timeout=LIVE_MS)
    activate(qtbot, huda)
    drag_over(qtbot, huda, "موسكو")
    press(huda, "G")
    assert "the project is open read-only" in huda.statusBar().currentMessage()
    assert server.spans() == [("PER", SPEAKER, "mona")]


# ---- karim's window cannot change mona's span ----------------------------------------------


@pytest.fixture
def monas_span_in_karims_window(qtbot, server: Server) -> tuple[MainWindow, str]:
    """karim's window on everyone's layer, showing the PER span mona just made."""
    mona = open_as(qtbot, server, "mona")
    karim = open_as(qtbot, server, "karim", Layer.everyone())
    span_id = annotate(qtbot, mona, SPEAKER, "P")
    qtbot.waitUntil(lambda: drawn(karim) == [("PER", SPEAKER, "mona")], timeout=LIVE_MS)
    return karim, span_id


@pytest.mark.parametrize("key", ["O", "Delete", "Alt+Left"], ids=["relabel", "delete", "edge"])
def test_karims_window_refuses_to_change_monas_span(
    qtbot, server: Server, monas_span_in_karims_window: tuple[MainWindow, str], key: str
) -> None:
    karim, span_id = monas_span_in_karims_window
    activate(qtbot, karim)
    click_span(qtbot, karim, span_id)
    press(karim, key)
    message = karim.statusBar().currentMessage()
    assert "mona" in message and "not saved" not in message, message
    assert server.spans() == [("PER", SPEAKER, "mona")]
    assert drawn(karim) == [("PER", SPEAKER, "mona")]
    assert QApplication.activeModalWidget() is None  # said in the status bar, no dialog


def test_the_servers_refusal_of_an_annotators_review_shows_in_the_status_bar(
    qtbot, server: Server, monas_span_in_karims_window: tuple[MainWindow, str]
) -> None:
    """Gold is the curators': the window lets karim try, the server refuses, nothing is kept."""
    karim, _span_id = monas_span_in_karims_window
    annotate(qtbot, karim, "موسكو", "G")  # two annotators to compare
    karim.menus["review"].actions()[0].trigger()  # Review mode
    panel = karim.review.panel
    qtbot.waitUntil(lambda: len(panel.cases()) == 2)
    stored = server.spans()
    assert stored == [("GPE", "موسكو", "karim"), ("PER", SPEAKER, "mona")]
    panel.accept_current(0)
    message = karim.statusBar().currentMessage()
    assert message.startswith("the server refused"), message
    assert "curator" in message, message
    assert QApplication.activeModalWidget() is None
    assert server.spans() == stored  # no gold span


# ---- stale edits -----------------------------------------------------------------------------


def test_a_relabel_of_a_span_changed_elsewhere_meanwhile_is_refused_and_read_again(
    qtbot, server: Server
) -> None:
    first = open_as(qtbot, server, "mona")
    span_id = annotate(qtbot, first, SPEAKER, "P")
    second = open_as(qtbot, server, "mona")  # mona's second window shows her span too
    assert drawn(second) == drawn(first) == [("PER", SPEAKER, "mona")]
    # The second window's edit lands between two looks of the first window's watcher.
    first.documents.watcher.stop()
    activate(qtbot, second)
    click_span(qtbot, second, span_id)
    press(second, "O")
    assert server.spans() == [("ORG", SPEAKER, "mona")]
    activate(qtbot, first)
    click_span(qtbot, first, span_id)
    assert first.session.selected_span().label == "PER"  # what it still shows
    press(first, "G")
    message = first.statusBar().currentMessage()
    assert "changed" in message, message
    assert server.spans() == [("ORG", SPEAKER, "mona")]
    assert drawn(first) == [("ORG", SPEAKER, "mona")]  # read again after the refusal


# ---- Document > Next assigned ---------------------------------------------------------------


def test_next_assigned_walks_what_the_manager_gave_mona_meanwhile(qtbot, server: Server) -> None:
    mona = open_as(qtbot, server, "mona")
    activate(qtbot, mona)
    press(mona, "Ctrl+Shift+N")
    assert mona.statusBar().currentMessage() == "No document is assigned to you (mona)"
    read_again = counter(mona)
    with Project.open(server.url("lina")) as manager:
        manager.assign(["mona"], 1, seed=1, doc_ids=["d1", "d2"])
    qtbot.waitUntil(lambda: read_again() > 0, timeout=LIVE_MS)
    press(mona, "Ctrl+Shift+N")
    assert mona.session.doc_id == "d1"
    press(mona, "Ctrl+3")  # done: her part of d1
    press(mona, "Ctrl+Shift+N")
    assert mona.session.doc_id == "d2"
    press(mona, "Ctrl+Shift+N")
    message = mona.statusBar().currentMessage()
    assert message == "This is the last document assigned to you that is not done"
    with Project.open(server.url("lina")) as manager:
        assert {a.doc_id: a.done is not None for a in manager.assignments("mona")} == {
            "d1": True,
            "d2": False,
        }


# ---- File > Import: the managers' ------------------------------------------------------------


@pytest.mark.parametrize(("who", "added"), [("karim", 0), ("lina", 1)])
def test_import_in_a_window_on_the_server_is_a_managers(
    qtbot, server: Server, tmp_path: Path, who: str, added: int
) -> None:
    window = open_as(qtbot, server, who)
    article = tmp_path / "new.txt"
    article.write_text("عنوان جديد\n\nقال المتحدث إن الاجتماع انتهى.", encoding="utf-8")
    dialog = ImportDialog(window.project, window.texts, window)
    qtbot.addWidget(dialog)
    dialog.paths_edit.setText(str(article))
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("txt"))
    job = window.files.import_from(dialog)
    with qtbot.waitSignal(job.finished, timeout=60_000):
        pass
    message = window.statusBar().currentMessage()
    if added:
        assert message == "Imported 1 document(s)"
        assert window.document_list.model.rowCount() == 4
    else:  # the server's refusal, in the status bar as any refused edit
        assert message.startswith(
            "the server refused the change: permission denied for table documents"
        ), message
        assert QApplication.activeModalWidget() is None
    with Project.open(server.url()) as admin:
        assert admin.document_count() == 3 + added


# ---- File > Export ----------------------------------------------------------------------


def test_export_from_a_window_on_the_server_proposes_a_file_and_writes_it(
    qtbot, server: Server, tmp_path: Path, monkeypatch
) -> None:
    mona = open_as(qtbot, server, "mona")
    annotate(qtbot, mona, SPEAKER, "P")
    out = tmp_path / "out" / "team.conll"
    out.parent.mkdir()
    proposed: list[str] = []

    def fill_in(dialog: ExportDialog) -> int:
        proposed.append(dialog.path_edit.text())
        # Choosing a format renames the proposed file, as for a project file.
        dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("conll"))
        proposed.append(dialog.path_edit.text())
        dialog.path_edit.setText(str(out))
        return 1

    monkeypatch.setattr(ExportDialog, "exec", fill_in)
    mona.files.job = None
    mona.files.export_dialog()
    assert mona.files.job is not None, mona.statusBar().currentMessage()
    with qtbot.waitSignal(mona.files.job.finished, timeout=60_000):
        pass
    # No project file to write beside: the home folder, named after the database.
    home = Path.home()
    assert proposed == [
        str(home / f"{server.database}.jsonl"),
        str(home / f"{server.database}.conll"),
    ]
    assert mona.statusBar().currentMessage().startswith("Wrote 3 document(s)")
    rows = [line.split() for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert [(row[0], row[-1]) for row in rows if row[-1][:2] in ("B-", "I-")] == [
        (SPEAKER, "B-PER")
    ]


# ---- File > Open server project -------------------------------------------------------------


def when_modal(qtbot, act: Callable[[QWidget], None], kind: type[QWidget]) -> None:
    """Run ``act`` on the next modal dialog of ``kind`` once it is open (a dialog's exec()
    would otherwise wait for ever): polled by the event loop, never past a few seconds."""
    tries = [0]

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind) and dialog.isVisible():
            act(dialog)
        elif tries[0] < 500:
            tries[0] += 1
            QTimer.singleShot(10, look)

    QTimer.singleShot(0, look)


def type_url(qtbot, url: str) -> Callable[[QWidget], None]:
    def act(dialog: QWidget) -> None:
        assert isinstance(dialog, ServerProjectDialog)
        dialog.url_edit.selectAll()
        qtbot.keyClicks(dialog.url_edit, url)
        qtbot.keyClick(dialog.url_edit, Qt.Key.Key_Return)

    return act


def type_password(qtbot, secret: str, asked: list[str]) -> Callable[[QWidget], None]:
    def act(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog)
        asked.append(dialog.labelText())
        qtbot.keyClicks(dialog.focusWidget(), secret)
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)

    return act


@pytest.fixture
def asked_passwords(monkeypatch) -> Iterator[None]:
    """The window's password dialog, as `annotator gui` installs it."""
    monkeypatch.setattr(pg_connection, "password_prompt", gui_app.ask_password)
    monkeypatch.delenv("PGPASSWORD", raising=False)
    yield


def test_open_server_project_asks_for_the_url_and_the_password(
    qtbot, server: Server, tmp_path: Path, asked_passwords: None
) -> None:
    with Project.create(tmp_path / "mine.sqlite", annotator="karim") as mine:
        mine.add_document("خبر في ملف", doc_id="f0")
    start = MainWindow(tmp_path / "mine.sqlite")  # closed by the opening: not for qtbot
    start.show()
    url = server.url("karim", with_password=False)
    asked: list[str] = []
    when_modal(qtbot, type_url(qtbot, url), ServerProjectDialog)
    when_modal(qtbot, type_password(qtbot, password("karim"), asked), QInputDialog)
    with qtbot.waitSignal(start.destroyed, timeout=10_000):
        start.actions_by_name["open_server"].trigger()
    opened = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    (karim,) = [w for w in opened if w.isVisible()]
    assert len(asked) == 1 and url in asked[0]
    assert karim.project.annotator == "karim"
    port = server.cluster.port
    assert (
        karim.windowTitle()
        == f"خبر 0 — أخبار الفريق (karim @ 127.0.0.1:{port}) — Arabic News Annotator"
    )
    recent = [a.text() for a in karim.menus["recent"].actions()]
    assert recent[0] == url
    karim.open_document("d2")
    karim.close()
    # The next window of karim's opens where he was; the settings never hold his password.
    assert preferences.last_document(karim.project.path) == "d2"
    assert preferences.last_document(ServerLocation.of(server.url("mona"))) == ""  # not mona's
    assert password("karim") not in settings_text()


def settings_text() -> str:
    """Everything the preferences file holds."""
    store = preferences.settings()
    store.sync()
    return Path(store.fileName()).read_text(encoding="utf-8")


def test_a_recent_server_project_opens_with_the_password_from_pgpassword(
    qtbot, server: Server, tmp_path: Path, monkeypatch
) -> None:
    first = MainWindow(server.url("mona"))  # closed below: not for qtbot
    first.close()
    with Project.create(tmp_path / "mine.sqlite") as mine:
        mine.add_document("خبر في ملف", doc_id="f0")
    start = MainWindow(tmp_path / "mine.sqlite")
    start.show()
    url = server.url("mona", with_password=False)
    (entry,) = [a for a in start.menus["recent"].actions() if a.text() == url]
    monkeypatch.setenv("PGPASSWORD", password("mona"))  # libpq's, as in a team's shell
    with qtbot.waitSignal(start.destroyed, timeout=10_000):
        entry.trigger()
    (mona,) = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
    ]
    assert mona.project.annotator == "mona"
    assert mona.windowTitle().startswith("خبر 0 — أخبار الفريق (mona @ 127.0.0.1:")
    mona.close()


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("news.sqlite", "Type a PostgreSQL URL starting with postgresql://"),
        ("postgresql://127.0.0.1:5432", "name the database after the host"),
    ],
)
def test_open_server_project_stays_open_saying_what_is_wrong_with_the_url(
    qtbot, typed: str, said: str
) -> None:
    dialog = ServerProjectDialog(Texts(), "postgresql://")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.url_edit.selectAll()
    qtbot.keyClicks(dialog.url_edit, typed)
    qtbot.keyClick(dialog.url_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.location() is None
    assert said in dialog.problem.text()
