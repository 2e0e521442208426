"""The Summary tab: the study's tables rebuilt from the project, and figures across techniques.

- A samples x techniques matrix (grouped by coating: LPO level, then LBO content) says what each
  sample has: no data, data not analysed, analysed, stale (inputs changed since), failed. A
  "Compute missing" button runs every missing or stale analysis in a worker and stores them as one
  undo step.
- The study's tables (Table 1, Table 2, Table S1, XPS components, EDS interlayer), computed by
  the core's report builders, never typed in; copy and CSV/XLSX export per table, and one
  workbook with a sheet per table. Double-clicking a row opens that sample's data in its tab.
- "Across samples": any figure against any other (or against the coating content, one curve per
  LPO level), the samples named on the points and Pearson's r and Spearman's rho stated.

Everything is recomputed when the project changes (a mass edit in the Electrochemistry tab shows
here at once, undo too); large projects compute in a worker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.project import Project, rules
from ...core.project.events import ProjectEvent
from ...core.report.correlation import correlation
from ...core.report.export import table_text, write_xlsx
from ...core.report.study import STUDY_TABLES, TABLE_TITLES, study_tables
from ...core.report.summary import (
    ANALYSED,
    FAILED,
    NO_DATA,
    STALE,
    TECHNIQUES,
    analyses_to_compute,
    figure_names,
    figures_by_sample,
    status_matrix,
)
from .. import dialogs
from ..analysis.export import XLSX_FILTER, ExportButton, TableExportButton
from ..analysis.plots import SideLegend, new_plot
from ..analysis.runner import Runner, TaskContext
from ..analysis.snapshots import snapshot_dataset, snapshot_sample
from ..analysis.views import note_label
from ..commands import CompositeCommand, SetAnalysis
from ..kinds import format_number
from ..plotting import PALETTE
from .base import WorkbenchTab
from .dataset_tab import hint_label, table_item
from .echem.models import CopyTableView, RecordsModel

#: The dataset kind a table's rows come from (double-click opens that tab).
TABLE_KINDS = {
    "table1_rate_capability.csv": "cycling",
    "table2_impedance.csv": "impedance",
    "cycling_170mA_g_100cycles.csv": "cycling",
    "xps_components.csv": "xps",
    "eds_interlayer_thickness.csv": "eds_profile",
}
#: Short titles of the table sub-tabs.
TABLE_TAB_TITLES = {
    "table1_rate_capability.csv": "Table 1",
    "table2_impedance.csv": "Table 2",
    "cycling_170mA_g_100cycles.csv": "Table S1",
    "xps_components.csv": "XPS",
    "eds_interlayer_thickness.csv": "EDS",
}
STATUS_COLORS = {
    NO_DATA: "#ffffff",
    ANALYSED: "#dff0d8",
    STALE: "#fcf0cf",
    FAILED: "#f8d7da",
}
#: Quiet time after the last edit before the tables are rebuilt, ms.
TABLES_DELAY_MS = 250
MATRIX_COLUMNS = ("Sample", "LBO (wt%)", "LPO (wt%)", "Active mass (mg)") + tuple(
    title for title, _ in TECHNIQUES
)


@dataclass
class SummaryData:
    """The tables and figures of one state of the project."""

    tables: dict[str, tuple[list[str], list[dict[str, Any]]]] = field(default_factory=dict)
    figures: dict[str, dict[str, float]] = field(default_factory=dict)
    error: str = ""


def _compute(project: Any) -> SummaryData:
    try:
        tables = study_tables(project)
    except Exception as exc:  # shown in the tab, never a crash
        return SummaryData(error=rules.error_text(exc))
    return SummaryData(tables, figures_by_sample(project, tables))


def _snapshot(project: Project) -> Project:
    from ...core.project.snapshot import snapshot_project

    return snapshot_project(project)


class TableView(QWidget):
    """One study table: title, Copy, Export, and the rows."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.title = QLabel(f"<b>{TABLE_TITLES.get(name, name)}</b> \u2014 {name}")
        self.title.setWordWrap(True)
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.model = RecordsModel(self)
        self.view = CopyTableView()
        self.view.setObjectName(f"summary_{name.removesuffix('.csv')}")
        self.view.setModel(self.model)
        self.view.horizontalHeader().setMinimumHeight(3 * self.view.fontMetrics().height() + 8)
        self.copy_button = QPushButton("Copy")
        self.copy_button.setToolTip("Copy the table as tab-separated text (paste into a sheet)")
        self.copy_button.clicked.connect(self.copy)
        self.export_button = TableExportButton(
            lambda: (self.model.column_names, self.model.rows), name.removesuffix(".csv")
        )
        row = QHBoxLayout()
        row.addWidget(self.title, 1)
        row.addWidget(self.copy_button)
        row.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)

    def set_rows(self, columns: list[str], rows: list[dict[str, Any]]) -> None:
        """Show the table."""
        self.model.set_table(columns, rows)
        self.view.resizeColumnsToContents()

    @Slot()
    def copy(self) -> str:
        """The whole table on the clipboard as TSV; returns the text."""
        text = table_text(self.model.column_names, self.model.rows, sep="\t")
        QGuiApplication.clipboard().setText(text)
        return text


