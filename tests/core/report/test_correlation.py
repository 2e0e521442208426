"""Pearson and Spearman coefficients of per-sample figures."""

from __future__ import annotations

import numpy as np
import pytest

from lbpo_gui.core.report.correlation import correlation


def test_matches_the_textbook_values():
    x = [1.0, 2.0, 3.0, 4.0, 5.0]
    y = [2.0, 1.0, 4.0, 3.0, 7.0]
    c = correlation(x, y)
    assert c.n == 5
    assert c.pearson_r == pytest.approx(np.corrcoef(x, y)[0, 1])
    # ranks of y: 2, 1, 4, 3, 5 -> rho = 1 - 6 * sum(d^2) / (n (n^2 - 1)) = 1 - 6*4/120 = 0.8
    assert c.spearman_rho == pytest.approx(0.8)
    assert "Pearson r = " in c.text() and "n = 5" in c.text()


def test_monotonic_but_curved_is_rho_one_and_ties_share_ranks():
    x = np.arange(1, 8, dtype=float)
    c = correlation(x, np.exp(x))
    assert c.spearman_rho == pytest.approx(1.0) and c.pearson_r < 0.95
    t = correlation([1, 2, 2, 3], [1, 2, 2, 3])
    assert t.spearman_rho == pytest.approx(1.0)


def test_missing_values_are_dropped_and_too_few_pairs_say_so():
    c = correlation([1.0, None, 3.0, float("nan")], [1.0, 2.0, None, 4.0])
    assert c.n == 1 and c.pearson_r is None
    assert "too few samples" in c.text()
    assert correlation([1, 1, 1], [1, 2, 3]).pearson_r is None  # no spread in x
