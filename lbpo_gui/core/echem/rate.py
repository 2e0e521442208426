"""Rate steps, their representative cycles, the rate table and capacity retention.

Definitions
-----------
- **Rate step**: a maximal run of consecutive complete cycles at the same current density. A cycle
  joins the current step when its exact mean current density (mA/g) is within ``tolerance``
  (relative, default 10 %) of the mean of the cycles already in the step; otherwise it starts a
  new step. Incomplete cycles (cycle 0, a last cycle cut short) belong to no step.
- **Displayed current** of a step: its mean current density snapped to the nearest value of
  ``nominal_rates_mA_g`` within ``tolerance`` when given, else rounded to 3 significant figures.
  Snapping is for display only; clustering uses the exact values.
- **Representative cycle** of a step (``representative``):
  ``'study'`` (default) the first cycle of the first step and the second cycle of each later step
  (the study's cycles 1, 7, 12, 17 for 4 steps of 5 cycles); ``'first'``; ``'second'``; ``'last'``;
  ``'mean'`` (the mean discharge capacity of the step; no single representative cycle). A step with
  a single cycle is represented by that cycle.
- **Retention** of a step (%) = its representative discharge capacity / that of a reference step
  (default the first) x 100; the study's "340 vs 17" retention is step 4 vs step 1.
- **Long-term retention** (%) = discharge capacity of cycle N / that of a reference cycle
  (default cycle 1) x 100.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import AnalysisError
from .cycles import Cycle, find_cycle
from .rounding import finite_or_none, round_significant

REPRESENTATIVE_OPTIONS: tuple[str, ...] = ("study", "first", "second", "last", "mean")
DEFAULT_RATE_TOLERANCE = 0.10
DISPLAY_DIGITS = 3


def check_representative(option: str) -> str:
    """``option`` if it is a known representative-cycle option, else ``AnalysisError``."""
    if option not in REPRESENTATIVE_OPTIONS:
        raise AnalysisError(
            f"unknown representative cycle option {option!r}; expected one of "
            f"{REPRESENTATIVE_OPTIONS}"
        )
    return option


def detect_rate_steps(
    current_mA_g: Sequence[float] | np.ndarray, *, tolerance: float = DEFAULT_RATE_TOLERANCE
) -> list[list[int]]:
    """Group consecutive positions of ``current_mA_g`` into runs of the same current density.

    Returns lists of positions (0-based indices into ``current_mA_g``). A value joins the open run
    when ``|value - run mean| <= tolerance x run mean``.
    """
    steps: list[list[int]] = []
    total = 0.0
    for position, value in enumerate(np.asarray(current_mA_g, dtype=np.float64)):
        if steps:
            mean = total / len(steps[-1])
            if abs(value - mean) <= tolerance * abs(mean):
                steps[-1].append(position)
                total += value
                continue
        steps.append([position])
        total = float(value)
    return steps


def display_current_mA_g(
    mean_current_mA_g: float,
    nominal_rates_mA_g: Sequence[float] | None = None,
    tolerance: float = DEFAULT_RATE_TOLERANCE,
) -> float:
    """The current density to show: the nearest nominal rate within ``tolerance`` if any, else
    ``mean_current_mA_g`` rounded to 3 significant figures."""
    if nominal_rates_mA_g:
        nominal = np.asarray(nominal_rates_mA_g, dtype=np.float64)
        nearest = float(nominal[np.argmin(np.abs(nominal - mean_current_mA_g))])
        if abs(nearest - mean_current_mA_g) <= tolerance * nearest:
            return nearest
    return round_significant(mean_current_mA_g, DISPLAY_DIGITS)


def representative_position(n_cycles: int, step_position: int, option: str) -> int | None:
    """Index within a step of ``n_cycles`` cycles of its representative cycle (``None`` for
    ``'mean'``); ``step_position`` is the 0-based position of the step in the test."""
    check_representative(option)
    if option == "mean":
        return None
    if option == "study":
        option = "first" if step_position == 0 else "second"
    if option == "first":
        return 0
    if option == "second":
        return min(1, n_cycles - 1)
    return n_cycles - 1


@dataclass(frozen=True)
class RateStep:
    """One rate step: ``step`` (1-based), ``current_mA_g`` (display value), ``mean_current_mA_g``
    (exact mean), ``cycles`` (cycle numbers), ``representative_cycle`` (``None`` for ``'mean'``),
    ``discharge_mAh_g`` and ``charge_mAh_g`` of the representative (or the step means),
    ``coulombic_efficiency_pct`` of the representative cycle, ``retention_pct`` vs the first step."""

    step: int
    current_mA_g: float
    mean_current_mA_g: float
    cycles: tuple[int, ...]
    representative_cycle: int | None
    discharge_mAh_g: float
    charge_mAh_g: float
    coulombic_efficiency_pct: float | None
    retention_pct: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable dict with the same keys."""
        return {
            "step": self.step,
            "current_mA_g": self.current_mA_g,
            "mean_current_mA_g": self.mean_current_mA_g,
            "cycles": list(self.cycles),
            "representative_cycle": self.representative_cycle,
            "discharge_mAh_g": finite_or_none(self.discharge_mAh_g),
            "charge_mAh_g": finite_or_none(self.charge_mAh_g),
            "coulombic_efficiency_pct": finite_or_none(self.coulombic_efficiency_pct),
            "retention_pct": finite_or_none(self.retention_pct),
        }


