"""`lbpo eis FILE --circuit ... --json`: the DESIGN contract, the science, one-line errors."""

from __future__ import annotations

import json

import numpy as np
import pytest

from lbpo_gui.cli import main


def run(capsys, *argv):
    rc = main([*argv, "--json"])
    out, err = capsys.readouterr()
    return rc, (json.loads(out) if rc == 0 else None), err


def test_contract_keys_and_boukamp_tc1(shared_data, capsys):
    rc, out, err = run(
        capsys,
        "eis",
        str(shared_data / "eis/pyimpspec/data.dta"),
        "--circuit",
        "R(RC)(RW)",
        "--kk",
        "--drt",
    )
    assert rc == 0, err
    assert {"circuit", "weighting", "parameters", "chi_square", "arcs", "kk", "drt"} <= set(out)
    assert out["circuit"] == "R(RC)(RW)" and out["weighting"] == "calc-modulus"
    assert [(p["element"], p["name"]) for p in out["parameters"]] == [
        ("R1", "R"),
        ("R2", "R"),
        ("C1", "C"),
        ("R3", "R"),
        ("W1", "Y0"),
    ]
    assert all({"element", "name", "value", "stderr", "unit"} <= set(p) for p in out["parameters"])
    # Boukamp's TC-1 (pyimpspec's mock data, noise-free in this file): R{100}(R{200}C{8e-7})(R{500}W{4e-4})
    values = [p["value"] for p in out["parameters"]]
    np.testing.assert_allclose(values, [100, 200, 8e-7, 500, 4e-4], rtol=1e-6)
    (arc,) = out["arcs"]
    assert {"elements", "capacitance_F", "frequency_Hz", "assignment"} <= set(arc)
    assert arc["elements"] == ["R2", "C1"] and arc["capacitance_F"] == pytest.approx(8e-7)
    assert {"M", "mu", "max_residual_pct"} <= set(out["kk"])
    assert out["kk"]["mu"] <= 0.85 and out["kk"]["max_residual_pct"] < 3
    assert {"lambda", "peaks"} <= set(out["drt"])
    assert all({"tau_s", "R_ohm"} <= set(p) for p in out["drt"]["peaks"])


def test_auto_and_impedance_py_syntax(shared_data, capsys):
    path = str(shared_data / "eis/impedance.py/exampleData.csv")
    rc, out, err = run(
        capsys,
        "eis",
        path,
        "--circuit",
        "R0-p(R1,C1)-p(R2-Wo1,C2)",
        "--weighting",
        "unit",
        "--fmax",
        "1e4",
    )
    assert rc == 0, err
    assert [p["element"] for p in out["parameters"]][:3] == ["R0", "R1", "C1"]
    rc, out, err = run(capsys, "eis", path, "--circuit", "auto")
    assert rc == 0, err
    assert out["circuit"] == "R(QR)(QR)W"


@pytest.mark.parametrize(
    "circuit, message",
    [("R(QR", "character 5"), ("R0-p(R1,X1)", "character 9"), ("", "empty circuit")],
)
def test_bad_circuit_is_one_line_exit_2(shared_data, capsys, circuit, message):
    rc, _, err = run(
        capsys, "eis", str(shared_data / "eis/pyimpspec/data.dta"), "--circuit", circuit
    )
    assert rc == 2 and message in err and err.count("\n") == 1 and "Traceback" not in err


def test_nan_data_and_empty_range_are_one_line_exit_2(tmp_path, capsys, shared_data):
    p = tmp_path / "nan.csv"
    p.write_text("f,Z',Z''\n1000,1,-1\n100,nan,-2\n10,3,-3\n")
    rc, _, err = run(capsys, "eis", str(p), "--circuit", "R(RC)")
    assert rc == 2 and "NaN" in err and err.count("\n") == 1
    rc, _, err = run(
        capsys,
        "eis",
        str(shared_data / "eis/pyimpspec/data.dta"),
        "--circuit",
        "R(RC)",
        "--fmin",
        "1e8",
        "--fmax",
        "1e9",
    )
    assert rc == 2 and "fewer than 2 points" in err


@pytest.mark.parametrize(
    "name",
    [
        "Circuit2_EIS_2.z",
        "exampleDataParstat.txt",
        "exampleDataCHInstruments.txt",
        "exampleDataPowersuite.txt",
    ],
)
def test_a_circuit_that_does_not_fit_still_gives_json_or_one_line(shared_data, capsys, name):
    # the study circuit on spectra of other shapes: degenerate fits, never a traceback or NaN
    rc = main(
        ["eis", str(shared_data / "eis/impedance.py" / name), "--circuit", "auto", "--kk", "--json"]
    )
    out, err = capsys.readouterr()
    assert rc in (0, 2) and "Traceback" not in err
    if rc == 0:
        assert "NaN" not in out and "Infinity" not in out
        assert json.loads(out)["warnings"]
