"""Quantification of a sample's regions (atomic % by region and by component, Shirley areas of
unfitted regions) and the charge shift: applied by the stored analysis, recomputed by a
metadata edit, taken back by undo."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from lbpo_gui.core.analyses.xps import ANALYSIS_NAME
from lbpo_gui.core.demo.project import build_demo_project
from lbpo_gui.core.project import rules
from lbpo_gui.core.xps.quantification import rsf
from lbpo_gui.core.xps.sample_quant import (
    CHARGE_SHIFT_KEY,
    RegionInput,
    corrected_binding_energy,
    quantify,
    shift_to_reference,
)

HV = 1486.6


def _gauss_region(region: str, center: float, area: float, fwhm: float = 1.2):
    be = np.linspace(center - 8, center + 8, 321)
    sigma = fwhm / 2.3548
    peak = area / (sigma * np.sqrt(2 * np.pi)) * np.exp(-0.5 * ((be - center) / sigma) ** 2)
    return be, 500.0 + peak


def _expected(areas: dict[str, tuple[float, float]], library="althermo1", n=0.6):
    corr = {r: a / (rsf(r, library) * (HV - pos) ** n) for r, (a, pos) in areas.items()}
    total = sum(corr.values())
    return {r: 100 * c / total for r, c in corr.items()}


def test_fitted_regions_follow_the_formula():
    areas = {"S 2p": (20000.0, 161.6), "P 2p": (3000.0, 131.9)}
    inputs = []
    for region, (area, pos) in areas.items():
        be, cps = _gauss_region(region, pos, area)
        comps = [
            {"name": "main", "position_eV": pos, "area": 0.8 * area},
            {"name": "minor", "position_eV": pos + 1.0, "area": 0.2 * area},
        ]
        inputs.append(RegionInput(region, region, be, cps, HV, None, comps))
    table = quantify(inputs)
    got = {r["name"]: r["atomic_pct"] for r in table.rows}
    want = _expected(areas)
    assert got == pytest.approx(want, rel=1e-9)
    assert got["P 2p"] == pytest.approx(16.6, abs=0.5)  # S : P = 5 : 1
    by_comp = quantify(inputs, by="components")
    assert len(by_comp.rows) == 4
    assert sum(r["atomic_pct"] for r in by_comp.rows) == pytest.approx(100.0)
    s_main = next(r for r in by_comp.rows if r["name"] == "S 2p main")["atomic_pct"]
    assert s_main == pytest.approx(0.8 * want["S 2p"], rel=0.01)


def test_unfitted_regions_use_the_area_above_a_shirley_background():
    areas = {"S 2p": (20000.0, 161.6), "B 1s": (2500.0, 191.5)}
    inputs = [
        RegionInput(r, r, *_gauss_region(r, pos, area), photon_energy_eV=HV)
        for r, (area, pos) in areas.items()
    ]
    table = quantify(inputs, library="scofield", ke_exponent=0.0)
    rows = {r["name"]: r for r in table.rows}
    for region, (area, pos) in areas.items():
        assert rows[region]["source"] == "Shirley"
        assert rows[region]["area_cps_eV"] == pytest.approx(area, rel=0.02)
        assert rows[region]["position_eV"] == pytest.approx(pos, abs=0.06)
    want = _expected(areas, "scofield", 0.0)
    assert rows["B 1s"]["atomic_pct"] == pytest.approx(want["B 1s"], rel=0.03)


def test_regions_without_rsf_or_signal_are_left_out_with_a_warning():
    be, cps = _gauss_region("S 2p", 161.6, 20000.0)
    inputs = [
        RegionInput("S 2p", "S 2p", be, cps),
        RegionInput("Xx 9z", "odd block", be, cps),
        RegionInput("S 2p", "second S 2p", be, cps),
    ]
    table = quantify(inputs)
    assert [r["name"] for r in table.rows] == ["S 2p"]
    assert table.rows[0]["atomic_pct"] == pytest.approx(100.0)
    assert any("no althermo1 RSF" in w for w in table.warnings)
    assert any("second" in w for w in table.warnings)
    assert quantify([]).warnings == ["nothing to quantify"]
    with pytest.raises(ValueError):
        quantify(inputs, by="atoms")


def test_shift_to_reference_and_corrected_axis():
    assert shift_to_reference(285.3, 0.0) == pytest.approx(-0.5)
    assert shift_to_reference(284.9, -0.5) == pytest.approx(-0.6)
    arrays = {"binding_energy_eV": np.array([100.0, 101.0])}
    assert corrected_binding_energy(arrays, {CHARGE_SHIFT_KEY: 0.4}).tolist() == [100.4, 101.4]
    assert corrected_binding_energy(arrays, {CHARGE_SHIFT_KEY: "x"}).tolist() == [100.0, 101.0]


def test_a_charge_shift_edit_recomputes_the_fit_and_undo_restores_it():
    project = copy.deepcopy(build_demo_project())
    sample = project.sample_by_name("LBPO 0.05-0.15")
    d = next(x for x in sample.datasets if x.label == "S 2p before cycling")
    rules.run_analysis(project, d.id, ANALYSIS_NAME)
    before = copy.deepcopy(d.analyses[ANALYSIS_NAME].results)
    edit = rules.edit_dataset_metadata(project, d.id, CHARGE_SHIFT_KEY, 0.2)
    after = d.analyses[ANALYSIS_NAME].results
    assert after[CHARGE_SHIFT_KEY] == 0.2  # within the template windows
    for a, b in zip(before["components"], after["components"], strict=True):
        assert b["position_eV"] == pytest.approx(a["position_eV"] + 0.2, abs=0.03)
        assert b["area_pct"] == pytest.approx(a["area_pct"], abs=1.5)
    assert not rules.is_stale(project, d.id, ANALYSIS_NAME)
    rules.undo_edit(project, edit)
    assert CHARGE_SHIFT_KEY not in d.metadata
    assert d.analyses[ANALYSIS_NAME].results == before


def test_acquisition_key_groups_by_specimen_state_and_etch_level():
    from lbpo_gui.core.xps.sample_quant import acquisition_key

    a = {"specimen": "powder", "state": "before", "etch_time_s": 30.0, "etch_level": 1}
    assert acquisition_key(a) == acquisition_key({**a, "region": "B 1s"})
    assert acquisition_key(a) != acquisition_key({**a, "etch_time_s": 60.0})
    assert acquisition_key(a) != acquisition_key({**a, "state": "after"})
    assert acquisition_key({}) == ("", "", 0.0)
    assert acquisition_key({"etch_level": "x"}) == ("", "", 0.0)
