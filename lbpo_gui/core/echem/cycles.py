"""Pairing half cycles into numbered cycles, and the per-cycle table (capacities, CE, energies).

Conventions
-----------
- ``'cathode'`` (default; a cathode vs Li half cell): cycle n = the n-th charge and the discharge
  that follows it. A discharge before the first charge (e.g. a partial discharge from OCV) is
  cycle 0, which has no charge. CE_n = Q_dis,n / Q_ch,n x 100.
- ``'anode'`` (e.g. graphite vs Li): cycle n = the n-th discharge (lithiation) and the charge that
  follows it; a charge before the first discharge is cycle 0. CE_n = Q_ch,n / Q_dis,n x 100.

A cycle lacking one half reports 0 capacity and energy for that half and CE ``None``.
The half cycles must alternate in sign, which :func:`~.states.segment_half_cycles` guarantees.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from ..errors import AnalysisError
from .capacity import HalfCycleCapacities
from .rounding import finite_or_none, round_significant
from .states import CHARGE, DISCHARGE
from .validation import check_active_mass_mg

CONVENTIONS: tuple[str, ...] = ("cathode", "anode")
CURRENT_DISPLAY_DIGITS = 3


def check_convention(convention: str) -> str:
    """``convention`` if it is ``'cathode'`` or ``'anode'``, else ``AnalysisError``."""
    if convention not in CONVENTIONS:
        raise AnalysisError(f"unknown convention {convention!r}; expected one of {CONVENTIONS}")
    return convention


def pair_half_cycles(
    sign: np.ndarray, convention: str = "cathode"
) -> list[tuple[int, int | None, int | None]]:
    """``(cycle number, index of the first half, index of the second half)`` per cycle.

    ``sign`` holds +1 (charge) / -1 (discharge) per half cycle in time order. The first half is
    the charge for a cathode, the discharge for an anode. Missing halves are ``None``: the first
    half of a cycle 0, the second half of a last cycle cut short.
    """
    check_convention(convention)
    sign = np.asarray(sign)
    if sign.size == 0:
        return []
    if np.any(sign[1:] == sign[:-1]):
        k = int(np.flatnonzero(sign[1:] == sign[:-1])[0])
        raise AnalysisError(
            f"half cycles {k} and {k + 1} flow the same way; half cycles must alternate"
        )
    opening = CHARGE if convention == "cathode" else DISCHARGE
    pairs: list[tuple[int, int | None, int | None]] = []
    first_full = 0
    if sign[0] != opening:
        pairs.append((0, None, 0))
        first_full = 1
    n = int(sign.size)
    for number, first in enumerate(range(first_full, n, 2), start=1):
        second = first + 1 if first + 1 < n else None
        pairs.append((number, first, second))
    return pairs


@dataclass(frozen=True)
class Cycle:
    """One cycle. Capacities in mAh and mAh/g, energies in Wh/kg (= mWh/g), voltages in V,
    times in s, rows as inclusive indices into the input arrays.

    Currents in mA/g: ``charge_current_mA_g``/``discharge_current_mA_g`` are each half's typical
    current (median |I| of its current-carrying rows, i.e. the applied CC current) / mass;
    ``mean_current_mA_g`` is the mean of the halves present (exact, used for rate steps) and
    ``current_mA_g`` the same rounded to 3 significant figures for display.
    ``charge_half_cycle``/``discharge_half_cycle`` index the half-cycle table (``None`` when
    missing)."""

    cycle: int
    charge_half_cycle: int | None
    discharge_half_cycle: int | None
    charge_mAh: float
    discharge_mAh: float
    charge_mAh_g: float
    discharge_mAh_g: float
    coulombic_efficiency_pct: float | None
    current_mA_g: float
    mean_current_mA_g: float
    charge_current_mA_g: float | None
    discharge_current_mA_g: float | None
    charge_energy_Wh_kg: float
    discharge_energy_Wh_kg: float
    mean_charge_voltage_V: float | None
    mean_discharge_voltage_V: float | None
    start_time_s: float
    end_time_s: float
    start_row: int
    stop_row: int

    @property
    def complete(self) -> bool:
        """True when the cycle has both a charge and a discharge."""
        return self.charge_half_cycle is not None and self.discharge_half_cycle is not None

    def to_dict(self) -> dict[str, Any]:
        """All fields (JSON-serialisable: NaN becomes ``None``) plus ``complete``."""
        out = asdict(self)
        for key, value in out.items():
            if isinstance(value, float):
                out[key] = finite_or_none(value)
        out["complete"] = self.complete
        return out


def coulombic_efficiency_pct(
    charge_mAh: float, discharge_mAh: float, convention: str = "cathode"
) -> float | None:
    """CE in %: discharge/charge x 100 (cathode) or charge/discharge x 100 (anode); ``None`` when
    the denominator is not > 0."""
    check_convention(convention)
    numerator, denominator = (
        (discharge_mAh, charge_mAh) if convention == "cathode" else (charge_mAh, discharge_mAh)
    )
    if not denominator > 0:
        return None
    return float(numerator / denominator * 100.0)


def _value(array: np.ndarray, k: int | None, missing: float = 0.0) -> float:
    return float(array[k]) if k is not None else missing


def build_cycles(
    half: HalfCycleCapacities, active_mass_mg: float, convention: str = "cathode"
) -> list[Cycle]:
    """The per-cycle table from the half-cycle results (see the module docstring for pairing)."""
    mass_g = check_active_mass_mg(active_mass_mg) / 1000.0
    cycles: list[Cycle] = []
    for number, first, second in pair_half_cycles(half.sign, convention):
        present = [k for k in (first, second) if k is not None]
        by_sign = {int(half.sign[k]): k for k in present}
        ch = by_sign.get(CHARGE)
        dis = by_sign.get(DISCHARGE)

        q_ch = _value(half.capacity_mAh, ch)
        q_dis = _value(half.capacity_mAh, dis)
        ce = coulombic_efficiency_pct(q_ch, q_dis, convention) if len(present) == 2 else None
        currents = [float(half.typical_current_mA[k]) / mass_g for k in present]
        mean_current = float(np.mean(currents))
        cycles.append(
            Cycle(
                cycle=number,
                charge_half_cycle=ch,
                discharge_half_cycle=dis,
                charge_mAh=q_ch,
                discharge_mAh=q_dis,
                charge_mAh_g=q_ch / mass_g,
                discharge_mAh_g=q_dis / mass_g,
                coulombic_efficiency_pct=ce,
                current_mA_g=round_significant(mean_current, CURRENT_DISPLAY_DIGITS),
                mean_current_mA_g=mean_current,
                charge_current_mA_g=None
                if ch is None
                else _value(half.typical_current_mA, ch) / mass_g,
                discharge_current_mA_g=(
                    None if dis is None else _value(half.typical_current_mA, dis) / mass_g
                ),
                charge_energy_Wh_kg=_value(half.energy_mWh, ch) / mass_g,
                discharge_energy_Wh_kg=_value(half.energy_mWh, dis) / mass_g,
                mean_charge_voltage_V=finite_or_none(_value(half.mean_voltage_V, ch, np.nan)),
                mean_discharge_voltage_V=finite_or_none(_value(half.mean_voltage_V, dis, np.nan)),
                start_time_s=float(half.start_time_s[present[0]]),
                end_time_s=float(half.end_time_s[present[-1]]),
                start_row=int(half.start[present[0]]),
                stop_row=int(half.stop[present[-1]]),
            )
        )
    return cycles


def find_cycle(cycles: list[Cycle] | tuple[Cycle, ...], number: int) -> Cycle | None:
    """The cycle numbered ``number``, or ``None``."""
    for cycle in cycles:
        if cycle.cycle == number:
            return cycle
    return None
