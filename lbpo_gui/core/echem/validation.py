"""Checks of the cycling input arrays and of the active mass; every failure is an ``AnalysisError``.

Common cycling schema: ``time_s`` (s, non-decreasing), ``voltage_V`` (V) and ``current_mA`` (mA,
signed: + = charge / oxidation of the working electrode, - = discharge), all 1-D and of equal length.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from ..errors import AnalysisError

NO_MASS_MESSAGE = "no active mass: give the active mass in mg"


def as_float_array(values: ArrayLike, name: str) -> np.ndarray:
    """``values`` as a 1-D float64 array; ``AnalysisError`` naming ``name`` if that is impossible."""
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise AnalysisError(f"{name} is not numeric: {exc}") from None
    if array.ndim != 1:
        raise AnalysisError(f"{name} must be 1-D, got shape {array.shape}")
    return array


def _first_bad_row(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


def check_cycling_arrays(
    time_s: ArrayLike, voltage_V: ArrayLike, current_mA: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validated float64 copies-or-views of ``time_s``, ``voltage_V``, ``current_mA``.

    Requires equal lengths, at least 2 rows, finite values in all three arrays and a time that never
    decreases (rows in time order; equal consecutive times are allowed). Rows are never reordered:
    a file whose clock restarts must be joined by the reader, so the error says where time goes back.
    """
    t = as_float_array(time_s, "time_s")
    v = as_float_array(voltage_V, "voltage_V")
    i = as_float_array(current_mA, "current_mA")
    if not (t.size == v.size == i.size):
        raise AnalysisError(
            f"cycling arrays differ in length: time_s {t.size}, voltage_V {v.size}, "
            f"current_mA {i.size} rows"
        )
    if t.size < 2:
        raise AnalysisError(f"cycling data need at least 2 rows, got {t.size}")
    for name, array in (("time_s", t), ("voltage_V", v), ("current_mA", i)):
        bad = ~np.isfinite(array)
        if bad.any():
            raise AnalysisError(
                f"{name} has {int(bad.sum())} non-finite values (first at row {_first_bad_row(bad)})"
            )
    back = np.diff(t) < 0
    if back.any():
        row = _first_bad_row(back) + 1
        raise AnalysisError(
            f"time_s goes backwards at row {row} ({t[row - 1]:g} s -> {t[row]:g} s): "
            "rows must be in time order"
        )
    return t, v, i


def check_active_mass_mg(active_mass_mg: float | None) -> float:
    """The active mass in mg as a float > 0, or ``AnalysisError`` (missing, zero, negative, NaN)."""
    if active_mass_mg is None:
        raise AnalysisError(NO_MASS_MESSAGE)
    try:
        mass = float(active_mass_mg)
    except (TypeError, ValueError):
        raise AnalysisError(f"active mass is not a number: {active_mass_mg!r}") from None
    if not math.isfinite(mass) or mass <= 0:
        raise AnalysisError(f"active mass must be a positive number of mg, got {active_mass_mg!r}")
    return mass
