"""The Summary tab: one row per sample with its coating, masses and datasets per kind.

Later issues add the study's tables (rate capability, impedance fits, ...) computed by the
core's report module; this tab only lists what the project holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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

from ...core.project import Sample
from ...core.project.events import ProjectEvent
from ...core.readers.base import DATASET_KINDS
from ..kinds import format_number
from .base import WorkbenchTab
from .dataset_tab import hint_label, table_item

#: Column header of the number of datasets of each kind.
KIND_COLUMNS = {
    "cycling": "Cycling files",
    "impedance": "Impedance files",
    "xps": "XPS files",
    "eds_profile": "EDS files",
}


@dataclass(frozen=True)
class Column:
    """One column of the summary table: header (with unit), cell text, alignment."""

    header: str
    text: Callable[[Sample], str]
    numeric: bool = True


def _count(kind: str) -> Callable[[Sample], str]:
    return lambda s: str(len(s.datasets_of(kind)))


COLUMNS: tuple[Column, ...] = (
    Column("Sample", lambda s: s.name, numeric=False),
    Column("LBO (wt%)", lambda s: format_number(s.lbo_wt_pct)),
    Column("LPO (wt%)", lambda s: format_number(s.lpo_wt_pct)),
    Column("Composite mass (mg)", lambda s: format_number(s.composite_mass_mg)),
    Column("Active mass (mg)", lambda s: format_number(s.active_mass_mg)),
    *(Column(KIND_COLUMNS.get(k, k), _count(k)) for k in DATASET_KINDS),
    Column("Cathode", lambda s: s.cathode, numeric=False),
)


class SummaryTab(WorkbenchTab):
    """A table of all samples; double-click a row to select the sample."""

    kinds = ()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        columns = [c.header for c in COLUMNS]
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
        # Interactive + one resize after filling: ResizeToContents re-measures on every setItem.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setWordWrap(False)
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
            for col, column in enumerate(COLUMNS):
                tooltip = None
                if column.header == "Active mass (mg)" and s.active_mass_override_mg is not None:
                    tooltip = "Entered as an override"
                item = table_item(column.text(s), s.id, tooltip=tooltip, right=column.numeric)
                self.table.setItem(row, col, item)
            if s.id == self.sample_id:
                self.table.selectRow(row)
        self.table.resizeColumnsToContents()
        self.pages.setCurrentWidget(self._content)

    def on_project_changed(self, event: ProjectEvent) -> None:
        if event.what in ("analysis_changed", "dataset_changed"):
            return
        self.request_refresh(deferred=True)

    @Slot(QTableWidgetItem)
    def _on_double_click(self, item: QTableWidgetItem) -> None:
        sample_id = item.data(Qt.ItemDataRole.UserRole)
        if sample_id:
            self.sampleRequested.emit(sample_id)
