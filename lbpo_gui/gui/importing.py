"""Importing instrument files into a sample: sniff, read in a worker, one undo step.

The controller checks each file's format in the GUI thread (only the first 64 KB are read),
refuses files no reader recognises with a message, reads the rest in a :class:`~.workers.Worker`
with a progress dialog and Cancel, and adds all tables with one
:class:`~.commands.ImportDatasets` command. A reader error names the file and line; the project
is then left unchanged (all or nothing).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from ..core.errors import LbpoError, ProjectError, ReaderError
from ..core.project import Dataset
from ..core.project.container import PROJECT_SUFFIX
from ..core.readers import choose_reader, read, readers
from . import crash, dialogs
from .commands import ImportDatasets
from .document import ProjectDocument
from .workers import TaskContext, Worker

#: Original files up to this size are stored in the project (raw/ members) for provenance.
KEEP_RAW_MAX_BYTES = 64 * 1024 * 1024


def import_filters() -> str:
    """File-dialog filters built from the registered readers."""
    patterns = sorted({p for r in readers() for p in r.patterns})
    parts = []
    if patterns:
        parts.append(f"Instrument data ({' '.join(patterns)})")
        for r in sorted(readers(), key=lambda r: r.name):
            if r.patterns:
                desc = r.description or r.name
                parts.append(f"{desc} ({' '.join(r.patterns)})")
    parts.append("All files (*)")
    return ";;".join(parts)


class ImportController(QObject):
    """Runs imports for one main window (one at a time)."""

    #: Number of datasets added (0 when refused, cancelled or failed).
    finished = Signal(int)
    #: A short text for the status bar.
    message = Signal(str)
    #: The sample that received the datasets (to select it).
    imported = Signal(str, list)

    def __init__(self, document: ProjectDocument, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self.document = document
        self.parent_widget = parent_widget
        self.worker: Worker | None = None
        self.progress_dialog: QProgressDialog | None = None
        self._target: tuple[str | None, str | None] = (None, None)
        self._paths: list[Path] = []

    def is_busy(self) -> bool:
        """Whether an import is running."""
        return self.worker is not None

    # ------------------------------------------------------------ start
    def import_files(self, paths: Sequence[str | Path], sample_id: str | None) -> bool:
        """Import ``paths`` into ``sample_id`` (or a new sample, asked for); True if started."""
        if self.worker is not None:
            dialogs.information(self.parent_widget, "Import", "An import is already running.")
            return False
        accepted, refused = self.check_files(paths)
        if refused:
            tail = "" if accepted else "\n\nNothing was imported."
            dialogs.warning(
                self.parent_widget,
                "Cannot import",
                "These files were not imported:\n\n" + "\n".join(refused) + tail,
            )
        if not accepted:
            self.finished.emit(0)
            return False
        target = self._choose_target(sample_id, accepted)
        if target is None:
            self.message.emit("Import cancelled: no sample chosen.")
            self.finished.emit(0)
            return False
        self._target = target
        self._paths = accepted
        self._start_worker(accepted)
        return True

    def check_files(self, paths: Sequence[str | Path]) -> tuple[list[Path], list[str]]:
        """(files a reader recognises, one-line reasons for the others)."""
        accepted: list[Path] = []
        refused: list[str] = []
        for raw in paths:
            p = Path(raw)
            if p.is_dir():
                refused.append(f"{p.name}: is a folder (drop the files inside it)")
                continue
            if p.suffix.lower() == PROJECT_SUFFIX:
                refused.append(f"{p.name}: is a project; open it with File \u25b8 Open")
                continue
            try:
                choose_reader(p)
            except ReaderError as exc:
                refused.append(str(exc))
                continue
            accepted.append(p)
        return accepted, refused

    def _choose_target(
        self, sample_id: str | None, paths: list[Path]
    ) -> tuple[str | None, str | None] | None:
        project = self.document.project
        if sample_id:
            try:
                project.sample(sample_id)
                return sample_id, None
            except ProjectError:
                pass
        name = dialogs.ask_text(
            self.parent_widget,
            "Import into a new sample",
            "No sample is selected. Name of the sample for the imported data\n"
            "(an existing sample's name adds the data to it):",
            paths[0].stem,
        )
        if name is None or not name.strip():
            return None
        name = name.strip()
        for s in project.samples:
            if s.name.casefold() == name.casefold():
                return s.id, None
        return None, name

    def _start_worker(self, paths: list[Path]) -> None:
        n = len(paths)

        def job(ctx: TaskContext) -> list[Dataset]:
            out: list[Dataset] = []
            for i, p in enumerate(paths):
                ctx.check_cancelled()
                ctx.progress(i / n, f"Reading {p.name}\u2026")
                for table in read(p):
                    keep_raw = p.stat().st_size <= KEEP_RAW_MAX_BYTES
                    out.append(Dataset.from_import(table, p, keep_raw=keep_raw))
            ctx.progress(1.0, "Adding to the project\u2026")
            return out

        dialog = QProgressDialog(
            f"Reading {n} file{'s' if n != 1 else ''}\u2026", "Cancel", 0, 1000, self.parent_widget
        )
        dialog.setWindowTitle("Import data")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setValue(0)
        self.progress_dialog = dialog
        worker = Worker(job, self)
        worker.progress.connect(self._on_progress)
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_failed)
        worker.cancelled.connect(self._on_cancelled)
        dialog.canceled.connect(worker.cancel)
        self.worker = worker
        self.message.emit(f"Importing {n} file{'s' if n != 1 else ''}\u2026")
        worker.start()

    def cancel(self) -> None:
        """Cancel the running import (nothing is added)."""
        if self.worker is not None:
            self.worker.cancel()

    # ------------------------------------------------------------ results
    def _end(self) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.canceled.disconnect()
            self.progress_dialog.reset()
            self.progress_dialog.hide()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None
        if self.worker is not None:
            self.worker.deleteLater()
        self.worker = None

    @Slot(float, str)
    def _on_progress(self, fraction: float, text: str) -> None:
        dialog = self.progress_dialog
        if dialog is None:
            return
        if text:
            dialog.setLabelText(text)
        # setValue of a modal progress dialog processes events: the import may end inside it.
        dialog.setValue(int(fraction * 1000))

    @Slot(object)
    def _on_finished(self, datasets: list[Dataset]) -> None:
        self._end()
        sample_id, new_name = self._target
        if not datasets:
            dialogs.warning(self.parent_widget, "Cannot import", "The files hold no data.")
            self.finished.emit(0)
            return
        command = ImportDatasets(self.document, sample_id, datasets, new_sample_name=new_name)
        try:
            self.document.push(command)
        except ProjectError as exc:
            dialogs.warning(self.parent_widget, "Cannot import", f"{exc}\n\nNothing was imported.")
            self.finished.emit(0)
            return
        n = len(datasets)
        files = ", ".join(p.name for p in self._paths)
        self.message.emit(f"Imported {n} dataset{'s' if n != 1 else ''} from {files}.")
        self.imported.emit(command.sample_id or "", [d.id for d in datasets])
        self.finished.emit(n)

    @Slot(object)
    def _on_failed(self, exc: object) -> None:
        self._end()
        if isinstance(exc, LbpoError | OSError):
            text = str(exc)
            if isinstance(exc, OSError) and not isinstance(exc, LbpoError):
                text = f"{getattr(exc, 'filename', '') or ''}: {exc.strerror or exc}".lstrip(": ")
            dialogs.warning(self.parent_widget, "Cannot import", f"{text}\n\nNothing was imported.")
        else:
            assert isinstance(exc, BaseException)
            log = crash.write_crash_log(type(exc), exc, exc.__traceback__)
            where = f"\n\nDetails: {log}" if log else ""
            dialogs.critical(
                self.parent_widget,
                "Import failed",
                f"{type(exc).__name__}: {exc}\n\nNothing was imported.{where}",
            )
        self.message.emit("Import failed; nothing was imported.")
        self.finished.emit(0)

    @Slot()
    def _on_cancelled(self) -> None:
        self._end()
        self.message.emit("Import cancelled; nothing was imported.")
        self.finished.emit(0)
