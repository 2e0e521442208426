"""Impedance science: circuits, their fit, arcs, Lin-KK and DRT. numpy in, dataclasses out.

No Qt and no project model here. What the Impedance tab and the circuit editor call:

Circuit tree (:mod:`.circuit`, immutable; every edit returns a new :class:`Circuit`, so the old
one is the undo state): :class:`Circuit` (``root`` series, ``elements()``, ``ids()``,
``parameters()``, ``path_of(id)``, ``node_at(path)``, ``blocks()``, ``element(id)``),
:class:`Element`, :class:`Series`, :class:`Parallel`, :class:`Param`. Targets are element ids
(``"Q1"``) or block paths (tuples of child indices, ``()`` = the whole circuit).
Edits: :func:`add_series`, :func:`add_parallel`, :func:`remove`, :func:`replace`, :func:`move`,
:func:`set_param`, :func:`with_values`; errors are :class:`CircuitError`.

Text (:mod:`.cdc`): :func:`parse_circuit` (any form), :func:`parse_cdc`,
:func:`parse_impedance_py`, :func:`to_cdc`, :func:`to_extended`, :func:`to_impedance_py`.

Elements (:mod:`.elements`): :data:`ELEMENT_KINDS` (palette: symbol, title, parameters with
units, default start and bounds), :func:`warburg_aw_from_y0`.

Evaluation (:mod:`.model`): :func:`compile_circuit` -> ``.impedance(values, f)`` /
``.bind(f)(values)``; :func:`circuit_impedance` (the circuit's own values).

Fit: :func:`fit_spectrum` (start from the spectrum, multi-start, arcs; :mod:`.workflow`),
:func:`fit_circuit` (one fit from the circuit's values; :mod:`.fit`), :func:`auto_start`,
:func:`fit_summary` (the ``lbpo eis`` JSON), :func:`study_resistances`, :data:`WEIGHTINGS`.
Arcs: :func:`circuit_arcs`, :func:`effective_capacitance`, :func:`characteristic_frequency`.
Validity: :func:`lin_kk`; :func:`drt`. Batch: :func:`fit_batch` (process pool, progress,
cancel), :func:`shutdown_pool`.
"""

from __future__ import annotations

from .arcs import ArcResult, characteristic_frequency, circuit_arcs, effective_capacitance
from .batch import BatchItem, fit_batch, shutdown_pool
from .cdc import (
    parse_cdc,
    parse_circuit,
    parse_impedance_py,
    to_cdc,
    to_extended,
    to_impedance_py,
)
from .circuit import (
    Circuit,
    CircuitError,
    Element,
    Parallel,
    Param,
    Series,
    add_parallel,
    add_series,
    make_circuit,
    move,
    new_element,
    remove,
    replace,
    set_param,
    with_values,
)
from .drt import DRTResult, drt
from .elements import ELEMENT_KINDS, element_kind, warburg_aw_from_y0, warburg_y0_from_aw
from .fit import FitError, FitResult, ParameterResult, fit_circuit
from .kk import KKResult, lin_kk
from .model import CompiledCircuit, circuit_impedance, compile_circuit
from .start import auto_start
from .weighting import DEFAULT_WEIGHTING, WEIGHTINGS
from .workflow import STUDY_CIRCUIT, SpectrumFit, fit_spectrum, fit_summary, study_resistances

__all__ = [
    "DEFAULT_WEIGHTING",
    "ELEMENT_KINDS",
    "STUDY_CIRCUIT",
    "WEIGHTINGS",
    "ArcResult",
    "BatchItem",
    "Circuit",
    "CircuitError",
    "CompiledCircuit",
    "DRTResult",
    "Element",
    "FitError",
    "FitResult",
    "KKResult",
    "Parallel",
    "Param",
    "ParameterResult",
    "Series",
    "SpectrumFit",
    "add_parallel",
    "add_series",
    "auto_start",
    "characteristic_frequency",
    "circuit_arcs",
    "circuit_impedance",
    "compile_circuit",
    "drt",
    "effective_capacitance",
    "element_kind",
    "fit_batch",
    "fit_circuit",
    "fit_spectrum",
    "fit_summary",
    "lin_kk",
    "make_circuit",
    "move",
    "new_element",
    "parse_cdc",
    "parse_circuit",
    "parse_impedance_py",
    "remove",
    "replace",
    "set_param",
    "shutdown_pool",
    "study_resistances",
    "to_cdc",
    "to_extended",
    "to_impedance_py",
    "warburg_aw_from_y0",
    "warburg_y0_from_aw",
    "with_values",
]
