"""XPS spectra: doublets at the study's positions, line shapes, narrative, depth series."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from lbpo_gui.core.demo import samples as S
from lbpo_gui.core.demo import xps as X

CASES = [
    ("Pristine", "before cycling"),
    ("Pristine", "after 100 cycles"),
    ("LBPO 0.05-0.15", "before cycling"),
    ("LBPO 0.05-0.15", "after 100 cycles"),
]


def fractions(sample: str, state: str, region: str) -> dict[str, float]:
    truth = X.core_level_truth(sample, state, region)
    return {c["name"]: c["area_fraction"] for c in truth["components"]}


@pytest.mark.parametrize("region", ["S 2p", "P 2p"])
def test_components_match_the_reference(reference_dir, region):
    with open(reference_dir / "xps_components.csv", newline="") as fh:
        ref = {r["component"]: r for r in csv.DictReader(fh) if r["region"] == region}
    for sample, state in CASES:
        d = X.core_level_dataset(sample, state, region, 1)
        comps = {c["name"]: c for c in X.core_level_truth(sample, state, region)["components"]}
        assert set(comps) == set(ref)
        for name, c in comps.items():
            assert c["position_eV"] == pytest.approx(float(ref[name]["peak_2p3_2_eV"]))
            assert c["position_2p1_2_eV"] == pytest.approx(float(ref[name]["peak_2p1_2_eV"]))
            assert c["splitting_eV"] == pytest.approx(
                float(ref[name]["peak_2p1_2_eV"]) - float(ref[name]["peak_2p3_2_eV"])
            )
            assert c["area_ratio"] == 0.5
            assert c["line_shape"] == "GL(30)"
        assert sum(c["area_fraction"] for c in comps.values()) == pytest.approx(1.0)
        assert d.metadata["region"] == region
        assert d.metadata["photon_energy_eV"] == 1486.6


def test_gl30_is_the_casaxps_product_shape():
    # CasaXPS: GL(30) at x - E = F/2 is 0.474 of the height (not 0.5)
    assert X.gl_product(0.5, 0.0, 1.0) == pytest.approx(0.474, abs=0.001)
    x = np.linspace(-40, 40, 400001)
    assert np.trapezoid(X.gl_line(x, 0.0, 1.3, 250.0), x) == pytest.approx(250.0, rel=1e-4)


def test_noise_free_spectrum_holds_the_true_areas():
    d = X.core_level_dataset("Pristine", "after 100 cycles", "S 2p", 1, noise=False)
    be = d.arrays["binding_energy_eV"]
    cps = d.arrays["counts_per_s"]
    assert np.all(np.diff(be) < 0)  # descending, as the analyser scans
    np.testing.assert_allclose(np.diff(be), -0.1, atol=1e-9)
    truth = X.core_level_truth("Pristine", "after 100 cycles", "S 2p")
    bg = truth["background"]
    comps = truth["components"]
    # rebuild the background independently: linear + k * cumulative peak area from low BE
    asc = be[::-1]
    peaks = np.zeros_like(asc)
    for c in comps:
        a32 = c["area"] / 1.5
        for pos, area in ((c["position_eV"], a32), (c["position_2p1_2_eV"], a32 / 2)):
            peaks += X.gl_line(asc, pos, c["fwhm_eV"], area)
    cum = np.concatenate([[0], np.cumsum(0.5 * (peaks[1:] + peaks[:-1]) * 0.1)])
    background = (
        bg["low_be_level_cps"]
        + bg["slope_cps_per_eV"] * (asc - asc[0])
        + bg["shirley_k_per_eV"] * cum
    )
    np.testing.assert_allclose(cps[::-1], peaks + background, rtol=2e-3)
    net = np.trapezoid(cps[::-1] - background, asc)
    total = sum(c["area"] for c in comps)
    assert net == pytest.approx(total, rel=0.02)  # the window holds ~all of the doublets


def test_poisson_counts():
    d = X.core_level_dataset("Pristine", "before cycling", "P 2p", 3)
    m = d.metadata
    counts = d.arrays["counts_per_s"] * m["dwell_s"] * m["n_scans"]
    np.testing.assert_allclose(counts, np.rint(counts), atol=1e-6)
    clean = X.core_level_dataset("Pristine", "before cycling", "P 2p", 3, noise=False)
    mu = clean.arrays["counts_per_s"] * m["dwell_s"] * m["n_scans"]
    z = (counts - mu) / np.sqrt(mu)
    assert 0.7 < z.std() < 1.3


def test_narrative_of_figure_3():
    pb, pa = (
        fractions("Pristine", "before cycling", "S 2p"),
        fractions("Pristine", "after 100 cycles", "S 2p"),
    )
    la = fractions("LBPO 0.05-0.15", "after 100 cycles", "S 2p")
    ms, ps4, psnp = "metal sulphide (NiS/CoS)", "argyrodite PS4", "P-[S]n-P"
    assert pa[ms] > 3 * pb[ms]  # metal sulphide grows a lot for pristine
    assert pa[ps4] < pb[ps4] - 0.2  # argyrodite decomposes
    assert la[ms] < pa[ms] / 2 and la[ps4] > pa[ps4]  # LBPO suppresses it
    assert la[psnp] > pb[psnp]  # P-[S]n-P accumulates slightly
    qb, qa = (
        fractions("Pristine", "before cycling", "P 2p"),
        fractions("Pristine", "after 100 cycles", "P 2p"),
    )
    lq = fractions("LBPO 0.05-0.15", "after 100 cycles", "P 2p")
    for name in ("Li3PO4 / P2Sx", "TM-PO4"):
        assert qa[name] > 2 * qb[name]
        assert lq[name] < qa[name] / 1.5


def test_b1s_depth_series():
    series = X.b1s_etch_series(1)
    assert [d.metadata["etch_time_s"] for d in series] == list(S.B1S_ETCH_TIMES_S)
    assert [d.metadata["etch_level"] for d in series] == list(range(len(series)))
    assert [d.label for d in series][2] == "B 1s etch 60 s"
    coat = [
        next(
            c for c in X.b1s_truth(d.metadata["etch_level"])["components"] if "coating" in c["name"]
        )
        for d in series
    ]
    areas = [c["area"] for c in coat]
    assert all(a > b for a, b in zip(areas[:-1], areas[1:], strict=True))
    assert areas[-1] < 0.05 * areas[0]  # boron sits in the coating
    for c in coat:
        assert 191.5 <= c["position_eV"] <= 192.0
    clean = X.b1s_etch_series(1, noise=False)
    peak = [d.arrays["counts_per_s"].max() - d.arrays["counts_per_s"].min() for d in clean]
    assert peak[0] > 2 * peak[-1]
    for d in series:
        assert d.metadata["region"] == "B 1s"
        assert d.metadata["pass_energy_eV"] > 0 and d.metadata["dwell_s"] > 0
