"""What `show`, `list` and error lines write: nothing a terminal acts on, the exact text elsewhere.

A project file may come from anyone: its texts, titles, ids and annotator names can hold ESC
sequences (clear the screen, set the window title, OSC 52 clipboard writes), C1 controls and
unbalanced bidi overrides. The commands run here in a real pseudo-terminal (``pty``), with their
output read until the child closes it, and with their output sent to a file.
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.store import Project
from annotator.terminal import Display, neutralise

CLEAR = "\x1b[2J\x1b[H"
CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4=\x07"  # OSC 52: put "rm -rf ~" on the clipboard
WINDOW_TITLE = "\x1b]0;owned\x1b\\"  # OSC 0 ended by ST
C1_CSI = "\x9b31m"  # the one-byte CSI of C1
RLO, LRI = "\u202e", "\u2066"  # an override and an isolate, neither closed
TEXT = (
    f"قال لافروف {CLEAR}إن موسكو{CLIPBOARD} مستعدة {RLO}للحوار{LRI}\n"
    f"وأضاف{C1_CSI} أن\x08\x08 الرد\x07 سيأتي\u202b لاحقا"
)
TITLE = f"لافروف{WINDOW_TITLE}: لا رد{RLO} \r\x1b[2K"
DOC_ID = "doc\x1b[31m"
ANNOTATOR = f"mona{WINDOW_TITLE}{RLO}"
BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
ENV = {k: v for k, v in os.environ.items() if k not in {"VTE_VERSION", "KONSOLE_VERSION", "MLTERM"}}
ENV["TERM"] = "xterm-256color"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A project whose text, title, document id and annotator name all hold escapes."""
    path = tmp_path_factory.mktemp("hostile") / "hostile.sqlite"
    with Project.create(path, annotator=ANNOTATOR) as project:
        project.add_document(TEXT, title=TITLE, doc_id=DOC_ID)
        quote = project.add_span(DOC_ID, TEXT.index("إن"), TEXT.index(" مستعدة"), "QUOTE")
        person = project.add_span(DOC_ID, 4, 10, "PER")
        project.add_relation(DOC_ID, "SPEAKER", quote.id, person.id)
    yield path


