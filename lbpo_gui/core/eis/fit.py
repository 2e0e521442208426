"""Complex nonlinear least squares of a circuit to a spectrum.

The residual vector stacks (Z_fit - Z_data).real / sigma_re and .imag / sigma_im (see
:mod:`.weighting`); ``scipy.optimize.least_squares`` (trust-region reflective) minimises its sum
of squares. Strictly positive parameters (R, C, Q, Y0, tau, L) are fitted as their logarithm, so
steps are relative and a start a decade off converges; their bounds stay in natural units. The
Jacobian is a forward difference of the vectorised model (one model call per free parameter).

Reported: values; standard errors from the covariance ``(J^T J)^-1 chi2_red`` at the optimum
(rescaled from log to natural units, sigma_p = p sigma_ln p); the correlation matrix of the free
parameters; chi-square (sum of squared weighted residuals) and reduced chi-square (over
2N - n_free); relative residuals (Z_data - Z_fit)/|Z_fit| in %; warnings for a parameter at a bound
or not determined by the data (a singular direction, or sigma > its value).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import least_squares

from ..errors import LbpoError
from .circuit import Circuit, with_values
from .elements import Frequencies, element_kind
from .model import compile_circuit
from .weighting import DEFAULT_WEIGHTING, check_weighting


class FitError(LbpoError, ValueError):
    """A fit that cannot start (no points, NaN data) or that failed."""


@dataclass
class ParameterResult:
    """One fitted parameter (``stderr`` is NaN when fixed or undetermined)."""

    element: str
    name: str
    value: float
    stderr: float
    unit: str
    fixed: bool
    lower: float
    upper: float

    def to_dict(self) -> dict:
        return {
            "element": self.element,
            "name": self.name,
            "value": self.value,
            "stderr": None if not math.isfinite(self.stderr) else self.stderr,
            "unit": self.unit,
            "fixed": self.fixed,
        }


@dataclass
class FitResult:
    """The outcome of :func:`fit_circuit`. ``circuit`` carries the fitted values."""

    circuit: Circuit
    weighting: str
    parameters: list[ParameterResult]
    chi_square: float
    reduced_chi_square: float
    correlation: np.ndarray  # free parameters x free parameters
    free_names: list[str]  # "R1.R", "Q1.n" ... of the correlation rows
    frequency_Hz: np.ndarray  # points used (after masking)
    z_data: np.ndarray
    z_fit: np.ndarray
    residual_real_pct: np.ndarray
    residual_imag_pct: np.ndarray
    n_points: int
    n_free: int
    success: bool
    message: str
    nfev: int
    starts_tried: int = 1
    warnings: list[str] = field(default_factory=list)

    def values(self) -> list[float]:
        return [p.value for p in self.parameters]

    def value(self, element: str, name: str) -> float:
        for p in self.parameters:
            if p.element == element and p.name == name:
                return p.value
        raise KeyError(f"{element}.{name}")


def frequency_mask(
    freq_Hz: np.ndarray, fmin: float | None = None, fmax: float | None = None
) -> np.ndarray:
    """Boolean mask of the points with fmin <= f <= fmax (None = no limit)."""
    f = np.asarray(freq_Hz, dtype=float)
    keep = np.ones(f.shape, dtype=bool)
    if fmin is not None:
        keep &= f >= fmin
    if fmax is not None:
        keep &= f <= fmax
    return keep


def prepare_data(
    freq_Hz: Sequence[float],
    z: Sequence[complex],
    fmin: float | None = None,
    fmax: float | None = None,
    mask: Sequence[bool] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Checked, masked (f, Z) arrays; FitError for NaN/inf, non-positive f or too few points."""
    f = np.asarray(freq_Hz, dtype=float).ravel()
    zc = np.asarray(z, dtype=complex).ravel()
    if f.shape != zc.shape:
        raise FitError(f"{f.size} frequencies but {zc.size} impedances")
    if not (np.all(np.isfinite(f)) and np.all(np.isfinite(zc))):
        bad = int(np.count_nonzero(~(np.isfinite(f) & np.isfinite(zc))))
        raise FitError(f"the spectrum holds {bad} NaN or infinite value(s)")
    if np.any(f <= 0):
        raise FitError("frequencies must be greater than 0 Hz")
    keep = frequency_mask(f, fmin, fmax)
    if mask is not None:
        keep &= np.asarray(mask, dtype=bool)
    if np.count_nonzero(keep) < 2:
        raise FitError("fewer than 2 points left in the frequency range")
    return f[keep], zc[keep]


