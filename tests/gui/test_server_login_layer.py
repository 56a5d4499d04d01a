"""A window on a server project works in its login's layer, whatever name the preferences hold:
the server would refuse every edit made under another name."""

from __future__ import annotations

import pytest
from pg_cluster import PgCluster

from annotator.gui import MainWindow, preferences
from annotator.session import Layer
from annotator.store import Project
from annotator.store.pg.team import Team

TEXT = "قال المتحدث باسم الكرملين إن موسكو مستعدة للحوار"
SPEAKER = (4, 11)  # المتحدث


@pytest.fixture
def mona_url(pg_cluster: PgCluster, pg_url: str) -> str:
    """A server project with one article and mona, an annotator, as her URL."""
    with Project.create(pg_url) as project:
        project.add_document(TEXT, doc_id="d0")
        Team.of(project).add("mona", "annotator", "pw-mona")
    database = pg_url.rsplit("/", 1)[1]
    return pg_cluster.url(database, user="mona", password="pw-mona")


def test_the_window_writes_as_the_login_not_the_saved_name(
    qtbot, mona_url: str, monkeypatch: pytest.MonkeyPatch
):
    preferences.set_annotator_name("someone else")
    window = MainWindow(mona_url)
    qtbot.addWidget(window)
    assert window.project.annotator == "mona"
    span = window.project.add_span("d0", *SPEAKER, "PER")
    assert TEXT[span.start : span.end] == "المتحدث" and span.annotator == "mona"
    # A name chosen in File > Preferences is for project files: here she stays herself.
    monkeypatch.setattr(preferences.PreferencesDialog, "exec", lambda dialog: dialog.accept() or 1)
    preferences.set_annotator_name("huda")
    window.files.preferences_dialog()
    assert window.project.annotator == "mona"
    assert window.session.layer == Layer.of("mona")
