"""Sanity warnings where a number of the cycling summary is suspect (one line each).

- **convention**: under the cathode convention (cycle n = n-th charge + the discharge after it)
  a first-cycle CE above 100 %, or a record that opens with a long discharge (a discharge from
  OCV of at least half a typical discharge), suggests an anode half cell (or a cell started
  charged): try the other convention. The same, mirrored, for the anode convention.
- **specific capacity** beyond what the chemistry allows: above :data:`CATHODE_LIMIT_MAH_G`
  (the highest of layered oxides, Li-rich included, is about 300 mAh/g) for a cathode, above
  :data:`ANODE_LIMIT_MAH_G` (lithium metal, 3860 mAh/g) for an anode: check the active mass.
- **long time gaps** inside a half cycle (current flowing on both sides): the capacity is
  integrated across them as if the current had flowed, which hides lost data.
- **partial last half cycle**: the record ends while current flows and the last half cycle
  holds much less than the one of the same direction before it (a run stopped early).
"""

from __future__ import annotations

import numpy as np

from .capacity import HalfCycleCapacities
from .cycles import Cycle
from .states import CHARGE, DISCHARGE

#: Highest plausible specific capacity of a cathode, mAh/g (Li-rich layered oxides ~300).
CATHODE_LIMIT_MAH_G = 300.0
#: Highest plausible specific capacity of an anode, mAh/g (lithium metal, 3860).
ANODE_LIMIT_MAH_G = 3860.0
#: A first half cycle against the convention counts as "long" from this share of the median
#: half cycle of its direction.
LONG_OPENING_SHARE = 0.5
#: A time step inside a half cycle is a gap above this many times the median step and
#: :data:`GAP_MIN_S`.
GAP_FACTOR = 20.0
GAP_MIN_S = 600.0
#: The last half cycle is partial below this share of the previous one of its direction.
PARTIAL_SHARE = 0.8

_NAMES = {CHARGE: "charge", DISCHARGE: "discharge"}
_ARTICLE = {"cathode": "a", "anode": "an"}


def convention_warnings(
    half: HalfCycleCapacities, cycles: tuple[Cycle, ...], convention: str, mass_mg: float
) -> list[str]:
    """CE of cycle 1 over 100 %, or a long opening half cycle against the convention."""
    other = "anode" if convention == "cathode" else "cathode"
    out: list[str] = []
    first = next((c for c in cycles if c.cycle == 1), None)
    ce = first.coulombic_efficiency_pct if first is not None else None
    if ce is not None and ce > 100.0:
        out.append(
            f"first-cycle CE is {ce:.1f} % (over 100 %) under the {convention} convention: "
            f"if this is {_ARTICLE[other]} {other} half cell, use the {other} convention"
        )
    opening = CHARGE if convention == "cathode" else DISCHARGE
    if half.count >= 3 and int(half.sign[0]) != opening:
        same = half.capacity_mAh[half.sign == half.sign[0]]
        typical = float(np.median(same[1:])) if same.size > 1 else 0.0
        q0 = float(half.capacity_mAh[0])
        if typical > 0 and q0 >= LONG_OPENING_SHARE * typical:
            out.append(
                f"the record starts with a long {_NAMES[int(half.sign[0])]} "
                f"({q0 / mass_mg * 1000:.4g} mAh/g, {q0 / typical * 100:.0f} % of a typical one), "
                f"cycle 0 under the {convention} convention: if the cell is {_ARTICLE[other]} {other} "
                f"(or was started charged), use the {other} convention"
            )
    return out


def capacity_limit_warnings(
    cycles: tuple[Cycle, ...], convention: str, mass_mg: float
) -> list[str]:
    """Specific capacities above what the chemistry allows: the mass is probably wrong."""
    limit = CATHODE_LIMIT_MAH_G if convention == "cathode" else ANODE_LIMIT_MAH_G
    worst = max(cycles, key=lambda c: max(c.charge_mAh_g, c.discharge_mAh_g), default=None)
    if worst is None:
        return []
    q = max(worst.charge_mAh_g, worst.discharge_mAh_g)
    if not q > limit:
        return []
    n = sum(max(c.charge_mAh_g, c.discharge_mAh_g) > limit for c in cycles)
    return [
        f"{n} cycle{'s exceed' if n > 1 else ' exceeds'} {limit:g} mAh/g, more than "
        f"{_ARTICLE[convention]} "
        f"{convention} can hold "
        f"(cycle {worst.cycle}: {q:.4g} mAh/g): check the active mass ({mass_mg:.4g} mg)"
    ]


def gap_warnings(time_s: np.ndarray, half: HalfCycleCapacities) -> list[str]:
    """Long time steps inside half cycles, across which the capacity was integrated."""
    if half.count == 0 or time_s.size < 3:
        return []
    dt = np.diff(time_s)
    inside = np.zeros(dt.size, dtype=bool)
    for a, b in zip(half.start, half.stop, strict=True):
        inside[a:b] = True  # steps a->a+1 ... b-1->b
    steps = dt[inside & (dt > 0)]
    if steps.size == 0:
        return []
    limit = max(GAP_FACTOR * float(np.median(steps)), GAP_MIN_S)
    gaps = np.flatnonzero(inside & (dt > limit))
    if gaps.size == 0:
        return []
    k = int(gaps[np.argmax(dt[gaps])])
    return [
        f"capacity integrated across {gaps.size} time gap{'s' * (gaps.size > 1)} inside half "
        f"cycles (longest {dt[k]:.4g} s after t = {time_s[k]:.6g} s, row {k + 1}): data may be "
        "missing there"
    ]


def partial_last_half_cycle(n_rows: int, half: HalfCycleCapacities, mass_mg: float) -> list[str]:
    """The record ends during a half cycle much shorter than the previous one of its kind."""
    if half.count < 3 or int(half.stop[-1]) < n_rows - 1:
        return []
    q_last, q_prev = float(half.capacity_mAh[-1]), float(half.capacity_mAh[-3])
    if not (q_prev > 0 and q_last < PARTIAL_SHARE * q_prev):
        return []
    return [
        f"the record ends during a {_NAMES[int(half.sign[-1])]} "
        f"({q_last / mass_mg * 1000:.4g} mAh/g, {q_last / q_prev * 100:.0f} % of the previous "
        "one): a partial half cycle, its cycle is not comparable"
    ]
