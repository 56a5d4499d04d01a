"""What the window is doing, without Qt: the open document, the shown layer, the selections,
link mode and the history of edits. Widgets subscribe to its events; see ``EditingSession``.
"""

from annotator.session.editing import EditingSession
from annotator.session.edits import Change, Edit
from annotator.session.events import Event
from annotator.session.history import History
from annotator.session.layer import Layer

__all__ = ["Change", "Edit", "EditingSession", "Event", "History", "Layer"]
