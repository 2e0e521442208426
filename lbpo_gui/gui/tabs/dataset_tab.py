"""A generic technique tab: the selected sample's datasets of one kind and a quick-look plot.

Later issues replace the technique tabs with full analysis views; this one only lists datasets
and draws the raw data with proper axes (see :func:`..plotting.plot_dataset`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.project import Dataset
from ...core.project.events import ProjectEvent
from ..kinds import format_number, kind_icon, kind_info
from ..plotting import axis_labels, clear_plot, make_plot_widget, plot_dataset
from .base import WorkbenchTab

TABLE_COLUMNS = ("Label", "Points", "File", "Reader", "Imported (UTC)")


def table_item(
    text: str,
    user_data: str,
    *,
    icon: QIcon | None = None,
    tooltip: str | None = None,
    right: bool = False,
) -> QTableWidgetItem:
    """A read-only table cell. Roles are set with setData: in PySide6 6.11, setIcon/setToolTip/
    setTextAlignment on an item later put in a table leak a reference to None each."""
    item = QTableWidgetItem(text)
    item.setData(Qt.ItemDataRole.UserRole, user_data)
    if icon is not None:
        item.setData(Qt.ItemDataRole.DecorationRole, icon)
    if tooltip is not None:
        item.setData(Qt.ItemDataRole.ToolTipRole, tooltip)
    if right:
        item.setData(
            Qt.ItemDataRole.TextAlignmentRole,
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
        )
    return item


def hint_label(text: str = "") -> QLabel:
    """A centred grey label for empty states."""
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setStyleSheet("color: #707070; font-size: 11pt; padding: 24px;")
    return label


class DatasetTab(WorkbenchTab):
    """Datasets of one kind for the selected sample, with a preview plot of the selected one."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.kinds = (kind,)
        self.info = kind_info(kind)
        self._plotted: tuple[str, str] | None = None  # (dataset id, label) drawn

        self.hint = hint_label()
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setContentsMargins(4, 4, 4, 4)
        self.table = QTableWidget(0, len(TABLE_COLUMNS))
        self.table.setObjectName(f"{kind}Table")
        self.table.setHorizontalHeaderLabels(list(TABLE_COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        # Interactive + one resize after filling: ResizeToContents re-measures on every setItem.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._on_table_selection)

        self.plot_widget = make_plot_widget()
        self.plot_widget.setObjectName(f"{kind}Plot")
        self.plot = self.plot_widget.getPlotItem()
        clear_plot(self.plot, *axis_labels(kind))
        self.plot_message = hint_label()
        self.plot_stack = QStackedWidget()
        self.plot_stack.addWidget(self.plot_widget)
        self.plot_stack.addWidget(self.plot_message)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.heading)
        top_layout.addWidget(self.table)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.plot_stack)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setSizes([130, 600])

        self.pages = QStackedWidget()
        self.pages.addWidget(self.hint)
        self.pages.addWidget(self.splitter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self._show_hint()

    # ------------------------------------------------------------ state
    def datasets(self) -> list[Dataset]:
        """The selected sample's datasets of this tab's kind."""
        sample = self.sample()
        return sample.datasets_of(self.kind) if sample else []

    def selected_dataset_id(self) -> str:
        """The dataset selected in the table ("" = none)."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return ""
        item = self.table.item(rows[0].row(), 0)
        return item.data(Qt.ItemDataRole.UserRole) if item else ""

    def is_showing_hint(self) -> bool:
        """Whether the empty-state hint is shown instead of the table and plot."""
        return self.pages.currentWidget() is self.hint

    # ------------------------------------------------------------ refresh
    def _show_hint(self) -> None:
        noun = self.info.noun
        project = self.project
        sample = self.sample()
        if project is not None and not project.samples:
            text = (
                "This project has no samples yet.\n\nAdd one with \u201cAdd sample\u2026\u201d in "
                f"the Samples panel, or drop {noun} files on the window to import them."
            )
        elif sample is None:
            text = f"Select a sample in the tree on the left to see its {noun} data."
        else:
            text = (
                f"\u201c{sample.name}\u201d has no {noun} data yet.\n\n"
                f"Use File \u25b8 Import data\u2026 (Ctrl+I) or drop {noun} files on the window."
            )
        self.hint.setText(text)
        self.pages.setCurrentWidget(self.hint)
        self._plotted = None

    def refresh(self) -> None:
        datasets = self.datasets()
        if not datasets:
            self.table.setRowCount(0)
            self._show_hint()
            return
        sample = self.sample()
        assert sample is not None
        mass = sample.active_mass_mg
        mass_text = (
            f"active mass {format_number(mass)} mg" if mass is not None else "active mass not set"
        )
        n = len(datasets)
        self.heading.setText(
            f"<b>{sample.name}</b> \u2014 {n} {self.info.noun} dataset{'s' if n != 1 else ''}"
            + (f" \u2014 {mass_text}" if self.kind == "cycling" else "")
        )
        want = self._dataset_id if any(d.id == self._dataset_id for d in datasets) else ""
        want = want or self.selected_dataset_id()
        if not any(d.id == want for d in datasets):
            want = datasets[0].id
        self.table.blockSignals(True)
        try:
            self.table.setRowCount(n)
            for row, d in enumerate(datasets):
                p = d.provenance
                values = (
                    d.label,
                    f"{d.n_points:,}",
                    p.original_name,
                    p.reader,
                    p.imported_at.replace("T", " ").replace("+00:00", ""),
                )
                for col, text in enumerate(values):
                    item = table_item(
                        text,
                        d.id,
                        icon=kind_icon(d.kind) if col == 0 else None,
                        tooltip=(p.source_path or "no original file (generated data)")
                        if col == 2
                        else None,
                        right=col == 1,
                    )
                    self.table.setItem(row, col, item)
                if d.id == want:
                    self.table.selectRow(row)
        finally:
            self.table.blockSignals(False)
        for col in range(1, len(TABLE_COLUMNS)):
            self.table.resizeColumnToContents(col)
        self.pages.setCurrentWidget(self.splitter)
        self._preview(want)

    def _preview(self, dataset_id: str, force: bool = False) -> None:
        project = self.project
        if project is None or not dataset_id:
            return
        _, dataset = project.dataset(dataset_id)
        if not force and self._plotted == (dataset.id, dataset.label):
            return
        message = plot_dataset(self.plot, dataset)
        self._plotted = (dataset.id, dataset.label)
        if message:
            self.plot_message.setText(message)
            self.plot_stack.setCurrentWidget(self.plot_message)
        else:
            self.plot_stack.setCurrentWidget(self.plot_widget)

    @Slot()
    def _on_table_selection(self) -> None:
        dataset_id = self.selected_dataset_id()
        if dataset_id:
            self._dataset_id = dataset_id
            self._preview(dataset_id)

    def on_project_changed(self, event: ProjectEvent) -> None:
        if event.what != "project" and event.sample_id and event.sample_id != self.sample_id:
            return
        if event.what == "analysis_changed":
            return
        self.request_refresh(deferred=True)
