"""The demo project's spectra, fitted with R(QR)(QR)W from the automatic start, reproduce the
study's Table 2 (within 5 %) and the generator's truth; the stored analysis and the report agree."""

from __future__ import annotations

import csv

import pytest

from lbpo_gui.core.demo.impedance import impedance_dataset
from lbpo_gui.core.demo.truth import impedance_truth
from lbpo_gui.core.eis.workflow import fit_spectrum, study_resistances
from lbpo_gui.core.project.model import Dataset, Project
from lbpo_gui.core.project.rules import run_analysis
from lbpo_gui.core.report.impedance import impedance_table_rows

NAMES = ["Pristine", "LPO 0.15", "LBPO 0.05-0.15"]
KEYS = ["R_SE_bulk_ohm", "R_SE_gb_ohm", "R_electrode_SE_ohm", "R_total_ohm"]


@pytest.fixture(scope="module")
def table2(reference_dir):
    with open(reference_dir / "table2_impedance.csv", newline="") as fh:
        return {r["sample"]: {k: float(r[k]) for k in KEYS} for r in csv.DictReader(fh)}


@pytest.mark.parametrize("name", NAMES)
def test_demo_fit_reproduces_table2_and_truth(table2, name):
    d = impedance_dataset(name, 1)
    a = d.arrays
    sf = fit_spectrum("auto", a["frequency_Hz"], a["z_real_ohm"] + 1j * a["z_imag_ohm"])
    res = study_resistances(sf)
    truth = impedance_truth(name)["parameters"]
    for key in KEYS:
        assert res[key] == pytest.approx(table2[name][key], rel=0.05), key
        assert res[key] == pytest.approx(truth[key], rel=0.05), key
    n = {p.element + "." + p.name: p.value for p in sf.fit.parameters}
    assert n["Q2.n"] == pytest.approx(truth["n2"], abs=0.03)


def test_stored_analysis_and_report_table(table2):
    project = Project("t")
    for name in NAMES:
        s = project.add_sample(name)
        project.add_dataset(s.id, Dataset.from_import(impedance_dataset(name, 1)))
    d = project.samples[0].datasets[0]
    run_analysis(project, d.id, "eis_fit")
    stored = d.analyses["eis_fit"]
    assert "error" not in stored.results
    assert stored.results["resistances"]["R_SE_bulk_ohm"] == pytest.approx(14.5, rel=0.05)
    assert stored.arrays["curve_frequency_Hz"].size > 100
    assert stored.results["kk"]["max_residual_pct"] < 5
    run_analysis(project, d.id, "eis_fit", {**stored.settings, "drt": True, "fmin_Hz": 1.0})
    again = d.analyses["eis_fit"]
    assert len(again.results["drt"]["peaks"]) >= 2 and again.arrays["drt_gamma_ohm"].size > 50
    columns, rows = impedance_table_rows(project)
    assert columns == ["sample", *KEYS]
    for row in rows:
        for key in KEYS:
            assert row[key] == pytest.approx(table2[row["sample"]][key], rel=0.05)
