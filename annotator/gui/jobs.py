"""Long operations (import, export) in a worker thread with a progress dialog and Cancel.

The work function runs in the thread and must open its own Project there: a SQLite connection
belongs to the thread that made it. Cancel and Esc set a threading.Event in the UI thread; the
work reads it through its cancel check at every document.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from annotator.errors import AnnotatorError, Cancelled

Progress = Callable[[int], None]
CancelCheck = Callable[[], bool]
Work = Callable[[Progress, CancelCheck], object]


class Worker(QObject):
    """Runs ``work`` once; reports progress, the result, a cancellation or an AnnotatorError."""

    progressed = Signal(int)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, work: Work, cancel: threading.Event) -> None:
        super().__init__()
        self.work = work
        self.done = 0
        self._cancel = cancel

    def request_cancel(self) -> None:
        """Ask the work to stop at its next cancel check (thread-safe: call it directly)."""
        self._cancel.set()

    def is_cancelled(self) -> bool:
        """Return True once Cancel was pressed."""
        return self._cancel.is_set()

    def _progress(self, step: int) -> None:
        self.done += step
        self.progressed.emit(self.done)

    @Slot()
    def run(self) -> None:
        """Run the work in the worker thread."""
        try:
            result = self.work(self._progress, self.is_cancelled)
        except Cancelled:
            self.cancelled.emit()
        except AnnotatorError as exc:
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)
        finally:
            self.finished.emit()


class Job(QObject):
    """A worker thread with its progress dialog; its signals arrive in the UI thread."""

    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, parent: QWidget, label: str, cancel: str, total: int, work: Work) -> None:
        super().__init__(parent)
        self.cancel_requested = threading.Event()
        self.worker = Worker(work, self.cancel_requested)
        self.worker_thread = QThread()
        self.worker.moveToThread(self.worker_thread)
        self.dialog = QProgressDialog(label, cancel, 0, max(total, 1), parent)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        # The Cancel button, its Esc shortcut and closing the dialog emit ``canceled``. The flag
        # is set right here in the UI thread: a slot of the worker would be queued to its thread,
        # which is busy running the work and would see the cancel only once the work had ended.
        self.dialog.canceled.connect(self.cancel_requested.set, Qt.ConnectionType.DirectConnection)
        # An Esc the shortcut does not catch reaches QDialog.reject: it hides the dialog and
        # emits only ``rejected``, which would leave the work running unseen.
        self.dialog.rejected.connect(self.cancel)
        # Bound methods of this UI-thread object make the connections queued into the UI thread.
        self.worker.progressed.connect(self._progressed)
        self.worker.succeeded.connect(self._succeeded)
        self.worker.failed.connect(self._failed)
        self.worker.cancelled.connect(self._cancelled)
        self.worker_thread.started.connect(self.worker.run)
        self.worker.finished.connect(self.worker_thread.quit)
        self.worker_thread.finished.connect(self._cleanup)

    def start(self) -> None:
        """Start the work off the UI thread."""
        self.worker_thread.start()

    def cancel(self) -> None:
        """Cancel as the dialog's Cancel button does (QProgressDialog.cancel emits nothing)."""
        self.cancel_requested.set()
        self.dialog.cancel()

    @Slot(int)
    def _progressed(self, done: int) -> None:
        self.dialog.setValue(min(done, self.dialog.maximum()))

    @Slot(object)
    def _succeeded(self, result: object) -> None:
        self.succeeded.emit(result)

    @Slot(object)
    def _failed(self, error: object) -> None:
        self.failed.emit(error)

    @Slot()
    def _cancelled(self) -> None:
        self.cancelled.emit()

    def _cleanup(self) -> None:
        self.dialog.close()
        self.finished.emit()
