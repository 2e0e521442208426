"""Instrumental broadening of an EDS line profile and its removal in quadrature.

Sources add as variances (Gaussian approximation):

- **probe**: ``sigma = FWHM / 2.3548`` (about 1 nm FWHM for analytical probes on X-FEG STEMs;
  measure it);
- **beam spread in the foil** (Goldstein et al. 1977, single scattering):
  ``b = K (Z / E0) (rho / A)^1/2 t^3/2`` with b and t in cm, E0 in keV, rho in g/cm^3,
  ``K = 625`` (Goldstein; Reed 1982 used 721 so that b holds 90 % of the electrons). For a
  compound ``Z (rho/A)^1/2`` becomes ``(rho <Z^2> / <A>)^1/2`` with atom-fraction averages. ``b``
  is read as the diameter holding 90 % of a 2-D Gaussian (``b = 4.29 sigma``) at the exit
  surface. X-rays come from the whole thickness and ``sigma(z)^2`` grows as ``z^3``, so the
  depth-averaged variance is a quarter of the exit one: ``sigma_spread = sigma_exit / 2``;
- **interface tilt** through the lamella: a box of width ``t tan(alpha)``, ``sigma^2 = w^2 / 12``;
- **map pre-filter**: a k-pixel mean filter adds ``(k^2 - 1) / 12`` pixel^2 (2/3 px^2 for
  Velox's 3-pixel mean);
- **other** (drift...): typed in as a sigma.

Removal: edge centres (and T50) do not change; ``sigma_int = sqrt(sigma_meas^2 - sigma_instr^2)``
and 10-90 % widths scale the same way. The materials of this study are in :data:`MATERIALS`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from ..errors import AnalysisError

#: (Z, standard atomic weight) of the elements met in cathode/electrolyte lamellae.
ELEMENTS: dict[str, tuple[int, float]] = {
    "H": (1, 1.008),
    "Li": (3, 6.94),
    "B": (5, 10.81),
    "C": (6, 12.011),
    "N": (7, 14.007),
    "O": (8, 15.999),
    "F": (9, 18.998),
    "Na": (11, 22.990),
    "Mg": (12, 24.305),
    "Al": (13, 26.982),
    "Si": (14, 28.085),
    "P": (15, 30.974),
    "S": (16, 32.06),
    "Cl": (17, 35.45),
    "Ca": (20, 40.078),
    "Ti": (22, 47.867),
    "Mn": (25, 54.938),
    "Fe": (26, 55.845),
    "Co": (27, 58.933),
    "Ni": (28, 58.693),
    "Cu": (29, 63.546),
    "Ga": (31, 69.723),
    "Ge": (32, 72.630),
    "Sr": (38, 87.62),
    "Y": (39, 88.906),
    "Zr": (40, 91.224),
    "Nb": (41, 92.906),
    "Ba": (56, 137.327),
    "La": (57, 138.905),
    "Ta": (73, 180.948),
    "W": (74, 183.84),
    "Pt": (78, 195.084),
    "Au": (79, 196.967),
}

#: Name -> (formula, density g/cm^3) of the phases of this study (densities from the notes).
MATERIALS: dict[str, tuple[str, float]] = {
    "Li6PS5Cl": ("Li6PS5Cl", 1.64),
    "NCM811": ("LiNi0.8Co0.1Mn0.1O2", 4.75),
    "SrTiO3": ("SrTiO3", 5.12),
}

#: Diameter holding 90 % of a 2-D Gaussian, in sigmas: 2 sqrt(2 ln 10).
B90_PER_SIGMA = 2.0 * math.sqrt(2.0 * math.log(10.0))
FWHM_PER_SIGMA = 2.0 * math.sqrt(2.0 * math.log(2.0))

_TOKEN = re.compile(r"([A-Z][a-z]?)(\d*\.?\d*)")


def parse_formula(formula: str) -> dict[str, float]:
    """Atom counts of a formula such as ``LiNi0.8Co0.1Mn0.1O2`` (no brackets)."""
    text = formula.replace(" ", "")
    counts: dict[str, float] = {}
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() != pos or m.group(1) not in ELEMENTS:
            raise AnalysisError(f"cannot read the formula {formula!r} at {text[pos:]!r}")
        counts[m.group(1)] = counts.get(m.group(1), 0.0) + float(m.group(2) or 1.0)
        pos = m.end()
    if pos != len(text) or not counts:
        raise AnalysisError(f"cannot read the formula {formula!r}")
    return counts


def goldstein_b_nm(
    thickness_nm: float,
    formula: str,
    density_g_cm3: float,
    beam_energy_keV: float = 200.0,
    constant: float = 625.0,
) -> float:
    """Goldstein single-scattering beam spread ``b`` (nm) at the exit surface of a foil."""
    if not (thickness_nm > 0 and density_g_cm3 > 0 and beam_energy_keV > 0):
        raise AnalysisError("thickness, density and beam energy must be positive")
    counts = parse_formula(formula)
    n = sum(counts.values())
    z2 = sum(c * ELEMENTS[e][0] ** 2 for e, c in counts.items()) / n
    a = sum(c * ELEMENTS[e][1] for e, c in counts.items()) / n
    t_cm = thickness_nm * 1e-7
    b_cm = constant / beam_energy_keV * math.sqrt(density_g_cm3 * z2 / a) * t_cm**1.5
    return b_cm * 1e7


@dataclass(frozen=True)
class Broadening:
    """The instrumental sigma (nm) of one side and the terms it is made of (nm, as sigmas)."""

    sigma_nm: float
    terms: dict[str, float] = field(default_factory=dict)
    source: str = "typed in"

    def to_dict(self) -> dict[str, object]:
        return {"sigma_nm": self.sigma_nm, "terms": dict(self.terms), "source": self.source}


def estimate_broadening(
    *,
    probe_fwhm_nm: float = 0.0,
    lamella_thickness_nm: float = 0.0,
    material: str | None = None,
    formula: str | None = None,
    density_g_cm3: float | None = None,
    beam_energy_keV: float = 200.0,
    tilt_deg: float = 0.0,
    filter_kernel_px: int = 0,
    pixel_nm: float = 0.0,
    other_sigma_nm: float = 0.0,
    goldstein_constant: float = 625.0,
) -> Broadening:
    """The instrumental sigma from probe, beam spread, tilt, pre-filter and other terms.

    Give the phase as ``material`` (a key of :data:`MATERIALS`) or as ``formula`` with
    ``density_g_cm3``. Terms that are not given are zero.
    """
    terms: dict[str, float] = {}
    if probe_fwhm_nm:
        terms["probe"] = probe_fwhm_nm / FWHM_PER_SIGMA
    if lamella_thickness_nm:
        if material is not None:
            if material not in MATERIALS:
                raise AnalysisError(f"unknown material {material!r}; known: {', '.join(MATERIALS)}")
            formula, density_g_cm3 = MATERIALS[material]
        if formula is None or density_g_cm3 is None:
            raise AnalysisError("beam spread needs a material, or a formula and a density")
        b = goldstein_b_nm(
            lamella_thickness_nm, formula, density_g_cm3, beam_energy_keV, goldstein_constant
        )
        terms["beam_spread"] = b / B90_PER_SIGMA / 2.0
        if tilt_deg:
            terms["tilt"] = lamella_thickness_nm * math.tan(math.radians(tilt_deg)) / math.sqrt(12)
    if filter_kernel_px and filter_kernel_px > 1 and pixel_nm:
        terms["map_filter"] = pixel_nm * math.sqrt((filter_kernel_px**2 - 1) / 12.0)
    if other_sigma_nm:
        terms["other"] = other_sigma_nm
    total = math.sqrt(sum(v * v for v in terms.values()))
    return Broadening(total, terms, "estimated")


def remove_in_quadrature(sigma_measured_nm: float, sigma_instr_nm: float) -> float:
    """``sqrt(sigma_meas^2 - sigma_instr^2)``; 0 when the instrument explains all of it."""
    d = sigma_measured_nm**2 - sigma_instr_nm**2
    return math.sqrt(d) if d > 0 else 0.0
