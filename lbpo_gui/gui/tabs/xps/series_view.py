"""The Series view: one template across an etch series of the sample (the study's B 1s depth
profile) or across every sample and state of a region (before/after), fitted one by one with warm
starts or together with shared positions and FWHMs; a component's area or area % plotted against
etch time, or per sample and state.

"Fit series" stores every spectrum's fit as its ``xps_fit`` analysis (one undo step); the plot
and the table show the stored fits, so undo and the Fit view agree with them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QComboBox, QPushButton, QWidget

from ....core.analyses.xps import ANALYSIS_NAME, DEFAULT_TEMPLATES, xps_fit_output
from ....core.project import Dataset, Project, rules
from ....core.project.model import Analysis, check_json_value, now_iso
from ....core.xps.fit import exposure_from_metadata
from ....core.xps.model import FitSpec
from ....core.xps.sample_quant import acquisition_key, corrected_binding_energy, quantify
from ....core.xps.series import fit_global, fit_series
from ....core.xps.templates import load_template
from ... import dialogs
from ...analysis import plots
from ...analysis.export import ExportButton, TableExportButton
from ...analysis.views import AnalysisView, note_label, plot_page
from ...commands import CompositeCommand, SetAnalysis
from .common import (
    XpsState,
    has_fit,
    quant_inputs,
    region_of,
    settings_for,
    stored_fit,
)
from .fit_view import COLORS

if TYPE_CHECKING:
    from .tab import XpsTab

SCOPES = (("etch", "Etch series of this sample"), ("samples", "All samples and states"))
MODES = (("warm", "One by one (warm starts)"), ("global", "Global (shared positions, FWHMs)"))
QUANTITIES = (
    ("area_pct", "Area (%)"),
    ("area", "Area (cps\u00b7eV)"),
    ("atomic_pct", "At. % (all regions)"),
)
#: Row keys (after "<component>: ") of each quantity and of its standard error.
ROW_KEYS = {
    "area_pct": ("area_pct", "area_pct_stderr"),
    "area": ("area_cps_eV", "area_stderr_cps_eV"),
    "atomic_pct": ("atomic_pct", "atomic_pct_stderr"),
}


def _combo(name: str, items: tuple[tuple[str, str], ...]) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    for key, text in items:
        combo.addItem(text, key)
    return combo


def series_datasets(project: Project, state: XpsState, scope: str, region: str) -> list[Dataset]:
    """The spectra of a series: the sample's datasets of ``region`` by etch time, or every
    sample's (in project order)."""
    if scope == "etch":
        found = [d for d in state.datasets if region_of(d) == region]
        return sorted(found, key=lambda d: float(d.metadata.get("etch_time_s") or 0.0))
    return [d for _, d in project.datasets("xps") if region_of(d) == region]


def series_spec(state: XpsState, region: str) -> FitSpec | None:
    """The template of a series: the shown spectrum's model when it is of ``region``, else the
    region's built-in template."""
    shown = state.dataset
    if shown is not None and region_of(shown) == region and state.spec and state.spec.components:
        return state.spec.copy()
    name = DEFAULT_TEMPLATES.get(region)
    return load_template(name) if name else None


