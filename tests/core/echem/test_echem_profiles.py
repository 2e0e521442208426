"""V-Q profiles of chosen cycles."""

from __future__ import annotations

import numpy as np
import pytest

from lbpo_gui.core.echem.profiles import cycle_profiles
from lbpo_gui.core.echem.summary import summarise_cycling

from .synth import make_record, study_rate_halves


def test_profiles_of_chosen_cycles():
    record = make_record(study_rate_halves())
    summary = summarise_cycling(*record.arrays, active_mass_mg=record.active_mass_mg)
    seg = summary.segmentation
    branches = cycle_profiles(
        *record.arrays,
        summary.cycles,
        seg.start,
        seg.stop,
        active_mass_mg=record.active_mass_mg,
        select=[1, 17],
    )
    assert [(b.cycle, b.direction) for b in branches] == [
        (1, "charge"),
        (1, "discharge"),
        (17, "charge"),
        (17, "discharge"),
    ]
    for branch in branches:
        cycle = summary.cycle(branch.cycle)
        assert branch.capacity_mAh_g[0] == 0.0
        end = cycle.charge_mAh_g if branch.direction == "charge" else cycle.discharge_mAh_g
        assert branch.capacity_mAh_g[-1] == pytest.approx(end, rel=1e-12)
        assert np.all(np.diff(branch.capacity_mAh_g) > 0)
        assert branch.voltage_V.size == branch.capacity_mAh_g.size
    charge, discharge = branches[0], branches[1]
    # linear V(Q): charge from 3.6 V at 0 to 4.2 V at the end, discharge from 4.2 V down
    assert charge.voltage_V[0] == pytest.approx(3.6, abs=3e-3)
    assert discharge.voltage_V[-1] == pytest.approx(3.3, abs=3e-3)
    assert set(branches[0].to_dict()) >= {"capacity_mAh_g", "voltage_V", "cycle", "direction"}


def test_profile_direction_filter_and_anode_order():
    halves = [(-350.0, 37.0), (+320.0, 37.0)]
    record = make_record(halves, active_mass_mg=5.0)
    summary = summarise_cycling(*record.arrays, active_mass_mg=5.0, convention="anode")
    seg = summary.segmentation
    both = cycle_profiles(*record.arrays, summary.cycles, seg.start, seg.stop, active_mass_mg=5.0)
    assert [b.direction for b in both] == ["discharge", "charge"]  # time order
    only = cycle_profiles(
        *record.arrays,
        summary.cycles,
        seg.start,
        seg.stop,
        active_mass_mg=5.0,
        directions=("charge",),
    )
    assert [b.direction for b in only] == ["charge"]
    assert only[0].capacity_mAh_g[-1] == pytest.approx(320.0, rel=1e-3)
