"""The Fit view: the spectrum with background, components and envelope (binding energy
reversed), draggable background end points and component apexes, click-to-add, the residuals
under the fit and the component table.

Drags preview the model live with :func:`~lbpo_gui.core.xps.fit.evaluate_spec` (no fit) and
store ONE edit when the mouse is released; the tab pushes it as one undo step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ....core.xps.fit import FitError, evaluate_spec, exposure_from_metadata
from ....core.xps.model import FitSpec
from ....core.xps.sample_quant import charge_shift_of, corrected_binding_energy
from ...analysis import plots
from ...analysis.export import ExportButton, TableExportButton
from ...analysis.views import AnalysisView, controls_row, note_label
from .common import XpsState, caption
from .constraints_dialog import ConstraintsDialog
from .edits import added_component, moved_component, with_window
from .table import DISPLAY_COLUMNS, EDITABLE, display_rows, export_rows

if TYPE_CHECKING:
    from .tab import XpsTab

BE_LABEL = "Binding energy (eV)"
CPS_LABEL = "Intensity (counts/s)"
COLORS = ("#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#bcbd22")
DATA_COLOR = "#303030"
BG_COLOR = "#7f7f7f"
ENV_COLOR = "#d62728"


@dataclass
class Curves:
    """What the plot draws on the fit window: energies, data, background, components (each on
    top of the background), envelope, and each component's apex (position, height)."""

    x: np.ndarray
    y: np.ndarray
    background: np.ndarray
    components: list[np.ndarray]
    envelope: np.ndarray
    apex: list[tuple[float, float]]
    area_pct: list[float]
    fitted: bool
    areas: list[float] | None = None

    @property
    def residuals(self) -> np.ndarray:
        return self.y - self.envelope

    def background_at(self, be: float) -> float:
        return float(np.interp(be, self.x, self.background))

    def table(self, names: list[str]) -> tuple[list[str], list[dict[str, Any]]]:
        """Every curve as columns (for CSV/XLSX)."""
        cols = ["binding_energy_eV", "counts_per_s", "background_cps"]
        cols += [f"{n} (cps)" for n in names] + ["envelope_cps", "residual_cps"]
        rows = []
        for i in range(self.x.size):
            row = {"binding_energy_eV": self.x[i], "counts_per_s": self.y[i]}
            row["background_cps"] = self.background[i]
            for n, c in zip(names, self.components, strict=False):
                row[f"{n} (cps)"] = c[i]
            row["envelope_cps"] = self.envelope[i]
            row["residual_cps"] = self.y[i] - self.envelope[i]
            rows.append(row)
        return cols, rows


def preview_curves(dataset: Any, spec: FitSpec) -> Curves:
    """The model of ``spec`` on the dataset without fitting (raises FitError/ValueError). An
    active Shirley background needs the components' areas: until they have some (a template
    never fitted) it is previewed as the iterative Shirley of the data."""
    unsized = any(c.area <= 0 for c in spec.components)
    if spec.background.kind == "active_shirley" and unsized:
        spec = spec.copy()
        spec.background.kind = "shirley"
    r = evaluate_spec(
        corrected_binding_energy(dataset.arrays, dataset.metadata),
        dataset.arrays["counts_per_s"],
        spec,
        exposure_s=exposure_from_metadata(dataset.metadata),
    )
    return Curves(
        r.x,
        r.y,
        r.background,
        list(r.component_curves),
        r.envelope,
        [(c.position_eV, c.height) for c in r.components],
        [c.area_pct for c in r.components],
        False,
        [c.area for c in r.components],
    )


def stored_curves(analysis: Any) -> Curves:
    """The curves of a stored fit."""
    a = analysis.arrays
    comps = analysis.results["components"]
    return Curves(
        np.asarray(a["binding_energy_eV"]),
        np.asarray(a["counts_per_s"]),
        np.asarray(a["background_cps"]),
        [np.asarray(a[f"component_{k}_cps"]) for k in range(len(comps))],
        np.asarray(a["envelope_cps"]),
        [(c["position_eV"], c["height"]) for c in comps],
        [c["area_pct"] for c in comps],
        True,
    )


