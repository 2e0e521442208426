"""pyqtgraph set-up and the quick-look plots of raw datasets (display only, no analysis).

Dense curves use peak downsampling and clip-to-view with a 1-px pen: a 1,000,000-point cycler
file pans in ~10 ms a frame this way (architecture notes, section 3.2).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from ..core.project import Dataset

#: Matplotlib's tab10: distinguishable, familiar to analysts.
PALETTE: tuple[str, ...] = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)

#: More points than this get peak downsampling and clip-to-view.
DENSE_POINTS = 5_000
#: Fewer points than this also get symbols (impedance spectra, coarse profiles).
SYMBOL_POINTS = 200

_configured = False


def configure_pyqtgraph() -> None:
    """Global pyqtgraph options: white background, black axes, raster (no OpenGL)."""
    global _configured
    if _configured:
        return
    _configured = True
    pg.setConfigOptions(background="w", foreground="k", antialias=False, useOpenGL=False)
    # In pyqtgraph's own Export dialog (right-click a plot): matplotlib is not a dependency,
    # and pyqtgraph's SVG exporter fails on current Qt's paths; the plots' Export button
    # writes SVG with Qt's own generator instead.
    import pyqtgraph.exporters as exporters

    exporters.Exporter.Exporters[:] = [
        e
        for e in exporters.Exporter.Exporters
        if e.__name__ not in ("MatplotlibExporter", "SVGExporter")
    ]


def make_plot_widget(
    parent: QWidget | None = None, axis_items: dict[str, pg.AxisItem] | None = None
) -> pg.PlotWidget:
    """A PlotWidget styled for the workbench (grid, readable labels)."""
    configure_pyqtgraph()
    widget = pg.PlotWidget(parent=parent, axisItems=axis_items)
    item = widget.getPlotItem()
    item.showGrid(x=True, y=True, alpha=0.15)
    for name in ("left", "bottom"):
        item.getAxis(name).enableAutoSIPrefix(False)
    return widget


def add_curve(
    plot: pg.PlotItem,
    x: np.ndarray,
    y: np.ndarray,
    color: str = PALETTE[0],
    name: str | None = None,
    symbols: bool | None = None,
) -> pg.PlotDataItem:
    """Add a curve; dense sorted data gets downsampling + clip-to-view, pen width 1."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n = min(len(x), len(y))
    x, y = x[:n], y[:n]
    increasing = n > 1 and bool(np.all(np.diff(x) >= 0))
    if n > 1 and not increasing and bool(np.all(np.diff(x) <= 0)):
        x, y = x[::-1], y[::-1]  # e.g. XPS binding energy recorded high -> low
        increasing = True
    if symbols is None:
        symbols = n <= SYMBOL_POINTS
    kwargs: dict = {"pen": pg.mkPen(color, width=1), "name": name, "connect": "finite"}
    if symbols:
        kwargs.update(
            symbol="o", symbolSize=5, symbolPen=pg.mkPen(color), symbolBrush=pg.mkBrush(color)
        )
    curve = plot.plot(x, y, **kwargs)
    if n > DENSE_POINTS:
        curve.setDownsampling(auto=True, method="peak")
        if increasing:
            curve.setClipToView(True)
    return curve


def _column(dataset: Dataset, name: str) -> np.ndarray | None:
    a = dataset.arrays.get(name)
    if a is None or a.ndim != 1 or a.dtype.kind not in "biuf":
        return None
    return a


def _reset(plot: pg.PlotItem) -> None:
    plot.clear()
    plot.setTitle(None)
    vb = plot.getViewBox()
    vb.invertX(False)
    vb.setAspectLocked(False)
    if plot.legend is not None:
        plot.legend.clear()
        plot.legend.setVisible(False)


def clear_plot(plot: pg.PlotItem, x_label: str = "", y_label: str = "") -> None:
    """Empty the plot and set its axis labels."""
    _reset(plot)
    plot.setLabel("bottom", x_label)
    plot.setLabel("left", y_label)


def axis_labels(kind: str, dataset: Dataset | None = None) -> tuple[str, str]:
    """(x label, y label) with units for a dataset kind."""
    if kind == "cycling":
        return "Time (h)", "Voltage (V)"
    if kind == "impedance":
        return "Z\u2032 (\u03a9)", "\u2212Z\u2033 (\u03a9)"
    if kind == "xps":
        return "Binding energy (eV)", "Intensity (counts/s)"
    if kind == "eds_profile":
        unit = str((dataset.metadata.get("signal_unit") if dataset else None) or "counts")
        return "Distance (nm)", f"Signal ({unit})"
    return "", ""


def plot_dataset(plot: pg.PlotItem, dataset: Dataset) -> str | None:
    """Draw the quick-look plot of ``dataset``; returns a message when it cannot be drawn."""
    x_label, y_label = axis_labels(dataset.kind, dataset)
    clear_plot(plot, x_label, y_label)
    plot.setTitle(dataset.label, size="10pt")
    kind = dataset.kind
    if kind == "cycling":
        t, v = _column(dataset, "time_s"), _column(dataset, "voltage_V")
        if t is None or v is None:
            return "This dataset has no time_s / voltage_V columns."
        add_curve(plot, t / 3600.0, v, symbols=False)
    elif kind == "impedance":
        zr, zi = _column(dataset, "z_real_ohm"), _column(dataset, "z_imag_ohm")
        if zr is None or zi is None:
            return "This dataset has no z_real_ohm / z_imag_ohm columns."
        add_curve(plot, zr, -zi, symbols=len(zr) <= 2000)
        plot.getViewBox().setAspectLocked(True, ratio=1.0)
    elif kind == "xps":
        be, cps = _column(dataset, "binding_energy_eV"), _column(dataset, "counts_per_s")
        if be is None or cps is None:
            return "This dataset has no binding_energy_eV / counts_per_s columns."
        add_curve(plot, be, cps, symbols=False)
        plot.getViewBox().invertX(True)
    elif kind == "eds_profile":
        d = _column(dataset, "distance_nm")
        if d is None:
            return "This dataset has no distance_nm column."
        elements = eds_elements(dataset)
        if not elements:
            return "This profile has no element columns."
        legend = plot.legend or plot.addLegend(offset=(-10, 10))
        legend.setVisible(True)
        for i, el in enumerate(elements):
            add_curve(plot, d, dataset.arrays[el], PALETTE[i % len(PALETTE)], name=el)
    else:
        return f"No preview for {kind} data."
    plot.enableAutoRange()
    plot.autoRange()
    return None


def eds_elements(dataset: Dataset) -> Sequence[str]:
    """The element columns of an EDS profile (every numeric 1-D column but distance_nm)."""
    return [
        k
        for k, a in dataset.arrays.items()
        if k != "distance_nm" and a.ndim == 1 and a.dtype.kind in "biuf"
    ]
