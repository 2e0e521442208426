"""The overlap width read directly from the profiles at a chosen level (what an analyst reads by
eye "where cathode and electrolyte signals overlap").

1. Normalise every element by its plateaus (:mod:`.normalise`) and average the markers of each
   side: ``C(x)`` (cathode fraction) and ``E(x)`` (electrolyte fraction).
2. Smooth both lightly with a Gaussian of ``smoothing_nm`` (0.5 nm by default; it does not move
   the 50 % points but widens readings below 50 %).
3. Take the contiguous region around the maximum of ``C * E`` where ``min(C, E) >= theta`` and
   find its ends by linear interpolation. Its width is ``W_theta``.

``W_0.5`` estimates T50; ``W_0.1`` estimates ``T10 = T50 + 1.28 (sigma_c + sigma_e)`` and so
contains the instrument's broadening. There is no analytic standard error for a reading; the
fit's (:mod:`.fit`) or a parametric bootstrap is the honest one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.ndimage import gaussian_filter1d

from ..errors import AnalysisError
from .normalise import side_fraction


@dataclass(frozen=True)
class OverlapReading:
    """A threshold reading: the region where both sides are >= ``theta`` of their bulk."""

    theta: float
    width_nm: float
    start_nm: float | None
    end_nm: float | None
    smoothing_nm: float
    reaches_end: bool  # the region runs into an end of the profile (width is a lower bound)

    def to_dict(self) -> dict[str, float | bool | None]:
        return {
            "theta": self.theta,
            "width_nm": self.width_nm,
            "start_nm": self.start_nm,
            "end_nm": self.end_nm,
            "smoothing_nm": self.smoothing_nm,
            "reaches_end": self.reaches_end,
        }


def _edge(x: np.ndarray, m: np.ndarray, i_in: int, i_out: int, theta: float) -> float:
    """Where ``m`` crosses ``theta`` between an inside index and the outside one next to it."""
    a, b = m[i_in], m[i_out]
    if a == b:
        return float(x[i_in])
    return float(x[i_in] + (theta - a) * (x[i_out] - x[i_in]) / (b - a))


def overlap_width(
    x_nm: np.ndarray,
    signals: Mapping[str, np.ndarray],
    cathode: Sequence[str],
    electrolyte: Sequence[str],
    *,
    theta: float = 0.5,
    smoothing_nm: float = 0.5,
    plateau_fraction: float = 0.2,
) -> OverlapReading:
    """``W_theta`` read from the smoothed normalised profiles (see the module doc)."""
    if not 0.0 < theta < 1.0:
        raise AnalysisError(f"theta must be between 0 and 1, got {theta}")
    x = np.asarray(x_nm, dtype=float)
    order = np.argsort(x)
    x = x[order]
    sig = {e: np.asarray(signals[e], float)[order] for e in (*cathode, *electrolyte)}
    c = side_fraction(sig, cathode, plateau_fraction)
    e = side_fraction(sig, electrolyte, plateau_fraction)
    ok = np.isfinite(c) & np.isfinite(e)
    x, c, e = x[ok], c[ok], e[ok]
    step = float(np.median(np.diff(x)))
    if smoothing_nm > 0:
        c = gaussian_filter1d(c, smoothing_nm / step, mode="nearest")
        e = gaussian_filter1d(e, smoothing_nm / step, mode="nearest")
    m = np.minimum(c, e)
    peak = int(np.argmax(c * e))
    if m[peak] < theta:
        return OverlapReading(theta, 0.0, None, None, smoothing_nm, False)
    lo = peak
    while lo > 0 and m[lo - 1] >= theta:
        lo -= 1
    hi = peak
    while hi < len(m) - 1 and m[hi + 1] >= theta:
        hi += 1
    start = float(x[0]) if lo == 0 else _edge(x, m, lo, lo - 1, theta)
    end = float(x[-1]) if hi == len(m) - 1 else _edge(x, m, hi, hi + 1, theta)
    reaches = lo == 0 or hi == len(m) - 1
    return OverlapReading(theta, end - start, start, end, smoothing_nm, reaches)
