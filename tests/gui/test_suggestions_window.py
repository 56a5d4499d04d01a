"""Suggestions in the window, in the orders a person uses them.

A person annotates a name by hand (drag, label key), runs a recommender from Suggestions > Run
recommender… by clicking the dialog's widgets, sees ghosts over the other places the name is
written, Tabs to one, accepts it with Enter (Ctrl+Z takes it back), rejects another with
Backspace, and a second run does not bring the rejected one back. The careless orders (Enter
with nothing in focus, Backspace on a selected annotation, Cancel in the middle of training)
change nothing. Every check reads what the view draws (the ghosts' text sliced from the stored
text) or the project file through a second connection.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent, QTextDocument
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QToolTip,
)
from test_window_state import drag, type_text
from window_helpers import SEED_ID, at, on_disk, open_window, press

from annotator.gui import MainWindow, preferences
from annotator.gui.suggest_dialogs import RunDialog
from annotator.model.document import Span
from annotator.model.suggestions import Proposal, Proposals, ProposedLink
from annotator.session import Layer
from annotator.store import Project

SECOND = (
    "التقى سيرجي لافروف نظيره في جنيف. ولافروف قال إن موسكو مستعدة، "
    "وأضاف لافروف أن الاتصالات جارية. واتصل الوزير بلافروف أمس."
)
FSI, PDI = "\u2068", "\u2069"


@pytest.fixture
def path(seeded: Project) -> Path:
    """The seed article (with the example layer of another annotator) and a second article."""
    seeded.add_document(SECOND, title="second")
    return seeded.path


# ---- what a person does ----------------------------------------------------------------------


def mark_by_hand(qtbot, window: MainWindow, words: str, key: str, nth: int = 0) -> Span:
    """Drag over the ``nth`` ``words`` of the open article and press a label key."""
    start, end = at(window.session.text, words, nth)
    drag(qtbot, window, start, end - 1)
    press(window, key)
    span = window.session.selected_span()
    assert span is not None and window.session.text[span.start : span.end] == words
    return span


def choose(qtbot, combo: QComboBox, data: str) -> None:
    """Open a combo box with the mouse, go to the entry holding ``data`` and press Enter."""
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)
    popup = combo.view()
    qtbot.waitUntil(popup.isVisible)
    # A click on an entry right after the list opened is taken by Qt as the end of the click
    # that opened it; a person who clicks quickly uses the arrow keys there too.
    wanted = combo.findData(data)
    step = Qt.Key.Key_Down if wanted >= combo.currentIndex() else Qt.Key.Key_Up
    for _ in range(abs(wanted - combo.currentIndex())):
        QTest.keyClick(popup, step)
    QTest.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not popup.isVisible())
    assert combo.currentData() == data


def click_box(qtbot, button: QAbstractButton) -> None:
    """Click a radio button or check box on its indicator."""
    middle = button.height() // 2
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(middle, middle))


def open_run_dialog(qtbot, window: MainWindow) -> RunDialog:
    press(window, "Ctrl+Shift+S")
    dialog = window.suggestions.run_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def fill_run_dialog(
    qtbot, window: MainWindow, name: str, scope: str, source: str | None = None
) -> RunDialog:
    dialog = open_run_dialog(qtbot, window)
    choose(qtbot, dialog.recommender, name)
    if source is not None:
        choose(qtbot, dialog.source, source)
    click_box(qtbot, dialog.scope_buttons[scope])
    assert dialog.choice().scope == scope
    return dialog


def run(qtbot, window: MainWindow, name: str, scope: str = "all", source: str | None = None) -> str:
    """Run a recommender through Suggestions > Run recommender…; return the report's text."""
    dialog = fill_run_dialog(qtbot, window, name, scope, source)
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    return close_report(qtbot, window)


