"""dQ/dV: a known peak, settings stored, guards."""

from __future__ import annotations

import json

import numpy as np
import pytest

from lbpo_gui.core.echem.dqdv import DqDvSettings, differential_capacity, half_cycle_dqdv
from lbpo_gui.core.echem.summary import summarise_cycling
from lbpo_gui.core.errors import AnalysisError

from .synth import make_record

PEAK_V = 3.7
WIDTH_V = 0.01
Q_TOTAL = 200.0  # mAh/g


def q_of_v(v: np.ndarray) -> np.ndarray:
    """Q(V) over 3.5-4.0 V: a slope (30 %) plus a logistic step (70 %) centred at 3.7 V."""
    slope = 0.3 * (v - 3.5) / 0.5
    step = 0.7 / (1.0 + np.exp(-(v - PEAK_V) / WIDTH_V))
    return Q_TOTAL * (slope + step)


def charge_curve(n: int = 20_000, noise_V: float = 0.0, seed: int = 0):
    v = np.linspace(3.5, 4.0, n)
    q = q_of_v(v)
    v_measured = v + np.random.default_rng(seed).normal(0, noise_V, n) if noise_V else v
    return v_measured, q


def test_peak_of_a_logistic_step_charge():
    v, q = charge_curve()
    result = differential_capacity(v, q)
    step = result.settings.voltage_step_V
    assert result.direction == "charge"
    assert abs(result.peak_voltage_V - PEAK_V) <= step
    # height of the logistic derivative: 0.7 Q / (4 w), slightly flattened by the smoothing
    expected_peak = 0.7 * Q_TOTAL / (4 * WIDTH_V)
    assert result.dqdv.max() == pytest.approx(expected_peak, rel=0.05)
    # away from the peak: the slope part, 0.3 Q / 0.5 V
    far = (result.voltage_V > 3.9) & (result.voltage_V < 3.95)
    np.testing.assert_allclose(result.dqdv[far], 0.3 * Q_TOTAL / 0.5, rtol=0.02)
    # grid: uniform, ascending, on multiples of the step
    assert np.allclose(np.diff(result.voltage_V), step)
    assert np.allclose(np.round(result.voltage_V / step), result.voltage_V / step)


def test_peak_survives_voltage_noise_with_smoothing():
    v, q = charge_curve(noise_V=0.3e-3)
    result = differential_capacity(v, q, settings=DqDvSettings(window_points=21, polyorder=3))
    assert abs(result.peak_voltage_V - PEAK_V) <= 0.002
    # smoothing reduces the scatter of the raw finite difference
    far = (result.voltage_V > 3.85) & (result.voltage_V < 3.95)
    assert result.dqdv[far].std() < result.dqdv_raw[far].std()


def test_discharge_peak_is_negative_at_the_same_voltage():
    v, q = charge_curve()
    # discharge: V falls from 4.0 to 3.5 while Q (from the half-cycle start) grows
    v_dis = v[::-1]
    q_dis = Q_TOTAL - q[::-1]
    result = differential_capacity(v_dis, q_dis)
    assert result.direction == "discharge"
    assert abs(result.peak_voltage_V - PEAK_V) <= 0.002
    assert result.dqdv.min() < 0 and abs(result.dqdv.min()) > 10 * abs(result.dqdv.max())
    assert np.all(np.diff(result.voltage_V) > 0)


def test_settings_are_in_the_result():
    v, q = charge_curve()
    settings = DqDvSettings(voltage_step_V=0.005, window_points=9, polyorder=2)
    result = differential_capacity(v, q, settings=settings)
    assert result.settings == settings
    out = result.to_dict()
    assert out["settings"] == {
        "voltage_step_V": 0.005,
        "window_points": 9,
        "polyorder": 2,
        "window_V": pytest.approx(0.045),
        "method": "savgol",
    }
    assert {"voltage_V", "dQdV_mAh_g_V", "raw_dQdV_mAh_g_V", "capacity_mAh_g"} <= set(out)
    json.dumps(out)
    unsmoothed = differential_capacity(v, q, settings=DqDvSettings(window_points=0))
    np.testing.assert_array_equal(unsmoothed.dqdv, unsmoothed.dqdv_raw)
    assert unsmoothed.to_dict()["settings"]["method"] == "none"


def test_too_short_half_cycle_is_a_clear_error():
    v = np.linspace(3.70, 3.71, 50)  # 10 mV: 6 grid points of 2 mV, window needs 15
    with pytest.raises(AnalysisError, match="too short for dQ/dV"):
        differential_capacity(v, np.linspace(0, 1, 50))
    with pytest.raises(AnalysisError, match="too short"):
        differential_capacity([3.7, 3.8], [0.0, 1.0])


def test_bad_settings_are_errors():
    v, q = charge_curve(n=2000)
    with pytest.raises(AnalysisError, match="odd"):
        differential_capacity(v, q, settings=DqDvSettings(window_points=10))
    with pytest.raises(AnalysisError, match="order"):
        differential_capacity(v, q, settings=DqDvSettings(window_points=5, polyorder=5))
    with pytest.raises(AnalysisError, match="step"):
        differential_capacity(v, q, settings=DqDvSettings(voltage_step_V=0.0))


def test_half_cycle_dqdv_from_a_record_with_and_without_mass():
    record = make_record([(200.0, 20.0), (-190.0, 20.0)], points=2000, voltage_noise_V=0.0)
    summary = summarise_cycling(*record.arrays, active_mass_mg=record.active_mass_mg)
    seg = summary.segmentation
    k = summary.cycles[0].charge_half_cycle
    args = (*record.arrays, int(seg.start[k]), int(seg.stop[k]), int(seg.sign[k]))
    per_gram = half_cycle_dqdv(*args, active_mass_mg=record.active_mass_mg)
    per_cell = half_cycle_dqdv(*args)
    assert per_gram.unit == "mAh_g_V" and per_cell.unit == "mAh_V"
    # linear charge curve 3.6 -> 4.2 V over 200 mAh/g: dQ/dV = 200 / 0.6 mAh/g/V
    inner = (per_gram.voltage_V > 3.7) & (per_gram.voltage_V < 4.1)
    np.testing.assert_allclose(per_gram.dqdv[inner], 200 / 0.6, rtol=5e-3)
    np.testing.assert_allclose(
        per_cell.dqdv, per_gram.dqdv * record.active_mass_mg / 1000.0, rtol=1e-9
    )
