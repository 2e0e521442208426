"""Plot helpers of the Electrochemistry tab: cycle colours and groups, the cycle colour bar,
NaN-joined curve pieces (the shared pieces are in :mod:`lbpo_gui.gui.analysis.plots`). Drawing
only; the numbers come from the core."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor

from ...plotting import PALETTE

#: Colours from the first to the last selected cycle: blue -> teal -> amber -> red, all
#: readable on white (viridis' yellow end is not).
CYCLE_COLORMAP = pg.ColorMap(
    pos=np.array([0.0, 0.35, 0.7, 1.0]),
    color=np.array(
        [(38, 70, 160, 255), (33, 145, 140, 255), (222, 150, 40, 255), (180, 30, 45, 255)],
        dtype=np.ubyte,
    ),
)
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