def close_report(qtbot, window: MainWindow) -> str:
    qtbot.waitUntil(lambda: window.suggestions.report_box is not None, timeout=60000)
    box = window.suggestions.report_box
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    text = box.text()
    assert box.textFormat() == Qt.TextFormat.PlainText
    qtbot.mouseClick(box.buttons()[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not box.isVisible())
    back_to(qtbot, window)
    return text


def back_to(qtbot, window: MainWindow) -> None:
    """Make the window active again, as the desktop does when a dialog over it closes."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def key(qtbot, window: MainWindow, name: str) -> None:
    """Press a key in the article, where the suggestion keys work."""
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.text_view)
    press(window, name)


def ghosts(window: MainWindow) -> list[tuple[str, str, int, int]]:
    """What the view draws as ghosts: label, text sliced from the stored text, offsets."""
    text = window.session.text
    return [(g.label, text[g.start : g.end], g.start, g.end) for g in window.text_view.ghosts()]


def focused(window: MainWindow) -> tuple[str, str, int, int] | None:
    chosen = window.text_view.focused_ghost()
    return next(
        (
            g
            for g, s in zip(ghosts(window), window.text_view.ghosts(), strict=True)
            if s.id == chosen
        ),
        None,
    )


def place(text: str, words: str, nth: int = 0, label: str = "PER") -> tuple[str, str, int, int]:
    return (label, words, *at(text, words, nth))


def mine(path: Path, doc_id: str = SEED_ID) -> list[tuple[str, str]]:
    """The user's spans on disk as (label, text), in reading order."""
    with Project.open(path, annotator="reader") as project:
        text = project.document(doc_id).text
    return [
        (s.label, text[s.start : s.end])
        for s in sorted(on_disk(path, doc_id), key=lambda s: s.start)
    ]


def second_id(path: Path) -> str:
    with Project.open(path, annotator="reader") as project:
        return project.document_ids()[1]


def tooltip_at(window: MainWindow, offset: int) -> str:
    view = window.text_view
    point = view.point_for_offset(offset)
    port = view.viewport()
    QApplication.sendEvent(port, QHelpEvent(QEvent.Type.ToolTip, point, port.mapToGlobal(point)))
    shown = QTextDocument()
    shown.setHtml(QToolTip.text())
    return shown.toPlainText()


def click_at(qtbot, window: MainWindow, offset: int) -> None:
    view = window.text_view
    point = view.point_for_offset(offset)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


# ---- the whole round: annotate, run, Tab, Enter, undo, Backspace, run again ------------------


def test_annotate_run_strings_accept_undo_reject_and_run_again(qtbot, path: Path) -> None:
    window = open_window(qtbot, path, layer="tester")
    text = window.session.text
    mark_by_hand(qtbot, window, "سيرجي لافروف", "P")  # the first photo caption
    mark_by_hand(qtbot, window, "لافروف", "P")  # the headline's first word
    report = run(qtbot, window, "strings", "all")
    # By hand: the seed holds the caption again, the name in the body and لافروف after وأضاف;
    # the second article سيرجي لافروف, and لافروف three times (after و, alone, after ب).
    assert report.splitlines()[0] == (
        "suggest:strings: 7 suggestion(s) and 0 link(s) in 2 document(s) for tester,"
        " learned from tester (PER 7)"
    )
    expected = [
        place(text, "سيرجي لافروف", 1),
        place(text, "سيرجي لافروف", 2),
        place(text, "لافروف", 4),
    ]
    assert ghosts(window) == expected
    assert window.suggestions.count_label.text() == "3 suggestion(s)"
    assert window.suggestions.count_label.isVisible()

    key(qtbot, window, "Tab")  # from the headline's name, selected: the next ghost
    assert focused(window) == expected[0]
    assert window.session.selected is None  # the ghost, not the name, is what keys act on
    assert window.inspector.heading.text() == "No annotation selected"
    assert window.text_view.rects_for_ghost(window.text_view.focused_ghost())  # on screen
    key(qtbot, window, "Return")
    assert mine(path) == [("PER", "لافروف"), ("PER", "سيرجي لافروف"), ("PER", "سيرجي لافروف")]
    assert window.statusBar().currentMessage() == (
        f"Accepted PER «{FSI}سيرجي لافروف{PDI}» (2 left in this document)"
    )
    assert ghosts(window) == expected[1:]
    assert focused(window) == expected[1]  # the focus moved on
    assert window.suggestions.count_label.text() == "2 suggestion(s)"

    press(window, "Ctrl+Z")
    assert mine(path) == [("PER", "لافروف"), ("PER", "سيرجي لافروف")]
    assert ghosts(window) == expected

    key(qtbot, window, "Tab")
    assert focused(window) == expected[2]
    key(qtbot, window, "Backspace")
    assert window.statusBar().currentMessage() == (
        f"Rejected PER «{FSI}لافروف{PDI}» (2 left in this document)"
    )
    assert mine(path) == [("PER", "لافروف"), ("PER", "سيرجي لافروف")]
    assert ghosts(window) == expected[:2]

    report = run(qtbot, window, "strings", "all")
    assert "left out 1 accepted or rejected before" in report.splitlines()
    assert ghosts(window) == expected[:2]  # the rejected one is not proposed again


def test_shift_tab_from_the_top_goes_back_to_the_last_ghost_and_shows_it(qtbot, path: Path) -> None:
    window = open_window(qtbot, path, layer="tester")
    mark_by_hand(qtbot, window, "بوتين", "P")  # the first time the body names him
    run(qtbot, window, "strings", "document")
    view = window.text_view
    click_at(qtbot, window, 3)  # the masthead: the caret at the top
    last = ghosts(window)[-1]
    assert last[1] == "بوتين" and not view.rects_for_ghost(view.ghosts()[-1].id)  # off screen
    key(qtbot, window, "Shift+Tab")  # nothing before the caret: round to the last one
    assert focused(window) == last
    assert view.rects_for_ghost(view.focused_ghost())  # scrolled into view


def test_a_ghost_inside_a_word_keeps_the_proclitic_outside(qtbot, path: Path) -> None:
    window = open_window(qtbot, path, layer="tester")
    mark_by_hand(qtbot, window, "لافروف", "P")
    run(qtbot, window, "strings", "all")
    press(window, "Ctrl+PgDown")  # Document > Next document: the second article
    assert window.session.doc_id == second_id(path)
    text = window.session.text
    after_waw, after_ba = text.index("ولافروف") + 1, text.index("بلافروف") + 1
    assert ghosts(window) == [
        place(text, "لافروف", 0),  # after سيرجي
        ("PER", "لافروف", after_waw, after_waw + 6),
        place(text, "لافروف", 2),  # after وأضاف
        ("PER", "لافروف", after_ba, after_ba + 6),
    ]
    assert tooltip_at(window, after_ba + 2) == (
        "Suggested PER from strings — annotated as PER 1 time — Enter accepts, Backspace rejects"
        "\nscore 1.00"
    )
    click_at(qtbot, window, after_ba + 2)  # a click on the ghost puts it in focus
    assert focused(window) == ("PER", "لافروف", after_ba, after_ba + 6)
    key(qtbot, window, "Return")
    assert mine(path, second_id(path)) == [("PER", "لافروف")]
    start = next(s.start for s in on_disk(path, second_id(path)))
    assert start == after_ba  # the ب stays outside the name


def test_a_quote_accepted_brings_its_cue_and_speaker_links(qtbot, path: Path) -> None:
    window = open_window(qtbot, path, layer="tester")
    text = window.session.text
    speaker = mark_by_hand(qtbot, window, "سيرجي لافروف", "P", nth=2)  # in the body
    dialog = fill_run_dialog(qtbot, window, "quotes", "document")
    assert not dialog.source.isEnabled()  # quotes learns nothing: rules only
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    close_report(qtbot, window)
    key(qtbot, window, "Tab")  # the quote after the speaker
    label, words, start, _ = focused(window)
    clause = "موسكو لم تتلق بعد رَدًّا وَاضِحًا من الولايات المتحدة"
    assert label == "QUOTE" and words.startswith(clause) and start == text.index(clause)
    assert tooltip_at(window, start + 2).splitlines()[1] == (
        "accepting adds the links cue: قال, speaker: سيرجي لافروف"
    )
    key(qtbot, window, "Return")
    with Project.open(path, annotator="reader") as project:
        spans = {s.id: s for s in project.spans(SEED_ID, ["tester"])}
        links = sorted(
            (r.type, text[spans[r.tail].start : spans[r.tail].end], r.tail == speaker.id)
            for r in project.relations(SEED_ID, ["tester"])
            if text[spans[r.head].start : spans[r.head].end] == words
        )
    assert links == [("CUE", "قال", False), ("SPEAKER", "سيرجي لافروف", True)]
    assert sorted(s.label for s in spans.values()) == ["CUE", "PER", "QUOTE"]
    # The inspector says where the quote came from; the speaker was made by hand.
    click_at(qtbot, window, start + 2)
    assert window.session.selected_span().label == "QUOTE"
    inspector = window.inspector
    assert inspector.source_label.text() == "suggest:quotes"
    assert inspector.form.isRowVisible(inspector.source_label)
    mark_by_hand(qtbot, window, "الكرملين", "O")  # made by hand: no source shown
    assert not inspector.form.isRowVisible(inspector.source_label)


# ---- careless orders --------------------------------------------------------------------------


def test_enter_with_no_ghost_in_focus_changes_nothing(qtbot, path: Path) -> None:
    window = open_window(qtbot, path, layer="tester")
    mark_by_hand(qtbot, window, "سيرجي لافروف", "P")
    run(qtbot, window, "strings", "document")
    before = ghosts(window)
    assert window.text_view.focused_ghost() is None and len(before) == 2
    key(qtbot, window, "Return")
    assert window.statusBar().currentMessage() == (
        "no suggestion is chosen: press Tab to go to the next one"
    )
    assert mine(path) == [("PER", "سيرجي لافروف")]
    assert ghosts(window) == before
    assert window.session.history.next_undo().description.startswith("add PER")


def test_backspace_on_a_selected_annotation_deletes_and_rejects_nothing(qtbot, path: Path) -> None:
    window = open_window(qtbot, path, layer="tester")
    mark_by_hand(qtbot, window, "سيرجي لافروف", "P")
    run(qtbot, window, "strings", "document")
    before = ghosts(window)
    assert window.session.selected_span() is not None  # the name just annotated
    key(qtbot, window, "Backspace")
    assert "Delete deletes the selected annotation" in window.statusBar().currentMessage()
    assert mine(path) == [("PER", "سيرجي لافروف")]
    assert ghosts(window) == before
    with Project.open(path, annotator="tester") as project:
        assert [
            (s.pending, s.accepted, s.rejected) for s in project.suggestion_stats("tester")
        ] == [(2, 0, 0)]


def test_tab_enter_and_backspace_in_the_find_box_keep_their_meaning(qtbot, path: Path) -> None:
    window = open_window(qtbot, path, layer="tester")
    mark_by_hand(qtbot, window, "سيرجي لافروف", "P")
    run(qtbot, window, "strings", "document")
    key(qtbot, window, "Tab")
    chosen = focused(window)
    assert chosen is not None
    press(window, "Ctrl+F")
    query = window.find_bar.query
    qtbot.waitUntil(lambda: QApplication.focusWidget() is query)
    type_text(query, "موسكو")
    QTest.keyClick(query, Qt.Key.Key_Backspace)  # edits the query
    QTest.keyClick(query, Qt.Key.Key_Return)  # the next hit
    assert query.text() == "موسك"
    assert focused(window) == chosen and len(ghosts(window)) == 2  # nothing rejected
    assert mine(path) == [("PER", "سيرجي لافروف")]  # nothing accepted
    QTest.keyClick(query, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not query and focused(window) == chosen


def test_tab_without_ghosts_moves_the_focus_and_says_why(qtbot, path: Path) -> None:
    window = open_window(qtbot, path, layer="tester")
    click_at(qtbot, window, 3)
    key(qtbot, window, "Tab")
    assert window.statusBar().currentMessage() == "no suggestions in this document"
    assert QApplication.focusWidget() is not window.text_view  # Tab's usual move


def test_cancel_while_crf_trains_leaves_no_model_and_no_suggestions(qtbot, path: Path) -> None:
    window = open_window(qtbot, path, layer="tester")
    for words, label, nth in (("سيرجي لافروف", "P", 0), ("موسكو", "G", 0), ("بيسكوف", "P", 0)):
        mark_by_hand(qtbot, window, words, label, nth)
    dialog = fill_run_dialog(qtbot, window, "crf", "all")
    assert dialog.model_info.text().startswith("No stored model")
    click_box(qtbot, dialog.retrain)
    assert dialog.choice().retrain
    # The worker waits at the first step of training until Cancel has been clicked, so the
    # click lands in the middle of the training whatever the machine's speed.
    reached, clicked = threading.Event(), threading.Event()

    def hold(phase: str, done: int, total: int) -> None:
        if phase == "learning" and not reached.is_set():
            reached.set()
            clicked.wait(30)

    window.suggestions.phases.moved.connect(hold, Qt.ConnectionType.DirectConnection)
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(reached.is_set, timeout=30000)
    job = window.suggestions.job
    assert job is not None
    progress: QProgressDialog = job.dialog
    qtbot.waitUntil(lambda: progress.labelText().startswith("Learning from tester…"))
    qtbot.waitUntil(progress.isVisible)
    qtbot.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)
    clicked.set()
    qtbot.waitUntil(lambda: window.suggestions.job is None, timeout=30000)
    assert window.statusBar().currentMessage() == "Cancelled: no suggestions were stored"
    with Project.open(path, annotator="tester") as project:
        assert project.load_model("crf") is None
        assert project.suggestion_stats() == []
    assert ghosts(window) == []


def test_ghosts_are_shown_over_the_users_own_layer_only(qtbot, path: Path) -> None:
    window = open_window(qtbot, path, layer="tester")
    mark_by_hand(qtbot, window, "سيرجي لافروف", "P")
    run(qtbot, window, "strings", "document")
    assert len(ghosts(window)) == 2
    window.documents.layer_actions[Layer.of("example")].trigger()  # View > Annotations shown
    assert ghosts(window) == [] and not window.suggestions.count_label.isVisible()
    click_at(qtbot, window, 3)
    key(qtbot, window, "Tab")
    assert (
        window.statusBar().currentMessage().startswith("Suggestions are shown over your own layer")
    )
    window.documents.layer_actions[Layer.of("tester")].trigger()
    assert len(ghosts(window)) == 2
    # Suggestions > Show suggestions: off hides them, and a new window remembers it.
    window.actions_by_name["suggest_shown"].trigger()
    assert ghosts(window) == [] and preferences.suggestions_shown() is False
    again = open_window(qtbot, path, layer="tester")  # a second window on the file
    assert not again.actions_by_name["suggest_shown"].isChecked() and ghosts(again) == []
    again.actions_by_name["suggest_shown"].trigger()
    assert len(ghosts(again)) == 2


def test_a_click_where_an_annotation_and_a_ghost_meet_selects_the_annotation(
    qtbot, path: Path
) -> None:
    window = open_window(qtbot, path, layer="tester")
    mark_by_hand(qtbot, window, "لافروف", "P")
    run(qtbot, window, "strings", "all")
    press(window, "Ctrl+PgDown")
    text = window.session.text
    quote = mark_by_hand(qtbot, window, "لافروف أن الاتصالات جارية", "Q")
    name = at(text, "لافروف", 2)
    assert ("PER", "لافروف", *name) in ghosts(window)  # a ghost inside the quote
    window.select_span(None)
    click_at(qtbot, window, name[0] + 2)
    assert window.session.selected == quote.id and window.text_view.focused_ghost() is None
    ba = text.index("بلافروف") + 1
    click_at(qtbot, window, ba + 2)
    assert focused(window) == ("PER", "لافروف", ba, ba + 6)
    assert window.session.selected is None


def test_accept_all_is_one_undo_step_and_the_statistics_count_decisions(qtbot, path: Path) -> None:
    window = open_window(qtbot, path, layer="tester")
    mark_by_hand(qtbot, window, "سيرجي لافروف", "P")
    mark_by_hand(qtbot, window, "لافروف", "P")
    run(qtbot, window, "strings", "all")
    key(qtbot, window, "Tab")
    key(qtbot, window, "Backspace")  # the second caption
    window.actions_by_name["suggest_accept_all"].trigger()  # the other two of this article
    assert window.statusBar().currentMessage() == "Accepted 2 suggestion(s) in this document"
    assert len(mine(path)) == 4 and ghosts(window) == []
    window.actions_by_name["suggest_stats"].trigger()
    table = window.suggestions.stats_dialog.table
    cells = [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]
    # 7 stored: 2 accepted, 1 rejected in the seed, 4 waiting in the second article.
    assert cells == [["strings", "PER", "4", "2", "1", "67%"]]
    window.suggestions.stats_dialog.close()
    press(window, "Ctrl+Z")  # one step takes both back
    assert mine(path) == [("PER", "لافروف"), ("PER", "سيرجي لافروف")]
    assert len(ghosts(window)) == 2


def test_a_run_with_nothing_to_learn_from_says_so_in_a_dialog(qtbot, path: Path) -> None:
    window = open_window(qtbot, path, layer="tester")
    dialog = fill_run_dialog(qtbot, window, "crf", "all", source="gold")
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.suggestions.report_box is not None, timeout=30000)
    box = window.suggestions.report_box
    assert box.textFormat() == Qt.TextFormat.PlainText and "gold" in box.text()
    assert box.icon() == box.Icon.Warning
    with Project.open(path, annotator="tester") as project:
        assert project.suggestion_stats() == [] and project.load_model("crf") is None


