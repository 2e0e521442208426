"""Static XPS backgrounds computed from the data of a region (binding energy ascending).

Conventions: x is binding energy (eV) ascending, y the count rate (cps). The low-BE end of the
region carries no inelastic background; the background rises towards high BE. End intensities
are averages of ``average_points`` points at each end (the CasaXPS "average width").

- :func:`linear_background`: the straight line between the two end averages.
- :func:`shirley_background`: iterative Shirley (Shirley 1972; Proctor & Sherwood 1982):
  B_0 = I_lo; B_n(E) = I_lo + k_n A_n(E) with A_n(E) = integral from E_lo to E of (y - B_{n-1})
  (cumulative trapezoid) and k_n = (I_hi - I_lo) / A_n(E_hi). **Convergence criterion:**
  max |B_n - B_{n-1}| < ``tol`` x |I_hi - I_lo| (default 1e-6), at most ``max_iter`` (50)
  iterations. When I_hi <= I_lo (a background that falls with BE) the Shirley form does not apply
  and the linear background is returned (``ShirleyResult.method == "linear"``, as Avantage
  "Smart" and KherveFitting do).
- :func:`tougaard_background`: B(E) = J_lo + B * integral from E_lo to E of
  K(E - E') [J(E') - J_lo] dE', with the universal cross-section U2, K(T) = T / (C + T^2)^2, or
  the three-parameter U3, K(T) = T / ((C - T^2)^2 + D T^2) (Tougaard 1997). ``B`` (eV^2) as
  given (CasaXPS stores it in the region record), or, when None, scaled so that the background
  meets the high-BE end average.

The active Shirley background, fitted together with the peaks, lives in :mod:`.fit`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def end_levels(
    y: np.ndarray,
    average_points: int = 5,
    start_offset_pct: float = 0.0,
    end_offset_pct: float = 0.0,
) -> tuple[float, float]:
    """``(I_lo, I_hi)``: mean of the first and last ``average_points`` values, each lowered by its
    CasaXPS offset in % of itself."""
    y = np.asarray(y, dtype=float)
    n = max(1, min(int(average_points), y.size // 2 or 1))
    lo = float(np.mean(y[:n])) * (1.0 - start_offset_pct / 100.0)
    hi = float(np.mean(y[-n:])) * (1.0 - end_offset_pct / 100.0)
    return lo, hi


def cumulative_trapezoid(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
    """Integral of ``y`` from x[0] to each x (same length as x, starting at 0)."""
    y = np.asarray(y, dtype=float)
    dx = np.diff(np.asarray(x, dtype=float))
    ym = np.moveaxis(y, axis, -1)
    seg = 0.5 * (ym[..., 1:] + ym[..., :-1]) * dx
    out = np.concatenate([np.zeros(ym.shape[:-1] + (1,)), np.cumsum(seg, axis=-1)], axis=-1)
    return np.moveaxis(out, -1, axis)


def linear_background(x: np.ndarray, y: np.ndarray, *, average_points: int = 5) -> np.ndarray:
    """Straight line from the low-BE end average to the high-BE end average."""
    x = np.asarray(x, dtype=float)
    lo, hi = end_levels(y, average_points)
    if x[-1] == x[0]:
        return np.full_like(x, lo)
    return lo + (hi - lo) * (x - x[0]) / (x[-1] - x[0])


@dataclass
class ShirleyResult:
    """An iterative Shirley background and how it converged."""

    background: np.ndarray
    iterations: int
    converged: bool
    method: str = "shirley"


def shirley_background(
    x: np.ndarray,
    y: np.ndarray,
    *,
    average_points: int = 5,
    start_offset_pct: float = 0.0,
    end_offset_pct: float = 0.0,
    tol: float = 1e-6,
    max_iter: int = 50,
) -> ShirleyResult:
    """Iterative (Proctor-Sherwood) Shirley background; see the module docstring."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    lo, hi = end_levels(y, average_points, start_offset_pct, end_offset_pct)
    step = hi - lo
    if step <= 0:
        return ShirleyResult(
            linear_background(x, y, average_points=average_points), 0, True, "linear"
        )
    b = np.full_like(y, lo)
    for it in range(1, max_iter + 1):
        a = cumulative_trapezoid(x, y - b)
        if a[-1] <= 0:
            return ShirleyResult(
                linear_background(x, y, average_points=average_points), it, False, "linear"
            )
        new = lo + step / a[-1] * a
        change = float(np.max(np.abs(new - b)))
        b = new
        if change < tol * step:
            return ShirleyResult(b, it, True)
    return ShirleyResult(b, max_iter, False)


#: Universal cross-section constants (Tougaard 1997): U2 C, and U3 (C, D) of polymers, the
#: CasaXPS default.
TOUGAARD_U2_C = 1643.0
TOUGAARD_U3_POLYMER = (551.0, 436.0)


def tougaard_kernel(t: np.ndarray, kind: str = "U3", c: float = 551.0, d: float = 436.0):
    """K(T)/B of the U2 or U3 cross-section at energy losses ``t`` (eV), zero for T <= 0."""
    t = np.asarray(t, dtype=float)
    if kind == "U2":
        k = t / (c + t * t) ** 2
    elif kind == "U3":
        k = t / ((c - t * t) ** 2 + d * t * t)
    else:
        raise ValueError(f"unknown Tougaard cross-section {kind!r}; expected U2 or U3")
    return np.where(t > 0, k, 0.0)


def tougaard_background(
    x: np.ndarray,
    y: np.ndarray,
    *,
    kind: str = "U3",
    b: float | None = None,
    c: float = 551.0,
    d: float = 436.0,
    average_points: int = 5,
) -> np.ndarray:
    """Tougaard background of the region (see the module docstring).

    The energy axis is resampled to its mean step for the loss integral (a discrete convolution)
    and the result interpolated back, so irregular axes work too.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    lo, hi = end_levels(y, average_points)
    n = x.size
    h = (x[-1] - x[0]) / (n - 1) if n > 1 else 1.0
    grid = x[0] + h * np.arange(n)
    j = np.interp(grid, x, y) - lo
    kern = tougaard_kernel(h * np.arange(n), kind, c, d)
    # B_i = sum_{k<i} K((i-k) h) (J_k - J_lo) h, trapezoid end weights folded in
    conv = np.convolve(j, kern)[:n] * h
    if b is None:
        b = (hi - lo) / conv[-1] if conv[-1] != 0 else 0.0
    return lo + b * np.interp(x, grid, conv)
