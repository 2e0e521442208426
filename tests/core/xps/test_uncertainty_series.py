"""Monte Carlo uncertainties, series and global fits on synthetic S 2p spectra."""

from __future__ import annotations

import numpy as np
import pytest

from lbpo_gui.core.xps.fit import fit_spectrum
from lbpo_gui.core.xps.series import Cancelled, component_profile, fit_global, fit_series
from lbpo_gui.core.xps.uncertainty import monte_carlo

from .synth import FRACTIONS, POSITIONS, X, noisy, spec

AFTER = {"TM-S": 0.30, "PS4": 0.40, "P-[S]n-P": 0.18, "S-S": 0.12}


def test_monte_carlo_interval_covers_truth_at_nominal_rate():
    """100 noisy repeats: estimate +- MC sd covers the truth ~68.3 % of the time (+-10 %)."""
    repeats, refits = 100, 30
    hits = dict.fromkeys(POSITIONS, 0)
    for rep in range(repeats):
        r = fit_spectrum(X, noisy(1000 + rep), spec("active_shirley"))
        mc = monte_carlo(r, refits, seed=rep).summary()
        for name in POSITIONS:
            sd = mc[name]["area_pct"]["sd"]
            hits[name] += abs(r.component(name).area_pct - 100 * FRACTIONS[name]) <= sd
    for name, h in hits.items():
        assert 0.583 <= h / repeats <= 0.783, (name, h)


def test_monte_carlo_progress_cancel_and_report():
    r = fit_spectrum(X, noisy(5), spec("active_shirley"))
    seen = []
    mc = monte_carlo(
        r, 20, progress=lambda i, n: seen.append((i, n)), cancel=lambda: len(seen) >= 7
    )
    assert mc.cancelled and mc.n == 7 and seen[-1] == (7, 20)
    assert r.component("PS4").mc["area_pct"]["sd"] > 0
    d = mc.to_dict()
    assert d["n"] == 7 and set(d["components"]) == set(POSITIONS)


def test_series_warm_start_and_profile():
    spectra = [(X, noisy(s), 1.0) for s in range(5)]
    ticks = []
    results = fit_series(spectra, spec("active_shirley"), progress=lambda i, n: ticks.append(i))
    assert ticks == [1, 2, 3, 4, 5]
    prof = component_profile(results, [0, 30, 60, 120, 240], "PS4", "area_pct")
    assert np.allclose(prof["area_pct"], 55.0, atol=1.5)
    with pytest.raises(Cancelled):
        fit_series(spectra, spec(), cancel=lambda: True)


def test_global_fit_gives_tighter_fractions_than_separate_fits():
    sep, glo, se_sep, se_glo = [], [], [], []
    for seed in range(16):
        pair = [(X, noisy(100 + seed), 1.0), (X, noisy(200 + seed, fractions=AFTER), 1.0)]
        s = spec("active_shirley")
        separate = [fit_spectrum(x, y, s, exposure_s=e) for x, y, e in pair]
        g = fit_global(pair, s)
        assert g.success
        # shared: one position per component for both spectra
        assert (
            g.results[0].component("S-S").position_eV == g.results[1].component("S-S").position_eV
        )
        sep.append([r.fractions for r in separate])
        glo.append([r.fractions for r in g.results])
        se_sep.append([[c.stderr["area_pct"] for c in r.components] for r in separate])
        se_glo.append([[c.stderr["area_pct"] for c in r.components] for r in g.results])
    truth = [list(FRACTIONS.values()), list(AFTER.values())]
    err_sep = np.array(sep) - truth
    err_glo = np.array(glo) - truth
    # the overlapping P-[S]n-P / S-S pair (columns 2, 3) gains most: scatter about the truth
    pair_sep = np.sqrt(np.mean(err_sep[..., 2:] ** 2))
    pair_glo = np.sqrt(np.mean(err_glo[..., 2:] ** 2))
    assert pair_glo < 0.85 * pair_sep
    assert np.sqrt(np.mean(err_glo**2)) < np.sqrt(np.mean(err_sep**2))
    # and the fits know it: smaller standard errors of the pair's area %
    assert np.median(np.array(se_glo)[..., 2:]) < 0.8 * np.median(np.array(se_sep)[..., 2:])


def test_atomic_percent_profile():
    from lbpo_gui.core.xps.quantification import rsf
    from lbpo_gui.core.xps.series import atomic_percent_profile

    s2p = fit_series([(X, noisy(s), 1.0) for s in range(2)], spec("active_shirley"))
    c1s = fit_series([(X, 0.5 * noisy(10 + s), 1.0) for s in range(2)], spec("active_shirley"))
    prof = atomic_percent_profile({"S 2p": s2p, "C 1s": c1s}, [0, 1], ke_exponent=0.0)
    for i in range(2):
        a_s = sum(c.area for c in s2p[i].components) / rsf("S 2p")
        a_c = sum(c.area for c in c1s[i].components) / rsf("C 1s")
        assert prof["S 2p"][i] == pytest.approx(100 * a_s / (a_s + a_c))
        assert prof["S 2p"][i] + prof["C 1s"][i] == pytest.approx(100.0)
