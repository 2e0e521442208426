"""The demo project's XPS, fitted through the stored ``xps_fit`` analysis and the report."""

from __future__ import annotations

import numpy as np
import pytest

from lbpo_gui.core.demo.project import build_demo_project
from lbpo_gui.core.demo.truth import b1s_truth, dataset_truth
from lbpo_gui.core.project.rules import run_analysis
from lbpo_gui.core.report.study import study_tables
from lbpo_gui.core.report.xps import depth_profiles


@pytest.fixture(scope="module")
def project():
    p = build_demo_project()
    for _sample, d in p.datasets("xps"):
        run_analysis(p, d.id, "xps_fit")
    return p


def _fits(project, region):
    for sample, d in project.datasets("xps"):
        if d.metadata["region"] == region:
            yield sample, d, d.analyses["xps_fit"].results


def test_s2p_fractions_recovered_within_0_02(project):
    n = 0
    for sample, d, res in _fits(project, "S 2p"):
        truth = {
            c["name"]: c["area_fraction"] for c in dataset_truth(sample.name, d.label)["components"]
        }
        for c in res["components"]:
            assert c["area_pct"] / 100 == pytest.approx(truth[c["name"]], abs=0.02), (
                d.label,
                c["name"],
            )
        n += 1
    assert n == 4


def test_p2p_fractions_recovered(project):
    """P 2p: the study's PS4 2p1/2 (132.7) sits on Li3PO4/P2Sx 2p3/2 (132.8), so this pair's
    fractions scatter by their standard error (~0.02): within 0.02 or 2.5 standard errors."""
    worst = 0.0
    for sample, d, res in _fits(project, "P 2p"):
        truth = {
            c["name"]: c["area_fraction"] for c in dataset_truth(sample.name, d.label)["components"]
        }
        for c in res["components"]:
            err = abs(c["area_pct"] / 100 - truth[c["name"]])
            assert err <= max(0.02, 2.5 * c["stderr"]["area_pct"] / 100), (d.label, c["name"], err)
            worst = max(worst, err)
    assert worst < 0.05


def test_b1s_depth_profile_shows_the_decay(project):
    (prof,) = depth_profiles(project, "B 1s")
    truth = [
        sum(c["area"] for c in b1s_truth(k)["components"]) for k in range(len(prof["etch_level"]))
    ]
    areas = np.array(prof["total_area"])
    np.testing.assert_allclose(areas, truth, rtol=0.1)
    assert np.all(np.diff(areas) < 0)  # the coating's boron is etched away
    assert areas[-1] / areas[0] < 0.2


def test_report_writes_the_xps_component_table(project, reference_dir):
    tables = study_tables(project)
    columns, rows = tables["xps_components.csv"]
    ref_columns = (reference_dir / "xps_components.csv").read_text().splitlines()[0].split(",")
    assert columns[: len(ref_columns)] == ref_columns
    assert len(rows) == 2 * 2 * 2 * 4  # samples x states x regions x components
    ps4 = [r for r in rows if r["component"] == "argyrodite PS4"]
    assert all(abs(r["peak_2p3_2_eV"] - 161.6) < 0.1 for r in ps4)
    assert all(r["origin"] == "Li6PS5Cl electrolyte" for r in ps4)


def test_user_template_dict_and_monte_carlo_settings(project):
    from lbpo_gui.core.xps.templates import builtin_template, template_to_dict

    sample, d = next((s, d) for s, d in project.datasets("xps") if d.metadata["region"] == "S 2p")
    mine = builtin_template("s2p-argyrodite")
    mine.name = "my S 2p"
    mine.components[0].shape = "SGL(30)"
    run_analysis(project, d.id, "xps_fit", {"template": template_to_dict(mine), "mc": 5, "seed": 1})
    res = d.analyses["xps_fit"].results
    assert res["template"] == "my S 2p" and res["mc"]["n"] == 5
    assert res["components"][0]["shape"] == "SGL(30)"
    assert res["components"][0]["mc"]["area_pct"]["sd"] > 0
    arrays = d.analyses["xps_fit"].arrays
    assert {"binding_energy_eV", "envelope_cps", "background_cps", "component_0_cps"} <= set(arrays)
    run_analysis(project, d.id, "xps_fit", {"template": None})
    assert "no XPS template chosen" in d.analyses["xps_fit"].results["error"]
    run_analysis(project, d.id, "xps_fit", {"template": "s2p-argyrodite", "mc": 0, "seed": 0})
