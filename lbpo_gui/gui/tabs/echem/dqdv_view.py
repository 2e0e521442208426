"""Sub-tab "dQ/dV": differential capacity of chosen cycles with editable smoothing."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QLabel,
    QSpinBox,
    QWidget,
)

from ....core.echem import DqDvSettings
from ....core.errors import AnalysisError
from ...analysis.export import ExportButton
from ...analysis.plots import add_legend, clear, faded, new_plot, pen, robust_y_range, zero_line
from ...analysis.views import ERROR_STYLE, note_label, plot_page
from .common import CycleChooser, EchemState, EchemView
from .formatting import format_cycles
from .plots import LEGEND_MAX_CYCLES, CycleColorBar, cycle_groups, group_color, joined
from .profiles_view import VOLTAGE_LABEL, CycleSelectionMixin


class DqDvView(CycleSelectionMixin, EchemView):
    """dQ/dV vs V (charge > 0, discharge < 0), one curve item per cycle (+ raw when asked)."""

    title = "dQ/dV"
    #: The user changed the smoothing settings (valid ones).
    settingsChanged = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._init_selection()
        self._state: EchemState | None = None
        self.chooser = CycleChooser("dqdvCycles")
        self.chooser.changed.connect(self._redraw)
        self.raw_box = QCheckBox("Show raw")
        self.raw_box.setObjectName("dqdvRaw")
        self.raw_box.setToolTip(
            "Also draw the unsmoothed finite difference on the same grid (faint), to see what "
            "the smoothing does"
        )
        self.raw_box.toggled.connect(self._redraw)

        self.step_spin = QDoubleSpinBox()
        self.step_spin.setObjectName("dqdvStep")
        self.step_spin.setRange(0.1, 50.0)
        self.step_spin.setDecimals(1)
        self.step_spin.setSingleStep(0.5)
        self.step_spin.setSuffix(" mV")
        self.step_spin.setToolTip("Voltage grid step of the interpolation")
        self.window_spin = QSpinBox()
        self.window_spin.setObjectName("dqdvWindow")
        self.window_spin.setRange(1, 401)
        self.window_spin.setSingleStep(2)
        self.window_spin.setSuffix(" points")
        self.window_spin.setToolTip("Savitzky-Golay window in grid points (odd; 1 = no smoothing)")
        self.order_spin = QSpinBox()
        self.order_spin.setObjectName("dqdvOrder")
        self.order_spin.setRange(0, 10)
        self.order_spin.setToolTip("Savitzky-Golay polynomial order (< window)")
        for spin in (self.step_spin, self.window_spin, self.order_spin):
            spin.setKeyboardTracking(False)
            spin.valueChanged.connect(self._on_settings_edited)
        self.window_note = QLabel()
        self.window_note.setStyleSheet("color: #5a5a5a;")
        self.settings_error = QLabel()
        self.settings_error.setStyleSheet(ERROR_STYLE)
        self.settings_error.setVisible(False)

        self.plot_widget = new_plot(VOLTAGE_LABEL, "dQ/dV (mAh g\u207b\u00b9 V\u207b\u00b9)")
        self.plot_widget.setObjectName("dqdvPlot")
        self.plot_item = self.plot_widget.getPlotItem()
        self.color_bar = CycleColorBar(self.plot_item)
        self.note = note_label()

        self.export_button = ExportButton(self.plot_widget, "dqdv")
        plot_page(
            self.content,
            [
                self.chooser,
                self.raw_box,
                "Voltage step",
                self.step_spin,
                "Savitzky\u2013Golay window",
                self.window_spin,
                "order",
                self.order_spin,
                self.window_note,
            ],
            self.plot_widget,
            self.note,
            export=self.export_button,
        )
        layout = self.content.layout()
        layout.insertWidget(1, self.chooser.error)
        layout.insertWidget(2, self.settings_error)

    # ------------------------------------------------------------ settings
    def shown_settings(self) -> DqDvSettings:
        """The settings as the spin boxes show them (not checked)."""
        return DqDvSettings(
            voltage_step_V=round(self.step_spin.value() / 1000.0, 6),
            window_points=self.window_spin.value(),
            polyorder=self.order_spin.value(),
        )

    def _show_settings(self, settings: DqDvSettings) -> None:
        for spin, value in (
            (self.step_spin, settings.voltage_step_V * 1000.0),
            (self.window_spin, settings.window_points),
            (self.order_spin, settings.polyorder),
        ):
            spin.blockSignals(True)
            spin.setValue(value)
            spin.blockSignals(False)
        self._update_window_note(settings)

    def _update_window_note(self, settings: DqDvSettings) -> None:
        if settings.smoothing:
            self.window_note.setText(
                f"= {settings.window_points * settings.voltage_step_V * 1000:.3g} mV wide"
            )
        else:
            self.window_note.setText("(no smoothing)")

    @Slot()
    def _on_settings_edited(self) -> None:
        settings = self.shown_settings()
        try:
            settings.check()
        except AnalysisError as exc:
            self.settings_error.setText(f"{exc} \u2014 not applied.")
            self.settings_error.setVisible(True)
            return
        self.settings_error.setVisible(False)
        self._update_window_note(settings)
        if self._state is not None and settings == self._state.dqdv:
            return
        self.settingsChanged.emit(settings)

    # ------------------------------------------------------------ drawing
    @Slot()
    def _redraw(self) -> None:
        if self._state is not None:
            self.render(self._state)

    def render(self, state: EchemState, force: bool = False) -> None:
        self._state = state
        if state.dataset is not None and state.dataset.id != self._dataset_id:
            self.settings_error.setVisible(False)
        if state.dataset_problem() is None:
            self._sync_chooser(state)
            if not self.settings_error.isVisible():
                self._show_settings(state.dqdv)
        super().render(state, force)

    def render_key(self, state: EchemState) -> Any:
        return (
            id(state.result),
            state.dataset.id if state.dataset else "",
            state.dqdv,
            tuple(self.chooser.cycles()),
            self.raw_box.isChecked(),
        )

    def curve_items(self, raw: bool = False) -> list:
        """The smoothed curve items (or the raw ones)."""
        return [
            i
            for i in self.plot_item.listDataItems()
            if getattr(i, "raw", False) == raw and hasattr(i, "cycle")
        ]

    def render_content(self, state: EchemState) -> None:
        assert state.result is not None and state.dataset is not None
        summary = state.result.summary
        assert summary is not None
        available = {c.cycle for c in summary.cycles}
        shown = [c for c in self.chooser.cycles() if c in available]
        curves = state.data.dqdv(state.result, state.dataset, state.dqdv, shown)
        clear(self.plot_item)
        zero_line(self.plot_item)
        if curves is None:
            progress = state.data.runner.progress("dqdv")[1]
            self.note.setText(progress or f"Computing dQ/dV of {len(shown)} cycles\u2026")
            self._key = None
            return
        use_legend = len(shown) <= LEGEND_MAX_CYCLES
        if use_legend:
            add_legend(self.plot_item, "top-left")
            self.color_bar.hide()
        elif shown:
            self.color_bar.show(min(shown), max(shown))
        peaks: list[str] = []
        errors: list[str] = []
        for group in cycle_groups(shown):
            smooth_parts, raw_parts = [], []
            for c in group:
                cycle_peaks = []
                for curve in curves.get(c, []):
                    if curve.result is None:
                        errors.append(f"cycle {c} {curve.direction}: {curve.error}")
                        continue
                    r = curve.result
                    smooth_parts.append((r.voltage_V, r.dqdv))
                    raw_parts.append((r.voltage_V, r.dqdv_raw))
                    cycle_peaks.append(f"{r.direction} {r.peak_voltage_V:.3f} V")
                if cycle_peaks:
                    peaks.append(f"cycle {c}: " + ", ".join(cycle_peaks))
            if not smooth_parts:
                continue
            color = group_color(group, shown)
            if self.raw_box.isChecked():
                x, y = joined(raw_parts)
                raw_item = self.plot_item.plot(
                    x, y, pen=pen(faded(color, 90), 1.0), connect="finite"
                )
                raw_item.cycle = group[0]  # type: ignore[attr-defined]
                raw_item.cycles = group  # type: ignore[attr-defined]
                raw_item.raw = True  # type: ignore[attr-defined]
            x, y = joined(smooth_parts)
            item = self.plot_item.plot(
                x,
                y,
                pen=pen(color, 1.6 if len(shown) <= 6 else 1.0),
                name=f"Cycle {group[0]}" if use_legend else None,
                connect="finite",
            )
            item.cycle = group[0]  # type: ignore[attr-defined]
            item.cycles = group  # type: ignore[attr-defined]
            item.raw = False  # type: ignore[attr-defined]
        if self.plot_item.legend is not None:
            self.plot_item.legend.setVisible(use_legend and bool(shown))
        self.plot_item.enableAutoRange()
        robust_y_range(self.plot_item)
        s = state.dqdv
        method = (
            f"Savitzky\u2013Golay {s.window_points} points (order {s.polyorder})"
            if s.smoothing
            else "no smoothing"
        )
        text = [
            f"Q(V) on a {s.voltage_step_V * 1000:g} mV grid, {method}; charge > 0, discharge < 0."
        ]
        if not shown:
            text.append("No cycle chosen.")
        elif len(peaks) <= 6:
            text.append("Largest |dQ/dV| at " + "; ".join(peaks) + ".")
        else:
            text.append(f"{len(shown)} cycles: {format_cycles(shown)}.")
        if errors:
            text.append(
                "Not drawn: " + "; ".join(errors[:3]) + (" \u2026" if len(errors) > 3 else "")
            )
        self.note.setText(" ".join(text))