def test_a_run_over_the_document_list_as_filtered_proposes_there_only(qtbot, path: Path) -> None:
    window = open_window(qtbot, path, layer="tester")
    mark_by_hand(qtbot, window, "لافروف", "P")
    box = window.document_list.filter_bar.text_edit
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    type_text(box, "التقى")  # a word of the second article only
    QTest.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.document_list.model.filter.text == "التقى")
    click_at(qtbot, window, 3)  # back in the article
    report = run(qtbot, window, "strings", "listed")
    assert report.splitlines()[0].startswith(
        "suggest:strings: 4 suggestion(s) and 0 link(s) in 1 document(s)"
    )
    assert ghosts(window) == []  # the seed is not in the list: nothing proposed in it
    window.open_document(second_id(path))
    assert [g[1] for g in ghosts(window)] == ["لافروف"] * 4


def test_crf_learns_shows_its_phases_and_the_dialog_then_names_the_stored_model(
    qtbot, path: Path
) -> None:
    window = open_window(qtbot, path, layer="tester")
    for words, label, nth in (("سيرجي لافروف", "P", 0), ("موسكو", "G", 0), ("بيسكوف", "P", 0)):
        mark_by_hand(qtbot, window, words, label, nth)
    labels: list[str] = []

    def shown_label(*_: object) -> None:  # runs after the controller's own slot
        labels.append(window.suggestions.job.dialog.labelText())

    window.suggestions.phases.moved.connect(shown_label)
    run(qtbot, window, "crf", "all")
    assert labels[0].startswith("Learning from tester… ")
    assert labels[-1] == "Proposing… 2 / 2"
    with Project.open(path, annotator="tester") as project:
        model = project.load_model("crf")
    assert model is not None and model.info["source"] == "tester"
    dialog = fill_run_dialog(qtbot, window, "crf", "document")
    summary = dialog.model_info.text()
    assert summary.startswith("Stored model: learned from tester on ")
    assert f"{model.info['documents']} document(s)" in summary and dialog.model_info.isVisible()
    choose(qtbot, dialog.recommender, "strings")
    assert not dialog.model_info.isVisible() and not dialog.retrain.isVisible()
    dialog.reject()


