"""Every public cycling sample file in ../shared/data/echem read through the registry.

Each file is read with ``lbpo_gui.core.readers.read(path)`` (content sniffing picks the reader)
and the reader, row count and a few values are pinned. Reference values come from the field
notes (echem.md section 3) where they exist, otherwise from the files themselves (first rows
checked by eye against the raw text).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from lbpo_gui.core.readers import choose_reader, read

# file -> (reader, rows, first vendor time [s], last time_s, first voltage [V],
#          max current [mA], min current [mA], active mass [mg] or None)
EXPECTED: dict[str, tuple] = {
    "yadg-eclab/bcd.issue_241.mpt": (
        "biologic_mpt", 2550, 728075.5286810044, 71502.5734583, 0.81357974,
        0.57063133, -0.57179165, 7000.0,
    ),
    "yadg-eclab/gcpl.issue_149.mpt": (
        "biologic_mpt", 132, 30.15299923827115, 629.8327971, 3.4228721,
        0.03001141560008716, -0.02999932433341786, None,
    ),
    "yadg-eclab/gcpl.issue_211.mpt": (
        "biologic_mpt", 2767, 88246.5172643693, 28739.7462019, -0.32233408,
        0.06803582520462914, -0.06795376495541657, 0.79,
    ),
    "yadg-eclab/gcpl.issue_226.I.mpt": (
        "biologic_mpt", 15, 0.04819999878236558, 118.817397, -0.050306384,
        0.1200271448463726, -0.1199651637550956, 1.39,
    ),
    "yadg-eclab/gcpl.pr_182.1.mpt": (
        "biologic_mpt", 2533, 0.0, 302518.9476076, 2.3403094,
        0.2217722801088689, -0.2500535543122629, None,
    ),
    "yadg-eclab/mb.issue_95.mpt": (
        "biologic_mpt", 33, 0.0, 30.0001992, 2.3278546, 100.01924, -64.990448, None,
    ),
    "yadg-eclab/mb.issue_95.de.mpt": (
        "biologic_mpt", 33, 0.0, 30.0001992, 2.3278546, 100.01924, -64.990448, None,
    ),
    "cellpy/neware_uio.csv": (
        "neware_csv", 9065, 0.0, 518538.0, 2.917, 0.99174, -0.9918, 2.08,
    ),
    "cellpy/nw_regular_export_ife_example.csv": (
        "neware_nested_csv", 9295, 0.0, 100543.0, 4.3185, 500.0, -500.0, None,
    ),
    "cellpy/20260302_IFE_BTS85_2_9_8_1.ndax": (
        "neware_nda", 252951, 0.0, 252946.0, 0.2069546, 119.665237, 0.0, None,
    ),
    "navani/test.ndax": ("neware_nda", 1464, 0.0, 43800.0, 3.4666, 0.12, -0.1199, None),
    "navani/test.nda": ("neware_nda", 439, 0.0, 721.6, -0.0911, 0.0505, -0.0505, 1.0),
    "cellpy/maccor_001.txt": (
        "maccor_txt", 6704, 0.0, 183171.57, 3.4625, 1502.33, -10018.31, None,
    ),
    "navani/maccor_example.txt": ("maccor_txt", 37, 0.0, 2220.0, 2.314, 0.61, -0.61, None),
    "navani/bs542_004_gr_li_50ua_50mv_1v_191020_Channel_11.xlsx": (
        "arbin_xlsx", 4526, 1.001, 1204814.80968, 2.637298583984375,
        0.052616000175476074, -0.05002680700272322, None,
    ),
    "navani/NJK_CC_156_C30_C_x30.xlsx": (
        "landt_xlsx", 62305, 0.0, 302112.0, 3.1073, 0.027, -0.027, 0.1,
    ),
}  # fmt: skip

MPR_EXPECTED: dict[str, tuple] = {
    "navani/jdb11-1_c3_gcpl_5cycles_2V-3p8V_C-24_data_C09.mpr": (
        46102,
        0.0,
        456309.586151,
        2.508575916290283,
        0.0888225437,
        -0.0887794159,
    ),
    "yadg-eclab/bcd.issue_241.mpr": (
        2550,
        728075.5286810044,
        71502.5734583,
        0.8135797381,
        0.5706313252,
        -0.5717916489,
    ),
    "yadg-eclab/gcpl.issue_149.mpr": (
        132,
        30.15299923827115,
        629.8327971,
        3.4228720665,
        0.0300114156,
        -0.0299993243,
    ),
    "yadg-eclab/gcpl.issue_211.mpr": (
        2767,
        88246.5172643693,
        28739.7462019,
        -0.3223340809,
        0.0680358252,
        -0.067953765,
    ),
    "yadg-eclab/gcpl.issue_226.I.mpr": (
        15,
        0.04819999878236558,
        118.817397,
        -0.0503063835,
        0.1200271448,
        -0.1199651638,
    ),
}


@pytest.fixture(scope="module")
def echem(shared_data: Path) -> Path:
    return shared_data / "echem"


def _one(path: Path):
    tables = read(path)
    assert len(tables) == 1
    return tables[0]


def test_every_sample_file_is_covered(echem: Path) -> None:
    """No sample file is left untested (new files must be added to the tables above)."""
    files = {p.relative_to(echem).as_posix() for p in echem.rglob("*") if p.is_file()}
    assert files == set(EXPECTED) | set(MPR_EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_file(echem: Path, name: str) -> None:
    rdr, rows, t0, t_last, v0, i_max, i_min, mass = EXPECTED[name]
    path = echem / name
    assert choose_reader(path).name == rdr
    d = _one(path)
    a = d.arrays
    assert d.kind == "cycling"
    assert d.reader == rdr
    json.dumps(d.metadata)  # metadata must stay JSON-serialisable
    assert d.n_points == rows
    for k in ("time_s", "voltage_V", "current_mA"):
        assert a[k].dtype == np.float64 and len(a[k]) == rows
        assert np.isfinite(a[k]).all()
    assert a["time_s"][0] == 0.0
    assert d.metadata["time_offset_s"] == pytest.approx(t0, rel=1e-12, abs=1e-12)
    assert a["time_s"][-1] == pytest.approx(t_last, rel=1e-9, abs=1e-6)
    assert a["voltage_V"][0] == pytest.approx(v0, rel=1e-6)
    assert a["current_mA"].max() == pytest.approx(i_max, rel=1e-6)
    assert a["current_mA"].min() == pytest.approx(i_min, rel=1e-6, abs=1e-12)
    if mass is None:
        assert "active_mass_mg" not in d.metadata
    else:
        assert d.metadata["active_mass_mg"] == pytest.approx(mass, rel=1e-9)


@pytest.mark.parametrize("name", sorted(MPR_EXPECTED))
def test_mpr_file(echem: Path, name: str) -> None:
    rows, t0, t_last, v0, i_max, i_min = MPR_EXPECTED[name]
    d = _one(echem / name)
    assert d.reader == "biologic_mpr"
    assert d.n_points == rows
    assert d.metadata["time_offset_s"] == pytest.approx(t0, rel=1e-12, abs=1e-12)
    assert d.arrays["time_s"][-1] == pytest.approx(t_last, rel=1e-9)
    assert d.arrays["voltage_V"][0] == pytest.approx(v0, rel=1e-9)
    assert d.arrays["current_mA"].max() == pytest.approx(i_max, rel=1e-8)
    assert d.arrays["current_mA"].min() == pytest.approx(i_min, rel=1e-8)


@pytest.mark.parametrize(
    "stem", ["bcd.issue_241", "gcpl.issue_149", "gcpl.issue_211", "gcpl.issue_226.I"]
)
def test_mpr_and_mpt_agree(echem: Path, stem: str) -> None:
    mpr = _one(echem / "yadg-eclab" / f"{stem}.mpr")
    mpt = _one(echem / "yadg-eclab" / f"{stem}.mpt")
    assert mpr.n_points == mpt.n_points
    for k in ("time_s", "voltage_V", "current_mA", "half_cycle", "capacity_mAh"):
        np.testing.assert_allclose(mpr.arrays[k], mpt.arrays[k], rtol=1e-6, atol=1e-9, err_msg=k)
    np.testing.assert_array_equal(mpr.arrays["ox_red"], mpt.arrays["ox_red"])
    assert mpr.metadata["time_offset_s"] == pytest.approx(mpt.metadata["time_offset_s"])
    assert mpr.metadata["start_time"][:19] == mpt.metadata["start_time"][:19]


def test_jdb11_mpr_half_cycles(echem: Path) -> None:
    """46,102 rows and the signed end-of-half-cycle charges of the notes (section 3)."""
    d = _one(echem / "navani/jdb11-1_c3_gcpl_5cycles_2V-3p8V_C-24_data_C09.mpr")
    assert d.n_points == 46102
    assert "current_source" in d.metadata and "dq" in d.metadata["current_source"]
    hc, q = d.arrays["half_cycle"], d.arrays["capacity_mAh"]
    ends = np.r_[np.flatnonzero(np.diff(hc) != 0), len(hc) - 1]
    got = {int(hc[i]): float(q[i]) for i in ends}
    expected = {
        0: -0.20653, 2: 0.98678, 3: -0.85285, 4: 0.93709, 5: -0.87633, 6: 0.94194,
        7: -0.87468, 8: 0.94793, 9: -0.87666, 10: 0.95169, 11: -0.87861, 12: 0.95589,
        13: -0.87949,
    }  # fmt: skip
    assert set(got) == set(expected)  # no half cycle 1: the file starts with a discharge
    for k, v in expected.items():
        assert got[k] == pytest.approx(v, abs=5e-6)
    # current sign follows the half cycle: even (after 0) = charge (+), odd = discharge (-)
    i = d.arrays["current_mA"]
    assert (i[(hc == 2) & (np.abs(i) > 1e-3)] > 0).all()
    assert (i[(hc == 3) & (np.abs(i) > 1e-3)] < 0).all()


def test_decimal_comma_twin_equals_english_file(echem: Path) -> None:
    de = _one(echem / "yadg-eclab/mb.issue_95.de.mpt")
    en = _one(echem / "yadg-eclab/mb.issue_95.mpt")
    assert de.metadata["decimal_separator"] == ","
    assert en.metadata["decimal_separator"] == "."
    assert set(de.arrays) == set(en.arrays)
    for k in de.arrays:
        np.testing.assert_array_equal(de.arrays[k], en.arrays[k], err_msg=k)


def test_mpt_metadata_and_columns(echem: Path) -> None:
    d = _one(echem / "yadg-eclab/gcpl.issue_211.mpt")
    m = d.metadata
    assert m["technique"] == "Galvanostatic Cycling with Potential Limitation"
    assert m["device"] == "VMP3 (SN 0858)"
    assert m["channel"] == "8"
    assert m["acquisition_start"] == "2025-05-28T14:23:16.145000"
    # start_time is the time of the first row = acquisition start + 88246.517 s
    assert m["start_time"].startswith("2025-05-29T14:54:02.66")
    assert m["active_mass_mg"] == pytest.approx(0.79)
    assert m["active_mass_source"] == "Mass of active material"
    assert m["encoding"] == "cp1252"
    assert m["current_column"] == "<I>/mA"
    assert m["capacity_semantics"] == "per_half_cycle"
    hc, q, i = d.arrays["half_cycle"], d.arrays["capacity_mAh"], d.arrays["current_mA"]
    # notes section 2.1: half cycle 0 is a charge (ox/red 1, Q +0.0575), half cycle 1 a discharge
    assert q[hc == 0][-1] == pytest.approx(0.0575, abs=1e-4)
    assert q[hc == 1][-1] == pytest.approx(-0.0534, abs=1e-4)
    assert (d.arrays["ox_red"][hc == 0] == 1).all()
    assert (d.arrays["source_cycle"][hc <= 1] == 0).all()
    assert (i[hc == 0][1:] > 0).all() and (i[hc == 1][1:] < 0).all()


def test_bcd_uses_ecell_and_bt_lab_header(echem: Path) -> None:
    d = _one(echem / "yadg-eclab/bcd.issue_241.mpt")
    m = d.metadata
    assert m["voltage_column"] == "Ecell/V"
    assert m["software"].startswith("BT-LAB for windows v1.79")
    assert m["header_masses"]["Characteristic mass"] == "0.001 g"
    # 'Mass of active material : 7000.000 mg' wins over the 0.001 g placeholder
    assert m["active_mass_mg"] == 7000.0
    assert m["battery_capacity_mAh"] == pytest.approx(5.452)  # the "Modify on" value
    assert d.arrays["current_mA"][0] == pytest.approx(-0.57072818)  # starts with a discharge


def test_placeholder_masses_are_not_reported(echem: Path) -> None:
    for name in ("gcpl.issue_149.mpt", "mb.issue_95.mpt", "mb.issue_95.de.mpt"):
        m = _one(echem / "yadg-eclab" / name).metadata
        assert "active_mass_mg" not in m
        assert any("0,001" in v or "0.001" in v for v in m["header_masses"].values())


def test_nb_header_lines_3(echem: Path) -> None:
    d = _one(echem / "yadg-eclab/gcpl.pr_182.1.mpt")
    assert "technique" not in d.metadata
    assert d.arrays["voltage_V"][:2] == pytest.approx([2.3403094, 2.3453271])
    assert d.arrays["time_s"][1] == pytest.approx(8.365199788677273)


def test_neware_record_csv(echem: Path) -> None:
    d = _one(echem / "cellpy/neware_uio.csv")
    a, m = d.arrays, d.metadata
    assert m["time_column"] == "Cumulative Time"
    assert m["capacity_semantics"] == "per_step"
    assert m["start_time"] == "2022-05-18T16:27:52"
    assert m["active_mass_mg"] == pytest.approx(2.08)  # 4.68031 mAh / 2250.15 mAh/g
    # row 722 starts the first CC DChg step at -0.24859 mA (Current(A) -0.00024859)
    assert a["current_mA"][721] == pytest.approx(-0.24859)
    assert a["step_index"][721] == 2 and a["source_cycle"][721] == 1
    assert a["capacity_mAh"][-1] == pytest.approx(1.43796)
    assert a["time_s"][1] == 60.0
    assert a["source_cycle"][-1] == 4 and a["step_index"][-1] == 13


def test_neware_nested_csv(echem: Path) -> None:
    d = _one(echem / "cellpy/nw_regular_export_ife_example.csv")
    a, m = d.arrays, d.metadata
    assert m["n_cycle_rows"] == 20 and m["n_step_rows"] == 81
    assert m["step_index_semantics"].startswith("global")
    np.testing.assert_array_equal(np.unique(a["source_cycle"]), np.arange(1, 21))
    # DataPoint 12 (line 17) opens step 2 (CC Chg, +0.5 A); DataPoint 175 opens step 4 (CC DChg)
    assert a["step_index"][0] == 1 and a["step_index"][11] == 2 and a["step_index"][174] == 4
    assert a["current_mA"][11] == 500.0 and a["current_mA"][174] == -500.0
    assert a["capacity_mAh"][175] == pytest.approx(3.952853)
    assert a["step_index"][-1] == 81 and a["source_cycle"][-1] == 20
    assert a["voltage_V"][-1] == pytest.approx(4.1544)


def test_neware_ndax_reference_values(echem: Path) -> None:
    """navani's test suite: 1,464 rows, max current 0.12 mA, mean -0.00276 mA, max V 4.3998."""
    d = _one(echem / "navani/test.ndax")
    a = d.arrays
    assert a["current_mA"].max() == pytest.approx(0.12, abs=1e-6)
    assert a["current_mA"].mean() == pytest.approx(-0.00276, abs=1e-5)
    assert a["voltage_V"].max() == pytest.approx(4.3998, abs=1e-4)
    assert d.metadata["channel"] == "16-1-7"
    assert d.metadata["start_time"] == "2024-02-01T20:24:23"
    assert d.metadata["capacity_signed"] is True
    # capacity is signed and resets per step: negative on the discharge step
    assert a["capacity_mAh"].min() == pytest.approx(-0.625451, rel=1e-5)


