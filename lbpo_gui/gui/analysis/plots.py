"""Plot pieces every analysis tab uses: styled plot widgets, legends outside or movable, a
right-hand axis, integer ticks for cycle axes, and display-only thinning by min/max per pixel.

Drawing only: the numbers come from the core. Thinning keeps, for every pixel column, the first,
lowest, highest and last point, so spikes stay visible; analysis always uses the full data.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QSizePolicy

from ..plotting import make_plot_widget

#: Curves with more points than this are thinned for display (the data are untouched).
DISPLAY_POINTS = 4000


def minmax_thin(x: np.ndarray, y: np.ndarray, max_points: int = DISPLAY_POINTS):
    """At most ~``max_points`` points for display: the data in ``max_points // 4`` equal runs of
    rows, each kept as its first, lowest, highest and last point (in row order), so spikes
    survive. NaN breaks stay breaks. Display only."""
    x = np.asarray(x)
    y = np.asarray(y)
    n = min(len(x), len(y))
    x, y = x[:n], y[:n]
    bins = max_points // 4
    if n <= max_points or bins < 1:
        return x, y
    edges = np.linspace(0, n, bins + 1).astype(np.int64)
    run = np.repeat(np.arange(bins), np.diff(edges))
    finite = np.isfinite(y)
    keep = ~finite  # NaN separators between pieces stay
    keep[edges[:-1]] = True
    keep[edges[1:] - 1] = True
    first_of_run = edges[:-1]
    for key in (np.where(finite, y, np.inf), np.where(finite, -y, np.inf)):
        order = np.lexsort((key, run))  # by run, then value: the run's extreme comes first
        keep[order[first_of_run]] = True
    return x[keep], y[keep]


def robust_y_range(plot: pg.PlotItem, low_pct: float = 0.5, high_pct: float = 99.5) -> bool:
    """Set the y range from the ``low_pct``..``high_pct`` percentiles of the plotted curves
    (plus a margin) when a few spikes would otherwise flatten everything; x stays automatic.
    Returns True when the range was narrowed."""
    values = []
    for item in plot.listDataItems():
        _, y = item.getOriginalDataset()
        if y is not None and len(y):
            y = np.asarray(y, dtype=float)
            values.append(y[np.isfinite(y)])
    if not values:
        return False
    y = np.concatenate(values)
    if y.size < 20:
        return False
    lo, hi = np.percentile(y, [low_pct, high_pct])
    full_lo, full_hi = float(y.min()), float(y.max())
    span = hi - lo
    if span <= 0 or (full_hi - full_lo) <= 1.5 * span:
        return False  # no spikes worth clipping: keep the automatic range
    pad = 0.08 * span
    plot.enableAutoRange(x=True, y=False)
    plot.setYRange(lo - pad, hi + pad, padding=0)
    return True


class IntegerAxis(pg.AxisItem):
    """An axis whose ticks are whole numbers only (cycle numbers)."""

    def tickValues(self, minVal, maxVal, size):  # noqa: N802, N803 (pyqtgraph API)
        levels = super().tickValues(minVal, maxVal, size)
        out = []
        for spacing, values in levels:
            if spacing < 1:
                continue
            ints = [v for v in values if abs(v - round(v)) < 1e-9]
            out.append((spacing, ints))
        if not out:
            lo, hi = int(np.ceil(minVal)), int(np.floor(maxVal))
            out = [(1.0, list(range(lo, hi + 1)))] if hi - lo < 50 else levels[:1]
        return out


def new_plot(x_label: str, y_label: str, *, integer_x: bool = False) -> pg.PlotWidget:
    """A workbench plot widget with labelled axes (units in the labels); ``integer_x`` gives
    the x axis whole-number ticks only (cycle numbers)."""
    widget = make_plot_widget(axis_items={"bottom": IntegerAxis("bottom")} if integer_x else None)
    item = widget.getPlotItem()
    item.setLabel("bottom", x_label)
    item.setLabel("left", y_label)
    item.setMenuEnabled(True)
    for name in ("left", "bottom"):
        axis = item.getAxis(name)
        axis.setTextPen("#202020")
        axis.setPen("#606060")
    return widget


def add_legend(plot: pg.PlotItem, corner: str = "top-right") -> pg.LegendItem:
    """A legend in a corner of the plot with a light background."""
    offsets = {
        "top-right": (-10, 10),
        "top-left": (10, 10),
        "bottom-left": (10, -10),
        "bottom-right": (-10, -10),
    }
    if plot.legend is None:
        plot.addLegend(offset=offsets[corner], labelTextSize="9pt", verSpacing=-4)
    legend = plot.legend
    legend.setBrush(pg.mkBrush(255, 255, 255, 215))
    legend.setPen(pg.mkPen("#c8c8c8"))
    legend.setLabelTextColor("#202020")
    legend.setOffset(offsets[corner])
    return legend


class SideLegend:
    """A legend at the right of the plot area (outside the data), for many entries."""

    def __init__(self, plot: pg.PlotItem, column: int = 3) -> None:
        self.plot = plot
        self.legend = pg.LegendItem(labelTextSize="9pt", verSpacing=-4)
        self.legend.setLabelTextColor("#202020")
        self.legend.setBrush(pg.mkBrush(255, 255, 255, 0))
        self.legend.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        plot.layout.addItem(self.legend, 2, column)
        plot.layout.setAlignment(self.legend, Qt.AlignmentFlag.AlignTop)

    def clear(self) -> None:
        """Remove every entry."""
        self.legend.clear()

    def add(self, item: pg.GraphicsObject, name: str) -> None:
        """Add an entry for ``item``."""
        self.legend.addItem(item, name)

    def names(self) -> list[str]:
        """The entries' labels."""
        return [label.text for _, label in self.legend.items]


