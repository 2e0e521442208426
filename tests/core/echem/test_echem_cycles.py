"""Pairing half cycles into cycles (cathode and anode conventions) and coulombic efficiency."""

from __future__ import annotations

import pytest

from lbpo_gui.core.echem.cycles import coulombic_efficiency_pct, pair_half_cycles
from lbpo_gui.core.echem.summary import summarise_cycling
from lbpo_gui.core.errors import AnalysisError

from .synth import make_record, study_discharge_by_cycle, study_rate_halves

# navani's jdb11 BioLogic file: end-of-half-cycle capacities (mAh), starting with a partial
# discharge (notes/echem.md section 3). Correct cathode pairing: (2,3), (4,5), ... -> CE1 86.43 %.
JDB11_HALVES_MAH = (
    -0.20653,
    +0.98678, -0.85285,
    +0.93709, -0.87633,
    +0.94194, -0.87468,
    +0.94793, -0.87666,
    +0.95169, -0.87861,
    +0.95589, -0.87949,
)  # fmt: skip


def test_pairing_cathode_charge_first():
    assert pair_half_cycles([1, -1, 1, -1, 1]) == [(1, 0, 1), (2, 2, 3), (3, 4, None)]


def test_pairing_cathode_discharge_first_is_cycle_0():
    assert pair_half_cycles([-1, 1, -1, 1, -1]) == [(0, None, 0), (1, 1, 2), (2, 3, 4)]


def test_pairing_anode_is_the_inverse():
    assert pair_half_cycles([-1, 1, -1, 1], "anode") == [(1, 0, 1), (2, 2, 3)]
    assert pair_half_cycles([1, -1, 1, -1], "anode") == [(0, None, 0), (1, 1, 2), (2, 3, None)]


def test_pairing_rejects_non_alternating_halves_and_bad_convention():
    with pytest.raises(AnalysisError, match="alternate"):
        pair_half_cycles([1, 1, -1])
    with pytest.raises(AnalysisError, match="convention"):
        pair_half_cycles([1, -1], "lithium")


def test_ce_conventions():
    assert coulombic_efficiency_pct(0.98678, 0.85285) == pytest.approx(86.43, abs=0.005)
    assert coulombic_efficiency_pct(2.0, 1.0, "anode") == pytest.approx(200.0)
    assert coulombic_efficiency_pct(0.0, 1.0) is None


def test_study_cycles_capacities_ce_and_current():
    record = make_record(study_rate_halves())
    summary = summarise_cycling(*record.arrays, active_mass_mg=record.active_mass_mg)
    expected = study_discharge_by_cycle()
    assert [c.cycle for c in summary.cycles] == list(range(1, 21))
    for cycle in summary.cycles:
        assert cycle.discharge_mAh_g == pytest.approx(expected[cycle.cycle], rel=1e-3)
        ce = 76.37 if cycle.cycle == 1 else 99.0
        assert cycle.coulombic_efficiency_pct == pytest.approx(ce, abs=0.05)
        assert cycle.charge_mAh_g == pytest.approx(expected[cycle.cycle] / ce * 100, rel=1e-3)
    assert [c.current_mA_g for c in summary.cycles] == [17.0] * 5 + [85.0] * 5 + [170.0] * 5 + [
        340.0
    ] * 5
    assert summary.first_cycle_ce_pct == pytest.approx(76.37, abs=0.05)
    one = summary.cycle(1)
    assert one.complete and one.start_row == record.half_bounds[0][0]
    assert one.stop_row == record.half_bounds[1][1]
    assert one.discharge_energy_Wh_kg == pytest.approx(one.discharge_mAh_g * 3.75, rel=1e-3)


def test_file_starting_with_partial_discharge_jdb11():
    mass_mg = 1000.0  # 1 g: mAh/g equal mAh
    record = make_record([(q, 0.1) for q in JDB11_HALVES_MAH], active_mass_mg=mass_mg)
    summary = summarise_cycling(*record.arrays, active_mass_mg=mass_mg)
    cycles = summary.cycles
    assert [c.cycle for c in cycles] == list(range(7))
    zero = cycles[0]
    assert zero.charge_half_cycle is None and zero.charge_mAh_g == 0.0
    assert zero.discharge_mAh_g == pytest.approx(0.20653, rel=1e-3)
    assert zero.coulombic_efficiency_pct is None and not zero.complete
    assert cycles[1].charge_mAh_g == pytest.approx(0.98678, rel=1e-3)
    assert cycles[1].discharge_mAh_g == pytest.approx(0.85285, rel=1e-3)
    assert summary.first_cycle_ce_pct == pytest.approx(86.43, abs=0.05)
    assert cycles[2].coulombic_efficiency_pct == pytest.approx(87633 / 93709 * 100, abs=0.05)
    # cycle 0 is not part of any rate step
    assert summary.rate_table.steps[0].cycles == (1, 2, 3, 4, 5, 6)


def test_anode_convention_pairs_discharge_then_charge():
    # graphite vs Li: lithiation (discharge) first, then delithiation (charge)
    halves = [(-350.0, 37.0), (+320.0, 37.0), (-330.0, 37.0), (+325.0, 37.0)]
    record = make_record(halves, active_mass_mg=5.0)
    summary = summarise_cycling(*record.arrays, active_mass_mg=5.0, convention="anode")
    assert [c.cycle for c in summary.cycles] == [1, 2]
    assert summary.cycles[0].discharge_mAh_g == pytest.approx(350.0, rel=1e-3)
    assert summary.cycles[0].charge_mAh_g == pytest.approx(320.0, rel=1e-3)
    assert summary.first_cycle_ce_pct == pytest.approx(320 / 350 * 100, abs=0.05)
    # the same record read as a cathode: the first discharge becomes cycle 0
    as_cathode = summarise_cycling(*record.arrays, active_mass_mg=5.0)
    assert [c.cycle for c in as_cathode.cycles] == [0, 1, 2]
    assert as_cathode.first_cycle_ce_pct == pytest.approx(330 / 320 * 100, abs=0.05)
    assert as_cathode.cycles[-1].coulombic_efficiency_pct is None


def test_last_cycle_without_discharge():
    record = make_record([(200.0, 20.0), (-180.0, 20.0), (190.0, 20.0)], active_mass_mg=10.0)
    summary = summarise_cycling(*record.arrays, active_mass_mg=10.0)
    last = summary.cycles[-1]
    assert last.cycle == 2 and last.discharge_mAh_g == 0.0
    assert last.coulombic_efficiency_pct is None
    assert last.mean_discharge_voltage_V is None
    assert last.to_dict()["complete"] is False
