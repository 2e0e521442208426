"""Sub-tab "Across samples": the interlayer thickness of every EDS dataset of the project, the
study's before/after comparison (the layout of ``eds_interlayer_thickness.csv`` first, then T50
with its spread), as a table and a plot, both exportable."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ....core.eds import pool_thickness
from ....core.report.eds import eds_thickness_rows
from ...analysis.export import ExportButton, TableExportButton
from ...analysis.plots import SideLegend, clear, new_plot, pen
from ...analysis.views import AnalysisView, note_label
from ..dataset_tab import table_item
from .state import KINDS, AnalysisCache, EdsState, current_analysis, settings_of

COLUMNS = [
    "sample",
    "state",
    "interlayer_thickness_nm",
    "elements",
    "T50_nm",
    "T50_sd_nm",
    "T50_fit_stderr_nm",
    "n_profiles",
]
HEADERS = [
    "Sample",
    "State",
    "T10 (nm)",
    "Elements",
    "T50 (nm)",
    "T50 SD (nm)",
    "T50 fit SE (nm)",
    "N",
]
STATE_SYMBOLS = ("o", "s", "t", "d")


def _state_of(dataset) -> str:
    return str(dataset.metadata.get("state") or dataset.label)


def comparison_rows(project, cache: AnalysisCache) -> list[dict[str, Any]]:
    """The study's rows (core :func:`eds_thickness_rows`: T10 per sample and state) with the
    pooled T50 (mean, SD, mean fit SE, N) of the same datasets."""
    _, study = eds_thickness_rows(project)
    t50: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for sample, dataset in project.datasets():
        if dataset.kind not in KINDS:
            continue
        analysis, _ = current_analysis(cache, sample, dataset, settings_of(dataset))
        r = analysis.results
        if r.get("error") or r.get("thickness_nm") is None:
            continue
        t50.setdefault((sample.name, _state_of(dataset)), []).append(
            (float(r["thickness_nm"]), float(r.get("thickness_stderr_nm") or np.nan))
        )
    rows = []
    for row in study:
        values = t50.get((row["sample"], row["state"]), [])
        out = dict(row)
        if values:
            pooled = pool_thickness([v for v, _ in values], [s for _, s in values])
            out.update(
                T50_nm=round(pooled.mean_nm, 2),
                T50_sd_nm=None if pooled.sd_nm is None else round(pooled.sd_nm, 2),
                T50_fit_stderr_nm=None
                if pooled.mean_fit_stderr_nm is None
                else round(pooled.mean_fit_stderr_nm, 2),
                n_profiles=pooled.n,
            )
        else:
            out.update(T50_nm=None, T50_sd_nm=None, T50_fit_stderr_nm=None, n_profiles=0)
        rows.append(out)
    return rows


class SamplesView(AnalysisView):
    """Every sample's interlayer thickness, before and after cycling."""

    title = "Across samples"
    per_dataset = False

    def __init__(self, cache: AnalysisCache, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cache = cache
        self.rows: list[dict[str, Any]] = []
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("edsSamplesTable")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        for i, c in enumerate(COLUMNS):
            text_column = c in ("sample", "state", "elements")
            header.setSectionResizeMode(
                i,
                QHeaderView.ResizeMode.Stretch
                if text_column
                else QHeaderView.ResizeMode.ResizeToContents,
            )
        self.table_export = TableExportButton(self.table_source, "eds_interlayer_thickness")
        self.table_export.setText("Export table")
        self.plot_widget = new_plot("Sample", "Interlayer thickness (nm)")
        self.plot_widget.setObjectName("edsSamplesPlot")
        self.plot_item = self.plot_widget.getPlotItem()
        self.legend = SideLegend(self.plot_item)
        self.export_button = ExportButton(self.plot_widget, "eds_thickness_by_sample")
        self.export_button.setText("Export plot")
        self.note = note_label(
            "T10 (the study's reading: both sides >= 10 % of their bulk, joint erf fit; includes "
            "the instrument's broadening) per sample and state, mean of its profiles; T50 "
            "(distance of the 50 % points, not changed by the blur) as mean, SD between profiles "
            "and mean fit SE. Error bars: SD, else the fit SE."
        )
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self.table_export)
        top.addWidget(self.export_button)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.plot_widget)
        split.setSizes([200, 400])
        layout = QVBoxLayout(self.content)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.note)

    def table_source(self) -> tuple[list[str], list[dict[str, Any]]]:
        """(columns, rows) of the comparison, for export."""
        return list(COLUMNS), [dict(r) for r in self.rows]

    def render(self, state: EdsState, force: bool = False) -> None:
        if state.project is None or not any(d.kind in KINDS for _, d in state.project.datasets()):
            self.show_message("No EDS data in this project yet.")
            return
        super().render(state, force)

    def render_key(self, state: EdsState) -> Any:
        return None if self._key is None else self._key

    def render_content(self, state: EdsState) -> None:
        project = state.project
        assert project is not None
        self.rows = comparison_rows(project, self.cache)
        self._key = ("drawn",)
        self.table.setRowCount(len(self.rows))
        for i, row in enumerate(self.rows):
            for j, c in enumerate(COLUMNS):
                v = row.get(c)
                text = "\u2013" if v is None else (f"{v:g}" if isinstance(v, float) else str(v))
                self.table.setItem(
                    i, j, table_item(text, "", tooltip=text, right=isinstance(v, int | float))
                )
        self._draw_plot()

    def _draw_plot(self) -> None:
        clear(self.plot_item)
        self.legend.clear()
        samples = list(dict.fromkeys(r["sample"] for r in self.rows))
        states = list(dict.fromkeys(r["state"] for r in self.rows))
        axis = self.plot_item.getAxis("bottom")
        axis.setTicks([[(i, s) for i, s in enumerate(samples)]])
        for k, st in enumerate(states):
            pts = [r for r in self.rows if r["state"] == st]
            offset = (k - (len(states) - 1) / 2) * 0.12
            for key, colour, label in (
                ("interlayer_thickness_nm", "#c0392b", "T10"),
                ("T50_nm", "#1f77b4", "T50"),
            ):
                xs = np.array([samples.index(r["sample"]) + offset for r in pts], float)
                ys = np.array([np.nan if r.get(key) is None else r[key] for r in pts], float)
                item = self.plot_item.plot(
                    xs,
                    ys,
                    pen=None,
                    symbol=STATE_SYMBOLS[k % len(STATE_SYMBOLS)],
                    symbolSize=10,
                    symbolBrush=colour,
                    symbolPen=pen("#202020"),
                    name=f"{label} {st}",
                )
                self.legend.add(item, f"{label}, {st}")
                if key == "T50_nm":
                    err = np.array(
                        [
                            r.get("T50_sd_nm")
                            if r.get("T50_sd_nm") is not None
                            else (r.get("T50_fit_stderr_nm") or 0.0)
                            for r in pts
                        ],
                        float,
                    )
                    self.plot_item.addItem(
                        pg.ErrorBarItem(x=xs, y=ys, height=2 * err, beam=0.05, pen=pen(colour))
                    )
        self.plot_item.setXRange(-0.5, max(0.5, len(samples) - 0.5))
        finite = [
            v
            for r in self.rows
            for v in (r.get("interlayer_thickness_nm"), r.get("T50_nm"))
            if v is not None
        ]
        top = max(finite, default=1.0)
        self.plot_item.setYRange(min(0.0, min(finite, default=0.0)), top * 1.12, padding=0)
