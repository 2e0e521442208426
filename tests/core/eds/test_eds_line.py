"""The line tool on maps: a line with a width, bilinear sampling, and the interface normal."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.special import ndtr

from lbpo_gui.core.eds import (
    auto_line,
    fit_joint_edges,
    interface_normal,
    line_normal_angle_deg,
    line_profile,
)
from lbpo_gui.core.errors import AnalysisError
from lbpo_gui.core.readers import read
from lbpo_gui.core.readers.hspy_maps import read_hspy_maps

MAPS = "eds/eds-processing-notebooks"


def tilted_maps(
    angle_deg: float, *, px: float = 0.5, shape=(120, 140), sigma=1.5, t50=6.0, rng=None
):
    """Ni (falls) and S (rises) across a straight interface whose normal is at ``angle_deg``."""
    n = np.array([math.cos(math.radians(angle_deg)), math.sin(math.radians(angle_deg))])
    r, c = np.mgrid[0 : shape[0], 0 : shape[1]]
    centre = np.array([(shape[1] - 1) * px / 2, (shape[0] - 1) * px / 2])
    d = (np.stack([c * px, r * px], axis=-1) - centre) @ n
    ni = 4 + 40 * ndtr(-(d - t50 / 2) / sigma)
    s = 2 + 30 * ndtr((d + t50 / 2) / sigma)
    maps = {"Ni": ni, "S": s}
    if rng is not None:
        maps = {k: rng.poisson(v).astype(float) for k, v in maps.items()}
    return maps, n, centre


def test_axis_aligned_line_equals_the_row_sums(shared_data):
    m = read_hspy_maps(sorted((shared_data / MAPS).glob("*.hspy")))
    csv = read(shared_data / MAPS / "REBCO_STO_profile_rowsum.csv")[0]
    px = m.metadata["pixel_size_nm"]
    lp = line_profile(m.arrays, px, (32 * px, 0.0), (32 * px, 44 * px), 65 * px)
    assert lp.n_across == 65
    np.testing.assert_allclose(lp.distance_nm, csv.arrays["distance_nm"], atol=1e-3)
    for el in ("Y", "Sr", "Cu"):
        np.testing.assert_allclose(lp.signals[el], csv.arrays[el], atol=2e-3)
    a = fit_joint_edges(lp.distance_nm, lp.signals, ["Y"], ["Sr"])
    b = fit_joint_edges(csv.arrays["distance_nm"], csv.arrays, ["Y"], ["Sr"])
    for side in ("cathode", "electrolyte"):
        ea, eb = getattr(a, side), getattr(b, side)
        assert ea.center_nm == pytest.approx(eb.center_nm, abs=0.01)
        assert ea.sigma_nm == pytest.approx(eb.sigma_nm, abs=0.01)
    angle, coherence = line_normal_angle_deg(
        m.arrays, px, (32 * px, 0.0), (32 * px, 44 * px), 65 * px
    )
    assert angle < 3.0 and coherence > 0.8
    # a line 16.5 deg off the normal is flagged by its angle
    tilted, _ = line_normal_angle_deg(m.arrays, px, (25 * px, 0), (39 * px, 44 * px), 20 * px)
    assert tilted == pytest.approx(math.degrees(math.atan(14 / 44)), abs=3.0)


@pytest.mark.parametrize("angle", [0.0, 25.0, 60.0, 120.0])
def test_interface_normal_and_a_perpendicular_line(angle):
    rng = np.random.default_rng(5)
    maps, n, centre = tilted_maps(angle, rng=rng)
    est, coherence = interface_normal(maps, 0.5)
    assert abs(abs(est @ n) - 1) < 2e-3 and coherence > 0.5
    start, end = tuple(centre - 20 * n), tuple(centre + 20 * n)
    ang, _ = line_normal_angle_deg(maps, 0.5, start, end, 10.0)
    assert ang < 2.0
    lp = line_profile(maps, 0.5, start, end, 10.0)
    fit = fit_joint_edges(lp.distance_nm, lp.signals, ["Ni"], ["S"])
    assert fit.t50_nm == pytest.approx(6.0, abs=0.15)
    assert fit.cathode.sigma_nm == pytest.approx(1.5, abs=0.15)  # bilinear sampling adds little


def test_an_oblique_line_is_stretched_and_detected():
    maps, n, centre = tilted_maps(0.0)
    beta = math.radians(40)
    u = np.array([math.cos(beta), math.sin(beta)])
    lp = line_profile(maps, 0.5, tuple(centre - 20 * u), tuple(centre + 20 * u), 4.0)
    fit = fit_joint_edges(lp.distance_nm, lp.signals, ["Ni"], ["S"])
    assert fit.t50_nm == pytest.approx(6.0 / math.cos(beta), abs=0.1)
    ang, _ = line_normal_angle_deg(maps, 0.5, tuple(centre - 20 * u), tuple(centre + 20 * u), 4.0)
    assert ang == pytest.approx(40.0, abs=2.0)


def test_sum_mean_and_edges_of_the_map():
    maps, _, _ = tilted_maps(0.0, shape=(40, 60))
    s = line_profile(maps, 0.5, (2.0, 10.0), (27.0, 10.0), 5.0)
    m = line_profile(maps, 0.5, (2.0, 10.0), (27.0, 10.0), 5.0, reduce="mean")
    assert s.n_across == 10
    np.testing.assert_allclose(s.signals["Ni"], 10 * m.signals["Ni"])
    # a line that leaves the map keeps only the positions inside
    out = line_profile(maps, 0.5, (20.0, 10.0), (60.0, 10.0), 2.0)
    assert out.distance_nm[-1] <= 29.5 - 20.0 + 0.26
    assert out.settings()["width_nm"] == 2.0
    with pytest.raises(AnalysisError, match="outside"):
        line_profile(maps, 0.5, (100.0, 100.0), (120.0, 100.0), 2.0)
    with pytest.raises(AnalysisError, match="long"):
        line_profile(maps, 0.5, (1.0, 1.0), (1.2, 1.0), 2.0)


def test_auto_line_crosses_the_interface():
    maps, n, centre = tilted_maps(30.0)
    start, end, width = auto_line(maps, 0.5)
    d = np.subtract(end, start)
    assert abs(d @ n) / np.hypot(*d) > 0.999
    assert width > 10
    lp = line_profile(maps, 0.5, start, end, width)
    assert fit_joint_edges(lp.distance_nm, lp.signals, ["Ni"], ["S"]).t50_nm == pytest.approx(
        6.0, abs=0.1
    )