def test_neware_big_ndax(echem: Path) -> None:
    d = _one(echem / "cellpy/20260302_IFE_BTS85_2_9_8_1.ndax")
    assert d.n_points == 252951
    assert d.metadata["channel"] == "2-0-72"
    assert d.arrays["capacity_mAh"][-1] == pytest.approx(1390.5748, rel=1e-6)
    assert (d.arrays["current_mA"] >= 0).all()  # a formation first charge only


def test_arbin_xlsx(echem: Path) -> None:
    d = _one(echem / "navani/bs542_004_gr_li_50ua_50mv_1v_191020_Channel_11.xlsx")
    a, m = d.arrays, d.metadata
    assert m["channel"] == "11" and m["sheets"] == ["Channel_11_1"]
    assert m["start_time"].startswith("2020-10-19T11:31:46.58")
    assert m["schedule"] == "Ben\\bs542_graphite_slow_rate.sdu"
    # notes 2.3: Cycle_Index stays 1; capacities climb to 0.011055 / 0.005703 Ah
    assert (a["source_cycle"] == 1).all()
    assert a["discharge_capacity_mAh"].max() == pytest.approx(11.0549, abs=1e-4)
    assert a["charge_capacity_mAh"].max() == pytest.approx(5.7027, abs=1e-4)
    assert a["current_mA"][10] < 0  # first lithiation of graphite = discharge of the cell


