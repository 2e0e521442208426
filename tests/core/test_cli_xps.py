"""`lbpo xps FILE --template NAME --json`: the DESIGN contract on demo and public files."""

from __future__ import annotations

import json

import pytest

from lbpo_gui.cli import main
from lbpo_gui.core.demo.writers import write_vamas
from lbpo_gui.core.demo.xps import core_level_dataset, core_level_truth


def run(capsys, *argv):
    rc = main([*argv, "--json"])
    out, err = capsys.readouterr()
    return rc, (json.loads(out) if rc == 0 else None), err


@pytest.fixture
def demo_vms(tmp_path):
    spectra = [core_level_dataset("Pristine", "after 100 cycles", r, 7) for r in ("P 2p", "S 2p")]
    return write_vamas(tmp_path / "demo.vms", spectra)


@pytest.mark.parametrize("region", [["S", "2p"], ["s2p"], ["S2P"]])
def test_contract_and_region_matching(capsys, demo_vms, region):
    rc, out, err = run(
        capsys, "xps", str(demo_vms), "--region", *region, "--template", "s2p-argyrodite"
    )
    assert rc == 0, err
    assert {"region", "background", "components", "reduced_chi_square"} <= set(out)
    assert out["region"] == "S 2p" and out["background"] == "active Shirley + slope"
    keys = {"name", "position_eV", "fwhm_eV", "area", "area_pct"}
    assert all(keys <= set(c) for c in out["components"])
    truth = core_level_truth("Pristine", "after 100 cycles", "S 2p")["components"]
    by_name = {c["name"]: c for c in out["components"]}
    for t in truth:
        c = by_name[t["name"]]
        assert c["position_eV"] == pytest.approx(t["position_eV"], abs=0.05)  # j = 3/2 line
        assert c["area_pct"] == pytest.approx(100 * t["area_fraction"], abs=2.0)  # both lines
    assert sum(c["area_pct"] for c in out["components"]) == pytest.approx(100.0)
    total = sum(t["area"] for t in truth)
    assert sum(c["area"] for c in out["components"]) == pytest.approx(total, rel=0.03)


def test_mc_adds_monte_carlo_errors(capsys, demo_vms):
    rc, out, err = run(capsys, "xps", str(demo_vms), "--template", "p2p-argyrodite", "--mc", "5")
    assert rc == 0, err
    assert out["region"] == "P 2p" and out["mc"]["n"] == 5
    assert all(c["mc"]["area_pct"]["sd"] > 0 for c in out["components"])


def test_public_phi_file(capsys, shared_data):
    rc, out, err = run(
        capsys,
        "xps",
        str(shared_data / "xps/LG4X/Mutlipak_vms.npl"),
        "--region",
        "S 2p",
        "--template",
        "s2p-argyrodite",
    )
    assert rc == 0, err
    assert out["region"] == "S 2p" and out["format"] == "vamas"


def test_errors_are_one_line(capsys, demo_vms):
    rc, _, err = run(
        capsys, "xps", str(demo_vms), "--region", "C", "1s", "--template", "s2p-argyrodite"
    )
    assert rc == 2 and "has no region 'C 1s'" in err and err.count("\n") == 1
    rc, _, err = run(capsys, "xps", str(demo_vms), "--template", "nope")
    assert rc == 2 and "no XPS template named 'nope'" in err


def test_charge_shift_moves_every_position(capsys, demo_vms):
    args = ("xps", str(demo_vms), "--region", "S 2p", "--template", "s2p-argyrodite")
    _, plain, _ = run(capsys, *args)
    rc, shifted, err = run(capsys, *args, "--charge-shift", "-0.25")
    assert rc == 0, err
    assert plain["charge_shift_eV"] == 0.0 and shifted["charge_shift_eV"] == -0.25
    for a, b in zip(plain["components"], shifted["components"], strict=True):
        assert b["position_eV"] == pytest.approx(a["position_eV"] - 0.25, abs=0.02)
        assert b["area_pct"] == pytest.approx(a["area_pct"], abs=1.0)
    rc, _, err = run(capsys, *args, "--charge-shift", "nan")
    assert rc == 2 and "charge-shift" in err


def test_template_casa_fits_the_casaxps_model_in_the_file(capsys, shared_data, demo_vms):
    from lbpo_gui.core.readers import read
    from lbpo_gui.core.xps.casa import casa_spec_of

    path = shared_data / "xps/pynxtools-xps/FeO_analyzed.vms"
    rc, out, err = run(capsys, "xps", str(path), "--template", "casa")
    assert rc == 0, err
    (t,) = read(path)
    casa = casa_spec_of(t.metadata)
    assert out["background"].startswith("Tougaard")
    assert [c["name"] for c in out["components"]] == [c.name for c in casa.components]
    assert out["template"] == "CasaXPS fit"
    rc, _, err = run(capsys, "xps", str(demo_vms), "--template", "casa")
    assert rc == 2 and "no CasaXPS fit" in err
