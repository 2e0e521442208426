"""Synthetic spectra of the study's circuit for the EIS tests and benchmarks."""

from __future__ import annotations

import numpy as np

from lbpo_gui.core.eis.cdc import parse_circuit
from lbpo_gui.core.eis.model import compile_circuit

STUDY = "R(QR)(QR)W"
#: The field notes' benchmark set (section 3): R0, Q1, n1, R1, Q2, n2, R2, Y0 (A_W = 50).
TRUE = np.array([14.5, 1e-6, 0.90, 9.4, 2.5e-5, 0.85, 165.3, 1 / (50 * np.sqrt(2))])
FREQ = np.logspace(np.log10(5e5), -2, 61)


def study_spectrum(seed: int, noise: float = 0.01, values=TRUE) -> np.ndarray:
    """Z of the study circuit with proportional complex noise: Z + noise |Z| (e1 + j e2)."""
    z = compile_circuit(parse_circuit(STUDY)).impedance(values, FREQ)
    rng = np.random.default_rng(seed)
    return z + noise * np.abs(z) * (rng.normal(size=z.size) + 1j * rng.normal(size=z.size))
