"""Thickness analysis: definitions, instrument broadening, warnings, pooling."""

from __future__ import annotations

import numpy as np
import pytest

from lbpo_gui.core.eds import (
    EdsSettings,
    analyse_profile,
    estimate_broadening,
    goldstein_b_nm,
    pool_results,
    pool_thickness,
    remove_in_quadrature,
)
from lbpo_gui.core.eds.broadening import parse_formula
from lbpo_gui.core.errors import AnalysisError

from .synth import profile


def _codes(result):
    return [w.code for w in result.warnings]


def test_result_carries_the_definitions_and_the_cli_keys():
    rng = np.random.default_rng(1)
    x, sig, _ = profile(5.0, 0.25, rng=rng)
    r = analyse_profile(x, sig, {"cathode": ["Ni", "Co"], "electrolyte": ["S"]})
    d = r.to_dict()
    assert d["thickness_nm"] == pytest.approx(5.0, abs=0.3)
    assert d["thickness_stderr_nm"] > 0
    assert d["definition"].startswith("T50: distance between the 50 % points")
    assert "(Ni, Co)" in d["definition"] and "(S)" in d["definition"]
    for side in ("cathode", "electrolyte"):
        assert set(d["edges"][side]) >= {"center_nm", "sigma_nm", "width_10_90_nm"}
    assert d["t_theta"]["code"] == "T10" and "10%" in d["t_theta"]["definition"]
    assert d["t_theta"]["read_nm"] == pytest.approx(d["t_theta"]["fit_nm"], abs=0.6)
    assert set(d["elements"]) == {"Ni", "Co", "S"}
    assert "p_overlap" not in d["warning_codes"]  # P not used


def test_broadening_removed_in_quadrature_keeps_t50():
    """Edges of intrinsic sigma 0.8 nm blurred by a 1.2 nm instrument: T50 is unchanged and the
    intrinsic sigma comes back after the quadrature removal."""
    s_int, s_instr = 0.8, 1.2
    s_meas = float(np.hypot(s_int, s_instr))
    x, sig, _ = profile(6.0, 0.2, sigma_c=s_meas, sigma_e=s_meas)
    r = analyse_profile(x, sig, {"sigma_instr_nm": s_instr, "theta": 0.1})
    assert r.t50_nm == pytest.approx(6.0, abs=1e-3)
    assert r.intrinsic_sigma_nm["cathode"] == pytest.approx(s_int, abs=1e-3)
    assert r.t_theta_intrinsic_nm == pytest.approx(6.0 + 1.2816 * 2 * s_int, abs=1e-2)
    d = r.to_dict()["edges"]["electrolyte"]
    assert d["width_10_90_intrinsic_nm"] == pytest.approx(2.5631 * s_int, abs=1e-2)
    r2 = analyse_profile(x, sig, {"sigma_instr_nm": {"cathode": 2.0, "electrolyte": 0.5}})
    assert r2.intrinsic_sigma_nm["cathode"] == 0.0
    assert "broadening_exceeds_edge" in _codes(r2)


@pytest.mark.parametrize(
    ("t", "formula", "rho", "b625"),
    [
        (30, "Li6PS5Cl", 1.64, 0.5),
        (50, "Li6PS5Cl", 1.64, 1.2),
        (100, "Li6PS5Cl", 1.64, 3.3),
        (30, "LiNi0.8Co0.1Mn0.1O2", 4.75, 1.1),
        (50, "LiNi0.8Co0.1Mn0.1O2", 4.75, 2.3),
        (100, "LiNi0.8Co0.1Mn0.1O2", 4.75, 6.5),
    ],
)
def test_goldstein_beam_spread_matches_the_notes(t, formula, rho, b625):
    assert goldstein_b_nm(t, formula, rho, 200.0) == pytest.approx(b625, abs=0.06)


def test_estimated_broadening_terms():
    b = estimate_broadening(
        probe_fwhm_nm=1.0,
        lamella_thickness_nm=80.0,
        material="NCM811",
        tilt_deg=2.0,
        filter_kernel_px=3,
        pixel_nm=0.5,
    )
    assert b.terms["probe"] == pytest.approx(1 / 2.3548, abs=1e-3)
    assert b.terms["tilt"] == pytest.approx(80 * np.tan(np.radians(2)) / np.sqrt(12), abs=1e-3)
    assert b.terms["map_filter"] == pytest.approx(0.5 * np.sqrt(2 / 3), abs=1e-6)
    assert b.sigma_nm == pytest.approx(np.sqrt(sum(v * v for v in b.terms.values())))
    assert remove_in_quadrature(1.3, 0.5) == pytest.approx(1.2)
    assert parse_formula("LiNi0.8Co0.1Mn0.1O2") == {
        "Li": 1,
        "Ni": 0.8,
        "Co": 0.1,
        "Mn": 0.1,
        "O": 2,
    }
    with pytest.raises(AnalysisError):
        parse_formula("Li(OH)")
    with pytest.raises(AnalysisError, match="material"):
        estimate_broadening(lamella_thickness_nm=50)


