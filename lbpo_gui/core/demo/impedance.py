"""Impedance spectra of the charged cells after the 1st cycle (Figure 1c-e, Table 2 of the study).

Circuit R_SE,bulk - (R_SE,gb || CPE1) - (R_electrode/SE || CPE2) - W (CDC ``R(QR)(QR)W``):

    Z(omega) = R1 + 1 / (1/R2 + Q1 (j omega)^n1) + 1 / (1/R3 + Q2 (j omega)^n2)
               + sigma (1 - j) / sqrt(omega)

R in ohm, Q in S s^n, sigma in ohm s^-1/2 (semi-infinite Warburg; Boukamp's W admittance
Y0 = 1 / (sigma sqrt 2)). The resistances are Table 2 of the study, the other parameters demo
assumptions (:data:`.samples.IMPEDANCE_PARAMETERS`).

Frequencies: 500 kHz down to 10 mHz, 10 points per decade, logarithmic, high to low as
potentiostats sweep. Noise: proportional complex Gaussian noise, Z + sigma_rel |Z| (e1 + j e2),
sigma_rel = 0.7 %.
"""

from __future__ import annotations

import numpy as np

from ..readers.base import ImportedData
from . import samples as S

F_MAX_HZ = 5.0e5
F_MIN_HZ = 1.0e-2
POINTS_PER_DECADE = 10
NOISE_REL = 0.007
AMPLITUDE_MV = 10.0
#: Open-circuit voltage of the charged cells, V vs Li (written into the .mpt <Ewe> column).
OPEN_CIRCUIT_V = 4.18


def frequencies_Hz(
    f_max: float = F_MAX_HZ, f_min: float = F_MIN_HZ, per_decade: int = POINTS_PER_DECADE
) -> np.ndarray:
    """Logarithmic frequencies from ``f_max`` down to ``f_min``, Hz (both included)."""
    decades = np.log10(f_max) - np.log10(f_min)
    n = int(round(decades * per_decade)) + 1
    return np.logspace(np.log10(f_max), np.log10(f_min), n)


def circuit_impedance(freq_Hz: np.ndarray, p: S.ImpedanceParameters) -> np.ndarray:
    """Complex impedance of R(QR)(QR)W with parameters ``p`` at ``freq_Hz``, ohm."""
    w = 2.0 * np.pi * np.asarray(freq_Hz, dtype=float)
    jw = 1j * w
    z_gb = 1.0 / (1.0 / p.r_gb_ohm + p.q_gb_S_sn * jw**p.n_gb)
    z_el = 1.0 / (1.0 / p.r_electrode_ohm + p.q_electrode_S_sn * jw**p.n_electrode)
    z_w = p.warburg_sigma_ohm_s05 * (1.0 - 1j) / np.sqrt(w)
    return p.r_bulk_ohm + z_gb + z_el + z_w


def true_parameters(p: S.ImpedanceParameters) -> dict[str, float]:
    """The model parameters in circuit order, named as the CLI numbers them (R1, Q1, n1, R2...)."""
    return {
        "R1_ohm": p.r_bulk_ohm,
        "Q1_S_sn": p.q_gb_S_sn,
        "n1": p.n_gb,
        "R2_ohm": p.r_gb_ohm,
        "Q2_S_sn": p.q_electrode_S_sn,
        "n2": p.n_electrode,
        "R3_ohm": p.r_electrode_ohm,
        "W1_sigma_ohm_s05": p.warburg_sigma_ohm_s05,
        "W1_Y0_S_s05": 1.0 / (p.warburg_sigma_ohm_s05 * np.sqrt(2.0)),
        "R_SE_bulk_ohm": p.r_bulk_ohm,
        "R_SE_gb_ohm": p.r_gb_ohm,
        "R_electrode_SE_ohm": p.r_electrode_ohm,
        "R_total_ohm": p.r_total_ohm,
    }


def impedance_dataset(
    name: str, seed: int, *, noise_rel: float = NOISE_REL, label: str = "EIS charged 1st cycle"
) -> ImportedData:
    """The impedance spectrum of sample ``name`` (Pristine, LPO 0.15, LBPO 0.05-0.15).

    ``noise_rel`` = 0 gives the exact circuit. Arrays ``frequency_Hz``, ``z_real_ohm``,
    ``z_imag_ohm`` (negative for a capacitive response).
    """
    p = S.get_impedance_parameters(name)
    f = frequencies_Hz()
    z = circuit_impedance(f, p)
    if noise_rel > 0:
        rng = np.random.default_rng([seed, 4, S.SAMPLE_NAMES.index(name)])
        mag = np.abs(z)
        z = z + noise_rel * mag * (rng.normal(size=f.size) + 1j * rng.normal(size=f.size))
    meta = {
        "technique": "PEIS",
        "sample": name,
        "amplitude_mV": AMPLITUDE_MV,
        "points_per_decade": POINTS_PER_DECADE,
        "frequency_range_Hz": [F_MIN_HZ, F_MAX_HZ],
        "state": "charged after 1st cycle",
        "open_circuit_V": OPEN_CIRCUIT_V,
        "noise_relative": noise_rel,
        "seed": int(seed),
        "synthetic": True,
    }
    return ImportedData(
        "impedance",
        label,
        {"frequency_Hz": f, "z_real_ohm": z.real.copy(), "z_imag_ohm": z.imag.copy()},
        meta,
        reader="demo",
    )


def impedance_truth(name: str) -> dict:
    """What the spectrum of sample ``name`` was built from (for tests; no analysis reads it)."""
    return {
        "circuit": "R(QR)(QR)W",
        "circuit_description": "R_SE,bulk - (R_SE,gb || CPE1) - (R_electrode/SE || CPE2) - W",
        "parameters": true_parameters(S.get_impedance_parameters(name)),
    }
