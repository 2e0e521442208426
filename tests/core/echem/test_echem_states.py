"""Half-cycle segmentation: rest threshold, blips, rests inside half cycles."""

from __future__ import annotations

import numpy as np
import pytest

from lbpo_gui.core.echem.states import (
    CHARGE,
    DISCHARGE,
    REST,
    current_state,
    default_rest_threshold_mA,
    robust_max_abs_current,
    segment_half_cycles,
    suppress_blips,
)

from .synth import make_record, study_rate_halves


def test_state_from_sign_and_threshold():
    current = np.array([1.0, -1.0, 0.0, 0.004, -0.004, 0.006, -2.0])
    state = current_state(current, threshold_mA=0.005)
    assert state.tolist() == [CHARGE, DISCHARGE, REST, REST, REST, CHARGE, DISCHARGE]


def test_default_threshold_is_half_percent_of_robust_max():
    # 1000 rows at 2 mA, lots of rest noise and one 100x spike: the spike does not set the scale.
    rng = np.random.default_rng(1)
    current = np.concatenate([np.full(1000, 2.0), rng.normal(0, 1e-4, 50_000), [200.0]])
    assert robust_max_abs_current(current) == pytest.approx(2.0)
    assert default_rest_threshold_mA(current) == pytest.approx(0.01)
    assert default_rest_threshold_mA(np.zeros(10)) == 1e-6


def test_synthetic_record_half_cycles_match_truth():
    record = make_record(study_rate_halves())
    seg = segment_half_cycles(record.time_s, record.current_mA)
    assert seg.count == len(record.half_bounds) == 40
    assert list(zip(seg.start.tolist(), seg.stop.tolist(), strict=True)) == record.half_bounds
    assert seg.sign.tolist() == [1 if q > 0 else -1 for q in record.half_capacity_mAh]
    # rests between half cycles are outside (-1), rows of a half cycle carry its id
    first_start, first_stop = record.half_bounds[0]
    assert (seg.half_cycle[:first_start] == -1).all()
    assert (seg.half_cycle[first_start : first_stop + 1] == 0).all()
    assert seg.half_cycle[first_stop + 1] == -1


def test_rest_inside_a_charge_does_not_split_it():
    t = np.arange(30, dtype=float) * 10.0
    current = np.r_[np.full(10, 1.0), np.zeros(10), np.full(10, 1.0)]
    seg = segment_half_cycles(t, current)
    assert seg.count == 1
    assert (seg.start[0], seg.stop[0]) == (0, 29)
    assert (seg.half_cycle == 0).all()


def test_rests_do_not_create_half_cycles():
    t = np.arange(60, dtype=float) * 10.0
    current = np.r_[np.zeros(10), np.full(10, 1.0), np.zeros(20), np.full(10, -1.0), np.zeros(10)]
    seg = segment_half_cycles(t, current)
    assert seg.count == 2
    assert seg.sign.tolist() == [1, -1]
    assert (seg.half_cycle[:10] == -1).all() and (seg.half_cycle[20:40] == -1).all()


def test_opposite_blip_does_not_split_a_half_cycle():
    t = np.arange(100, dtype=float)
    current = np.full(100, 1.0)
    current[50:52] = -1.0  # two-point overshoot the other way
    seg = segment_half_cycles(t, current)
    assert seg.count == 1
    assert seg.n_blips == 1
    assert seg.half_cycle[50] == 0


def test_noise_spikes_in_rest_are_ignored():
    rng = np.random.default_rng(3)
    t = np.arange(300, dtype=float) * 5.0
    current = np.r_[np.full(100, 1.0), rng.normal(0, 1e-4, 100), np.full(100, -1.0)]
    current[150] = 0.3  # one-point spike far above the threshold
    current[160] = -0.3
    seg = segment_half_cycles(t, current)
    assert seg.count == 2
    assert seg.stop[0] == 99 and seg.start[1] == 200


def test_blip_rule_counts_points_and_seconds():
    t = np.r_[np.arange(10) * 0.01, 10 + np.arange(10) * 100.0]
    state = np.r_[np.full(10, 1), np.full(10, -1)].astype(np.int8)
    # 10 points in 0.09 s: a blip by duration; 10 points over 900 s: a real run
    cleaned, n = suppress_blips(state, t, min_points=3, min_duration_s=1.0)
    assert n == 1
    assert (cleaned[:10] == REST).all() and (cleaned[10:] == DISCHARGE).all()
    cleaned, n = suppress_blips(state, t, min_points=3, min_duration_s=0.0)
    assert n == 0


def test_explicit_threshold_and_no_current():
    t = np.arange(10, dtype=float)
    current = np.full(10, 0.5)
    assert segment_half_cycles(t, current, rest_threshold_mA=1.0).count == 0
    assert segment_half_cycles(t, np.zeros(10)).count == 0
    assert segment_half_cycles(t, current).to_dict()["half_cycles"][0]["direction"] == "charge"
