"""Monte Carlo uncertainties of an XPS fit, as CasaXPS computes them (help: "error analysis").

From a fitted region, simulate spectra: Poisson counts drawn around the fitted *envelope*
(counts = envelope x exposure, back to cps), recompute a static background from each simulated
spectrum, refit from the best-fit values, and collect every component's position, FWHM, area
and area %. Reported per quantity: mean, standard deviation and the 2.5/16/84/97.5 percentiles.

Covariance errors (``FitResult.components[k].stderr``) assume a linear model around the
optimum; for overlapping doublets they understate the real scatter by 1.4-2x (field notes,
section 5), so both are reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .fit import FitResult, Prepared, compile_problem, poisson_sigma, solve, static_background

MC_QUANTITIES = ("position_eV", "fwhm_eV", "area", "area_pct")


@dataclass
class MonteCarloResult:
    """``samples[i, k, j]``: refit ``i``, component ``k``, quantity ``MC_QUANTITIES[j]``."""

    names: list[str]
    samples: np.ndarray
    requested: int
    seed: int
    cancelled: bool = False

    @property
    def n(self) -> int:
        """Number of completed refits."""
        return int(self.samples.shape[0])

    def summary(self) -> dict[str, dict[str, dict[str, float]]]:
        """``{component: {quantity: {mean, sd, p2_5, p16, p84, p97_5}}}``."""
        out: dict[str, dict[str, dict[str, float]]] = {}
        for k, name in enumerate(self.names):
            out[name] = {}
            for j, q in enumerate(MC_QUANTITIES):
                v = self.samples[:, k, j]
                if v.size == 0:
                    continue
                p = np.percentile(v, [2.5, 16, 84, 97.5])
                out[name][q] = {
                    "mean": float(v.mean()),
                    "sd": float(v.std(ddof=1)) if v.size > 1 else 0.0,
                    "p2_5": float(p[0]),
                    "p16": float(p[1]),
                    "p84": float(p[2]),
                    "p97_5": float(p[3]),
                }
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "requested": self.requested,
            "seed": self.seed,
            "cancelled": self.cancelled,
            "components": self.summary(),
        }


def monte_carlo(
    result: FitResult,
    n: int = 100,
    *,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> MonteCarloResult:
    """``n`` Monte Carlo refits of ``result`` (see the module docstring).

    ``progress(done, n)`` is called after each refit; when ``cancel()`` returns True the refits
    stop and the result holds those done so far (``cancelled=True``). The summary is also put in
    ``result.mc`` and in each ``result.components[k].mc``.
    """
    rng = np.random.default_rng(seed)
    spec = result.spec
    problem = compile_problem(spec, result.x)
    exposure = result.exposure_s
    lam = np.clip(result.envelope, 0.0, None) * exposure
    samples = []
    cancelled = False
    for i in range(int(n)):
        if cancel is not None and cancel():
            cancelled = True
            break
        y = rng.poisson(lam) / exposure
        prep = Prepared(
            problem, y, poisson_sigma(y, exposure), static_background(result.x, y, spec), exposure
        )
        theta, *_ = solve(prep, result.theta)
        q = problem.quantities(theta)
        total = q[:, 2].sum()
        pct = 100.0 * q[:, 2] / total if total > 0 else np.zeros(len(q))
        samples.append(np.column_stack([q, pct]))
        if progress is not None:
            progress(i + 1, int(n))
    arr = np.array(samples) if samples else np.zeros((0, problem.n_components, 4))
    mc = MonteCarloResult([c.name for c in spec.components], arr, int(n), int(seed), cancelled)
    summary = mc.summary()
    result.mc = mc
    for c in result.components:
        c.mc = summary.get(c.name)
    return mc
