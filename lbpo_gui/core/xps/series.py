"""Many spectra with one template: an etch series, a set of samples, a before/after pair.

- :func:`fit_series`: fit each spectrum in turn, each fit starting from the previous result
  (warm start), with progress and cancel callbacks;
- :func:`fit_global`: one least-squares problem for all spectra in which component positions
  and FWHMs are *shared* (one value for all spectra) and areas and backgrounds are free per
  spectrum. CasaXPS has no such fit; it pins the line positions and widths with every spectrum's
  data at once, so component fractions come out tighter than from separate fits.
- :func:`component_profile`: a component's area, area % or atomic % against the etch level/time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from .fit import FitResult, Prepared, _build_result, _covariance, _start, fit_prepared, prepare
from .model import FitSpec

Spectrum = tuple[np.ndarray, np.ndarray, float | None]
"""``(binding_energy_eV, counts_per_s, exposure_s or None)``."""
Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]


class Cancelled(RuntimeError):
    """The caller's cancel callback asked to stop."""


def _warm(spec: FitSpec, previous: FitResult | None) -> FitSpec:
    if previous is None:
        return spec
    warm = spec.copy()
    for c, r in zip(warm.components, previous.components, strict=True):
        c.position_eV, c.fwhm_eV, c.area = r.position_eV, r.fwhm_eV, r.area
    return warm


