"""Quantification, charge correction and the built-in templates."""

from __future__ import annotations

import csv

import pytest

from lbpo_gui.core.xps.quantification import (
    QuantPeak,
    atomic_percent,
    charge_shift,
    rsf,
)
from lbpo_gui.core.xps.templates import (
    builtin_template,
    load_template,
    save_template,
    template_from_dict,
    template_names,
    template_to_dict,
)


def test_rsf_libraries_and_atomic_percent():
    assert rsf("B 1s", "scofield") == 0.486 and rsf("b1s") == 0.3765
    assert rsf("S2p3/2", "althermo1") == 1.245
    with pytest.raises(KeyError, match="no RSF"):
        rsf("Xx 9z")
    peaks = [
        QuantPeak("C", 1000.0, 1.0, 284.8),
        QuantPeak("S", 1881.0, rsf("S 2p"), 161.6),
    ]
    at = atomic_percent(peaks, photon_energy_eV=1486.6, ke_exponent=0.0)
    assert at["C"] == pytest.approx(50.0) and at["S"] == pytest.approx(50.0)
    # KE^0.6: the lower-KE (C 1s) line is escape-depth-corrected less strongly
    at6 = atomic_percent(peaks, photon_energy_eV=1486.6)
    ratio = ((1486.6 - 161.6) / (1486.6 - 284.8)) ** 0.6
    assert at6["C"] / at6["S"] == pytest.approx(ratio)
    half_t = [QuantPeak("C", 1000.0, 1.0, 284.8, 0.5), QuantPeak("S", 1881.0, 1.881, 161.6)]
    assert atomic_percent(half_t, ke_exponent=0)["C"] == pytest.approx(200 / 3)


def test_charge_shift():
    assert charge_shift(285.3) == pytest.approx(-0.5)
    assert charge_shift(531.0, reference_eV=529.8) == pytest.approx(-1.2)


def test_builtin_templates_match_reference_positions(reference_dir):
    assert {"s2p-argyrodite", "p2p-argyrodite", "b1s"} <= set(template_names())
    rows = list(csv.DictReader((reference_dir / "xps_components.csv").open()))
    for region, name in (("S 2p", "s2p-argyrodite"), ("P 2p", "p2p-argyrodite")):
        t = builtin_template(name)
        assert t.region == region
        ref = {r["component"]: r for r in rows if r["region"] == region}
        assert {c.name for c in t.components} == set(ref)
        main = t.components[0]
        for c in t.components:
            r = ref[c.name]
            assert c.position_eV == pytest.approx(float(r["peak_2p3_2_eV"]))
            assert c.position_eV + c.doublet.splitting_eV == pytest.approx(
                float(r["peak_2p1_2_eV"])
            )
            assert c.doublet.area_ratio == 0.5
            if c is not main:
                link = c.position_link
                assert (link.ref, link.mode) == (main.name, "offset")
                assert link.value == pytest.approx(c.position_eV - main.position_eV)


def test_template_round_trip(tmp_path):
    t = builtin_template("s2p-argyrodite")
    t.components[0].doublet.splitting_eV = 1.18  # editable per element
    path = save_template(t, tmp_path / "mine.json")
    back = load_template(path)
    assert back == t
    assert template_from_dict(template_to_dict(t)) == t
    assert load_template("b1s").region == "B 1s"
    with pytest.raises(ValueError, match="unknown component field"):
        template_from_dict(
            {"region": "S 2p", "components": [{"name": "a", "position_eV": 1, "eval": "x"}]}
        )
    with pytest.raises(KeyError, match="no XPS template"):
        load_template("nope")


def test_charge_shift_from_a_fitted_reference():
    import numpy as np

    from lbpo_gui.core.xps.fit import fit_spectrum
    from lbpo_gui.core.xps.lineshapes import LineShape
    from lbpo_gui.core.xps.model import Background, Component, FitSpec
    from lbpo_gui.core.xps.quantification import charge_shift_from_fit

    x = np.arange(280.0, 292.0, 0.05)
    y = 200 + 3000 * LineShape.parse("GL(30)").profile(x, np.array([285.3]), np.array([1.2]))[0]
    spec = FitSpec("C 1s", [Component("C 1s C-C", 285.0, 1.0)], Background("linear"))
    r = fit_spectrum(x, y, spec)
    assert charge_shift_from_fit(r) == pytest.approx(-0.5, abs=1e-4)
