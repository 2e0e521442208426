"""The Quantification view: atomic % of the sample's regions (or of their fitted components)
in one acquisition (same specimen, state and etch level), with the RSF library, transmission and
KE^n correction as Avantage applies them, and the charge correction that moves a fitted
reference component (C 1s C-C by default) to its reference energy for all those spectra in one
undo step."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ....core.project import Dataset
from ....core.xps.quantification import C1S_REFERENCE_EV, RSF_LIBRARIES
from ....core.xps.sample_quant import (
    CHARGE_SHIFT_KEY,
    COLUMNS,
    RegionInput,
    acquisition_key,
    charge_shift_of,
    quantify,
    shift_to_reference,
)
from ... import dialogs
from ...analysis.export import TableExportButton
from ...analysis.views import AnalysisView, controls_row, note_label
from ...commands import CompositeCommand, EditDatasetMetadata
from .common import XpsState, acquisition_text, quant_inputs, region_of

if TYPE_CHECKING:
    from .tab import XpsTab

#: Largest charge shift applied without question, eV (charging of insulators rarely exceeds it).
MAX_SHIFT_EV = 10.0
LIBRARY_TEXT = {"althermo1": "ALTHERMO1 (Avantage)", "scofield": "Scofield"}
BY_TEXT = (("regions", "By region"), ("components", "By component"))
#: (row key, header, digits) of the displayed table.
SHOWN = (
    ("name", "Peak", None),
    ("source", "Area from", None),
    ("position_eV", "Position (eV)", 2),
    ("area_cps_eV", "Area (cps\u00b7eV)", 1),
    ("rsf", "RSF", 4),
    ("transmission", "T", 3),
    ("ke_eV", "KE (eV)", 1),
    ("corrected_area", "Corr. area", 3),
    ("atomic_pct", "At. %", 2),
)


def _compact_combo(name: str, tip: str, chars: int) -> QComboBox:
    """A combo box as wide as ``chars`` characters whatever its entries (long ones elide)."""
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setToolTip(tip)
    combo.setMinimumContentsLength(chars)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    return combo


class QuantView(AnalysisView):
    """Atomic % of one acquisition of the selected sample, and its charge correction."""

    title = "Quantification"

    def __init__(self, tab: XpsTab, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tab = tab
        self.state: XpsState | None = None
        self.rows: list[dict[str, Any]] = []
        self._shown_id: str | None = None
        self.group_combo = _compact_combo(
            "xpsQuantGroup", "The spectra quantified together (specimen, state, etch level)", 30
        )
        self.library_combo = QComboBox()
        self.library_combo.setObjectName("xpsQuantLibrary")
        for key in RSF_LIBRARIES:
            self.library_combo.addItem(LIBRARY_TEXT.get(key, key), key)
        self.library_combo.setCurrentIndex(max(0, self.library_combo.findData("althermo1")))
        self.library_combo.setToolTip("Relative sensitivity factors (Al K\u03b1, C 1s = 1)")
        self.exponent_spin = QDoubleSpinBox()
        self.exponent_spin.setObjectName("xpsQuantExponent")
        self.exponent_spin.setRange(0.0, 2.0)
        self.exponent_spin.setSingleStep(0.1)
        self.exponent_spin.setDecimals(2)
        self.exponent_spin.setValue(0.6)
        self.exponent_spin.setPrefix("KE^")
        self.exponent_spin.setToolTip(
            "Escape-depth correction KE^n: 0.6 as Avantage applies it to Scofield-type RSFs, "
            "0 switches it off"
        )
        self.by_combo = QComboBox()
        self.by_combo.setObjectName("xpsQuantBy")
        for key, text in BY_TEXT:
            self.by_combo.addItem(text, key)
        for combo in (self.group_combo, self.library_combo, self.by_combo):
            combo.activated.connect(lambda _=0: self._draw())
        self.exponent_spin.valueChanged.connect(lambda _=0: self._draw())
        self.export_button = TableExportButton(self.table_source, "xps_quant", tab.export_folder)
        self.export_button.setText("Export table")

        self.table = QTableWidget(0, len(SHOWN))
        self.table.setObjectName("xpsQuantTable")
        self.table.setHorizontalHeaderLabels([h for _, h, _ in SHOWN])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)

        self.ref_combo = _compact_combo(
            "xpsChargeReference", "A fitted component of these spectra whose energy you know", 16
        )
        self.ref_energy = QDoubleSpinBox()
        self.ref_energy.setObjectName("xpsChargeReferenceEnergy")
        self.ref_energy.setRange(0.0, 1500.0)
        self.ref_energy.setDecimals(2)
        self.ref_energy.setValue(C1S_REFERENCE_EV)
        self.ref_energy.setSuffix(" eV")
        self.apply_button = QPushButton("Apply charge correction")
        self.apply_button.setObjectName("xpsApplyChargeShift")
        self.apply_button.setToolTip(
            "Shift every spectrum listed above so the reference component sits at the reference "
            "energy; their fits are recomputed (one undo step)"
        )
        self.apply_button.clicked.connect(self.apply_reference)
        self.clear_button = QPushButton("Clear")
        self.clear_button.setObjectName("xpsClearChargeShift")
        self.clear_button.setToolTip("Remove the charge shift of these spectra (one undo step)")
        self.clear_button.clicked.connect(lambda: self.set_shift(0.0))
        self.shift_label = QLabel()
        self.shift_label.setObjectName("xpsChargeShiftLabel")
        self.ref_combo.activated.connect(lambda _=0: self._on_reference_chosen())
        self.ref_energy.valueChanged.connect(lambda _=0: self._show_shift())

        self.note = note_label()
        layout = QVBoxLayout(self.content)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(
            controls_row(
                [
                    "Spectra",
                    self.group_combo,
                    self.library_combo,
                    self.exponent_spin,
                    self.by_combo,
                    8,
                    self.export_button,
                ]
            )
        )
        layout.addWidget(self.table, 1)
        layout.addWidget(
            controls_row(
                [
                    "Charge reference",
                    self.ref_combo,
                    "at",
                    self.ref_energy,
                    self.apply_button,
                    self.clear_button,
                    self.shift_label,
                ]
            )
        )
        layout.addWidget(self.note)

    # ------------------------------------------------------------------ rendering
    def render_key(self, state: XpsState) -> Any:
        return None

    def render_content(self, state: XpsState) -> None:
        self.state = state
        self._fill_groups(state)
        self._draw()

    def _fill_groups(self, state: XpsState) -> None:
        """List the sample's acquisitions; show the one of the spectrum chosen in the list
        when that choice changed, else keep the one picked here."""
        groups: dict[tuple, Dataset] = {}
        for d in state.datasets:
            groups.setdefault(acquisition_key(d.metadata), d)
        texts = [acquisition_text(d) for d in groups.values()]
        ambiguous = len(set(texts)) < len(texts)
        current = self.group_combo.currentData()
        shown = state.dataset.id if state.dataset is not None else None
        if state.dataset is not None and (shown != self._shown_id or current not in groups):
            current = acquisition_key(state.dataset.metadata)
        self._shown_id = shown
        self.group_combo.blockSignals(True)
        self.group_combo.clear()
        for key, d in groups.items():
            self.group_combo.addItem(acquisition_text(d, ambiguous), key)
            tip = f"{acquisition_text(d, True)}: " + ", ".join(
                region_of(x) for x in state.datasets if acquisition_key(x.metadata) == key
            )
            self.group_combo.setItemData(
                self.group_combo.count() - 1, tip, Qt.ItemDataRole.ToolTipRole
            )
        index = next((i for i, k in enumerate(groups) if k == current), 0)
        self.group_combo.setCurrentIndex(index)
        self.group_combo.blockSignals(False)

    def spectra(self) -> list[Dataset]:
        """The spectra of the chosen acquisition, in list order."""
        state = self.state
        key = self.group_combo.currentData()
        if state is None or key is None:
            return []
        return [d for d in state.datasets if acquisition_key(d.metadata) == tuple(key)]

    def _draw(self) -> None:
        inputs = quant_inputs(self.spectra())
        result = quantify(
            inputs,
            library=str(self.library_combo.currentData()),
            ke_exponent=self.exponent_spin.value(),
            by=str(self.by_combo.currentData()),
        )
        self.rows = result.rows
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            for col, (key, _, digits) in enumerate(SHOWN):
                value = row.get(key)
                if digits is None:
                    text = str(value)
                elif isinstance(value, float) and math.isfinite(value):
                    text = f"{value:.{digits}f}"
                else:
                    text = ""
                item = QTableWidgetItem(text)
                if digits is not None:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, col, item)
        self.table.resizeColumnsToContents()
        self._fill_references(inputs)
        unfitted = sorted({r["region"] for r in self.rows if r["source"] == "Shirley"})
        bits = [
            "At. % = (A / (RSF \u00b7 T \u00b7 KE^n)) normalised; A is the sum of a region's "
            "fitted components (full areas), or the area above an iterative Shirley background "
            "when the region is not fitted."
        ]
        if unfitted:
            bits.append(f"Not fitted: {', '.join(unfitted)}.")
        bits += result.warnings
        self.note.setText(" ".join(bits))

    def _fill_references(self, inputs: list[RegionInput]) -> None:
        current = self.ref_combo.currentText()
        self.ref_combo.clear()
        for inp in inputs:
            for c in inp.components or []:
                self.ref_combo.addItem(f"{inp.region}: {c['name']}", float(c["position_eV"]))
        index = self.ref_combo.findText(current)
        if index < 0:
            index = next(
                (i for i in range(self.ref_combo.count()) if "C 1s" in self.ref_combo.itemText(i)),
                0,
            )
        self.ref_combo.setCurrentIndex(index)
        if self.ref_combo.currentText() != current:
            self._default_reference_energy()
        has = self.ref_combo.count() > 0
        self.ref_combo.setEnabled(has)
        self.apply_button.setEnabled(has)
        self.clear_button.setEnabled(any(inp.charge_shift_eV for inp in inputs))
        self._show_shift()

    def _on_reference_chosen(self) -> None:
        self._default_reference_energy()
        self._show_shift()

    def _default_reference_energy(self) -> None:
        """284.8 eV for a C 1s component (adventitious carbon); for any other reference, its
        fitted energy (no shift) until the known energy is typed in."""
        measured = self.ref_combo.currentData()
        if self.ref_combo.currentText().startswith("C 1s") or measured is None:
            self.ref_energy.setValue(C1S_REFERENCE_EV)
        else:
            self.ref_energy.setValue(float(measured))

    def current_shift(self) -> float:
        """The charge shift of the listed spectra (that of the first one), eV."""
        spectra = self.spectra()
        return charge_shift_of(spectra[0].metadata) if spectra else 0.0

    def proposed_shift(self) -> float | None:
        """The total shift that puts the chosen reference at its energy (None: no reference)."""
        measured = self.ref_combo.currentData()
        if measured is None:
            return None
        return shift_to_reference(float(measured), self.current_shift(), self.ref_energy.value())

    def _show_shift(self) -> None:
        text = f"now {self.current_shift():+.2f} eV"
        proposed = self.proposed_shift()
        if proposed is not None:
            text += f" \u2192 {proposed:+.2f} eV"
        self.shift_label.setText(text)

    # ------------------------------------------------------------------ edits
    def apply_reference(self) -> bool:
        shift = self.proposed_shift()
        if shift is None:
            return False
        if abs(shift) > MAX_SHIFT_EV:
            dialogs.warning(
                self,
                "Charge shift not applied",
                f"A shift of {shift:+.2f} eV is larger than {MAX_SHIFT_EV:g} eV: check that the "
                "reference energy belongs to the chosen component.",
            )
            return False
        return self.set_shift(shift)

    def set_shift(self, shift_eV: float) -> bool:
        """Give every listed spectrum the charge shift ``shift_eV`` (one undo step)."""
        spectra = self.spectra()
        if not spectra:
            return False
        shift = round(float(shift_eV), 4)
        doc = self.tab.document
        commands = [
            EditDatasetMetadata(doc, d.id, CHARGE_SHIFT_KEY, shift)
            for d in spectra
            if charge_shift_of(d.metadata) != shift
        ]
        if not commands:
            return False
        text = f"Charge shift {shift:+.2f} eV ({len(commands)} spectra)"
        return self.tab.push(CompositeCommand(doc, text, commands), "Charge shift not changed")

    # ------------------------------------------------------------------ export
    def table_source(self) -> tuple[list[str], list[dict[str, Any]]]:
        return list(COLUMNS), [dict(r) for r in self.rows]
