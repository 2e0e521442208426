"""Joint edge fits of EDS line profiles, with Poisson weights and the full covariance.

One engine serves every model: shared non-linear parameters ``theta`` (edge centres and log
widths, so widths stay positive) and per-element linear coefficients (background, amplitude,
levels) that are solved exactly for each ``theta`` (variable projection), so the optimiser
(``scipy.optimize.least_squares``) only sees 4 parameters. Poisson weighting is iteratively
reweighted least squares with the model as variance, which converges to the Poisson maximum
likelihood. The covariance ``(J^T W J)^-1`` is taken over all parameters (linear ones included)
and scaled by the reduced chi-square when it is above 1 (always, for non-count signals).

Models:

- :func:`fit_joint_edges`: one erf edge (centre, sigma) shared by the cathode elements and one by
  the electrolyte elements, background and amplitude free per element. ``T50`` = distance of
  the two centres (positive when the 50 % levels overlap).
- :func:`fit_interphase`: a blurred box (boundaries ``a`` < ``b``) for an interphase with its own
  plateau; every element has a left, middle and right level. Thickness ``b - a``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.ndimage import uniform_filter1d
from scipy.optimize import least_squares
from scipy.special import ndtr

from ..errors import AnalysisError
from .edges import box_edges, theta_offset, width_10_90
from .normalise import crossing, normalise, plateaus

#: Smallest variance of a count (Poisson weights of near-empty pixels stay finite).
POISSON_FLOOR = 1.0
WEIGHTINGS = ("poisson", "uniform")
#: Reweighting stops when no non-linear parameter moves more than this (nm, or log-width).
IRLS_TOL = 2e-4


def _width(log_sigma: np.ndarray | float) -> np.ndarray:
    """sigma = exp(log sigma), kept within 1e-6 ... 1e6 nm (widths are positive by design)."""
    return np.exp(np.clip(log_sigma, -13.8, 13.8))


@dataclass
class _Solution:
    theta: np.ndarray
    coef: np.ndarray  # (E, k)
    model: np.ndarray  # (E, n)
    cov: np.ndarray  # over [theta, coef.ravel()]
    chi2: float
    dof: int
    n_iter: int


def _linear(G: np.ndarray, w: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Per-element weighted least-squares coefficients (E, k) for bases G (E, n, k)."""
    Gw = G * w[:, :, None]
    A = np.matmul(Gw.transpose(0, 2, 1), G)
    b = np.matmul(Gw.transpose(0, 2, 1), y[:, :, None])[:, :, 0]
    if A.shape[-1] == 2:  # closed form of the 2 x 2 systems (the erf models)
        det = A[:, 0, 0] * A[:, 1, 1] - A[:, 0, 1] ** 2
        det = np.where(det == 0, np.finfo(float).tiny, det)
        c0 = (A[:, 1, 1] * b[:, 0] - A[:, 0, 1] * b[:, 1]) / det
        c1 = (A[:, 0, 0] * b[:, 1] - A[:, 0, 1] * b[:, 0]) / det
        return np.stack([c0, c1], axis=1)
    A = A + np.eye(A.shape[-1]) * 1e-12 * np.trace(A, axis1=1, axis2=2)[:, None, None]
    return np.linalg.solve(A, b[:, :, None])[:, :, 0]


