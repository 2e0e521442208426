"""Importing instrument files into a sample: sniff, read in a worker, one undo step.

The controller checks each file's format in the GUI thread (only the first 64 KB are read),
refuses files no reader recognises with a message, reads the rest in a :class:`~.workers.Worker`
with a progress dialog and Cancel, and adds all tables with one
:class:`~.commands.ImportDatasets` command. A reader error names the file and line; the project
is then left unchanged (all or nothing).

A file no reader recognises but that looks like a table (``.csv .txt .tsv .dat`` text, sniffed
delimited text, or an ``.xlsx`` workbook) can be read with the column-mapping dialog
(:mod:`.column_map_dialog`) instead: the user is asked first (non-interactive: no). Mapped tables
are added in the same worker run and the same :class:`~.commands.ImportDatasets` command as the
recognised files. :meth:`ImportController.import_with_mapping` opens the dialog directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from ..core.errors import LbpoError, ProjectError, ReaderError
from ..core.project import Dataset
from ..core.project.container import PROJECT_SUFFIX
from ..core.readers import ImportedData, choose_reader, read, readers
from ..core.readers.text import (
    decode_bytes,
    detect_decimal,
    detect_delimiter,
    is_number,
    looks_binary,
    read_head,
    split_fields,
    split_lines,
)
from ..core.readers.xlsx import is_zip
from . import column_map_dialog, crash, dialogs
from .commands import ImportDatasets
from .document import ProjectDocument
from .settings import app_settings, last_directory, set_last_directory
from .workers import TaskContext, Worker

#: Original files up to this size are stored in the project (raw/ members) for provenance.
KEEP_RAW_MAX_BYTES = 64 * 1024 * 1024


#: Text files with these suffixes are offered the column-mapping dialog without sniffing.
TABLE_TEXT_SUFFIXES = (".csv", ".txt", ".tsv", ".dat")
#: Workbooks offered the column-mapping dialog.
TABLE_XLSX_SUFFIXES = (".xlsx", ".xlsm")
MAPPING_FILTER = (
    "Tables (*.csv *.txt *.tsv *.dat *.xlsx);;Text tables (*.csv *.txt *.tsv *.dat);;"
    "Excel workbooks (*.xlsx);;All files (*)"
)
#: The start of the ReaderError reason of :func:`~lbpo_gui.core.readers.choose_reader` when no
#: reader fits (other reasons, e.g. an empty or unreadable file, are not offered the mapping).
_NO_READER = "no reader recognises"


def looks_like_table(path: str | Path) -> bool:
    """Whether ``path`` looks like delimited text or an xlsx workbook (for the column mapping).

    Text with a table suffix only needs to be non-empty text; other text needs at least two
    lines that split into the same number (2 or more) of mostly numeric fields.
    """
    path = Path(path)
    try:
        head = read_head(path, 64 * 1024)
    except ReaderError:
        return False
    if not head.strip():
        return False
    suffix = path.suffix.lower()
    if is_zip(head):
        return suffix in TABLE_XLSX_SUFFIXES or b"xl/workbook" in head
    if looks_binary(head):
        return False
    if suffix in TABLE_TEXT_SUFFIXES:
        return True
    try:
        text, _ = decode_bytes(head, partial=True)
    except (UnicodeDecodeError, ValueError):
        return False
    lines = [ln for ln in split_lines(text)[:300] if ln.strip()]
    if len(lines) < 2:
        return False
    body = lines[len(lines) // 3 :] or lines
    delimiter = detect_delimiter(body)
    decimal = detect_decimal(body, delimiter)
    widths: dict[int, int] = {}
    for line in body:
        fields = split_fields(line, delimiter)
        numeric = sum(is_number(f, decimal) for f in fields if f.strip())
        if len(fields) >= 2 and numeric * 2 >= len(fields):
            widths[len(fields)] = widths.get(len(fields), 0) + 1
    return max(widths.values(), default=0) >= 2


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
        accepted, refused, tables = self._sort_files(paths)
        mapped: list[tuple[Path, list[ImportedData]]] = []
        cancelled = 0
        if tables:
            mapped, not_mapped, cancelled = self._offer_mapping(tables)
            refused += not_mapped
        if refused:
            tail = "" if accepted or mapped else "\n\nNothing was imported."
            dialogs.warning(
                self.parent_widget,
                "Cannot import",
                "These files were not imported:\n\n" + "\n".join(refused) + tail,
            )
        if not accepted and not mapped:
            if cancelled:
                self.message.emit("Import cancelled; nothing was imported.")
            self.finished.emit(0)
            return False
        first = accepted[0] if accepted else mapped[0][0]
        return self._start(sample_id, first, accepted, mapped)

    def import_with_mapping(
        self, path: str | Path | None = None, sample_id: str | None = None
    ) -> bool:
        """Read ``path`` (asked for when None) with the column-mapping dialog into ``sample_id``.

        Without a sample the user is asked for one, as for other imports. True if the import
        started (it ends with :attr:`finished`, in one undo step).
        """
        if isinstance(path, bool):  # a QAction's triggered(checked)
            path = None
        if self.worker is not None:
            dialogs.information(self.parent_widget, "Import", "An import is already running.")
            return False
        if path is None:
            settings = app_settings()
            chosen = dialogs.open_file_name(
                self.parent_widget,
                "Import with column mapping",
                last_directory(settings, "import"),
                MAPPING_FILTER,
            )
            if not chosen:
                return False
            set_last_directory(settings, "import", chosen)
            path = chosen
        path = Path(path)
        tables = column_map_dialog.map_columns(self.parent_widget, path)
        if not tables:
            self.message.emit("Import cancelled; nothing was imported.")
            self.finished.emit(0)
            return False
        return self._start(sample_id, path, [], [(path, tables)])

    def _start(
        self,
        sample_id: str | None,
        first: Path,
        accepted: list[Path],
        mapped: list[tuple[Path, list[ImportedData]]],
    ) -> bool:
        target = self._choose_target(sample_id, [first])
        if target is None:
            self.message.emit("Import cancelled: no sample chosen.")
            self.finished.emit(0)
            return False
        self._target = target
        self._paths = accepted + [p for p, _ in mapped]
        self._start_worker(accepted, mapped)
        return True

    def _offer_mapping(
        self, files: list[tuple[Path, str]]
    ) -> tuple[list[tuple[Path, list[ImportedData]]], list[str], int]:
        """Ask whether to map the columns of unrecognised tables; (mapped, refused, cancelled)."""
        names = [p.name for p, _ in files]
        if len(files) == 1:
            what = f"No reader recognises \u201c{names[0]}\u201d, but it looks like a table"
        else:
            what = (
                f"No reader recognises these {len(files)} files, but they look like tables"
                + "".join(f"\n    {n}" for n in names)
                + "\n"
            )
        text = (
            f"{what} (delimited text or an Excel workbook).\n\n"
            "Map columns\u2026: choose the time, voltage and current columns and their units "
            f"by hand{' for each file' if len(files) > 1 else ''}?"
        )
        if not dialogs.ask_yes_no(self.parent_widget, "Map columns\u2026", text, default=False):
            return [], [reason for _, reason in files], 0
        mapped: list[tuple[Path, list[ImportedData]]] = []
        cancelled = 0
        for path, _ in files:
            tables = column_map_dialog.map_columns(self.parent_widget, path)
            if tables:
                mapped.append((path, tables))
            else:
                cancelled += 1
        return mapped, [], cancelled

    def check_files(self, paths: Sequence[str | Path]) -> tuple[list[Path], list[str]]:
        """(files a reader recognises, one-line reasons for the others)."""
        accepted, refused, tables = self._sort_files(paths)
        return accepted, refused + [reason for _, reason in tables]

    def _sort_files(
        self, paths: Sequence[str | Path]
    ) -> tuple[list[Path], list[str], list[tuple[Path, str]]]:
        """(recognised files, reasons for refused ones, (path, reason) of unrecognised tables)."""
        accepted: list[Path] = []
        refused: list[str] = []
        tables: list[tuple[Path, str]] = []
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
                if exc.reason.startswith(_NO_READER) and looks_like_table(p):
                    tables.append((p, str(exc)))
                else:
                    refused.append(str(exc))
                continue
            accepted.append(p)
        return accepted, refused, tables

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

    def _start_worker(
        self, paths: list[Path], mapped: Sequence[tuple[Path, list[ImportedData]]] = ()
    ) -> None:
        """Read ``paths`` and wrap them and the already ``mapped`` tables as datasets."""
        n = len(paths) + len(mapped)
        mapped = list(mapped)

        def job(ctx: TaskContext) -> list[Dataset]:
            out: list[Dataset] = []
            for i, p in enumerate(paths):
                ctx.check_cancelled()
                ctx.progress(i / n, f"Reading {p.name}\u2026")
                for table in read(p):
                    keep_raw = p.stat().st_size <= KEEP_RAW_MAX_BYTES
                    out.append(Dataset.from_import(table, p, keep_raw=keep_raw))
            for i, (p, tables) in enumerate(mapped, start=len(paths)):
                ctx.check_cancelled()
                ctx.progress(i / n, f"Adding {p.name}\u2026")
                keep_raw = p.stat().st_size <= KEEP_RAW_MAX_BYTES
                for table in tables:
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
