"""Quantification (atomic %) and charge correction.

Atomic fraction of peak i (field notes, section 2.6):

    X_i = [A_i / (RSF_i T(KE_i) KE_i^n)] / sum_j [A_j / (RSF_j T(KE_j) KE_j^n)]

with A the full area (cps eV), RSF from a library (relative to C 1s = 1), T the analyser
transmission at the peak's kinetic energy KE = h nu - BE (1 when unknown; a VAMAS
``transmission`` column gives it) and KE^n the escape-depth correction (n = 0.6, the Avantage
convention for Scofield-type libraries; 1.0 for Wagner factors; 0 switches it off).

For a doublet use the whole-line RSF (``"S 2p"``) with the total doublet area, or the j-line RSF
(``"S 2p3/2"``) with that line's area; never mix them.

RSF values (Al K alpha, C 1s = 1) from ``KherveFitting_library.parquet``: Scofield (ALSCOF) and
Thermo Avantage ALTHERMO1. Verify against a local Avantage install before publishing numbers.

Charge correction: shift = reference (default adventitious C 1s C-C at 284.8 eV) - measured
position of the reference component; add it to every binding energy of the sample.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

RSF_LIBRARIES: dict[str, dict[str, float]] = {
    "scofield": {
        "C 1s": 1.000,
        "O 1s": 2.93,
        "S 2p": 1.677,
        "S 2p3/2": 1.11,
        "P 2p": 1.192,
        "P 2p3/2": 0.789,
        "B 1s": 0.486,
        "Ni 2p": 22.18,
        "Ni 2p3/2": 14.61,
        "Co 2p": 19.16,
        "Co 2p3/2": 12.62,
        "Li 1s": 0.0568,
        "Cl 2p": 2.285,
        "Mn 2p": 13.91,
        "F 1s": 4.43,
        "N 1s": 1.80,
    },
    "althermo1": {
        "C 1s": 1.000,
        "O 1s": 2.881,
        "S 2p": 1.881,
        "S 2p3/2": 1.245,
        "P 2p": 1.353,
        "P 2p3/2": 0.8955,
        "B 1s": 0.3765,
        "Ni 2p": 20.76,
        "Ni 2p3/2": 14.18,
        "Co 2p": 18.24,
        "Co 2p3/2": 12.04,
        "Li 1s": 0.061,
        "Cl 2p": 2.741,
        "Mn 2p": 12.35,
        "F 1s": 4.118,
        "N 1s": 1.676,
    },
}
#: Adventitious carbon C 1s C-C, eV (Avantage and KherveFitting default).
C1S_REFERENCE_EV = 284.8


def rsf(line: str, library: str = "althermo1") -> float:
    """RSF of ``line`` (``"S 2p"``, ``"S2p3/2"``, ``"b 1s"``...) in ``library``."""
    try:
        table = RSF_LIBRARIES[library.lower()]
    except KeyError:
        raise KeyError(f"no RSF library {library!r}; known: {sorted(RSF_LIBRARIES)}") from None
    key = "".join(line.split()).lower()
    for name, value in table.items():
        if "".join(name.split()).lower() == key:
            return value
    raise KeyError(f"no RSF for {line!r} in {library}; known: {sorted(table)}")


@dataclass
class QuantPeak:
    """One peak to quantify: ``area`` (cps eV), ``rsf``, ``binding_energy_eV`` and the analyser
    ``transmission`` at its kinetic energy (1 when unknown)."""

    name: str
    area: float
    rsf: float
    binding_energy_eV: float
    transmission: float = 1.0


def atomic_percent(
    peaks: Sequence[QuantPeak],
    *,
    photon_energy_eV: float = 1486.6,
    ke_exponent: float = 0.6,
) -> dict[str, float]:
    """``{name: atomic %}`` of ``peaks`` (see the module docstring)."""
    corrected = []
    for p in peaks:
        ke = photon_energy_eV - p.binding_energy_eV
        if ke <= 0 or p.rsf <= 0 or p.transmission <= 0:
            raise ValueError(f"{p.name}: kinetic energy, RSF and transmission must be > 0")
        corrected.append(p.area / (p.rsf * p.transmission * ke**ke_exponent))
    total = float(np.sum(corrected))
    if total <= 0:
        raise ValueError("the corrected areas sum to zero")
    return {p.name: 100.0 * c / total for p, c in zip(peaks, corrected, strict=True)}


def transmission_at(
    binding_energy_eV: np.ndarray, transmission: np.ndarray, position_eV: float
) -> float:
    """The transmission column of a spectrum interpolated at a peak position."""
    order = np.argsort(binding_energy_eV)
    return float(np.interp(position_eV, binding_energy_eV[order], transmission[order]))


def charge_shift(measured_eV: float, reference_eV: float = C1S_REFERENCE_EV) -> float:
    """The shift (eV) to add to every binding energy so the reference line sits at
    ``reference_eV``."""
    return float(reference_eV - measured_eV)


def apply_charge_shift(binding_energy_eV: np.ndarray, shift_eV: float) -> np.ndarray:
    """Binding energies shifted by ``shift_eV``."""
    return np.asarray(binding_energy_eV, dtype=float) + shift_eV


def charge_shift_from_fit(
    result, component: str = "C 1s C-C", reference_eV: float = C1S_REFERENCE_EV
) -> float:
    """The charge shift (eV) that puts ``component`` of a fitted reference region (a
    :class:`~.fit.FitResult`, e.g. C 1s with a "C 1s C-C" component) at ``reference_eV``."""
    return charge_shift(result.component(component).position_eV, reference_eV)
