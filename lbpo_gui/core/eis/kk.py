"""Lin-KK validity test (Schoenleber et al., Electrochim. Acta 131 (2014) 20), automatic M.

The spectrum is fitted by a Kramers-Kronig compliant model, a series resistance R0, M Voigt
(RC) elements with fixed time constants and a series inductance:

    Z_fit = R0 + sum_k R_k / (1 + j omega tau_k) + j omega L      (+ 1/(j omega C) with add_cap)

tau_1 = 1/omega_max ... tau_M = 1/omega_min, logarithmically spaced. The problem is linear in
(R0, R_k, L): for ``fit_type='real'`` the real parts, divided by |Z|, are solved by the
pseudo-inverse and L (and C) then from the imaginary remainder (as Schoenleber's Lin-KK tool and
impedance.py 1.7 do); ``'imag'`` and ``'complex'`` fit those parts instead. M grows from 1 until
mu = 1 - sum|R_k<0| / sum|R_k>=0| falls to ``c`` or below (over-fitting makes negative
resistances appear). ``add_cap`` adds a series capacitance, needed when the spectrum has no
low-frequency intercept (a blocking or diffusion tail: without it the residuals there reach
~20 %). Residuals are (Z - Z_fit)/|Z|; a valid spectrum keeps them within the
noise (about 1 %) at every frequency.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import LbpoError

DEFAULT_C = 0.85


class KKError(LbpoError, ValueError):
    """Input the Lin-KK test cannot work with."""


@dataclass
class KKResult:
    """The outcome of :func:`lin_kk` (residuals relative to |Z|, dimensionless)."""

    M: int
    mu: float
    c: float
    fit_type: str
    tau_s: np.ndarray
    resistances_ohm: np.ndarray  # R_k of the M RC elements
    r0_ohm: float
    inductance_H: float
    capacitance_F: float | None
    frequency_Hz: np.ndarray
    z_fit: np.ndarray
    residual_real: np.ndarray
    residual_imag: np.ndarray

    @property
    def max_residual_pct(self) -> float:
        """Largest |residual| (real or imaginary), %."""
        return float(
            100 * max(np.max(np.abs(self.residual_real)), np.max(np.abs(self.residual_imag)))
        )

    def to_dict(self) -> dict:
        return {
            "M": self.M,
            "mu": self.mu,
            "max_residual_pct": self.max_residual_pct,
            "c": self.c if np.isfinite(self.c) else None,
            "fit_type": self.fit_type,
            "series_capacitance": self.capacitance_F is not None,
        }


def relative_residuals(z: np.ndarray, z_model: np.ndarray) -> np.ndarray:
    """(Z - Z_model) / |Z|, complex, as a fraction (x 100 for %): the residual convention of
    Lin-KK (Boukamp 1995; Schonleber 2014) and of the fit residual plots."""
    z = np.asarray(z, dtype=complex)
    return (z - np.asarray(z_model, dtype=complex)) / np.abs(z)


def residuals_at_model_frequencies(
    freq_Hz: np.ndarray, z: np.ndarray, model_freq_Hz: np.ndarray, z_model: np.ndarray
) -> np.ndarray:
    """:func:`relative_residuals` of a model evaluated on (a subset of) the measured
    frequencies: each model frequency is matched to its measured point, in either sort order."""
    f = np.asarray(freq_Hz, dtype=float)
    fm = np.asarray(model_freq_Hz, dtype=float)
    idx = np.searchsorted(-f, -fm) if f[0] > f[-1] else np.searchsorted(f, fm)
    idx = np.clip(idx, 0, len(f) - 1)
    return relative_residuals(np.asarray(z)[idx], z_model)


def time_constants(freq_Hz: np.ndarray, M: int) -> np.ndarray:
    """M time constants from 1/omega_max to 1/omega_min, logarithmically spaced, s."""
    t_min = 1.0 / (2 * np.pi * np.max(freq_Hz))
    t_max = 1.0 / (2 * np.pi * np.min(freq_Hz))
    if M == 1:
        return np.array([t_min])
    return np.logspace(np.log10(t_min), np.log10(t_max), M)


def mu_criterion(resistances: np.ndarray) -> float:
    """Schoenleber's mu = 1 - sum|R_k < 0| / sum|R_k >= 0|."""
    r = np.asarray(resistances, dtype=float)
    pos = np.sum(np.abs(r[r >= 0]))
    neg = np.sum(np.abs(r[r < 0]))
    return float(1.0 - neg / pos) if pos > 0 else -np.inf


