"""Run a job at once or in a background worker, one job per channel, the newest winning.

Tabs use a :class:`Runner` for everything that may take long (a summary of a million rows, a fit,
a batch): small work runs at once with a :class:`NullContext`; large work runs in a
:class:`~lbpo_gui.gui.workers.Worker` on snapshots of its inputs, reports progress, can be
cancelled, and delivers its value on the GUI thread. A job gets a task context with
``progress(fraction, text)``, ``cancelled()`` and ``check_cancelled()``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal

from ..workers import TaskContext, Worker

__all__ = ["Job", "NullContext", "Runner", "TaskContext"]


class NullContext:
    """What a job gets when it runs at once (no progress, never cancelled)."""

    def progress(self, fraction: float, message: str = "") -> None:
        """Ignored."""

    def cancelled(self) -> bool:
        """Never."""
        return False

    def check_cancelled(self) -> None:
        """Never raises."""


Job = Callable[[Any], Any]


class Runner(QObject):
    """Runs a job at once or in a worker; one background job per channel, newest wins."""

    #: A background job of this channel delivered its result.
    finished = Signal(str)
    #: A background job started, reported progress or ended (for busy indicators).
    busyChanged = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._running: dict[str, tuple[Hashable, Worker]] = {}
        self._progress: dict[str, tuple[float, str]] = {}

    def submit(
        self,
        channel: str,
        key: Hashable,
        job: Job,
        on_result: Callable[[Any], None],
        *,
        background: bool,
    ) -> bool:
        """Run ``job``; True when done now (``on_result`` called), False when in a worker.

        ``on_result`` receives the job's value, or the exception it raised. A job of the same
        channel and key already running is kept; one with another key is cancelled.
        """
        if not background:
            try:
                value = job(NullContext())
            except Exception as exc:
                value = exc
            on_result(value)
            return True
        running = self._running.get(channel)
        if running is not None:
            if running[0] == key:
                return False
            running[1].cancel()
        worker = Worker(job)  # no parent: Worker keeps itself alive while it runs
        self._running[channel] = (key, worker)
        self._progress[channel] = (0.0, "")

        def mine(w: Worker) -> bool:
            return shiboken6.isValid(self) and self._running.get(channel, (None, None))[1] is w

        def deliver(value: object, w: Worker = worker) -> None:
            if not mine(w):
                return
            del self._running[channel]
            self._progress.pop(channel, None)
            on_result(value)
            self.finished.emit(channel)
            self.busyChanged.emit()

        def dropped(w: Worker = worker) -> None:
            if not mine(w):
                return
            del self._running[channel]
            self._progress.pop(channel, None)
            self.busyChanged.emit()

        def progress(fraction: float, text: str, w: Worker = worker) -> None:
            if mine(w):
                self._progress[channel] = (fraction, text)
                self.busyChanged.emit()

        worker.finished.connect(deliver)
        worker.failed.connect(deliver)
        worker.cancelled.connect(dropped)
        worker.progress.connect(progress)
        worker.start()
        self.busyChanged.emit()
        return False

    def is_busy(self, channel: str | None = None) -> bool:
        """Whether a background job (of ``channel``) is running."""
        return bool(self._running) if channel is None else channel in self._running

    def channels(self) -> list[str]:
        """The channels with a running job."""
        return list(self._running)

    def progress(self, channel: str | None = None) -> tuple[float, str]:
        """The last progress of a channel's job, or of the first running job (fraction, text)."""
        if channel is None:
            channel = next(iter(self._running), "")
        return self._progress.get(channel, (0.0, ""))

    def cancel(self, channel: str) -> None:
        """Cancel the job of ``channel`` (its result is dropped)."""
        running = self._running.pop(channel, None)
        self._progress.pop(channel, None)
        if running is not None:
            running[1].cancel()
            self.busyChanged.emit()

    def cancel_all(self) -> None:
        """Cancel every background job (their results are dropped)."""
        for _, worker in self._running.values():
            worker.cancel()
        busy = bool(self._running)
        self._running.clear()
        self._progress.clear()
        if busy:
            self.busyChanged.emit()

    def wait_all(self, timeout_s: float = 10.0) -> None:
        """Block until the running jobs returned (tests, shutdown)."""
        for _, worker in list(self._running.values()):
            worker.wait(timeout_s)