def _noise_weights(y: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """1 / noise variance per element from the scatter of second differences (non-count data)."""
    w = np.zeros_like(y)
    for e in range(len(y)):
        v = y[e][ok[e]]
        d2 = np.diff(v, 2)
        s = 1.4826 * np.median(np.abs(d2 - np.median(d2))) / np.sqrt(6.0) if len(d2) else 0.0
        if not s > 0:
            s = max(float(np.std(v)) * 1e-3, 1e-12)
        w[e] = ok[e] / s**2
    return w


def _solve(
    basis: Callable[[np.ndarray], np.ndarray],
    y: np.ndarray,
    theta0: np.ndarray,
    weighting: str,
    max_irls: int = 8,
) -> _Solution:
    ok = np.isfinite(y)
    y = np.where(ok, y, 0.0)
    poisson = weighting == "poisson"
    if poisson:  # first weights from lightly smoothed counts (fewer reweighting rounds)
        w = ok / np.maximum(uniform_filter1d(y, 5, axis=1, mode="nearest"), POISSON_FLOOR)
    else:
        w = _noise_weights(y, ok)
    theta = np.asarray(theta0, dtype=float)

    def resid(t: np.ndarray) -> np.ndarray:
        G = basis(t)
        c = _linear(G, w, y)
        return (np.sqrt(w) * (y - np.einsum("enk,ek->en", G, c))).ravel()

    n_iter = 0
    for n_iter in range(1, max_irls + 1):  # noqa: B007
        res = least_squares(resid, theta, method="lm", xtol=1e-8, ftol=1e-10)
        step = np.max(np.abs(res.x - theta))
        theta = res.x
        if not poisson:
            break
        G = basis(theta)
        model = np.einsum("enk,ek->en", G, _linear(G, w, y))
        w = ok / np.maximum(model, POISSON_FLOOR)
        if step < IRLS_TOL:
            break
    G = basis(theta)
    coef = _linear(G, w, y)
    model = np.einsum("enk,ek->en", G, coef)
    # Jacobian of the weighted model over [theta, coef]: numeric in theta, exact in coef
    E, n, k = G.shape
    cols = []
    for j in range(len(theta)):
        h = 1e-6 * max(1.0, abs(theta[j]))
        tp, tm = theta.copy(), theta.copy()
        tp[j] += h
        tm[j] -= h
        dm = np.einsum("enk,ek->en", basis(tp) - basis(tm), coef) / (2 * h)
        cols.append(dm.ravel())
    Jc = np.zeros((E * n, E * k))
    for e in range(E):
        Jc[e * n : (e + 1) * n, e * k : (e + 1) * k] = G[e]
    J = np.column_stack([*cols, Jc]) * np.sqrt(w).ravel()[:, None]
    chi2 = float(np.sum(w * (y - model) ** 2))
    dof = int(ok.sum()) - J.shape[1]
    cov = np.linalg.pinv(J.T @ J)
    if dof > 0:
        scale = chi2 / dof
        cov = cov * (max(scale, 1.0) if poisson else scale)
    return _Solution(theta, coef, model, cov, chi2, dof, n_iter)


# --------------------------------------------------------------------------------------------
# results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SideEdge:
    """The shared edge of one side (cathode or electrolyte) from a joint fit."""

    side: str
    elements: tuple[str, ...]
    center_nm: float
    center_stderr_nm: float
    sigma_nm: float
    sigma_stderr_nm: float
    direction: int  # +1 the side's signals rise along the line, -1 they fall

    @property
    def width_10_90_nm(self) -> float:
        """10-90 % width of the edge (2.563 sigma)."""
        return width_10_90(self.sigma_nm)

    def to_dict(self) -> dict[str, float | int | list[str]]:
        return {
            "elements": list(self.elements),
            "center_nm": self.center_nm,
            "center_stderr_nm": self.center_stderr_nm,
            "sigma_nm": self.sigma_nm,
            "sigma_stderr_nm": self.sigma_stderr_nm,
            "width_10_90_nm": self.width_10_90_nm,
            "width_10_90_stderr_nm": width_10_90(self.sigma_stderr_nm),
            "direction": self.direction,
        }


@dataclass(frozen=True)
class ElementLevels:
    """Background and amplitude (signal units) of one element in a joint erf fit."""

    element: str
    side: str
    background: float
    background_stderr: float
    amplitude: float
    amplitude_stderr: float
    direction: int = 0  # +1 rises along the line, -1 falls (from its plateaus)


@dataclass
class JointEdgeFit:
    """A joint erf fit of a profile: the two side edges, T50 and what it rests on.

    ``cov_edges`` is the covariance of (centre_c, sigma_c, centre_e, sigma_e) in nm^2.
    ``orientation`` is +1 when the cathode lies at small distances (its signals fall).
    """

    cathode: SideEdge
    electrolyte: SideEdge
    elements: dict[str, ElementLevels]
    cov_edges: np.ndarray
    orientation: int
    reduced_chi_square: float
    n_points: int
    weighting: str
    n_irls: int
    x_nm: np.ndarray = field(repr=False)
    model: dict[str, np.ndarray] = field(repr=False)

    @property
    def t50_nm(self) -> float:
        """Separation of the 50 % points, positive when the two sides overlap."""
        return self.orientation * (self.cathode.center_nm - self.electrolyte.center_nm)

    @property
    def t50_stderr_nm(self) -> float:
        c = self.cov_edges
        return float(np.sqrt(max(c[0, 0] + c[2, 2] - 2 * c[0, 2], 0.0)))

    def t_theta(self, theta: float) -> tuple[float, float]:
        """(T_theta, its standard error) in nm: the width over which both sides are at least
        ``theta`` of their bulk level, ``T50 - Phi^-1(theta) (sigma_c + sigma_e)``."""
        k = theta_offset(theta)
        g = np.array([self.orientation, k, -self.orientation, k])
        value = self.t50_nm + k * (self.cathode.sigma_nm + self.electrolyte.sigma_nm)
        return value, float(np.sqrt(max(g @ self.cov_edges @ g, 0.0)))

    def overlap_band(self, theta: float = 0.5) -> tuple[float, float]:
        """(start, end) in nm of the region where both sides are >= ``theta`` of their bulk
        (for shading the interlayer; its width is :meth:`t_theta`)."""
        k = theta_offset(theta)
        c, e = self.cathode, self.electrolyte
        if self.orientation > 0:  # electrolyte edge on the left of the cathode edge
            return e.center_nm - k * e.sigma_nm, c.center_nm + k * c.sigma_nm
        return c.center_nm - k * c.sigma_nm, e.center_nm + k * e.sigma_nm

    @property
    def correlation(self) -> np.ndarray:
        d = np.sqrt(np.clip(np.diag(self.cov_edges), 1e-300, None))
        return self.cov_edges / np.outer(d, d)


def _initial_edge(x: np.ndarray, frac: np.ndarray) -> tuple[float, float]:
    """Centre and sigma guesses of a normalised side profile (0 -> 1 in either direction)."""
    step = float(np.median(np.diff(x)))
    span = float(x[-1] - x[0])
    mu = crossing(x, frac, 0.5)
    if mu is None:
        mu = float(x[len(x) // 2])
    lo, hi = crossing(x, frac, 0.16), crossing(x, frac, 0.84)
    sigma = abs(hi - lo) / 2 if lo is not None and hi is not None else 2 * step
    return mu, float(np.clip(sigma, max(step, 1e-3), span / 4))


def _prepare(
    x: np.ndarray, signals: Mapping[str, np.ndarray], names: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=float)
    missing = [e for e in names if e not in signals]
    if missing:
        raise AnalysisError(f"the profile has no {', '.join(missing)} column")
    order = np.argsort(x)
    y = np.array([np.asarray(signals[e], dtype=float)[order] for e in names])
    return x[order], y


def fit_joint_edges(
    x_nm: np.ndarray,
    signals: Mapping[str, np.ndarray],
    cathode: Sequence[str],
    electrolyte: Sequence[str],
    *,
    weighting: str = "poisson",
    plateau_fraction: float = 0.2,
) -> JointEdgeFit:
    """Fit one erf edge to the cathode elements and one to the electrolyte elements jointly.

    ``signals`` maps element symbols to profiles along ``x_nm``; ``weighting`` is ``poisson``
    (counts) or ``uniform`` (at.%, wt.%, filtered maps: per-element noise from the scatter).
    Each element's direction comes from its plateaus; the two sides must change in opposite
    directions (AnalysisError otherwise).
    """
    if weighting not in WEIGHTINGS:
        raise AnalysisError(f"weighting must be one of {WEIGHTINGS}, not {weighting!r}")
    cathode, electrolyte = list(cathode), list(electrolyte)
    if not cathode or not electrolyte:
        raise AnalysisError("give at least one cathode and one electrolyte element")
    overlap = set(cathode) & set(electrolyte)
    if overlap:
        raise AnalysisError(f"{', '.join(sorted(overlap))} cannot be on both sides")
    names = cathode + electrolyte
    x, y = _prepare(x_nm, signals, names)
    levels = [plateaus(v, plateau_fraction) for v in y]
    d = np.array([lv.direction for lv in levels])
    n_c = len(cathode)
    d_c, d_e = int(np.sign(d[:n_c].sum() or d[0])), int(np.sign(d[n_c:].sum() or d[n_c]))
    if d_c == d_e:
        trend = "rise" if d_c > 0 else "fall"
        raise AnalysisError(
            f"cathode ({', '.join(cathode)}) and electrolyte ({', '.join(electrolyte)}) signals "
            f"both {trend} along the line: check the side assignment"
        )
    frac_c = np.mean([normalise(v, lv) for v, lv in zip(y[:n_c], levels[:n_c], strict=True)], 0)
    frac_e = np.mean([normalise(v, lv) for v, lv in zip(y[n_c:], levels[n_c:], strict=True)], 0)
    mu_c, s_c = _initial_edge(x, frac_c)
    mu_e, s_e = _initial_edge(x, frac_e)
    side = np.array([0] * n_c + [1] * len(electrolyte))
    # one Phi per (side, direction) pair: elements of a side share it
    pairs = sorted({(int(s), int(dd)) for s, dd in zip(side, d, strict=True)})
    row = np.array([pairs.index((int(s), int(dd))) for s, dd in zip(side, d, strict=True)])
    p_side = np.array([p[0] for p in pairs])
    p_dir = np.array([p[1] for p in pairs], dtype=float)[:, None]
    G = np.ones((len(names), len(x), 2))

    def basis(t: np.ndarray) -> np.ndarray:
        mu = np.where(p_side == 0, t[0], t[2])[:, None]
        sig = _width(np.where(p_side == 0, t[1], t[3]))[:, None]
        G[:, :, 1] = ndtr(p_dir * (x[None, :] - mu) / sig)[row]
        return G.copy()

    sol = _solve(basis, y, np.array([mu_c, np.log(s_c), mu_e, np.log(s_e)]), weighting)
    return _joint_result(sol, x, names, cathode, electrolyte, d_c, d_e, weighting, d)


def _joint_result(sol, x, names, cathode, electrolyte, d_c, d_e, weighting, d) -> JointEdgeFit:
    t, cov = sol.theta, sol.cov
    sig_c, sig_e = float(np.exp(t[1])), float(np.exp(t[3]))
    # covariance of (mu_c, sigma_c, mu_e, sigma_e) from that of (mu_c, ln s_c, mu_e, ln s_e)
    jac = np.diag([1.0, sig_c, 1.0, sig_e])
    cov_edges = jac @ cov[:4, :4] @ jac
    se = np.sqrt(np.clip(np.diag(cov), 0, None))
    c_edge = SideEdge(
        "cathode", tuple(cathode), float(t[0]), float(se[0]), sig_c, sig_c * float(se[1]), d_c
    )
    e_edge = SideEdge(
        "electrolyte",
        tuple(electrolyte),
        float(t[2]),
        float(se[2]),
        sig_e,
        sig_e * float(se[3]),
        d_e,
    )
    lo, hi = float(x[0]), float(x[-1])
    step = float(np.median(np.diff(x)))
    for edge in (c_edge, e_edge):
        if edge.sigma_nm < 0.1 * step:
            raise AnalysisError(
                f"the {edge.side} edge ({', '.join(edge.elements)}) collapsed to a step sharper "
                f"than a tenth of the {step:g} nm sampling: no edge is resolved (noise, or an "
                "edge outside the profile)"
            )
        if not (lo <= edge.center_nm <= hi and edge.sigma_nm < hi - lo):
            raise AnalysisError(
                f"no {edge.side} edge within the profile ({', '.join(edge.elements)}: the fit "
                f"put it at {edge.center_nm:.3g} nm, sigma {edge.sigma_nm:.3g} nm; the profile "
                f"spans {lo:g}-{hi:g} nm)"
            )
    elements = {}
    for i, el in enumerate(names):
        b, a = sol.coef[i]
        sb, sa = se[4 + 2 * i], se[5 + 2 * i]
        s = "cathode" if el in cathode else "electrolyte"
        elements[el] = ElementLevels(el, s, float(b), float(sb), float(a), float(sa), int(d[i]))
    return JointEdgeFit(
        cathode=c_edge,
        electrolyte=e_edge,
        elements=elements,
        cov_edges=cov_edges,
        orientation=1 if d_c < 0 else -1,
        reduced_chi_square=sol.chi2 / sol.dof if sol.dof > 0 else float("nan"),
        n_points=int(np.isfinite(sol.model).sum()),
        weighting=weighting,
        n_irls=sol.n_iter,
        x_nm=x,
        model={el: sol.model[i] for i, el in enumerate(names)},
    )


def fit_element_edges(
    x_nm: np.ndarray,
    signals: Mapping[str, np.ndarray],
    elements: Sequence[str],
    *,
    weighting: str = "poisson",
    plateau_fraction: float = 0.2,
) -> dict[str, SideEdge]:
    """An independent erf fit per element (its own centre and sigma): per-element centres and
    10-90 % widths. Prefer :func:`fit_joint_edges` for T50 and its SE (independent fits of weak
    lines give over-optimistic SEs)."""
    out = {}
    for el in elements:
        x, y = _prepare(x_nm, signals, [el])
        lv = plateaus(y[0], plateau_fraction)
        mu, s = _initial_edge(x, normalise(y[0], lv))
        d = lv.direction

        def basis(t: np.ndarray, x=x, d=d) -> np.ndarray:
            G = np.empty((1, len(x), 2))
            G[0, :, 0] = 1.0
            G[0, :, 1] = ndtr(d * (x - t[0]) / _width(t[1]))
            return G

        sol = _solve(basis, y, np.array([mu, np.log(s)]), weighting)
        se = np.sqrt(np.clip(np.diag(sol.cov), 0, None))
        sig = float(np.exp(sol.theta[1]))
        out[el] = SideEdge(el, (el,), float(sol.theta[0]), float(se[0]), sig, sig * float(se[1]), d)
    return out


# --------------------------------------------------------------------------------------------
# interphase with its own plateau
# --------------------------------------------------------------------------------------------


@dataclass
class InterphaseFit:
    """A blurred-box fit: boundaries ``a`` < ``b`` (nm) shared by all elements, and per element
    its left, middle and right level (signal units)."""

    a_nm: float
    b_nm: float
    sigma_a_nm: float
    sigma_b_nm: float
    cov: np.ndarray  # of (a, sigma_a, b, sigma_b)
    levels: dict[str, tuple[float, float, float]]
    reduced_chi_square: float
    x_nm: np.ndarray = field(repr=False)
    model: dict[str, np.ndarray] = field(repr=False)

    @property
    def thickness_nm(self) -> float:
        """``b - a``: the width of the interphase plateau between its blurred boundaries."""
        return self.b_nm - self.a_nm

    @property
    def thickness_stderr_nm(self) -> float:
        c = self.cov
        return float(np.sqrt(max(c[0, 0] + c[2, 2] - 2 * c[0, 2], 0.0)))


def fit_interphase(
    x_nm: np.ndarray,
    signals: Mapping[str, np.ndarray],
    elements: Sequence[str],
    *,
    a_nm: float,
    b_nm: float,
    sigma_nm: float = 1.0,
    weighting: str = "poisson",
) -> InterphaseFit:
    """Fit a box blurred by a Gaussian at each boundary to ``elements`` jointly.

    ``a_nm`` < ``b_nm`` and ``sigma_nm`` are starting values (e.g. the electrolyte and cathode
    50 % points of :func:`fit_joint_edges`). Every element gets three free levels, so an element
    enriched (or depleted) in the interphase is described as well as one that steps across it.
    """
    if not a_nm < b_nm:
        raise AnalysisError("the interphase start must lie before its end (a < b)")
    names = list(elements)
    x, y = _prepare(x_nm, signals, names)
    E = len(names)

    def basis(t: np.ndarray) -> np.ndarray:
        B = box_edges(x, t[0], _width(t[1]), t[2], _width(t[3]))
        return np.broadcast_to(B, (E, *B.shape))

    t0 = np.array([a_nm, np.log(sigma_nm), b_nm, np.log(sigma_nm)])
    sol = _solve(basis, y, t0, weighting)
    t = sol.theta
    sa, sb = float(np.exp(t[1])), float(np.exp(t[3]))
    jac = np.diag([1.0, sa, 1.0, sb])
    a, b = float(t[0]), float(t[2])
    if a > b:
        raise AnalysisError("the interphase fit did not converge to a layer (a > b)")
    return InterphaseFit(
        a_nm=a,
        b_nm=b,
        sigma_a_nm=sa,
        sigma_b_nm=sb,
        cov=jac @ sol.cov[:4, :4] @ jac,
        levels={el: tuple(float(v) for v in sol.coef[i]) for i, el in enumerate(names)},
        reduced_chi_square=sol.chi2 / sol.dof if sol.dof > 0 else float("nan"),
        x_nm=x,
        model={el: sol.model[i] for i, el in enumerate(names)},
    )