def clear(plot: pg.PlotItem) -> None:
    """Remove the data items and empty the legend."""
    plot.clear()
    if plot.legend is not None:
        plot.legend.clear()


class RightAxis:
    """A second y axis on the right with its own ViewBox, x-linked to the plot."""

    def __init__(self, plot: pg.PlotItem, label: str) -> None:
        self.plot = plot
        self.view = pg.ViewBox()
        plot.showAxis("right")
        plot.scene().addItem(self.view)
        axis = plot.getAxis("right")
        axis.linkToView(self.view)
        axis.setLabel(label)
        axis.enableAutoSIPrefix(False)
        axis.setTextPen("#202020")
        axis.setPen("#606060")
        self.view.setXLink(plot.vb)
        self.view.setZValue(plot.vb.zValue() + 1)
        plot.vb.sigResized.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        self.view.setGeometry(self.plot.vb.sceneBoundingRect())
        self.view.linkedViewChanged(self.plot.vb, self.view.XAxis)

    def set_visible(self, visible: bool) -> None:
        """Show or hide the axis and its curves."""
        self.plot.getAxis("right").setVisible(visible)
        self.view.setVisible(visible)

    def clear(self) -> None:
        """Remove the curves of the right axis."""
        self.view.clear()

    def add(self, item: pg.GraphicsObject) -> None:
        """Add a curve drawn against the right axis."""
        self.view.addItem(item)

    def items(self) -> list[pg.PlotDataItem]:
        """The curves of the right axis."""
        return [i for i in self.view.addedItems if isinstance(i, pg.PlotDataItem)]


def pen(color: str | QColor, width: float = 1.0, style: Qt.PenStyle = Qt.PenStyle.SolidLine):
    """A cosmetic pen."""
    p = pg.mkPen(color, width=width, style=style)
    p.setCosmetic(True)
    return p


def zero_line(plot: pg.PlotItem) -> pg.InfiniteLine:
    """A thin horizontal line at y = 0."""
    line = pg.InfiniteLine(pos=QPointF(0, 0), angle=0, pen=pen("#9a9a9a", 1, Qt.PenStyle.DashLine))
    plot.addItem(line, ignoreBounds=True)
    return line


def faded(color: str | QColor, alpha: int) -> QColor:
    """``color`` with transparency ``alpha`` (0-255)."""
    c = QColor(color)
    c.setAlpha(alpha)
    return c
