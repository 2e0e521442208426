"""EDS joint erf fit of one Ni/Co | S/P profile (DESIGN budget: <= 20 ms median).

The profile is the notes' benchmark case: T50 = 5 nm, 0.2 nm steps (276 points x 4 elements),
Poisson noise at normal dose. No peer offers an interface-width fit (HyperSpy and Velox do
not), so nothing is timed beside it. Run with ``pytest tests/benchmarks --benchmark-enable``.
"""

from __future__ import annotations

import numpy as np
import pytest

from lbpo_gui.core.eds import analyse_profile, fit_joint_edges
from tests.core.eds.synth import profile


@pytest.fixture(scope="module")
def noisy_profile():
    x, sig, _ = profile(5.0, 0.2, rng=np.random.default_rng(20230529))
    return x, sig


def test_bench_joint_erf_fit(benchmark, noisy_profile):
    x, sig = noisy_profile
    fit = benchmark(fit_joint_edges, x, sig, ["Ni", "Co"], ["S", "P"])
    assert fit.t50_nm == pytest.approx(5.0, abs=0.3)


def test_bench_full_thickness_analysis(benchmark, noisy_profile):
    """Joint fit + per-element fits + direct reading + warnings (what the tab recomputes when
    the line moves)."""
    x, sig = noisy_profile
    r = benchmark(analyse_profile, x, sig)
    assert r.t50_nm == pytest.approx(5.0, abs=0.3)
