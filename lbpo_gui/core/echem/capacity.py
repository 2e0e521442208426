"""Capacity, energy and mean voltage of half cycles; the cross-check against a vendor capacity column.

Units and conventions
---------------------
- Capacity ``Q`` in mAh = trapezoid integral of the current over time / 3600 (mA x s / 3600).
  Option ``integration='interval'``: for currents logged as the average over the interval ending
  at each row (EC-Lab ``<I>/mA``), sum ``I[k] x (t[k] - t[k-1])`` instead; this matches the
  vendor's own capacity when logging is coarse around step changes.
- Energy ``E`` in mWh = the same integral of current x voltage / 3600.
- Both are integrated over the rows ``start..stop`` of a half cycle, from its first to its last
  current-carrying row, of the current *projected onto the half cycle's direction* (``sign x I``).
  For every row that carries current in that direction this is ``|I|``; rest noise and blips inside
  the half cycle count with their sign, so they cancel instead of adding up.
- Mean voltage (V) = E / Q. Specific values divide by the active mass in g: mAh/g = mAh / (mg/1000),
  Wh/kg = mWh/g.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ..errors import AnalysisError
from .rounding import finite_or_none
from .states import direction_name
from .validation import check_active_mass_mg

SECONDS_PER_HOUR = 3600.0
CAPACITY_SEMANTICS: tuple[str, ...] = ("per_half_cycle", "per_step", "cumulative")
INTEGRATION_METHODS: tuple[str, ...] = ("trapezoid", "interval")
DEFAULT_TOLERANCE_PCT = 1.0


def active_mass_mg(composite_mass_mg: float, active_parts: float, total_parts: float) -> float:
    """Active mass in mg from the composite mass and the recipe's weight parts.

    Example: 15 mg of NCM : Li6PS5Cl : carbon = 70 : 30 : 2 gives 15 x 70 / 102 = 10.294 mg.
    """
    composite = check_active_mass_mg(composite_mass_mg)
    if not (active_parts > 0 and total_parts > 0) or active_parts > total_parts:
        raise AnalysisError(
            f"active parts must be > 0 and <= total parts, got {active_parts} of {total_parts}"
        )
    return composite * float(active_parts) / float(total_parts)


def specific(values: ArrayLike | float, active_mass_mg: float) -> np.ndarray | float:
    """Per gram of active material: ``values / (active_mass_mg / 1000)`` (mAh -> mAh/g, mWh -> Wh/kg,
    mA -> mA/g)."""
    mass_g = check_active_mass_mg(active_mass_mg) / 1000.0
    if np.ndim(values) == 0:
        return float(values) / mass_g
    return np.asarray(values, dtype=np.float64) / mass_g


def cumulative_trapezoid(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Running trapezoid integral of ``y`` over ``x``, same length as ``y``, starting at 0."""
    out = np.empty(y.size, dtype=np.float64)
    if y.size == 0:
        return out
    out[0] = 0.0
    np.cumsum(0.5 * (y[1:] + y[:-1]) * np.diff(x), out=out[1:])
    return out