class CrossView(QWidget):
    """Any per-sample figure against any other, with the sample names and the correlation."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figures: dict[str, dict[str, float]] = {}
        self.x_combo = QComboBox()
        self.x_combo.setObjectName("crossX")
        self.y_combo = QComboBox()
        self.y_combo.setObjectName("crossY")
        for combo in (self.x_combo, self.y_combo):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(18)
            combo.currentIndexChanged.connect(self.redraw)
        self.plot_widget = new_plot("", "")
        self.plot_widget.setObjectName("crossPlot")
        self.plot_item = self.plot_widget.getPlotItem()
        self.legend = SideLegend(self.plot_item)
        self.note = note_label()
        self.export_button = ExportButton(self.plot_widget, "across_samples")
        top = QHBoxLayout()
        top.addWidget(QLabel("x"))
        top.addWidget(self.x_combo, 1)
        top.addWidget(QLabel("y"))
        top.addWidget(self.y_combo, 1)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.plot_widget, 1)
        layout.addWidget(self.note)

    def set_figures(self, figures: dict[str, dict[str, float]]) -> None:
        """The figures per sample; keeps the chosen axes when they still exist."""
        self.figures = figures
        names = figure_names(figures)
        for combo, default in (
            (self.x_combo, "Table 2: R_electrode_SE_ohm"),
            (self.y_combo, "Table 1: first_cycle_ce_pct"),
        ):
            current = combo.currentText() or default
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(names)
            index = combo.findText(current)
            if index < 0:
                index = max(0, combo.findText(default))
            combo.setCurrentIndex(index)
            combo.blockSignals(False)
        self.redraw()

    def choose(self, x: str, y: str) -> None:
        """Pick the two figures (as a user would in the combos)."""
        self.x_combo.setCurrentIndex(self.x_combo.findText(x))
        self.y_combo.setCurrentIndex(self.y_combo.findText(y))

    @Slot()
    def redraw(self) -> None:
        """Draw y against x for every sample that has both."""
        item = self.plot_item
        item.clear()
        self.legend.clear()
        x_name, y_name = self.x_combo.currentText(), self.y_combo.currentText()
        item.setLabel("bottom", x_name)
        item.setLabel("left", y_name)
        pairs = [
            (name, f[x_name], f[y_name])
            for name, f in self.figures.items()
            if x_name in f and y_name in f
        ]
        if not pairs:
            self.note.setText("No sample has both figures.")
            return
        by_coating = x_name in ("LBO (wt%)", "LPO (wt%)")
        groups: dict[str, list[tuple[str, float, float]]] = {}
        for name, x, y in pairs:
            other = "LPO (wt%)" if x_name == "LBO (wt%)" else "LBO (wt%)"
            level = self.figures[name].get(other)
            key = f"{other.split()[0]} {format_number(level)} wt%" if by_coating else "samples"
            groups.setdefault(key, []).append((name, x, y))
        for k, (key, members) in enumerate(sorted(groups.items())):
            members.sort(key=lambda t: t[1])
            color = PALETTE[k % len(PALETTE)]
            xs = [m[1] for m in members]
            ys = [m[2] for m in members]
            curve = item.plot(
                xs,
                ys,
                pen=pg.mkPen(color, width=1) if by_coating else None,
                symbol="o",
                symbolSize=8,
                symbolBrush=pg.mkBrush(color),
                symbolPen=pg.mkPen(color),
                name=key,
            )
            if by_coating:
                self.legend.add(curve, key)
            for name, x, y in members:
                label = pg.TextItem(name, color="#303030", anchor=(0, 1))
                label.setPos(x, y)
                item.addItem(label)
        c = correlation([p[1] for p in pairs], [p[2] for p in pairs])
        self.note.setText(f"{y_name} against {x_name}: {c.text()}.")


class SummaryTab(WorkbenchTab):
    """The study's tables across samples, their status, and figures across techniques."""

    kinds = ()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = Runner(self)
        self.runner.finished.connect(lambda _c: self.request_refresh(deferred=True))
        self.data: SummaryData | None = None
        self._data_revision: tuple[str, int] | None = None
        self._tables_timer = QTimer(self)
        self._tables_timer.setSingleShot(True)
        self._tables_timer.setInterval(TABLES_DELAY_MS)
        self._tables_timer.timeout.connect(self._rebuild_tables)

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setContentsMargins(4, 4, 4, 4)
        self.compute_button = QPushButton("Compute missing")
        self.compute_button.setObjectName("computeMissing")
        self.compute_button.setToolTip(
            "Run every analysis that is missing or stale (inputs changed since), as one undo step"
        )
        self.compute_button.clicked.connect(self.compute_missing)
        self.figures_button = QPushButton("Figure set\u2026")
        self.figures_button.setObjectName("exportFigureSet")
        self.figures_button.setToolTip(
            "The study's panels (rate capability, V-Q profiles, Nyquist with fits, XPS fits, B 1s "
            "depth profile, EDS profiles) of the samples selected in the matrix (all when none), "
            "each as PNG at 300 dpi and SVG"
        )
        self.figures_button.clicked.connect(self.export_figure_set)
        self.xlsx_button = QPushButton("All tables to XLSX\u2026")
        self.xlsx_button.setObjectName("exportAllXlsx")
        self.xlsx_button.clicked.connect(self.export_all_xlsx)
        self.matrix = QTableWidget(0, len(MATRIX_COLUMNS))
        self.matrix.setObjectName("summaryTable")
        self.table = self.matrix  # the samples table (older name)
        self.matrix.setHorizontalHeaderLabels(list(MATRIX_COLUMNS))
        self.matrix.verticalHeader().setVisible(False)
        self.matrix.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.matrix.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.matrix.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.matrix.setWordWrap(False)
        self.matrix.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.matrix.horizontalHeader().setStretchLastSection(True)
        self.matrix.itemDoubleClicked.connect(self._on_matrix_double_click)
        self.matrix.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)

        self.table_views: dict[str, TableView] = {}
        self.tables_tabs = QTabWidget()
        self.tables_tabs.setObjectName("summaryTables")
        self.tables_tabs.setUsesScrollButtons(True)
        for name, _ in STUDY_TABLES:
            view = TableView(name)
            view.view.doubleClicked.connect(lambda index, n=name: self._on_row_activated(n, index))
            self.table_views[name] = view
            self.tables_tabs.addTab(view, TABLE_TAB_TITLES.get(name, name))
        self.cross = CrossView()
        self.tables_tabs.addTab(self.cross, "Across samples")
        self.message = note_label()

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.heading, 1)
        row.addWidget(self.compute_button)
        row.addWidget(self.figures_button)
        row.addWidget(self.xlsx_button)
        top_layout.addLayout(row)
        top_layout.addWidget(self.matrix, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.tables_tabs)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([220, 600])
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addWidget(self.splitter, 1)
        content_layout.addWidget(self.message)
        self.hint = hint_label(
            "The project has no samples yet.\n\nAdd one with \u201cAdd sample\u2026\u201d in the "
            "Samples panel, or drop instrument files on the window."
        )
        self.pages = QStackedWidget()
        self.pages.addWidget(self.hint)
        self.pages.addWidget(content)
        self._content = content
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

    def export_folder(self):
        """Where export dialogs start: the project's folder, else the home folder."""
        from pathlib import Path

        doc = self.document
        return doc.path.parent if doc is not None and doc.path is not None else Path.home()

    # ------------------------------------------------------------ refresh
    def refresh(self) -> None:
        project = self.project
        if project is None or not project.samples:
            self.matrix.setRowCount(0)
            self.pages.setCurrentWidget(self.hint)
            return
        self.pages.setCurrentWidget(self._content)
        self._fill_matrix(project)
        if self._data_revision != (project.id, project.revision):
            # Rebuilding the tables refits spectra: wait until a burst of edits is over, then
            # compute on a snapshot in a worker (the window never waits for it).
            self.message.setText("Rebuilding the study's tables\u2026")
            self._tables_timer.start()
            return
        self._fill_tables()

    def has_pending_refresh(self) -> bool:
        """A refresh, or the rebuild of the tables, is still to come."""
        return super().has_pending_refresh() or self._tables_timer.isActive()

    @Slot()
    def _rebuild_tables(self) -> None:
        project = self.project
        if project is None:
            return
        key = (project.id, project.revision)
        source = _snapshot(project)

        def job(ctx: TaskContext) -> SummaryData:
            ctx.progress(0.1, "Rebuilding the study's tables\u2026")
            return _compute(source)

        def store(value: object) -> None:
            if isinstance(value, SummaryData):
                self.data = value
            else:
                self.data = SummaryData(error=rules.error_text(value))  # type: ignore[arg-type]
            self._data_revision = key

        self.runner.submit("tables", key, job, store, background=True)

    def _fill_matrix(self, project: Project) -> None:
        rows = status_matrix(project)
        n_todo = sum(len(c.todo) for _, cells in rows for c in cells.values())
        self.heading.setText(
            f"<b>{project.name}</b>: {len(rows)} samples, {len(project.datasets())} datasets, "
            "grouped by coating. Double-click a row to open the sample; a table row opens its "
            "data in the technique's tab."
        )
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.compute_button.setEnabled(n_todo > 0 and not self.runner.is_busy("compute"))
        self.compute_button.setText(f"Compute missing ({n_todo})" if n_todo else "All analysed")
        self.matrix.setRowCount(len(rows))
        for r, (sample, cells) in enumerate(rows):
            values = [
                sample.name,
                format_number(sample.lbo_wt_pct),
                format_number(sample.lpo_wt_pct),
                format_number(sample.active_mass_mg),
            ]
            for c, text in enumerate(values):
                self.matrix.setItem(r, c, table_item(text, sample.id, right=c > 0))
            for c, (title, _) in enumerate(TECHNIQUES, start=len(values)):
                cell = cells[title]
                n = cell.n_datasets
                text = (
                    "\u2013"
                    if cell.status == NO_DATA
                    else f"{n} file{'s' if n != 1 else ''} \u00b7 {cell.status}"
                )
                tip = "\n".join(cell.errors) or f"{title}: {cell.status}"
                item = table_item(text, sample.id, tooltip=tip)
                item.setData(
                    Qt.ItemDataRole.BackgroundRole,
                    QColor(STATUS_COLORS.get(cell.status, "#eef2f7")),
                )
                self.matrix.setItem(r, c, item)
            if sample.id == self.sample_id:
                self.matrix.selectRow(r)
        self.matrix.resizeColumnsToContents()

    def _fill_tables(self) -> None:
        data = self.data
        if data is None:
            return
        self.message.setText(
            f"Tables not computed: {data.error}"
            if data.error
            else "Computed from the project's raw data and stored settings; nothing is typed in."
        )
        for name, view in self.table_views.items():
            columns, rows = data.tables.get(name, ([], []))
            view.set_rows(list(columns), list(rows))
        self.cross.set_figures(data.figures)

    def on_project_changed(self, event: ProjectEvent) -> None:
        self.request_refresh(deferred=True)

    # ------------------------------------------------------------ navigation
    @Slot()
    def _on_matrix_double_click(self, item) -> None:
        sample_id = item.data(Qt.ItemDataRole.UserRole)
        if sample_id:
            self.sampleRequested.emit(sample_id)

    def _on_row_activated(self, table: str, index) -> None:
        project = self.project
        view = self.table_views[table]
        if project is None or not index.isValid():
            return
        row = view.model.rows[index.row()]
        try:
            sample = project.sample_by_name(str(row.get("sample", "")))
        except Exception:
            return
        kind = TABLE_KINDS.get(table)
        datasets = [d for d in sample.datasets if d.kind == kind]
        state, region = row.get("state"), row.get("region")
        for d in datasets:  # the dataset the row came from, where the row says which
            if region and not d.label.startswith(str(region)):
                continue
            if state and kind != "cycling" and str(state) not in d.label:
                continue
            self.datasetRequested.emit(d.id)
            return
        if datasets:
            self.datasetRequested.emit(datasets[0].id)
        else:
            self.sampleRequested.emit(sample.id)

    # ------------------------------------------------------------ actions
    @Slot()
    def compute_missing(self) -> bool:
        """Run every missing or stale analysis (in a worker) and store them as one undo step."""
        project, doc = self.project, self.document
        if project is None or doc is None:
            return False
        todo = analyses_to_compute(project)
        if not todo:
            return False
        jobs = []
        for dataset_id, name in todo:
            sample, dataset = project.dataset(dataset_id)
            jobs.append((dataset_id, name, snapshot_sample(sample), snapshot_dataset(dataset)))

        def job(ctx: TaskContext):
            out = []
            for i, (dataset_id, name, sample, dataset) in enumerate(jobs):
                ctx.check_cancelled()
                ctx.progress(i / len(jobs), f"{name}: {sample.name} / {dataset.label}")
                out.append((dataset_id, name, rules.compute_analysis(sample, dataset, name)))
            return out

        def deliver(value: object) -> None:
            if isinstance(value, BaseException) or self.document is None:
                if isinstance(value, BaseException):
                    dialogs.warning(self, "Analyses not computed", rules.error_text(value))
                return
            commands = [
                SetAnalysis(
                    self.document,
                    dataset_id,
                    name,
                    settings=a.settings,
                    results=a.results,
                    arrays=a.arrays,
                    inputs=a.inputs,
                )
                for dataset_id, name, a in value  # type: ignore[union-attr]
            ]
            self.document.push(
                CompositeCommand(self.document, f"Compute {len(commands)} analyses", commands)
            )
            window = self.window()
            if isinstance(window, QMainWindow):
                window.statusBar().showMessage(f"Computed {len(commands)} analyses", 6000)

        self.compute_button.setEnabled(False)
        background = sum(d.n_points for *_, d in jobs) > 0
        self.runner.submit("compute", tuple(todo), job, deliver, background=background)
        return True

    def selected_samples(self) -> list[str]:
        """Ids of the samples selected in the matrix."""
        rows = {i.row() for i in self.matrix.selectionModel().selectedRows()}
        out = []
        for r in sorted(rows):
            item = self.matrix.item(r, 0)
            if item is not None:
                out.append(item.data(Qt.ItemDataRole.UserRole))
        return out

    @Slot()
    def export_figure_set(self, folder: str | None = None, dpi: int | None = None) -> list:
        """The study's panels of the selected samples (all when none) as PNG and SVG."""
        from ..analysis.export import DEFAULT_DPI, MAX_DPI
        from ..analysis.figure_set import export_figure_set

        project = self.project
        if project is None or not project.samples:
            return []
        if dpi is None:
            dpi = dialogs.ask_int(
                self, "Figure set", "PNG resolution (dpi):", DEFAULT_DPI, 300, MAX_DPI
            )
            if dpi is None:
                return []
        if folder is None:
            folder = dialogs.existing_directory(
                self, "Folder for the figure set", str(self.export_folder())
            )
            if not folder:
                return []
        try:
            written = export_figure_set(project, folder, self.selected_samples() or None, dpi)
        except (OSError, ValueError) as exc:
            dialogs.critical(self, "Cannot write the figure set", str(exc))
            return []
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(f"Wrote {len(written)} figure files to {folder}", 6000)
        return written

    @Slot()
    def export_all_xlsx(self, path: str | None = None) -> str | None:
        """Every table in one workbook, one sheet each."""
        data = self.data
        if data is None or not data.tables:
            return None
        if path is None:
            start = str(self.export_folder() / "study_tables.xlsx")
            path = dialogs.save_file_name(self, "Export the study's tables", start, XLSX_FILTER)
            if not path:
                return None
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        sheets = {
            TABLE_TAB_TITLES.get(name, name)[:31]: (cols, rows)
            for name, (cols, rows) in data.tables.items()
        }
        try:
            write_xlsx(path, sheets)
        except OSError as exc:
            dialogs.critical(self, "Cannot export the tables", str(exc))
            return None
        return path
