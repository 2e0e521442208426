"""Voltage vs specific capacity curves (V-Q profiles) of chosen cycles.

Each branch (the charge or the discharge of a cycle) runs over the rows of its half cycle; the
capacity is measured from the start of that half cycle (0 at its first row, growing to the half
cycle's capacity), in mAh/g. Rows are in time order and not decimated.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .capacity import half_cycle_capacity_curve
from .cycles import Cycle
from .validation import check_active_mass_mg


@dataclass(frozen=True)
class ProfileBranch:
    """One branch of a V-Q profile: ``cycle``, ``direction`` ('charge' or 'discharge'),
    ``capacity_mAh_g`` (from the half-cycle start) and ``voltage_V``, row by row, and the rows
    ``start_row..stop_row`` they come from."""

    cycle: int
    direction: str
    capacity_mAh_g: np.ndarray
    voltage_V: np.ndarray
    start_row: int
    stop_row: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable dict (arrays as lists)."""
        return {
            "cycle": self.cycle,
            "direction": self.direction,
            "start_row": self.start_row,
            "stop_row": self.stop_row,
            "capacity_mAh_g": self.capacity_mAh_g.tolist(),
            "voltage_V": self.voltage_V.tolist(),
        }


def half_cycle_profile(
    time_s: ArrayLike,
    voltage_V: ArrayLike,
    current_mA: ArrayLike,
    start: int,
    stop: int,
    sign: int,
    active_mass_mg: float,
    *,
    integration: str = "trapezoid",
) -> tuple[np.ndarray, np.ndarray]:
    """``(capacity_mAh_g, voltage_V)`` of the half cycle on rows ``start..stop``."""
    mass_g = check_active_mass_mg(active_mass_mg) / 1000.0
    curve = half_cycle_capacity_curve(
        time_s, current_mA, start, stop, sign, integration=integration
    )
    q = curve / mass_g
    voltage = np.asarray(voltage_V, dtype=np.float64)[start : stop + 1].copy()
    return q, voltage


def cycle_profiles(
    time_s: ArrayLike,
    voltage_V: ArrayLike,
    current_mA: ArrayLike,
    cycles: Sequence[Cycle],
    half_start: np.ndarray,
    half_stop: np.ndarray,
    *,
    active_mass_mg: float,
    select: Iterable[int] | None = None,
    directions: Iterable[str] = ("charge", "discharge"),
    integration: str = "trapezoid",
) -> list[ProfileBranch]:
    """V-Q branches of the cycles numbered in ``select`` (default: all), in time order.

    ``half_start``/``half_stop`` are the half-cycle row bounds that the cycles' ``*_half_cycle``
    indices refer to. ``directions`` picks the branches ('charge', 'discharge' or both). Cycles
    not present are skipped. ``integration`` as used for the summary ('trapezoid' or
    'interval').
    """
    time = np.asarray(time_s, dtype=np.float64)
    voltage = np.asarray(voltage_V, dtype=np.float64)
    current = np.asarray(current_mA, dtype=np.float64)
    wanted = None if select is None else set(select)
    kinds = tuple(directions)
    branches: list[ProfileBranch] = []
    for cycle in cycles:
        if wanted is not None and cycle.cycle not in wanted:
            continue
        halves = [
            (index, direction, sign)
            for index, direction, sign in (
                (cycle.charge_half_cycle, "charge", 1),
                (cycle.discharge_half_cycle, "discharge", -1),
            )
            if index is not None and direction in kinds
        ]
        for index, direction, sign in sorted(halves):
            start, stop = int(half_start[index]), int(half_stop[index])
            q, v = half_cycle_profile(
                time, voltage, current, start, stop, sign, active_mass_mg, integration=integration
            )
            branches.append(
                ProfileBranch(
                    cycle=cycle.cycle,
                    direction=direction,
                    capacity_mAh_g=q,
                    voltage_V=v,
                    start_row=start,
                    stop_row=stop,
                )
            )
    return branches
