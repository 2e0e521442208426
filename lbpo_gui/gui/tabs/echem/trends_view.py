"""Sub-tabs "Capacity & CE" (vs cycle) and "Rate capability" (vs current density), all samples."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QCheckBox, QComboBox, QWidget

from ....core.echem.summary import CyclingSummary
from ....core.project import Sample
from ....core.report.cycling import SampleCycling
from ...analysis.export import ExportButton
from ...analysis.plots import RightAxis, SideLegend, clear, new_plot, pen
from ...analysis.views import note_label, plot_page
from .common import EchemState, EchemView
from .plots import sample_color

TEST_CHOICES: tuple[tuple[str, str], ...] = (
    ("auto", "Long tests if any, else rate tests"),
    ("rate", "Rate tests"),
    ("long", "Long tests"),
)


def chosen_test(found: SampleCycling, mode: str) -> CyclingSummary | None:
    """The summary a view shows for a sample: 'auto' (long, else rate), 'rate' or 'long'."""
    if mode == "rate":
        return found.rate
    if mode == "long":
        return found.long
    return found.long or found.rate


class SamplesView(EchemView):
    """Base of the cross-sample plots: the 'all samples' switch and the per-sample results."""

    per_dataset = False

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state: EchemState | None = None
        self.all_box = QCheckBox("All samples")
        self.all_box.setChecked(True)
        self.all_box.setToolTip("Overlay every sample of the project (the selected one is bold)")
        self.all_box.toggled.connect(self._redraw)

    @Slot()
    def _redraw(self) -> None:
        if self._state is not None:
            self.render(self._state)

    def render(self, state: EchemState, force: bool = False) -> None:
        self._state = state
        super().render(state, force)

    def options(self) -> tuple:
        return (self.all_box.isChecked(),)

    def render_key(self, state: EchemState) -> Any:
        project = state.project
        return (
            id(project),
            project.revision if project else -1,
            state.selected_sample_id(),
            self.options(),
        )

    def samples_to_show(self, state: EchemState) -> list[tuple[int, Sample]]:
        """(colour index, sample) of the samples drawn."""
        assert state.project is not None
        out = []
        for i, s in enumerate(state.project.samples):
            if self.all_box.isChecked() or (state.sample is not None and s.id == state.sample.id):
                out.append((i, s))
        return out

    def results(self, state: EchemState) -> dict[str, SampleCycling] | None:
        """Each sample's rate/long test; None while computing (the message page is shown)."""
        if state.project is None or not state.project.samples:
            self.show_message("The project has no samples yet.")
            return None
        found = state.data.all_samples(state.project)
        if found is None:
            self.show_message("Analysing the samples\u2026", busy=True)
            return None
        return found

    @staticmethod
    def style(selected: bool, color: str) -> dict[str, Any]:
        """Pens and symbols: the selected sample bold, the others thin."""
        width = 2.4 if selected else 1.1
        return {
            "pen": pen(color, width),
            "symbolPen": pen(color, 1.0),
            "symbolSize": 7 if selected else 5,
        }


