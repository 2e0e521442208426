"""Half-cycle capacity, energy, mean voltage, active mass, vendor cross-check."""

from __future__ import annotations

import numpy as np
import pytest

from lbpo_gui.core.echem.capacity import (
    active_mass_mg,
    cross_check_vendor_capacity,
    half_cycle_capacity_curve,
    integrate_half_cycles,
    specific,
    vendor_half_cycle_capacity,
)
from lbpo_gui.core.echem.states import segment_half_cycles
from lbpo_gui.core.errors import AnalysisError

from .synth import make_record, study_rate_halves


@pytest.fixture(scope="module")
def study():
    record = make_record(study_rate_halves())
    seg = segment_half_cycles(record.time_s, record.current_mA)
    half = integrate_half_cycles(*record.arrays, seg.start, seg.stop, seg.sign)
    return record, seg, half


def test_active_mass_of_the_study_composite():
    assert active_mass_mg(15.0, 70, 102) == pytest.approx(10.294, abs=5e-4)
    with pytest.raises(AnalysisError):
        active_mass_mg(15.0, 0, 102)
    with pytest.raises(AnalysisError):
        active_mass_mg(-1.0, 70, 102)


def test_specific_divides_by_grams():
    assert specific(1.0, 10.0) == pytest.approx(100.0)  # 1 mAh / 0.01 g
    np.testing.assert_allclose(specific(np.array([1.0, 2.0]), 500.0), [2.0, 4.0])


def test_capacities_recovered_to_0p1_pct(study):
    record, _, half = study
    truth = np.abs(record.half_capacity_mAh)
    np.testing.assert_allclose(half.capacity_mAh, truth, rtol=1e-3)


def test_energy_and_mean_voltage(study):
    record, _, half = study
    # linear V(Q): charge 3.6 -> 4.2 V (mean 3.9 V), discharge 4.2 -> 3.3 V (mean 3.75 V)
    expected = np.where(half.sign > 0, 3.9, 3.75)
    np.testing.assert_allclose(half.mean_voltage_V, expected, atol=2e-3)
    np.testing.assert_allclose(half.energy_mWh, half.capacity_mAh * half.mean_voltage_V)


def test_mean_current_is_the_applied_current(study):
    record, _, half = study
    expected = np.array(record.half_current_mA_g) * record.active_mass_mg / 1000.0
    np.testing.assert_allclose(half.mean_current_mA, expected, rtol=2e-3)


def test_hand_integral():
    t = np.array([0.0, 1800.0, 3600.0])
    current = np.array([2.0, 2.0, 2.0])  # 2 mA for 1 h = 2 mAh
    voltage = np.array([3.0, 4.0, 5.0])
    half = integrate_half_cycles(t, voltage, current, np.array([0]), np.array([2]), np.array([1]))
    assert half.capacity_mAh[0] == pytest.approx(2.0)
    assert half.energy_mWh[0] == pytest.approx(8.0)  # 2 mA x 4 V mean x 1 h
    assert half.mean_voltage_V[0] == pytest.approx(4.0)


@pytest.mark.parametrize(
    ("column", "semantics"),
    [
        ("vendor_per_half_cycle_mAh", "per_half_cycle"),
        ("vendor_per_step_mAh", "per_step"),
        ("vendor_cumulative_mAh", "cumulative"),
    ],
)
def test_vendor_semantics_agree_with_integration(study, column, semantics):
    record, seg, half = study
    vendor = vendor_half_cycle_capacity(getattr(record, column), seg.start, seg.stop, semantics)
    np.testing.assert_allclose(vendor, half.capacity_mAh, rtol=3e-3)
    assert cross_check_vendor_capacity(half.capacity_mAh, vendor, half.sign) == []


