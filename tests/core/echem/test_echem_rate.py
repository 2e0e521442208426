"""Rate steps, representative cycles, rate table, retention."""

from __future__ import annotations

import pytest

from lbpo_gui.core.echem.rate import (
    build_rate_table,
    capacity_retention_pct,
    detect_rate_steps,
    display_current_mA_g,
    long_term_retention,
    rate_retention_pct,
    representative_position,
    step_retention_pct,
)
from lbpo_gui.core.echem.summary import summarise_cycling
from lbpo_gui.core.errors import AnalysisError

from .synth import make_record, study_rate_halves


@pytest.fixture(scope="module")
def study():
    record = make_record(study_rate_halves())
    return summarise_cycling(*record.arrays, active_mass_mg=record.active_mass_mg)


def test_steps_of_the_study(study):
    steps = study.rate_table.steps
    assert [s.current_mA_g for s in steps] == [17.0, 85.0, 170.0, 340.0]
    assert [s.cycles for s in steps] == [
        (1, 2, 3, 4, 5),
        (6, 7, 8, 9, 10),
        (11, 12, 13, 14, 15),
        (16, 17, 18, 19, 20),
    ]
    for step, nominal in zip(steps, (17, 85, 170, 340), strict=True):
        assert step.mean_current_mA_g == pytest.approx(nominal, rel=2e-3)


def test_study_representatives_are_cycles_1_7_12_17(study):
    steps = study.rate_table.steps
    assert [s.representative_cycle for s in steps] == [1, 7, 12, 17]
    assert [s.discharge_mAh_g for s in steps] == pytest.approx(
        [178.7, 129.3, 108.8, 82.1], rel=1e-3
    )
    assert steps[-1].retention_pct == pytest.approx(82.1 / 178.7 * 100, abs=0.05)  # 45.94 %
    assert steps[0].retention_pct == pytest.approx(100.0)


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        ("first", [1, 6, 11, 16]),
        ("second", [2, 7, 12, 17]),
        ("last", [5, 10, 15, 20]),
        ("mean", [None] * 4),
    ],
)
def test_other_representative_options(study, option, expected):
    table = build_rate_table(study.cycles, representative=option)
    assert [s.representative_cycle for s in table.steps] == expected
    if option == "mean":
        assert table.steps[0].discharge_mAh_g == pytest.approx(
            (178.7 + 181.0 + 180.5 + 180.0 + 179.6) / 5, rel=1e-3
        )


def test_retention_340_vs_17(study):
    expected = 82.1 / 178.7 * 100
    assert rate_retention_pct(study.rate_table, 340, 17) == pytest.approx(expected, abs=0.05)
    assert step_retention_pct(study.rate_table, 4, 1) == pytest.approx(expected, abs=0.05)
    assert rate_retention_pct(study.rate_table, 340) == pytest.approx(expected, abs=0.05)
    with pytest.raises(AnalysisError, match="no rate step at 1000"):
        rate_retention_pct(study.rate_table, 1000, 17)
    with pytest.raises(AnalysisError, match="no rate step 9"):
        step_retention_pct(study.rate_table, 9)


def test_long_term_retention(study):
    lt = long_term_retention(study.cycles)
    assert (lt.reference_cycle, lt.cycle) == (1, 20)
    assert lt.retention_pct == pytest.approx(80.9 / 178.7 * 100, abs=0.05)
    assert capacity_retention_pct(study.cycles, 7, reference_cycle=6) == pytest.approx(
        129.3 / 131.0 * 100, abs=0.05
    )
    with pytest.raises(AnalysisError, match="cycle 99"):
        capacity_retention_pct(study.cycles, 99)


def test_long_term_cycling_at_170():
    # 1 cycle at 17 mA/g then 30 at 170 mA/g fading linearly from 152 to 98 mAh/g
    halves = [(160.0, 17.0), (-152.0, 17.0)]
    for k in range(30):
        q = 152.0 - (152.0 - 98.0) * k / 29
        halves += [(q / 0.995, 170.0), (-q, 170.0)]
    record = make_record(halves, points=60, rest_points=5)
    summary = summarise_cycling(*record.arrays, active_mass_mg=record.active_mass_mg)
    assert [s.current_mA_g for s in summary.rate_table.steps] == [17.0, 170.0]
    assert summary.rate_table.steps[1].representative_cycle == 3
    lt = summary.long_term_retention(cycle=31, reference_cycle=2)
    assert lt.retention_pct == pytest.approx(98 / 152 * 100, abs=0.1)


def test_step_detection_is_consecutive_and_tolerant():
    currents = [17.2, 16.9, 17.0, 85.0, 86.0, 17.1, 17.0]
    assert detect_rate_steps(currents) == [[0, 1, 2], [3, 4], [5, 6]]
    # 116 is 11.5 % above the mean of (100, 108): a new step
    assert detect_rate_steps([100, 108, 116, 125]) == [[0, 1], [2, 3]]
    assert detect_rate_steps([]) == []


def test_representative_position_edge_cases():
    assert representative_position(1, 3, "study") == 0
    assert representative_position(1, 0, "second") == 0
    assert representative_position(4, 2, "last") == 3
    with pytest.raises(AnalysisError, match="representative"):
        representative_position(4, 0, "median")


def test_display_current_snaps_only_to_close_nominal_values():
    assert display_current_mA_g(169.4) == 169.0
    assert display_current_mA_g(169.4, [17, 85, 170, 340]) == 170.0
    assert display_current_mA_g(250.0, [17, 85, 170, 340]) == 250.0
