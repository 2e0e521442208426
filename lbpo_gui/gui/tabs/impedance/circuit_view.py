"""The "Circuit" view: the circuit editor above the data in Nyquist and Bode form, with the
current circuit's curve drawn over the data at once while editing (before any fit), the stored
fit's curve, the Fit button and the quick fit of one arc on a range dragged on the Nyquist plot.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from ....core.eis.circuit import Circuit
from ...analysis.export import ExportButton
from ...analysis.plots import new_plot, pen
from ...analysis.views import AnalysisView, controls_row, note_label
from ...circuit_editor import CircuitEditor
from .common import (
    ImpedanceState,
    PreviewModel,
    annotations,
    dataset_circuit,
    fit_error,
    fit_results,
    preview_frequencies,
    spectrum,
)

DATA_COLOR = "#37474f"
FIT_COLOR = "#2e7d32"
PREVIEW_COLOR = "#d32f2f"
DROP_COLOR = "#1565c0"
NYQUIST_X = "Z\u2032 (\u03a9)"
NYQUIST_Y = "\u2212Z\u2033 (\u03a9)"


def phase_deg(z: np.ndarray) -> np.ndarray:
    """-phase of Z in degrees (positive for capacitive)."""
    return -np.degrees(np.angle(z))


def log_ticks(values: np.ndarray) -> list[list[tuple[float, str]]]:
    """Ticks of a log10 axis over ``values``: decades, plus 2 and 5 times them labelled when
    the values span less than two decades (pyqtgraph's own labels crowd there)."""
    v = values[np.isfinite(values) & (values > 0)]
    if not v.size:
        return [[], []]
    lo, hi = int(np.floor(np.log10(v.min()))), int(np.ceil(np.log10(v.max())))
    major = [(float(k), f"{10.0**k:g}") for k in range(lo, hi + 1)]
    minor = [
        (float(np.log10(m * 10.0**k)), f"{m * 10.0**k:g}" if hi - lo <= 2 else "")
        for k in range(lo, hi)
        for m in (2, 5)
    ]
    return [major, minor]


class SpectrumPlots:
    """Nyquist (equal axes) and Bode (|Z| and phase, log frequency) plots of one spectrum with
    data, fit and preview curves."""

    def __init__(self, name: str, folder: Callable[[], Any]) -> None:
        self.nyquist = new_plot(NYQUIST_X, NYQUIST_Y)
        self.nyquist.setObjectName(f"{name}Nyquist")
        self.nyquist.getPlotItem().getViewBox().setAspectLocked(True, ratio=1.0)
        self.modulus = new_plot("Frequency (Hz)", "|Z| (\u03a9)")
        self.modulus.setObjectName(f"{name}BodeModulus")
        self.modulus.getPlotItem().setLogMode(x=True, y=True)
        self.phase = new_plot("Frequency (Hz)", "\u2212Phase (\u00b0)")
        self.phase.setObjectName(f"{name}BodePhase")
        self.phase.getPlotItem().setLogMode(x=True, y=False)
        self.phase.getPlotItem().setXLink(self.modulus.getPlotItem())
        self.exports = [
            ExportButton(self.nyquist, "nyquist", folder),
            ExportButton(self.modulus, "bode_modulus", folder),
            ExportButton(self.phase, "bode_phase", folder),
        ]
        self.curves: dict[str, tuple[pg.PlotDataItem, ...]] = {}
        for key, color, style, width, symbol in (
            ("data", DATA_COLOR, None, 0, "o"),
            ("fit", FIT_COLOR, Qt.PenStyle.SolidLine, 2.0, None),
            ("preview", PREVIEW_COLOR, Qt.PenStyle.DashLine, 2.0, None),
            ("drop", DROP_COLOR, Qt.PenStyle.DotLine, 2.0, None),
        ):
            items = []
            for plot in (self.nyquist, self.modulus, self.phase):
                kw: dict[str, Any] = {"name": key}
                if symbol:
                    kw.update(
                        pen=None, symbol="o", symbolSize=5, symbolBrush=DATA_COLOR, symbolPen=None
                    )
                else:
                    kw["pen"] = pen(color, width, style)
                item = pg.PlotDataItem([], [], **kw)
                # the view follows the data and the fit; a preview curve never re-ranges it
                # (that keeps each update cheap and the plot steady while editing)
                plot.getPlotItem().addItem(item, ignoreBounds=key in ("preview", "drop"))
                items.append(item)
            self.curves[key] = tuple(items)

    def set_curve(self, key: str, z: np.ndarray | None, f: np.ndarray | None) -> None:
        """Draw Z(f) as curve ``key`` in the three plots (None clears it)."""
        ny, mod, ph = self.curves[key]
        if z is None or f is None or not len(z):
            for item in (ny, mod, ph):
                item.setData([], [])
            return
        ny.setData(z.real, -z.imag)
        mod.setData(f, np.abs(z))
        ph.setData(f, phase_deg(z))
        if key == "data":
            self.modulus.getPlotItem().getAxis("left").setTicks(log_ticks(np.abs(z)))


class RangeDrag(QObject):
    """While active, a left-button drag on a plot selects an x range (a rubber band drawn as
    ``region``) instead of panning; ``finished(lo, hi)`` on release (data units)."""

    finished = Signal(float, float)

    def __init__(self, plot: pg.PlotWidget, region: pg.LinearRegionItem) -> None:
        super().__init__(plot)
        self.plot = plot
        self.region = region
        self.active = False
        self._x0: float | None = None
        plot.viewport().installEventFilter(self)

    def _x(self, pos) -> float:
        vb = self.plot.getPlotItem().getViewBox()
        return float(vb.mapSceneToView(self.plot.mapToScene(pos.toPoint())).x())

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt API)
        if not self.active:
            return False
        t = event.type()
        if t == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            self._x0 = self._x(event.position())
            self.region.setVisible(True)
            self.region.blockSignals(True)
            self.region.setRegion((self._x0, self._x0))
            self.region.blockSignals(False)
            return True
        if t == QEvent.Type.MouseMove and self._x0 is not None:
            self.region.blockSignals(True)
            self.region.setRegion(sorted((self._x0, self._x(event.position()))))
            self.region.blockSignals(False)
            return True
        if t == QEvent.Type.MouseButtonRelease and self._x0 is not None:
            x1 = self._x(event.position())
            lo, hi = sorted((self._x0, x1))
            self._x0 = None
            self.region.blockSignals(True)
            self.region.setRegion((lo, hi))
            self.region.blockSignals(False)
            if hi > lo:
                self.finished.emit(lo, hi)
            return True
        return False