@dataclass(frozen=True)
class RateTable:
    """The rate steps of a test and the settings that made them."""

    steps: tuple[RateStep, ...]
    representative: str
    tolerance: float

    def to_dict(self) -> dict[str, Any]:
        """``{'representative', 'tolerance_pct', 'steps': [...]}``."""
        return {
            "representative": self.representative,
            "tolerance_pct": self.tolerance * 100.0,
            "steps": [step.to_dict() for step in self.steps],
        }

    def find_step(self, current_mA_g: float, *, tolerance: float | None = None) -> RateStep | None:
        """The first step whose mean current density is within ``tolerance`` (default: the table's)
        of ``current_mA_g``, or ``None``."""
        tol = self.tolerance if tolerance is None else tolerance
        for step in self.steps:
            if abs(step.mean_current_mA_g - current_mA_g) <= tol * current_mA_g:
                return step
        return None


def build_rate_table(
    cycles: Sequence[Cycle],
    *,
    representative: str = "study",
    tolerance: float = DEFAULT_RATE_TOLERANCE,
    nominal_rates_mA_g: Sequence[float] | None = None,
) -> RateTable:
    """Rate steps of the complete cycles, each with its representative capacity and retention."""
    check_representative(representative)
    complete = [c for c in cycles if c.complete]
    groups = detect_rate_steps([c.mean_current_mA_g for c in complete], tolerance=tolerance)
    steps: list[RateStep] = []
    reference: float | None = None
    for position, group in enumerate(groups):
        members = [complete[i] for i in group]
        mean_current = float(np.mean([c.mean_current_mA_g for c in members]))
        chosen = representative_position(len(members), position, representative)
        if chosen is None:
            rep_cycle = None
            discharge = float(np.mean([c.discharge_mAh_g for c in members]))
            charge = float(np.mean([c.charge_mAh_g for c in members]))
            ce = None
        else:
            rep = members[chosen]
            rep_cycle = rep.cycle
            discharge, charge, ce = (
                rep.discharge_mAh_g,
                rep.charge_mAh_g,
                rep.coulombic_efficiency_pct,
            )
        if reference is None:
            reference = discharge
        retention = discharge / reference * 100.0 if reference > 0 else None
        steps.append(
            RateStep(
                step=position + 1,
                current_mA_g=display_current_mA_g(mean_current, nominal_rates_mA_g, tolerance),
                mean_current_mA_g=mean_current,
                cycles=tuple(c.cycle for c in members),
                representative_cycle=rep_cycle,
                discharge_mAh_g=discharge,
                charge_mAh_g=charge,
                coulombic_efficiency_pct=ce,
                retention_pct=retention,
            )
        )
    return RateTable(steps=tuple(steps), representative=representative, tolerance=tolerance)