def test_physics_warnings():
    x, sig, _ = profile(7.0, 0.5)
    sig["Pt"] = np.full_like(x, 5.0)
    r = analyse_profile(
        x,
        sig,
        {
            "cathode": ["Ni", "Co"],
            "electrolyte": ["S", "P"],
            "coating_contains_p": True,
            "line_angle_deg": 25.0,
        },
        signal_unit="at.%",
        metadata={
            "map_filter": {"enabled": True, "filter": "Mean", "kernelSize": 3},
            "pixel_size_nm": 0.5,
        },
    )
    codes = _codes(r)
    for code in (
        "p_overlap",
        "p_in_coating",
        "quantified_input",
        "not_perpendicular",
        "map_prefilter",
    ):
        assert code in codes
    msg = " ".join(w.message for w in r.warnings)
    assert "Pt Ma is in this profile" in msg and "stretched by 1.10x" in msg
    assert r.fit.weighting == "uniform"


def test_short_plateau_warning():
    x, sig, _ = profile(7.0, 0.2, bulk_nm=3.0)
    assert "short_plateau" in _codes(analyse_profile(x, sig))
    x, sig, _ = profile(7.0, 0.2, bulk_nm=20.0)
    assert "short_plateau" not in _codes(analyse_profile(x, sig))


def test_settings_round_trip_and_refusals():
    s = EdsSettings.from_dict({"cathode": ["Ni"], "electrolyte": ["S"], "theta": 0.05})
    assert EdsSettings.from_dict(s.to_dict()) == s
    with pytest.raises(AnalysisError, match="unknown EDS settings"):
        EdsSettings.from_dict({"thickness": 3})
    with pytest.raises(AnalysisError, match="theta"):
        EdsSettings.from_dict({"theta": 1.5})
    x, sig, _ = profile(7.0, 0.5)
    with pytest.raises(AnalysisError, match="cathode and the electrolyte"):
        analyse_profile(x, {"Ni": sig["Ni"], "Co": sig["Co"]})


def test_pooling_several_profiles():
    rng = np.random.default_rng(9)
    results = []
    for t in (6.5, 7.0, 7.5, 7.2, 6.8):
        x, sig, _ = profile(t, 0.25, rng=rng)
        results.append(analyse_profile(x, sig))
    pooled = pool_results(results)
    assert pooled.n == 5
    assert pooled.mean_nm == pytest.approx(7.0, abs=0.15)
    assert pooled.sd_nm == pytest.approx(np.std([6.5, 7.0, 7.5, 7.2, 6.8], ddof=1), abs=0.15)
    assert pooled.definition.startswith("T50")
    assert pool_results(results, use_theta=True).definition.startswith("T10")
    one = pool_thickness([5.0])
    assert one.n == 1 and one.sd_nm is None
    with pytest.raises(AnalysisError):
        pool_thickness([])


def test_interphase_option_reports_a_box_width():
    x, sig, _ = profile(7.0, 0.25)
    r = analyse_profile(x, sig, {"interphase": True}).to_dict()
    assert r["interphase"]["thickness_nm"] > 0
    assert "box" in r["interphase"]["definition"]


def test_bootstrap_se_of_the_direct_reading_matches_its_scatter():
    rng = np.random.default_rng(21)
    x, sig, _ = profile(7.0, 0.25, rng=rng)
    r = analyse_profile(x, sig, {"bootstrap": 100})
    reads = [analyse_profile(*profile(7.0, 0.25, rng=rng)[:2]).reading.width_nm for _ in range(40)]
    assert r.reading_stderr_nm == pytest.approx(np.std(reads, ddof=1), rel=0.4)
    assert r.to_dict()["t_theta"]["read_stderr_nm"] == r.reading_stderr_nm


def test_instrument_estimated_per_phase():
    x, sig, _ = profile(6.0, 0.2, sigma_c=3.0, sigma_e=2.0)
    inst = {
        "probe_fwhm_nm": 1.0,
        "lamella_thickness_nm": 60.0,
        "beam_energy_keV": 200.0,
        "cathode_material": "NCM811",
        "electrolyte_material": "Li6PS5Cl",
    }
    r = analyse_profile(x, sig, {"instrument": inst})
    c, e = r.broadening["cathode"], r.broadening["electrolyte"]
    assert c.source == "estimated" and c.terms["beam_spread"] > e.terms["beam_spread"]
    assert c.sigma_nm == pytest.approx(
        np.hypot(1 / 2.3548, goldstein_b_nm(60, "LiNi0.8Co0.1Mn0.1O2", 4.75) / 4.292 / 2), rel=1e-3
    )
    assert r.intrinsic_sigma_nm["cathode"] == pytest.approx(np.sqrt(9.0 - c.sigma_nm**2), abs=1e-3)
    assert r.to_dict()["edges"]["electrolyte"]["broadening"]["terms"]["probe"] > 0
    with pytest.raises(AnalysisError, match="instrument settings"):
        analyse_profile(x, sig, {"instrument": {"probe": 1}})


def test_a_marker_on_the_wrong_side_is_flagged():
    x, sig, _ = profile(7.0, 0.25)
    r = analyse_profile(x, sig, {"cathode": ["Ni", "Co", "S"], "electrolyte": ["P"]})
    assert "odd_direction" in _codes(r)
    assert "S rises along the line" in " ".join(w.message for w in r.warnings)