# ---- leaving the article, a quote whose speaker was rejected, a read-only project -------------

CLAUSE = "موسكو لم تتلق بعد رَدًّا وَاضِحًا من الولايات المتحدة على اقتراحها ببدء حوار حول"


@pytest.fixture
def quoted(seeded: Project) -> Path:
    """The seed with a quote suggested in its body, with its cue and its speaker linked."""
    text = seeded.document(SEED_ID).text
    clause = at(text, CLAUSE)
    found = Proposals(
        [
            Proposal(*at(text, "قال"), "CUE", key="c"),
            Proposal(*at(text, "سيرجي لافروف", 2), "PER", key="p"),
            Proposal(clause[0], clause[1] + len(" قضايا الأمن السيبراني"), "QUOTE", key="q"),
        ],
        [ProposedLink("CUE", "q", "c"), ProposedLink("SPEAKER", "q", "p")],
    )
    seeded.replace_suggestions("quotes", [(SEED_ID, found)])
    return seeded.path


def test_a_quote_whose_speaker_was_rejected_says_it_leaves_the_speaker_out(
    qtbot, quoted: Path
) -> None:
    window = open_window(qtbot, quoted, layer="tester")
    text = window.session.text
    speaker, quote = at(text, "سيرجي لافروف", 2), at(text, CLAUSE)
    click_at(qtbot, window, speaker[0] + 2)
    assert focused(window) == place(text, "سيرجي لافروف", 2)
    key(qtbot, window, "Backspace")
    assert tooltip_at(window, quote[0] + 2).splitlines()[1:] == [
        "accepting adds the links cue: قال",
        "left out: speaker: سيرجي لافروف (you rejected it)",
    ]
    click_at(qtbot, window, quote[0] + 2)
    key(qtbot, window, "Return")
    words = isolated_excerpt(text, quote[0])
    assert window.statusBar().currentMessage() == (
        f"Accepted QUOTE «{words}» (0 left in this document);"
        f" left out the speaker {FSI}سيرجي لافروف{PDI} you had rejected"
    )
    assert mine(quoted) == [("CUE", "قال"), ("QUOTE", text[quote[0] : quote[0] + len(CLAUSE) + 22])]