class _Problem:
    """The free-parameter transform and the residual function of one fit."""

    def __init__(self, circuit: Circuit, f: np.ndarray, z: np.ndarray, weighting: str):
        self.circuit = circuit
        self.model = compile_circuit(circuit)
        self.fn = self.model.bind(Frequencies(f))
        self.z = z
        self.weighting = weighting
        pars = circuit.parameters()
        self.full = np.array([p.value for _, p in pars], dtype=float)
        self.free = [i for i, (_, p) in enumerate(pars) if not p.fixed]
        specs = [next(s for s in element_kind(e.kind).params if s.name == p.name) for e, p in pars]
        self.log = np.array(
            [specs[i].positive and pars[i][1].lower >= 0 for i in self.free], dtype=bool
        )
        lo = np.array([pars[i][1].lower for i in self.free], dtype=float)
        hi = np.array([pars[i][1].upper for i in self.free], dtype=float)
        self.lower, self.upper = lo, hi
        with np.errstate(divide="ignore"):
            self.xlo = np.where(self.log, np.log(np.where(lo > 0, lo, 0.0)), lo)
            self.xhi = np.where(self.log, np.log(hi), hi)
        self.xlo = np.where(self.log & (lo <= 0), -np.inf, self.xlo)
        if weighting in ("data-modulus", "boukamp"):
            s = np.abs(z)
            self.w_re = self.w_im = 1.0 / s
        elif weighting == "unit":
            self.w_re = self.w_im = np.ones(z.size)
        else:
            self.w_re = self.w_im = None

    def to_x(self, values: np.ndarray) -> np.ndarray:
        v = np.asarray(values, dtype=float)[self.free]
        tiny = np.where(self.lower > 0, self.lower, 1e-300)
        v = np.where(self.log, np.maximum(v, tiny), v)
        x = np.where(self.log, np.log(np.where(self.log, v, 1.0)), v)
        # strictly inside the bounds, as least_squares requires
        span = np.where(np.isfinite(self.xhi - self.xlo), self.xhi - self.xlo, 1.0)
        eps = 1e-9 * np.maximum(span, 1e-300)
        return np.clip(x, self.xlo + eps, self.xhi - eps)

    def to_values(self, x: np.ndarray) -> np.ndarray:
        full = self.full.copy()
        full[self.free] = np.where(self.log, np.exp(np.where(self.log, x, 0.0)), x)
        return full

    def residual(self, x: np.ndarray) -> np.ndarray:
        zc = self.fn(self.to_values(x))
        d = zc - self.z
        if self.w_re is not None:
            return np.concatenate((d.real * self.w_re, d.imag * self.w_im))
        if self.weighting == "calc-modulus":
            inv = 1.0 / np.abs(zc)
            return np.concatenate((d.real * inv, d.imag * inv))
        # proportional: guard points where a component crosses zero
        floor = 1e-12 * np.abs(zc) + 1e-300
        return np.concatenate(
            (
                d.real / np.maximum(np.abs(zc.real), floor),
                d.imag / np.maximum(np.abs(zc.imag), floor),
            )
        )


