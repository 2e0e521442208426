"""Plateau normalisation of element profiles: 0 where the element is absent, 1 in its bulk.

``n = (I - I_far) / (I_bulk - I_far)`` with ``I_far`` and ``I_bulk`` the medians of the outer
``fraction`` (default 20 %) of the points at either end. The maximum is never used: noise biases
it upwards. The direction of each element (+1 rising along the line, -1 falling) comes from the
same two plateaus.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import AnalysisError


@dataclass(frozen=True)
class Plateaus:
    """The two end levels of one element profile and what follows from them."""

    left: float
    right: float
    n_points: int  # points in each plateau window

    @property
    def direction(self) -> int:
        """+1 when the signal rises along the line (bulk on the right), -1 when it falls."""
        return 1 if self.right >= self.left else -1

    @property
    def bulk(self) -> float:
        return max(self.left, self.right)

    @property
    def far(self) -> float:
        return min(self.left, self.right)


def plateaus(y: np.ndarray, fraction: float = 0.2) -> Plateaus:
    """Medians of the first and last ``fraction`` of the finite points (at least 3 each)."""
    v = np.asarray(y, dtype=float)
    v = v[np.isfinite(v)]
    if len(v) < 6:
        raise AnalysisError(f"a profile needs at least 6 points, this one has {len(v)}")
    k = max(3, int(round(fraction * len(v))))
    return Plateaus(float(np.median(v[:k])), float(np.median(v[-k:])), k)


def normalise(y: np.ndarray, levels: Plateaus) -> np.ndarray:
    """``(y - far) / (bulk - far)``; raises when both plateaus are the same level."""
    span = levels.bulk - levels.far
    if not span > 0:
        raise AnalysisError("the profile has the same level at both ends: no edge to fit")
    return (np.asarray(y, dtype=float) - levels.far) / span


def side_fraction(
    signals: Mapping[str, np.ndarray], elements: Sequence[str], fraction: float = 0.2
) -> np.ndarray:
    """The mean plateau-normalised profile of ``elements`` (the fraction of that side's bulk)."""
    if not elements:
        raise AnalysisError("no elements given for a side")
    return np.mean(
        [normalise(signals[e], plateaus(signals[e], fraction)) for e in elements], axis=0
    )


def crossing(x: np.ndarray, y: np.ndarray, level: float) -> float | None:
    """Mean of the first and last x where ``y`` crosses ``level`` (linear interpolation), None
    when it never does (noise near the level gives several crossings close together)."""
    ok = np.isfinite(y)
    x, y = np.asarray(x, float)[ok], np.asarray(y, float)[ok]
    s = np.sign(y - level)
    k = np.flatnonzero(s[:-1] * s[1:] < 0)
    if len(k) == 0:
        return None
    pts = x[k] + (level - y[k]) * (x[k + 1] - x[k]) / (y[k + 1] - y[k])
    return float(0.5 * (pts[0] + pts[-1]))