def step_retention_pct(table: RateTable, step: int, reference_step: int = 1) -> float | None:
    """Representative discharge capacity of ``step`` / that of ``reference_step`` x 100 (steps are
    1-based). ``AnalysisError`` if a step does not exist; ``None`` if the reference is 0."""
    n = len(table.steps)
    for value in (step, reference_step):
        if not 1 <= value <= n:
            raise AnalysisError(f"no rate step {value}: the test has {n} steps")
    reference = table.steps[reference_step - 1].discharge_mAh_g
    if not reference > 0:
        return None
    return table.steps[step - 1].discharge_mAh_g / reference * 100.0


def rate_retention_pct(
    table: RateTable,
    current_mA_g: float,
    reference_current_mA_g: float | None = None,
    *,
    tolerance: float | None = None,
) -> float | None:
    """Retention between the first step at ``current_mA_g`` and the first step at
    ``reference_current_mA_g`` (default: the first step), e.g. ``rate_retention_pct(t, 340, 17)``
    for the study's 340-vs-17 retention. ``AnalysisError`` if no step runs at a requested rate."""

    def locate(current: float) -> int:
        found = table.find_step(current, tolerance=tolerance)
        if found is None:
            available = ", ".join(f"{s.current_mA_g:g}" for s in table.steps) or "none"
            raise AnalysisError(f"no rate step at {current:g} mA/g (steps: {available} mA/g)")
        return found.step

    step = locate(current_mA_g)
    reference = 1 if reference_current_mA_g is None else locate(reference_current_mA_g)
    return step_retention_pct(table, step, reference)


@dataclass(frozen=True)
class LongTermRetention:
    """Discharge capacity of ``cycle`` vs ``reference_cycle`` (mAh/g, %)."""

    reference_cycle: int
    reference_discharge_mAh_g: float
    cycle: int
    discharge_mAh_g: float
    retention_pct: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable dict with the same keys."""
        return {
            "reference_cycle": self.reference_cycle,
            "reference_discharge_mAh_g": self.reference_discharge_mAh_g,
            "cycle": self.cycle,
            "discharge_mAh_g": self.discharge_mAh_g,
            "retention_pct": finite_or_none(self.retention_pct),
        }


def long_term_retention(
    cycles: Sequence[Cycle], *, cycle: int | None = None, reference_cycle: int = 1
) -> LongTermRetention:
    """Discharge capacity retention of ``cycle`` (default: the last complete cycle) vs
    ``reference_cycle`` (default 1), in %. ``AnalysisError`` when a cycle is missing or
    incomplete."""
    if cycle is None:
        complete = [c.cycle for c in cycles if c.complete]
        if not complete:
            raise AnalysisError("no complete cycle: cannot compute a capacity retention")
        cycle = complete[-1]
    picked = []
    for number in (reference_cycle, cycle):
        found = find_cycle(list(cycles), number)
        if found is None or found.discharge_half_cycle is None:
            raise AnalysisError(f"cycle {number} has no discharge: cannot compute a retention")
        picked.append(found)
    ref, target = picked
    retention = (
        target.discharge_mAh_g / ref.discharge_mAh_g * 100.0 if ref.discharge_mAh_g > 0 else None
    )
    return LongTermRetention(
        reference_cycle=ref.cycle,
        reference_discharge_mAh_g=ref.discharge_mAh_g,
        cycle=target.cycle,
        discharge_mAh_g=target.discharge_mAh_g,
        retention_pct=retention,
    )


def capacity_retention_pct(
    cycles: Sequence[Cycle], cycle: int, reference_cycle: int = 1
) -> float | None:
    """Discharge capacity of ``cycle`` / that of ``reference_cycle`` x 100 (see
    :func:`long_term_retention`)."""
    return long_term_retention(cycles, cycle=cycle, reference_cycle=reference_cycle).retention_pct