def _covariance(jac: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """(covariance, singular flags per parameter) from the Jacobian by SVD."""
    _, s, vt = np.linalg.svd(jac, full_matrices=False)
    if s.size == 0:
        return np.zeros((0, 0)), np.zeros(0, dtype=bool)
    threshold = np.finfo(float).eps * max(jac.shape) * s[0]
    good = s > threshold
    vt_good = vt[good]
    cov = (vt_good.T / s[good] ** 2) @ vt_good * scale
    # a parameter takes part in a dropped direction
    singular = np.zeros(jac.shape[1], dtype=bool)
    if np.any(~good):
        singular = np.any(np.abs(vt[~good]) > 0.1, axis=0)
    return cov, singular


def _run(problem: _Problem, start: np.ndarray, max_nfev: int | None):
    x0 = problem.to_x(start)
    if x0.size == 0:
        return None, x0
    sol = least_squares(
        problem.residual,
        x0,
        bounds=(problem.xlo, problem.xhi),
        method="trf",
        x_scale="jac",
        xtol=1e-10,
        ftol=1e-10,
        gtol=1e-10,
        max_nfev=max_nfev,
    )
    return sol, sol.x


def fit_circuit(
    circuit: Circuit,
    freq_Hz: Sequence[float],
    z: Sequence[complex],
    *,
    weighting: str = DEFAULT_WEIGHTING,
    fmin: float | None = None,
    fmax: float | None = None,
    mask: Sequence[bool] | None = None,
    starts: Sequence[Sequence[float]] | None = None,
    max_nfev: int | None = 2000,
) -> FitResult:
    """Fit ``circuit`` (its values are the start, its bounds and fixed flags apply) to the
    spectrum ``Z(freq_Hz)`` (complex ohm, Z'' negative for capacitive).

    ``starts``: further start vectors (circuit order, all parameters); the fit from each is run
    and the lowest chi-square kept. ``fmin``/``fmax``/``mask`` select the points used.
    Raises :class:`FitError` on bad data or when no start gives a finite chi-square.
    """
    weighting = check_weighting(weighting)
    f, zd = prepare_data(freq_Hz, z, fmin, fmax, mask)
    problem = _Problem(circuit, f, zd, weighting)
    candidates = [problem.full.copy()] + [np.asarray(s, dtype=float) for s in (starts or [])]
    best = None
    for start in candidates:
        if start.shape != problem.full.shape:
            raise FitError(f"a start has {start.size} values, the circuit {problem.full.size}")
        start = np.where(
            [p.fixed for _, p in circuit.parameters()], problem.full, start
        )  # fixed stay fixed
        try:
            with np.errstate(all="ignore"):
                sol, x = _run(problem, start, max_nfev)
        except (ValueError, FloatingPointError, np.linalg.LinAlgError):
            continue
        cost = float("inf") if sol is None else 2.0 * sol.cost
        if sol is None:
            cost = float(np.sum(problem.residual(x) ** 2))
        if math.isfinite(cost) and (best is None or cost < best[0]):
            best = (cost, sol, x)
    if best is None:
        raise FitError("the fit failed from every start (the model gives no finite impedance)")
    with np.errstate(all="ignore"):
        result = _result(problem, best[1], best[2], f, zd)
    result.starts_tried = len(candidates)
    return result


def _result(problem: _Problem, sol, x: np.ndarray, f: np.ndarray, zd: np.ndarray) -> FitResult:
    values = problem.to_values(x)
    fitted = with_values(problem.circuit, values)
    zf = problem.fn(values)
    r = problem.residual(x) if x.size else problem.residual(x)
    chi2 = float(np.sum(r**2))
    n_free = len(problem.free)
    dof = max(2 * zd.size - n_free, 1)
    red = chi2 / dof
    se_full = np.full(values.size, np.nan)
    corr = np.zeros((n_free, n_free))
    warnings: list[str] = []
    pars = problem.circuit.parameters()
    names = [f"{e.id}.{p.name}" for e, p in pars]
    if n_free:
        cov, singular = _covariance(sol.jac, red)
        se_x = np.sqrt(np.clip(np.diag(cov), 0.0, None))
        se = np.where(problem.log, values[problem.free] * se_x, se_x)
        se = np.where(singular, np.nan, se)
        se_full[problem.free] = se
        with np.errstate(invalid="ignore", divide="ignore"):
            d = np.sqrt(np.diag(cov))
            corr = cov / np.outer(d, d)
        corr = np.where(np.isfinite(corr), corr, np.nan)
        for k, i in enumerate(problem.free):
            lo, hi = problem.lower[k], problem.upper[k]
            v = values[i]
            tol = 1e-6 * max(abs(v), 1e-300)
            if (math.isfinite(lo) and lo != 0 and abs(v - lo) <= tol) or (
                math.isfinite(hi) and abs(v - hi) <= tol
            ):
                warnings.append(f"{names[i]} = {v:.4g} is at its bound; widen it or fix it")
            elif singular[k] or not math.isfinite(se[k]):
                warnings.append(f"{names[i]} is not determined by the data (no standard error)")
            elif abs(se[k]) > abs(v) and v != 0:
                warnings.append(
                    f"{names[i]} is poorly determined (standard error {se[k]:.3g} > value {v:.3g})"
                )
    params = []
    for i, (e, p) in enumerate(pars):
        spec = next(s for s in element_kind(e.kind).params if s.name == p.name)
        params.append(
            ParameterResult(
                e.id,
                p.name,
                float(values[i]),
                float(se_full[i]),
                spec.unit,
                p.fixed,
                p.lower,
                p.upper,
            )
        )
    mod = np.abs(zf)
    success = bool(sol.success) if sol is not None else True
    message = str(sol.message) if sol is not None else "all parameters fixed"
    if not success:
        warnings.append(f"the optimiser stopped early: {message}")
    return FitResult(
        circuit=fitted,
        weighting=problem.weighting,
        parameters=params,
        chi_square=chi2,
        reduced_chi_square=red,
        correlation=corr,
        free_names=[names[i] for i in problem.free],
        frequency_Hz=f,
        z_data=zd,
        z_fit=zf,
        residual_real_pct=100.0 * (zd.real - zf.real) / mod,
        residual_imag_pct=100.0 * (zd.imag - zf.imag) / mod,
        n_points=int(zd.size),
        n_free=n_free,
        success=success,
        message=message,
        nfev=int(sol.nfev) if sol is not None else 0,
        warnings=warnings,
    )
