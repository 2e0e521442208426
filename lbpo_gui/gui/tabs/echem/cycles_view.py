"""Sub-tab "Cycles": the per-cycle table and the rate steps of the selected dataset."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...analysis.export import TableExportButton, model_table
from ...analysis.views import note_label
from .common import EchemState, EchemView
from .formatting import mass_text
from .models import STEP_COLUMNS, CopyTableView, CyclesModel, ObjectsModel


def definition_text(convention: str, mass_mg: float) -> str:
    """The definitions behind the numbers, as the core computes them."""
    if convention == "anode":
        pairing = (
            "cycle n = the n-th discharge and the charge after it; a charge before the first "
            "discharge is cycle 0. CE = Q<sub>ch</sub> / Q<sub>dis</sub> \u00d7 100."
        )
    else:
        pairing = (
            "cycle n = the n-th charge and the discharge after it; a discharge before the first "
            "charge is cycle 0. CE = Q<sub>dis</sub> / Q<sub>ch</sub> \u00d7 100."
        )
    return (
        f"Specific capacity = Q / m<sub>active</sub> (m<sub>active</sub> = {mass_text(mass_mg)}). "
        f"Cycles from the current sign and time ({'anode' if convention == 'anode' else 'cathode'}"
        f" convention): {pairing} Bold rows: the cycle quoted for each rate step."
    )


class CyclesView(EchemView):
    """Per-cycle capacities, CE, current density, energies and mean voltages."""

    title = "Cycles"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.copy_button = QPushButton("Copy table")
        self.copy_button.setObjectName("copyCyclesButton")
        self.copy_button.setToolTip(
            "Copy the whole table as tab-separated text (or Ctrl+C a selection)"
        )
        self.copy_button.clicked.connect(self.copy_all)
        self.model = CyclesModel(self)
        self.table = CopyTableView()
        self.table.setObjectName("cyclesTable")
        self.table.setModel(self.model)
        self.steps_model = ObjectsModel(STEP_COLUMNS, self)
        self.steps_table = CopyTableView()
        self.steps_table.setObjectName("rateStepsTable")
        self.steps_table.setModel(self.steps_model)
        self.steps_label = QLabel("<b>Rate steps</b>")
        self.definitions = note_label()
        self.definitions.setTextFormat(Qt.TextFormat.RichText)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        self.export_button = TableExportButton(lambda: model_table(self.model), "cycles")
        self.heading.setWordWrap(True)
        self.heading.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row = QHBoxLayout()
        row.addWidget(self.heading, 1)
        row.addWidget(self.copy_button)
        row.addWidget(self.export_button)
        top_layout.addLayout(row)
        top_layout.addWidget(self.table, 1)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 4, 0, 0)
        bottom_layout.addWidget(self.steps_label)
        bottom_layout.addWidget(self.steps_table, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([520, 170])
        layout = QVBoxLayout(self.content)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.definitions)

    def render_key(self, state: EchemState) -> Any:
        return (id(state.result), state.dataset.label if state.dataset else "")

    def render_content(self, state: EchemState) -> None:
        assert state.result is not None and state.dataset is not None
        summary = state.result.summary
        assert summary is not None
        source = state.dataset.arrays.get("source_cycle")
        self.model.set_summary(summary, source if isinstance(source, np.ndarray) else None)
        self.steps_model.set_items(summary.rate_table.steps)
        n = len(summary.cycles)
        complete = sum(1 for c in summary.cycles if c.complete)
        self.heading.setText(
            f"<b>{state.dataset.label}</b> \u2014 {n} cycle{'s' if n != 1 else ''}"
            f" ({complete} complete)"
        )
        self.steps_label.setText(
            f"<b>Rate steps</b> \u2014 representative cycle rule: "
            f"{summary.rate_table.representative}"
        )
        self.definitions.setText(definition_text(summary.convention, summary.active_mass_mg))
        self.table.fit_columns()
        self.steps_table.fit_columns()

    @Slot()
    def copy_all(self) -> str:
        """Copy the whole cycles table (TSV with headers); returns the text."""
        self.table.selectAll()
        return self.table.copy_selection()
