"""Differential capacity dQ/dV of one half cycle on a uniform voltage grid.

Recipe (the settings are returned with the result so they can be stored next to it):

1. **Monotonic cleaning.** Along the half cycle's direction (V rising on charge, falling on
   discharge) take the running voltage extreme, so that V is monotonic in time, and keep only the
   first row that reaches each new voltage level of one grid step (``voltage_step_V``). Points
   closer than a grid step, and noise reversals, are dropped; Q(V) becomes a function.
2. **Interpolation** of Q(V) linearly onto a uniform grid of step ``voltage_step_V`` aligned to
   multiples of the step (grids of different cycles coincide).
3. **Smoothing** of Q on the grid with a Savitzky-Golay filter (``window_points`` odd, in grid
   points; ``polyorder``); ``window_points`` 0 or 1 disables it.
4. **Differentiation** by central differences (``numpy.gradient``) on the grid.

The unsmoothed finite difference of step 2 is returned as well (``dqdv_raw``) for comparison.
Sign: Q is counted from the start of the half cycle, so dQ/dV > 0 on charge and < 0 on discharge
(the usual way to plot both). Units: mAh/g/V with an active mass, mAh/V without.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ..errors import AnalysisError
from .capacity import half_cycle_capacity_curve
from .states import direction_name
from .validation import as_float_array, check_active_mass_mg

DEFAULT_VOLTAGE_STEP_V = 0.002
DEFAULT_WINDOW_POINTS = 15
DEFAULT_POLYORDER = 3


@dataclass(frozen=True)
class DqDvSettings:
    """dQ/dV settings: grid step (V), Savitzky-Golay window (grid points, odd; 0 or 1 = off) and
    polynomial order."""

    voltage_step_V: float = DEFAULT_VOLTAGE_STEP_V
    window_points: int = DEFAULT_WINDOW_POINTS
    polyorder: int = DEFAULT_POLYORDER

    @property
    def smoothing(self) -> bool:
        """True when Savitzky-Golay smoothing is on."""
        return self.window_points > 1

    def check(self) -> DqDvSettings:
        """``self`` if consistent, else ``AnalysisError`` saying what is wrong."""
        if not (np.isfinite(self.voltage_step_V) and self.voltage_step_V > 0):
            raise AnalysisError(f"dQ/dV voltage step must be > 0 V, got {self.voltage_step_V}")
        if self.smoothing:
            if self.window_points % 2 == 0:
                raise AnalysisError(
                    f"Savitzky-Golay window must be an odd number of points, got "
                    f"{self.window_points}"
                )
            if not 0 <= self.polyorder < self.window_points:
                raise AnalysisError(
                    f"Savitzky-Golay order must be >= 0 and < the window ({self.window_points}), "
                    f"got {self.polyorder}"
                )
        return self

    def to_dict(self) -> dict[str, Any]:
        """Settings plus the derived window width in V and the method name."""
        out: dict[str, Any] = asdict(self)
        out["window_V"] = self.window_points * self.voltage_step_V if self.smoothing else 0.0
        out["method"] = "savgol" if self.smoothing else "none"
        return out


#: Voltage band at each end of a half cycle that peak picking ignores, V.
PEAK_END_MARGIN_V = 0.05


@dataclass(frozen=True)
class DqDvResult:
    """dQ/dV on ``voltage_V`` (ascending uniform grid, V): ``dqdv`` (smoothed) and ``dqdv_raw``
    (unsmoothed central differences), in ``unit`` (``'mAh_g_V'`` or ``'mAh_V'``); ``capacity``
    (Q on the grid, mAh/g or mAh, from the half-cycle start); ``direction`` ('charge' or
    'discharge'); ``n_levels`` (points kept by the cleaning); ``settings``."""

    voltage_V: np.ndarray
    dqdv: np.ndarray
    dqdv_raw: np.ndarray
    capacity: np.ndarray
    unit: str
    direction: str
    n_levels: int
    settings: DqDvSettings

    @property
    def peak_voltage_V(self) -> float:
        """Voltage of the largest |dQ/dV| (smoothed), ignoring the :data:`PEAK_END_MARGIN_V`
        at each end of the half cycle, where the cut-off (and any voltage hold) makes dQ/dV
        shoot up without being a peak; the whole range when the half cycle is too short."""
        v, y = self.voltage_V, np.abs(self.dqdv)
        inner = (v >= v[0] + PEAK_END_MARGIN_V) & (v <= v[-1] - PEAK_END_MARGIN_V)
        if np.count_nonzero(inner & np.isfinite(y)) >= 3:
            y = np.where(inner, y, -np.inf)
        return float(v[int(np.nanargmax(y))])

    def to_dict(self) -> dict[str, Any]:
        """Arrays as lists with units in the keys (``dQdV_mAh_g_V`` or ``dQdV_mAh_V``)."""
        capacity_unit = "mAh_g" if self.unit == "mAh_g_V" else "mAh"
        return {
            "direction": self.direction,
            "unit": self.unit,
            "n_levels": self.n_levels,
            "settings": self.settings.to_dict(),
            "voltage_V": self.voltage_V.tolist(),
            f"capacity_{capacity_unit}": self.capacity.tolist(),
            f"dQdV_{self.unit}": self.dqdv.tolist(),
            f"raw_dQdV_{self.unit}": self.dqdv_raw.tolist(),
        }


def monotonic_levels(
    voltage_V: np.ndarray, capacity: np.ndarray, direction: int, step_V: float
) -> tuple[np.ndarray, np.ndarray]:
    """Cleaning step 1: ``(u, Q)`` with ``u = direction x V`` strictly increasing, one point per
    new voltage level of ``step_V`` (the first row that reaches it)."""
    u = direction * voltage_V
    envelope = np.maximum.accumulate(u)
    level = np.floor((envelope - envelope[0]) / step_V).astype(np.int64)
    _, first = np.unique(level, return_index=True)
    return envelope[first], capacity[first]


def differential_capacity(
    voltage_V: ArrayLike,
    capacity: ArrayLike,
    *,
    direction: int | None = None,
    settings: DqDvSettings | None = None,
    unit: str = "mAh_g_V",
) -> DqDvResult:
    """dQ/dV of one half cycle from its rows in time order (see the module docstring).

    ``capacity`` is Q measured from the start of the half cycle (mAh/g or mAh; ``unit`` names the
    result's unit). ``direction`` is +1 for a charge (V rising), -1 for a discharge; by default the
    sign of the last minus the first voltage. ``AnalysisError`` when the half cycle is too short
    for the grid and the smoothing window.
    """
    settings = (settings or DqDvSettings()).check()
    voltage = as_float_array(voltage_V, "voltage_V")
    q = as_float_array(capacity, "capacity")
    if voltage.size != q.size:
        raise AnalysisError(f"voltage has {voltage.size} rows, capacity {q.size}")
    if voltage.size < 3:
        raise AnalysisError(f"half cycle too short for dQ/dV: {voltage.size} rows, need 3 or more")
    if direction is None:
        direction = 1 if voltage[-1] >= voltage[0] else -1
    if direction not in (1, -1):
        raise AnalysisError(f"direction must be +1 (charge) or -1 (discharge), got {direction}")
    step = settings.voltage_step_V
    u, q_levels = monotonic_levels(voltage, q, direction, step)
    first_k = int(np.ceil(u[0] / step - 1e-9))
    last_k = int(np.floor(u[-1] / step + 1e-9))
    n_grid = last_k - first_k + 1
    needed = max(settings.window_points if settings.smoothing else 0, 3)
    if n_grid < needed:
        span_mV = (u[-1] - u[0]) * 1000.0
        raise AnalysisError(
            f"half cycle too short for dQ/dV: it spans {span_mV:.1f} mV, {max(n_grid, 0)} grid "
            f"points of {step * 1000:g} mV, need at least {needed}"
            + (" (the smoothing window)" if needed > 3 else "")
            + "; use a smaller voltage step or window"
        )
    grid_u = np.arange(first_k, last_k + 1, dtype=np.float64) * step
    q_grid = np.interp(grid_u, u, q_levels)
    raw = np.gradient(q_grid, step)
    if settings.smoothing:
        from scipy.signal import savgol_filter  # deferred: keeps importing the package cheap

        smooth_q = savgol_filter(q_grid, settings.window_points, settings.polyorder)
        smooth = np.gradient(smooth_q, step)
    else:
        smooth = raw.copy()
    # d/dV = direction x d/du; present the voltage ascending.
    grid_v = direction * grid_u
    raw = direction * raw
    smooth = direction * smooth
    if direction < 0:
        grid_v, raw, smooth, q_grid = grid_v[::-1], raw[::-1], smooth[::-1], q_grid[::-1]
    return DqDvResult(
        voltage_V=np.round(grid_v, 9),
        dqdv=smooth,
        dqdv_raw=raw,
        capacity=q_grid,
        unit=unit,
        direction=direction_name(direction),
        n_levels=int(u.size),
        settings=settings,
    )


def half_cycle_dqdv(
    time_s: ArrayLike,
    voltage_V: ArrayLike,
    current_mA: ArrayLike,
    start: int,
    stop: int,
    sign: int,
    *,
    active_mass_mg: float | None = None,
    settings: DqDvSettings | None = None,
    integration: str = "trapezoid",
) -> DqDvResult:
    """dQ/dV of the half cycle on rows ``start..stop`` with direction ``sign`` (+1 charge, -1
    discharge), in mAh/g/V with ``active_mass_mg``, else mAh/V."""
    q = half_cycle_capacity_curve(time_s, current_mA, start, stop, sign, integration=integration)
    unit = "mAh_V"
    if active_mass_mg is not None:
        q = q / (check_active_mass_mg(active_mass_mg) / 1000.0)
        unit = "mAh_g_V"
    voltage = np.asarray(voltage_V, dtype=np.float64)[start : stop + 1]
    return differential_capacity(voltage, q, direction=int(sign), settings=settings, unit=unit)
