"""How strongly two per-sample figures go together: Pearson's r and Spearman's rho, with n.

Used by the Summary tab's cross-technique plots (e.g. R_electrode/SE against first-cycle CE):
the study's argument made checkable. NaNs are dropped pairwise; fewer than three pairs give None.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Correlation:
    """Pearson's r, Spearman's rho (None with fewer than 3 pairs or no spread) and n pairs."""

    pearson_r: float | None
    spearman_rho: float | None
    n: int

    def text(self) -> str:
        """'Pearson r = 0.93, Spearman rho = 0.90 (n = 5)' or why there is none."""
        if self.pearson_r is None:
            return f"too few samples with both figures for a correlation (n = {self.n})"
        rho = "" if self.spearman_rho is None else f", Spearman \u03c1 = {self.spearman_rho:.2f}"
        return f"Pearson r = {self.pearson_r:.2f}{rho} (n = {self.n})"


def _ranks(a: np.ndarray) -> np.ndarray:
    """Average ranks (ties share the mean rank), 1-based."""
    order = np.argsort(a, kind="mergesort")
    ranks = np.empty(len(a), dtype=float)
    ranks[order] = np.arange(1, len(a) + 1, dtype=float)
    for value in np.unique(a):
        tie = a == value
        if tie.sum() > 1:
            ranks[tie] = ranks[tie].mean()
    return ranks


def _pearson(x: np.ndarray, y: np.ndarray) -> float | None:
    dx, dy = x - x.mean(), y - y.mean()
    den = float(np.sqrt((dx * dx).sum() * (dy * dy).sum()))
    return None if den == 0 else float((dx * dy).sum() / den)


def correlation(x, y) -> Correlation:
    """The correlation of two equally long sequences (pairs with a NaN or None dropped)."""
    xa = np.array([np.nan if v is None else v for v in x], dtype=float)
    ya = np.array([np.nan if v is None else v for v in y], dtype=float)
    keep = np.isfinite(xa) & np.isfinite(ya)
    xa, ya = xa[keep], ya[keep]
    n = int(len(xa))
    if n < 3:
        return Correlation(None, None, n)
    r = _pearson(xa, ya)
    rho = _pearson(_ranks(xa), _ranks(ya))
    return Correlation(r, rho, n)
