"""Readers on files like the real ones that broke them (issue 7, part 3), crafted in tmp_path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lbpo_gui.core.echem.table import summarise_table
from lbpo_gui.core.errors import ReaderError
from lbpo_gui.core.readers import choose_reader, read

REPO = Path(__file__).resolve().parents[3]
MPT_HEAD = [
    "EC-Lab ASCII FILE",
    "Nb header lines : 5",
    "",
    "Galvanostatic Cycling with Potential Limitation",
]
MPT_COLUMNS = "mode\tox/red\ttime/s\tEwe/V\tI/mA\thalf cycle\tQ charge/discharge/mA.h\t"


def _long_row_file(path: Path, n_fields: int) -> Path:
    rows = [f"1\t1\t{i}.0\t3.{i}\t0.1\t0\t0.{i}" for i in range(50)]
    big = "1\t1\t50.0\t3.5\t0.1\t0\t0.5" + "\t1" * n_fields
    path.write_text("\r\n".join([*MPT_HEAD, MPT_COLUMNS, *rows, big, *rows]) + "\r\n")
    return path


_MEASURE = """
import json, resource, sys
import lbpo_gui.core.readers.text as T
T.USE_POLARS = sys.argv[2] == "polars"
import polars  # noqa: imported before the baseline (its own size is not the file's)
from lbpo_gui.core.readers import read
from lbpo_gui.core.errors import ReaderError
r0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    read(sys.argv[1]); msg = None
except ReaderError as e:
    msg = str(e)
