"""Bad and unusual input for the cycling readers, on small files written under tmp_path."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lbpo_gui.core.errors import ReaderError
from lbpo_gui.core.readers import choose_reader, read, readers
from lbpo_gui.core.readers import text as text_mod
from lbpo_gui.core.readers.biologic_mpr import read as read_mpr
from lbpo_gui.core.readers.biologic_mpt import read as read_mpt
from lbpo_gui.core.readers.biologic_mpt import sniff as sniff_mpt

MPT_COLUMNS = ["mode", "ox/red", "time/s", "Ewe/V", "I/mA", "half cycle", "Q charge/discharge/mA.h"]


def _mpt(
    path: Path,
    rows: list[list[str]],
    *,
    columns: list[str] = MPT_COLUMNS,
    newline: str = "\r\n",
    nb_header: int | None = None,
    extra_header: list[str] | None = None,
) -> Path:
    header = [
        "EC-Lab ASCII FILE",
        "",  # replaced below
        "",
        "Galvanostatic Cycling with Potential Limitation",
        "",
        "Acquisition started on : 03/14/2025 09:26:53.500",
        "Mass of active material : 2,500 mg",
        *(extra_header or []),
    ]
    n = nb_header if nb_header is not None else len(header) + 1
    header[1] = f"Nb header lines : {n}                          "
    lines = [*header, "\t".join(columns) + "\t", *("\t".join(r) for r in rows)]
    path.write_bytes(newline.join(lines).encode("cp1252") + newline.encode())
    return path


ROWS = [
    ["1", "1", "100.0", "3.50", "0.17", "0", "0.0"],
    ["1", "1", "110.0", "3.60", "0.17", "0", "0.000472"],
    ["1", "0", "120.0", "3.55", "-0.17", "1", "-0.000472"],
    ["3", "0", "130.0", "3.40", "0.0", "1", "-0.000472"],
]


@pytest.fixture(params=[True, False], ids=["polars", "pandas"])
def parser(request, monkeypatch):
    """Run a test with and without the polars fast path."""
    monkeypatch.setattr(text_mod, "USE_POLARS", request.param)
    monkeypatch.setattr(text_mod, "POLARS_MIN_BYTES", 0)  # small test files too
    return request.param


def test_small_mpt_crlf_lf_and_cr_give_the_same_table(tmp_path: Path, parser: bool) -> None:
    crlf = read(_mpt(tmp_path / "a.mpt", ROWS))[0]
    lf = read(_mpt(tmp_path / "b.mpt", ROWS, newline="\n"))[0]
    cr = read(_mpt(tmp_path / "c.mpt", ROWS, newline="\r"))[0]  # old Mac line ends
    for d in (crlf, lf, cr):
        assert d.reader == "biologic_mpt"
        np.testing.assert_array_equal(d.arrays["time_s"], [0.0, 10.0, 20.0, 30.0])
        np.testing.assert_array_equal(d.arrays["current_mA"], [0.17, 0.17, -0.17, 0.0])
        np.testing.assert_array_equal(d.arrays["half_cycle"], [0, 0, 1, 1])
        assert d.arrays["half_cycle"].dtype == np.int64
        assert d.metadata["time_offset_s"] == 100.0
        assert d.metadata["active_mass_mg"] == 2.5  # decimal comma in the header
        assert d.metadata["start_time"] == "2025-03-14T09:28:33.500000"


def test_mpt_with_leading_blank_lines_and_utf8_bom(tmp_path: Path) -> None:
    p = _mpt(tmp_path / "bom.mpt", ROWS)
    p.write_bytes(b"\xef\xbb\xbf\r\n\r\n" + p.read_bytes().replace("µ".encode("cp1252"), b""))
    d = read(p)[0]
    np.testing.assert_array_equal(d.arrays["voltage_V"], [3.5, 3.6, 3.55, 3.4])


def test_mpt_in_other_current_units(tmp_path: Path) -> None:
    cols = [c if c != "I/mA" else "<I>/µA" for c in MPT_COLUMNS]
    d = read(_mpt(tmp_path / "ua.mpt", ROWS, columns=cols))[0]
    np.testing.assert_allclose(d.arrays["current_mA"], [0.00017, 0.00017, -0.00017, 0.0])


def test_truncated_mpt(tmp_path: Path) -> None:
    p = _mpt(tmp_path / "cut.mpt", ROWS, nb_header=80)  # header promises 80 lines, file has 12
    with pytest.raises(ReaderError) as err:
        read(p)
    msg = str(err.value)
    assert "cut.mpt, line 12" in msg and "truncated" in msg and "80" in msg
    assert err.value.line == 12


def test_mpt_cut_in_the_middle_of_a_row(tmp_path: Path, parser: bool) -> None:
    p = _mpt(tmp_path / "half.mpt", [*ROWS, ["1", "1", "140.0", "3.7"]])
    d = read(p)[0]
    assert d.n_points == 4
    assert "line 13" in d.metadata["warnings"][0]  # header 8 lines + 5th data row


def test_mpt_cut_in_the_middle_of_a_number(tmp_path: Path, parser: bool) -> None:
    p = _mpt(tmp_path / "cut_num.mpt", ROWS)
    p.write_bytes(p.read_bytes() + b"1\t1\t140.0\t3.7E")  # no newline: the writer was killed
    d = read(p)[0]
    assert d.n_points == 4
    np.testing.assert_array_equal(d.arrays["voltage_V"], [3.5, 3.6, 3.55, 3.4])
    assert d.metadata["warnings"] == ["last data row (line 13) is incomplete and was dropped"]


def test_truncated_xlsx(tmp_path: Path, shared_data: Path) -> None:
    src = shared_data / "echem/navani/bs542_004_gr_li_50ua_50mv_1v_191020_Channel_11.xlsx"
    p = tmp_path / "cut.xlsx"
    p.write_bytes(src.read_bytes()[:300_000])
    assert choose_reader(p).name == "arbin_xlsx"  # the head still names the sheets
    with pytest.raises(ReaderError) as err:
        read(p)
    assert "cut.xlsx" in str(err.value) and "truncated" in str(err.value)


def test_mpt_without_current_column(tmp_path: Path) -> None:
    cols = [
        "mode",
        "ox/red",
        "time/s",
        "Ewe/V",
        "control/V",
        "half cycle",
        "Q charge/discharge/mA.h",
    ]
    p = _mpt(tmp_path / "noi.mpt", ROWS, columns=cols)
    assert sniff_mpt(p.read_bytes(), p.name) == 0.0
    with pytest.raises(ReaderError) as err:
        read_mpt(p)
    msg = str(err.value)
    assert "noi.mpt, line 8" in msg and "no current column" in msg  # the column-name line


def test_mpt_without_data_rows(tmp_path: Path) -> None:
    p = _mpt(tmp_path / "nodata.mpt", [])
    with pytest.raises(ReaderError) as err:
        read(p)
    assert "nodata.mpt, line 9" in str(err.value) and "no data rows" in str(err.value)


def test_mpt_garbage_number_names_the_line(tmp_path: Path, parser: bool) -> None:
    rows = [list(r) for r in ROWS]
    rows[2][3] = "3.5x5"  # data row 3 = file line 8 (column names) + 3
    p = _mpt(tmp_path / "bad.mpt", rows)
    with pytest.raises(ReaderError) as err:
        read(p)
    msg = str(err.value)
    assert "bad.mpt, line 11" in msg and "'3.5x5'" in msg and "Ewe/V" in msg
    assert err.value.line == 11


def test_mpt_garbage_with_decimal_comma(tmp_path: Path, parser: bool) -> None:
    rows = [[v.replace(".", ",") for v in r] for r in ROWS]
    good = read(_mpt(tmp_path / "de.mpt", rows))[0]
    assert good.metadata["decimal_separator"] == ","
    np.testing.assert_array_equal(good.arrays["voltage_V"], [3.5, 3.6, 3.55, 3.4])
    rows[1][4] = "n/a"
    with pytest.raises(ReaderError) as err:
        read(_mpt(tmp_path / "de_bad.mpt", rows))
    assert "de_bad.mpt, line 10" in str(err.value) and "'n/a'" in str(err.value)


def test_empty_files(tmp_path: Path) -> None:
    for name in ("empty.mpt", "empty.csv", "empty.xlsx", "empty.ndax"):
        p = tmp_path / name
        p.write_bytes(b"")
        with pytest.raises(ReaderError) as err:
            read(p)
        assert f"{name}, line 1" in str(err.value) and "empty" in str(err.value)


def test_png_renamed_csv(tmp_path: Path) -> None:
    p = tmp_path / "plot.csv"
    p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(ReaderError) as err:
        read(p)
    assert "plot.csv, line 1" in str(err.value)
    p2 = tmp_path / "plot.mpt"
    p2.write_bytes(p.read_bytes())
    with pytest.raises(ReaderError) as err:
        read(p2)
    assert "plot.mpt, line 1" in str(err.value) and "PNG" in str(err.value)


def test_wrong_kind_of_text_file(tmp_path: Path) -> None:
    p = tmp_path / "notes.mpt"
    p.write_text("Dear diary,\ntoday the cell died.\n")
    with pytest.raises(ReaderError) as err:
        read(p)
    assert "notes.mpt, line 1" in str(err.value) and "not an EC-Lab" in str(err.value)


def test_impedance_mpt_is_not_claimed(shared_data: Path) -> None:
    p = shared_data / "eis/impedance.py/exampleDataBioLogic.mpt"
    head = p.read_bytes()[:65536]
    for spec in readers():
        if "cycling" in spec.kinds:
            assert spec.sniff(head, p.name.lower()) == 0.0, spec.name
    with pytest.raises(ReaderError) as err:
        read(p, kind="cycling")
    msg = str(err.value)
    assert "exampleDataBioLogic.mpt, line 61" in msg and "impedance" in msg


def test_other_eis_samples_are_not_claimed_as_cycling(shared_data: Path) -> None:
    claimed = []
    for p in sorted((shared_data / "eis").rglob("*")):
        if not p.is_file():
            continue
        head = p.read_bytes()[:65536]
        for spec in readers():
            if "cycling" in spec.kinds and spec.sniff(head, p.name.lower()) > 0:
                claimed.append((p.name, spec.name))
    assert claimed == []


def test_damaged_mpr(tmp_path: Path, shared_data: Path) -> None:
    data = (shared_data / "echem/yadg-eclab/gcpl.issue_211.mpr").read_bytes()
    p = tmp_path / "cut.mpr"
    p.write_bytes(data[: len(data) // 2])
    assert choose_reader(p).name == "biologic_mpr"
    with pytest.raises(ReaderError) as err:
        read_mpr(p)
    assert "cut.mpr" in str(err.value) and "truncated" in str(err.value)


def test_neware_csv_variants(tmp_path: Path, parser: bool) -> None:
    """UTF-8 BOM, CRLF, current in mA, h:mm:ss times over 24 h, and a garbage row."""
    header = "DataPoint,Cycle Index,Step Index,Step Type,Time,Total Time,Current(mA),Voltage(V),Capacity(mAh),Date"
    rows = [
        "1,1,1,Rest,00:00:00,00:00:00,0.0000,3.0000,0.0000,2024-01-02 03:04:05",
        "2,1,2,CC Chg,00:00:00,23:59:59,0.5000,3.1000,0.0000,2024-01-03 03:04:04",
        "3,1,2,CC Chg,00:00:01.500,24:00:00.500,0.5000,3.2000,0.0002,2024-01-03 03:04:05",
        "4,1,3,CC DChg,00:00:00,144:02:18,-0.5000,3.0500,0.0000,2024-01-08 03:06:23",
    ]
    p = tmp_path / "nw.csv"
    p.write_bytes(b"\xef\xbb\xbf" + "\r\n".join([header, *rows]).encode() + b"\r\n")
    d = read(p)[0]
    assert d.reader == "neware_csv"
    np.testing.assert_allclose(d.arrays["time_s"], [0, 86399, 86400.5, 144 * 3600 + 138])
    np.testing.assert_array_equal(d.arrays["current_mA"], [0.0, 0.5, 0.5, -0.5])
    assert d.metadata["encoding"] == "utf-8-sig"
    rows[2] = rows[2].replace("3.2000", "3.2OOO")
    bad = tmp_path / "nw_bad.csv"
    bad.write_text("\n".join([header, *rows]))
    with pytest.raises(ReaderError) as err:
        read(bad)
    assert "nw_bad.csv, line 4" in str(err.value) and "'3.2OOO'" in str(err.value)


def test_neware_csv_without_current(tmp_path: Path) -> None:
    p = tmp_path / "nw.csv"
    p.write_text(
        "DataPoint,Cycle Index,Step Index,Step Type,Total Time,Voltage(V)\n1,1,1,Rest,00:00:00,3.0\n"
    )
    with pytest.raises(ReaderError) as err:
        read(p)
    assert "nw.csv, line 1" in str(err.value)


def test_neware_btsda_xlsx(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    wb.active.title = "unit"
    for name in ("test", "cycle", "step"):
        wb.create_sheet(name)
    ws = wb.create_sheet("record")
    ws.append(["DataPoint", "Cycle Index", "Step Index", "Step Type", "Time", "Total Time",
               "Current(A)", "Voltage(V)", "Capacity(Ah)", "Chg. Spec. Cap.(mAh/g)", "Date"])  # fmt: skip
    ws.append([1, 1, 1, "Rest", "00:00:00", "00:00:00", 0.0, 3.0, 0.0, 0.0, "2024-05-06 07:08:09"])
    ws.append(
        [2, 1, 2, "CC Chg", "00:00:00", "00:00:10", 0.001, 3.2, 0.0, 0.0, "2024-05-06 07:08:19"]
    )
    ws.append([3, 1, 2, "CC Chg", "00:00:30", "00:00:40", 0.001, 3.4, 0.0000083333, 4.1666, "x"])
    ws.append([4, 1, 3, "CC DChg", "00:00:00", "25:00:40", -0.001, 3.3, 0.0, 0.0, "x"])
    p = tmp_path / "btsda.xlsx"
    wb.save(p)
    assert choose_reader(p).name == "neware_xlsx"
    d = read(p)[0]
    np.testing.assert_array_equal(d.arrays["time_s"], [0, 10, 40, 90040])
    np.testing.assert_array_equal(d.arrays["current_mA"], [0.0, 1.0, 1.0, -1.0])
    np.testing.assert_array_equal(d.arrays["step_index"], [1, 2, 2, 3])
    assert d.metadata["start_time"] == "2024-05-06T07:08:09"


def test_arbin_csv_mits8(tmp_path: Path, parser: bool) -> None:
    p = tmp_path / "arbin.csv"
    p.write_text(
        "Date Time,Test Time (s),Step Time (s),Cycle Index,Step Index,Current (A),Voltage (V),"
        "Charge Capacity (Ah),Discharge Capacity (Ah)\n"
        "03/04/2024 10:00:00.000,0.0,0.0,1,1,0.0,3.0,0.0,0.0\n"
        '03/04/2024 10:00:10.000,10.0,10.0,1,2,0.002,3.5,"0.0000055",0.0\n'
        "03/04/2024 10:00:20.000,20.0,0.0,1,3,-0.002,3.4,0.0000055,0.0000055\n"
    )
    assert choose_reader(p).name == "arbin_csv"
    d = read(p)[0]
    np.testing.assert_array_equal(d.arrays["current_mA"], [0.0, 2.0, -2.0])
    np.testing.assert_allclose(d.arrays["capacity_mAh"], [0.0, 0.0055, 0.0])
    assert d.metadata["start_time"] == "2024-03-04T10:00:00"


def test_arbin_xlsx_continuation_sheets(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    wb.active.title = "Global_Info"
    head = ["Data_Point", "Test_Time(s)", "Step_Index", "Cycle_Index", "Current(A)", "Voltage(V)",
            "Charge_Capacity(Ah)", "Discharge_Capacity(Ah)"]  # fmt: skip
    s2 = wb.create_sheet("Channel_1-1_2")  # out of order on purpose
    s2.append([4, 30.0, 2, 1, -0.001, 3.1, 0.001, 0.0002])
    s1 = wb.create_sheet("Channel_1-1_1")
    s1.append(head)
    for r in ([1, 0.0, 1, 1, 0.0, 3.0, 0, 0], [2, 10.0, 1, 1, 0.001, 3.5, 0.0005, 0],
              [3, 20.0, 1, 1, 0.001, 3.6, 0.001, 0]):  # fmt: skip
        s1.append(r)
    wb.create_sheet("Channel_Chart")
    p = tmp_path / "arbin.xlsx"
    wb.save(p)
    assert choose_reader(p).name == "arbin_xlsx"
    (d,) = read(p)
    assert d.metadata["sheets"] == ["Channel_1-1_1", "Channel_1-1_2"]
    assert d.metadata["channel"] == "1-1"
    np.testing.assert_array_equal(d.arrays["time_s"], [0, 10, 20, 30])
    np.testing.assert_array_equal(d.arrays["current_mA"], [0, 1, 1, -1])
    np.testing.assert_allclose(d.arrays["capacity_mAh"], [0, 0.5, 1.0, 0.8])


def test_landt_single_sheet_chinese(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["蓝电测试系统"])
    ws.append([])
    ws.append(["序号", "测试时间/s", "电压/V", "电流/uA", "容量/mAh", "状态"])
    ws.append([1, 0, 3.0, 0, 0, "R"])
    ws.append([2, 60, 3.2, 100, 0.00167, "C_CC"])
    ws.append([3, 120, 3.1, -100, 0.00167, "D_CC"])
    p = tmp_path / "landt.xlsx"
    wb.save(p)
    assert choose_reader(p).name == "landt_xlsx"
    d = read(p)[0]
    np.testing.assert_array_equal(d.arrays["time_s"], [0, 60, 120])
    np.testing.assert_allclose(d.arrays["current_mA"], [0, 0.1, -0.1])
    assert d.metadata["source_format"].endswith("(single sheet)")


def test_maccor_mims_layout(tmp_path: Path, parser: bool) -> None:
    p = tmp_path / "mims.txt"
    p.write_text(
        "Name:\tcell 12\nChannel:\t7\nProcedure:\tform.000\n\n"
        "Rec\tCycle P\tCycle C\tStep\tTestTime\tStepTime\tCap. [Ah]\tEner. [Wh]\tCurrent [A]\t"
        "Voltage [V]\tMd\tES\tDPT Time\n"
        "1\t0\t0\t1\t0d 00:00:00.00\t0d 00:00:00.00\t0\t0\t0\t3.1\tR\t0\t05/06/2024 07:08:09\n"
        "2\t0\t0\t2\t0d 00:01:00.00\t0d 00:00:00.00\t0.0001\t0\t0.006\t3.6\tC\t0\t05/06/2024 07:09:09\n"
        "3\t0\t0\t3\t1d 00:01:00.50\t0d 00:00:00.00\t0.0002\t0\t0.006\t3.3\tD\t0\t05/07/2024 07:09:09\n"
    )
    assert choose_reader(p).name == "maccor_txt"
    d = read(p)[0]
    np.testing.assert_allclose(d.arrays["time_s"], [0, 60, 86460.5])
    np.testing.assert_allclose(d.arrays["current_mA"], [0, 6.0, -6.0])
    assert d.metadata["channel"] == "7"
    assert d.metadata["start_time"] == "2024-05-06T07:08:09"
