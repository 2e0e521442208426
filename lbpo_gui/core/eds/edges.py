"""Edge shapes of an element across an interface and the width conventions that go with them.

An element across an abrupt interface blurred by a Gaussian of standard deviation ``sigma``
(probe, beam spread, interdiffusion) follows ``I(x) = B + A * Phi(d * (x - mu) / sigma)`` with
``Phi`` the standard normal CDF and ``d = +1`` for a rising, ``-1`` for a falling signal. ``mu``
is the 50 % point (the "edge centre"). Widths between quantile levels are multiples of sigma:
10-90 % = 2.563 sigma (the width reported here), 16-84 % = 2 sigma, FWHM of dI/dx = 2.355 sigma.
An erfc written as ``1/2 erfc((x - mu)/w)`` has ``w = sqrt(2) sigma``.

An interphase with its own plateau between ``a`` and ``b`` (a box blurred by Gaussians at both
boundaries) is ``L Phi(-(x-a)/sa) + M [Phi((x-a)/sa) - Phi((x-b)/sb)] + R Phi((x-b)/sb)``: the
left, middle and right levels of each element, with the boundaries shared by all elements.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr, ndtri

#: 10-90 % width of an erf edge in units of its sigma: 2 * Phi^-1(0.9).
WIDTH_10_90_PER_SIGMA = float(2.0 * ndtri(0.9))


def phi(z: np.ndarray) -> np.ndarray:
    """Standard normal CDF."""
    return ndtr(z)


def width_10_90(sigma_nm: float) -> float:
    """10-90 % width (nm) of an erf edge of Gaussian width ``sigma_nm``."""
    return WIDTH_10_90_PER_SIGMA * float(sigma_nm)


def theta_offset(theta: float) -> float:
    """``-Phi^-1(theta)``: how many edge sigmas the theta-level overlap extends beyond T50 on each
    side (1.2816 for theta = 0.1, 0 for 0.5, negative above 0.5)."""
    if not 0.0 < theta < 1.0:
        raise ValueError(f"theta must be between 0 and 1, got {theta}")
    return float(-ndtri(theta))


def erf_edge(
    x: np.ndarray, center_nm: float, sigma_nm: float, amplitude: float, background: float, d: int
) -> np.ndarray:
    """``B + A Phi(d (x - mu) / sigma)`` (``d = +1`` rising, ``-1`` falling)."""
    return background + amplitude * ndtr(d * (np.asarray(x, float) - center_nm) / sigma_nm)


def box_edges(
    x: np.ndarray, a_nm: float, sigma_a_nm: float, b_nm: float, sigma_b_nm: float
) -> np.ndarray:
    """The three basis curves (n, 3) of a blurred box between ``a`` and ``b``: left level,
    middle (interphase) level, right level."""
    x = np.asarray(x, float)
    pa = ndtr((x - a_nm) / sigma_a_nm)
    pb = ndtr((x - b_nm) / sigma_b_nm)
    return np.stack([1.0 - pa, pa - pb, pb], axis=-1)
