"""Synthetic EDS line profiles for the tests: erf edges with Poisson noise (the notes' benchmark).

Bulk counts per pixel at "normal dose" (1.0): Ni 150, Co 30, S 120, P 30 with 4-6 % background;
edge sigma sqrt(0.5^2 + 1^2) = 1.12 nm; 25 nm of bulk on each side of the interlayer.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

SIGMA_NM = float(np.hypot(0.5, 1.0))
#: element -> (amplitude, background, side)
COUNTS = {
    "Ni": (150.0, 8.0, "cathode"),
    "Co": (30.0, 2.0, "cathode"),
    "S": (120.0, 6.0, "electrolyte"),
    "P": (30.0, 1.5, "electrolyte"),
}


def profile(
    t50_nm: float,
    step_nm: float,
    *,
    dose: float = 1.0,
    sigma_c: float = SIGMA_NM,
    sigma_e: float = SIGMA_NM,
    rng: np.random.Generator | None = None,
    cathode_left: bool = True,
    bulk_nm: float = 25.0,
) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, float]]:
    """(x, signals, truth): cathode on the left (falling) unless ``cathode_left`` is False."""
    x = np.arange(0.0, 2 * bulk_nm + t50_nm + 1e-9, step_nm)
    mid = x[-1] / 2
    s = 1 if cathode_left else -1
    x_c, x_e = mid + s * t50_nm / 2, mid - s * t50_nm / 2
    out = {}
    for el, (amp, bkg, side) in COUNTS.items():
        if side == "cathode":
            mu = dose * (bkg + amp * ndtr(-s * (x - x_c) / sigma_c))
        else:
            mu = dose * (bkg + amp * ndtr(s * (x - x_e) / sigma_e))
        out[el] = rng.poisson(mu).astype(float) if rng is not None else mu
    return x, out, {"x_c": x_c, "x_e": x_e, "sigma_c": sigma_c, "sigma_e": sigma_e}
