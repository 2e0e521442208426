"""The Electrochemistry tab: cycling datasets of the selected sample, analysis settings, and six
views (cycles table, V-Q profiles, capacity & CE vs cycle, rate capability, dQ/dV, rate table).

The tab computes no science: it calls :mod:`lbpo_gui.core.report.cycling` and
:mod:`lbpo_gui.core.echem` through :class:`.compute.EchemData` (cached, large work in a worker)
and stores every change as one command on the document's undo stack:

- a settings change (convention, representative cycle, rest threshold, dQ/dV smoothing) is one
  :class:`~lbpo_gui.gui.commands.SetAnalysis` of the dataset's ``cycling`` analysis
  (settings = ``CyclingSettings.to_dict()`` plus ``settings["dqdv"]``, results =
  ``stored_result(summary, mass_source)``);
- a mass edit is one :class:`~lbpo_gui.gui.commands.CompositeCommand`: the sample's fields
  (:class:`~lbpo_gui.gui.commands.EditSampleFields`) and the refreshed stored results of each of
  the sample's cycling datasets (one SetAnalysis each).
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ....core.echem import DqDvSettings
from ....core.echem.table import CyclingSettings
from ....core.errors import AnalysisError
from ....core.project import Dataset
from ....core.project.events import ProjectEvent
from ....core.report.cycling import ANALYSIS_NAME, stored_result
from ...analysis.tab import AnalysisTab
from ...commands import EditSampleFields, SetAnalysis
from ...document import ProjectDocument
from .common import EchemState, EchemView
from .compute import (
    EchemData,
    SummaryResult,
    cycling_settings,
    dqdv_settings,
    dqdv_to_dict,
    stored_settings,
)
from .cycles_view import CyclesView
from .dqdv_view import DqDvView
from .formatting import DASH, mass_source_text, mass_text, significant
from .mass_dialog import MassDialog
from .profiles_view import ProfilesView
from .rate_table_view import RateTableView
from .trends_view import CapacityView, RateView

DATASET_COLUMNS = ("Label", "Points", "File", "Reader")
CONVENTIONS = (
    ("cathode", "Cathode half cell (charge first)"),
    ("anode", "Anode half cell (discharge first)"),
)
REPRESENTATIVES = (
    ("study", "Study (1st, then 2nd)"),
    ("first", "First of each step"),
    ("second", "Second of each step"),
    ("last", "Last of each step"),
    ("mean", "Mean of each step"),
)
MAX_WARNINGS = 4
WARNING_STYLE = (
    "QLabel { background: #fff8e6; border: 1px solid #ecd9a6; border-radius: 4px; "
    "color: #5b4a12; padding: 6px; }"
)


def _combo(choices: tuple[tuple[str, str], ...], name: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    for key, text in choices:
        combo.addItem(text, key)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(14)
    return combo


def _set_combo(combo: QComboBox, key: str) -> None:
    index = combo.findData(key)
    combo.blockSignals(True)
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)


class EchemTab(AnalysisTab):
    """Galvanostatic cycling: per-cycle table, profiles, trends, dQ/dV and the rate table."""

    kinds = ("cycling",)
    data_title = "Cycling data"

    def __init__(self, parent: QWidget | None = None) -> None:
        self._rest_error = ""
        #: The open "Edit masses" dialog, if any.
        self.mass_dialog: MassDialog | None = None
        super().__init__(parent)
        self.data = EchemData(self, runner=self.runner)
        self.data.updated.connect(self._on_data_updated)
        self.state = EchemState(self.data)
        self.dqdv_view.settingsChanged.connect(self.set_dqdv_settings)
        self.rate_table_view.sampleActivated.connect(self.sampleRequested)
        self.rate_table_view.default_folder = self.export_folder
        for view in self.views:
            view.export_folder = self.export_folder  # type: ignore[attr-defined]

    # ================================================================ analysis-tab hooks
    def make_views(self) -> list[EchemView]:
        self.cycles_view = CyclesView()
        self.profiles_view = ProfilesView()
        self.capacity_view = CapacityView()
        self.rate_view = RateView()
        self.dqdv_view = DqDvView()
        self.rate_table_view = RateTableView()
        return [
            self.cycles_view,
            self.profiles_view,
            self.capacity_view,
            self.rate_view,
            self.dqdv_view,
            self.rate_table_view,
        ]

    def on_view_action(self) -> None:
        self.edit_masses()

    def build_settings(self, form: QFormLayout) -> None:
        self.mass_value = QLabel()
        self.mass_value.setObjectName("massValue")
        self.mass_value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.mass_source = QLabel()
        self.mass_source.setObjectName("massSource")
        self.mass_source.setWordWrap(True)
        self.mass_source.setStyleSheet("color: #5a5a5a;")
        self.mass_button = QPushButton("Edit masses\u2026")
        self.mass_button.setObjectName("editMassesButton")
        self.mass_button.setToolTip(
            "Composite mass, parts by weight or an override of the active mass (one undo step)"
        )
        self.mass_button.clicked.connect(self.edit_masses)
        self.convention_combo = _combo(CONVENTIONS, "conventionCombo")
        self.convention_combo.setToolTip(
            "Which half opens a cycle, and CE = second half / first half"
        )
        self.convention_combo.activated.connect(self._on_convention)
        self.representative_combo = _combo(REPRESENTATIVES, "representativeCombo")
        self.representative_combo.setToolTip(
            "Which cycle of a rate step the rate table quotes. Study: the 1st cycle of the first "
            "step and the 2nd cycle of each later step (cycles 1, 7, 12, 17 for 5-cycle steps)"
        )
        self.representative_combo.activated.connect(self._on_representative)
        self.rest_edit = QLineEdit()
        self.rest_edit.setObjectName("restThreshold")
        self.rest_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.rest_edit.setToolTip(
            "Rows with |I| below this count as rest (blank = automatic: 0.5 % of the robust "
            "maximum |I|)"
        )
        self.rest_edit.editingFinished.connect(self._on_rest_threshold)
        self.settings_error = QLabel()
        self.settings_error.setWordWrap(True)
        self.settings_error.setStyleSheet("color: #b00020;")
        self.settings_error.setVisible(False)

        mass_row = QHBoxLayout()
        mass_row.addWidget(self.mass_value, 1)
        mass_row.addWidget(self.mass_button)
        mass_box = QVBoxLayout()
        mass_box.setSpacing(2)
        mass_box.addLayout(mass_row)
        mass_box.addWidget(self.mass_source)
        rest_row = QHBoxLayout()
        rest_row.addWidget(self.rest_edit, 1)
        rest_row.addWidget(QLabel("mA"))
        form.addRow("Active mass", mass_box)
        form.addRow("Convention", self.convention_combo)
        form.addRow("Rate-step cycle", self.representative_combo)
        form.addRow("Rest threshold", rest_row)
        form.addRow(self.settings_error)

    @property
    def analysis_box(self) -> QGroupBox:
        """The settings box (the base's)."""
        return self.settings_box

    # ================================================================ events
    def set_document(self, document: ProjectDocument | None) -> None:
        if self.document is not None:
            self.document.projectReplaced.disconnect(self._on_replaced)
        self.data.clear()
        super().set_document(document)
        if document is not None:
            document.projectReplaced.connect(self._on_replaced)

    @Slot()
    def _on_replaced(self) -> None:
        self.data.clear()
        self._shown_id = ""

    def on_project_changed(self, event: ProjectEvent) -> None:
        self.data.on_project_event(event)
        self.request_refresh(deferred=True)

    @Slot()
    def _on_data_updated(self) -> None:
        self.request_refresh(deferred=True)

    # ================================================================ state
    def is_showing_hint(self) -> bool:
        """Whether the tab shows an empty state (no sample, or no cycling data)."""
        return self.state.sample is None or self.state.dataset is None

    def current_dataset(self) -> Dataset | None:
        """The dataset whose analysis is shown."""
        return self.state.dataset

    def build_state(self) -> EchemState:
        state = EchemState(self.data, project=self.project)
        sample = self.sample()
        state.sample = sample
        if sample is None:
            return state
        datasets = sample.datasets_of("cycling")
        state.datasets = datasets
        ids = [d.id for d in datasets]
        if self._dataset_id in ids:
            chosen = self._dataset_id
        elif self._shown_id in ids:
            chosen = self._shown_id
        else:
            chosen = ids[0] if ids else ""
        if not chosen:
            return state
        dataset = datasets[ids.index(chosen)]
        state.dataset = dataset
        state.settings, state.settings_error = cycling_settings(dataset)
        state.dqdv = dqdv_settings(dataset)
        state.result = self.data.summary(sample, dataset, state.settings)
        state.busy = state.result is None
        return state

    # ================================================================ panel
    def refresh(self) -> None:
        shown = self._shown_id
        super().refresh()
        if self._shown_id != shown:
            self._rest_error = ""

    def fill_panel(self, state: EchemState) -> None:
        has_data = state.dataset is not None
        for widget in (self.convention_combo, self.representative_combo, self.rest_edit):
            widget.setEnabled(has_data)
        self.mass_button.setEnabled(state.sample is not None)
        self._fill_settings(state)
        self._fill_mass(state)
        self._fill_results(state)

    def _fill_settings(self, state: EchemState) -> None:
        s = state.settings
        _set_combo(self.convention_combo, s.convention)
        _set_combo(self.representative_combo, s.representative)
        self.rest_edit.blockSignals(True)
        self.rest_edit.setText("" if s.rest_threshold_mA is None else f"{s.rest_threshold_mA:g}")
        self.rest_edit.blockSignals(False)
        auto = ""
        summary = state.result.summary if state.result else None
        if summary is not None:
            auto = f"auto ({summary.segmentation.threshold_mA:.3g} mA)"
        self.rest_edit.setPlaceholderText(auto or "auto")
        error = self._rest_error or state.settings_error or ""
        self.settings_error.setText(error)
        self.settings_error.setVisible(bool(error))

    def _fill_mass(self, state: EchemState) -> None:
        result = state.result
        if state.dataset is None:
            sample = state.sample
            mass = sample.active_mass_mg if sample else None
            self.mass_value.setText(f"<b>{mass_text(mass)}</b>" if mass else DASH)
            self.mass_source.setText(
                mass_source_text("sample", sample, mass) if mass and sample else ""
            )
            return
        if result is None:
            self.mass_value.setText(DASH)
            self.mass_source.setText("analysing\u2026")
        elif result.summary is None:
            self.mass_value.setText(
                "<b style='color:#b00020'>not set</b>" if result.no_mass else DASH
            )
            self.mass_source.setText(
                "set the sample's masses, or import a file whose header holds the active mass"
                if result.no_mass
                else ""
            )
        else:
            mass = result.summary.active_mass_mg
            self.mass_value.setText(f"<b>{mass_text(mass)}</b>")
            self.mass_source.setText(mass_source_text(result.mass_source, state.sample, mass))

    def _fill_results(self, state: EchemState) -> None:
        result = state.result
        warnings: list[str] = []
        if state.settings_error:
            warnings.append(state.settings_error)
        summary = result.summary if result else None
        if summary is None:
            if result is None:
                why = "analysing\u2026"
            elif result.no_mass:
                why = "No results: the active mass is not known."
            else:
                why = result.error or "no result"
            self.show_results([], why)
        else:
            warnings.extend(summary.warnings)
            cycles = summary.cycles
            full = [c.cycle for c in cycles if c.complete]
            rows = [
                (
                    "Cycles",
                    f"{len(cycles)}"
                    + (f" ({full[0]}\u2013{full[-1]} complete)" if full else "")
                    + (", incl. cycle 0" if any(c.cycle == 0 for c in cycles) else ""),
                ),
                (
                    "1st-cycle CE",
                    f"{summary.first_cycle_ce_pct:.2f} %"
                    if summary.first_cycle_ce_pct is not None
                    else DASH,
                ),
            ]
            first = summary.cycle(1)
            if first is not None and first.discharge_half_cycle is not None:
                rows.append(("Cycle 1 discharge", f"{first.discharge_mAh_g:.1f} mAh/g"))
            steps = summary.rate_table.steps
            if len(steps) >= 2:
                rows.append(
                    (
                        "Rate steps",
                        " \u00b7 ".join(significant(s.current_mA_g) for s in steps) + " mA/g",
                    )
                )
                last = steps[-1]
                if last.retention_pct is not None:
                    rows.append(
                        (
                            "Retention",
                            f"{last.retention_pct:.2f} % ({significant(last.current_mA_g)} vs "
                            f"{significant(steps[0].current_mA_g)} mA/g)",
                        )
                    )
            elif steps:
                rows.append(("Current density", f"{significant(steps[0].current_mA_g)} mA/g"))
                try:
                    kept = summary.long_term_retention()
                except AnalysisError:
                    kept = None
                if kept is not None and kept.retention_pct is not None:
                    rows.append(
                        (
                            "Retention",
                            f"{kept.retention_pct:.1f} % (cycle {kept.cycle} vs "
                            f"{kept.reference_cycle})",
                        )
                    )
            self.show_results(rows)
        self.results_box.setVisible(state.dataset is not None)
        self.show_warnings(warnings)

    # ================================================================ user actions
    def _store(
        self,
        dataset: Dataset,
        settings: CyclingSettings,
        extra: dict[str, Any] | None,
        text: str,
    ) -> bool:
        """Push one SetAnalysis with ``settings`` (plus ``extra`` keys) and its results."""
        doc, sample = self.document, self.sample()
        if doc is None or sample is None:
            return False
        stored = stored_settings(dataset)
        merged = {**stored, **settings.to_dict(), **(extra or {})}
        result = self.data.summary(sample, dataset, settings, wait=True)
        assert result is not None
        command = SetAnalysis(
            doc,
            dataset.id,
            ANALYSIS_NAME,
            settings=merged,
            results=_results(result),
            text=f"{text} ({dataset.label})",
        )
        return self.push(command, "Analysis not changed")

    def _change_settings(self, text: str, **changes: Any) -> bool:
        dataset = self.state.dataset
        if dataset is None:
            return False
        current = self.state.settings
        new = dataclasses.replace(current, **changes)
        if new == current and not self.state.settings_error:
            return False
        return self._store(dataset, new, None, text)

    @Slot(int)
    def _on_convention(self, index: int) -> None:
        key = self.convention_combo.itemData(index)
        self._change_settings(f"Convention: {key}", convention=key)

    @Slot(int)
    def _on_representative(self, index: int) -> None:
        key = self.representative_combo.itemData(index)
        self._change_settings(f"Rate-step cycle: {key}", representative=key)

    @Slot()
    def _on_rest_threshold(self) -> None:
        text = self.rest_edit.text().strip().replace(",", ".")
        value: float | None
        if not text or text.lower() == "auto":
            value = None
        else:
            try:
                value = float(text)
            except ValueError:
                value = math.nan
            if not (math.isfinite(value) and value > 0):
                self._rest_error = (
                    f"Rest threshold \u201c{self.rest_edit.text()}\u201d: enter a current > 0 mA, "
                    "or leave it blank for automatic."
                )
                self.settings_error.setText(self._rest_error)
                self.settings_error.setVisible(True)
                return
        self._rest_error = ""
        self.settings_error.setText(self.state.settings_error or "")
        self.settings_error.setVisible(bool(self.state.settings_error))
        if value == self.state.settings.rest_threshold_mA:
            return
        label = "auto" if value is None else f"{value:g} mA"
        self._change_settings(f"Rest threshold: {label}", rest_threshold_mA=value)

    @Slot(object)
    def set_dqdv_settings(self, settings: DqDvSettings) -> bool:
        """Store new dQ/dV settings with the dataset's cycling analysis (one SetAnalysis)."""
        dataset = self.state.dataset
        if dataset is None or settings == self.state.dqdv:
            return False
        return self._store(
            dataset,
            self.state.settings,
            {"dqdv": dqdv_to_dict(settings)},
            f"dQ/dV: {settings.voltage_step_V * 1000:g} mV, window {settings.window_points}, "
            f"order {settings.polyorder}",
        )

    # ------------------------------------------------------------ masses
    @Slot()
    def edit_masses(self) -> MassDialog | None:
        """Open the (non-blocking) mass dialog of the selected sample."""
        sample = self.sample()
        if sample is None or self.document is None:
            return None
        headers = []
        for d in sample.datasets_of("cycling"):
            mass = d.metadata.get("active_mass_mg")
            if isinstance(mass, int | float) and mass > 0:
                headers.append((d.label, float(mass)))
        sample_id = sample.id
        if self.mass_dialog is not None:
            self.mass_dialog.close()
        dialog = MassDialog(
            sample, lambda fields: self.apply_masses(sample_id, fields), headers, self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._mass_dialog_closed)
        self.mass_dialog = dialog
        dialog.open()
        return dialog

    @Slot()
    def _mass_dialog_closed(self) -> None:
        self.mass_dialog = None

    def mass_command(self, sample_id: str, fields: dict[str, Any]) -> EditSampleFields:
        """One undo step: the sample's mass fields; the core recomputes the stored cycling
        results that depend on them in the same step."""
        doc = self.document
        assert doc is not None
        sample = doc.project.sample(sample_id)
        return EditSampleFields(
            doc, sample_id, fields, f"Change the active mass of \u201c{sample.name}\u201d"
        )

    def apply_masses(self, sample_id: str, fields: dict[str, Any]) -> None:
        """Push the mass change (raises ProjectError when the project refuses it)."""
        doc = self.document
        if doc is None:
            return
        doc.push(self.mass_command(sample_id, fields))


def _results(result: SummaryResult) -> dict[str, Any]:
    """The stored results of an analysis (or its error)."""
    if result.summary is not None:
        return stored_result(result.summary, result.mass_source)
    return {"error": result.error or "no result"}
