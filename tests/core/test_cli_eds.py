"""`lbpo eds FILE --cathode ... --electrolyte ... --json`: the DESIGN contract and clear errors."""

from __future__ import annotations

import json
import zipfile

import pytest

from lbpo_gui.cli import main
from lbpo_gui.core.demo.eds import eds_profile_dataset, eds_profile_truth
from lbpo_gui.core.demo.writers import write_eds_csv

MAPS = "eds/eds-processing-notebooks"


def run(capsys, *argv):
    rc = main([*argv, "--json"])
    out, err = capsys.readouterr()
    return rc, (json.loads(out) if rc == 0 else None), err


def test_contract_keys_on_a_demo_profile(tmp_path, capsys):
    d = eds_profile_dataset("Pristine", "after 100 cycles", 20230529)
    path = write_eds_csv(tmp_path / "p.csv", d)
    rc, out, err = run(capsys, "eds", str(path), "--cathode", "Ni,Co", "--electrolyte", "S,P")
    assert rc == 0, err
    assert {"thickness_nm", "thickness_stderr_nm", "definition", "edges"} <= set(out)
    for side in ("cathode", "electrolyte"):
        assert {"center_nm", "sigma_nm", "width_10_90_nm"} <= set(out["edges"][side])
    truth = eds_profile_truth("Pristine", "after 100 cycles")
    assert out["thickness_nm"] == pytest.approx(truth["t50_nm"], abs=4 * out["thickness_stderr_nm"])
    assert out["definition"].startswith("T50")
    assert out["t_theta"]["fit_nm"] == pytest.approx(20.0, abs=0.5)
    assert out["format"] == "eds-profile-text"
    assert any("P Ka" in w for w in out["warnings"])


def test_rebco_profile_and_its_maps_agree(shared_data, capsys):
    rc, prof, err = run(
        capsys,
        "eds",
        str(shared_data / MAPS / "REBCO_STO_profile_rowsum.csv"),
        "--cathode",
        "Y",
        "--electrolyte",
        "Sr",
    )
    assert rc == 0, err
    c, e = prof["edges"]["cathode"], prof["edges"]["electrolyte"]
    assert abs(c["center_nm"] - e["center_nm"]) < 0.5
    assert 1.5 < c["width_10_90_nm"] < 4 and 1.5 < e["width_10_90_nm"] < 4
    px = 0.8651019056
    rc, maps, err = run(
        capsys,
        "eds",
        str(shared_data / MAPS / "Y_Ka.hspy"),
        str(shared_data / MAPS / "Sr_Ka.hspy"),
        "--cathode",
        "Y",
        "--electrolyte",
        "Sr",
        "--line",
        f"{32 * px},0,{32 * px},{44 * px}",
        "--width-nm",
        f"{65 * px}",
    )
    assert rc == 0, err
    assert maps["edges"]["cathode"]["center_nm"] == pytest.approx(c["center_nm"], abs=0.01)
    assert maps["edges"]["electrolyte"]["sigma_nm"] == pytest.approx(e["sigma_nm"], abs=0.01)
    assert maps["line"]["angle_to_normal_deg"] < 3


def test_velox_maps_run_along_an_automatic_line(shared_data, tmp_path, capsys):
    with zipfile.ZipFile(shared_data / "eds/rosettasciio/velox_emd_version11.zip") as z:
        z.extractall(tmp_path)
    path = tmp_path / "Test SI 16x16 215 kx.emd"
    rc, out, err = run(capsys, "eds", str(path), "--cathode", "Ca", "--electrolyte", "C")
    # 16 x 16 px of near-empty maps: either a refusal in one line or a result with its line
    if rc == 0:
        assert "line" in out
    else:
        assert err.count("\n") == 1 and err.startswith("lbpo: error:")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cathode", "Ni", "--electrolyte", "Zr"], "no Zr column"),
        (["--cathode", "Ni", "--electrolyte", "Co"], "check the side assignment"),
        (["--theta", "2"], "theta"),
        (["--line", "1,2,3"], "x0,y0,x1,y1"),
    ],
)
def test_errors_are_one_line_and_exit_2(tmp_path, capsys, args, message):
    d = eds_profile_dataset("Pristine", "before cycling", 1)
    path = write_eds_csv(tmp_path / "p.csv", d)
    rc = main(["eds", str(path), *args, "--json"])
    out, err = capsys.readouterr()
    assert rc == 2 and out == ""
    assert message in err and err.count("\n") == 1


def test_bad_csv_is_refused_with_file_line_and_expectation(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("Distance (nm),Ni K,S K\n0,1,2\n0.5,x,3\n1,2,3\n")
    rc = main(["eds", str(path), "--json"])
    _, err = capsys.readouterr()
    assert rc == 2
    assert "bad.csv, line 3: value 'x' in column 'Ni K' is not a number" in err
