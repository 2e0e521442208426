"""One call from cycling arrays to the cycling summary: cycles, first-cycle CE, rate table, warnings.

``summarise_cycling`` validates the input, segments half cycles (``states``), integrates them
(``capacity``), cross-checks the vendor capacity, pairs cycles (``cycles``) and builds the rate
table (``rate``). ``CyclingSummary.to_cli_dict()`` is the ``lbpo echem --json`` contract.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ..errors import AnalysisError
from .capacity import (
    CAPACITY_SEMANTICS,
    DEFAULT_TOLERANCE_PCT,
    HalfCycleCapacities,
    check_integration,
    cross_check_vendor_capacity,
    integrate_half_cycles,
    vendor_half_cycle_capacity,
)
from .cycles import Cycle, build_cycles, check_convention, find_cycle
from .rate import (
    DEFAULT_RATE_TOLERANCE,
    LongTermRetention,
    RateTable,
    build_rate_table,
    check_representative,
    long_term_retention,
)
from .rounding import finite_or_none
from .sanity import (
    capacity_limit_warnings,
    convention_warnings,
    gap_warnings,
    partial_last_half_cycle,
)
from .states import (
    DEFAULT_MIN_DURATION_S,
    DEFAULT_MIN_POINTS,
    HalfCycles,
    segment_half_cycles,
)
from .validation import as_float_array, check_active_mass_mg, check_cycling_arrays

CLI_CYCLE_KEYS: tuple[str, ...] = (
    "cycle",
    "charge_mAh_g",
    "discharge_mAh_g",
    "coulombic_efficiency_pct",
    "current_mA_g",
)
CLI_EXTRA_CYCLE_KEYS: tuple[str, ...] = (
    "charge_energy_Wh_kg",
    "discharge_energy_Wh_kg",
    "mean_charge_voltage_V",
    "mean_discharge_voltage_V",
)
CLI_STEP_KEYS: tuple[str, ...] = (
    "current_mA_g",
    "cycles",
    "representative_cycle",
    "discharge_mAh_g",
    "retention_pct",
)


@dataclass(frozen=True)
class CyclingSummary:
    """Everything the cycling analysis found.

    ``active_mass_mg`` (mg), ``convention`` ('cathode' or 'anode'), ``segmentation`` (per-row
    state and half-cycle ids, half-cycle bounds, the rest threshold used), ``half_cycles``
    (capacity, energy, mean voltage and current per half cycle, plus the vendor's capacity when
    given; ``integration`` names the method), ``cycles`` (per-cycle table), ``rate_table``, ``first_cycle_ce_pct`` (CE of cycle 1, the
    first full cycle; ``None`` when cycle 1 is incomplete or absent), ``warnings`` (one line each).
    """

    active_mass_mg: float
    convention: str
    segmentation: HalfCycles
    half_cycles: HalfCycleCapacities
    cycles: tuple[Cycle, ...]
    rate_table: RateTable
    first_cycle_ce_pct: float | None
    warnings: tuple[str, ...]
    capacity_semantics: str | None = None
    integration: str = "trapezoid"

    def cycle(self, number: int) -> Cycle | None:
        """The cycle numbered ``number``, or ``None``."""
        return find_cycle(self.cycles, number)

    def long_term_retention(
        self, cycle: int | None = None, reference_cycle: int = 1
    ) -> LongTermRetention:
        """Discharge capacity retention of ``cycle`` (default: last complete) vs
        ``reference_cycle``."""
        return long_term_retention(self.cycles, cycle=cycle, reference_cycle=reference_cycle)

    def to_cli_dict(self) -> dict[str, Any]:
        """The ``lbpo echem --json`` object: exactly ``active_mass_mg``, ``cycles``,
        ``rate_steps``, ``first_cycle_ce_pct`` and ``warnings`` (see DESIGN.md)."""
        cycles = []
        for cycle in self.cycles:
            full = cycle.to_dict()
            cycles.append({key: full[key] for key in CLI_CYCLE_KEYS + CLI_EXTRA_CYCLE_KEYS})
        steps = []
        for step in self.rate_table.steps:
            full = step.to_dict()
            steps.append({key: full[key] for key in CLI_STEP_KEYS})
        return {
            "active_mass_mg": float(self.active_mass_mg),
            "cycles": cycles,
            "rate_steps": steps,
            "first_cycle_ce_pct": finite_or_none(self.first_cycle_ce_pct),
            "warnings": list(self.warnings),
        }

    def to_dict(self) -> dict[str, Any]:
        """Full JSON-serialisable result (no per-row arrays): settings, half cycles, cycles, rate
        table, long-term retention (last complete cycle vs cycle 1, ``None`` if undefined)."""
        try:
            retention: dict[str, Any] | None = self.long_term_retention().to_dict()
        except AnalysisError:
            retention = None
        return {
            "active_mass_mg": float(self.active_mass_mg),
            "convention": self.convention,
            "capacity_semantics": self.capacity_semantics,
            "integration": self.integration,
            "segmentation": {
                **self.segmentation.settings(),
                "n_blips_removed": int(self.segmentation.n_blips),
            },
            "half_cycles": self.half_cycles.to_dict(self.active_mass_mg)["half_cycles"],
            "cycles": [cycle.to_dict() for cycle in self.cycles],
            "rate_table": self.rate_table.to_dict(),
            "first_cycle_ce_pct": finite_or_none(self.first_cycle_ce_pct),
            "long_term_retention": retention,
            "warnings": list(self.warnings),
        }


def _check_vendor(
    vendor_capacity_mAh: ArrayLike | None, capacity_semantics: str | None, n_rows: int
) -> np.ndarray | None:
    if vendor_capacity_mAh is None:
        return None
    if capacity_semantics is None:
        raise AnalysisError(
            f"a vendor capacity column needs its semantics: one of {CAPACITY_SEMANTICS}"
        )
    if capacity_semantics not in CAPACITY_SEMANTICS:
        raise AnalysisError(
            f"unknown capacity semantics {capacity_semantics!r}; expected one of "
            f"{CAPACITY_SEMANTICS}"
        )
    vendor = as_float_array(vendor_capacity_mAh, "vendor capacity_mAh")
    if vendor.size != n_rows:
        raise AnalysisError(f"vendor capacity_mAh has {vendor.size} rows, the data {n_rows}")
    return vendor


def noise_warnings(segmentation: HalfCycles, capacity_mAh: np.ndarray) -> list[str]:
    """Hints that the rest threshold is below the rest-current noise: many short current runs
    treated as rest, or half cycles carrying under 1 % of the median half-cycle capacity."""
    warnings = []
    hint = (
        f"the rest current may be noisier than the rest threshold "
        f"({segmentation.threshold_mA:.3g} mA); consider a higher rest_threshold_mA"
    )
    if segmentation.n_blips > max(100, 10 * segmentation.count):
        warnings.append(f"{segmentation.n_blips} short current runs were treated as rest: {hint}")
    if capacity_mAh.size:
        tiny = int(np.sum(capacity_mAh < 0.01 * np.median(capacity_mAh)))
        if tiny:
            warnings.append(
                f"{tiny} half cycles carry less than 1 % of the median half-cycle capacity: {hint}"
            )
    return warnings


def sanity_warnings(
    time_s: np.ndarray,
    half: HalfCycleCapacities,
    cycles: tuple[Cycle, ...],
    convention: str,
    mass_mg: float,
) -> list[str]:
    """The warnings of :mod:`.sanity`: convention, capacity beyond the chemistry, time gaps,
    a partial last half cycle."""
    return [
        *convention_warnings(half, cycles, convention, mass_mg),
        *capacity_limit_warnings(cycles, convention, mass_mg),
        *gap_warnings(time_s, half),
        *partial_last_half_cycle(time_s.size, half, mass_mg),
    ]


def summarise_cycling(
    time_s: ArrayLike,
    voltage_V: ArrayLike,
    current_mA: ArrayLike,
    *,
    active_mass_mg: float | None,
    convention: str = "cathode",
    vendor_capacity_mAh: ArrayLike | None = None,
    capacity_semantics: str | None = None,
    representative: str = "study",
    rest_threshold_mA: float | None = None,
    vendor_step_index: ArrayLike | None = None,
    capacity_tolerance_pct: float = DEFAULT_TOLERANCE_PCT,
    rate_tolerance: float = DEFAULT_RATE_TOLERANCE,
    nominal_rates_mA_g: Sequence[float] | None = None,
    min_points: int = DEFAULT_MIN_POINTS,
    min_duration_s: float = DEFAULT_MIN_DURATION_S,
    integration: str = "trapezoid",
) -> CyclingSummary:
    """Summarise a galvanostatic cycling record.

    Arrays: ``time_s`` (s, non-decreasing), ``voltage_V`` (V), ``current_mA`` (mA, + = charge /
    oxidation of the working electrode). ``active_mass_mg`` (mg, > 0) is required: ``None`` gives
    the "no active mass" error. ``convention``: 'cathode' (cycle n = n-th charge + following
    discharge, CE = dis/ch) or 'anode' (the reverse). ``vendor_capacity_mAh`` with
    ``capacity_semantics`` ('per_half_cycle', 'per_step', 'cumulative'; optional
    ``vendor_step_index`` for 'per_step') is cross-checked half cycle by half cycle, warning above
    ``capacity_tolerance_pct`` %. ``representative``: 'study', 'first', 'second', 'last', 'mean'.
    ``rest_threshold_mA`` overrides the default rest threshold (0.5 % of the robust max |I|);
    ``min_points``/``min_duration_s`` define the blips treated as rest; ``rate_tolerance`` is the
    relative tolerance of rate steps and ``nominal_rates_mA_g`` optional display values.
    ``integration``: 'trapezoid' (default) or 'interval' (currents averaged over the interval
    ending at each row, e.g. EC-Lab ``<I>/mA``).

    Raises ``AnalysisError`` for unusable input (see ``validation``) or a record without current.
    """
    mass = check_active_mass_mg(active_mass_mg)
    check_convention(convention)
    check_representative(representative)
    check_integration(integration)
    time, voltage, current = check_cycling_arrays(time_s, voltage_V, current_mA)
    vendor = _check_vendor(vendor_capacity_mAh, capacity_semantics, time.size)

    segmentation = segment_half_cycles(
        time,
        current,
        rest_threshold_mA=rest_threshold_mA,
        min_points=min_points,
        min_duration_s=min_duration_s,
    )
    if segmentation.count == 0:
        raise AnalysisError(
            f"no current flow: every row has |I| below the rest threshold "
            f"({segmentation.threshold_mA:.3g} mA) or belongs to a blip shorter than "
            f"{min_points} points / {min_duration_s:g} s"
        )
    half = integrate_half_cycles(
        time,
        voltage,
        current,
        segmentation.start,
        segmentation.stop,
        segmentation.sign,
        integration=integration,
    )
    warnings = noise_warnings(segmentation, half.capacity_mAh)
    if vendor is not None:
        assert capacity_semantics is not None
        vendor_q = vendor_half_cycle_capacity(
            vendor,
            segmentation.start,
            segmentation.stop,
            capacity_semantics,
            step_index=vendor_step_index,
        )
        half = replace(half, vendor_capacity_mAh=vendor_q)
        warnings += cross_check_vendor_capacity(
            half.capacity_mAh, vendor_q, half.sign, tolerance_pct=capacity_tolerance_pct
        )

    cycles = tuple(build_cycles(half, mass, convention))
    rate_table = build_rate_table(
        cycles,
        representative=representative,
        tolerance=rate_tolerance,
        nominal_rates_mA_g=nominal_rates_mA_g,
    )
    first = find_cycle(cycles, 1)
    first_ce = first.coulombic_efficiency_pct if first is not None else None
    if not any(c.complete for c in cycles):
        warnings.append("no complete cycle: the record has no charge/discharge pair")
    elif first_ce is None:
        warnings.append("cycle 1 is incomplete: no first-cycle coulombic efficiency")
    warnings += sanity_warnings(time, half, cycles, convention, mass)
    return CyclingSummary(
        active_mass_mg=mass,
        convention=convention,
        segmentation=segmentation,
        half_cycles=half,
        cycles=cycles,
        rate_table=rate_table,
        first_cycle_ce_pct=first_ce,
        warnings=tuple(warnings),
        capacity_semantics=capacity_semantics if vendor is not None else None,
        integration=integration,
    )
