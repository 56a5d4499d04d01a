"""What the window's menus, keys and panels do: edits through the undo stack, dialogs, find.

A mixin of :class:`annotator.gui.main_window.MainWindow`, split out to keep each file short.
Every public action reports AnnotatorError through ``report_error`` (the ``reported`` wrapper).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from annotator.errors import AnnotatorError, ValidationError
from annotator.gui import commands, preferences
from annotator.gui.editor import step_edge
from annotator.gui.export_dialog import ExportDialog, start_export
from annotator.gui.find_bar import AnnotateAllDialog
from annotator.gui.import_dialog import ImportDialog, start_import
from annotator.gui.jobs import Job
from annotator.io.alignment import ExportReport
from annotator.io.operations import Selection
from annotator.model.text import Match
from annotator.store import ImportReport, Project

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

    Base = MainWindow
else:
    Base = object

F = TypeVar("F", bound=Callable[..., Any])
OPEN_WINDOWS: list[QMainWindow] = []


def reported(method: F) -> F:
    """Run a window action; show any AnnotatorError it raises instead of dropping it."""

    @wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except AnnotatorError as exc:
            self.report_error(exc)
            return None

    return wrapper  # type: ignore[return-value]


class WindowActionsMixin(Base):
    """Annotate, relabel, delete, move edges, link, find-all, import and export."""

    job: Job | None = None
    export_report_box: QMessageBox | None = None
    annotate_all_preview: AnnotateAllDialog | None = None

    def _push(self, command: commands.EditCommand) -> None:
        commands.push(self.undo_stack, command)
        self.statusBar().showMessage(self.texts("Saved: {what}", what=command.text()), 4000)

    # ---- spans -----------------------------------------------------------------------------

    @reported
    def annotate(self, label_id: str) -> None:
        """Apply ``label_id`` to the selected text; with no text selected, relabel the selected span."""
        self.project.schema.label(label_id)
        self.palette.set_current(label_id)
        picked = self.text_view.selected_range()
        if picked is None:
            if self.selected_span is None:
                raise ValidationError("select some text first, then press a label key")
            self.relabel(label_id)
            return
        self.editor.check_editable()
        command = commands.AddSpan(self.editor, picked[0], picked[1], label_id)
        self._push(command)
        assert command.span is not None
        # The new span becomes the selection: the next label key relabels it, Delete removes it.
        self.text_view.clear_selection()
        self.select_span(command.span.id)

    @reported
    def relabel(self, label_id: str, span_id: str | None = None) -> None:
        """Give the selected span (or ``span_id``) the label ``label_id``."""
        span_id = span_id or self._editable_selection()
        self.editor.check_editable(span_id)
        if self.editor.spans[span_id].label != label_id:
            self._push(commands.relabel(self.editor, span_id, label_id))

    @reported
    def delete_selected(self) -> None:
        """Delete the selected span and its links."""
        span_id = self._editable_selection()
        self._push(commands.DeleteSpan(self.editor, span_id))
        self.select_span(None)

    @reported
    def move_edge(self, edge: str, forward: bool) -> None:
        """Move the selected span's ``edge`` ("start"/"end") one character later or earlier."""
        span_id = self._editable_selection()
        span = self.editor.spans[span_id]
        start, end = span.start, span.end
        if edge == "start":
            start = step_edge(self.editor.text, start, forward)
        else:
            end = step_edge(self.editor.text, end, forward)
        if (start, end) != (span.start, span.end):
            self._push(commands.move_edges(self.editor, span_id, start, end))

    @reported
    def set_attribute(self, span_id: str, name: str, value: str) -> None:
        """Set one attribute (e.g. QUOTE type, CLAIM check_worthy) of a span."""
        self.editor.check_editable(span_id)
        if self.editor.spans[span_id].attrs.get(name) != value:
            self._push(commands.set_attribute(self.editor, span_id, name, value))

    def _editable_selection(self) -> str:
        if self.selected_span is None:
            raise ValidationError("select an annotation first (click it)")
        self.editor.check_editable(self.selected_span)
        return self.selected_span

    # ---- links -----------------------------------------------------------------------------

    @reported
    def link(self, type_id: str, head_id: str, tail_id: str) -> None:
        """Link ``head_id`` to ``tail_id`` with ``type_id``; the store refuses forbidden links."""
        self.editor.check_editable(head_id)
        if tail_id not in self.editor.spans:
            raise ValidationError(f"span {tail_id} is not shown in this layer")
        self.editor.check_editable(tail_id)  # a link joins spans of one annotator's layer
        self._push(commands.AddRelation(self.editor, type_id, head_id, tail_id))
        self.select_span(head_id)

    @reported
    def delete_relation(self, rel_id: str) -> None:
        """Delete one link (from the inspector)."""
        self.editor.check_editable()
        self._push(commands.DeleteRelation(self.editor, rel_id))
        self.select_span(self.selected_span)

    @reported
    def toggle_link_mode(self) -> None:
        """Turn link mode on for the selected quote or claim, or off."""
        if self.link_mode.active:
            self.link_mode.stop()
            self.statusBar().clearMessage()
            return
        self.actions["link"].setChecked(False)
        head = self.selected()
        if head is not None:
            self.editor.check_editable(head.id)
        self.link_mode.start(head)
        label = head.label if head else ""
        self.statusBar().showMessage(
            self.texts("Link mode: click the span to link {label} to (Esc to stop)", label=label)
        )

    @reported
    def link_to(self, tail_id: str) -> None:
        """In link mode: link the selected quote or claim to the clicked span."""
        head = self.link_mode.head
        if head is None or tail_id == head.id:
            return
        try:
            relation = self.link_mode.relation_for(self.editor.spans[tail_id])
        except AnnotatorError as exc:
            raise type(exc)(self.texts("Link refused: {reason}", reason=exc.message)) from exc
        if relation is not None:
            self.link(relation.id, head.id, tail_id)

    # ---- view toggles and find ---------------------------------------------------------------

    def toggle_precision(self) -> None:
        """Switch between word snapping and character precision for selections."""
        self.text_view.set_character_precision(self.actions["precision"].isChecked())
        self._update_status()

    def _find_hits(self, hits: list, current: int) -> None:
        self.text_view.set_find_hits(hits, current if current >= 0 else None)
        if current >= 0:
            self.text_view.scroll_to_offset(hits[current][0])

    def annotate_all_dialog(self) -> AnnotateAllDialog | None:
        """Preview "annotate all matches" with the current label; OK applies it as one undo step."""
        if not self.find_bar.matches:
            self.statusBar().showMessage(self.texts("no match"), 4000)
            return None
        label = self.palette.current
        dialog = AnnotateAllDialog(
            self.texts,
            self.editor.text,
            self.find_bar.matches,
            label,
            list(self.editor.spans.values()),
            self,
        )
        dialog.accepted.connect(lambda: self.annotate_matches(dialog.checked(), label))
        self.annotate_all_preview = dialog
        dialog.open()
        return dialog

    @reported
    def annotate_matches(self, matches: list[Match], label_id: str) -> None:
        """Annotate ``matches`` with ``label_id`` as one undoable step."""
        self.editor.check_editable()
        self.undo_stack.beginMacro(f"annotate {len(matches)} × {label_id}")
        try:
            for match in matches:
                self._push(commands.AddSpan(self.editor, match.start, match.end, label_id))
        finally:
            self.undo_stack.endMacro()

    # ---- projects, import, export --------------------------------------------------------------

    def open_project(self, path: Path) -> None:
        """Open another project in a new window and close this one."""
        try:
            window = type(self)(path, annotator=self.project.annotator)
        except AnnotatorError as exc:
            self.report_error(exc)
            return
        OPEN_WINDOWS.append(window)
        window.destroyed.connect(
            lambda: OPEN_WINDOWS.remove(window) if window in OPEN_WINDOWS else None
        )
        window.show()
        self.close()

    def open_project_dialog(self) -> None:
        """File > Open project."""
        path, _ = QFileDialog.getOpenFileName(
            self, self.texts("Open project"), str(self.project.path.parent), "Projects (*.sqlite)"
        )
        if path:
            self.open_project(Path(path))

    @reported
    def new_project_dialog(self) -> None:
        """File > New project: create an empty project file and open it."""
        path, _ = QFileDialog.getSaveFileName(
            self, self.texts("New project"), str(self.project.path.parent), "Projects (*.sqlite)"
        )
        if path:
            Project.create(path, annotator=self.project.annotator).close()
            self.open_project(Path(path))

    @reported
    def preferences_dialog(self) -> None:
        """File > Preferences: the annotator name takes effect for the next window opened."""
        from annotator.gui.preferences import PreferencesDialog

        if PreferencesDialog(self.texts, self).exec():
            self.project.annotator = preferences.annotator_name()
            self.editor.set_layer(self.project.annotator)
            self.refresh_layers()

    @reported
    def export_dialog(self) -> None:
        """File > Export: choose, then write in a worker thread with a progress dialog."""
        dialog = ExportDialog(self.project, self.texts, self)
        if dialog.exec():
            self.export_to(dialog.out_path(), dialog.fmt(), dialog.selection())

    def export_to(self, out: Path, fmt: str, selection: Selection) -> Job:
        """Start an export (used by the dialog and by tests); the returned job reports back."""
        job = start_export(self, self.texts, self.project, out, fmt, selection)
        job.succeeded.connect(lambda report: self._exported(report, out))
        return self._track(job, "Export cancelled; no file was written")

    def _exported(self, report: ExportReport, out: Path) -> None:
        message = self.texts(
            "Wrote {count} document(s) to {path}", count=report.documents, path=out
        )
        self.statusBar().showMessage(message)
        if report.lines():  # spans a token-based format could not hold: said, never hidden
            box = QMessageBox(
                QMessageBox.Icon.Information, self.texts("Export"), message, parent=self
            )
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setDetailedText("\n".join(report.lines()))
            box.setInformativeText(report.lines()[0])
            box.open()
            self.export_report_box = box

    @reported
    def import_dialog(self) -> Job | None:
        """File > Import: choose files, then import in a worker thread (all or nothing)."""
        dialog = ImportDialog(self.project, self.texts, self)
        if not dialog.exec():
            return None
        return self.import_from(dialog)

    def import_from(self, dialog: ImportDialog) -> Job:
        """Start an import from a filled-in dialog; the list refreshes when it succeeds."""
        job = start_import(self, self.texts, self.project, dialog)
        job.succeeded.connect(self._imported)
        return self._track(job, "Import cancelled; nothing was imported")

    def _imported(self, report: ImportReport) -> None:
        self.document_list.model.set_filter(self.document_list.filter_edit.text())
        self.refresh_layers()
        self.statusBar().showMessage(
            self.texts("Imported {count} document(s)", count=len(report.added))
        )

    def _track(self, job: Job, cancelled_message: str) -> Job:
        job.failed.connect(self.report_error)
        job.cancelled.connect(lambda: self.statusBar().showMessage(self.texts(cancelled_message)))
        self.job = job
        return job
