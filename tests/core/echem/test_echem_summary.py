"""summarise_cycling end to end: the CLI contract, vendor cross-check, robustness, bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest

from lbpo_gui.core.echem.summary import summarise_cycling
from lbpo_gui.core.echem.validation import NO_MASS_MESSAGE
from lbpo_gui.core.errors import AnalysisError

from .synth import make_record, study_discharge_by_cycle, study_rate_halves


@pytest.fixture(scope="module")
def record():
    return make_record(study_rate_halves())


@pytest.fixture(scope="module")
def summary(record):
    return summarise_cycling(*record.arrays, active_mass_mg=record.active_mass_mg)


def test_cli_dict_has_exactly_the_contract_keys(summary):
    out = summary.to_cli_dict()
    assert set(out) == {"active_mass_mg", "cycles", "rate_steps", "first_cycle_ce_pct", "warnings"}
    assert out["active_mass_mg"] == pytest.approx(10.294, abs=5e-4)
    for cycle in out["cycles"]:
        assert {
            "cycle",
            "charge_mAh_g",
            "discharge_mAh_g",
            "coulombic_efficiency_pct",
            "current_mA_g",
        } <= set(cycle)
    for step in out["rate_steps"]:
        assert {"current_mA_g", "cycles", "representative_cycle", "discharge_mAh_g"} <= set(step)
        assert "retention_pct" in step
    assert out["warnings"] == []
    text = json.dumps(out, allow_nan=False)
    back = json.loads(text)
    assert back["rate_steps"][3]["cycles"] == [16, 17, 18, 19, 20]
    assert back["first_cycle_ce_pct"] == pytest.approx(76.37, abs=0.05)


def test_cli_values_reproduce_table_1(summary):
    out = summary.to_cli_dict()
    steps = out["rate_steps"]
    assert [s["current_mA_g"] for s in steps] == [17.0, 85.0, 170.0, 340.0]
    assert [s["representative_cycle"] for s in steps] == [1, 7, 12, 17]
    assert [s["discharge_mAh_g"] for s in steps] == pytest.approx(
        [178.7, 129.3, 108.8, 82.1], rel=1e-3
    )
    assert steps[3]["retention_pct"] == pytest.approx(45.94, abs=0.05)
    expected = study_discharge_by_cycle()
    for cycle in out["cycles"]:
        assert cycle["discharge_mAh_g"] == pytest.approx(expected[cycle["cycle"]], rel=1e-3)


def test_full_dict_is_json(summary):
    full = summary.to_dict()
    json.dumps(full, allow_nan=False)
    assert full["convention"] == "cathode"
    assert len(full["half_cycles"]) == 40
    assert full["long_term_retention"]["cycle"] == 20
    assert full["segmentation"]["rest_threshold_mA"] > 0


def test_incomplete_cycles_serialise_without_nan():
    rec = make_record([(-50.0, 20.0), (200.0, 20.0), (-180.0, 20.0), (190.0, 20.0)])
    out = summarise_cycling(*rec.arrays, active_mass_mg=rec.active_mass_mg)
    data = json.loads(json.dumps(out.to_cli_dict(), allow_nan=False))
    assert [c["cycle"] for c in data["cycles"]] == [0, 1, 2]
    assert data["cycles"][0]["charge_mAh_g"] == 0.0
    assert data["cycles"][0]["coulombic_efficiency_pct"] is None
    assert data["cycles"][2]["coulombic_efficiency_pct"] is None
    assert data["rate_steps"][0]["cycles"] == [1]
    json.dumps(out.to_dict(), allow_nan=False)


@pytest.mark.parametrize(
    ("column", "semantics"),
    [
        ("vendor_per_half_cycle_mAh", "per_half_cycle"),
        ("vendor_per_step_mAh", "per_step"),
        ("vendor_cumulative_mAh", "cumulative"),
    ],
)
def test_vendor_cross_check_quiet_when_it_agrees(record, column, semantics):
    out = summarise_cycling(
        *record.arrays,
        active_mass_mg=record.active_mass_mg,
        vendor_capacity_mAh=getattr(record, column),
        capacity_semantics=semantics,
    )
    assert out.warnings == ()
    assert out.to_dict()["half_cycles"][0]["vendor_capacity_mAh"] > 0


def test_vendor_cross_check_warns_at_2_pct_not_0p2_pct(record):
    def run(factor: float):
        vendor = record.vendor_per_step_mAh.copy()
        start, stop = record.half_bounds[5]
        vendor[start : stop + 1] *= factor
        return summarise_cycling(
            *record.arrays,
            active_mass_mg=record.active_mass_mg,
            vendor_capacity_mAh=vendor,
            capacity_semantics="per_step",
        )

    assert run(1.002).warnings == ()
    warned = run(1.02)
    assert len(warned.warnings) == 1
    assert "half cycle 5" in warned.warnings[0]
    assert warned.to_cli_dict()["warnings"] == list(warned.warnings)


def test_vendor_column_needs_semantics(record):
    with pytest.raises(AnalysisError, match="semantics"):
        summarise_cycling(
            *record.arrays,
            active_mass_mg=record.active_mass_mg,
            vendor_capacity_mAh=record.vendor_per_step_mAh,
        )


def test_noise_blips_do_not_split_half_cycles(record, summary):
    time, voltage, current = (a.copy() for a in record.arrays)
    rng = np.random.default_rng(7)
    # two-point reversals inside three half cycles
    for k in (2, 9, 30):
        start, stop = record.half_bounds[k]
        middle = (start + stop) // 2
        current[middle : middle + 2] *= -1
    # single-point spikes of both signs in rests, and flicker around zero
    for k in (4, 11, 25):
        rest_row = record.half_bounds[k][1] + 5
        current[rest_row] = rng.choice([-1, 1]) * 0.05 * np.abs(current).max()
    rest_rows = np.flatnonzero(np.abs(record.current_mA) < 1e-3)
    current[rest_rows] += rng.normal(0, 2e-4, rest_rows.size)
    noisy = summarise_cycling(time, voltage, current, active_mass_mg=record.active_mass_mg)
    assert noisy.segmentation.count == 40
    assert [c.cycle for c in noisy.cycles] == list(range(1, 21))
    assert [s.representative_cycle for s in noisy.rate_table.steps] == [1, 7, 12, 17]
    clean = {c.cycle: c for c in summary.cycles}
    for cycle in noisy.cycles:
        if cycle.cycle in (2, 5, 6, 13, 16):  # cycles holding a reversal or next to a spike
            continue
        assert cycle.discharge_mAh_g == pytest.approx(clean[cycle.cycle].discharge_mAh_g, rel=1e-3)


def test_rests_do_not_create_cycles():
    # long rests (with noise) between and around the half cycles
    rec = make_record(
        [(200.0, 20.0), (-190.0, 20.0), (195.0, 20.0), (-189.0, 20.0)],
        rest_s=7200.0,
        rest_points=400,
        rest_noise_mA=2e-4,
    )
    out = summarise_cycling(*rec.arrays, active_mass_mg=rec.active_mass_mg)
    assert [c.cycle for c in out.cycles] == [1, 2]
    assert out.cycles[1].discharge_mAh_g == pytest.approx(189.0, rel=1e-3)


def test_explicit_rest_threshold():
    rec = make_record([(200.0, 20.0), (-190.0, 20.0)])
    # a threshold above the applied current leaves nothing
    with pytest.raises(AnalysisError, match="no current flow"):
        summarise_cycling(*rec.arrays, active_mass_mg=rec.active_mass_mg, rest_threshold_mA=1.0)


@pytest.mark.parametrize("mass", [None, 0.0, -3.0, float("nan")])
def test_bad_mass(record, mass):
    with pytest.raises(AnalysisError) as info:
        summarise_cycling(*record.arrays, active_mass_mg=mass)
    if mass is None:
        assert str(info.value) == NO_MASS_MESSAGE
    else:
        assert "positive" in str(info.value)


def test_bad_arrays():
    t = np.arange(10.0)
    v = np.full(10, 3.7)
    i = np.r_[np.full(5, 1.0), np.full(5, -1.0)]
    with pytest.raises(AnalysisError, match="differ in length"):
        summarise_cycling(t, v[:-1], i, active_mass_mg=10.0)
    with pytest.raises(AnalysisError, match="at least 2 rows"):
        summarise_cycling([], [], [], active_mass_mg=10.0)
    with pytest.raises(AnalysisError, match="no current flow"):
        summarise_cycling(t, v, np.zeros(10), active_mass_mg=10.0)
    t_nan = t.copy()
    t_nan[3] = np.nan
    with pytest.raises(AnalysisError, match="time_s has 1 non-finite values"):
        summarise_cycling(t_nan, v, i, active_mass_mg=10.0)
    t_back = t.copy()
    t_back[6] = 1.0
    with pytest.raises(AnalysisError, match="time_s goes backwards at row 6"):
        summarise_cycling(t_back, v, i, active_mass_mg=10.0)
    with pytest.raises(AnalysisError, match="1-D"):
        summarise_cycling(t.reshape(2, 5), v, i, active_mass_mg=10.0)
    with pytest.raises(AnalysisError, match="convention"):
        summarise_cycling(t, v, i, active_mass_mg=10.0, convention="full cell")
    with pytest.raises(AnalysisError, match="representative"):
        summarise_cycling(t, v, i, active_mass_mg=10.0, representative="best")


def test_warning_when_no_complete_cycle():
    rec = make_record([(200.0, 20.0)])
    out = summarise_cycling(*rec.arrays, active_mass_mg=rec.active_mass_mg)
    assert out.first_cycle_ce_pct is None
    assert out.rate_table.steps == ()
    assert any("no complete cycle" in w for w in out.warnings)


def test_noisy_rest_current_is_flagged():
    # rest noise of 1 % of the applied current, above the default 0.5 % threshold
    rng = np.random.default_rng(0)
    t = np.arange(40_000, dtype=float)
    current = np.where((t // 5000) % 2 == 0, 1.0, -1.0)
    rest = (t % 5000) > 4000
    current[rest] = rng.normal(0, 0.01, rest.sum())
    voltage = np.full(t.size, 3.7)
    noisy = summarise_cycling(t, voltage, current, active_mass_mg=10.0)
    assert any("noisier than the rest threshold" in w for w in noisy.warnings)
    fixed = summarise_cycling(t, voltage, current, active_mass_mg=10.0, rest_threshold_mA=0.1)
    assert fixed.warnings == ()
    assert fixed.segmentation.count == 8