print(json.dumps({"msg": msg, "kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - r0}))
"""


@pytest.mark.parametrize("parser", ["polars", "pandas"])
def test_row_with_far_more_fields_is_refused_with_bounded_memory(tmp_path: Path, parser) -> None:
    """A 20 MB single row of 10 M fields (a 200 MB one used 22 GB): refused with its line
    number; the peak memory of the read stays within a few times the file size."""
    p = _long_row_file(tmp_path / "long.mpt", 10_000_000)
    size_mb = p.stat().st_size / 2**20
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(p), parser],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    res = json.loads(out.stdout)
    assert "long.mpt, line 56" in res["msg"]
    assert "10,000,007 fields, the header names 7" in res["msg"]
    assert res["kb"] / 1024 < 4 * size_mb + 40, res


def test_short_rows_around_a_long_text_field_still_read(tmp_path: Path) -> None:
    """A long row with the right number of fields is not refused."""
    rows = [f"1\t1\t{i}.0\t3.{i}\t0.1\t0\t0.{i}" for i in range(30)]
    p = tmp_path / "ok.mpt"
    p.write_text("\r\n".join([*MPT_HEAD, MPT_COLUMNS, *rows]) + "\r\n")
    (t,) = read(p)
    assert t.n_points == 30


def test_ragged_row_error_names_its_line(tmp_path: Path) -> None:
    rows = [f"1\t1\t{i}.0\t3.{i}\t0.1\t0\t0.{i}" for i in range(30)]
    rows[10] += "\t1" * 5000 + "\t2" * 40000
    p = tmp_path / "ragged.mpt"
    p.write_text("\r\n".join([*MPT_HEAD, MPT_COLUMNS, *rows]) + "\r\n")
    with pytest.raises(ReaderError, match=r"ragged.mpt, line 16: .*45,007 fields"):
        read(p)


def _mb_mpt(path: Path) -> Path:
    """A Modulo Bat export: a charge, a PEIS step (freq/Hz > 0) and a discharge."""
    cols = "mode\tox/red\ttime/s\tEwe/V\tI/mA\tfreq/Hz\tRe(Z)/Ohm\t-Im(Z)/Ohm\thalf cycle\tQ charge/discharge/mA.h\t"
    rows = []
    for i in range(10):  # charge at 0.1 mA, 60 s a row
        rows.append(f"1\t1\t{60.0 * i}\t{3.6 + 0.01 * i}\t0.1\t0\t0\t0\t0\t{0.1 * 60 * i / 3600}")
    for k, f in enumerate((1e5, 1e4, 1e3, 1e2)):  # impedance step: AC current, no DC
        rows.append(f"3\t1\t{600.0 + k}\t3.70\t0.002\t{f}\t{20 + k}\t{5 + k}\t0\t0.015")
    for i in range(10):  # discharge at -0.1 mA
        rows.append(
            f"1\t0\t{700.0 + 60 * i}\t{3.7 - 0.01 * i}\t-0.1\t0\t0\t0\t1\t{-0.1 * 60 * i / 3600}"
        )
    head = [
        "EC-Lab ASCII FILE",
        "Nb header lines : 6",
        "",
        "Modulo Bat",
        "Mass of active material : 1.000 mg",
    ]
    path.write_text("\r\n".join([*head, cols, *rows]) + "\r\n", encoding="cp1252")
    return path


def test_modulo_bat_with_peis_steps_is_cycling(tmp_path: Path) -> None:
    p = _mb_mpt(tmp_path / "mb.mpt")
    assert choose_reader(p).name == "biologic_mpt"
    (t,) = read(p, kind="cycling")
    assert t.kind == "cycling" and t.metadata["technique"] == "Modulo Bat"
    impedance = [x for x in read(p) if x.kind == "impedance"]
    assert len(impedance) == 1 and impedance[0].n_points == 4, "its PEIS loop is impedance data"
    assert t.n_points == 20 and t.metadata["impedance_rows"] == 4
    assert any("4 rows of impedance steps" in w for w in t.metadata["warnings"])
    s = summarise_table(t.arrays, t.metadata, active_mass_mg=1.0).to_cli_dict()
    assert s["cycles"][0]["charge_mAh_g"] == pytest.approx(0.1 * 540 / 3600 / 1e-3, rel=1e-9)
    assert s["cycles"][0]["discharge_mAh_g"] == pytest.approx(0.1 * 540 / 3600 / 1e-3, rel=1e-9)


def test_impedance_export_without_cycling_columns_is_refused(tmp_path: Path) -> None:
    cols = "freq/Hz\tRe(Z)/Ohm\t-Im(Z)/Ohm\ttime/s\t<Ewe>/V\t<I>/mA\t"
    rows = [f"{10.0**k}\t{20 + k}\t{5 + k}\t{k}\t3.7\t0.001" for k in range(5, 0, -1)]
    p = tmp_path / "peis.mpt"
    p.write_text(
        "\r\n".join(["EC-Lab ASCII FILE", "Nb header lines : 3", cols, *rows]) + "\r\n"
    )
    with pytest.raises(ReaderError, match="impedance"):
        read(p, kind="cycling")


ARBIN_MITS = (
    "Data Point,Date Time,Test Time (s),Step Time (s),Cycle Index,Step Index,Current (A),"
    "Voltage (V),Power (W),Charge Capacity (Ah),Discharge Capacity (Ah),Charge Energy (Wh),"
    "Discharge Energy (Wh),ACR (Ohm),dV/dt (V/s),Internal Resistance (Ohm),Aux_Temperature_1 (C)"
)
ARBIN_CHANNEL = (
    "Data_Point,Test_Time,Step_Time,Step_Index,Cycle_Index,Current,Voltage,Charge_Capacity,"
    "Discharge_Capacity,Charge_Energy,Discharge_Energy"
)


def _arbin_rows(unitless: bool) -> list[str]:
    rows = []
    for i in range(40):
        charging = i < 20
        cur = 0.001 if charging else -0.001
        qc = 0.001 * 10 * min(i, 19) / 3600
        qd = 0.0 if charging else 0.001 * 10 * (i - 19) / 3600
        v = 3.5 + 0.01 * i if charging else 3.7 - 0.01 * (i - 20)
        step = 2 if charging else 3
        if unitless:
            rows.append(f"{i + 1},{10.0 * i},{10.0 * i},{step},1,{cur},{v},{qc},{qd},0,0")
        else:
            rows.append(
                f"{i + 1},03/01/2024 10:{i // 6:02d}:{i % 6 * 10:02d}.000,{10.0 * i},{10.0 * i},1,"
                f"{step},{cur},{v},{cur * v},{qc},{qd},0,0,0,0,0,25"
            )
    return rows


@pytest.mark.parametrize("unitless", [False, True], ids=["mits_pro", "channel_table"])
def test_arbin_csv_is_arbin_not_neware(tmp_path: Path, unitless: bool) -> None:
    p = tmp_path / "arbin.csv"
    p.write_text(
        "\n".join([ARBIN_CHANNEL if unitless else ARBIN_MITS, *_arbin_rows(unitless)]) + "\n"
    )
    assert choose_reader(p).name == "arbin_csv"
    (t,) = read(p)
    assert t.reader == "arbin_csv" and t.n_points == 40
    assert t.arrays["current_mA"][0] == pytest.approx(1.0)  # A -> mA (SI when no unit)
    assert t.arrays["charge_capacity_mAh"].max() == pytest.approx(19 * 10 / 3600, rel=1e-9)
    assert t.arrays["discharge_capacity_mAh"].max() == pytest.approx(20 * 10 / 3600, rel=1e-9)
    assert t.metadata["capacity_semantics"] == "cumulative"
