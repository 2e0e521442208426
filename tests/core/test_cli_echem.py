"""`lbpo echem FILE --json` on real instrument files: the DESIGN contract and the pinned science."""

from __future__ import annotations

import json

import pytest

from lbpo_gui.cli import main

JDB11 = "echem/navani/jdb11-1_c3_gcpl_5cycles_2V-3p8V_C-24_data_C09.mpr"


def run(capsys, *argv):
    rc = main([*argv, "--json"])
    out, err = capsys.readouterr()
    return rc, (json.loads(out) if rc == 0 else None), err


def test_contract_keys(shared_data, capsys):
    rc, out, err = run(capsys, "echem", str(shared_data / "echem/yadg-eclab/gcpl.issue_211.mpt"))
    assert rc == 0, err
    assert {"active_mass_mg", "cycles", "rate_steps"} <= set(out)
    assert out["active_mass_mg"] == pytest.approx(0.79)  # from the EC-Lab header
    cycle_keys = {
        "cycle",
        "charge_mAh_g",
        "discharge_mAh_g",
        "coulombic_efficiency_pct",
        "current_mA_g",
    }
    assert all(cycle_keys <= set(c) for c in out["cycles"])
    assert all({"current_mA_g", "cycles"} <= set(s) for s in out["rate_steps"])
    # EC-Lab's own per-half-cycle capacities: +0.0575 mAh charge, -0.0534 mAh discharge.
    c1 = out["cycles"][0]
    assert c1["cycle"] == 1
    assert c1["charge_mAh_g"] * 0.79 / 1000 == pytest.approx(0.0575, rel=0.01)
    assert c1["discharge_mAh_g"] * 0.79 / 1000 == pytest.approx(0.0534, rel=0.01)


def test_jdb11_starts_with_a_partial_discharge(shared_data, capsys):
    rc, out, err = run(capsys, "echem", str(shared_data / JDB11), "--active-mass-mg", "1.0")
    assert rc == 0, err
    cycles = {c["cycle"]: c for c in out["cycles"]}
    assert cycles[0]["charge_mAh_g"] == 0 and cycles[0]["coulombic_efficiency_pct"] is None
    assert cycles[0]["discharge_mAh_g"] == pytest.approx(206.53, rel=1e-3)
    assert cycles[1]["coulombic_efficiency_pct"] == pytest.approx(86.43, abs=0.01)
    assert out["first_cycle_ce_pct"] == pytest.approx(86.43, abs=0.01)


@pytest.mark.parametrize(
    "stem", ["gcpl.issue_211", "gcpl.issue_149", "bcd.issue_241", "gcpl.issue_226.I"]
)
def test_mpr_and_mpt_give_the_same_capacities(shared_data, capsys, stem):
    folder = shared_data / "echem/yadg-eclab"
    rc1, mpt, err1 = run(capsys, "echem", str(folder / f"{stem}.mpt"), "--active-mass-mg", "1")
    rc2, mpr, err2 = run(capsys, "echem", str(folder / f"{stem}.mpr"), "--active-mass-mg", "1")
    assert rc1 == rc2 == 0, err1 + err2
    assert len(mpt["cycles"]) == len(mpr["cycles"])
    for a, b in zip(mpt["cycles"], mpr["cycles"], strict=True):
        assert a["charge_mAh_g"] == pytest.approx(b["charge_mAh_g"], rel=1e-6, abs=1e-9)
        assert a["discharge_mAh_g"] == pytest.approx(b["discharge_mAh_g"], rel=1e-6, abs=1e-9)


def test_missing_mass_is_a_clear_error(shared_data, capsys):
    # mb.issue_95 holds EC-Lab's placeholder mass 0.001 mg, which is not taken as a mass.
    rc, _, err = run(capsys, "echem", str(shared_data / "echem/yadg-eclab/mb.issue_95.mpt"))
    assert rc == 2 and "no active mass" in err and "--active-mass-mg" in err


def test_file_of_another_kind_is_refused(shared_data, capsys):
    rc, _, err = run(capsys, "echem", str(shared_data / "eis/impedance.py/exampleDataBioLogic.mpt"))
    assert rc == 2 and "exampleDataBioLogic.mpt" in err and err.count("\n") == 1


def test_truncated_and_currentless_files(tmp_path, shared_data, capsys):
    src = (shared_data / "echem/yadg-eclab/gcpl.issue_211.mpt").read_bytes()
    cut = tmp_path / "cut.mpt"
    cut.write_bytes(src[:1500])
    rc, _, err = run(capsys, "echem", str(cut), "--active-mass-mg", "1")
    assert rc == 2 and "cut.mpt" in err
    rc, _, err = run(
        capsys,
        "echem",
        str(shared_data / "echem/yadg-eclab/gcpl.issue_211.mpt"),
        "--active-mass-mg",
        "-1",
    )
    assert rc == 2 and "greater than 0" in err


def test_demo_mpt_through_the_command_line(tmp_path, capsys):
    from lbpo_gui.core.demo.build import demo_samples
    from lbpo_gui.core.demo.writers import write_biologic_gcpl_mpt

    pristine = demo_samples()[0]
    path = write_biologic_gcpl_mpt(
        tmp_path / "pristine.mpt", pristine.datasets[0], decimal_comma=True
    )
    rc, out, err = run(capsys, "echem", str(path))
    assert rc == 0, err
    assert out["active_mass_mg"] == pytest.approx(10.294, abs=1e-3)
    reps = [(round(s["current_mA_g"]), s["representative_cycle"]) for s in out["rate_steps"]]
    assert reps == [(17, 1), (85, 7), (170, 12), (340, 17)]
    caps = [s["discharge_mAh_g"] for s in out["rate_steps"]]
    assert caps == pytest.approx([178.7, 129.3, 108.8, 82.1], rel=0.005)
    assert out["first_cycle_ce_pct"] == pytest.approx(76.37, abs=0.3)


def test_cut_file_reports_dropped_row_and_partial_half_cycle(tmp_path, shared_data, capsys):
    """A file cut mid-row during a charge: both facts reach `lbpo echem` warnings."""
    src = (shared_data / "echem/yadg-eclab/gcpl.issue_211.mpt").read_bytes()
    head = src[: int(len(src) * 0.66)]
    cut = tmp_path / "cut.mpt"
    cut.write_bytes(head[: head.rfind(b"\t")])
    rc, out, err = run(capsys, "echem", str(cut))
    assert rc == 0, err
    assert out["warnings"][0] == "last data row (line 1905) is incomplete and was dropped"
    assert (
        "the record ends during a charge (42.16 mAh/g, 62 % of the previous one)"
        in (out["warnings"][1])
    )
    assert len(out["cycles"]) == 4


def test_time_going_backwards_is_one_line_with_file_line_and_values(tmp_path, capsys):
    rows = [f"1\t1\t{t}\t3.7\t0.1\t0\t0.0" for t in ("10.0", "20.0", "30.5", "25.25", "40.0")]
    p = tmp_path / "back.mpt"
    head = ["EC-Lab ASCII FILE", "Nb header lines : 4", "", "Galvanostatic Cycling"]
    cols = "mode\tox/red\ttime/s\tEwe/V\tI/mA\thalf cycle\tQ charge/discharge/mA.h\t"
    p.write_text("\r\n".join([*head[:3], cols, *rows]) + "\r\n")
    rc, _, err = run(capsys, "echem", str(p), "--active-mass-mg", "1")
    assert rc == 2 and err.count("\n") == 1
    assert "back.mpt, line 8: time goes backwards, 25.25 s after 30.5 s on line 7" in err
