"""Run long work (imports, fits, batches) off the GUI thread with progress and cancel.

Usage::

    def job(ctx: TaskContext) -> list[Dataset]:
        for i, path in enumerate(paths):
            ctx.check_cancelled()
            ...
            ctx.progress((i + 1) / len(paths), f"read {path.name}")
        return result

    worker = Worker(job, parent=self)
    worker.finished.connect(self.on_result)     # result object, in the GUI thread
    worker.failed.connect(self.on_error)        # the exception, in the GUI thread
    worker.cancelled.connect(self.on_cancelled)
    worker.start()

All public signals are emitted in the GUI thread (the worker thread talks to a relay object with
queued connections), so slots may touch widgets. The job must not touch widgets or the project.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot


class Cancelled(Exception):
    """Raised inside a job by :meth:`TaskContext.check_cancelled` after :meth:`Worker.cancel`."""


class TaskContext:
    """What a job gets: progress reporting and the cancel flag."""

    #: Minimum seconds between two progress signals (the last one always goes out).
    PROGRESS_INTERVAL_S = 0.05

    def __init__(self, relay: _Relay, cancel_event: threading.Event) -> None:
        self._relay = relay
        self._cancel = cancel_event
        self._last = 0.0

    def progress(self, fraction: float, message: str = "") -> None:
        """Report progress in [0, 1] with an optional message (throttled)."""
        now = time.monotonic()
        if fraction < 1.0 and now - self._last < self.PROGRESS_INTERVAL_S:
            return
        self._last = now
        self._relay.progress.emit(float(min(max(fraction, 0.0), 1.0)), str(message))

    def cancelled(self) -> bool:
        """Whether cancel was requested."""
        return self._cancel.is_set()

    def check_cancelled(self) -> None:
        """Raise :class:`Cancelled` when cancel was requested."""
        if self._cancel.is_set():
            raise Cancelled()


class _Relay(QObject):
    """Lives in the GUI thread; its signals are emitted from the worker thread."""

    progress = Signal(float, str)
    result = Signal(object)
    error = Signal(object)
    was_cancelled = Signal()


class _Runnable(QRunnable):
    def __init__(self, target: Callable[[], None]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self._target = target

    def run(self) -> None:
        self._target()


class Worker(QObject):
    """One job run once in a thread pool; see the module docstring."""

    progress = Signal(float, str)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    #: Emitted after any of finished / failed / cancelled.
    done = Signal()

    _active: set[Worker] = set()

    def __init__(
        self,
        job: Callable[[TaskContext], Any],
        parent: QObject | None = None,
        pool: QThreadPool | None = None,
    ) -> None:
        super().__init__(parent)
        self._job = job
        self._pool = pool or QThreadPool.globalInstance()
        self._cancel = threading.Event()
        self._ended = threading.Event()
        self._started = False
        # No parent: the relay must outlive a Worker deleted with its parent while the job
        # still runs (the thread emits on it); the Worker's Python object keeps it alive.
        self._relay = _Relay()
        queued = Qt.ConnectionType.QueuedConnection
        self._relay.progress.connect(self._on_progress, queued)
        self._relay.result.connect(self._on_result, queued)
        self._relay.error.connect(self._on_error, queued)
        self._relay.was_cancelled.connect(self._on_cancelled, queued)
        self._runnable = _Runnable(self._run)
        self._is_done = False

    # ------------------------------------------------------------ control
    def start(self) -> None:
        """Start the job (once)."""
        if self._started:
            raise RuntimeError("a Worker runs only once")
        self._started = True
        Worker._active.add(self)  # keep alive while running
        self._pool.start(self._runnable)

    def cancel(self) -> None:
        """Ask the job to stop at its next :meth:`TaskContext.check_cancelled`."""
        self._cancel.set()

    def is_running(self) -> bool:
        """Whether the job started and its result has not been delivered yet."""
        return self._started and not self._is_done

    def is_cancel_requested(self) -> bool:
        """Whether :meth:`cancel` was called."""
        return self._cancel.is_set()

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block until the job function returned (signals are delivered later by the event loop)."""
        return self._ended.wait(timeout_s)

    # ------------------------------------------------------------ thread side
    def _run(self) -> None:
        ctx = TaskContext(self._relay, self._cancel)
        try:
            try:
                result = self._job(ctx)
            except Cancelled:
                self._relay.was_cancelled.emit()
            except BaseException as exc:  # delivered to the GUI thread, never lost
                self._relay.error.emit(exc)
            else:
                if self._cancel.is_set():
                    self._relay.was_cancelled.emit()
                else:
                    self._relay.result.emit(result)
        except RuntimeError:
            pass  # the relay was deleted: the application quit while the job ran
        finally:
            self._ended.set()

    # ------------------------------------------------------------ GUI side
    @Slot(float, str)
    def _on_progress(self, fraction: float, message: str) -> None:
        if not self._is_done:
            self.progress.emit(fraction, message)

    @Slot(object)
    def _on_result(self, result: object) -> None:
        self._finish()
        self.finished.emit(result)
        self.done.emit()

    @Slot(object)
    def _on_error(self, exc: object) -> None:
        self._finish()
        self.failed.emit(exc)
        self.done.emit()

    @Slot()
    def _on_cancelled(self) -> None:
        self._finish()
        self.cancelled.emit()
        self.done.emit()

    def _finish(self) -> None:
        self._is_done = True
        Worker._active.discard(self)