def test_maccor_files(echem: Path) -> None:
    d = _one(echem / "navani/maccor_example.txt")
    a, m = d.arrays, d.metadata
    assert m["start_time"] == "2025-01-15T11:49:32"
    assert m["procedure"].startswith("25_01_15_EX-1-1-a1-b2.000")
    # rows 6-... are State C (+0.61 mA), rows 14-... State D (-0.61 mA), rests 0
    assert a["current_mA"][5] == pytest.approx(0.61) and a["current_mA"][13] == pytest.approx(-0.61)
    assert (a["current_mA"][:5] == 0).all()
    assert a["time_s"][1] == 60.0  # Test (Min) column
    assert a["capacity_mAh"][5] == pytest.approx(0.0050833)

    d = _one(echem / "cellpy/maccor_001.txt")
    a, m = d.arrays, d.metadata
    assert m["start_time"] == "2020-12-11T12:22:12"
    assert m["channel"] == "1"
    assert a["time_s"][2] == pytest.approx(5.05000019073486)  # '0d 00:00:5.05000019073486'
    assert a["current_mA"][2] == pytest.approx(-504.01)  # State D, Amps 0.50401


def test_landt_xlsx(echem: Path) -> None:
    d = _one(echem / "navani/NJK_CC_156_C30_C_x30.xlsx")
    a, m = d.arrays, d.metadata
    assert m["capacity_semantics"] == "per_step"
    assert "Discharge-SCap" in m["active_mass_source"]
    # TestTime/h is written with two decimals: 0.01 h = 36 s resolution, flagged
    assert any("36 s" in w for w in m["warnings"])
    assert a["current_mA"][2] == pytest.approx(-0.001)  # D_CC
    assert a["current_mA"][19911] == pytest.approx(0.0009)  # first C_CC row
    assert a["capacity_mAh"][19910] == pytest.approx(0.0256)  # end of the first discharge