def _fit(f, z, tau, fit_type, add_cap):
    w = 2 * np.pi * f
    mod = np.abs(z)
    k = 1.0 / (1.0 + 1j * np.outer(w, tau))  # N x M
    n_extra = 2 if add_cap else 1
    a = np.zeros((f.size, 1 + tau.size + n_extra), dtype=complex)
    a[:, 0] = 1.0
    a[:, 1 : 1 + tau.size] = k
    a[:, -1] = 1j * w  # L
    if add_cap:
        a[:, -2] = -1j / w  # 1/C as the coefficient
    a = a / mod[:, None]
    b = z / mod
    if fit_type == "real":
        x = np.zeros(a.shape[1])
        x[: 1 + tau.size] = np.linalg.pinv(a[:, : 1 + tau.size].real) @ b.real
        rest = b.imag - a[:, : 1 + tau.size].imag @ x[: 1 + tau.size]
        x[1 + tau.size :] = np.linalg.pinv(a[:, 1 + tau.size :].imag) @ rest
    elif fit_type == "imag":
        x = np.linalg.pinv(a.imag) @ b.imag
        # R0 from the real remainder, weighted by 1/|Z|^2 (Boukamp 1995, eq. 7)
        z_re = (a.real @ x) * mod - x[0]
        wts = 1.0 / mod**2
        x[0] = np.sum(wts * (z.real - z_re)) / np.sum(wts)
    elif fit_type == "complex":
        lhs = a.real.T @ a.real + a.imag.T @ a.imag
        rhs = a.real.T @ b.real + a.imag.T @ b.imag
        x = np.linalg.solve(lhs, rhs)
    else:
        raise KKError(f"fit_type {fit_type!r}; expected 'real', 'imag' or 'complex'")
    z_fit = (a @ x) * mod
    return x, z_fit


def lin_kk(
    freq_Hz,
    z,
    *,
    c: float | None = DEFAULT_C,
    max_M: int = 50,
    fit_type: str = "real",
    add_cap: bool = False,
) -> KKResult:
    """Lin-KK test of Z(f) (complex ohm). ``c`` = mu cut-off (None: exactly ``max_M``)."""
    f = np.asarray(freq_Hz, dtype=float).ravel()
    zc = np.asarray(z, dtype=complex).ravel()
    if f.size != zc.size or f.size < 3:
        raise KKError("the Lin-KK test needs at least 3 points with matching f and Z")
    if not (np.all(np.isfinite(f)) and np.all(np.isfinite(zc)) and np.all(f > 0)):
        raise KKError("the spectrum holds NaN, infinite values or frequencies <= 0")
    Ms = [max_M] if c is None else range(1, max_M + 1)
    for M in Ms:
        tau = time_constants(f, M)
        x, z_fit = _fit(f, zc, tau, fit_type, add_cap)
        mu = mu_criterion(x[1 : 1 + M])
        if c is None or mu <= c:
            break
    res = relative_residuals(zc, z_fit)
    cap = None
    if add_cap:
        cap = float(1.0 / x[-2]) if x[-2] != 0 else float("inf")
    return KKResult(
        M=int(M),
        mu=float(mu),
        c=float(c) if c is not None else float("nan"),
        fit_type=fit_type,
        tau_s=tau,
        resistances_ohm=x[1 : 1 + M].copy(),
        r0_ohm=float(x[0]),
        inductance_H=float(x[-1]),
        capacitance_F=cap,
        frequency_Hz=f,
        z_fit=z_fit,
        residual_real=res.real,
        residual_imag=res.imag,
    )