class SeriesView(AnalysisView):
    """A component's area or share across a series of spectra."""

    title = "Series"

    def __init__(self, tab: XpsTab, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tab = tab
        self.state: XpsState | None = None
        self.rows: list[dict[str, Any]] = []
        self._names: tuple[str, ...] = ()
        self.scope_combo = _combo("xpsSeriesScope", SCOPES)
        self.region_combo = QComboBox()
        self.region_combo.setObjectName("xpsSeriesRegion")
        self.mode_combo = _combo("xpsSeriesMode", MODES)
        self.quantity_combo = _combo("xpsSeriesQuantity", QUANTITIES)
        self.quantity_combo.setToolTip("What to plot of the chosen component")
        self.mode_combo.setToolTip(
            "One by one: each spectrum starts from its neighbour's fit. Global: one fit of all "
            "spectra with shared positions and FWHMs (areas free), which CasaXPS cannot do"
        )
        self.component_combo = QComboBox()
        self.component_combo.setObjectName("xpsSeriesComponent")
        self.component_combo.setToolTip("The component to plot")
        self.component_combo.setMinimumContentsLength(12)
        self.component_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.run_button = QPushButton("Fit series")
        self.run_button.setObjectName("xpsSeriesRun")
        self.run_button.setToolTip(
            "Fit the template to every spectrum of the series and store the fits (one undo step)"
        )
        self.run_button.clicked.connect(self.run_series)
        for combo in (self.scope_combo, self.region_combo, self.quantity_combo):
            combo.activated.connect(lambda _=0: self._redraw())
        self.component_combo.activated.connect(lambda _=0: self._draw())

        self.plot_widget = plots.new_plot("Etch time (s)", "Area (%)")
        self.plot_widget.setObjectName("xpsSeriesPlot")
        self.plot_item = self.plot_widget.getPlotItem()
        self.plot_item.showGrid(x=True, y=True, alpha=0.15)
        self.legend = plots.SideLegend(self.plot_item)
        self.export_button = ExportButton(self.plot_widget, "xps_series", tab.export_folder)
        self.table_export = TableExportButton(self.table_source, "xps_series", tab.export_folder)
        self.table_export.setText("Export table")
        self.note = note_label()
        plot_page(
            self.content,
            [
                self.scope_combo,
                self.region_combo,
                self.mode_combo,
                self.run_button,
                8,
                self.quantity_combo,
                self.component_combo,
                self.table_export,
            ],
            self.plot_widget,
            self.note,
            export=self.export_button,
        )

    # ------------------------------------------------------------------ rendering
    def render_key(self, state: XpsState) -> Any:
        return None

    def render_content(self, state: XpsState) -> None:
        self.state = state
        self._fill_regions(state)
        self._redraw()

    def _fill_regions(self, state: XpsState) -> None:
        project = state.project
        regions = []
        for _, d in project.datasets("xps") if project is not None else []:
            if region_of(d) not in regions:
                regions.append(region_of(d))
        current = self.region_combo.currentText()
        if not current or current not in regions:
            etch = [region_of(d) for d in state.datasets if d.metadata.get("etch_time_s")]
            current = etch[0] if etch else (region_of(state.dataset) if state.dataset else "")
        self.region_combo.blockSignals(True)
        self.region_combo.clear()
        self.region_combo.addItems(regions)
        self.region_combo.setCurrentIndex(max(0, self.region_combo.findText(current)))
        self.region_combo.blockSignals(False)

    def datasets(self) -> list[Dataset]:
        state = self.state
        if state is None or state.project is None:
            return []
        return series_datasets(
            state.project, state, self.scope_combo.currentData(), self.region_combo.currentText()
        )

    def _redraw(self) -> None:
        """Collect the stored fits of the series and draw."""
        self.rows = []
        names: list[str] = []
        for d in self.datasets():
            analysis = stored_fit(d)
            sample = self._sample_name(d)
            row: dict[str, Any] = {
                "sample": sample,
                "dataset": d.label,
                "state": d.metadata.get("state", ""),
                "etch_time_s": d.metadata.get("etch_time_s"),
                "etch_level": d.metadata.get("etch_level"),
            }
            if has_fit(analysis):
                res = analysis.results
                row["reduced_chi_square"] = res.get("reduced_chi_square")
                for c in res["components"]:
                    if c["name"] not in names:
                        names.append(c["name"])
                    err = c.get("stderr", {})
                    row[f"{c['name']}: area_cps_eV"] = c["area"]
                    row[f"{c['name']}: area_stderr_cps_eV"] = err.get("area")
                    row[f"{c['name']}: area_pct"] = c["area_pct"]
                    row[f"{c['name']}: area_pct_stderr"] = err.get("area_pct")
                row.update(self._atomic_pct(d))
            self.rows.append(row)
        current = self.component_combo.currentText()
        self.component_combo.blockSignals(True)
        self.component_combo.clear()
        self.component_combo.addItems(names)
        if current in names:
            self.component_combo.setCurrentIndex(names.index(current))
        self.component_combo.blockSignals(False)
        if tuple(names) != self._names:  # a new model: one component is always 100 %
            self._names = tuple(names)
            default = "area" if len(names) == 1 else "area_pct"
            self.quantity_combo.setCurrentIndex(self.quantity_combo.findData(default))
        self.component_combo.setToolTip(self.component_combo.currentText())
        self.component_combo.setEnabled(bool(names))
        self.quantity_combo.setEnabled(bool(names))
        self._draw()

    def _atomic_pct(self, d: Dataset) -> dict[str, float]:
        """``{"<component>: atomic_pct": at.%}`` of ``d``'s components among every region of
        its acquisition (same sample, specimen, state and etch level; ALTHERMO1, KE^0.6)."""
        project = self.state.project if self.state else None
        if project is None:
            return {}
        sample, _ = project.dataset(d.id)
        key = acquisition_key(d.metadata)
        spectra = [
            x for x in sample.datasets if x.kind == "xps" and acquisition_key(x.metadata) == key
        ]
        table = quantify(quant_inputs(spectra), by="components")
        prefix = f"{region_of(d)} "
        return {
            f"{r['name'][len(prefix) :]}: atomic_pct": r["atomic_pct"]
            for r in table.rows
            if r["region"] == region_of(d) and r["name"].startswith(prefix)
        }

    def _sample_name(self, d: Dataset) -> str:
        project = self.state.project if self.state else None
        if project is None:
            return ""
        sample, _ = project.dataset(d.id)
        return sample.name

    def _draw(self) -> None:
        plot = self.plot_item
        plot.clear()
        self.legend.clear()
        name = self.component_combo.currentText()
        self.component_combo.setToolTip(name)
        quantity = self.quantity_combo.currentData()
        etch = self.scope_combo.currentData() == "etch"
        region = self.region_combo.currentText()
        axis = plot.getAxis("bottom")
        plot.getViewBox().invertX(False)
        axis.setTicks(None if etch else [self._sample_ticks()])
        plot.setLabel("bottom", "Etch time (s)" if etch else "Sample")
        plot.setLabel("left", f"{name or 'component'}: {dict(QUANTITIES)[quantity]}")
        if not self.rows:
            self.note.setText(f"No {region} spectra for this series.")
            return
        if not name:
            self._draw_spectra()
            self.note.setText(
                f"{len(self.rows)} {region} spectra, none fitted yet: press \u201cFit series\u201d "
                "to fit the template to each and plot a component against etch time or sample."
            )
            return
        key, err_key = (f"{name}: {k}" for k in ROW_KEYS[quantity])
        groups = [("", self.rows)] if etch else self._state_groups()
        for g, (state, rows) in enumerate(groups):
            points = [
                (self._x(r, g, len(groups)), float(r[key]), float(r.get(err_key) or 0.0))
                for r in rows
                if key in r
            ]
            if not points:
                continue
            x, y, e = (np.array(v) for v in zip(*points, strict=True))
            color = COLORS[g % len(COLORS)]
            bars = pg.ErrorBarItem(x=x, y=y, top=e, bottom=e, beam=0.0, pen=plots.pen(color, 1))
            plot.addItem(bars)
            curve = pg.PlotDataItem(
                x,
                y,
                pen=plots.pen(color, 1.5) if etch else None,
                symbol="o",
                symbolSize=8,
                symbolBrush=color,
                symbolPen=None,
            )
            plot.addItem(curve)
            self.legend.add(curve, state or f"{name} (\u00b1 1 s.e.)")
        plot.enableAutoRange()
        if not etch:
            plot.setXRange(-0.5, len(self._samples()) - 0.5, padding=0)
        n_fit = sum(1 for r in self.rows if key in r)
        note = (
            f"{n_fit} of {len(self.rows)} {region} spectra fitted with one template. Error bars: "
            "covariance standard errors (Monte Carlo errors per spectrum in the Fit view)."
        )
        if quantity == "atomic_pct":
            note = (
                f"At. % of {name} among every region measured at the same etch level (ALTHERMO1 "
                "RSFs, KE^0.6; unfitted regions by their Shirley area; see Quantification). "
                + ("Only this region was measured, so it is 100 %. " if self._alone() else "")
                + note
            )
        self.note.setText(note)

    def _alone(self) -> bool:
        """Whether no spectrum of another region shares an acquisition with the series."""
        state = self.state
        if state is None:
            return True
        region = self.region_combo.currentText()
        keys = {acquisition_key(d.metadata) for d in self.datasets()}
        return not any(
            region_of(x) != region and acquisition_key(x.metadata) in keys for x in state.datasets
        )

    def _draw_spectra(self) -> None:
        """The series' spectra overlaid (binding energy reversed), before any fit."""
        plot = self.plot_item
        axis = plot.getAxis("bottom")
        axis.setTicks(None)
        plot.getViewBox().invertX(True)
        plot.setLabel("bottom", "Binding energy (eV)")
        plot.setLabel("left", "Intensity (counts/s)")
        for k, d in enumerate(self.datasets()):
            color = COLORS[k % len(COLORS)]
            curve = pg.PlotDataItem(
                corrected_binding_energy(d.arrays, d.metadata),
                d.arrays["counts_per_s"],
                pen=plots.pen(color, 1.2),
            )
            plot.addItem(curve)
            row = self.rows[k] if k < len(self.rows) else {}
            text = d.label if len(d.label) <= 28 else d.label[:27] + "\u2026"
            if self.scope_combo.currentData() != "etch":
                text = f"{row.get('sample', '')}: {text}"[:40]
            self.legend.add(curve, text)
        plot.enableAutoRange()

    def _samples(self) -> list[str]:
        out: list[str] = []
        for r in self.rows:
            if r["sample"] not in out:
                out.append(r["sample"])
        return out

    def _sample_ticks(self) -> list[tuple[float, str]]:
        return [
            (float(i), s if len(s) <= 16 else s[:15] + "\u2026")
            for i, s in enumerate(self._samples())
        ]

    def _state_groups(self) -> list[tuple[str, list[dict[str, Any]]]]:
        states: dict[str, list[dict[str, Any]]] = {}
        for r in self.rows:
            states.setdefault(str(r["state"] or "\u2013"), []).append(r)
        return list(states.items())

    def _x(self, row: dict[str, Any], group: int, n_groups: int) -> float:
        """Etch time, or the sample's index with the states side by side."""
        if self.scope_combo.currentData() == "etch":
            return float(row["etch_time_s"] or 0.0)
        offset = (group - (n_groups - 1) / 2) * 0.18
        return self._samples().index(row["sample"]) + offset

    def table_source(self) -> tuple[list[str], list[dict[str, Any]]]:
        cols: list[str] = []
        for r in self.rows:
            for k in r:
                if k not in cols:
                    cols.append(k)
        return cols, self.rows

    # ------------------------------------------------------------------ fitting
    def run_series(self) -> None:
        """Fit the series in a worker and store every fit (one undo step)."""
        state = self.state
        datasets = self.datasets()
        region = self.region_combo.currentText()
        if state is None or state.project is None or not datasets:
            return
        spec = series_spec(state, region)
        if spec is None or not spec.components:
            dialogs.information(
                self.tab,
                "No template",
                f"Make a model of a {region} spectrum in the Fit view first.",
            )
            return
        mode = self.mode_combo.currentData()
        project = state.project
        pairs = [(project.dataset(d.id)[0], d) for d in datasets]
        spectra = [
            (
                corrected_binding_energy(d.arrays, d.metadata),
                d.arrays["counts_per_s"],
                exposure_from_metadata(d.metadata),
            )
            for d in datasets
        ]

        def job(ctx):
            ctx.progress(0.02, f"Fitting {len(spectra)} {region} spectra\u2026")
            if mode == "global":
                results = fit_global(spectra, spec).results
            else:
                results = fit_series(
                    spectra,
                    spec,
                    progress=lambda i, n: ctx.progress(i / n, f"Fitted {i} of {n} spectra"),
                    cancel=ctx.cancelled,
                )
            out = []
            for (sample, d), r in zip(pairs, results, strict=True):
                settings = check_json_value(settings_for(spec, d), "xps_fit: settings")
                o = xps_fit_output(d, spec, r)
                fp = rules.fingerprint(ANALYSIS_NAME, sample, d, settings)
                out.append((d.id, Analysis(settings, o.results, dict(o.arrays), now_iso(), fp)))
            return out

        def deliver(value: object) -> None:
            if isinstance(value, BaseException):
                dialogs.warning(self.tab, "Series fit failed", rules.error_text(value))
                return
            doc = self.tab.document
            if doc is None:
                return
            how = "global fit" if mode == "global" else "warm starts"
            commands = [
                SetAnalysis(
                    doc,
                    did,
                    ANALYSIS_NAME,
                    settings=a.settings,
                    results=a.results,
                    arrays=a.arrays,
                    inputs=a.inputs,
                )
                for did, a in value  # type: ignore[attr-defined]
            ]
            text = f"Fit {region} series ({len(commands)} spectra, {how})"
            self.tab.push(CompositeCommand(doc, text, commands), "Series fit not stored")

        key = (mode, region, tuple(d.id for d in datasets))
        self.tab.runner.submit("xps:series", key, job, deliver, background=True)