class CapacityView(SamplesView):
    """Discharge (and charge) capacity vs cycle with CE on a right-hand axis, all samples."""

    title = "Capacity & CE"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.test_combo = QComboBox()
        self.test_combo.setObjectName("capacityTest")
        for key, text in TEST_CHOICES:
            self.test_combo.addItem(text, key)
        self.test_combo.currentIndexChanged.connect(self._redraw)
        self.charge_box = QCheckBox("Charge capacity")
        self.charge_box.toggled.connect(self._redraw)
        self.ce_box = QCheckBox("CE (right axis)")
        self.ce_box.setChecked(True)
        self.ce_box.toggled.connect(self._redraw)
        self.plot_widget = new_plot("Cycle", "Discharge capacity (mAh/g)", integer_x=True)
        self.plot_widget.setObjectName("capacityPlot")
        self.plot_item = self.plot_widget.getPlotItem()
        self.right = RightAxis(self.plot_item, "Coulombic efficiency (%)")
        self.legend = SideLegend(self.plot_item)
        self.note = note_label()
        plot_page(
            self.content,
            [self.all_box, 12, "Test", self.test_combo, 12, self.charge_box, self.ce_box],
            self.plot_widget,
            self.note,
            export=ExportButton(self.plot_widget, "capacity_ce"),
        )

    def options(self) -> tuple:
        return (
            self.all_box.isChecked(),
            self.test_combo.currentData(),
            self.charge_box.isChecked(),
            self.ce_box.isChecked(),
        )

    def sample_items(self) -> dict[str, pg.PlotDataItem]:
        """The discharge-capacity item of each sample drawn, by sample name."""
        return {
            i.name(): i
            for i in self.plot_item.listDataItems()
            if getattr(i, "what", "") == "discharge"
        }

    def render_content(self, state: EchemState) -> None:
        found = self.results(state)
        clear(self.plot_item)
        self.right.clear()
        if found is None:
            return
        mode = self.test_combo.currentData()
        if mode == "auto":
            # One kind of test for every sample: mixing 20-cycle rate tests with 100-cycle
            # long tests in one plot compares unlike things.
            mode = "long" if any(r is not None and r.long for r in found.values()) else "rate"
        self.legend.clear()
        show_ce = self.ce_box.isChecked()
        self.right.set_visible(show_ce)
        self.plot_item.setLabel(
            "left",
            "Discharge / charge capacity (mAh/g)"
            if self.charge_box.isChecked()
            else "Discharge capacity (mAh/g)",
        )
        missing, errors, drawn = [], [], []
        selected_id = state.selected_sample_id()
        for index, sample in self.samples_to_show(state):
            result = found.get(sample.id)
            summary = chosen_test(result, mode) if result else None
            if result is not None:
                errors.extend(result.errors)
            if summary is None:
                missing.append(sample.name)
                continue
            color = sample_color(index)
            selected = sample.id == selected_id
            style = self.style(selected, color)
            z = 10 if selected else 0
            cycles = [c for c in summary.cycles if c.cycle >= 1]
            dis = [c for c in cycles if c.discharge_half_cycle is not None]
            item = self.plot_item.plot(
                [c.cycle for c in dis],
                [c.discharge_mAh_g for c in dis],
                name=sample.name,
                symbol="o",
                symbolBrush=pg.mkBrush(color),
                **style,
            )
            self.legend.add(item, sample.name)
            item.setZValue(z)
            item.what = "discharge"  # type: ignore[attr-defined]
            item.sample_id = sample.id  # type: ignore[attr-defined]
            drawn.append(sample.name)
            if self.charge_box.isChecked():
                ch = [c for c in cycles if c.charge_half_cycle is not None]
                citem = self.plot_item.plot(
                    [c.cycle for c in ch],
                    [c.charge_mAh_g for c in ch],
                    symbol="o",
                    symbolBrush=pg.mkBrush("w"),
                    **{**style, "pen": pen(color, 1.0, Qt.PenStyle.DotLine)},
                )
                citem.setZValue(z)
                citem.what = "charge"  # type: ignore[attr-defined]
            if show_ce:
                ce = [c for c in cycles if c.coulombic_efficiency_pct is not None]
                ce_item = pg.PlotDataItem(
                    [c.cycle for c in ce],
                    [c.coulombic_efficiency_pct for c in ce],
                    pen=pen(color, 1.0, Qt.PenStyle.DashLine),
                    symbol="d",
                    symbolSize=style["symbolSize"],
                    symbolPen=pen(color, 1.0),
                    symbolBrush=pg.mkBrush("w"),
                )
                ce_item.setZValue(z)
                ce_item.what = "ce"  # type: ignore[attr-defined]
                self.right.add(ce_item)
        self.plot_item.enableAutoRange()
        self.right.view.enableAutoRange()
        notes = [
            "\u25cf discharge"
            + (", \u25cb charge (dotted)" if self.charge_box.isChecked() else "")
            + (", \u25c7 CE on the right axis (dashed)" if show_ce else "")
            + ". The selected sample is drawn bold."
        ]
        if missing:
            what = {"auto": "no cycling data", "rate": "no rate test", "long": "no long test"}[mode]
            notes.append(f"{what.capitalize()}: {', '.join(missing)}.")
        if errors:
            notes.append(
                "Not analysed: " + "; ".join(errors[:3]) + ("\u2026" if len(errors) > 3 else "")
            )
        self.note.setText(" ".join(notes))