class FitView(AnalysisView):
    """Spectrum, fit, residuals and component table of the selected XPS dataset."""

    title = "Fit"

    def __init__(self, tab: XpsTab, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tab = tab
        self.state: XpsState | None = None
        self.curves: Curves | None = None
        self.preview_spec: FitSpec | None = None
        self._updating = False

        self.plot_widget = plots.new_plot(BE_LABEL, CPS_LABEL)
        self.plot_widget.setObjectName("xpsFitPlot")
        self.plot_item = self.plot_widget.getPlotItem()
        self.plot_item.getViewBox().invertX(True)
        self.plot_item.showGrid(x=True, y=True, alpha=0.15)
        self.legend = plots.SideLegend(self.plot_item)
        self.resid_widget = plots.new_plot(BE_LABEL, "Resid. (cps)")
        self.resid_widget.setObjectName("xpsResidualPlot")
        self.resid_item = self.resid_widget.getPlotItem()
        self.resid_item.getViewBox().invertX(True)
        self.resid_item.getViewBox().setMouseEnabled(x=False, y=True)
        self.plot_item.getViewBox().sigXRangeChanged.connect(self._sync_residual_range)
        for item in (self.plot_item, self.resid_item):
            item.getAxis("left").setWidth(64)
        self.resid_legend = plots.SideLegend(self.resid_item)  # keeps the x axes aligned
        self.resid_item.getAxis("bottom").setLabel("")
        self.resid_widget.setMinimumHeight(70)
        self.resid_widget.setMaximumHeight(150)
        self.plot_item.scene().sigMouseClicked.connect(self._on_scene_clicked)

        self.add_button = QPushButton("Add component")
        self.add_button.setObjectName("xpsAddComponent")
        self.add_button.setCheckable(True)
        self.add_button.setToolTip(
            "Then click on the spectrum: a component is added at that binding energy with the "
            "height of the data above the background"
        )
        self.remove_button = QPushButton("Remove component")
        self.remove_button.setObjectName("xpsRemoveComponent")
        self.remove_button.setToolTip("Remove the component selected in the table")
        self.remove_button.clicked.connect(self._remove_selected)
        self.constraints_button = QPushButton("Constraints\u2026")
        self.constraints_button.setObjectName("xpsConstraints")
        self.constraints_button.setToolTip(
            "Fix, window or link the position, FWHM and area of the component selected in the "
            "table, and set its doublet (also: double-click its Constraints cell)"
        )
        self.constraints_button.clicked.connect(self._constrain_selected)
        self.constraints_dialog: ConstraintsDialog | None = None
        self.export_button = ExportButton(self.plot_widget, "xps_fit", tab.export_folder)
        self.curves_export = TableExportButton(self.curves_table, "xps_curves", tab.export_folder)
        self.curves_export.setText("Curves")
        self.curves_export.setToolTip(
            "Save every curve (data, background, components, envelope, residuals) as CSV or XLSX"
        )

        self.table = QTableWidget(0, len(DISPLAY_COLUMNS))
        self.table.setObjectName("xpsComponentTable")
        self.table.setHorizontalHeaderLabels([h for _, h in DISPLAY_COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.itemChanged.connect(self._on_item_changed)
        self.table.itemDoubleClicked.connect(self._on_item_double_clicked)
        self.table_export = TableExportButton(
            self.table_source, "xps_components", tab.export_folder
        )
        self.table_export.setText("Export table")

        self.note = note_label()
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(
            controls_row(
                [self.add_button, self.remove_button, self.constraints_button, 8, self.table_export]
            ),
            1,
        )
        top.addWidget(self.curves_export, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)
        plots_box = QWidget()
        plots_layout = QVBoxLayout(plots_box)
        plots_layout.setContentsMargins(0, 0, 0, 0)
        plots_layout.setSpacing(0)
        plots_layout.addWidget(self.plot_widget, 4)
        plots_layout.addWidget(self.resid_widget, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(plots_box)
        self.splitter.addWidget(self.table)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self.content)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.note)

        self.start_line: pg.InfiniteLine | None = None
        self.end_line: pg.InfiniteLine | None = None
        self.handles: list[pg.TargetItem] = []
        self.comp_items: list[pg.PlotDataItem] = []
        self.bg_item: pg.PlotDataItem | None = None
        self.env_item: pg.PlotDataItem | None = None
        self.resid_curve: pg.PlotDataItem | None = None

    def _sync_residual_range(self, _vb: Any = None, rng: Any = None) -> None:
        lo, hi = self.plot_item.getViewBox().viewRange()[0]
        self.resid_item.setXRange(lo, hi, padding=0)

    # ------------------------------------------------------------------ rendering
    def render_key(self, state: XpsState) -> Any:
        d, a = state.dataset, state.analysis
        if d is None:
            return None
        return (d.id, id(a), a.updated_at if a is not None else None, charge_shift_of(d.metadata))

    def render_content(self, state: XpsState) -> None:
        self.state = state
        self.preview_spec = None
        spec = state.spec
        assert state.dataset is not None and spec is not None
        self.curves = None
        message = ""
        try:
            if state.fitted:
                self.curves = stored_curves(state.analysis)
            elif spec.components:
                self.curves = preview_curves(state.dataset, spec)
        except (FitError, ValueError, KeyError) as exc:
            message = f"The model cannot be drawn: {exc}"
        self._draw_all(spec)
        self._fill_table(spec)
        self.note.setText(message or self._note_text(state))

    def _note_text(self, state: XpsState) -> str:
        assert state.dataset is not None
        head = f"{state.dataset.label}: {caption(state.dataset)}."
        shift = charge_shift_of(state.dataset.metadata)
        if shift:
            head += f" Charge-corrected by {shift:+.2f} eV (Quantification view)."
        if not state.spec or not state.spec.components:
            return head + " No components yet: press \u201cAdd component\u201d and click a peak."
        if state.fitted:
            res = state.analysis.results
            return (
                f"{head} Fitted ({res.get('background', '')} background), reduced \u03c7\u00b2 "
                f"{res.get('reduced_chi_square', float('nan')):.2f}. Drag the dashed end lines "
                "or a component's apex to edit; each drag is one undo step."
            )
        return (
            f"{head} Model of the template, not fitted yet: press Fit. Drag the dashed "
            "background end lines or a component's apex (\u25cb) to edit."
        )

    def _draw_all(self, spec: FitSpec) -> None:
        state = self.state
        assert state is not None and state.dataset is not None
        plot = self.plot_item
        plot.clear()
        self.legend.clear()
        self.resid_item.clear()
        self.handles, self.comp_items = [], []
        x = corrected_binding_energy(state.dataset.arrays, state.dataset.metadata)
        y = np.asarray(state.dataset.arrays["counts_per_s"], dtype=float)
        data = pg.PlotDataItem(
            x,
            y,
            pen=plots.pen("#b0b0b0", 1),
            symbol="o",
            symbolSize=3,
            symbolPen=None,
            symbolBrush=DATA_COLOR,
            name="Data",
        )
        plot.addItem(data)
        self.legend.add(data, "Data")
        c = self.curves
        names = [comp.name for comp in spec.components]
        if c is not None:
            self.bg_item = pg.PlotDataItem(c.x, c.background, pen=plots.pen(BG_COLOR, 1.5))
            plot.addItem(self.bg_item)
            self.legend.add(self.bg_item, "Background")
            for k, curve in enumerate(c.components):
                color = COLORS[k % len(COLORS)]
                item = pg.PlotDataItem(c.x, curve, pen=plots.pen(color, 1.5))
                fill = pg.FillBetweenItem(item, self.bg_item, brush=plots.faded(color, 40))
                plot.addItem(fill)
                plot.addItem(item)
                self.comp_items.append(item)
                self.legend.add(item, names[k] if k < len(names) else f"C{k + 1}")
            env_name = "Envelope (fit)" if c.fitted else "Model (not fitted)"
            style = Qt.PenStyle.SolidLine if c.fitted else Qt.PenStyle.DashLine
            self.env_item = pg.PlotDataItem(c.x, c.envelope, pen=plots.pen(ENV_COLOR, 2, style))
            plot.addItem(self.env_item)
            self.legend.add(self.env_item, env_name)
            self.resid_curve = pg.PlotDataItem(c.x, c.residuals, pen=plots.pen(DATA_COLOR, 1))
            self.resid_item.addItem(self.resid_curve)
            plots.zero_line(self.resid_item)
            for k, (pos, height) in enumerate(c.apex):
                self._add_handle(k, pos, c.background_at(pos) + height, names[k])
        self._align_residuals()
        lo, hi = float(np.min(x)), float(np.max(x))
        a = spec.start_eV if spec.start_eV is not None else lo
        b = spec.end_eV if spec.end_eV is not None else hi
        self.start_line = self._end_line(max(lo, min(a, hi)), "BG end", (lo, hi), 1.0)
        self.end_line = self._end_line(max(lo, min(b, hi)), "BG start", (lo, hi), 0.0)
        plot.enableAutoRange()

    def _align_residuals(self) -> None:
        """Give the residual plot a right column as wide as the main plot's legend, so both
        plots' x axes line up."""
        width = self.legend.legend.boundingRect().width()
        for item in (self.plot_item, self.resid_item):
            item.layout.setColumnFixedWidth(3, max(width, 1.0))

    def _end_line(
        self, pos: float, label: str, bounds: tuple[float, float], anchor_x: float
    ) -> pg.InfiniteLine:
        line = pg.InfiniteLine(
            pos=pos,
            angle=90,
            movable=True,
            bounds=bounds,
            pen=plots.pen("#505050", 1.5, Qt.PenStyle.DashLine),
            hoverPen=plots.pen("#d62728", 2.5),
            label=label,
            labelOpts={
                "position": 0.97,
                "color": "#404040",
                "anchors": [(anchor_x, 0.0), (anchor_x, 0.0)],
            },
        )
        line.setToolTip(f"{label} of the background: drag to change the fitted range")
        line.sigPositionChanged.connect(self._on_window_dragged)
        line.sigPositionChangeFinished.connect(self._on_window_released)
        self.plot_item.addItem(line, ignoreBounds=True)
        return line

    def _add_handle(self, k: int, x: float, y: float, name: str) -> None:
        handle = pg.TargetItem(
            pos=(x, y),
            size=11,
            symbol="o",
            movable=True,
            pen=plots.pen(COLORS[k % len(COLORS)], 2),
            brush=pg.mkBrush(255, 255, 255, 200),
            hoverBrush=pg.mkBrush(COLORS[k % len(COLORS)]),
        )
        handle.setToolTip(f"{name}: drag to move its position and height")
        handle.setZValue(20)
        handle.sigPositionChanged.connect(lambda item, k=k: self._on_apex_dragged(k, item))
        handle.sigPositionChangeFinished.connect(lambda item, k=k: self._on_apex_released(k))
        self.plot_item.addItem(handle)
        self.handles.append(handle)

    def _fill_table(self, spec: FitSpec) -> None:
        state = self.state
        results = state.analysis.results if state is not None and state.fitted else None
        c = self.curves
        rows = display_rows(spec, results, c.area_pct if c else None, c.areas if c else None)
        self.table.blockSignals(True)
        try:
            self.table.setRowCount(len(rows))
            for r, row in enumerate(rows):
                for col, (key, _) in enumerate(DISPLAY_COLUMNS):
                    item = QTableWidgetItem(row[key])
                    item.setToolTip(row[key])
                    flags = item.flags()
                    if key not in EDITABLE:
                        flags &= ~Qt.ItemFlag.ItemIsEditable
                    item.setFlags(flags)
                    if col >= 2 and key != "constraints":
                        item.setTextAlignment(
                            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                        )
                    if col == 0:
                        item.setForeground(pg.mkColor(COLORS[r % len(COLORS)]))
                    self.table.setItem(r, col, item)
            self.table.resizeColumnsToContents()
        finally:
            self.table.blockSignals(False)
        self._fit_table_height(len(rows))

    def _fit_table_height(self, n_rows: int) -> None:
        """Room for the components (up to 5 rows on a tall screen, 3 on a laptop)."""
        shown = max(2, min(n_rows, 5 if self.window().height() > 800 else 3))
        rows = shown * self.table.verticalHeader().defaultSectionSize()
        self.table.setMinimumHeight(self.table.horizontalHeader().height() + rows + 6)

    # ------------------------------------------------------------------ live preview
    def _live(self, spec: FitSpec, skip_handle: int | None = None) -> None:
        """Redraw the model of ``spec`` without storing it (during a drag)."""
        state = self.state
        if state is None or state.dataset is None:
            return
        self.preview_spec = spec
        if not spec.components:
            return
        try:
            c = preview_curves(state.dataset, spec)
        except (FitError, ValueError):
            return
        self.curves = c
        if self.bg_item is None or len(self.comp_items) != len(c.components):
            return
        self.bg_item.setData(c.x, c.background)
        for item, curve in zip(self.comp_items, c.components, strict=True):
            item.setData(c.x, curve)
        if self.env_item is not None:
            self.env_item.setData(c.x, c.envelope)
        if self.resid_curve is not None:
            self.resid_curve.setData(c.x, c.residuals)
        self._updating = True
        try:
            for k, (pos, height) in enumerate(c.apex):
                if k != skip_handle and k < len(self.handles):
                    self.handles[k].setPos(pos, c.background_at(pos) + height)
        finally:
            self._updating = False

    def window_spec(self) -> FitSpec | None:
        """The state's spec with the window of the two end lines."""
        if self.state is None or self.state.spec is None or self.start_line is None:
            return None
        return with_window(self.state.spec, self.start_line.value(), self.end_line.value())

    @Slot()
    def _on_window_dragged(self) -> None:
        if self._updating:
            return
        spec = self.window_spec()
        if spec is not None:
            self._live(spec)

    @Slot()
    def _on_window_released(self) -> None:
        spec = self.window_spec()
        if spec is not None:
            self.tab.push_spec(spec, "Move the XPS background end point")

    def apex_spec(self, k: int, handle: pg.TargetItem) -> FitSpec | None:
        """The state's spec with component ``k`` where its apex handle is."""
        state = self.state
        if state is None or state.spec is None or self.curves is None:
            return None
        p = handle.pos()
        be = float(p.x())
        height = float(p.y()) - self.curves.background_at(be)
        return moved_component(self.window_spec() or state.spec, k, be, height)

    def _on_apex_dragged(self, k: int, handle: pg.TargetItem) -> None:
        if self._updating:
            return
        spec = self.apex_spec(k, handle)
        if spec is not None:
            self._live(spec, skip_handle=k)

    def _on_apex_released(self, k: int) -> None:
        if self.preview_spec is not None and self.state is not None and self.state.spec:
            name = self.state.spec.components[k].name
            self.tab.push_spec(self.preview_spec, f"Move XPS component {name}")

    # ------------------------------------------------------------------ clicks and table
    def _on_scene_clicked(self, event: Any) -> None:
        if not self.add_button.isChecked() or event.button() != Qt.MouseButton.LeftButton:
            return
        vb = self.plot_item.getViewBox()
        if not vb.sceneBoundingRect().contains(event.scenePos()):
            return
        event.accept()
        p = vb.mapSceneToView(event.scenePos())
        self.add_button.setChecked(False)
        self.add_at(float(p.x()))

    def add_at(self, be: float) -> None:
        """Add a component at binding energy ``be`` with the data's height above the background
        there."""
        state = self.state
        if state is None or state.dataset is None or state.spec is None:
            return
        x = corrected_binding_energy(state.dataset.arrays, state.dataset.metadata)
        y = np.asarray(state.dataset.arrays["counts_per_s"], dtype=float)
        order = np.argsort(x)
        data_y = float(np.interp(be, x[order], y[order]))
        base = self.curves.background_at(be) if self.curves is not None else float(np.min(y))
        height = data_y - base
        if height <= 0:
            height = 0.1 * max(data_y - float(np.min(y)), 1.0)
        spec = added_component(self.window_spec() or state.spec, be, height)
        self.tab.push_spec(spec, f"Add XPS component at {be:.2f} eV")

    def _remove_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.tab.remove_component(rows[0].row())

    def _constrain_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.edit_constraints(rows[0].row())
        elif self.table.rowCount() == 1:
            self.edit_constraints(0)

    def _on_item_double_clicked(self, item: QTableWidgetItem) -> None:
        if DISPLAY_COLUMNS[item.column()][0] == "constraints":
            self.edit_constraints(item.row())

    def edit_constraints(self, index: int) -> None:
        """Open the constraints dialog of component ``index`` (window-modal); OK stores the
        constrained model as one undo step."""
        spec = self.window_spec() or (self.state.spec if self.state is not None else None)
        if spec is None or not 0 <= index < len(spec.components):
            return
        if self.constraints_dialog is not None:
            self.constraints_dialog.close()
        dialog = ConstraintsDialog(spec, index, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        name = spec.components[index].name
        dialog.accepted.connect(lambda: self._on_constraints_accepted(dialog, name))
        dialog.destroyed.connect(self._on_constraints_dialog_gone)
        self.constraints_dialog = dialog
        dialog.open()

    def _on_constraints_accepted(self, dialog: ConstraintsDialog, name: str) -> None:
        spec = dialog.result_spec()
        if spec is not None:
            self.tab.push_spec(spec, f"Constrain XPS component {name}")

    @Slot()
    def _on_constraints_dialog_gone(self) -> None:
        self.constraints_dialog = None

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        key = DISPLAY_COLUMNS[item.column()][0]
        self.tab.edit_cell(item.row(), key, item.text())

    # ------------------------------------------------------------------ export sources
    def table_source(self) -> tuple[list[str], list[dict[str, Any]]]:
        state = self.state
        if state is None or state.spec is None:
            return [], []
        return export_rows(state.spec, state.analysis.results if state.fitted else None)

    def curves_table(self) -> tuple[list[str], list[dict[str, Any]]]:
        if self.curves is None or self.state is None or self.state.spec is None:
            return [], []
        return self.curves.table([c.name for c in self.state.spec.components])
