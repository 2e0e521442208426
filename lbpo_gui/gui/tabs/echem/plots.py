"""Plot helpers of the Electrochemistry tab: cycle colours, a right-hand axis, a colour bar,
display-only decimation. Drawing only; the numbers come from the core."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QSizePolicy

from ...plotting import PALETTE, make_plot_widget

#: Colours from the first to the last selected cycle: blue -> teal -> amber -> red, all
#: readable on white (viridis' yellow end is not).
CYCLE_COLORMAP = pg.ColorMap(
    pos=np.array([0.0, 0.35, 0.7, 1.0]),
    color=np.array(
        [(38, 70, 160, 255), (33, 145, 140, 255), (222, 150, 40, 255), (180, 30, 45, 255)],
        dtype=np.ubyte,
    ),
)
#: Curves with more points than this are decimated for display (the data are untouched).
DISPLAY_POINTS = 4000
#: Show a legend for this many cycles at most, a colour bar beyond.
LEGEND_MAX_CYCLES = 10


def sample_color(index: int) -> str:
    """The colour of the ``index``-th sample of the project (same in every view)."""
    return PALETTE[index % len(PALETTE)]


#: Above this many cycles, neighbouring cycles share a curve item (one colour per group).
GROUP_ABOVE = 32
#: Number of such groups (colour steps).
N_GROUPS = 24


def cycle_groups(cycles: Sequence[int]) -> list[tuple[int, ...]]:
    """Cycles drawn together: one each up to :data:`GROUP_ABOVE`, else :data:`N_GROUPS`
    groups of neighbouring cycle numbers (fewer curve items for long tests)."""
    if len(cycles) <= GROUP_ABOVE:
        return [(c,) for c in cycles]
    lo, hi = min(cycles), max(cycles)
    span = max(hi - lo, 1)
    groups: dict[int, list[int]] = {}
    for c in cycles:
        groups.setdefault(min(N_GROUPS - 1, int((c - lo) / span * N_GROUPS)), []).append(c)
    return [tuple(groups[k]) for k in sorted(groups)]


def group_color(group: Sequence[int], cycles: Sequence[int]) -> QColor:
    """The colour of a group of cycles (that of its mean cycle on the cycle colour map)."""
    lo, hi = min(cycles), max(cycles)
    mean = sum(group) / len(group)
    return CYCLE_COLORMAP.map(0.0 if hi == lo else (mean - lo) / (hi - lo), mode="qcolor")


def decimate(x: np.ndarray, y: np.ndarray, max_points: int = DISPLAY_POINTS):
    """Every k-th point (first and last kept) so at most ~``max_points`` are drawn; display only."""
    n = min(len(x), len(y))
    if n <= max_points:
        return x[:n], y[:n]
    step = int(np.ceil(n / max_points))
    index = np.arange(0, n, step)
    if index[-1] != n - 1:
        index = np.append(index, n - 1)
    return x[index], y[index]


def joined(parts: Sequence[tuple[np.ndarray, np.ndarray]]):
    """Concatenate (x, y) pieces with a NaN break between them (one PlotDataItem, several lines)."""
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    for i, (x, y) in enumerate(parts):
        if i:
            xs.append(np.array([np.nan]))
            ys.append(np.array([np.nan]))
        xs.append(np.asarray(x, dtype=float))
        ys.append(np.asarray(y, dtype=float))
    if not xs:
        return np.empty(0), np.empty(0)
    return np.concatenate(xs), np.concatenate(ys)


def new_plot(x_label: str, y_label: str) -> pg.PlotWidget:
    """A workbench plot widget with labelled axes (units in the labels)."""
    widget = make_plot_widget()
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


class CycleColorBar:
    """A vertical colour bar "Cycle first ... last" at the right of a plot (added on demand)."""

    def __init__(self, plot: pg.PlotItem) -> None:
        self.plot = plot
        self.bar = pg.ColorBarItem(
            values=(0, 1),
            colorMap=CYCLE_COLORMAP,
            label="Cycle",
            interactive=False,
            width=14,
            colorMapMenu=False,
        )
        self.bar.axis.setTextPen("#202020")
        self.bar.axis.setPen("#606060")
        self.shown = False

    def show(self, first: int, last: int) -> None:
        """Show the bar for cycles ``first`` to ``last``."""
        self.bar.setLevels((first, last if last > first else first + 1))
        if not self.shown:
            self.plot.layout.addItem(self.bar, 2, 5)
            self.plot.layout.setColumnFixedWidth(4, 6)
            self.bar.setVisible(True)
            self.shown = True

    def hide(self) -> None:
        """Remove the bar."""
        if self.shown:
            self.plot.layout.removeItem(self.bar)
            self.plot.layout.setColumnFixedWidth(4, 0)
            self.bar.setVisible(False)
            self.shown = False


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
