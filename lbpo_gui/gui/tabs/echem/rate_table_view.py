"""Sub-tab "Rate table": the study's Table 1 layout and the long-term table, with export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ....core.errors import LbpoError
from ....core.report.export import table_text, write_csv, write_xlsx
from ... import dialogs
from ...analysis.views import note_label
from .common import EchemState, EchemView
from .compute import ReportTables
from .models import CopyTableView, RecordsModel

CSV_FILTER = "CSV files (*.csv);;All files (*)"
XLSX_FILTER = "Excel workbooks (*.xlsx);;All files (*)"
RATE_FILE = "table1_rate_capability"
LONG_FILE = "cycling_long_term"
RATE_SHEET = "Table 1 rate capability"
LONG_SHEET = "Table S1 long-term"


def _with_suffix(path: str, suffix: str) -> Path:
    p = Path(path)
    return p if p.suffix.lower() == suffix else p.with_name(p.name + suffix)


class RateTableView(EchemView):
    """All samples in the layout of Table 1, and the long-term retention table."""

    title = "Rate table"
    per_dataset = False
    #: A sample row was double-clicked (its id).
    sampleActivated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state: EchemState | None = None
        self.tables: ReportTables | None = None
        #: Where the export dialogs start (the tab points it at the project's folder).
        self.default_folder: Callable[[], Path] = Path.home
        self.rate_model = RecordsModel(self)
        self.rate_view = CopyTableView()
        self.rate_view.setObjectName("rateTable")
        self.rate_view.setModel(self.rate_model)
        self.rate_view.doubleClicked.connect(self._activated)
        self.long_model = RecordsModel(self)
        self.long_view = CopyTableView()
        self.long_view.setObjectName("longTermTable")
        self.long_view.setModel(self.long_model)
        self.long_view.doubleClicked.connect(self._activated)
        for view in (self.rate_view, self.long_view):
            view.horizontalHeader().setMinimumHeight(3 * view.fontMetrics().height() + 8)

        self.copy_button = QPushButton("Copy")
        self.copy_button.setObjectName("copyRateTable")
        self.copy_button.setToolTip(
            "Copy the rate table as tab-separated text (paste into a sheet)"
        )
        self.copy_button.clicked.connect(self.copy_rate)
        self.csv_button = QPushButton("CSV\u2026")
        self.csv_button.setToolTip("Export the rate table as CSV")
        self.csv_button.setObjectName("exportRateCsv")
        self.csv_button.clicked.connect(self.export_csv)
        self.xlsx_button = QPushButton("XLSX\u2026")
        self.xlsx_button.setObjectName("exportRateXlsx")
        self.xlsx_button.setToolTip("Both tables in one workbook, one sheet each")
        self.xlsx_button.clicked.connect(self.export_xlsx)
        self.long_copy_button = QPushButton("Copy")
        self.long_copy_button.setObjectName("copyLongTable")
        self.long_copy_button.clicked.connect(self.copy_long)
        self.long_csv_button = QPushButton("CSV\u2026")
        self.long_csv_button.setToolTip("Export the long-term table as CSV")
        self.long_csv_button.setObjectName("exportLongCsv")
        self.long_csv_button.clicked.connect(self.export_long_csv)

        self.rate_title = QLabel()
        self.rate_title.setTextFormat(Qt.TextFormat.RichText)
        self.long_title = QLabel()
        self.long_title.setTextFormat(Qt.TextFormat.RichText)
        for title in (self.rate_title, self.long_title):  # titles wrap instead of widening
            title.setWordWrap(True)
            title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.rate_note = note_label()
        self.long_note = note_label()

        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.rate_title, 1)
        for b in (self.copy_button, self.csv_button, self.xlsx_button):
            row.addWidget(b)
        tl.addLayout(row)
        tl.addWidget(self.rate_view, 1)
        tl.addWidget(self.rate_note)
        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 6, 0, 0)
        row2 = QHBoxLayout()
        row2.addWidget(self.long_title, 1)
        row2.addWidget(self.long_copy_button)
        row2.addWidget(self.long_csv_button)
        bl.addLayout(row2)
        bl.addWidget(self.long_view, 1)
        bl.addWidget(self.long_note)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([420, 240])
        layout = QVBoxLayout(self.content)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(splitter)

    # ------------------------------------------------------------ render
    def render(self, state: EchemState, force: bool = False) -> None:
        self._state = state
        super().render(state, force)

    def render_key(self, state: EchemState) -> Any:
        project = state.project
        return (id(project), project.revision if project else -1, state.selected_sample_id())

    def render_content(self, state: EchemState) -> None:
        if state.project is None or not state.project.samples:
            self.show_message("The project has no samples yet.")
            return
        tables = state.data.report_tables(state.project)
        if tables is None:
            self.show_message("Computing the rate table\u2026", busy=True)
            return
        self.tables = tables
        highlight = state.sample.name if state.sample is not None else ""
        self.rate_model.set_table(tables.rate_columns, tables.rate_rows, highlight)
        self.long_model.set_table(tables.long_columns, tables.long_rows, highlight)
        self.rate_view.fit_columns(minimum=60, maximum=200)
        self.long_view.fit_columns(minimum=60, maximum=200)
        n, m = len(tables.rate_rows), len(tables.long_rows)
        self.rate_title.setText(
            f"<b>Rate capability</b> (layout of the study's Table 1) \u2014 {n} "
            f"sample{'s' if n != 1 else ''}"
        )
        self.long_title.setText(
            f"<b>Long-term cycling</b> (Table S1) \u2014 {m} sample{'s' if m != 1 else ''}"
        )
        in_rate = {r.get("sample") for r in tables.rate_rows}
        in_long = {r.get("sample") for r in tables.long_rows}
        no_rate = [s.name for s in state.project.samples if s.name not in in_rate]
        no_long = [s.name for s in state.project.samples if s.name not in in_long]
        rate_notes = [
            "Discharge capacity of each step's representative cycle (mAh/g); CE of cycle 1; "
            "retention = last step / first step \u00d7 100. Computed from the raw data with each "
            "dataset's stored settings. Double-click a row to select the sample."
        ]
        if tables.error:
            rate_notes.append(f"Could not compute: {tables.error}")
        if no_rate:
            rate_notes.append(f"No rate test: {', '.join(no_rate)}.")
        self.rate_note.setText(" ".join(rate_notes))
        self.long_note.setText(
            "Discharge capacity of cycle 1 and the last cycle of each sample's longest "
            "single-rate test; retention = last / first \u00d7 100."
            + (f" No long test: {', '.join(no_long)}." if no_long and m else "")
        )
        for w in (self.copy_button, self.csv_button, self.xlsx_button):
            w.setEnabled(bool(tables.rate_rows) or bool(tables.long_rows))
        self.long_copy_button.setEnabled(bool(tables.long_rows))
        self.long_csv_button.setEnabled(bool(tables.long_rows))

    @Slot(QModelIndex)
    def _activated(self, index: QModelIndex) -> None:
        state = self._state
        model = index.model()
        if state is None or state.project is None or not isinstance(model, RecordsModel):
            return
        name = model.rows[index.row()].get("sample")
        for s in state.project.samples:
            if s.name == name:
                self.sampleActivated.emit(s.id)
                return

    # ------------------------------------------------------------ copy / export
    def _status(self, text: str) -> None:
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, 6000)

    def _start_dir(self, name: str) -> str:
        return str(self.default_folder() / name)

    @Slot()
    def copy_rate(self) -> str:
        """Put the rate table on the clipboard as TSV (the CSV's columns); returns the text."""
        if self.tables is None:
            return ""
        text = table_text(self.tables.rate_columns, self.tables.rate_rows, sep="\t")
        QGuiApplication.clipboard().setText(text)
        self._status("Rate table copied (tab-separated)")
        return text

    @Slot()
    def copy_long(self) -> str:
        """Put the long-term table on the clipboard as TSV; returns the text."""
        if self.tables is None:
            return ""
        text = table_text(self.tables.long_columns, self.tables.long_rows, sep="\t")
        QGuiApplication.clipboard().setText(text)
        self._status("Long-term table copied (tab-separated)")
        return text

    def _write(self, what: str, writer: Any) -> Path | None:
        try:
            path = writer()
        except (OSError, LbpoError) as exc:
            dialogs.critical(self, f"Cannot export the {what}", str(exc))
            return None
        self._status(f"Exported the {what} to {path}")
        return path

    @Slot()
    def export_csv(self) -> Path | None:
        """Ask for a file and write the rate table as CSV."""
        if self.tables is None:
            return None
        chosen = dialogs.save_file_name(
            self, "Export the rate table", self._start_dir(f"{RATE_FILE}.csv"), CSV_FILTER
        )
        if not chosen:
            return None
        path = _with_suffix(chosen, ".csv")
        t = self.tables
        return self._write("rate table", lambda: write_csv(path, t.rate_columns, t.rate_rows))

    @Slot()
    def export_long_csv(self) -> Path | None:
        """Ask for a file and write the long-term table as CSV."""
        if self.tables is None:
            return None
        chosen = dialogs.save_file_name(
            self, "Export the long-term table", self._start_dir(f"{LONG_FILE}.csv"), CSV_FILTER
        )
        if not chosen:
            return None
        path = _with_suffix(chosen, ".csv")
        t = self.tables
        return self._write("long-term table", lambda: write_csv(path, t.long_columns, t.long_rows))

    @Slot()
    def export_xlsx(self) -> Path | None:
        """Ask for a file and write both tables to one workbook."""
        if self.tables is None:
            return None
        chosen = dialogs.save_file_name(
            self, "Export the tables", self._start_dir(f"{RATE_FILE}.xlsx"), XLSX_FILTER
        )
        if not chosen:
            return None
        path = _with_suffix(chosen, ".xlsx")
        t = self.tables
        sheets = {
            RATE_SHEET: (t.rate_columns, t.rate_rows),
            LONG_SHEET: (t.long_columns, t.long_rows),
        }
        return self._write("tables", lambda: write_xlsx(path, sheets))