def fit_series(
    spectra: Sequence[Spectrum],
    spec: FitSpec,
    *,
    warm_start: bool = True,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> list[FitResult]:
    """Fit ``spec`` to every spectrum in order; with ``warm_start`` each fit starts from the
    previous one's values (positions, FWHMs, areas; windows and links stay the template's)."""
    out: list[FitResult] = []
    for i, (x, y, exposure) in enumerate(spectra):
        if cancel is not None and cancel():
            raise Cancelled(f"series fit cancelled after {i} of {len(spectra)} spectra")
        start = _warm(spec, out[-1] if (warm_start and out) else None)
        prep = prepare(x, y, start, exposure_s=exposure)
        theta0 = None
        if warm_start and out:
            theta0 = _start(prep.problem, prep.y, prep.static_bg)
            bg_prev = {n: v for n, v in zip(out[-1].names, out[-1].theta, strict=True)}
            for k, n in enumerate(prep.problem.names):
                if n.startswith("bg.") and n in bg_prev:
                    theta0[k] = bg_prev[n]
        out.append(fit_prepared(prep, theta0))
        if progress is not None:
            progress(i + 1, len(spectra))
    return out


SHARED_DEFAULT = ("position", "fwhm")


@dataclass
class GlobalFit:
    """A global fit: one :class:`FitResult` per spectrum (covariances from the joint problem)
    and the joint statistics."""

    results: list[FitResult]
    names: list[str]
    theta: np.ndarray
    covariance: np.ndarray
    chi_square: float
    reduced_chi_square: float
    success: bool
    message: str
    nfev: int


def fit_global(
    spectra: Sequence[Spectrum],
    spec: FitSpec,
    *,
    shared: Sequence[str] = SHARED_DEFAULT,
    max_nfev: int = 4000,
) -> GlobalFit:
    """Fit all ``spectra`` at once with the quantities in ``shared`` (``"position"``,
    ``"fwhm"``; ``"area"`` is never shared) common to all spectra."""
    if not spectra:
        raise ValueError("no spectra to fit")
    preps: list[Prepared] = [prepare(x, y, spec, exposure_s=e) for x, y, e in spectra]
    names = preps[0].problem.names
    suffixes = tuple(f".{q}" for q in shared if q != "area")
    is_shared = [n.endswith(suffixes) and not n.startswith("bg.") for n in names]
    g_names: list[str] = []
    index: list[np.ndarray] = []
    shared_index: dict[str, int] = {}
    for s, _ in enumerate(preps):
        idx = []
        for n, sh in zip(names, is_shared, strict=True):
            if sh:
                if n not in shared_index:
                    shared_index[n] = len(g_names)
                    g_names.append(n)
                idx.append(shared_index[n])
            else:
                idx.append(len(g_names))
                g_names.append(f"{s}:{n}")
        index.append(np.asarray(idx))
    p0 = preps[0].problem
    starts = [_start(p.problem, p.y, p.static_bg) for p in preps]
    theta0 = np.zeros(len(g_names))
    lower = np.empty(len(g_names))
    upper = np.empty(len(g_names))
    for s, idx in enumerate(index):
        theta0[idx] = starts[s]
        lower[idx] = p0.lower
        upper[idx] = p0.upper
    for n, gi in shared_index.items():
        theta0[gi] = starts[0][names.index(n)]
    rows = np.cumsum([0] + [p.y.size for p in preps])
    cache: dict[str, object] = {}

    def evaluate(theta: np.ndarray):
        key = theta.tobytes()
        if cache.get("key") != key:
            r = np.empty(rows[-1])
            jac = np.zeros((rows[-1], theta.size))
            for s, (p, idx) in enumerate(zip(preps, index, strict=True)):
                model, j, _ = p.problem.model(theta[idx], p.static_bg)
                sl = slice(rows[s], rows[s + 1])
                r[sl] = (model - p.y) / p.sigma
                jac[sl][:, idx] += j / p.sigma[:, None]
            cache["key"], cache["val"] = key, (r, jac)
        return cache["val"]

    res = optimize.least_squares(
        lambda t: evaluate(t)[0],
        np.clip(theta0, lower, upper),
        jac=lambda t: evaluate(t)[1],
        bounds=(lower, upper),
        method="trf",
        x_scale="jac",
        max_nfev=max_nfev,
        # many spectra: an iterative trust-region solver instead of an SVD per step
        tr_solver="lsmr" if theta0.size > 40 else "exact",
    )
    r, jac = evaluate(res.x)
    chi2 = float(r @ r)
    red = chi2 / max(r.size - res.x.size, 1)
    cov = _covariance(jac, red)
    results = []
    for p, idx in zip(preps, index, strict=True):
        results.append(
            _build_result(
                p.problem,
                p.y,
                p.sigma,
                p.static_bg,
                res.x[idx],
                p.exposure_s,
                bool(res.success),
                str(res.message),
                int(res.nfev),
                covariance=cov[np.ix_(idx, idx)],
                reduced_chi_square=red,
            )
        )
    return GlobalFit(
        results, g_names, res.x, cov, chi2, red, bool(res.success), str(res.message), int(res.nfev)
    )


def component_profile(
    results: Sequence[FitResult],
    levels: Sequence[float],
    name: str,
    quantity: str = "area",
) -> dict[str, list[float]]:
    """``{"level": [...], quantity: [...], "stderr": [...]}`` of component ``name`` (``area``
    in cps eV or ``area_pct``) across a series, e.g. against etch time."""
    if quantity not in ("area", "area_pct"):
        raise ValueError("quantity must be 'area' or 'area_pct'")
    vals, errs = [], []
    for r in results:
        c = r.component(name)
        vals.append(float(getattr(c, quantity)))
        errs.append(float(c.stderr.get(quantity, 0.0)))
    return {"level": [float(v) for v in levels], quantity: vals, "stderr": errs}


def atomic_percent_profile(
    series: dict[str, Sequence[FitResult]],
    levels: Sequence[float],
    *,
    library: str = "althermo1",
    photon_energy_eV: float = 1486.6,
    ke_exponent: float = 0.6,
) -> dict[str, list[float]]:
    """Atomic % of each region (``{"S 2p": [results per level], "B 1s": [...]}``) at each level.

    A region's area is the sum of its components (whole-line RSF of the region, e.g. ``"S 2p"``,
    from ``library``); the kinetic energy is taken at the largest component. Returns
    ``{"level": [...], region: [at.% per level]}``.
    """
    from .sample_quant import RegionInput, quantify

    regions = list(series)
    n = len(levels)
    if any(len(series[r]) != n for r in regions):
        raise ValueError("every region needs one result per level")
    out: dict[str, list[float]] = {"level": [float(v) for v in levels]}
    for r in regions:
        out[r] = []
    none = np.empty(0)
    for i in range(n):
        inputs = [
            RegionInput(
                r,
                r,
                none,
                none,
                photon_energy_eV,
                components=[
                    {"name": c.name, "position_eV": c.position_eV, "area": c.area}
                    for c in series[r][i].components
                ],
            )
            for r in regions
        ]
        table = quantify(inputs, library=library, ke_exponent=ke_exponent)
        at = {row["region"]: row["atomic_pct"] for row in table.rows}
        for r in regions:
            if r not in at:
                raise KeyError(f"level {levels[i]}: {r} cannot be quantified ({table.warnings})")
            out[r].append(at[r])
    return out
