"""The Impedance tab's other views: fitted parameters with residuals, all samples' Nyquist
plots (like the study's Figure S2), Bode, Lin-KK residuals, DRT, and the Table 2 layout."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication
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

from ....core.eis.drt import drt
from ....core.eis.elements import element_kind
from ....core.eis.kk import lin_kk, residuals_at_model_frequencies
from ....core.report.impedance import COLUMNS as TABLE2_COLUMNS
from ...analysis.export import ExportButton, TableExportButton
from ...analysis.plots import SideLegend, new_plot, pen, zero_line
from ...analysis.runner import Runner
from ...analysis.views import AnalysisView, controls_row, note_label, plot_page
from ...circuit_editor.items import UNIT_TEXT
from ...plotting import PALETTE
from .circuit_view import NYQUIST_X, NYQUIST_Y, SpectrumPlots
from .common import ImpedanceState, dataset_circuit, fit_results, spectrum


def _cell(text: str, tip: str = "", right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if tip:
        item.setToolTip(tip)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def fill_table(table: QTableWidget, columns: list[str], rows: list[list[str]]) -> None:
    table.setColumnCount(len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, _cell(text, right=c > 0))


def new_table(name: str) -> QTableWidget:
    t = QTableWidget()
    t.setObjectName(name)
    t.verticalHeader().setVisible(False)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    return t


def table_text(table: QTableWidget) -> str:
    """The table as tab-separated text with its header (for the clipboard)."""
    cols = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    lines = ["\t".join(cols)]
    for r in range(table.rowCount()):
        lines.append(
            "\t".join(
                (table.item(r, c).text() if table.item(r, c) else "")
                for c in range(table.columnCount())
            )
        )
    return "\n".join(lines)


def table_rows(table: QTableWidget) -> tuple[list[str], list[dict[str, Any]]]:
    cols = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    rows = [
        {cols[c]: (table.item(r, c).text() if table.item(r, c) else "") for c in range(len(cols))}
        for r in range(table.rowCount())
    ]
    return cols, rows


def copy_button(table: QTableWidget) -> QPushButton:
    b = QPushButton("Copy")
    b.setToolTip("Copy the table (tab-separated, with its header) to paste into a spreadsheet")
    b.clicked.connect(lambda: QGuiApplication.clipboard().setText(table_text(table)))
    return b


def toolbar(layout: QVBoxLayout, controls: list) -> None:
    """A wrapping row of controls at the top of ``layout`` (as in ``plot_page``)."""
    top = QHBoxLayout()
    top.setContentsMargins(0, 0, 0, 0)
    top.addWidget(controls_row(controls), 1)
    layout.addLayout(top)


def plot_residuals(
    plot_item: Any, legend: SideLegend, freq_Hz: np.ndarray, rel: np.ndarray
) -> None:
    """Real and imaginary relative residuals (``rel`` complex, fraction) in % against frequency,
    with their legend entries and the zero line."""
    for values, color, symbol, name in (
        (rel.real, "#1565c0", "o", "Z\u2032"),
        (rel.imag, "#c62828", "t", "Z\u2033"),
    ):
        item = plot_item.plot(
            freq_Hz,
            100 * values,
            pen=pen(color, 1.5),
            symbol=symbol,
            symbolSize=4,
            symbolBrush=color,
        )
        legend.add(item, name)
    zero_line(plot_item)


def _fmt(v: float | None, digits: int = 4) -> str:
    if v is None or not math.isfinite(v):
        return "\u2013"
    return f"{v:.{digits}g}"


def _at(value: float, bound: float) -> bool:
    """Whether ``value`` sits on ``bound`` (relative 1e-6)."""
    return math.isfinite(bound) and abs(value - bound) <= 1e-6 * max(abs(bound), 1e-12)


PARAM_COLUMNS = [
    "Element",
    "Parameter",
    "Value",
    "Error (%)",
    "Lower",
    "Upper",
    "Fixed",
    "Unit",
    "Arc",
]


class ParametersView(AnalysisView):
    """The fitted (or start) parameters and the fit's relative residuals."""

    title = "Parameters"
    #: (element id, parameter, field "value"/"lower"/"upper"/"fixed", new value)
    paramEdited = Signal(str, str, str, object)
    EDITABLE = {2: "value", 4: "lower", 5: "upper"}
    FIXED_COLUMN = 6

    def __init__(self, folder: Callable[[], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = new_table("parameterTable")
        self.table.setToolTip(
            "Double-click a value or bound to type a new one; tick Fixed to keep a value in the "
            "fit. Each change is one undo step."
        )
        self.table.itemChanged.connect(self._on_item_changed)
        self._keys: list[tuple[str, str]] = []
        self.residuals = new_plot("Frequency (Hz)", "Residual (% of |Z|)")
        self.residuals.setObjectName("residualPlot")
        self.residuals.getPlotItem().setLogMode(x=True, y=False)
        self.plot_item = self.residuals.getPlotItem()
        self.legend = SideLegend(self.plot_item)
        self.note = note_label()
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        toolbar(
            tl,
            [
                copy_button(self.table),
                TableExportButton(lambda: table_rows(self.table), "eis_parameters", folder),
            ],
        )
        tl.addWidget(self.table, 1)
        bottom = QWidget()
        plot_page(
            bottom,
            [],
            self.residuals,
            self.note,
            export=ExportButton(self.residuals, "eis_residuals", folder),
        )
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setSizes([330, 230])
        QVBoxLayout(self.content).addWidget(split)

    def render_key(self, state: ImpedanceState) -> Any:
        d = state.dataset
        return (d.id, id(d.analyses.get("eis_fit"))) if d is not None else None

    def render_content(self, state: ImpedanceState) -> None:
        d = state.dataset
        assert d is not None
        results = fit_results(d)
        circuit = dataset_circuit(d)
        fitted = {(p["element"], p["name"]): p for p in results.get("parameters", [])}
        arcs = {}
        for a in results.get("arcs", []) + results.get("series_resistances", []):
            for el in a.get("elements", []):
                arcs[el] = a.get("assignment", "")
        rows = []
        at_bound = []
        for el, p in circuit.parameters():
            unit = next((s.unit for s in element_kind(el.kind).params if s.name == p.name), "")
            fp = fitted.get((el.id, p.name), {})
            err = fp.get("stderr")
            pct = abs(100 * err / p.value) if err is not None and p.value else None
            near = [_at(p.value, b) for b in (p.lower, p.upper)]
            if fp and not p.fixed and any(near):
                at_bound.append(len(rows))
            rows.append(
                [
                    el.id,
                    p.name,
                    _fmt(p.value),
                    _fmt(pct, 3),
                    _fmt(p.lower),
                    _fmt(p.upper),
                    "yes" if p.fixed else "",
                    UNIT_TEXT.get(unit, unit),
                    arcs.get(el.id, ""),
                ]
            )
        self.table.blockSignals(True)
        fill_table(self.table, PARAM_COLUMNS, rows)
        self._keys = [(el.id, p.name) for el, p in circuit.parameters()]
        for r, (_, p) in enumerate(circuit.parameters()):
            for c, field in self.EDITABLE.items():
                item = self.table.item(r, c)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                item.setText(f"{getattr(p, field):.6g}")
            fixed = self.table.item(r, self.FIXED_COLUMN)
            fixed.setText("")
            fixed.setFlags(fixed.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            fixed.setCheckState(Qt.CheckState.Checked if p.fixed else Qt.CheckState.Unchecked)
        self.table.blockSignals(False)
        for r in at_bound:
            for c in range(len(PARAM_COLUMNS)):
                self.table.item(r, c).setBackground(QColor("#ffe0b2"))
                self.table.item(r, c).setToolTip("At a bound: widen it or fix the parameter")
        self.plot_item.clear()
        self.legend.clear()
        a = d.analyses.get("eis_fit")
        data = spectrum(d)
        if results and a is not None and "z_fit_real_ohm" in a.arrays and data is not None:
            f, z = data
            ff = np.asarray(a.arrays["frequency_Hz"])
            zf = np.asarray(a.arrays["z_fit_real_ohm"]) + 1j * np.asarray(
                a.arrays["z_fit_imag_ohm"]
            )
            rel = residuals_at_model_frequencies(f, z, ff, zf)
            plot_residuals(self.plot_item, self.legend, ff, rel)
            self.note.setText(
                f"\u03c7\u00b2 = {_fmt(results.get('chi_square'))}, reduced \u03c7\u00b2 = "
                f"{_fmt(results.get('reduced_chi_square'))}, {results.get('n_points', '')} points, "
                f"weighting {results.get('weighting', '')}. Orange rows sit at a bound."
            )
        else:
            self.note.setText("Not fitted yet: the values are the start values. Press Fit.")

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        r, c = item.row(), item.column()
        if not 0 <= r < len(self._keys):
            return
        element_id, name = self._keys[r]
        if c == self.FIXED_COLUMN:
            checked = item.checkState() == Qt.CheckState.Checked
            self.paramEdited.emit(element_id, name, "fixed", checked)
            return
        field = self.EDITABLE.get(c)
        if field is None:
            return
        text = item.text().strip().replace(",", ".").lower()
        try:
            value = (
                float("inf") if text in ("inf", "\u2013", "") and field == "upper" else float(text)
            )
        except ValueError:
            self.invalidate()
            self.note.setText(f"{element_id}.{name}: {item.text()!r} is not a number")
            return
        self.paramEdited.emit(element_id, name, field, value)


class NyquistAllView(AnalysisView):
    """Every sample's first impedance spectrum (points) and stored fit (line), equal axes."""

    title = "Nyquist (all)"
    per_dataset = False

    def __init__(self, folder: Callable[[], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.widget = new_plot(NYQUIST_X, NYQUIST_Y)
        self.widget.setObjectName("nyquistAllPlot")
        self.plot_item = self.widget.getPlotItem()
        self.plot_item.getViewBox().setAspectLocked(True, ratio=1.0)
        self.legend = SideLegend(self.plot_item)
        self.note = note_label("Points: data; lines: the stored fits (Fit or Batch fit).")
        plot_page(
            self.content,
            [],
            self.widget,
            self.note,
            export=ExportButton(self.widget, "nyquist_all", folder),
        )

    def render_content(self, state: ImpedanceState) -> None:
        self.plot_item.clear()
        self.legend.clear()
        project = state.project
        if project is None:
            return
        i = 0
        for sample in project.samples:
            d = next((x for x in sample.datasets if x.kind == "impedance"), None)
            data = spectrum(d) if d is not None else None
            if data is None:
                continue
            color = PALETTE[i % len(PALETTE)]
            i += 1
            _, z = data
            pts = self.plot_item.plot(
                z.real,
                -z.imag,
                pen=None,
                symbol="o",
                symbolSize=5,
                symbolBrush=color,
                symbolPen=None,
                name=sample.name,
            )
            self.legend.add(pts, sample.name)
            a = d.analyses.get("eis_fit")
            if fit_results(d) and a is not None and "curve_real_ohm" in a.arrays:
                self.plot_item.plot(
                    np.asarray(a.arrays["curve_real_ohm"]),
                    -np.asarray(a.arrays["curve_imag_ohm"]),
                    pen=pen(color, 1.6),
                    name=f"{sample.name} fit",
                )


class BodeView(AnalysisView):
    """|Z| and phase against frequency of the selected spectrum with its fit."""

    title = "Bode"

    def __init__(self, folder: Callable[[], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plots = SpectrumPlots("bode", folder)
        self.plot_item = self.plots.modulus.getPlotItem()
        layout = QVBoxLayout(self.content)
        for plot, export in zip(
            (self.plots.modulus, self.plots.phase), self.plots.exports[1:], strict=True
        ):
            toolbar(layout, [export])
            layout.addWidget(plot, 1)
        layout.addWidget(note_label("Points: data; green: the stored fit."))

    def render_key(self, state: ImpedanceState) -> Any:
        d = state.dataset
        return (d.id, id(d.analyses.get("eis_fit"))) if d is not None else None

    def render_content(self, state: ImpedanceState) -> None:
        d = state.dataset
        f, z = spectrum(d)
        self.plots.set_curve("data", z, f)
        a = d.analyses.get("eis_fit")
        if fit_results(d) and a is not None and "curve_frequency_Hz" in a.arrays:
            cz = np.asarray(a.arrays["curve_real_ohm"]) + 1j * np.asarray(
                a.arrays["curve_imag_ohm"]
            )
            self.plots.set_curve("fit", cz, np.asarray(a.arrays["curve_frequency_Hz"]))
        else:
            self.plots.set_curve("fit", None, None)


class BackgroundResultView(AnalysisView):
    """A view whose result (Lin-KK, DRT) is computed in the tab's worker, once per spectrum:
    the window never waits for it, and switching back shows it at once."""

    channel = ""
    #: (x label, y label, object name, export file stem) of the view's log-x plot.
    plot_spec: tuple[str, str, str, str] = ("", "", "", "")

    def __init__(
        self, folder: Callable[[], Any], runner: Runner | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self._results: dict[tuple[str, int], object] = {}
        x_label, y_label, name, stem = self.plot_spec
        self.widget = new_plot(x_label, y_label)
        self.widget.setObjectName(name)
        self.plot_item = self.widget.getPlotItem()
        self.plot_item.setLogMode(x=True, y=False)
        self.note = note_label()
        plot_page(
            self.content, [], self.widget, self.note, export=ExportButton(self.widget, stem, folder)
        )

    def render_key(self, state: ImpedanceState) -> Any:
        return state.dataset.id if state.dataset is not None else None

    def compute(self, f: np.ndarray, z: np.ndarray) -> object:
        raise NotImplementedError

    def result_for(self, state: ImpedanceState) -> object | None:
        """The cached result (or the exception it raised), else None after starting the job."""
        dataset = state.dataset
        key = (dataset.id, dataset.n_points)
        if key in self._results:
            return self._results[key]
        f, z = spectrum(dataset)
        if self.runner is None:
            try:
                self._results[key] = self.compute(f, z)
            except Exception as exc:  # noqa: BLE001 (shown, never raised)
                self._results[key] = exc
            return self._results[key]

        def job(ctx):
            ctx.progress(0.1, f"{self.title} of {dataset.label}\u2026")
            return self.compute(f, z)

        def done(value: object) -> None:
            self._results[key] = value
            self.invalidate()

        self.runner.submit(self.channel, key, job, done, background=True)
        self.show_message(
            f"Computing the {self.title} of \u201c{dataset.label}\u201d\u2026", busy=True
        )
        return None


class KKView(BackgroundResultView):
    """Lin-KK residuals of the selected spectrum (Schoenleber's mu criterion, automatic M)."""

    title = "Lin-KK"
    channel = "lin_kk"
    plot_spec = ("Frequency (Hz)", "Residual (% of |Z|)", "kkPlot", "lin_kk")

    def __init__(
        self, folder: Callable[[], Any], runner: Runner | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(folder, runner, parent)
        self.legend = SideLegend(self.plot_item)

    def compute(self, f: np.ndarray, z: np.ndarray) -> object:
        return lin_kk(f, z)

    def render_content(self, state: ImpedanceState) -> None:
        kk = self.result_for(state)
        if kk is None:
            return
        self.plot_item.clear()
        self.legend.clear()
        if isinstance(kk, BaseException):
            self.note.setText(f"Lin-KK failed: {kk}")
            return
        rel = kk.residual_real + 1j * kk.residual_imag
        plot_residuals(self.plot_item, self.legend, kk.frequency_Hz, rel)
        self.note.setText(
            f"Lin-KK: M = {kk.M} RC elements, \u03bc = {kk.mu:.3f}, largest residual "
            f"{kk.max_residual_pct:.2f} %. Residuals within about \u00b11 % and without a trend "
            "mean the spectrum is Kramers-Kronig valid (linear, causal, stable)."
        )


class DRTView(BackgroundResultView):
    """Distribution of relaxation times of the selected spectrum, with its peaks."""

    title = "DRT"
    channel = "drt"
    plot_spec = ("\u03c4 (s)", "\u03b3 (\u03a9)", "drtPlot", "drt")

    def compute(self, f: np.ndarray, z: np.ndarray) -> object:
        return drt(f, z)

    def render_content(self, state: ImpedanceState) -> None:
        res = self.result_for(state)
        if res is None:
            return
        self.plot_item.clear()
        if isinstance(res, BaseException):
            self.note.setText(f"DRT failed: {res}")
            return
        self.plot_item.plot(
            res.tau_s, res.gamma_ohm, pen=pen("#6a1b9a", 2.0), name="\u03b3(\u03c4)"
        )
        peaks = []
        for p in res.peaks:
            peaks.append(f"\u03c4 = {p.tau_s:.3g} s (R \u2248 {p.R_ohm:.3g} \u03a9)")
        self.plot_item.plot(
            [p.tau_s for p in res.peaks],
            [
                float(np.interp(np.log10(p.tau_s), np.log10(res.tau_s), res.gamma_ohm))
                for p in res.peaks
            ],
            pen=None,
            symbol="t1",
            symbolSize=10,
            symbolBrush="#6a1b9a",
            name="peaks",
        )
        self.note.setText(
            f"Tikhonov-regularised, non-negative; \u03bb = {res.lambda_:.3g} ({res.method}). "
            f"{len(res.peaks)} peaks: " + "; ".join(peaks)
        )


class Table2View(AnalysisView):
    """Every sample's resistances in the layout of the study's Table 2, with batch fits."""

    title = "Table 2"
    per_dataset = False
    batchRequested = Signal(bool)  # True: all samples

    def __init__(self, folder: Callable[[], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = new_table("table2")
        self.batch_selected = QPushButton("Fit this sample's spectra")
        self.batch_selected.setObjectName("batchSelectedButton")
        self.batch_all = QPushButton("Fit all samples")
        self.batch_all.setObjectName("batchAllButton")
        for b, everyone in ((self.batch_selected, False), (self.batch_all, True)):
            b.setToolTip(
                "Fit with the circuit of the Circuit view (in the background; one undo step)"
            )
            b.clicked.connect(lambda _=False, e=everyone: self.batchRequested.emit(e))
        self.rows: list[dict[str, Any]] = []
        self.export = TableExportButton(
            lambda: (list(TABLE2_COLUMNS), self.rows), "table2_impedance", folder
        )
        self.note = note_label(
            "Resistances from the arcs' assignment by capacitance (bulk ~pF, grain boundary ~nF, "
            "electrode/SE interface ~\u00b5F), never from the element order. \u2013 = not fitted."
        )
        layout = QVBoxLayout(self.content)
        toolbar(
            layout, [self.batch_selected, self.batch_all, 12, copy_button(self.table), self.export]
        )
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)

    def render_content(self, state: ImpedanceState) -> None:
        rows = []
        self.rows = []
        project = state.project
        for sample in project.samples if project is not None else []:
            d = next((x for x in sample.datasets if x.kind == "impedance"), None)
            if d is None:
                continue
            res = fit_results(d).get("resistances") or {}
            self.rows.append({"sample": sample.name, **{c: res.get(c) for c in TABLE2_COLUMNS[1:]}})
            rows.append(
                [
                    sample.name,
                    *(
                        _fmt(res.get(c), 4) if res.get(c) is not None else "\u2013"
                        for c in TABLE2_COLUMNS[1:]
                    ),
                ]
            )
        headers = [
            "sample",
            "R_SE,bulk (\u03a9)",
            "R_SE,gb (\u03a9)",
            "R_electrode/SE (\u03a9)",
            "R_total (\u03a9)",
        ]
        fill_table(self.table, headers, rows)
