"""The constraints dialog of one XPS component (double-click its Constraints cell): position,
FWHM and area each free (in a window), fixed, or linked to another component by an offset or
a ratio, and the spin-orbit doublet (splitting, area ratio, FWHM ratio)."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ....core.xps.model import Doublet, FitSpec, default_doublet
from .constraints import Constraints, Rule, constraints_of, current_link_value, with_constraints

#: Rule modes as offered in the combo box, by quantity (a position ratio makes no sense).
MODE_TEXT = {
    "free": "Free",
    "fixed": "Fixed",
    "offset": "= other + offset",
    "ratio": "= other \u00d7 ratio",
}
MODES_OF = {
    "position": ("free", "fixed", "offset"),
    "fwhm": ("free", "fixed", "ratio", "offset"),
    "area": ("free", "fixed", "ratio"),
}
UNITS = {"position": "eV", "fwhm": "eV", "area": "cps\u00b7eV"}
TITLES = {"position": "Position", "fwhm": "FWHM", "area": "Area"}


def _spin(value: float, lo: float, hi: float, decimals: int, name: str) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setObjectName(name)
    box.setDecimals(decimals)
    box.setRange(lo, hi)
    box.setValue(value)
    return box


class _RuleRow:
    """The widgets of one quantity in the dialog's grid."""

    def __init__(
        self, key: str, rule: Rule, current: float, others: list[str], grid: QGridLayout, row: int
    ) -> None:
        self.key = key
        self.mode = QComboBox()
        self.mode.setObjectName(f"{key}Mode")
        for m in MODES_OF[key]:
            self.mode.addItem(MODE_TEXT[m], m)
        self.ref = QComboBox()
        self.ref.setObjectName(f"{key}Ref")
        self.ref.addItems(others)
        self.value = _spin(rule.value, -1e9, 1e9, 4, f"{key}Value")
        grid.addWidget(QLabel(f"{TITLES[key]} ({UNITS[key]})"), row, 0)
        grid.addWidget(self.mode, row, 1)
        grid.addWidget(self.ref, row, 2)
        grid.addWidget(self.value, row, 3)
        self.window: tuple[QCheckBox | None, QDoubleSpinBox, QDoubleSpinBox] | None = None
        if key in ("position", "fwhm"):
            half = 0.5 if key == "position" else 0.5 * current
            lo_default, hi_default = max(current - half, 0.001), current + half
            use = None
            if key == "position":
                use = QCheckBox("window")
                use.setObjectName("positionWindow")
                use.setChecked(rule.lo is not None or rule.hi is not None)
                grid.addWidget(use, row, 4)
            lo = _spin(lo_default if rule.lo is None else rule.lo, -2000, 2000, 3, f"{key}Min")
            hi = _spin(hi_default if rule.hi is None else rule.hi, -2000, 2000, 3, f"{key}Max")
            grid.addWidget(lo, row, 5)
            grid.addWidget(QLabel("to"), row, 6)
            grid.addWidget(hi, row, 7)
            self.window = (use, lo, hi)
            if use is not None:
                use.toggled.connect(self.update_enabled)
        index = self.mode.findData(rule.mode)
        self.mode.setCurrentIndex(max(index, 0))
        if rule.ref is not None and rule.ref in others:
            self.ref.setCurrentText(rule.ref)
        self.update_enabled()

    def linked(self) -> bool:
        return self.mode.currentData() in ("offset", "ratio")

    def update_enabled(self, *_args: object) -> None:
        linked = self.linked() and self.ref.count() > 0
        self.ref.setEnabled(linked)
        self.value.setEnabled(linked)
        if self.window is not None:
            use, lo, hi = self.window
            free = self.mode.currentData() == "free"
            if use is not None:
                use.setEnabled(free)
            on = free and (use is None or use.isChecked())
            lo.setEnabled(on)
            hi.setEnabled(on)

    def rule(self) -> Rule:
        mode = str(self.mode.currentData())
        lo = hi = None
        if self.window is not None:
            use, lo_box, hi_box = self.window
            if use is None or use.isChecked():
                lo, hi = lo_box.value(), hi_box.value()
        if mode in ("offset", "ratio"):
            return Rule(mode, self.ref.currentText(), self.value.value(), lo, hi)
        return Rule(mode, None, 0.0, lo, hi)


