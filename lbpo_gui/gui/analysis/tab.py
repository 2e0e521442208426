"""The analysis-tab base: what every technique tab shares.

Layout (fits a 1280 x 720 laptop screen without sideways scrolling):

- a collapsible left panel (a splitter handle; drag it shut to give the views the whole width):
  the selected sample's heading, the list of its datasets of the tab's kinds (long names
  elided, full text in the tooltip), the tab's settings box, a results box and a warnings box;
- the views (an :class:`~.views.AnalysisView` per sub-tab) taking the spare room;
- a busy strip under the views with the running job's progress and a Cancel button.

A subclass gives its views (:meth:`make_views`), fills the settings form
(:meth:`build_settings`), gathers the state its views render (:meth:`build_state`, returning an
object with ``dataset_problem()``) and fills the panel (:meth:`fill_panel`). It computes nothing
itself: long work goes through :attr:`runner` (progress, cancel), stored results through
:meth:`store_analysis`, which runs the core's
:func:`~lbpo_gui.core.project.rules.compute_analysis` (in a worker for large data) and pushes one
undo step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import ProjectError
from ...core.project import Dataset, Sample, rules
from ...core.project.events import ProjectEvent
from .. import dialogs
from ..commands import DocumentCommand, SetAnalysis
from ..document import ProjectDocument
from ..kinds import coating_text, kind_icon
from ..tabs.base import WorkbenchTab
from ..tabs.dataset_tab import table_item
from .runner import Runner, TaskContext
from .snapshots import snapshot_dataset, snapshot_sample
from .views import AnalysisView

DASH = "\u2013"
#: Width of the left panel when the tab first shows, px (the splitter keeps the user's choice).
PANEL_WIDTH = 300
#: The left panel never gets narrower than this while open, px.
PANEL_MIN_WIDTH = 240
#: A dataset with more rows than this is analysed in a worker.
WORKER_POINTS = 200_000
WARNING_STYLE = (
    "QLabel { background: #fff8e6; border: 1px solid #ecd9a6; border-radius: 4px; "
    "color: #5b4a12; padding: 6px; }"
)
MAX_WARNINGS = 4


def html_text(text: str) -> str:
    """``text`` escaped for a rich-text label."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class DatasetList(QTableWidget):
    """The selected sample's datasets of a tab: label (elided, tooltip with the file and the
    reader) and size. Selecting a row emits ``itemSelectionChanged``; :meth:`selected_id`."""

    COLUMNS = ("Label", "Points")

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(0, len(self.COLUMNS), parent)
        self.setObjectName(object_name)
        self.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.setMaximumHeight(170)

    def fill(self, datasets: Sequence[Dataset], selected_id: str) -> None:
        """Show ``datasets`` with ``selected_id`` selected (no selection signal)."""
        self.blockSignals(True)
        try:
            self.clearSelection()
            self.setRowCount(len(datasets))
            for row, d in enumerate(datasets):
                p = d.provenance
                tip = "\n".join(
                    t
                    for t in (
                        d.label,
                        f"file: {p.original_name}" if p.original_name else "generated data",
                        f"read by: {p.reader}" if p.reader else "",
                        f"imported {p.imported_at.replace('T', ' ')}" if p.imported_at else "",
                    )
                    if t
                )
                self.setItem(row, 0, table_item(d.label, d.id, icon=kind_icon(d.kind), tooltip=tip))
                self.setItem(row, 1, table_item(f"{d.n_points:,}", d.id, tooltip=tip, right=True))
                if d.id == selected_id:
                    self.selectRow(row)
        finally:
            self.blockSignals(False)
        rows = max(1, len(datasets))
        height = (
            self.horizontalHeader().height() + rows * self.verticalHeader().defaultSectionSize()
        )
        self.setFixedHeight(min(height + 4, 170))

    def selected_id(self) -> str:
        """The id of the selected dataset ("" = none)."""
        rows = self.selectionModel().selectedRows()
        if not rows:
            return ""
        item = self.item(rows[0].row(), 0)
        return item.data(Qt.ItemDataRole.UserRole) if item else ""