def test_per_step_reset_sums_step_maxima(study):
    record, seg, half = study
    values = record.vendor_per_step_mAh
    first = vendor_half_cycle_capacity(values, seg.start[:1], seg.stop[:1], "per_step")
    # the largest single value is only the first step (~70 %); the sum covers the half cycle
    s, e = seg.start[0], seg.stop[0] + 1
    assert values[s:e].max() < 0.75 * half.capacity_mAh[0]
    assert first[0] == pytest.approx(half.capacity_mAh[0], rel=3e-3)
    with_steps = vendor_half_cycle_capacity(
        values, seg.start, seg.stop, "per_step", step_index=record.step_index
    )
    np.testing.assert_allclose(with_steps, half.capacity_mAh, rtol=3e-3)


def test_signed_per_half_cycle_values_are_taken_as_magnitudes(study):
    record, seg, half = study
    vendor = vendor_half_cycle_capacity(
        record.vendor_per_half_cycle_mAh, seg.start, seg.stop, "per_half_cycle"
    )
    assert (record.vendor_per_half_cycle_mAh.min() < 0) and (vendor > 0).all()


def test_cross_check_warns_at_2_pct_not_at_0p2_pct(study):
    record, seg, half = study
    vendor = vendor_half_cycle_capacity(
        record.vendor_per_half_cycle_mAh, seg.start, seg.stop, "per_half_cycle"
    )
    off = vendor.copy()
    off[3] *= 1.02
    warnings = cross_check_vendor_capacity(half.capacity_mAh, off, half.sign)
    assert len(warnings) == 1
    assert "half cycle 3 (discharge)" in warnings[0] and "+2.0" in warnings[0]
    close = vendor * 1.002
    assert cross_check_vendor_capacity(half.capacity_mAh, close, half.sign) == []


def test_cross_check_lists_a_few_then_counts():
    ours = np.ones(20)
    warnings = cross_check_vendor_capacity(ours, ours * 1.05, np.ones(20), max_listed=5)
    assert len(warnings) == 6
    assert warnings[-1].startswith("... and 15 more")


def test_unknown_semantics_is_an_error():
    with pytest.raises(AnalysisError, match="semantics"):
        vendor_half_cycle_capacity(np.zeros(3), np.array([0]), np.array([2]), "weird")


def test_interval_integration_counts_the_interval_ending_at_each_row():
    # coarse logging: the current stops somewhere in the 600 s before the rest row at t = 1200 s
    t = np.array([0.0, 0.001, 600.0, 1200.0, 1800.0])
    current = np.array([0.0, 1.0, 1.0, 0.0, 0.0])
    v = np.full(5, 3.0)
    start, stop, sign = np.array([1]), np.array([2]), np.array([1])
    trap = integrate_half_cycles(t, v, current, start, stop, sign)
    interval = integrate_half_cycles(t, v, current, start, stop, sign, integration="interval")
    assert trap.capacity_mAh[0] == pytest.approx((600.0 - 0.001) / 3600)
    assert interval.capacity_mAh[0] == pytest.approx(600.0 / 3600)
    curve = half_cycle_capacity_curve(t, current, 1, 2, 1, integration="interval")
    assert curve[-1] == pytest.approx(interval.capacity_mAh[0])
    assert curve[0] == pytest.approx(0.001 / 3600)
    with pytest.raises(AnalysisError, match="integration"):
        integrate_half_cycles(t, v, current, start, stop, sign, integration="simpson")


def test_typical_current_ignores_cv_tail_and_inner_rest():
    # 1 mA for 100 rows, a rest inside, then a CV-like decay over 20 rows
    t = np.arange(150, dtype=float) * 10.0
    current = np.r_[np.full(100, 1.0), np.zeros(10), np.geomspace(0.9, 0.05, 40)]
    half = integrate_half_cycles(
        t, np.full(150, 4.0), current, np.array([0]), np.array([149]), np.array([1])
    )
    assert half.typical_current_mA[0] == pytest.approx(1.0)
    assert half.mean_current_mA[0] < 0.85