class RateView(SamplesView):
    """Discharge capacity of each rate step's representative cycle vs current density."""

    title = "Rate capability"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.log_box = QCheckBox("Logarithmic current axis")
        self.log_box.setObjectName("rateLogX")
        self.log_box.setChecked(True)
        self.log_box.toggled.connect(self._redraw)
        self.y_combo = QComboBox()
        self.y_combo.setObjectName("rateY")
        self.y_combo.addItem("Discharge capacity (mAh/g)", "capacity")
        self.y_combo.addItem("Retention vs first step (%)", "retention")
        self.y_combo.currentIndexChanged.connect(self._redraw)
        self.plot_widget = new_plot("Current density (mA/g)", "Discharge capacity (mAh/g)")
        self.plot_widget.setObjectName("ratePlot")
        self.plot_item = self.plot_widget.getPlotItem()
        self.legend = SideLegend(self.plot_item)
        self.note = note_label()
        plot_page(
            self.content,
            [self.all_box, 12, "Show", self.y_combo, 12, self.log_box],
            self.plot_widget,
            self.note,
            export=ExportButton(self.plot_widget, "rate_capability"),
        )

    def options(self) -> tuple:
        return (self.all_box.isChecked(), self.log_box.isChecked(), self.y_combo.currentData())

    def sample_items(self) -> dict[str, pg.PlotDataItem]:
        """The item of each sample drawn, by sample name."""
        return {i.name(): i for i in self.plot_item.listDataItems() if i.name()}

    def render_content(self, state: EchemState) -> None:
        found = self.results(state)
        clear(self.plot_item)
        if found is None:
            return
        retention = self.y_combo.currentData() == "retention"
        self.plot_item.setLabel(
            "left", "Retention vs first step (%)" if retention else "Discharge capacity (mAh/g)"
        )
        self.plot_item.setLogMode(x=self.log_box.isChecked(), y=False)
        self.legend.clear()
        selected_id = state.selected_sample_id()
        missing, drawn, rules = [], [], set()
        currents: set[float] = set()
        for index, sample in self.samples_to_show(state):
            result = found.get(sample.id)
            summary = result.rate if result else None
            if summary is None or not summary.rate_table.steps:
                missing.append(sample.name)
                continue
            steps = summary.rate_table.steps
            rules.add(summary.rate_table.representative)
            x = np.array([s.current_mA_g for s in steps], dtype=float)
            y = np.array(
                [
                    (s.retention_pct if s.retention_pct is not None else np.nan)
                    if retention
                    else s.discharge_mAh_g
                    for s in steps
                ],
                dtype=float,
            )
            currents.update(float(v) for v in x)
            color = sample_color(index)
            selected = sample.id == selected_id
            item = self.plot_item.plot(
                x,
                y,
                name=sample.name,
                symbol="o",
                symbolBrush=pg.mkBrush(color),
                **self.style(selected, color),
            )
            item.setZValue(10 if selected else 0)
            item.sample_id = sample.id  # type: ignore[attr-defined]
            self.legend.add(item, sample.name)
            drawn.append(sample.name)
        if currents and self.log_box.isChecked():
            ticks = [(float(np.log10(c)), f"{c:g}") for c in sorted(currents) if c > 0]
            self.plot_item.getAxis("bottom").setTicks([ticks, []])
        else:
            self.plot_item.getAxis("bottom").setTicks(None)
        self.plot_item.enableAutoRange()
        rule = ", ".join(sorted(rules)) or "study"
        notes = [
            "Each point: a rate step's representative cycle (rule: "
            f"{rule}; study = 1st cycle of the first step, 2nd of the others)."
        ]
        if missing:
            notes.append(f"No rate test: {', '.join(missing)}.")
        self.note.setText(" ".join(notes))
