"""Sanity warnings of the cycling summary (issue 7, part 5) and the reader warnings it carries."""

from __future__ import annotations

import numpy as np
import pytest

from lbpo_gui.core.echem.summary import summarise_cycling
from lbpo_gui.core.echem.table import summarise_table
from lbpo_gui.core.errors import AnalysisError

from .synth import make_record

CATHODE = [(180.0, 17.0), (-150.0, 17.0), (160.0, 17.0), (-155.0, 17.0), (158.0, 17.0)]


def _summary(halves, mass_scale: float = 1.0, convention: str = "cathode", **kw):
    r = make_record(halves, **kw)
    return summarise_cycling(
        r.time_s, r.voltage_V, r.current_mA, active_mass_mg=r.active_mass_mg * mass_scale,
        convention=convention,
    )  # fmt: skip


def test_plain_cathode_record_has_no_warning() -> None:
    assert _summary([*CATHODE, (-156.0, 17.0)]).warnings == ()


def test_first_cycle_ce_over_100_suggests_the_anode_convention() -> None:
    """An anode read as a cathode: charge 300 then discharge 340 -> CE 113 %."""
    s = _summary([(-20.0, 17.0), (300.0, 17.0), (-340.0, 17.0), (290.0, 17.0), (-300.0, 17.0)])
    assert s.first_cycle_ce_pct == pytest.approx(340 / 300 * 100, rel=1e-3)
    (w,) = [w for w in s.warnings if "first-cycle CE" in w]
    assert "113.3 % (over 100 %) under the cathode convention" in w
    assert "use the anode convention" in w


def test_long_opening_discharge_suggests_the_other_convention() -> None:
    """A graphite half cell read as a cathode: it opens with a full lithiation (cycle 0)."""
    s = _summary([(-280.0, 17.0), (250.0, 17.0), (-260.0, 17.0), (255.0, 17.0), (-258.0, 17.0)])
    (w,) = [w for w in s.warnings if "starts with a long discharge" in w]
    assert "280 mAh/g, 108 % of a typical one" in w and "use the anode convention" in w
    # A short discharge from OCV (the jdb11 case, 24 % of a typical one) is not flagged.
    s = _summary([(-40.0, 17.0), (180.0, 17.0), (-165.0, 17.0), (175.0, 17.0), (-166.0, 17.0)])
    assert not any("starts with" in w for w in s.warnings)


def test_capacity_beyond_the_chemistry_points_at_the_mass() -> None:
    """The mass entered 10x too small (1.029 mg for 10.29 mg): 1800 mAh/g is impossible for a cathode."""
    s = _summary([*CATHODE, (-156.0, 17.0)], mass_scale=0.1)
    (w,) = [w for w in s.warnings if "mAh/g" in w and "exceed" in w]
    assert "3 cycles exceed 300 mAh/g, more than a cathode can hold" in w
    assert "cycle 1: 1800 mAh/g" in w and "check the active mass (1.029 mg)" in w
    # an anode may hold more than 300 mAh/g
    s = _summary([(-350.0, 17.0), (340.0, 17.0), (-345.0, 17.0)], convention="anode")
    assert not any("exceed" in w for w in s.warnings)


def test_integration_across_a_long_time_gap() -> None:
    r = make_record([*CATHODE, (-156.0, 17.0)])
    t = r.time_s.copy()
    a, b = r.half_bounds[2]
    k = (a + b) // 2
    t[k + 1 :] += 7200.0  # two hours of missing data inside the second charge
    s = summarise_cycling(t, r.voltage_V, r.current_mA, active_mass_mg=r.active_mass_mg)
    (w,) = [w for w in s.warnings if "time gap" in w]
    assert f"1 time gap inside half cycles (longest {7200 + t[k + 1] - 7200 - t[k]:.4g} s" in w
    assert f"row {k + 1}" in w


def test_partial_last_half_cycle() -> None:
    """A run stopped during the last discharge (40 % of the previous one), no rest after it."""
    r = make_record([*CATHODE, (-62.0, 17.0)], rest_points=20)
    cut = r.half_bounds[-1][1] + 1
    s = summarise_cycling(
        r.time_s[:cut], r.voltage_V[:cut], r.current_mA[:cut], active_mass_mg=r.active_mass_mg
    )
    (w,) = [w for w in s.warnings if "partial half cycle" in w]
    assert "ends during a discharge (62 mAh/g, 40 % of the previous one)" in w


def test_reader_warnings_reach_the_summary() -> None:
    r = make_record(CATHODE + [(-156.0, 17.0)])
    arrays = {"time_s": r.time_s, "voltage_V": r.voltage_V, "current_mA": r.current_mA}
    meta = {"warnings": ["last data row (line 1234) is incomplete and was dropped"]}
    s = summarise_table(arrays, meta, active_mass_mg=r.active_mass_mg)
    assert s.warnings[0] == "last data row (line 1234) is incomplete and was dropped"
    assert s.to_cli_dict()["warnings"][0].startswith("last data row (line 1234)")


def test_time_going_backwards_names_file_line_and_both_times() -> None:
    t = np.array([0.0, 10.0, 20.0, 15.5, 30.0])
    arrays = {"time_s": t, "voltage_V": np.full(5, 3.7), "current_mA": np.ones(5)}
    meta = {"time_offset_s": 88246.5172643693, "first_data_line": 57, "source_file": "x.mpt"}
    with pytest.raises(AnalysisError) as err:
        summarise_table(arrays, meta, active_mass_mg=1.0)
    msg = str(err.value)
    assert msg.startswith("x.mpt, line 60: time goes backwards, 88262.0172643693 s after")
    assert "88266.5172643693 s on line 59" in msg


def test_stored_cycling_result_carries_the_sanity_warnings() -> None:
    """The GUI's results box shows the stored result's warnings: a mass 10x too small there."""
    from lbpo_gui.core.analyses.cycling import compute_cycling
    from lbpo_gui.core.demo.project import build_demo_project

    sample = build_demo_project().samples[0]
    rate = next(d for d in sample.datasets if d.kind == "cycling")
    assert compute_cycling(sample, rate, {}).results["warnings"] == []
    (w,) = compute_cycling(sample, rate, {"active_mass_mg": 1.029}).results["warnings"]
    assert "20 cycles exceed 300 mAh/g" in w and "check the active mass (1.029 mg)" in w
