"""Drawing an EDS line profile: the data, the fitted edges, the interlayer band shaded and
labelled with its thickness and definition. Used by the Profile view and beside the map."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from ...analysis.plots import SideLegend, clear, faded, new_plot, pen
from .state import EdsState, headline, side_of

DISTANCE_LABEL = "Distance along the line (nm)"
COUNTS_LABEL = "Signal (counts per step)"
NORMALISED_LABEL = "Signal / bulk level (fitted plateaus, 0\u20131)"
#: Cathode markers in warm colours, electrolyte markers in cool ones, ignored in grey.
CATHODE_COLOURS = ("#c0392b", "#e67e22", "#8e44ad", "#a0522d")
ELECTROLYTE_COLOURS = ("#1f77b4", "#16a085", "#2c3e50", "#5dade2")
IGNORED_COLOUR = "#a0a0a0"
BAND_COLOUR = "#f4d03f"


def element_colours(elements: list[str], settings: Mapping[str, Any]) -> dict[str, str]:
    """A colour per element: by side, in order."""
    out: dict[str, str] = {}
    counters = {"cathode": 0, "electrolyte": 0}
    for el in elements:
        side = side_of(settings, el)
        if side == "ignore":
            out[el] = IGNORED_COLOUR
            continue
        palette = CATHODE_COLOURS if side == "cathode" else ELECTROLYTE_COLOURS
        out[el] = palette[counters[side] % len(palette)]
        counters[side] += 1
    return out


class ProfilePlot:
    """A plot widget with its side legend, redrawn from an :class:`EdsState`."""

    def __init__(self, object_name: str) -> None:
        self.widget = new_plot(DISTANCE_LABEL, COUNTS_LABEL)
        self.widget.setObjectName(object_name)
        self.item = self.widget.getPlotItem()
        self.legend = SideLegend(self.item)
        self.band: pg.LinearRegionItem | None = None
        self.label: pg.TextItem | None = None
        self.label_text = ""
        self._band_range: tuple | None = None
        self.item.vb.sigRangeChanged.connect(self._place_label)

    def clear(self) -> None:
        clear(self.item)
        self.legend.clear()
        self.band = None
        self.label = None
        self.label_text = ""

    def draw(self, state: EdsState, normalised: bool = False) -> str:
        """Draw the state's profile; returns a problem to show ("" = none)."""
        self.clear()
        prof = state.profile
        if prof is None or prof.error:
            return prof.error if prof is not None else "no profile"
        results = state.results
        elements = list(prof.signals)
        colours = element_colours(elements, state.settings)
        levels = results.get("elements") or {}
        self.item.setLabel("left", NORMALISED_LABEL if normalised else COUNTS_LABEL)
        arrays = state.analysis.arrays if state.analysis is not None else {}
        fit_x = np.asarray(arrays.get("distance_nm", []), dtype=float)
        for el in elements:
            if side_of(state.settings, el) == "ignore":
                continue  # not part of the analysis (and often on another scale)
            y = np.asarray(prof.signals[el], dtype=float)
            scale = None
            if normalised:
                lv = levels.get(el)
                if lv is None or not lv.get("amplitude"):
                    continue  # ignored elements have no fitted levels
                scale = (float(lv["background"]), float(lv["amplitude"]))
                y = (y - scale[0]) / scale[1]
            colour = colours[el]
            side = side_of(state.settings, el)
            data = self.item.plot(
                prof.distance_nm,
                y,
                pen=pen(faded(colour, 150), 1.0),
                symbol="o",
                symbolSize=4,
                symbolPen=None,
                symbolBrush=faded(colour, 200),
                name=f"{el} data",
            )
            self.legend.add(data, f"{el} ({side})")
            fit = arrays.get(f"fit_{el}")
            if fit is not None and len(fit) == len(fit_x):
                fy = np.asarray(fit, dtype=float)
                if scale is not None:
                    fy = (fy - scale[0]) / scale[1]
                self.item.plot(fit_x, fy, pen=pen(colour, 2.0), name=f"{el} fit")
        text, _, band = headline(results, state.method)
        if band is not None:
            lo, hi = sorted(band)
            region = pg.LinearRegionItem(
                values=(lo, hi),
                movable=False,
                brush=pg.mkBrush(faded(BAND_COLOUR, 70)),
                pen=pen(faded("#b7950b", 200), 1.0),
            )
            region.setZValue(-10)
            self.item.addItem(region, ignoreBounds=True)
            self.band = region
        for key in ("cathode", "electrolyte"):
            edge = (results.get("edges") or {}).get(key)
            if edge and edge.get("center_nm") is not None:
                line = pg.InfiniteLine(
                    pos=float(edge["center_nm"]),
                    angle=90,
                    pen=pen("#7f7f7f", 1.0, Qt.PenStyle.DashLine),
                )
                self.item.addItem(line, ignoreBounds=True)
        self.item.enableAutoRange()
        if text:
            self.label_text = text
            label = pg.TextItem(text, color="#202020", anchor=(0.5, 0.0), fill=(255, 255, 255, 215))
            label.setZValue(20)
            self.item.addItem(label, ignoreBounds=True)
            self.label = label
            self._band_range = band
            self._place_label()
        return state.error

    def _place_label(self, *_: object) -> None:
        band = self._band_range
        if self.label is None:
            return
        (x0, x1), (_, y1) = self.item.vb.viewRange()
        x = (band[0] + band[1]) / 2 if band is not None else (x0 + x1) / 2
        # keep the label inside the plot: anchor it by its left or right end near the edges
        f = (x - x0) / (x1 - x0) if x1 > x0 else 0.5
        self.label.setAnchor((0.0 if f < 0.25 else 1.0 if f > 0.75 else 0.5, 0.0))
        self.label.setPos(x, y1)
