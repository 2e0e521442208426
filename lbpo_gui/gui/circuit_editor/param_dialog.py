"""Double-click dialog of an element: value, bounds and fixed flag of each parameter."""

from __future__ import annotations

import math

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ...core.eis.circuit import Circuit, CircuitError, Element, set_param
from ...core.eis.elements import element_kind


def _number(text: str) -> float:
    t = text.strip().replace(",", ".").lower()
    if t in ("inf", "+inf", "\u221e"):
        return math.inf
    if t in ("-inf", "-\u221e"):
        return -math.inf
    return float(t)


class ParamDialog(QDialog):
    """Edit the parameters of one element; :meth:`edited` applies them to a circuit."""

    def __init__(self, element: Element, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.element = element
        kind = element_kind(element.kind)
        self.setWindowTitle(f"{element.id}: {kind.title}")
        grid = QGridLayout()
        for col, head in enumerate(("Parameter", "Value", "Lower bound", "Upper bound", "Fixed")):
            grid.addWidget(QLabel(f"<b>{head}</b>"), 0, col)
        self.fields: dict[str, tuple[QLineEdit, QLineEdit, QLineEdit, QCheckBox]] = {}
        units = {s.name: s.unit for s in kind.params}
        for row, p in enumerate(element.params, start=1):
            unit = units.get(p.name, "")
            grid.addWidget(QLabel(f"{p.name} ({unit})" if unit else p.name), row, 0)
            edits = tuple(
                QLineEdit(repr(v) if math.isfinite(v) else "inf")
                for v in (p.value, p.lower, p.upper)
            )
            for col, e in enumerate(edits, start=1):
                e.setObjectName(f"param_{p.name}_{col}")
                grid.addWidget(e, row, col)
            fixed = QCheckBox()
            fixed.setObjectName(f"param_{p.name}_fixed")
            fixed.setChecked(p.fixed)
            grid.addWidget(fixed, row, 4)
            self.fields[p.name] = (*edits, fixed)  # type: ignore[assignment]
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._check_and_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._result: Circuit | None = None
        self._circuit: Circuit | None = None

    def edited(self, circuit: Circuit) -> Circuit:
        """``circuit`` with this dialog's values; CircuitError / ValueError when one is bad."""
        out = circuit
        for name, (value, lower, upper, fixed) in self.fields.items():
            try:
                v, lo, hi = (_number(e.text()) for e in (value, lower, upper))
            except ValueError:
                raise CircuitError(f"{self.element.id}.{name}: not a number") from None
            if not lo <= v <= hi:
                raise CircuitError(f"{self.element.id}.{name}: the value is outside its bounds")
            out = set_param(
                out, self.element.id, name, value=v, lower=lo, upper=hi, fixed=fixed.isChecked()
            )
        return out

    def set_circuit(self, circuit: Circuit) -> None:
        self._circuit = circuit

    def result_circuit(self) -> Circuit | None:
        return self._result

    def _check_and_accept(self) -> None:
        if self._circuit is None:
            self.accept()
            return
        try:
            self._result = self.edited(self._circuit)
        except CircuitError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
