"""Lin-KK (Schoenleber mu criterion) and the DRT."""

from __future__ import annotations

import numpy as np
import pytest

from lbpo_gui.core.eis.drt import DRTError, drt
from lbpo_gui.core.eis.kk import KKError, lin_kk, mu_criterion
from lbpo_gui.core.readers import read

from .synth import FREQ, study_spectrum


@pytest.fixture(scope="module")
def circuit3(shared_data):
    (t,) = read(shared_data / "eis/impedance.py/Circuit3_EIS_1.z")
    return t.arrays["frequency_Hz"], t.arrays["z_real_ohm"] + 1j * t.arrays["z_imag_ohm"]


def test_lin_kk_reproduces_schoenleber_on_circuit3(circuit3):
    f, z = circuit3
    r = lin_kk(f, z, c=0.69)
    assert r.M == 10
    assert r.mu == pytest.approx(0.6843821117885378, rel=1e-9)
    # Z_fit "from Schoenleber's Lin_KK software" (impedance.py test_validation), first points
    np.testing.assert_allclose(
        r.z_fit[:4],
        [
            1504.77272562 + 22.1601785j,
            1495.0921936 - 8.0883861j,
            1490.00925513 - 43.4187137j,
            1491.10559299 - 82.6481327j,
        ],
        rtol=1e-8,
    )
    rc = lin_kk(f, z, c=0.69, add_cap=True)
    assert rc.M == 10 and rc.mu == pytest.approx(0.6843821117885381, rel=1e-9)
    assert rc.z_fit[0] == pytest.approx(1504.77272562 + 22.1609593j, rel=1e-8)
    fixed = lin_kk(f, z, c=None, max_M=10, add_cap=True)
    np.testing.assert_allclose(fixed.z_fit, rc.z_fit)


def test_mu():
    assert mu_criterion([1, 2, 3, -3, -2, -1]) == 0
    assert mu_criterion([-1, 2, 4, -3, 4, -1]) == 0.5


def test_valid_spectrum_has_residuals_at_the_noise_level():
    r = lin_kk(FREQ, study_spectrum(0, noise=0.002), add_cap=True)
    assert r.max_residual_pct < 1.0
    assert r.mu <= 0.85


def test_drifting_spectrum_fails_kk():
    z = study_spectrum(0, noise=0.0)
    drift = z * (1 + 0.3 * np.linspace(0, 1, z.size) ** 2)  # the cell changes during the sweep
    assert lin_kk(FREQ, drift, add_cap=True).max_residual_pct > 3


def test_kk_refuses_bad_data():
    with pytest.raises(KKError):
        lin_kk(FREQ[:2], study_spectrum(0)[:2])


def _two_arcs(noise, seed=0):
    f = np.logspace(6, -2, 81)
    w = 2 * np.pi * f
    z = 10 + 50 / (1 + 1j * w * 1e-5) + 100 / (1 + 1j * w * 1e-2)
    rng = np.random.default_rng(seed)
    return f, z + noise * np.abs(z) * (rng.normal(size=f.size) + 1j * rng.normal(size=f.size))


@pytest.mark.parametrize("noise", [0.0, 0.005])
def test_drt_of_two_arcs_has_two_peaks_at_the_true_tau(noise):
    f, z = _two_arcs(noise)
    r = drt(f, z)
    assert r.method == "GCV" and 1e-9 <= r.lambda_ <= 0.1
    assert len(r.peaks) == 2
    (p1, p2) = r.peaks
    assert p1.tau_s == pytest.approx(1e-5, rel=0.1) and p2.tau_s == pytest.approx(1e-2, rel=0.1)
    assert p1.R_ohm == pytest.approx(50, rel=0.05) and p2.R_ohm == pytest.approx(100, rel=0.05)
    assert r.r_inf_ohm == pytest.approx(10, rel=0.05)


def test_drt_lambda_grows_with_the_noise():
    assert drt(*_two_arcs(0.01)).lambda_ > drt(*_two_arcs(0.0)).lambda_


def test_drt_refuses_bad_data():
    f, z = _two_arcs(0.0)
    z[3] = np.nan
    with pytest.raises(DRTError):
        drt(f, z)


def test_fit_residuals_match_each_model_frequency_to_its_measured_point():
    from lbpo_gui.core.eis.kk import residuals_at_model_frequencies

    f = np.array([1e4, 1e3, 1e2, 1e1])  # descending, as analysers sweep
    z = np.array([10 - 1j, 12 - 3j, 20 - 8j, 30 - 5j])
    fm = np.array([1e3, 1e2])  # the fitted range
    zm = np.array([12 - 3j, 19 - 8j])
    rel = residuals_at_model_frequencies(f, z, fm, zm)
    np.testing.assert_allclose(rel, [0.0, 1 / abs(20 - 8j)])
    np.testing.assert_allclose(residuals_at_model_frequencies(f[::-1], z[::-1], fm, zm), rel)
