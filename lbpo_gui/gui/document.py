"""The open project as a Qt object: path, undo stack, change signals, save/open and autosave.

:class:`ProjectDocument` owns one :class:`~lbpo_gui.core.project.Project` at a time. It re-emits the
project's events as the Qt signal :attr:`ProjectDocument.projectChanged`, derives
:attr:`~ProjectDocument.dirtyChanged` from the undo stack's clean state, and autosaves (debounced)
to the per-user recovery folder while there are unsaved changes.

Every edit is a command from :mod:`.commands` given to :meth:`ProjectDocument.push`, which applies
it first (so a refused edit raises :class:`~lbpo_gui.core.errors.ProjectError` to the caller and
leaves nothing on the stack) and only then records it on the undo stack.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal, Slot
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from ..core.errors import ProjectFileError
from ..core.project import Project, load_project, save_project
from ..core.project import autosave as core_autosave
from ..core.project.events import ProjectEvent
from ..core.project.snapshot import snapshot_project
from . import dialogs
from .workers import TaskContext, Worker

if TYPE_CHECKING:
    from .commands import DocumentCommand

DEFAULT_PROJECT_NAME = "Untitled project"


class ReentrantEditError(RuntimeError):
    """An edit was started while another edit was being applied (e.g. from a change listener)."""


class ProjectDocument(QObject):
    """The open project, its file, its undo history and its autosave."""

    #: A :class:`~lbpo_gui.core.project.ProjectEvent` for every change of the project.
    projectChanged = Signal(object)
    #: A different Project object is now open (new, open, recovery): views re-read everything.
    projectReplaced = Signal()
    #: True when there are unsaved changes.
    dirtyChanged = Signal(bool)
    #: The project file changed (a Path, or None for a project never saved).
    pathChanged = Signal(object)
    #: An autosave was written (its Path).
    autosaved = Signal(object)
    #: An autosave could not be written (the reason).
    autosaveFailed = Signal(str)

    DEFAULT_AUTOSAVE_DELAY_MS = 30_000
    #: Autosave at the latest this long after the first unsaved change, even while editing.
    MAX_AUTOSAVE_WAIT_S = 300.0

    def __init__(
        self,
        project: Project | None = None,
        path: str | Path | None = None,
        *,
        autosave_delay_ms: int | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._update_dirty)
        #: Parent widget for message boxes this document shows.
        self.dialog_parent: QWidget | None = None
        self._project = project or Project(DEFAULT_PROJECT_NAME)
        self._path: Path | None = Path(path) if path else None
        self._unsubscribe: Callable[[], None] | None = None
        self._force_dirty = False
        self._last_dirty = False
        self._applying = False
        self._closed = False
        self._autosave_delay_ms = (
            self.DEFAULT_AUTOSAVE_DELAY_MS if autosave_delay_ms is None else int(autosave_delay_ms)
        )
        self._pending_since: float | None = None
        self._autosave_timer = QTimer(self)
        self._autosave_timer.setSingleShot(True)
        self._autosave_timer.timeout.connect(self._on_autosave_timer)
        self._autosave_worker: Worker | None = None
        self._autosave_again = False
        self._subscribe()

    # ------------------------------------------------------------------ state
    @property
    def project(self) -> Project:
        """The open project."""
        return self._project

    @property
    def path(self) -> Path | None:
        """The project file, or None when the project was never saved."""
        return self._path

    @property
    def autosave_delay_ms(self) -> int:
        """Delay between the last change and the autosave (0 disables autosave)."""
        return self._autosave_delay_ms

    @autosave_delay_ms.setter
    def autosave_delay_ms(self, value: int) -> None:
        self._autosave_delay_ms = int(value)
        if value <= 0:
            self._autosave_timer.stop()

    def is_dirty(self) -> bool:
        """Whether the project has changes that are not in its file."""
        return self._force_dirty or not self.undo_stack.isClean()

    def display_name(self) -> str:
        """The file name when saved, else the project name."""
        return self._path.name if self._path else self._project.name

    # ------------------------------------------------------------------ edits
    def push(self, command: DocumentCommand) -> None:
        """Apply ``command`` and record it for undo.

        Raises :class:`~lbpo_gui.core.errors.ProjectError` (nothing changed, nothing recorded)
        when the project refuses the edit, and :class:`ReentrantEditError` when called while
        another edit is being applied.
        """
        if command.document is not self:
            raise ValueError("the command belongs to another document")
        self.run_guarded(command.apply)
        command.mark_applied()
        self.undo_stack.push(command)

    def run_guarded(self, fn: Callable[[], object]) -> None:
        """Run one project edit, refusing nested edits."""
        if self._applying:
            raise ReentrantEditError(
                "cannot change the project while another change is being applied"
            )
        self._applying = True
        try:
            fn()
        finally:
            self._applying = False

    def is_applying(self) -> bool:
        """Whether an edit is being applied right now."""
        return self._applying

    def undo(self) -> None:
        """Undo the last edit (ignored while an edit is being applied)."""
        if not self._applying and self.undo_stack.canUndo():
            self.undo_stack.undo()

    def redo(self) -> None:
        """Redo the next edit (ignored while an edit is being applied)."""
        if not self._applying and self.undo_stack.canRedo():
            self.undo_stack.redo()

    # ------------------------------------------------------------------ files
    def new(self, name: str = DEFAULT_PROJECT_NAME) -> None:
        """Replace the open project with an empty one (the caller asked about unsaved changes)."""
        self.set_project(Project(name), None)

    def open(self, path: str | Path) -> bool:
        """Open a ``.lbpo`` file; on error show the reason and keep the current project."""
        path = Path(path)
        try:
            project = load_project(path)
        except ProjectFileError as exc:
            dialogs.critical(self.dialog_parent, "Cannot open project", str(exc))
            return False
        except OSError as exc:
            dialogs.critical(
                self.dialog_parent, "Cannot open project", f"{path.name}: {exc.strerror or exc}"
            )
            return False
        self.set_project(project, path)
        return True

    def set_project(
        self, project: Project, path: str | Path | None = None, *, dirty: bool = False
    ) -> None:
        """Make ``project`` the open project (clears undo history; ``dirty`` for recovered ones)."""
        old = self._project
        self.wait_for_autosave()
        self._unsubscribe_project()
        self._autosave_timer.stop()
        self._pending_since = None
        if old is not project:
            core_autosave.clear_autosave(old.id)
        self._project = project
        self._path = Path(path) if path else None
        self._force_dirty = dirty
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self._subscribe()
        self.projectReplaced.emit()
        self.pathChanged.emit(self._path)
        self._update_dirty()
        if dirty:
            self._schedule_autosave()

    def save(self) -> bool:
        """Save to the current file; False when there is none (ask for a name) or on error."""
        if self._path is None:
            return False
        return self.save_as(self._path)

    def save_as(self, path: str | Path) -> bool:
        """Save atomically to ``path`` (``.lbpo`` is appended when missing); False on error."""
        path = Path(path)
        if self._project.name == DEFAULT_PROJECT_NAME:
            stem = path.stem if path.suffix.lower() == ".lbpo" else path.name
            if stem.strip():
                self._project.set_project_field("name", stem)
        self.wait_for_autosave()
        try:
            saved = save_project(self._project, path)
        except ProjectFileError as exc:
            dialogs.critical(self.dialog_parent, "Cannot save project", str(exc))
            return False
        changed = saved != self._path
        self._path = saved
        self._force_dirty = False
        self._autosave_timer.stop()
        self._pending_since = None
        self.undo_stack.setClean()
        core_autosave.clear_autosave(self._project.id)
        if changed:
            self.pathChanged.emit(self._path)
        self._update_dirty()
        return True

    def close(self) -> None:
        """Forget the project cleanly: stop autosaving and delete its autosave."""
        if self._closed:
            return
        self._autosave_timer.stop()
        self.wait_for_autosave()
        self._closed = True
        self._unsubscribe_project()
        core_autosave.clear_autosave(self._project.id)
        # QUndoStack's destructor clears the stack and emits cleanChanged, undoTextChanged...
        # into the slots of half-destroyed Python objects, and deletes commands whose Python
        # halves the garbage collector may have taken already. A closed document needs no
        # history: drop it now, while everything is alive, and say nothing more.
        self.undo_stack.blockSignals(True)
        self.undo_stack.clear()

    # ------------------------------------------------------------------ autosave
    def autosave_now(self) -> Path | None:
        """Write the autosave now, on this thread; returns its path (None on failure or when
        closed). The timer uses :meth:`autosave_in_background` instead."""
        if self._closed:
            return None
        self._autosave_timer.stop()
        self._pending_since = None
        self.wait_for_autosave()
        try:
            written = core_autosave.write_autosave(self._project, self._path)
        except (OSError, ProjectFileError, ValueError, TypeError) as exc:
            self.autosaveFailed.emit(str(exc))
            return None
        self.autosaved.emit(written)
        return written

    def autosave_in_background(self) -> bool:
        """Take a snapshot of the project here (cheap: arrays are shared) and serialise and
        write it in a worker, so the window pauses only for the snapshot. Returns False when
        an autosave is already being written (it is then repeated once that one is done)."""
        if self._closed:
            return False
        self._autosave_timer.stop()
        self._pending_since = None
        if self._autosave_worker is not None:
            self._autosave_again = True
            return False
        snap = snapshot_project(self._project)
        path = self._path

        def job(ctx: TaskContext) -> Path:
            return core_autosave.write_autosave(snap, path)

        worker = Worker(job)
        self._autosave_worker = worker
        worker.finished.connect(lambda written, w=worker: self._on_autosave_written(w, written))
        worker.failed.connect(lambda exc, w=worker: self._on_autosave_failed(w, exc))
        worker.start()
        return True

    def wait_for_autosave(self, timeout_s: float = 30.0) -> None:
        """Block until a background autosave has been written (close, explicit saves)."""
        worker = self._autosave_worker
        if worker is not None:
            worker.wait(timeout_s)
            QCoreApplication.sendPostedEvents()  # deliver its result now
            if self._autosave_worker is worker:
                self._autosave_worker = None

    def _on_autosave_written(self, worker: Worker, written: object) -> None:
        if self._autosave_worker is not worker:
            return  # waited for already; the file is there, nothing more to say
        self._autosave_worker = None
        if self._closed:
            return
        if not self.is_dirty():  # saved meanwhile: the autosave is not needed any more
            core_autosave.clear_autosave(self._project.id)
        else:
            self.autosaved.emit(written)
        if self._autosave_again:
            self._autosave_again = False
            self._schedule_autosave()

    def _on_autosave_failed(self, worker: Worker, exc: object) -> None:
        if self._autosave_worker is not worker:
            return
        self._autosave_worker = None
        if not self._closed:
            self.autosaveFailed.emit(str(exc))

    def _schedule_autosave(self) -> None:
        if self._autosave_delay_ms <= 0 or self._closed:
            return
        now = time.monotonic()
        if self._pending_since is None:
            self._pending_since = now
        if now - self._pending_since >= self.MAX_AUTOSAVE_WAIT_S:
            self._autosave_timer.start(0)
        else:
            self._autosave_timer.start(self._autosave_delay_ms)

    @Slot()
    def _on_autosave_timer(self) -> None:
        self._pending_since = None
        if self.is_dirty():
            self.autosave_in_background()

    # ------------------------------------------------------------------ internals
    def _subscribe(self) -> None:
        self._unsubscribe = self._project.events.subscribe(self._on_project_event)

    def _unsubscribe_project(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _on_project_event(self, event: ProjectEvent) -> None:
        self.projectChanged.emit(event)
        self._schedule_autosave()

    @Slot()
    def _update_dirty(self) -> None:
        dirty = self.is_dirty()
        if dirty != self._last_dirty:
            self._last_dirty = dirty
            if not dirty:
                self._autosave_timer.stop()
                self._pending_since = None
                if not self._closed:
                    core_autosave.clear_autosave(self._project.id)
            self.dirtyChanged.emit(dirty)
