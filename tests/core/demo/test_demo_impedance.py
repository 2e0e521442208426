"""Impedance spectra: the circuit, the study's Table 2 and realistic sweeps."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from lbpo_gui.core.demo import impedance as Z

NAMES = ["Pristine", "LPO 0.15", "LBPO 0.05-0.15"]


def analytic(f: np.ndarray, p: dict[str, float]) -> np.ndarray:
    """R(QR)(QR)W written out independently from the true parameters."""
    w = 2 * np.pi * f
    cpe1 = p["Q1_S_sn"] * (1j * w) ** p["n1"]
    cpe2 = p["Q2_S_sn"] * (1j * w) ** p["n2"]
    warburg = 1.0 / (p["W1_Y0_S_s05"] * np.sqrt(1j * w))  # Boukamp W: Y = Y0 sqrt(j w)
    return (
        p["R1_ohm"]
        + p["R2_ohm"] / (1 + p["R2_ohm"] * cpe1)
        + p["R3_ohm"] / (1 + p["R3_ohm"] * cpe2)
        + warburg
    )


@pytest.mark.parametrize("name", NAMES)
def test_noise_free_spectrum_is_the_circuit(name):
    d = Z.impedance_dataset(name, 1, noise_rel=0.0)
    f = d.arrays["frequency_Hz"]
    z = d.arrays["z_real_ohm"] + 1j * d.arrays["z_imag_ohm"]
    truth = Z.impedance_truth(name)
    np.testing.assert_allclose(z, analytic(f, truth["parameters"]), rtol=1e-12)
    assert truth["circuit"] == "R(QR)(QR)W"
    assert d.metadata["amplitude_mV"] == 10.0
    assert d.metadata["state"] == "charged after 1st cycle"


def test_frequencies_as_an_instrument_sweeps():
    f = Z.impedance_dataset("Pristine", 1).arrays["frequency_Hz"]
    assert f[0] == pytest.approx(5e5) and f[-1] == pytest.approx(0.01)
    assert np.all(np.diff(f) < 0)
    np.testing.assert_allclose(np.diff(np.log10(f)), -0.1, rtol=0.02)  # 10 points per decade


@pytest.mark.parametrize("name", NAMES)
def test_resistances_are_table2_and_visible_in_the_nyquist_plot(reference_dir, name):
    with open(reference_dir / "table2_impedance.csv", newline="") as fh:
        row = {r["sample"]: r for r in csv.DictReader(fh)}[name]
    d = Z.impedance_dataset(name, 1, noise_rel=0.0)
    p = Z.impedance_truth(name)["parameters"]
    assert p["R_SE_bulk_ohm"] == pytest.approx(float(row["R_SE_bulk_ohm"]))
    assert p["R_SE_gb_ohm"] == pytest.approx(float(row["R_SE_gb_ohm"]))
    assert p["R_electrode_SE_ohm"] == pytest.approx(float(row["R_electrode_SE_ohm"]))
    assert p["R_total_ohm"] == pytest.approx(float(row["R_total_ohm"]), abs=0.05)
    f = d.arrays["frequency_Hz"]
    zr, zi = d.arrays["z_real_ohm"], d.arrays["z_imag_ohm"]
    r_bulk, r_gb = p["R_SE_bulk_ohm"], p["R_SE_gb_ohm"]
    # high-frequency intercept: between R_bulk and R_bulk + R_gb (the gb arc starts in range)
    assert r_bulk < zr[0] < r_bulk + r_gb
    assert np.all(zi[f > 1.0] < 0)  # capacitive everywhere below the arcs
    # low-frequency end of the interfacial arc: the minimum of -Z'' between arc and Warburg
    low = (f < 100.0) & (f > 0.05)
    k = np.flatnonzero(low)[np.argmin(-zi[low])]
    warburg_real = p["W1_sigma_ohm_s05"] / np.sqrt(2 * np.pi * f[k])
    assert zr[k] - warburg_real == pytest.approx(p["R_total_ohm"], rel=0.05)
    # the semicircle of R_electrode/SE dominates: its apex is ~R_el/2 high for n ~ 0.8
    apex = (-zi[(f > 10) & (f < 1e4)]).max()
    assert 0.25 * p["R_electrode_SE_ohm"] < apex < 0.5 * p["R_electrode_SE_ohm"]


def test_ordering_follows_the_study():
    r = {n: Z.impedance_dataset(n, 1, noise_rel=0.0).arrays["z_real_ohm"][-1] for n in NAMES}
    assert r["Pristine"] > r["LPO 0.15"] > r["LBPO 0.05-0.15"]


def test_noise_is_proportional_and_seeded():
    clean = Z.impedance_dataset("LPO 0.15", 1, noise_rel=0.0)
    a = Z.impedance_dataset("LPO 0.15", 1)
    b = Z.impedance_dataset("LPO 0.15", 1)
    c = Z.impedance_dataset("LPO 0.15", 2)
    np.testing.assert_array_equal(a.arrays["z_real_ohm"], b.arrays["z_real_ohm"])
    assert not np.array_equal(a.arrays["z_real_ohm"], c.arrays["z_real_ohm"])
    z0 = clean.arrays["z_real_ohm"] + 1j * clean.arrays["z_imag_ohm"]
    z = a.arrays["z_real_ohm"] + 1j * a.arrays["z_imag_ohm"]
    rel = (z - z0) / np.abs(z0)
    assert 0.004 < np.std(np.concatenate([rel.real, rel.imag])) < 0.011
