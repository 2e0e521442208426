"""Fit one XPS region: one vectorised model, constraints as re-parametrisation, least squares.

The model of the count rate in the window is y(E) = B(E) + sum over lines A_l f_l(E; E_l, F_l)
with unit-area line shapes f (:mod:`.lineshapes`). Every line's position, FWHM and area is an
*affine* function of the free parameter vector theta: windows and fixed values are bounds and
constants, doublets and links (:mod:`.model`) are fixed matrices. So the Jacobian is analytic:
dy/dtheta = [dy/dE_l, dy/dF_l, dy/dA_l] @ M. Backgrounds: static ones (linear, Shirley, Tougaard)
are computed from the data first; the active Shirley background B = b_lo [+ s (E - E_lo)] +
k * integral from E_lo to E of the peaks is part of the model (b_lo, s, k free).

Residuals are weighted by the Poisson standard deviation of the data, sigma = sqrt(max(y, 1 /
exposure) / exposure) with ``exposure_s`` = dwell x scans (1 s when unknown: then the reduced
chi-square is only relative). Solver: ``scipy.optimize.least_squares`` (trust region
reflective, bounds). Standard errors come from the covariance (J^T J)^-1 x reduced chi-square,
propagated to every component quantity and to the area percentages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import optimize

from .backgrounds import (
    cumulative_trapezoid,
    end_levels,
    linear_background,
    shirley_background,
    tougaard_background,
)
from .lineshapes import LineShape, parse_shape
from .model import Component, FitSpec

QUANTITIES = ("position", "fwhm", "area")


class FitError(ValueError):
    """A fit that cannot be set up (no data in the window, a link to an unknown component...)."""


# --------------------------------------------------------------------------------------------
# the compiled problem
# --------------------------------------------------------------------------------------------


@dataclass
class Problem:
    """A fit specification compiled against one energy axis.

    ``names``: the free parameters (``"PS4.position"``, ``"bg.k"``...); ``q0 + Q @ theta`` are the
    component quantities (rows: component k's position, FWHM, area at 3k, 3k+1, 3k+2);
    ``line0 + L @ theta`` the line parameters (rows 3l, 3l+1, 3l+2).
    """

    spec: FitSpec
    x: np.ndarray
    names: list[str]
    theta0: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    q0: np.ndarray
    Q: np.ndarray
    line0: np.ndarray
    L: np.ndarray
    line_component: np.ndarray
    groups: list[tuple[LineShape, np.ndarray]]
    bg_index: dict[str, int]

    @property
    def n_components(self) -> int:
        return len(self.spec.components)

    def line_params(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        p = self.line0 + self.L @ theta
        return p[0::3], p[1::3], p[2::3]

    def quantities(self, theta: np.ndarray) -> np.ndarray:
        """``(n_components, 3)``: position, FWHM, area of each component."""
        return (self.q0 + self.Q @ theta).reshape(-1, 3)

    def lines(self, theta: np.ndarray) -> np.ndarray:
        """Each line's unit-area profile times its area, ``(n_lines, n_x)``."""
        c, w, a = self.line_params(theta)
        out = np.empty((c.size, self.x.size))
        for shape, idx in self.groups:
            out[idx] = a[idx, None] * shape.profile(self.x, c[idx], np.maximum(w[idx], 1e-6))
        return out

    def peaks_and_jacobian(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Sum of the lines and its Jacobian with respect to theta."""
        c, w, a = self.line_params(theta)
        n_lines = c.size
        jl = np.empty((self.x.size, 3 * n_lines))
        total = np.zeros(self.x.size)
        for shape, idx in self.groups:
            f, dfc, dfw = shape.derivatives(self.x, c[idx], np.maximum(w[idx], 1e-6))
            total += a[idx] @ f
            jl[:, 3 * idx] = (a[idx, None] * dfc).T
            jl[:, 3 * idx + 1] = (a[idx, None] * dfw).T
            jl[:, 3 * idx + 2] = f.T
        return total, jl @ self.L

    def model(
        self, theta: np.ndarray, static_bg: np.ndarray, want_jac: bool = True
    ) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
        """``(model, jacobian, background)`` at ``theta``."""
        peaks, jac = self.peaks_and_jacobian(theta)
        if "k" in self.bg_index:
            ib, ik = self.bg_index["b_lo"], self.bg_index["k"]
            k = theta[ik]
            cum = cumulative_trapezoid(self.x, peaks)
            bg = theta[ib] + k * cum
            if want_jac:
                jac = jac + k * cumulative_trapezoid(self.x, jac, axis=0)
                jac[:, ib] = 1.0
                jac[:, ik] = cum
            if "slope" in self.bg_index:
                isl = self.bg_index["slope"]
                bg = bg + theta[isl] * (self.x - self.x[0])
                if want_jac:
                    jac[:, isl] = self.x - self.x[0]
        else:
            bg = static_bg
        return bg + peaks, jac, bg


def _resolve_links(spec: FitSpec) -> list[list[tuple[str, int | None, float]]]:
    """Per component and quantity: ``("free", theta index, 0)``, ``("fixed", None, value)`` or
    ``("link", ref component index, value)`` with the link mode folded in."""
    names = [c.name for c in spec.components]
    if len(set(names)) != len(names):
        raise FitError("component names must be unique")
    out = []
    for c in spec.components:
        row = []
        for q in QUANTITIES:
            link = getattr(c, f"{q}_link")
            if link is not None:
                if link.ref not in names:
                    raise FitError(f"{c.name}: {q} linked to unknown component {link.ref!r}")
                if link.ref == c.name:
                    raise FitError(f"{c.name}: {q} linked to itself")
                row.append((link.mode, names.index(link.ref), link.value))
            elif getattr(c, f"vary_{q}"):
                row.append(("free", None, 0.0))
            else:
                row.append(("fixed", None, 0.0))
        out.append(row)
    return out


def _value(c: Component, q: str) -> float:
    return {"position": c.position_eV, "fwhm": c.fwhm_eV, "area": c.area}[q]


def compile_problem(spec: FitSpec, x: np.ndarray) -> Problem:
    """The affine re-parametrisation of ``spec`` on energies ``x`` (ascending)."""
    comps = spec.components
    if not comps:
        raise FitError("the fit has no components")
    links = _resolve_links(spec)
    names: list[str] = []
    theta0: list[float] = []
    lo: list[float] = []
    hi: list[float] = []
    free_index: dict[tuple[int, int], int] = {}
    for k, c in enumerate(comps):
        for j, q in enumerate(QUANTITIES):
            if links[k][j][0] != "free":
                continue
            free_index[(k, j)] = len(names)
            names.append(f"{c.name}.{q}")
            v = _value(c, q)
            if q == "position":
                a = c.position_min_eV if c.position_min_eV is not None else -np.inf
                b = c.position_max_eV if c.position_max_eV is not None else np.inf
            elif q == "fwhm":
                a, b = c.fwhm_min_eV, c.fwhm_max_eV
            else:
                a, b = 0.0, np.inf
            if not a < b:
                raise FitError(f"{c.name}: empty {q} window [{a}, {b}]")
            theta0.append(float(np.clip(v, a, b)))
            lo.append(a)
            hi.append(b)
    bg_index: dict[str, int] = {}
    if spec.background.kind == "active_shirley":
        extra = [("b_lo", 0.0, -np.inf, np.inf), ("k", 0.0, 0.0, np.inf)]
        if spec.background.slope:
            extra.append(("slope", 0.0, -np.inf, np.inf))
        for key, v, a, b in extra:
            bg_index[key] = len(names)
            names.append(f"bg.{key}")
            theta0.append(v)
            lo.append(a)
            hi.append(b)
    n = len(names)
    nq = 3 * len(comps)
    q0 = np.zeros(nq)
    Q = np.zeros((nq, n))
    done = np.zeros(nq, dtype=bool)
    visiting: set[int] = set()

    def resolve(row: int) -> None:
        if done[row]:
            return
        if row in visiting:
            raise FitError(f"links form a cycle at {comps[row // 3].name}")
        visiting.add(row)
        k, j = divmod(row, 3)
        kind, ref, value = links[k][j]
        if kind == "free":
            Q[row, free_index[(k, j)]] = 1.0
        elif kind == "fixed":
            q0[row] = _value(comps[k], QUANTITIES[j])
        else:
            r = 3 * ref + j
            resolve(r)
            scale, shift = (1.0, value) if kind == "offset" else (value, 0.0)
            q0[row] = scale * q0[r] + shift
            Q[row] = scale * Q[r]
        visiting.discard(row)
        done[row] = True

    for row in range(nq):
        resolve(row)
    # lines from components
    rows0: list[np.ndarray] = []
    rowsL: list[np.ndarray] = []
    owner: list[int] = []
    shapes: list[LineShape] = []
    for k, c in enumerate(comps):
        shape = parse_shape(c.shape)
        for offset, frac, wfac in c.lines():
            rows0 += [q0[3 * k] + offset, wfac * q0[3 * k + 1], frac * q0[3 * k + 2]]
            rowsL += [Q[3 * k], wfac * Q[3 * k + 1], frac * Q[3 * k + 2]]
            owner.append(k)
            shapes.append(shape)
    groups: dict[LineShape, list[int]] = {}
    for i, s in enumerate(shapes):
        groups.setdefault(s, []).append(i)
    return Problem(
        spec=spec,
        x=np.asarray(x, dtype=float),
        names=names,
        theta0=np.asarray(theta0, dtype=float),
        lower=np.asarray(lo, dtype=float),
        upper=np.asarray(hi, dtype=float),
        q0=q0,
        Q=Q,
        line0=np.asarray(rows0, dtype=float),
        L=np.vstack(rowsL) if rowsL else np.zeros((0, n)),
        line_component=np.asarray(owner),
        groups=[(s, np.asarray(ix)) for s, ix in groups.items()],
        bg_index=bg_index,
    )


# --------------------------------------------------------------------------------------------
# data preparation
# --------------------------------------------------------------------------------------------


def window(x: np.ndarray, y: np.ndarray, spec: FitSpec) -> tuple[np.ndarray, np.ndarray]:
    """The data inside the fit window, binding energy ascending."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    order = np.argsort(x, kind="stable")
    x, y = x[order], y[order]
    lo = -np.inf if spec.start_eV is None else min(spec.start_eV, spec.end_eV or np.inf)
    hi = np.inf if spec.end_eV is None else max(spec.end_eV, spec.start_eV or -np.inf)
    m = (x >= lo) & (x <= hi) & np.isfinite(y)
    if m.sum() < 5:
        raise FitError(f"fewer than 5 points in the window [{lo}, {hi}] eV")
    return x[m], y[m]


def static_background(x: np.ndarray, y: np.ndarray, spec: FitSpec) -> np.ndarray:
    """The background of a static kind computed from the data (zeros for active/none)."""
    bg = spec.background
    if bg.kind == "linear":
        return linear_background(x, y, average_points=bg.average_points)
    if bg.kind == "shirley":
        return shirley_background(
            x,
            y,
            average_points=bg.average_points,
            start_offset_pct=bg.start_offset_pct,
            end_offset_pct=bg.end_offset_pct,
        ).background
    if bg.kind == "tougaard":
        return tougaard_background(
            x,
            y,
            kind=bg.tougaard_kind,
            b=bg.tougaard_b,
            c=bg.tougaard_c,
            d=bg.tougaard_d,
            average_points=bg.average_points,
        )
    return np.zeros_like(x)


def poisson_sigma(y: np.ndarray, exposure_s: float) -> np.ndarray:
    """Standard deviation of a count rate from Poisson statistics of ``y * exposure_s`` counts."""
    return np.sqrt(np.maximum(y, 1.0 / exposure_s) / exposure_s)


def _start(problem: Problem, y: np.ndarray, static_bg: np.ndarray) -> np.ndarray:
    """Starting theta: the spec's values; free areas that are 0 and the active background from
    a linear least-squares fit (non-negative areas) at the starting positions and widths."""
    theta = problem.theta0.copy()
    area_idx = [i for i, n in enumerate(problem.names) if n.endswith(".area") and theta[i] <= 0]
    active = "k" in problem.bg_index
    if not area_idx and not active:
        return theta
    if active:
        res = shirley_background(
            problem.x, y, average_points=problem.spec.background.average_points
        )
        base = res.background
    else:
        base = static_bg
    if area_idx:
        cols = []
        for i in area_idx:
            t = theta.copy()
            t[area_idx] = 0.0
            t[i] = 1.0
            cols.append(problem.lines(t).sum(axis=0))
        t0 = theta.copy()
        t0[area_idx] = 0.0
        rest = problem.lines(t0).sum(axis=0)
        a, _ = optimize.nnls(np.column_stack(cols), np.maximum(y - base - rest, 0.0))
        theta[area_idx] = np.maximum(a, 1e-9 * max(float(np.max(y)), 1.0))
    if active:
        lo, hi = end_levels(y, problem.spec.background.average_points)
        theta[problem.bg_index["b_lo"]] = lo
        peaks = problem.lines(theta).sum(axis=0)
        total = np.trapezoid(peaks, problem.x)
        theta[problem.bg_index["k"]] = max((hi - lo) / total, 0.0) if total > 0 else 0.0
    return np.clip(theta, problem.lower, problem.upper)


# --------------------------------------------------------------------------------------------
# results
# --------------------------------------------------------------------------------------------


@dataclass
class ComponentResult:
    """One fitted component. ``area`` is the whole component (both doublet lines), cps eV;
    ``area_pct`` its share of the sum of all components; ``height`` the height of its (j+1/2)
    line, cps. ``stderr`` holds covariance standard errors of ``position_eV``, ``fwhm_eV``,
    ``area`` and ``area_pct`` (0 for fixed values)."""

    name: str
    shape: str
    position_eV: float
    fwhm_eV: float
    area: float
    area_pct: float
    height: float
    doublet: dict[str, float] | None
    stderr: dict[str, float] = field(default_factory=dict)
    mc: dict[str, dict[str, float]] | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {
            "name": self.name,
            "shape": self.shape,
            "position_eV": self.position_eV,
            "fwhm_eV": self.fwhm_eV,
            "area": self.area,
            "area_pct": self.area_pct,
            "height": self.height,
            "stderr": dict(self.stderr),
        }
        if self.doublet:
            out["doublet"] = dict(self.doublet)
        if self.mc is not None:
            out["mc"] = self.mc
        return out


@dataclass
class FitResult:
    """A fitted region: the components, the curves on the window's energies and the statistics.

    ``spec`` is the input specification with the fitted values written in (a warm start for the
    next fit); ``theta``/``names``/``covariance``/``correlation`` describe the free parameters.
    """

    spec: FitSpec
    components: list[ComponentResult]
    x: np.ndarray
    y: np.ndarray
    background: np.ndarray
    envelope: np.ndarray
    component_curves: np.ndarray
    sigma: np.ndarray
    names: list[str]
    theta: np.ndarray
    stderr: np.ndarray
    covariance: np.ndarray
    correlation: np.ndarray
    chi_square: float
    reduced_chi_square: float
    exposure_s: float
    success: bool
    message: str
    nfev: int
    mc: Any = None

    @property
    def residuals(self) -> np.ndarray:
        """Data minus envelope, cps."""
        return self.y - self.envelope

    @property
    def fractions(self) -> np.ndarray:
        """Area fractions of the components (sum 1)."""
        a = np.array([c.area for c in self.components])
        return a / a.sum() if a.sum() > 0 else a

    def component(self, name: str) -> ComponentResult:
        for c in self.components:
            if c.name == name:
                return c
        raise KeyError(f"no component named {name!r}")

    def to_dict(self) -> dict[str, Any]:
        """JSON-able summary (no arrays)."""
        return {
            "region": self.spec.region,
            "background": self.spec.background.label,
            "components": [c.to_dict() for c in self.components],
            "reduced_chi_square": self.reduced_chi_square,
            "chi_square": self.chi_square,
            "n_points": int(self.x.size),
            "n_free": len(self.names),
            "exposure_s": self.exposure_s,
            "success": self.success,
            "message": self.message,
            "parameters": [
                {"name": n, "value": float(v), "stderr": float(s)}
                for n, v, s in zip(self.names, self.theta, self.stderr, strict=True)
            ],
            "start_eV": float(self.x[0]),
            "end_eV": float(self.x[-1]),
        }

    def curves(self) -> dict[str, np.ndarray]:
        """Every curve for export/plots: energy, data, background, envelope, residuals and one
        column per component (background included, as CasaXPS exports them: ``comp:<name>``)."""
        out = {
            "binding_energy_eV": self.x,
            "counts_per_s": self.y,
            "background_cps": self.background,
            "envelope_cps": self.envelope,
            "residual_cps": self.residuals,
        }
        for c, curve in zip(self.components, self.component_curves, strict=True):
            out[f"comp:{c.name}"] = curve
        return out


def _covariance(jac: np.ndarray, scale: float) -> np.ndarray:
    """(J^T J)^-1 x scale by an eigen-decomposition of J^T J (directions with eigenvalues below
    1e-14 of the largest, i.e. singular values below 1e-7, get zero weight)."""
    n = jac.shape[1]
    if n == 0:
        return np.zeros((0, 0))
    # scale columns first so the cut-off does not depend on the parameters' units
    norm = np.sqrt(np.einsum("ij,ij->j", jac, jac))
    norm[norm == 0] = 1.0
    js = jac / norm
    w, v = np.linalg.eigh(js.T @ js)
    keep = w > w.max() * 1e-14
    inv = (v[:, keep] / w[keep]) @ v[:, keep].T
    return inv / np.outer(norm, norm) * scale


def _build_result(
    problem: Problem,
    y: np.ndarray,
    sigma: np.ndarray,
    static_bg: np.ndarray,
    theta: np.ndarray,
    exposure_s: float,
    success: bool,
    message: str,
    nfev: int,
    jac: np.ndarray | None = None,
    covariance: np.ndarray | None = None,
    reduced_chi_square: float | None = None,
) -> FitResult:
    """The result at ``theta``; ``covariance`` and ``reduced_chi_square`` given by a global fit
    (else computed from this spectrum alone)."""
    model, j, bg = problem.model(theta, static_bg, want_jac=True)
    jac = j if jac is None else jac
    r = (model - y) / sigma
    chi2 = float(r @ r)
    dof = max(y.size - len(theta), 1)
    red = chi2 / dof if reduced_chi_square is None else reduced_chi_square
    cov = _covariance(jac / sigma[:, None], red) if covariance is None else covariance
    err = np.sqrt(np.clip(np.diag(cov), 0, None))
    d = np.where(err > 0, err, 1.0)
    corr = cov / np.outer(d, d)
    quant = problem.quantities(theta)
    qcov = problem.Q @ cov @ problem.Q.T
    areas = quant[:, 2]
    total = float(areas.sum())
    # d(pct_k)/d(area_j) = 100 (delta_kj / total - area_k / total^2)
    grad_pct = (
        100.0 * (np.eye(areas.size) / total - areas[:, None] / total**2)
        if total > 0
        else np.zeros((areas.size, areas.size))
    )
    acov = qcov[2::3, 2::3]
    pct_cov = grad_pct @ acov @ grad_pct.T
    lines = problem.lines(theta)
    curves = np.zeros((problem.n_components, problem.x.size))
    np.add.at(curves, problem.line_component, lines)
    comps = []
    spec = problem.spec.copy()
    for k, c in enumerate(problem.spec.components):
        pos, fwhm, area = (float(v) for v in quant[k])
        shape = parse_shape(c.shape)
        first_frac = c.lines()[0][1]
        height = area * first_frac / shape.height_to_area(fwhm) if fwhm > 0 else 0.0
        comps.append(
            ComponentResult(
                name=c.name,
                shape=shape.name,
                position_eV=pos,
                fwhm_eV=fwhm,
                area=area,
                area_pct=100.0 * area / total if total > 0 else 0.0,
                height=height,
                doublet=None
                if c.doublet is None
                else {
                    "splitting_eV": c.doublet.splitting_eV,
                    "area_ratio": c.doublet.area_ratio,
                    "fwhm_ratio": c.doublet.fwhm_ratio,
                    "position_j_minus_eV": pos + c.doublet.splitting_eV,
                },
                stderr={
                    "position_eV": float(np.sqrt(max(qcov[3 * k, 3 * k], 0))),
                    "fwhm_eV": float(np.sqrt(max(qcov[3 * k + 1, 3 * k + 1], 0))),
                    "area": float(np.sqrt(max(qcov[3 * k + 2, 3 * k + 2], 0))),
                    "area_pct": float(np.sqrt(max(pct_cov[k, k], 0))),
                },
            )
        )
        sc = spec.components[k]
        sc.position_eV, sc.fwhm_eV, sc.area = pos, fwhm, area
    return FitResult(
        spec=spec,
        components=comps,
        x=problem.x,
        y=y,
        background=bg,
        envelope=model,
        component_curves=curves + bg,
        sigma=sigma,
        names=list(problem.names),
        theta=theta.copy(),
        stderr=err,
        covariance=cov,
        correlation=corr,
        chi_square=chi2,
        reduced_chi_square=red,
        exposure_s=exposure_s,
        success=success,
        message=message,
        nfev=nfev,
    )


# --------------------------------------------------------------------------------------------
# fitting
# --------------------------------------------------------------------------------------------


@dataclass
class Prepared:
    """A spectrum made ready for (repeated) fitting: window, weights, static background."""

    problem: Problem
    y: np.ndarray
    sigma: np.ndarray
    static_bg: np.ndarray
    exposure_s: float


def prepare(
    x: np.ndarray, y: np.ndarray, spec: FitSpec, *, exposure_s: float | None = None
) -> Prepared:
    """Window the data, compute the static background and the weights, compile the model."""
    xw, yw = window(x, y, spec)
    exposure = float(exposure_s) if exposure_s and exposure_s > 0 else 1.0
    problem = compile_problem(spec, xw)
    return Prepared(
        problem, yw, poisson_sigma(yw, exposure), static_background(xw, yw, spec), exposure
    )


def solve(
    prep: Prepared, theta0: np.ndarray | None = None, *, max_nfev: int = 2000
) -> tuple[np.ndarray, bool, str, int, np.ndarray]:
    """Least squares from ``theta0`` (default: :func:`_start`); ``(theta, ok, message, nfev,
    jacobian of the model)``."""
    p = prep.problem
    t0 = _start(p, prep.y, prep.static_bg) if theta0 is None else np.clip(theta0, p.lower, p.upper)
    if not len(t0):
        _, jac, _ = p.model(t0, prep.static_bg)
        return t0, True, "nothing to fit", 0, jac
    inv_sigma = 1.0 / prep.sigma
    cache: dict[str, Any] = {}

    def evaluate(theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        key = theta.tobytes()
        if cache.get("key") != key:
            model, jac, _ = p.model(theta, prep.static_bg)
            cache["key"] = key
            cache["val"] = ((model - prep.y) * inv_sigma, jac * inv_sigma[:, None], jac)
        return cache["val"][0], cache["val"][1]

    res = optimize.least_squares(
        lambda t: evaluate(t)[0],
        t0,
        jac=lambda t: evaluate(t)[1],
        bounds=(p.lower, p.upper),
        method="trf",
        x_scale="jac",
        max_nfev=max_nfev,
    )
    _, jac, _ = p.model(res.x, prep.static_bg)
    return res.x, bool(res.success), str(res.message), int(res.nfev), jac


def fit_prepared(prep: Prepared, theta0: np.ndarray | None = None) -> FitResult:
    """Fit a :class:`Prepared` spectrum."""
    theta, ok, msg, nfev, jac = solve(prep, theta0)
    return _build_result(
        prep.problem, prep.y, prep.sigma, prep.static_bg, theta, prep.exposure_s, ok, msg, nfev, jac
    )


def fit_spectrum(
    x: np.ndarray,
    y: np.ndarray,
    spec: FitSpec,
    *,
    exposure_s: float | None = None,
) -> FitResult:
    """Fit one region.

    ``x`` binding energies (eV, any order), ``y`` count rates (cps), ``spec`` the components,
    background and window (:class:`~.model.FitSpec`, e.g. from a template), ``exposure_s`` the
    counting time per channel x scans (Poisson weights; 1 s when None). Components whose area is
    0 get a starting area from a non-negative linear least-squares fit.
    """
    return fit_prepared(prepare(x, y, spec, exposure_s=exposure_s))


def evaluate_spec(x: np.ndarray, y: np.ndarray, spec: FitSpec, *, exposure_s: float | None = None):
    """The model of ``spec`` *without* fitting (e.g. CasaXPS's own parameters), as a
    :class:`FitResult`; an active Shirley background is fitted alone (peaks fixed)."""
    prep = prepare(x, y, spec, exposure_s=exposure_s)
    p = prep.problem
    theta = _start(p, prep.y, prep.static_bg)
    if p.bg_index:
        fixed = spec.copy()
        for c in fixed.components:
            c.vary_position = c.vary_fwhm = c.vary_area = False
        sub = Prepared(compile_problem(fixed, p.x), prep.y, prep.sigma, prep.static_bg, 1.0)
        tb, *_ = solve(sub)
        for key, i in p.bg_index.items():
            theta[i] = tb[sub.problem.bg_index[key]]
    return _build_result(
        p, prep.y, prep.sigma, prep.static_bg, theta, prep.exposure_s, True, "evaluated", 0
    )


def exposure_from_metadata(meta: dict[str, Any]) -> float | None:
    """Counting time per channel x scans (s) from reader metadata, or None."""
    dwell = meta.get("dwell_s")
    scans = meta.get("n_scans") or 1
    try:
        e = float(dwell) * float(scans)
    except (TypeError, ValueError):
        return None
    return e if e > 0 else None


def component_fractions(results: Sequence[FitResult], name: str) -> np.ndarray:
    """Area fraction of component ``name`` in each result."""
    return np.array([r.component(name).area_pct / 100.0 for r in results])