class CircuitView(AnalysisView):
    """The editor with its live preview (see the module docstring)."""

    title = "Circuit & fit"
    fitRequested = Signal()
    quickFitRequested = Signal(float, float)

    def __init__(self, folder: Callable[[], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = CircuitEditor()
        self.plots = SpectrumPlots("circuit", folder)
        self.plot_item = self.plots.nyquist.getPlotItem()
        self.preview = PreviewModel()
        self.grid = np.logspace(6, -1, 141)
        self.fit_button = QPushButton("Fit")
        self.fit_button.setObjectName("fitButton")
        self.fit_button.setToolTip("Fit this circuit to the spectrum (in the background)")
        self.fit_button.clicked.connect(self.fitRequested)
        self.quick_button = QPushButton("Quick fit an arc\u2026")
        self.quick_button.setObjectName("quickFitButton")
        self.quick_button.setCheckable(True)
        self.quick_button.setToolTip(
            "Then drag across one arc on the Nyquist plot: an R-Q arc is fitted there "
            "and its values become the start values of the matching R-Q pair (the selected "
            "element's pair, else the one nearest in frequency)"
        )
        self.quick_button.toggled.connect(self._toggle_region)
        self.region = pg.LinearRegionItem(orientation="vertical", brush=pg.mkBrush(255, 193, 7, 50))
        self.region.setZValue(-5)
        self.region.setVisible(False)
        self.region.sigRegionChangeFinished.connect(self._region_done)
        self.plot_item.addItem(self.region, ignoreBounds=True)
        self.range_drag = RangeDrag(self.plots.nyquist, self.region)
        self.range_drag.finished.connect(self.quickFitRequested)
        self.status = QLabel()
        self.status.setObjectName("fitStatus")
        self.status.setWordWrap(True)
        self.status.setMinimumWidth(280)
        self.note = note_label(
            "Points: data. Green: stored fit. Red dashed: the circuit as it is now (updates "
            "while you edit). Blue dotted: where a drag would land."
        )
        self.editor.previewRequested.connect(self.show_drop_preview)
        self.editor.circuitEdited.connect(lambda c, t, g: self.update_preview(c))

        self.plots.exports[1].setText("Export |Z|")
        self.plots.exports[2].setText("Export phase")
        bode = QWidget()
        bl = QVBoxLayout(bode)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(controls_row(self.plots.exports[1:]))
        bl.addWidget(self.plots.modulus, 1)
        bl.addWidget(self.plots.phase, 1)
        nyq = QWidget()
        nl = QVBoxLayout(nyq)
        nl.setContentsMargins(0, 0, 0, 0)
        nl.addWidget(controls_row([self.plots.exports[0]]))
        nl.addWidget(self.plots.nyquist, 1)
        for plot in (self.plots.nyquist, self.plots.modulus, self.plots.phase):
            plot.setMinimumHeight(50)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(nyq)
        bottom.addWidget(bode)
        bottom.setSizes([500, 400])
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.editor)
        self.splitter.addWidget(bottom)
        self.splitter.setSizes([380, 260])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self.content)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(controls_row([self.fit_button, self.quick_button, 8, self.status]))
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.note)
        self._data: tuple[np.ndarray, np.ndarray] | None = None
        #: a message kept through the next redraw (the quick fit's result)
        self.pending_note = ""

    def minimumSizeHint(self):  # noqa: N802 (Qt API)
        hint = super().minimumSizeHint()
        hint.setWidth(min(hint.width(), 600))
        return hint

    # ------------------------------------------------------------------ drawing
    def render_key(self, state: ImpedanceState) -> Any:
        d = state.dataset
        a = d.analyses.get("eis_fit") if d is not None else None
        return (d.id if d is not None else None, id(a))

    def render_content(self, state: ImpedanceState) -> None:
        d = state.dataset
        assert d is not None
        data = spectrum(d)
        assert data is not None
        f, z = data
        self._data = (f, z)
        self.grid = preview_frequencies(f)
        self.plots.set_curve("data", z, f)
        results = fit_results(d)
        a = d.analyses.get("eis_fit")
        if results and a is not None and "curve_frequency_Hz" in a.arrays:
            cf = np.asarray(a.arrays["curve_frequency_Hz"])
            cz = np.asarray(a.arrays["curve_real_ohm"]) + 1j * np.asarray(
                a.arrays["curve_imag_ohm"]
            )
            self.plots.set_curve("fit", cz, cf)
            chi = results.get("reduced_chi_square")
            self.status.setText(
                f"Fitted: reduced \u03c7\u00b2 = {chi:.3g}" if chi is not None else "Fitted"
            )
        else:
            self.plots.set_curve("fit", None, None)
            err = fit_error(d)
            note, self.pending_note = self.pending_note, ""
            self.status.setText(note or (f"Fit failed: {err}" if err else "Not fitted yet"))
        circuit = dataset_circuit(d)
        self.editor.set_circuit(circuit, annotations(results))
        self.update_preview(circuit)

    def update_preview(self, circuit: Circuit) -> None:
        """Draw ``circuit``'s curve over the data (the live preview)."""
        z = self.preview.curve(circuit, self.grid)
        self.plots.set_curve("preview", z, self.grid if z is not None else None)

    def show_drop_preview(self, circuit: Circuit | None) -> None:
        """The curve a drag would give (None clears it)."""
        z = self.preview_drop(circuit) if circuit is not None else None
        self.plots.set_curve("drop", z, self.grid if z is not None else None)

    def preview_drop(self, circuit: Circuit) -> np.ndarray | None:
        return PreviewModel().curve(circuit, self.grid)

    # ------------------------------------------------------------------ quick fit
    def _toggle_region(self, on: bool) -> None:
        self.range_drag.active = on
        self.region.setVisible(False)
        if on:
            self.status.setText(
                "Drag across one arc on the Nyquist plot (Z\u2032 range); adjust the band's "
                "edges to refit"
            )

    def _region_done(self) -> None:
        if self.region.isVisible():
            lo, hi = self.region.getRegion()
            self.quickFitRequested.emit(float(lo), float(hi))
