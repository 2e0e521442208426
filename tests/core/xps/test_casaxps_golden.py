"""Golden test: CasaXPS's own fit of FeO_analyzed.vms, curve for curve.

With the parameters CasaXPS stored in the block's ``CASA region``/``CASA comp`` records, our
SGL(30) components and U3 Tougaard background reproduce CasaXPS's exported curves
(FeO_analyzed_lineshapes_cols.txt, CPS columns) within 1 % of peak height, and the areas
CasaXPS reports within 1 %.
"""

from __future__ import annotations

import numpy as np
import pytest

from lbpo_gui.core.readers import read
from lbpo_gui.core.xps.backgrounds import tougaard_background
from lbpo_gui.core.xps.lineshapes import LineShape


@pytest.fixture(scope="module")
def feo(shared_data):
    folder = shared_data / "xps/pynxtools-xps"
    (t,) = read(folder / "FeO_analyzed.vms")
    lines = (folder / "FeO_analyzed_lineshapes_cols.txt").read_text("latin-1").splitlines()
    cols = np.array([[float(v) for v in ln.split("\t")[9:17]] for ln in lines[8:]])
    cols = cols[np.argsort(cols[:, 0])]
    return t, cols


def test_tougaard_u3_background(feo):
    t, cols = feo
    x, y = t.arrays["binding_energy_eV"], t.arrays["counts_per_s"]
    region = t.metadata["casa_fit"]["regions"][0]
    b, c, d = region["background_parameters"]
    inside = (x >= region["start_eV"]) & (x <= region["end_eV"])
    ours = tougaard_background(
        x[inside], y[inside], kind="U3", b=b, c=c, d=d, average_points=int(region["average_width"])
    )
    casa = cols[inside, 6]
    peak_height = float(np.max(cols[:, 7] - cols[:, 6]))
    assert np.max(np.abs(ours - casa)) < 0.01 * peak_height


def test_sgl30_components_and_areas(feo):
    t, cols = feo
    x = t.arrays["binding_energy_eV"]
    np.testing.assert_allclose(cols[:, 0], x)
    comps = t.metadata["casa_fit"]["components"]
    checked = 0
    for k, comp in enumerate(comps):
        if comp["line_shape"] != "SGL(30)":
            continue
        casa = cols[:, 2 + k] - cols[:, 6]  # CasaXPS exports component + background
        shape = LineShape.parse(comp["line_shape"])
        ours = (
            comp["area"]
            * shape.profile(x, np.array([comp["position_eV"]]), np.array([comp["fwhm_eV"]]))[0]
        )
        height = casa.max()
        assert np.max(np.abs(ours - casa)) < 0.01 * height
        # the area CasaXPS reports is the full analytic area: our area from its curve's height
        assert height * shape.height_to_area(comp["fwhm_eV"]) == pytest.approx(
            comp["area"], rel=0.01
        )
        checked += 1
    assert checked == 2
