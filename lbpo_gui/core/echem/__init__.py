"""Galvanostatic cycling analysis: pure functions, numpy arrays in, result dataclasses out.

Modules: ``validation`` (input checks), ``states`` (rest threshold, half-cycle segmentation),
``capacity`` (integration, vendor cross-check, active mass), ``cycles`` (pairing, CE), ``rate``
(rate steps, representative cycles, retention), ``dqdv`` (differential capacity), ``profiles``
(V-Q curves), ``summary`` (``summarise_cycling``, the ``lbpo echem`` contract).
No Qt, no project model.
"""

from __future__ import annotations

from .capacity import (
    HalfCycleCapacities,
    active_mass_mg,
    cross_check_vendor_capacity,
    integrate_half_cycles,
    specific,
    vendor_half_cycle_capacity,
)
from .cycles import Cycle, build_cycles, coulombic_efficiency_pct, pair_half_cycles
from .dqdv import DqDvResult, DqDvSettings, differential_capacity, half_cycle_dqdv
from .profiles import ProfileBranch, cycle_profiles
from .rate import (
    LongTermRetention,
    RateStep,
    RateTable,
    build_rate_table,
    capacity_retention_pct,
    long_term_retention,
    rate_retention_pct,
    step_retention_pct,
)
from .states import HalfCycles, segment_half_cycles
from .summary import CyclingSummary, summarise_cycling

__all__ = [
    "Cycle",
    "CyclingSummary",
    "DqDvResult",
    "DqDvSettings",
    "HalfCycleCapacities",
    "HalfCycles",
    "LongTermRetention",
    "ProfileBranch",
    "RateStep",
    "RateTable",
    "active_mass_mg",
    "build_cycles",
    "build_rate_table",
    "capacity_retention_pct",
    "coulombic_efficiency_pct",
    "cross_check_vendor_capacity",
    "cycle_profiles",
    "differential_capacity",
    "half_cycle_dqdv",
    "integrate_half_cycles",
    "long_term_retention",
    "pair_half_cycles",
    "rate_retention_pct",
    "segment_half_cycles",
    "specific",
    "step_retention_pct",
    "summarise_cycling",
    "vendor_half_cycle_capacity",
]
