"""Joint erf fit: T50 bias and SE coverage on noisy synthetic profiles, exact recovery without
noise, T_theta, interphase box model, per-element fits and the real REBCO/SrTiO3 interface."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import ndtr

from lbpo_gui.core.eds import (
    fit_element_edges,
    fit_interphase,
    fit_joint_edges,
    overlap_width,
    theta_offset,
    width_10_90,
)
from lbpo_gui.core.errors import AnalysisError
from lbpo_gui.core.readers import read

from .synth import SIGMA_NM, profile

CATHODE, ELECTROLYTE = ["Ni", "Co"], ["S", "P"]


@pytest.mark.parametrize(("t50", "step"), [(5.0, 0.2), (7.0, 0.5), (20.0, 0.2), (20.0, 0.5)])
def test_t50_bias_and_coverage_of_100_noisy_repeats(t50, step):
    rng = np.random.default_rng(20230529 + int(t50 * 10 + step * 10))
    est, covered = [], 0
    for _ in range(100):
        x, sig, _ = profile(t50, step, rng=rng)
        fit = fit_joint_edges(x, sig, CATHODE, ELECTROLYTE)
        est.append(fit.t50_nm)
        covered += abs(fit.t50_nm - t50) <= 1.96 * fit.t50_stderr_nm
    est = np.array(est)
    assert abs(est.mean() - t50) <= 0.1
    assert covered >= 90
    # the reported SE matches the observed scatter
    assert fit.t50_stderr_nm == pytest.approx(est.std(ddof=1), rel=0.35)


def test_low_dose_still_unbiased_within_its_se():
    rng = np.random.default_rng(7)
    est = [
        fit_joint_edges(*profile(7.0, 0.2, dose=0.2, rng=rng)[:2], CATHODE, ELECTROLYTE).t50_nm
        for _ in range(60)
    ]
    assert abs(np.mean(est) - 7.0) < 3 * np.std(est) / np.sqrt(len(est)) + 0.05


def test_noise_free_recovery_of_every_parameter():
    x, sig, truth = profile(7.0, 0.25, sigma_c=1.4, sigma_e=0.9)
    fit = fit_joint_edges(x, sig, CATHODE, ELECTROLYTE)
    assert fit.cathode.center_nm == pytest.approx(truth["x_c"], abs=1e-4)
    assert fit.electrolyte.center_nm == pytest.approx(truth["x_e"], abs=1e-4)
    assert fit.cathode.sigma_nm == pytest.approx(1.4, abs=1e-4)
    assert fit.electrolyte.sigma_nm == pytest.approx(0.9, abs=1e-4)
    assert fit.t50_nm == pytest.approx(7.0, abs=1e-4)
    assert fit.elements["Co"].background == pytest.approx(2.0, abs=1e-3)
    assert fit.elements["S"].amplitude == pytest.approx(120.0, rel=1e-4)
    assert fit.cathode.width_10_90_nm == pytest.approx(2.5631 * 1.4, abs=1e-3)
    assert fit.orientation == 1 and fit.cathode.direction == -1
    t10, se10 = fit.t_theta(0.1)
    assert t10 == pytest.approx(7.0 + 1.2816 * (1.4 + 0.9), abs=1e-3)
    assert fit.t_theta(0.5)[0] == pytest.approx(fit.t50_nm)
    start, end = fit.overlap_band(0.1)
    assert end - start == pytest.approx(t10)
    assert fit.overlap_band(0.5) == pytest.approx((truth["x_e"], truth["x_c"]), abs=1e-4)
    # the direct reading of the noise-free profile without smoothing agrees with the formula
    reading = overlap_width(x, sig, CATHODE, ELECTROLYTE, theta=0.1, smoothing_nm=0.0)
    assert reading.width_nm == pytest.approx(t10, abs=0.02)
    assert overlap_width(x, sig, CATHODE, ELECTROLYTE, theta=0.5, smoothing_nm=0.5).width_nm == (
        pytest.approx(7.0, abs=0.02)
    )


def test_cathode_on_the_right_gives_the_same_t50():
    x, sig, _ = profile(5.0, 0.2, cathode_left=False)
    fit = fit_joint_edges(x, sig, CATHODE, ELECTROLYTE)
    assert fit.orientation == -1
    assert fit.t50_nm == pytest.approx(5.0, abs=1e-4)
    assert fit.t_theta(0.1)[0] == pytest.approx(5.0 + 1.2816 * 2 * SIGMA_NM, abs=1e-3)
    start, end = fit.overlap_band(0.1)
    assert start < fit.cathode.center_nm - 1 and end > fit.electrolyte.center_nm + 1
    assert end - start == pytest.approx(fit.t_theta(0.1)[0])


def test_gap_gives_a_negative_t50():
    x, sig, _ = profile(-3.0, 0.2)
    assert fit_joint_edges(x, sig, CATHODE, ELECTROLYTE).t50_nm == pytest.approx(-3.0, abs=1e-3)


def test_uniform_weighting_of_non_count_signals():
    """cps with Gaussian noise: weights from the scatter, SE scaled by the reduced chi-square."""
    rng = np.random.default_rng(3)
    est, covered = [], 0
    for _ in range(40):
        x, sig, _ = profile(7.0, 0.5)
        cps = {k: v / 0.05 + rng.normal(0, 40, len(x)) for k, v in sig.items()}
        fit = fit_joint_edges(x, cps, CATHODE, ELECTROLYTE, weighting="uniform")
        est.append(fit.t50_nm)
        covered += abs(fit.t50_nm - 7.0) <= 1.96 * fit.t50_stderr_nm
    assert abs(np.mean(est) - 7.0) < 0.1
    assert covered >= 34


def test_quantified_closure_couples_the_sides():
    """at.% of the same counts: closure halves the cathode fraction where the electrolyte
    appears, so its 50 % point moves: the reason quantified input is warned about."""
    x, sig, _ = profile(7.0, 0.5)
    total = sum(sig.values())
    at = {k: 100 * v / total for k, v in sig.items()}
    fit = fit_joint_edges(x, at, CATHODE, ELECTROLYTE, weighting="uniform")
    assert fit.t50_nm < 5.0


def test_bad_assignments():
    x, sig, _ = profile(5.0, 0.5)
    with pytest.raises(AnalysisError, match="both fall"):
        fit_joint_edges(x, sig, ["Ni"], ["Co"])
    with pytest.raises(AnalysisError, match="no Zr column"):
        fit_joint_edges(x, sig, ["Ni"], ["Zr"])
    with pytest.raises(AnalysisError, match="both sides"):
        fit_joint_edges(x, sig, ["Ni", "S"], ["S"])


def test_no_edge_in_the_profile_is_refused():
    """S only starts to rise beyond the end of the line: no electrolyte edge to fit."""
    rng = np.random.default_rng(2)
    x = np.arange(0, 40, 0.25)
    sig = {
        "Ni": rng.poisson(8 + 150 * ndtr(-(x - 20) / 1.1)).astype(float),
        "S": rng.poisson(6 + 120 * ndtr((x - 39.5) / 1.1)).astype(float),
    }
    with pytest.raises(AnalysisError, match="edge"):
        fit_joint_edges(x, sig, ["Ni"], ["S"])


def test_element_fits_recover_their_own_edges():
    x, sig, truth = profile(7.0, 0.2, sigma_c=1.3, sigma_e=0.8)
    edges = fit_element_edges(x, sig, ["Ni", "P"])
    assert edges["Ni"].center_nm == pytest.approx(truth["x_c"], abs=1e-4)
    assert edges["P"].sigma_nm == pytest.approx(0.8, abs=1e-4)


def test_interphase_box_model():
    """A Ni-S reaction layer with its own plateau between a = 30 and b = 36 nm."""
    rng = np.random.default_rng(11)
    x = np.arange(0, 66, 0.25)
    a, b, s = 30.0, 36.0, 1.0
    left, mid, right = (
        1 - ndtr((x - a) / s),
        ndtr((x - a) / s) - ndtr((x - b) / s),
        ndtr((x - b) / s),
    )
    levels = {"Ni": (150, 60, 5), "Co": (30, 5, 1), "S": (4, 70, 120), "P": (1, 3, 30)}
    sig = {
        el: rng.poisson(L * left + M * mid + R * right).astype(float)
        for el, (L, M, R) in levels.items()
    }
    fit = fit_interphase(x, sig, list(levels), a_nm=31.0, b_nm=34.0, sigma_nm=1.5)
    assert fit.thickness_nm == pytest.approx(6.0, abs=3 * fit.thickness_stderr_nm + 0.05)
    assert fit.thickness_stderr_nm < 0.3
    assert fit.levels["S"][1] == pytest.approx(70, rel=0.1)
    assert 0.7 < fit.reduced_chi_square < 1.4


def test_width_conventions():
    assert width_10_90(1.0) == pytest.approx(2.5631, abs=1e-4)
    assert theta_offset(0.1) == pytest.approx(1.2816, abs=1e-4)
    assert theta_offset(0.05) == pytest.approx(1.6449, abs=1e-4)
    with pytest.raises(ValueError):
        theta_offset(1.2)


def test_rebco_sto_interface(shared_data):
    """An abrupt interface: Y and Sr centres coincide, 10-90 % widths are the resolution floor."""
    t = read(shared_data / "eds/eds-processing-notebooks/REBCO_STO_profile_rowsum.csv")[0]
    fit = fit_joint_edges(t.arrays["distance_nm"], t.arrays, ["Y"], ["Sr"])
    assert abs(fit.cathode.center_nm - fit.electrolyte.center_nm) < 0.5
    assert fit.cathode.center_nm == pytest.approx(32.12, abs=0.05)
    for edge in (fit.cathode, fit.electrolyte):
        assert 1.5 < edge.width_10_90_nm < 4.0
    assert fit.elements["Sr"].background == pytest.approx(72, abs=10)  # the free baseline
    each = fit_element_edges(t.arrays["distance_nm"], t.arrays, ["Y", "Sr", "Ti", "Ba", "Cu"])
    for el in ("Ti", "Ba", "Cu"):
        assert abs(each[el].center_nm - 32.0) < 0.6
        assert 1.5 < each[el].width_10_90_nm < 4.0
