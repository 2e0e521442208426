"""Fits of synthetic S 2p spectra: four doublets, Shirley, Poisson noise (field notes, section 5)."""

from __future__ import annotations

import numpy as np
import pytest

from lbpo_gui.core.xps.fit import FitError, fit_spectrum, prepare
from lbpo_gui.core.xps.model import Component, FitSpec, Link

from .synth import FRACTIONS, POSITIONS, X, noisy, spec, truth_curve


@pytest.mark.parametrize("background", ["shirley", "active_shirley"])
def test_synthetic_s2p_recovered(background):
    fr = []
    for seed in range(10):
        r = fit_spectrum(X, noisy(seed), spec(background))
        assert r.success
        fr.append(r.fractions)
    mean = np.mean(fr, axis=0)
    names = list(POSITIONS)
    assert mean[names.index("PS4")] == pytest.approx(FRACTIONS["PS4"], abs=0.01)
    assert mean[names.index("TM-S")] == pytest.approx(FRACTIONS["TM-S"], abs=0.01)
    assert r.component("PS4").position_eV == pytest.approx(161.6, abs=0.03)
    assert r.component("PS4").fwhm_eV == pytest.approx(1.0, abs=0.03)
    assert r.component("TM-S").fwhm_eV == r.component("PS4").fwhm_eV  # linked
    assert 0.6 < r.reduced_chi_square < 2.5
    assert r.component("PS4").stderr["area_pct"] > 0


def test_area_is_both_lines_and_full_analytic_area():
    y, scale = truth_curve()
    r = fit_spectrum(X, y, spec("active_shirley"))
    total = sum(c.area for c in r.components)
    assert total == pytest.approx(scale, rel=2e-3)
    ps4 = r.component("PS4")
    assert ps4.doublet["position_j_minus_eV"] == pytest.approx(161.6 + 1.18, abs=1e-3)


def test_jacobian_matches_finite_differences():
    prep = prepare(X, noisy(1), spec("active_shirley"))
    p = prep.problem
    theta = p.theta0 + 0.0
    theta[[i for i, n in enumerate(p.names) if n.endswith("area")]] = 500.0
    theta[p.bg_index["b_lo"]], theta[p.bg_index["k"]] = 800.0, 0.1
    _, jac, _ = p.model(theta, prep.static_bg)
    for i in range(theta.size):
        h = 1e-6 * max(abs(theta[i]), 1.0)
        tp, tm = theta.copy(), theta.copy()
        tp[i] += h
        tm[i] -= h
        num = (p.model(tp, prep.static_bg)[0] - p.model(tm, prep.static_bg)[0]) / (2 * h)
        np.testing.assert_allclose(jac[:, i], num, rtol=1e-4, atol=1e-4 * np.abs(num).max())


def test_offset_and_area_links():
    s = spec("active_shirley")
    s.component("S-S").position_link = Link("P-[S]n-P", "offset", 0.5)
    s.component("S-S").area_link = Link("P-[S]n-P", "ratio", 0.65)
    r = fit_spectrum(X, noisy(3), s)
    ss, pn = r.component("S-S"), r.component("P-[S]n-P")
    assert ss.position_eV - pn.position_eV == pytest.approx(0.5)
    assert ss.area / pn.area == pytest.approx(0.65)
    assert pn.area / sum(c.area for c in r.components) == pytest.approx(0.2, abs=0.02)


def test_bad_specs_refused():
    s = spec()
    s.components[0].position_link = Link("nope")
    with pytest.raises(FitError, match="unknown component 'nope'"):
        fit_spectrum(X, noisy(0), s)
    a = Component("a", 160.0, position_link=Link("b"))
    b = Component("b", 161.0, position_link=Link("a"))
    with pytest.raises(FitError, match="cycle"):
        fit_spectrum(X, noisy(0), FitSpec("S 2p", [a, b]))
    with pytest.raises(FitError, match="fewer than 5 points"):
        fit_spectrum(X, noisy(0), FitSpec("S 2p", [a], start_eV=100, end_eV=101))


def test_new_component_from_a_click():
    from lbpo_gui.core.xps.lineshapes import LineShape
    from lbpo_gui.core.xps.model import new_component

    c = new_component("S 2p", "new", 162.0, 1000.0, fwhm_eV=1.1)
    assert c.doublet.splitting_eV == 1.18 and c.doublet.area_ratio == 0.5
    assert (c.position_min_eV, c.position_max_eV) == (161.5, 162.5)
    line = (c.area / 1.5) * LineShape.parse("GL(30)").profile(
        np.array([162.0]), np.array([162.0]), np.array([1.1])
    )
    assert line[0, 0] == pytest.approx(1000.0)
    assert new_component("B 1s", "b", 192.0, 10.0).doublet is None
    assert new_component("P 2p", "p", 132.0, 10.0).doublet.splitting_eV == 0.86
