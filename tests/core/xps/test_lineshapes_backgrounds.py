"""Line shapes as CasaXPS defines them, and the static backgrounds."""

from __future__ import annotations

import numpy as np
import pytest

from lbpo_gui.core.xps.backgrounds import (
    cumulative_trapezoid,
    linear_background,
    shirley_background,
    tougaard_background,
)
from lbpo_gui.core.xps.lineshapes import LineShape

X = np.linspace(-60, 60, 240001)


@pytest.mark.parametrize(
    "name", ["GL(30)", "SGL(30)", "PV(50)", "V(30)", "LA(1.5,2.5,40)", "GL(0)"]
)
def test_unit_area(name):
    f = LineShape.parse(name).profile(X, np.array([0.3]), np.array([1.2]))[0]
    # Lorentzian parts lose their tails beyond +-60 eV (~0.5 %)
    assert np.trapezoid(f, X) == pytest.approx(1.0, rel=1e-4 if name.startswith("GL") else 6e-3)


def test_gl_product_and_sgl_sum_definitions():
    gl = LineShape.parse("GL(30)")
    sgl = LineShape.parse("SGL(30)")
    x = np.array([0.0, 0.5])
    hg = gl.profile(x, np.array([0.0]), np.array([1.0]))[0]
    hs = sgl.profile(x, np.array([0.0]), np.array([1.0]))[0]
    assert hg[1] / hg[0] == pytest.approx(np.exp(-np.log(2) * 0.7) / 1.3)  # 0.474 at F/2
    assert hs[1] / hs[0] == pytest.approx(0.5)  # SGL: FWHM = F exactly
    # SGL area per height: F [(1-m) sqrt(pi / 4 ln 2) + m pi / 2]
    assert sgl.height_to_area(2.0) == pytest.approx(
        2.0 * (0.7 * 1.064467 + 0.3 * np.pi / 2), rel=1e-6
    )
    assert LineShape.parse("gl(30)").name == "GL(30)" and LineShape.parse("Gaussian").mix == 0.0


def test_voigt_fwhm_is_total_width():
    v = LineShape.parse("V(40)")
    x = np.linspace(-5, 5, 200001)
    f = v.profile(x, np.array([0.0]), np.array([1.5]))[0]
    above = x[f >= f.max() / 2]
    assert above[-1] - above[0] == pytest.approx(1.5, rel=2e-3)


def test_analytic_derivatives_match_differences():
    x = np.linspace(-3, 3, 61)
    for name in ("GL(30)", "SGL(20)"):
        s = LineShape.parse(name)
        c, w = np.array([0.2]), np.array([1.1])
        _, dc, dw = s.derivatives(x, c, w)
        h = 1e-6
        num_c = (s.profile(x, c + h, w) - s.profile(x, c - h, w)) / (2 * h)
        num_w = (s.profile(x, c, w + h) - s.profile(x, c, w - h)) / (2 * h)
        np.testing.assert_allclose(dc, num_c, atol=1e-6)
        np.testing.assert_allclose(dw, num_w, atol=1e-6)


def test_doniach_sunjic_tail_on_high_binding_energy_side():
    ds = LineShape.parse("DS(0.1,50)")
    x = np.linspace(-10, 10, 4001)
    f = ds.profile(x, np.array([0.0]), np.array([1.0]))[0]
    assert f[x > 3].sum() > 2 * f[x < -3].sum()


def test_shirley_recovers_exact_step_and_converges():
    x = np.linspace(150, 170, 201)
    peak = np.exp(-((x - 160) ** 2) / 2)
    step = 300 * cumulative_trapezoid(x, peak) / cumulative_trapezoid(x, peak)[-1]
    y = 1000 + step + 2000 * peak
    res = shirley_background(x, y, average_points=1)
    assert res.converged and res.iterations < 50
    np.testing.assert_allclose(res.background, 1000 + step, atol=1.0)
    falling = shirley_background(x, 2000 - 5 * (x - 150))
    assert falling.method == "linear"
    np.testing.assert_allclose(linear_background(x, 2 * x, average_points=1), 2 * x)


def test_tougaard_scaled_to_end_points():
    x = np.linspace(680, 740, 601)
    y = 1000 + 4000 * np.exp(-((x - 700) ** 2) / 8) + 30 * (x > 705) * (x - 705)
    bg = tougaard_background(x, y, kind="U2", c=1643.0, average_points=3)
    assert bg[0] == pytest.approx(y[:3].mean()) and bg[-1] == pytest.approx(y[-3:].mean())
    assert np.all(np.diff(bg) >= -1e-9)
