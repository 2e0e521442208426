"""The Summary tab: one row per sample with its coating, masses and datasets per kind.

Later issues add the study's tables (rate capability, impedance fits, ...) computed by the
core's report module; this tab only lists what the project holds.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.project.events import ProjectEvent
from ...core.readers.base import DATASET_KINDS
from ..kinds import format_number
from .base import WorkbenchTab
from .dataset_tab import hint_label

BASE_COLUMNS = (
    "Sample",
    "LBO (wt%)",
    "LPO (wt%)",
    "Cathode",
    "Composite mass (mg)",
    "Active mass (mg)",
)
#: Column header of the number of datasets of each kind.
KIND_COLUMNS = {
    "cycling": "Cycling files",
    "impedance": "Impedance files",
    "xps": "XPS files",
    "eds_profile": "EDS files",
}


class SummaryTab(WorkbenchTab):
    """A table of all samples; double-click a row to select the sample."""

    kinds = ()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        columns = list(BASE_COLUMNS) + [KIND_COLUMNS.get(k, k) for k in DATASET_KINDS]
        self.columns = columns
        self.table = QTableWidget(0, len(columns))
        self.table.setObjectName("summaryTable")
        self.table.setHorizontalHeaderLabels(columns)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemDoubleClicked.connect(self._on_double_click)
        self.heading = QLabel()
        self.heading.setContentsMargins(4, 4, 4, 4)
        self.hint = hint_label(
            "The project has no samples yet.\n\nAdd one with \u201cAdd sample\u2026\u201d in the "
            "Samples panel, or drop instrument files on the window."
        )
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addWidget(self.heading)
        content_layout.addWidget(self.table)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.hint)
        self.pages.addWidget(content)
        self._content = content
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

    def refresh(self) -> None:
        project = self.project
        samples = project.samples if project else ()
        if not samples:
            self.table.setRowCount(0)
            self.pages.setCurrentWidget(self.hint)
            return
        assert project is not None
        self.heading.setText(
            f"{project.name}: {len(samples)} sample{'s' if len(samples) != 1 else ''}, "
            f"{len(project.datasets())} datasets. Double-click a row to select the sample."
        )
        self.table.setRowCount(len(samples))
        for row, s in enumerate(samples):
            values = [
                s.name,
                format_number(s.lbo_wt_pct),
                format_number(s.lpo_wt_pct),
                s.cathode,
                format_number(s.composite_mass_mg),
                format_number(s.active_mass_mg),
            ] + [str(len(s.datasets_of(k))) for k in DATASET_KINDS]
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, s.id)
                if col > 0 and col != 3:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if col == 5 and s.active_mass_override_mg is not None:
                    item.setToolTip("Entered as an override")
                self.table.setItem(row, col, item)
            if s.id == self.sample_id:
                self.table.selectRow(row)
        self.pages.setCurrentWidget(self._content)

    def on_project_changed(self, event: ProjectEvent) -> None:
        if event.what in ("analysis_changed", "dataset_changed"):
            return
        self.request_refresh()

    @Slot(QTableWidgetItem)
    def _on_double_click(self, item: QTableWidgetItem) -> None:
        sample_id = item.data(Qt.ItemDataRole.UserRole)
        if sample_id:
            self.sampleRequested.emit(sample_id)