class BusyStrip(QWidget):
    """Progress of the tab's running job, with Cancel; hidden when nothing runs."""

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.label = QLabel()
        self.label.setObjectName("busyText")
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setMaximumWidth(220)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancelJobButton")
        self.cancel_button.clicked.connect(runner.cancel_all)
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 2, 6, 2)
        row.addWidget(self.label, 1)
        row.addWidget(self.bar)
        row.addWidget(self.cancel_button)
        runner.busyChanged.connect(self.update_state)
        self.setVisible(False)

    @Slot()
    def update_state(self) -> None:
        """Show the progress of the first running job (or hide)."""
        busy = self.runner.is_busy()
        self.setVisible(busy)
        if busy:
            fraction, text = self.runner.progress()
            self.bar.setValue(int(max(0.0, min(1.0, fraction)) * 1000))
            self.label.setText(text or "Working\u2026")
            self.label.setToolTip(text)


class AnalysisTab(WorkbenchTab):
    """Base of the technique tabs (see the module docstring)."""

    #: Heading above the dataset list.
    data_title = "Data"
    #: Title of the settings box (None: no settings box).
    settings_title: str | None = "Analysis"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = Runner(self)
        self.runner.finished.connect(self._on_job_finished)
        self._shown_id = ""
        self.state: Any = None

        self.heading = QLabel()
        self.heading.setObjectName("analysisHeading")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        kind = self.kinds[0] if self.kinds else "data"
        self.dataset_list = DatasetList(f"{kind}Datasets")
        self.dataset_list.itemSelectionChanged.connect(self._on_dataset_clicked)
        self.no_data = QLabel()
        self.no_data.setObjectName("analysisNoData")
        self.no_data.setWordWrap(True)
        self.no_data.setStyleSheet("color: #606060; padding: 8px;")

        self.settings_box = QGroupBox(self.settings_title or "")
        self.settings_form = QFormLayout(self.settings_box)
        self.settings_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.settings_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.build_settings(self.settings_form)
        self.settings_box.setVisible(self.settings_title is not None)

        self.results_label = QLabel()
        self.results_label.setObjectName("resultsLabel")
        self.results_label.setTextFormat(Qt.TextFormat.RichText)
        self.results_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.results_label.setWordWrap(True)
        self.results_box = QGroupBox("Results")
        QVBoxLayout(self.results_box).addWidget(self.results_label)
        self.results_box.setVisible(False)
        self.warnings_label = QLabel()
        self.warnings_label.setObjectName("analysisWarnings")
        self.warnings_label.setWordWrap(True)
        self.warnings_label.setTextFormat(Qt.TextFormat.RichText)
        self.warnings_label.setStyleSheet(WARNING_STYLE)
        self.warnings_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warnings_label.setVisible(False)

        panel = QWidget()
        panel_layout = QVBoxLayout(panel)
        panel_layout.setContentsMargins(6, 6, 6, 6)
        panel_layout.addWidget(self.heading)
        panel_layout.addWidget(QLabel(f"<b>{self.data_title}</b>"))
        panel_layout.addWidget(self.dataset_list)
        panel_layout.addWidget(self.no_data)
        panel_layout.addWidget(self.settings_box)
        panel_layout.addWidget(self.results_box)
        panel_layout.addWidget(self.warnings_label)
        panel_layout.addStretch(1)
        self.panel = QScrollArea()
        self.panel.setObjectName("analysisPanel")
        self.panel.setWidgetResizable(True)
        self.panel.setFrameShape(QFrame.Shape.NoFrame)
        self.panel.setWidget(panel)
        self.panel.setMinimumWidth(PANEL_MIN_WIDTH)
        self.panel.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.views: list[AnalysisView] = self.make_views()
        self.view_tabs = QTabWidget()
        self.view_tabs.setObjectName(f"{kind}Views")
        self.view_tabs.setUsesScrollButtons(True)
        for view in self.views:
            self.view_tabs.addTab(view, view.title.replace("&", "&&"))
            view.actionRequested.connect(self.on_view_action)
        self.view_tabs.currentChanged.connect(self._on_view_changed)
        self.busy = BusyStrip(self.runner)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(0)
        right_layout.addWidget(self.view_tabs, 1)
        right_layout.addWidget(self.busy)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("analysisSplitter")
        self.splitter.addWidget(self.panel)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(0, True)
        self.splitter.setCollapsible(1, False)
        self.splitter.setSizes([PANEL_WIDTH, 1000])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    # ================================================================ to implement
    def make_views(self) -> list[AnalysisView]:
        """The sub-tabs of this tab."""
        raise NotImplementedError

    def build_settings(self, form: QFormLayout) -> None:
        """Add the settings rows (called once from the constructor; default: none)."""

    def build_state(self) -> Any:
        """What the views render, gathered from the project (needs ``dataset_problem()``)."""
        raise NotImplementedError

    def fill_panel(self, state: Any) -> None:
        """Show ``state`` in the settings, results and warnings boxes (default: nothing)."""

    def on_view_action(self) -> None:
        """A view's message-page button was clicked (default: nothing)."""

    # ================================================================ state helpers
    def tab_datasets(self, sample: Sample | None) -> list[Dataset]:
        """The sample's datasets of this tab's kinds, in order."""
        if sample is None:
            return []
        return [d for d in sample.datasets if d.kind in self.kinds]

    def choose_dataset(self, datasets: Sequence[Dataset]) -> Dataset | None:
        """The dataset to show: the one asked for, else the one shown, else the first."""
        ids = [d.id for d in datasets]
        for wanted in (self._dataset_id, self._shown_id):
            if wanted in ids:
                return datasets[ids.index(wanted)]
        return datasets[0] if datasets else None

    def current_view(self) -> AnalysisView | None:
        """The visible sub-tab."""
        index = self.view_tabs.currentIndex()
        return self.views[index] if 0 <= index < len(self.views) else None

    def show_view(self, title: str) -> AnalysisView:
        """Switch to the sub-tab ``title``."""
        for i, view in enumerate(self.views):
            if view.title == title:
                self.view_tabs.setCurrentIndex(i)
                return view
        raise KeyError(title)

    @property
    def plot(self) -> Any:
        """The plot of the visible view (None for tables)."""
        view = self.current_view()
        return view.plot_item if view is not None else None

    def is_showing_hint(self) -> bool:
        """Whether the tab shows an empty state (no sample, or no data of its kinds)."""
        state = self.state
        return state is None or getattr(state, "dataset", None) is None

    def export_folder(self) -> Path:
        """Where export dialogs start: the project's folder, else the home folder."""
        doc = self.document
        if doc is not None and doc.path is not None:
            return doc.path.parent
        return Path.home()

    # ================================================================ refresh
    def set_document(self, document: ProjectDocument | None) -> None:
        self.runner.cancel_all()
        self._shown_id = ""
        super().set_document(document)

    def refresh(self) -> None:
        self.state = self.build_state()
        dataset = getattr(self.state, "dataset", None)
        self._shown_id = dataset.id if dataset is not None else ""
        self._fill_common(self.state)
        self.fill_panel(self.state)
        self.render_current()

    def render_current(self, force: bool = False) -> None:
        """Draw the visible view from :attr:`state`."""
        view = self.current_view()
        if view is not None and self.state is not None:
            view.render(self.state, force)

    def _fill_common(self, state: Any) -> None:
        sample = getattr(state, "sample", None)
        datasets = list(getattr(state, "datasets", []))
        dataset = getattr(state, "dataset", None)
        if sample is None:
            self.heading.setText(
                "<span style='color:#606060'>Select a sample in the Samples panel.</span>"
            )
        else:
            coating = coating_text(sample.lbo_wt_pct, sample.lpo_wt_pct)
            details = ", ".join(t for t in (coating, sample.cathode) if t)
            self.heading.setText(
                f"<span style='font-size:12pt'><b>{html_text(sample.name)}</b></span>"
                + (
                    f"<br><span style='color:#5a5a5a'>{html_text(details)}</span>"
                    if details
                    else ""
                )
            )
            self.heading.setToolTip(sample.name)
        self.dataset_list.fill(datasets, dataset.id if dataset is not None else "")
        self.dataset_list.setVisible(bool(datasets))
        self.no_data.setVisible(sample is not None and not datasets)
        if sample is not None and not datasets:
            self.no_data.setText(
                f"No {self.data_title.lower()} in \u201c{html_text(sample.name)}\u201d: "
                "File \u25b8 Import data\u2026 or drop files here."
            )

    def show_warnings(self, warnings: Sequence[str]) -> None:
        """Show up to :data:`MAX_WARNINGS` warnings in the panel (all in the tooltip)."""
        self.warnings_label.setVisible(bool(warnings))
        if not warnings:
            return
        lines = [w[:1].upper() + w[1:] for w in warnings]
        shown = lines[:MAX_WARNINGS]
        if len(lines) > MAX_WARNINGS:
            shown.append(f"\u2026 {len(lines) - MAX_WARNINGS} more (hover to see all)")
        self.warnings_label.setText(
            "<b>Check</b><br>" + "<br>".join(f"\u2022 {html_text(line)}" for line in shown)
        )
        self.warnings_label.setToolTip("\n".join(lines))

    def show_results(self, rows: Sequence[tuple[str, str]], message: str = "") -> None:
        """Show (label, value) rows in the results box, or a grey ``message``."""
        self.results_box.setVisible(bool(rows) or bool(message))
        if not rows:
            self.results_label.setText(f"<span style='color:#606060'>{html_text(message)}</span>")
            return
        self.results_label.setText(
            "<table cellspacing='0' cellpadding='1'>"
            + "".join(
                f"<tr><td style='color:#5a5a5a; padding-right:10px'>{html_text(k)}</td>"
                f"<td>{html_text(v)}</td></tr>"
                for k, v in rows
            )
            + "</table>"
        )

    # ================================================================ events
    def on_project_changed(self, event: ProjectEvent) -> None:
        self.request_refresh(deferred=True)

    @Slot(str)
    def _on_job_finished(self, channel: str) -> None:
        self.request_refresh(deferred=True)

    @Slot(int)
    def _on_view_changed(self, index: int) -> None:
        if self.isVisible() and self.document is not None:
            self.render_current()

    @Slot()
    def _on_dataset_clicked(self) -> None:
        dataset_id = self.dataset_list.selected_id()
        if not dataset_id or dataset_id == self._shown_id:
            return
        self._dataset_id = dataset_id
        self.request_refresh()
        self.datasetRequested.emit(dataset_id)

    # ================================================================ storing results
    def push(self, command: DocumentCommand, title: str = "Not changed") -> bool:
        """Push an undo command; a refusal of the project is shown, never raised."""
        doc = self.document
        if doc is None:
            return False
        try:
            doc.push(command)
        except ProjectError as exc:
            dialogs.warning(self, title, str(exc))
            return False
        return True

    def store_analysis(
        self,
        dataset_id: str,
        name: str,
        settings: Mapping[str, Any] | None,
        text: str,
        *,
        background: bool | None = None,
    ) -> bool:
        """Compute analysis ``name`` of a dataset with ``settings`` through the core rules and
        store it as one undo step. Large datasets (or ``background=True``) compute in a worker
        on a snapshot; the step is pushed when it is done (cancel drops it). Returns True when
        stored at once."""
        project = self.project
        if project is None:
            return False
        sample, dataset = project.dataset(dataset_id)
        if background is None:
            background = dataset.n_points > WORKER_POINTS
        snap_sample, snap_dataset = (
            (snapshot_sample(sample), snapshot_dataset(dataset))
            if background
            else (sample, dataset)
        )
        wanted = dict(settings) if settings is not None else None

        def job(ctx: TaskContext):
            ctx.progress(0.05, f"{text} \u2013 {dataset.label}\u2026")
            return rules.compute_analysis(snap_sample, snap_dataset, name, wanted)

        done: list[bool] = []

        def deliver(value: object) -> None:
            if isinstance(value, BaseException):
                dialogs.warning(self, "Analysis failed", rules.error_text(value))
                return
            doc = self.document
            if doc is None:
                return
            analysis = value
            command = SetAnalysis(
                doc,
                dataset_id,
                name,
                settings=analysis.settings,  # type: ignore[attr-defined]
                results=analysis.results,  # type: ignore[attr-defined]
                arrays=analysis.arrays,  # type: ignore[attr-defined]
                inputs=analysis.inputs,  # type: ignore[attr-defined]
                text=f"{text} ({dataset.label})",
            )
            done.append(self.push(command, "Analysis not stored"))

        self.runner.submit(
            f"store:{name}", (dataset_id, name, str(wanted)), job, deliver, background=background
        )
        return bool(done and done[0])