def isolated_excerpt(text: str, start: int) -> str:
    """The first 39 letters of the quote and an ellipsis, as the status bar quotes it."""
    return f"{FSI}{text[start : start + 39]}…{PDI}"


def test_a_read_only_project_draws_no_ghosts_and_enter_opens_no_dialog(qtbot, quoted: Path) -> None:
    window = MainWindow(quoted, annotator="tester", read_only=True)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert window.session.project.read_only and window.session.editable()
    assert ghosts(window) == [] and not window.suggestions.count_label.isVisible()
    click_at(qtbot, window, 3)
    key(qtbot, window, "Return")
    assert window.statusBar().currentMessage().startswith("the project is open read-only")
    assert [box for box in window.findChildren(QMessageBox) if box.isVisible()] == []
    key(qtbot, window, "Tab")  # Tab's usual move, and why there are no ghosts
    assert QApplication.focusWidget() is not window.text_view
    assert window.statusBar().currentMessage() == (
        "The project is open read-only: suggestions are not shown"
    )


def test_ctrl_tab_leaves_the_article_while_it_has_ghosts(qtbot, quoted: Path) -> None:
    window = open_window(qtbot, quoted, layer="tester")
    view = window.text_view
    assert len(ghosts(window)) == 3
    click_at(qtbot, window, 3)
    key(qtbot, window, "Ctrl+Tab")
    onward = QApplication.focusWidget()
    assert onward is not view and focused(window) is None
    click_at(qtbot, window, 3)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view)
    # Shift+Tab comes as Backtab from a keyboard.
    modifiers = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    QTest.keyClick(view, Qt.Key.Key_Backtab, modifiers)
    back = QApplication.focusWidget()
    assert back is not view and back is not onward and focused(window) is None
    click_at(qtbot, window, 3)
    key(qtbot, window, "Ctrl+Shift+Tab")  # as Qt writes the key: Tab with Shift
    assert QApplication.focusWidget() is back
    click_at(qtbot, window, 3)
    key(qtbot, window, "Tab")  # Tab still goes to the ghosts
    assert QApplication.focusWidget() is view and focused(window) is not None
