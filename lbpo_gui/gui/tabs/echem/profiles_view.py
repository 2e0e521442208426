"""Sub-tab "Voltage profiles": V vs specific capacity of chosen cycles, coloured by cycle."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QCheckBox, QWidget

from ...analysis.export import ExportButton
from ...analysis.plots import DISPLAY_POINTS, add_legend, clear, minmax_thin, new_plot, pen
from ...analysis.views import note_label, plot_page
from .common import CycleChooser, EchemState, EchemView
from .formatting import format_cycles, significant, spread_cycles
from .plots import LEGEND_MAX_CYCLES, CycleColorBar, cycle_groups, group_color, joined

VOLTAGE_LABEL = "Voltage (V vs Li/Li\u207a)"
#: Points drawn over all branches at most (the data are untouched).
DISPLAY_TOTAL = 150_000


def default_cycles(state: EchemState) -> list[int]:
    """What to show first: the rate steps' cycles for a rate test, else 1, ~30, ~60 ... last."""
    summary = state.result.summary if state.result else None
    if summary is None:
        return []
    steps = [s.representative_cycle for s in summary.rate_table.steps]
    reps = [c for c in steps if c is not None]
    if len(summary.rate_table.steps) >= 2 and reps:
        return reps
    numbers = [c.cycle for c in summary.cycles if c.cycle >= 1] or [c.cycle for c in summary.cycles]
    return spread_cycles(numbers)


def representatives(state: EchemState) -> list[int]:
    """The representative cycles of the rate steps."""
    summary = state.result.summary if state.result else None
    if summary is None:
        return []
    return [s.representative_cycle for s in summary.rate_table.steps if s.representative_cycle]


class CycleSelectionMixin:
    """Remembers the chosen cycles per dataset."""

    chooser: CycleChooser

    def _init_selection(self) -> None:
        self._chosen: dict[str, list[int]] = {}
        self._dataset_id = ""

    def _sync_chooser(self, state: EchemState) -> list[int]:
        assert state.dataset is not None and state.result is not None
        summary = state.result.summary
        assert summary is not None
        self.chooser.set_available([c.cycle for c in summary.cycles], representatives(state))
        if state.dataset.id != self._dataset_id:
            self._dataset_id = state.dataset.id
            wanted = self._chosen.get(state.dataset.id) or default_cycles(state)
            self.chooser.set_cycles(wanted, emit=False)
        self._chosen[state.dataset.id] = self.chooser.cycles()
        return self.chooser.cycles()


class ProfilesView(CycleSelectionMixin, EchemView):
    """V-Q curves: one curve item per cycle (charge and discharge joined by a NaN break)."""

    title = "Voltage profiles"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._init_selection()
        self._state: EchemState | None = None
        self.chooser = CycleChooser("profileCycles")
        self.chooser.changed.connect(self._redraw)
        self.charge_box = QCheckBox("Charge")
        self.charge_box.setChecked(True)
        self.discharge_box = QCheckBox("Discharge")
        self.discharge_box.setChecked(True)
        for box in (self.charge_box, self.discharge_box):
            box.toggled.connect(self._redraw)
        self.plot_widget = new_plot("Specific capacity (mAh/g)", VOLTAGE_LABEL)
        self.plot_widget.setObjectName("profilesPlot")
        self.plot_item = self.plot_widget.getPlotItem()
        self.color_bar = CycleColorBar(self.plot_item)
        self.note = note_label()

        self.export_button = ExportButton(self.plot_widget, "voltage_profiles")
        plot_page(
            self.content,
            [self.chooser, self.charge_box, self.discharge_box],
            self.plot_widget,
            self.note,
            export=self.export_button,
        )
        self.content.layout().insertWidget(1, self.chooser.error)

    def render_key(self, state: EchemState) -> Any:
        return (
            id(state.result),
            state.dataset.id if state.dataset else "",
            tuple(self.chooser.cycles()),
            self.charge_box.isChecked(),
            self.discharge_box.isChecked(),
        )

    @Slot()
    def _redraw(self) -> None:
        if self._state is not None:
            self.render(self._state)

    def render(self, state: EchemState, force: bool = False) -> None:
        self._state = state
        if state.dataset_problem() is None:
            self._sync_chooser(state)
        super().render(state, force)

    def curve_items(self) -> list:
        """The curve items drawn (one per cycle)."""
        return list(self.plot_item.listDataItems())

    def render_content(self, state: EchemState) -> None:
        assert state.result is not None and state.dataset is not None
        summary = state.result.summary
        assert summary is not None
        cycles = self.chooser.cycles()
        self._chosen[state.dataset.id] = cycles
        available = {c.cycle for c in summary.cycles}
        shown = [c for c in cycles if c in available]
        absent = [c for c in cycles if c not in available]
        branches = state.data.profiles(state.result, state.dataset, shown)
        clear(self.plot_item)
        if branches is None:
            self.note.setText(f"Computing the profiles of {len(shown)} cycles\u2026")
            self._key = None
            return
        directions = {
            d
            for d, box in (("charge", self.charge_box), ("discharge", self.discharge_box))
            if box.isChecked()
        }
        use_legend = len(shown) <= LEGEND_MAX_CYCLES
        if use_legend:
            add_legend(self.plot_item, "bottom-left")
            self.color_bar.hide()
        elif shown:
            self.color_bar.show(min(shown), max(shown))
        decimated = False
        n_branches = sum(1 for c in shown for b in branches.get(c, []) if b.direction in directions)
        # at most ~DISPLAY_TOTAL points on screen, DISPLAY_POINTS a branch (display only)
        budget = max(400, min(DISPLAY_POINTS, DISPLAY_TOTAL // max(n_branches, 1)))
        for group in cycle_groups(shown):
            parts = []
            for c in group:
                for b in branches.get(c, []):
                    if b.direction not in directions:
                        continue
                    x, y = minmax_thin(b.capacity_mAh_g, b.voltage_V, budget)
                    decimated = decimated or len(x) < len(b.capacity_mAh_g)
                    parts.append((x, y))
            if not parts:
                continue
            x, y = joined(parts)
            name = None
            if use_legend:
                cycle = summary.cycle(group[0])
                current = f" ({significant(cycle.current_mA_g)} mA/g)" if cycle else ""
                name = f"Cycle {group[0]}{current}"
            item = self.plot_item.plot(
                x,
                y,
                pen=pen(group_color(group, shown), 1.6 if len(shown) <= 6 else 1.0),
                name=name,
                connect="finite",
            )
            item.cycle = group[0]  # type: ignore[attr-defined]
            item.cycles = group  # type: ignore[attr-defined]
        if self.plot_item.legend is not None:
            self.plot_item.legend.setVisible(use_legend and bool(shown))
        self.plot_item.enableAutoRange()
        notes = []
        if not shown:
            notes.append("No cycle chosen: type cycle numbers or use the buttons.")
        else:
            notes.append(
                f"{len(shown)} cycle{'s' if len(shown) != 1 else ''}: {format_cycles(shown)}. "
                "Capacity counted from the start of each half cycle."
            )
        if absent:
            notes.append(f"Not in this dataset: {format_cycles(absent)}.")
        if decimated:
            notes.append(f"Curves thinned to about {budget:,} points each for display only.")
        self.note.setText(" ".join(notes))
