"""The built-in demo project: samples of Table 1, all four kinds, identical after save/reopen,
and the project's own cycling analysis reproduces the study's tables from it."""

from __future__ import annotations

import csv
import json

import pytest

from lbpo_gui.cli import main
from lbpo_gui.core.demo.project import build_demo_project
from lbpo_gui.core.echem.table import CyclingSettings, summarise_table
from lbpo_gui.core.project import load_project

from .project.test_container import assert_same_project


@pytest.fixture(scope="module")
def demo():
    return build_demo_project()


def test_demo_command_lists_the_nine_samples_of_table_1(tmp_path, capsys, reference_dir):
    out_file = tmp_path / "x.lbpo"
    assert main(["demo", str(out_file), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    with open(reference_dir / "table1_rate_capability.csv", newline="") as fh:
        names = [row["sample"] for row in csv.DictReader(fh)]
    assert out["samples"] == names and len(names) == 9

    assert main(["info", str(out_file), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["kind"] == "project"
    kinds = {d["kind"] for s in info["samples"] for d in s["datasets"]}
    assert kinds == {"cycling", "impedance", "xps", "eds_profile"}


def test_demo_is_deterministic_and_survives_save_and_reopen(tmp_path, demo):
    from lbpo_gui.core.project import save_project

    path = save_project(demo, tmp_path / "demo.lbpo")
    assert_same_project(demo, load_project(path))
    again = build_demo_project()
    for (_, a), (_, b) in zip(demo.datasets(), again.datasets(), strict=True):
        for k in a.arrays:
            assert (a.arrays[k] == b.arrays[k]).all()


def _summary(sample, label_start):
    ds = [d for d in sample.datasets if d.label.startswith(label_start)]
    assert len(ds) == 1
    return summarise_table(
        ds[0].arrays,
        ds[0].metadata,
        active_mass_mg=sample.active_mass_mg,
        settings=CyclingSettings(),
    )


def test_demo_rate_tests_reproduce_table_1(demo, reference_dir):
    with open(reference_dir / "table1_rate_capability.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        sample = demo.sample_by_name(row["sample"])
        assert sample.active_mass_mg == pytest.approx(15 * 70 / 102)
        summary = _summary(sample, "Rate test")
        steps = summary.rate_table.steps
        assert [round(s.current_mA_g) for s in steps] == [17, 85, 170, 340]
        assert [s.representative_cycle for s in steps] == [1, 7, 12, 17]
        for step, key in zip(
            steps,
            [
                "cap_17_mAh_g_cycle1",
                "cap_85_mAh_g_cycle7",
                "cap_170_mAh_g_cycle12",
                "cap_340_mAh_g_cycle17",
            ],
            strict=True,
        ):
            assert step.discharge_mAh_g == pytest.approx(float(row[key]), rel=0.005), row["sample"]
        assert summary.first_cycle_ce_pct == pytest.approx(
            float(row["first_cycle_ce_pct"]), abs=0.3
        )
        assert steps[-1].retention_pct == pytest.approx(
            float(row["retention_340_vs_17_pct"]), abs=0.5
        )


def test_demo_long_tests_reproduce_table_s1(demo, reference_dir):
    with open(reference_dir / "cycling_170mA_g_100cycles.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        summary = _summary(demo.sample_by_name(row["sample"]), "100 cycles")
        first = summary.cycle(1)
        assert first.discharge_mAh_g == pytest.approx(
            float(row["first_cycle_discharge_mAh_g"]), rel=0.005
        )
        if row["cycle100_discharge_mAh_g"]:
            assert summary.cycle(100).discharge_mAh_g == pytest.approx(
                float(row["cycle100_discharge_mAh_g"]), rel=0.005
            )
        retention = summary.long_term_retention(cycle=100, reference_cycle=1)
        assert retention.retention_pct == pytest.approx(float(row["retention_pct"]), abs=0.5)