def in_terminal(*args: str | Path) -> tuple[int, str]:
    """Run the annotator in a pseudo-terminal; return its exit code and everything it wrote."""
    master, slave = pty.openpty()
    try:
        child = subprocess.Popen(
            [sys.executable, "-m", "annotator.cli", *map(str, args)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=ENV,
        )
    finally:
        os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:  # EIO: the child has exited and closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return child.wait(timeout=60), b"".join(chunks).decode("utf-8")


def to_file(tmp_path: Path, *args: str | Path) -> tuple[int, bytes, str]:
    """Run the annotator with stdout to a file; return exit code, the file's bytes, stderr."""
    out = tmp_path / "out.txt"
    with out.open("wb") as fh:
        done = subprocess.run(
            [sys.executable, "-m", "annotator.cli", *map(str, args)],
            stdout=fh,
            stderr=subprocess.PIPE,
            env=ENV,
            timeout=60,
        )
    return done.returncode, out.read_bytes(), done.stderr.decode("utf-8")


def assert_inert(screen: str) -> None:
    """Nothing on the screen a terminal would act on: no ESC, no C0/C1 control, no bidi one."""
    acting = sorted(
        {hex(ord(ch)) for ch in screen if ch not in "\r\n\t" and (ord(ch) < 0x20 or ch in BIDI)}
        | {hex(ord(ch)) for ch in screen if 0x7F <= ord(ch) < 0xA0}
    )
    assert acting == [], f"raw controls reached the terminal: {acting}"


# ---- in a terminal -----------------------------------------------------------------------------


@pytest.mark.parametrize("bidi", ["off", "on", "auto"])
def test_show_in_a_terminal_shows_every_escape_and_obeys_none(hostile, bidi):
    code, screen = in_terminal("show", hostile, DOC_ID, "--bidi", bidi)
    assert code == 0, screen
    assert_inert(screen)
    for visible in ("x1b", "x9b", "x07", "x08", "u202e", "u2066", "u202b", "x0d"):
        assert visible in screen
    if bidi == "off":  # logical text, so the escapes read in order
        assert "قال لافروف \\x1b[2J\\x1b[Hإن موسكو\\x1b]52;c;cm0gLXJmIH4=\\x07" in screen
        assert "\tmona\\x1b]0;owned\\x1b\\\\u202e\t" in screen  # ST's backslash is kept
    else:  # Arabic still reshaped for a terminal without bidi (ARABIC_TEXT.md section 4)
        assert any("\ufe70" <= ch <= "\ufeff" for ch in screen)
    assert (
        screen.count("\n") == TEXT.count("\n") + 8
    )  # title, 2 rules, text, count, 2 spans, 1 link


@pytest.mark.parametrize("bidi", ["off", "on"])
def test_list_in_a_terminal_keeps_one_inert_line_per_document(hostile, bidi):
    code, screen = in_terminal("list", hostile, "--bidi", bidi)
    assert code == 0, screen
    assert_inert(screen)
    assert screen.count("\n") == 1  # the title's \r cannot overwrite the row: it is shown
    assert "doc\\x1b[31m\t" in screen


def test_error_and_warning_lines_in_a_terminal_are_inert(hostile, tmp_path):
    again = tmp_path / "again.txt"
    again.write_text(TEXT, encoding="utf-8")
    code, screen = in_terminal("import", hostile, again)  # the same text: a warning naming it
    assert code == 0, screen
    assert_inert(screen)
    assert "already in the project as doc\\x1b[31m" in screen
    missing = tmp_path / f"gone{WINDOW_TITLE}{RLO}.sqlite"
    code, screen = in_terminal("show", missing, DOC_ID)
    assert code != 0
    assert_inert(screen)
    assert screen.startswith("error: ") and "gone\\x1b]0;owned" in screen
    assert screen.strip().count("\n") == 0


def test_click_usage_errors_are_inert_too(tmp_path):
    code, screen = in_terminal("gui", tmp_path / f"x{CLEAR}{RLO}.sqlite")  # no such file
    assert code == 2
    assert_inert(screen)
    assert "x\\x1b[2J\\x1b[H\\u202e.sqlite: no such project file" in screen


# ---- to a file or a pipe -----------------------------------------------------------------------


@pytest.mark.parametrize("bidi", ["off", "on", "auto"])
def test_show_to_a_file_is_the_stored_text_byte_for_byte(hostile, tmp_path, bidi):
    code, written, errors = to_file(tmp_path, "show", hostile, DOC_ID, "--bidi", bidi)
    assert code == 0, errors
    rule = "=" * 40
    head = f"{TITLE}\n{rule}\n{TEXT}\n{rule}\n2 span(s), 1 relation(s)\n".encode()
    assert written.startswith(head)  # ESC, C1, BEL and the bidi controls all kept, nothing added
    rows = written[len(head) :].decode("utf-8").splitlines()
    assert [row.split("\t")[3] for row in rows] == [ANNOTATOR] * 3
    assert rows[0].split("\t")[4] == TEXT[4:10] or rows[1].split("\t")[4] == TEXT[4:10]


def test_list_to_a_pipe_is_the_stored_values_exactly(hostile):
    done = subprocess.run(
        [sys.executable, "-m", "annotator.cli", "list", str(hostile)],
        capture_output=True,
        env=ENV,
        timeout=60,
        check=True,
    )
    assert done.stdout == f"{DOC_ID}\tin_progress\t2\t{TITLE}\n".encode()


def test_error_lines_stay_one_inert_line_in_a_log_file(tmp_path):
    missing = tmp_path / f"gone\n{CLEAR}.sqlite"
    code, written, errors = to_file(tmp_path, "list", missing)
    assert code != 0 and written == b""
    assert_inert(errors)
    assert errors.count("\n") == 1 and "gone\\x0a\\x1b[2J" in errors


# ---- the rules themselves ----------------------------------------------------------------------


def test_neutralise_shows_controls_and_bidi_formatting_and_keeps_the_rest():
    assert neutralise("a\x1b[2Jb\x9bc\x7f\x00") == "a\\x1b[2Jb\\x9bc\\x7f\\x00"
    assert neutralise("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069") == (
        "\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069"
    )
    assert neutralise("x\ud800y") == "x\\ud800y"  # a lone surrogate cannot be written at all
    # Arabic, its marks and joiners, directional marks, emoji and no-break spaces are text.
    kept = "قَالَ\u200f \u200e\u061c لا\u200d\u200c 🇵🇸 \u00a0ـ"
    assert neutralise(kept) == kept
    assert neutralise("a\nb\tc") == "a\\x0ab\\x09c"
    assert neutralise("a\nb\tc\r", lines=True) == "a\nb\tc\\x0d"


def test_display_changes_nothing_for_a_file_and_neutralises_for_a_terminal():
    class Tty:
        def isatty(self) -> bool:
            return True

    class File:
        def isatty(self) -> bool:
            return False

    for mode in ("auto", "on", "off"):
        assert Display(mode, File()).field(TITLE) == TITLE  # type: ignore[arg-type]
        assert Display(mode, File())(TEXT) == TEXT  # type: ignore[arg-type]
        assert_inert(Display(mode, Tty()).field(TITLE))  # type: ignore[arg-type]
        assert_inert(Display(mode, Tty())(TEXT))  # type: ignore[arg-type]
    json_text = '{"a": "x\\u001b\u009b\u202e"}'
    assert Display("off", Tty()).json(json_text) == '{"a": "x\\u001b\\u009b\\u202e"}'  # type: ignore[arg-type]
    assert Display("off", File()).json(json_text) == json_text  # type: ignore[arg-type]
