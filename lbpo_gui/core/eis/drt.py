"""Distribution of relaxation times by Tikhonov-regularised non-negative least squares.

Model (a fine Voigt series on a log-spaced tau grid, 20 points per decade, one decade beyond
the measured 1/omega range each side):

    Z(omega) = R_inf + sum_k R_k / (1 + j omega tau_k),    R_inf >= 0, R_k >= 0

R_k = gamma(ln tau_k) * d(ln tau) is the resistance in the k-th bin. Real and imaginary parts
are fitted together, each divided by |Z| (relative errors, as the Lin-KK test), with the penalty
lambda * ||D R / max|Z| ||^2, D the second difference along ln tau (a smooth distribution), solved by
``scipy.optimize.nnls`` on the stacked system.

**lambda is chosen by generalised cross-validation (GCV)**: for each lambda of a log grid
(1e-9 ... 0.1) the NNLS solution is found and GCV(lambda) = n ||r||^2 / (n - tr H)^2 evaluated
with H = A (A^T A + lambda D^T D)^-1 A^T the influence matrix of the unconstrained Tikhonov
problem (as pyDRTtools does); the lambda with the smallest GCV is kept and stated.

Peaks: local maxima of gamma along ln tau above 0.2 % of the largest (a diffusion tail can
dwarf an arc); each peak's tau is refined
by a parabola through the three bins around the maximum, and its resistance is the sum of R_k
between the minima on either side; peaks under 1 % of the total resistance are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import nnls

from ..errors import LbpoError

POINTS_PER_DECADE = 20
LAMBDAS = np.logspace(-9, -1, 17)
PEAK_FLOOR = 0.002
#: Peaks holding less than this fraction of the total resistance are noise, not arcs.
MIN_PEAK_FRACTION = 0.01


class DRTError(LbpoError, ValueError):
    """Input the DRT cannot work with."""


@dataclass
class DRTPeak:
    tau_s: float
    R_ohm: float
    frequency_Hz: float

    def to_dict(self) -> dict:
        return {"tau_s": self.tau_s, "R_ohm": self.R_ohm, "frequency_Hz": self.frequency_Hz}


@dataclass
class DRTResult:
    """gamma(tau) (ohm per unit ln tau), R_inf, the chosen lambda and the peaks."""

    tau_s: np.ndarray
    gamma_ohm: np.ndarray
    resistances_ohm: np.ndarray
    r_inf_ohm: float
    lambda_: float
    method: str
    peaks: list[DRTPeak]
    frequency_Hz: np.ndarray
    z_fit: np.ndarray
    gcv: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "lambda": self.lambda_,
            "lambda_method": self.method,
            "r_inf_ohm": self.r_inf_ohm,
            "peaks": [p.to_dict() for p in self.peaks],
        }


def _tau_grid(f: np.ndarray) -> np.ndarray:
    lo = np.log10(1 / (2 * np.pi * f.max())) - 1
    hi = np.log10(1 / (2 * np.pi * f.min())) + 1
    n = int(round((hi - lo) * POINTS_PER_DECADE)) + 1
    return np.logspace(lo, hi, n)


def _second_difference(n: int) -> np.ndarray:
    d = np.zeros((n - 2, n))
    i = np.arange(n - 2)
    d[i, i], d[i, i + 1], d[i, i + 2] = 1.0, -2.0, 1.0
    return d


def _solve(a: np.ndarray, b: np.ndarray, reg: np.ndarray, lam: float):
    lhs = np.vstack([a, np.sqrt(lam) * reg])
    rhs = np.concatenate([b, np.zeros(reg.shape[0])])
    x, _ = nnls(lhs, rhs, maxiter=50 * lhs.shape[1])
    r = a @ x - b
    # the influence matrix of the linear Tikhonov problem (as pyDRTtools' GCV): the
    # active-set version rewards sparse spiky solutions and always picks the smallest lambda
    try:
        inner = np.linalg.solve(a.T @ a + lam * reg.T @ reg, a.T)
        trace = float(np.einsum("ij,ji->", a, inner))
    except np.linalg.LinAlgError:
        trace = float(np.count_nonzero(x))
    n = b.size
    gcv = n * float(r @ r) / max(n - trace, 1e-9) ** 2
    return x, gcv


def _peaks(tau: np.ndarray, gamma: np.ndarray, res: np.ndarray) -> list[DRTPeak]:
    if gamma.max() <= 0:
        return []
    lnt = np.log(tau)
    idx = [
        i
        for i in range(gamma.size)
        if gamma[i] > PEAK_FLOOR * gamma.max()
        and (i == 0 or gamma[i] > gamma[i - 1])
        and (i == gamma.size - 1 or gamma[i] >= gamma[i + 1])
    ]
    out = []
    for k, i in enumerate(idx):
        lo = 0 if k == 0 else idx[k - 1] + int(np.argmin(gamma[idx[k - 1] : i + 1]))
        hi = gamma.size - 1 if k == len(idx) - 1 else i + int(np.argmin(gamma[i : idx[k + 1] + 1]))
        t = lnt[i]
        if 0 < i < gamma.size - 1:
            y0, y1, y2 = gamma[i - 1], gamma[i], gamma[i + 1]
            den = y0 - 2 * y1 + y2
            if den < 0:
                t = lnt[i] + 0.5 * (y0 - y2) / den * (lnt[1] - lnt[0])
        r = float(res[lo : hi + 1].sum()) if k == 0 else float(res[lo + 1 : hi + 1].sum())
        out.append(DRTPeak(float(np.exp(t)), r, float(1 / (2 * np.pi * np.exp(t)))))
    return out


def drt(freq_Hz, z, *, lambda_: float | None = None) -> DRTResult:
    """The DRT of Z(f) (complex ohm). ``lambda_`` None: chosen by GCV (see the module)."""
    f = np.asarray(freq_Hz, dtype=float).ravel()
    zc = np.asarray(z, dtype=complex).ravel()
    if f.size < 5 or f.size != zc.size:
        raise DRTError("the DRT needs at least 5 points with matching f and Z")
    if not (np.all(np.isfinite(f)) and np.all(np.isfinite(zc)) and np.all(f > 0)):
        raise DRTError("the spectrum holds NaN, infinite values or frequencies <= 0")
    tau = _tau_grid(f)
    w = 2 * np.pi * f
    k = 1.0 / (1.0 + 1j * np.outer(w, tau))
    mod = np.abs(zc)
    a_c = np.hstack([np.ones((f.size, 1)), k]) / mod[:, None]
    a = np.vstack([a_c.real, a_c.imag])
    b = np.concatenate([zc.real / mod, zc.imag / mod])
    # the penalty acts on R_k / max|Z| so that lambda does not depend on the spectrum's scale
    reg = np.hstack([np.zeros((tau.size - 2, 1)), _second_difference(tau.size)]) / mod.max()
    gcv_curve: dict = {}
    if lambda_ is None:
        best = None
        for lam in LAMBDAS:
            x, g = _solve(a, b, reg, lam)
            gcv_curve[float(lam)] = g
            if best is None or g < best[0]:
                best = (g, lam, x)
        _, lam, x = best
        method = "GCV"
    else:
        lam = float(lambda_)
        x, _ = _solve(a, b, reg, lam)
        method = "given"
    res = x[1:]
    dln = np.log(tau[1] / tau[0])
    gamma = res / dln
    z_fit = (a_c @ x) * mod
    peaks = [p for p in _peaks(tau, gamma, res) if p.R_ohm >= MIN_PEAK_FRACTION * res.sum()]
    return DRTResult(tau, gamma, res, float(x[0]), float(lam), method, peaks, f, z_fit, gcv_curve)
