"""EDS line profiles: erf edges whose 10 % overlap (T10) is the study's interlayer thickness."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from lbpo_gui.core.demo import eds as E

CASES = [
    ("Pristine", "before cycling", 5.0),
    ("Pristine", "after 100 cycles at 170 mA/g", 20.0),
    ("LBPO 0.05-0.15", "after 100 cycles at 170 mA/g", 7.0),
]


def crossing(x: np.ndarray, y: np.ndarray, level: float = 0.5) -> float:
    """x where a monotonic y crosses ``level`` (linear interpolation)."""
    k = np.flatnonzero(np.diff(np.sign(y - level)) != 0)[0]
    return float(x[k] + (level - y[k]) * (x[k + 1] - x[k]) / (y[k + 1] - y[k]))


def normalised(d, elements) -> np.ndarray:
    edges = E.eds_profile_truth(d.metadata["sample"], d.metadata["state"])["edges"]
    return np.mean(
        [(d.arrays[el] - edges[el]["background"]) / edges[el]["amplitude"] for el in elements],
        axis=0,
    )


@pytest.mark.parametrize(("sample", "state", "thickness"), CASES)
def test_t10_and_t50_of_the_noise_free_profiles(reference_dir, sample, state, thickness):
    with open(reference_dir / "eds_interlayer_thickness.csv", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["sample"] == sample and r["state"] == state]
    assert float(rows[0]["interlayer_thickness_nm"]) == thickness
    d = E.eds_profile_dataset(sample, state, 1, noise=False)
    x = d.arrays["distance_nm"]
    cathode = normalised(d, ("Ni", "Co"))  # falls
    electrolyte = normalised(d, ("S", "P"))  # rises
    truth = E.eds_profile_truth(sample, state)
    t50 = crossing(x, cathode) - crossing(x, electrolyte)
    assert t50 == pytest.approx(truth["t50_nm"], abs=0.05)
    # the study's reading: both sides at >= 10 % of their bulk levels
    t10 = crossing(x, cathode, 0.1) - crossing(x, electrolyte, 0.1)
    assert t10 == pytest.approx(thickness, abs=0.05)
    assert truth["thickness_nm"] == truth["t10_nm"] == thickness
    assert truth["definition"] == "T10"
    assert 0 < truth["t50_nm"] < thickness
    assert d.metadata["signal_unit"] == "counts"


def test_profile_shape_and_noise():
    d = E.eds_profile_dataset("Pristine", "after 100 cycles", 4)
    x = d.arrays["distance_nm"]
    assert x[0] == 0.0 and x[-1] == pytest.approx(80.0)
    np.testing.assert_allclose(np.diff(x), 0.5)
    assert d.metadata["pixel_size_nm"] == 0.5
    for el in ("Ni", "Co", "S", "P"):
        counts = d.arrays[el]
        np.testing.assert_array_equal(counts, np.rint(counts))
        assert counts.min() >= 0
    assert d.arrays["Ni"][:20].mean() > 10 * d.arrays["Ni"][-20:].mean()
    assert d.arrays["S"][-20:].mean() > 10 * d.arrays["S"][:20].mean()
    # edges broaden with cycling
    before = E.eds_profile_truth("Pristine", "before cycling")["edges"]
    after = E.eds_profile_truth("Pristine", "after 100 cycles")["edges"]
    assert after["Ni"]["sigma_nm"] > before["Ni"]["sigma_nm"]
    same = E.eds_profile_dataset("Pristine", "after 100 cycles", 4)
    other = E.eds_profile_dataset("Pristine", "after 100 cycles", 5)
    np.testing.assert_array_equal(d.arrays["Ni"], same.arrays["Ni"])
    assert not np.array_equal(d.arrays["Ni"], other.arrays["Ni"])