def interval_increments(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``y[k] x (x[k] - x[k-1])`` per row (0 for the first row): the integral when each row holds
    the average of ``y`` over the interval that ends at it (EC-Lab's ``<I>/mA``)."""
    out = np.zeros(y.size, dtype=np.float64)
    if y.size > 1:
        np.multiply(y[1:], np.diff(x), out=out[1:])
    return out


def check_integration(method: str) -> str:
    """``method`` if it is a known integration method, else ``AnalysisError``."""
    if method not in INTEGRATION_METHODS:
        raise AnalysisError(
            f"unknown integration method {method!r}; expected one of {INTEGRATION_METHODS}"
        )
    return method


def segment_integrals(
    y: np.ndarray, x: np.ndarray, start: np.ndarray, stop: np.ndarray, method: str = "trapezoid"
) -> np.ndarray:
    """Integral of ``y`` over ``x`` on each row range ``start..stop`` (inclusive), vectorised.

    ``'trapezoid'`` integrates from ``x[start]`` to ``x[stop]``; ``'interval'`` sums
    ``y[k] x (x[k] - x[k-1])`` for ``k = start..stop``, i.e. it also counts the interval that
    ends at the first row (how cyclers that log interval-averaged currents count charge).
    """
    check_integration(method)
    if method == "trapezoid":
        running = cumulative_trapezoid(y, x)
        return running[stop] - running[start]
    increments = interval_increments(y, x)
    running = np.cumsum(increments)
    return running[stop] - running[start] + increments[start]


def half_cycle_capacity_curve(
    time_s: ArrayLike,
    current_mA: ArrayLike,
    start: int,
    stop: int,
    sign: int,
    *,
    integration: str = "trapezoid",
) -> np.ndarray:
    """Capacity in mAh of rows ``start..stop`` measured from the start of that half cycle (>= 0 for
    a clean half cycle), integrating ``sign x I`` (see :func:`segment_integrals` for the
    methods; with ``'interval'`` the first value is the first row's own increment)."""
    check_integration(integration)
    time = np.asarray(time_s, dtype=np.float64)
    current = np.asarray(current_mA, dtype=np.float64)
    if integration == "trapezoid":
        t = time[start : stop + 1]
        return cumulative_trapezoid(sign * current[start : stop + 1], t) / SECONDS_PER_HOUR
    first = max(start - 1, 0)
    increments = interval_increments(sign * current[first : stop + 1], time[first : stop + 1])
    return np.cumsum(increments[start - first :]) / SECONDS_PER_HOUR


@dataclass(frozen=True)
class HalfCycleCapacities:
    """Per-half-cycle results (arrays of one value per half cycle, in time order).

    ``capacity_mAh`` and ``energy_mWh`` are unsigned; ``mean_voltage_V`` = energy / capacity (NaN
    when the capacity is 0); ``mean_current_mA`` = time-averaged |I| = capacity x 3600 / duration
    (lowered by CV tails, lower-current steps and rests inside the half cycle);
    ``typical_current_mA`` = median |I| over the rows that carry current in the half cycle's
    direction (the applied CC current, used for rate steps); ``vendor_capacity_mAh`` is the
    vendor's value per half cycle, or ``None``.
    """

    sign: np.ndarray
    start: np.ndarray
    stop: np.ndarray
    start_time_s: np.ndarray
    end_time_s: np.ndarray
    capacity_mAh: np.ndarray
    energy_mWh: np.ndarray
    mean_voltage_V: np.ndarray
    mean_current_mA: np.ndarray
    typical_current_mA: np.ndarray
    vendor_capacity_mAh: np.ndarray | None = None

    @property
    def count(self) -> int:
        """Number of half cycles."""
        return int(self.sign.size)

    def to_dict(self, active_mass_mg: float | None = None) -> dict[str, Any]:
        """The half-cycle table; specific values (mAh_g, Wh_kg, mA_g) too when a mass is given."""
        mass_g = check_active_mass_mg(active_mass_mg) / 1000.0 if active_mass_mg else None
        rows = []
        for k in range(self.count):
            row: dict[str, Any] = {
                "half_cycle": k,
                "direction": direction_name(int(self.sign[k])),
                "start_row": int(self.start[k]),
                "stop_row": int(self.stop[k]),
                "start_time_s": float(self.start_time_s[k]),
                "end_time_s": float(self.end_time_s[k]),
                "capacity_mAh": float(self.capacity_mAh[k]),
                "energy_mWh": float(self.energy_mWh[k]),
                "mean_voltage_V": finite_or_none(self.mean_voltage_V[k]),
                "mean_current_mA": finite_or_none(self.mean_current_mA[k]),
                "typical_current_mA": finite_or_none(self.typical_current_mA[k]),
            }
            if mass_g:
                row["capacity_mAh_g"] = float(self.capacity_mAh[k]) / mass_g
                row["energy_Wh_kg"] = float(self.energy_mWh[k]) / mass_g
                row["mean_current_mA_g"] = finite_or_none(self.mean_current_mA[k] / mass_g)
                row["typical_current_mA_g"] = finite_or_none(self.typical_current_mA[k] / mass_g)
            if self.vendor_capacity_mAh is not None:
                row["vendor_capacity_mAh"] = finite_or_none(self.vendor_capacity_mAh[k])
            rows.append(row)
        return {"half_cycles": rows}


def typical_currents_mA(
    current_mA: ArrayLike, start: np.ndarray, stop: np.ndarray, sign: np.ndarray
) -> np.ndarray:
    """Median |I| (mA) of each half cycle over its rows whose current flows in its direction
    (``sign x I > 0``): the applied constant current, unaffected by CV tails, rests inside the
    half cycle and short lower-current steps. 0 for a half cycle without such rows."""
    current = np.asarray(current_mA, dtype=np.float64)
    out = np.zeros(len(start))
    for k, (first, last, direction) in enumerate(zip(start, stop, sign, strict=True)):
        flowing = direction * current[first : last + 1]
        flowing = flowing[flowing > 0]
        if flowing.size:
            out[k] = float(np.median(flowing))
    return out


def integrate_half_cycles(
    time_s: ArrayLike,
    voltage_V: ArrayLike,
    current_mA: ArrayLike,
    start: np.ndarray,
    stop: np.ndarray,
    sign: np.ndarray,
    *,
    integration: str = "trapezoid",
) -> HalfCycleCapacities:
    """Capacity (mAh), energy (mWh), mean voltage (V) and currents (mA) of each half cycle.

    ``start``/``stop`` are inclusive row indices and ``sign`` the direction (+1 charge, -1
    discharge) of each half cycle, e.g. from :func:`~.states.segment_half_cycles`.
    ``integration``: ``'trapezoid'`` (default) or ``'interval'`` for currents that are averages
    over the interval ending at each row (see :func:`segment_integrals`).
    """
    time = np.asarray(time_s, dtype=np.float64)
    voltage = np.asarray(voltage_V, dtype=np.float64)
    current = np.asarray(current_mA, dtype=np.float64)
    start = np.asarray(start, dtype=np.int64)
    stop = np.asarray(stop, dtype=np.int64)
    sign = np.asarray(sign, dtype=np.int8)
    capacity = sign * segment_integrals(current, time, start, stop, integration) / SECONDS_PER_HOUR
    energy = (
        sign * segment_integrals(current * voltage, time, start, stop, integration)
    ) / SECONDS_PER_HOUR
    t0, t1 = time[start], time[stop]
    duration = t1 - t0
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_voltage = np.where(capacity > 0, energy / capacity, np.nan)
        mean_current = np.where(
            duration > 0, np.abs(capacity) * SECONDS_PER_HOUR / duration, np.abs(current[start])
        )
    return HalfCycleCapacities(
        sign=sign,
        start=start,
        stop=stop,
        start_time_s=t0,
        end_time_s=t1,
        capacity_mAh=capacity,
        energy_mWh=energy,
        mean_voltage_V=mean_voltage,
        mean_current_mA=mean_current,
        typical_current_mA=typical_currents_mA(current, start, stop, sign),
    )


def _inside_mask(n_rows: int, start: np.ndarray, stop: np.ndarray) -> np.ndarray:
    marks = np.zeros(n_rows + 1, dtype=np.int64)
    marks[start] += 1
    marks[stop + 1] -= 1
    return np.cumsum(marks[:n_rows]) > 0


def vendor_half_cycle_capacity(
    vendor_capacity_mAh: ArrayLike,
    start: np.ndarray,
    stop: np.ndarray,
    semantics: str,
    *,
    step_index: ArrayLike | None = None,
) -> np.ndarray:
    """The vendor's capacity (mAh, unsigned) of each half cycle ``start..stop``.

    ``semantics`` says how the vendor column behaves:

    - ``'per_half_cycle'`` (EC-Lab ``Q charge/discharge``, signed or not, reset every half cycle):
      the largest ``|value|`` in the half cycle.
    - ``'per_step'`` (Neware, Maccor: reset at every step): the half cycle is cut into steps, at
      every change of ``step_index`` when given, else wherever ``|value|`` drops below half of the
      previous row's; the step maxima of ``|value|`` are summed.
    - ``'cumulative'`` (Arbin, EC-Lab ``(Q-Qo)``): ``|value[stop] - value[start]|`` (assumes no
      reset inside a half cycle).

    Non-finite vendor values are treated as 0 (NaN for ``'cumulative'``).
    """
    if semantics not in CAPACITY_SEMANTICS:
        raise AnalysisError(
            f"unknown capacity semantics {semantics!r}; expected one of {CAPACITY_SEMANTICS}"
        )
    values = np.asarray(vendor_capacity_mAh, dtype=np.float64)
    start = np.asarray(start, dtype=np.int64)
    stop = np.asarray(stop, dtype=np.int64)
    if start.size == 0:
        return np.zeros(0)
    if semantics == "cumulative":
        return np.abs(values[stop] - values[start])
    magnitude = np.abs(values)
    magnitude[~np.isfinite(magnitude)] = 0.0
    inside = _inside_mask(values.size, start, stop)
    magnitude[~inside] = 0.0
    if semantics == "per_half_cycle":
        return np.maximum.reduceat(magnitude, start)
    if step_index is not None:
        steps = np.asarray(step_index)
        if steps.shape != values.shape:
            raise AnalysisError(
                f"step_index has {steps.size} rows, the vendor capacity {values.size}"
            )
        reset = np.flatnonzero(steps[1:] != steps[:-1]) + 1
    else:
        reset = np.flatnonzero(magnitude[1:] < 0.5 * magnitude[:-1]) + 1
    reset = reset[inside[reset]]
    cuts = np.union1d(start, reset)
    step_max = np.maximum.reduceat(magnitude, cuts)
    owner = np.searchsorted(start, cuts, side="right") - 1
    return np.bincount(owner, weights=step_max, minlength=start.size)


def cross_check_vendor_capacity(
    capacity_mAh: np.ndarray,
    vendor_mAh: np.ndarray,
    sign: np.ndarray,
    *,
    tolerance_pct: float = DEFAULT_TOLERANCE_PCT,
    max_listed: int = 5,
) -> list[str]:
    """Warnings for half cycles whose vendor capacity differs from ours by more than
    ``tolerance_pct`` % of ours; at most ``max_listed`` listed one by one, then one line with the
    count of the others. Half cycles with a zero or non-finite value are skipped."""
    ours = np.asarray(capacity_mAh, dtype=np.float64)
    theirs = np.asarray(vendor_mAh, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        deviation = (theirs - ours) / ours * 100.0
    bad = np.flatnonzero(np.isfinite(deviation) & (ours > 0) & (np.abs(deviation) > tolerance_pct))
    warnings = [
        f"half cycle {k} ({direction_name(int(sign[k]))}): vendor capacity {theirs[k]:.5g} mAh "
        f"differs from the integrated {ours[k]:.5g} mAh by {deviation[k]:+.2f} %"
        for k in bad[:max_listed]
    ]
    if bad.size > max_listed:
        warnings.append(
            f"... and {bad.size - max_listed} more half cycles whose vendor capacity differs by "
            f"more than {tolerance_pct:g} % (largest {np.max(np.abs(deviation[bad])):.2f} %)"
        )
    return warnings
