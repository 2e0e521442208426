"""Synthetic S 2p of the field notes (section 5): four GL(30) doublets on an exact Shirley step,
Poisson noise. Binding energy 156-170 eV in 0.1 eV steps; counts, 1 s per channel."""

from __future__ import annotations

import numpy as np

from lbpo_gui.core.xps.backgrounds import cumulative_trapezoid
from lbpo_gui.core.xps.lineshapes import LineShape
from lbpo_gui.core.xps.model import Background, Component, Doublet, FitSpec, Link

POSITIONS = {"TM-S": 160.1, "PS4": 161.6, "P-[S]n-P": 163.0, "S-S": 163.5}
FRACTIONS = {"TM-S": 0.12, "PS4": 0.55, "P-[S]n-P": 0.20, "S-S": 0.13}
SPLIT, RATIO, FWHM = 1.18, 0.5, 1.0
X = np.round(np.arange(156.0, 170.0 + 1e-9, 0.1), 6)
_SHAPE = LineShape.parse("GL(30)")


def truth_curve(fractions=FRACTIONS, peak_max: float = 5000.0, bg=(800.0, 1400.0), x=X):
    """Noise-free counts (1 s exposure) and the total area (cps eV)."""
    peaks = np.zeros_like(x)
    for name, f in fractions.items():
        for off, w in ((0.0, 1 / (1 + RATIO)), (SPLIT, RATIO / (1 + RATIO))):
            peaks += (
                f * w * _SHAPE.profile(x, np.array([POSITIONS[name] + off]), np.array([FWHM]))[0]
            )
    cum = cumulative_trapezoid(x, peaks)
    shirley = bg[0] + (bg[1] - bg[0]) * cum / cum[-1]
    i = int(np.argmax(peaks))
    scale = (peak_max - shirley[i]) / peaks[i]
    peaks *= scale
    return shirley + peaks, scale


def noisy(seed: int, **kw) -> np.ndarray:
    y, _ = truth_curve(**kw)
    return np.random.default_rng(seed).poisson(y).astype(float)


def spec(background: str = "shirley", start_shift: float = 0.15, window: float = 0.3) -> FitSpec:
    """The benchmark fit: one shared FWHM, splitting and ratio fixed, +-0.3 eV windows."""
    comps = []
    for k, (name, pos) in enumerate(POSITIONS.items()):
        comps.append(
            Component(
                name,
                pos + start_shift,
                1.2,
                0.0,
                "GL(30)",
                Doublet(SPLIT, RATIO),
                position_min_eV=pos - window,
                position_max_eV=pos + window,
                fwhm_link=None if k == 1 else Link("PS4", "ratio", 1.0),
            )
        )
    return FitSpec("S 2p", comps, Background(background))
