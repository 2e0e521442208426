"""Batch fits: warm starts, process pool, progress and cancel."""

from __future__ import annotations

import pytest

from lbpo_gui.core.eis.batch import fit_batch, shutdown_pool

from .synth import FREQ, TRUE, study_spectrum


def _spectra(n):
    out = []
    for k in range(n):
        v = TRUE.copy()
        v[6] = 165.3 * (1 + 0.05 * k)  # the interface resistance grows cycle by cycle
        out.append((FREQ, study_spectrum(k, values=v)))
    return out


@pytest.mark.parametrize("workers", [1, 2])
def test_batch_recovers_the_trend(workers):
    seen = []
    items = fit_batch(
        "auto", _spectra(6), workers=workers, progress=lambda d, t: seen.append((d, t))
    )
    shutdown_pool()
    assert all(i is not None and i.error is None for i in items)
    r_el = [i.resistances["R_electrode_SE_ohm"] for i in items]
    for k, r in enumerate(r_el):
        assert r == pytest.approx(165.3 * (1 + 0.05 * k), rel=0.03)
    assert seen[-1] == (6, 6)


def test_batch_cancel_and_failures():
    spectra = _spectra(4)
    bad_f, bad_z = spectra[1]
    bad_z = bad_z.copy()
    bad_z[0] = float("nan")
    spectra[1] = (bad_f, bad_z)
    calls = []

    def cancel():
        calls.append(1)
        return len(calls) > 3

    items = fit_batch("R(QR)(QR)W", spectra, workers=1, cancel=cancel)
    assert items[1] is not None and "NaN" in items[1].error
    assert items[3] is None  # cancelled before the 4th
