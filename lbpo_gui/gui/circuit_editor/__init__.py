"""The drag-to-edit equivalent-circuit editor (schematic laid out from the circuit tree).

:class:`CircuitEditor` is the widget (palette, presets, CDC field, schematic); it edits a
:class:`~lbpo_gui.core.eis.circuit.Circuit` only through the core's pure edit operations and
reports each edit once (:attr:`CircuitEditor.circuitEdited`).
"""

from .editor import PRESETS, CircuitEditor

__all__ = ["PRESETS", "CircuitEditor"]