class ConstraintsDialog(QDialog):
    """Edit the constraints of component ``index`` of ``spec``; after OK,
    :meth:`result_spec` is the constrained spec (checked by the core rules)."""

    def __init__(self, spec: FitSpec, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("xpsConstraintsDialog")
        self.spec = spec
        self.index = index
        comp = spec.components[index]
        cons = constraints_of(comp)
        others = [c.name for k, c in enumerate(spec.components) if k != index]
        self.setWindowTitle(f"Constraints of {comp.name}")

        grid = QGridLayout()
        for col, head in enumerate(("", "Rule", "Other component", "Offset / ratio")):
            grid.addWidget(QLabel(f"<b>{head}</b>"), 0, col)
        grid.addWidget(QLabel("<b>Window (free only)</b>"), 0, 4, 1, 4)
        rules = (
            ("position", cons.position, comp.position_eV),
            ("fwhm", cons.fwhm, comp.fwhm_eV),
            ("area", cons.area, comp.area),
        )
        self.rows = {
            key: _RuleRow(key, rule, current, others, grid, row)
            for row, (key, rule, current) in enumerate(rules, start=1)
        }
        for r in self.rows.values():
            r.mode.currentIndexChanged.connect(lambda _i, r=r: self._on_rule_changed(r))
            r.ref.currentIndexChanged.connect(lambda _i, r=r: self._propose_value(r))

        self.doublet_box = QGroupBox("Spin-orbit doublet")
        self.doublet_box.setObjectName("doubletBox")
        self.doublet_box.setCheckable(True)
        self.doublet_box.setChecked(cons.doublet is not None)
        d = cons.doublet or default_doublet(spec.region) or Doublet(1.0, 0.5)
        self.splitting = _spin(d.splitting_eV, 0.001, 100.0, 3, "doubletSplitting")
        self.area_ratio = _spin(d.area_ratio, 0.0, 10.0, 4, "doubletAreaRatio")
        self.fwhm_ratio = _spin(d.fwhm_ratio, 0.01, 10.0, 3, "doubletFwhmRatio")
        dgrid = QGridLayout(self.doublet_box)
        dgrid.addWidget(QLabel("Splitting (eV, j\u22121/2 above j+1/2)"), 0, 0)
        dgrid.addWidget(self.splitting, 0, 1)
        dgrid.addWidget(QLabel("Area ratio (j\u22121/2 : j+1/2)"), 1, 0)
        dgrid.addWidget(self.area_ratio, 1, 1)
        dgrid.addWidget(QLabel("FWHM ratio (j\u22121/2 : j+1/2)"), 2, 0)
        dgrid.addWidget(self.fwhm_ratio, 2, 1)

        self.error = QLabel()
        self.error.setObjectName("constraintsError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._check_and_accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.doublet_box)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._result: FitSpec | None = None

    def constraints(self) -> Constraints:
        """What the dialog shows, as rules."""
        doublet = None
        if self.doublet_box.isChecked():
            doublet = Doublet(
                self.splitting.value(), self.area_ratio.value(), self.fwhm_ratio.value()
            )
        return Constraints(
            position=self.rows["position"].rule(),
            fwhm=self.rows["fwhm"].rule(),
            area=self.rows["area"].rule(),
            doublet=doublet,
        )

    def result_spec(self) -> FitSpec | None:
        """The constrained spec after OK (None before, or after Cancel)."""
        return self._result

    def _on_rule_changed(self, row: _RuleRow) -> None:
        row.update_enabled()
        self._propose_value(row)

    def _propose_value(self, row: _RuleRow) -> None:
        """A new link starts at the offset or ratio that leaves the component where it is."""
        mode = row.mode.currentData()
        if mode in ("offset", "ratio") and row.ref.count():
            row.value.setValue(
                current_link_value(self.spec, self.index, row.key, mode, row.ref.currentText())
            )

    @Slot()
    def _check_and_accept(self) -> None:
        try:
            self._result = with_constraints(self.spec, self.index, self.constraints())
        except (ValueError, KeyError) as exc:
            self.error.setText(str(exc))
            return
        self.accept()
