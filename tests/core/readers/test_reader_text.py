"""The shared text helpers (decoding, lines, delimiters, units, durations) and xlsx sniffing."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import numpy as np
import pytest

from lbpo_gui.core.errors import ReaderError
from lbpo_gui.core.readers.text import (
    CAPACITY_TO_MAH,
    CURRENT_TO_MA,
    MASS_TO_MG,
    TIME_TO_S,
    decode_bytes,
    detect_decimal,
    detect_delimiter,
    find_column,
    first_nonblank,
    line_offsets,
    locate_table,
    looks_binary,
    normalize_unit,
    parse_durations,
    parse_unit,
    split_lines,
    unit_factor,
)
from lbpo_gui.core.readers.xlsx import XlsxBook, sheet_names_from_head


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Current(mA)", ("Current", "mA")),
        ("Current (A)", ("Current", "A")),
        ("Current(uA)", ("Current", "uA")),
        ("Cap. [Ah]", ("Cap.", "Ah")),
        ("I/mA", ("I", "mA")),
        ("<I>/mA", ("<I>", "mA")),
        ("Ewe/V", ("Ewe", "V")),
        ("Ecell/V", ("Ecell", "V")),
        ("time/s", ("time", "s")),
        ("control/V/mA", ("control/V", "mA")),
        ("Q charge/discharge/mA.h", ("Q charge/discharge", "mA.h")),
        ("Charge-SCap/mAh/g", ("Charge-SCap", "mAh/g")),
        ("Spec. Cap.(mAh/g)", ("Spec. Cap.", "mAh/g")),
        ("Capacitance charge/µF", ("Capacitance charge", "µF")),
        ("TestTime/h", ("TestTime", "h")),
        ("Test Time (s)", ("Test Time", "s")),
        ("ox/red", ("ox/red", "")),
        ("half cycle", ("half cycle", "")),
        ("Amps", ("Amps", "")),
        ("电流/mA", ("电流", "mA")),
        ("Strom/mA", ("Strom", "mA")),
    ],
)
def test_parse_unit(header: str, expected: tuple[str, str]) -> None:
    assert parse_unit(header) == expected


def test_normalize_unit_and_factors() -> None:
    assert normalize_unit("µA") == "uA" and normalize_unit("μA") == "uA"
    assert normalize_unit("mA.h") == "mAh" and normalize_unit("A.h") == "Ah"
    assert normalize_unit("sec") == "s" and normalize_unit("Min") == "min"
    assert CURRENT_TO_MA["A"] == 1000 and CURRENT_TO_MA["uA"] == 1e-3
    assert TIME_TO_S["h"] == 3600 and TIME_TO_S["min"] == 60
    assert CAPACITY_TO_MAH["Ah"] == 1000 and CAPACITY_TO_MAH["uAh"] == 1e-3
    assert MASS_TO_MG["g"] == 1000 and MASS_TO_MG["ug"] == 1e-3
    assert unit_factor("µA", CURRENT_TO_MA, path=Path("x.csv"), column="I/µA") == 1e-3
    assert unit_factor("", CURRENT_TO_MA, path=Path("x.csv"), column="Amps", default="A") == 1e3
    with pytest.raises(ReaderError, match=r"x\.csv, line 3: column 'I/kA' has unit 'kA'"):
        unit_factor("kA", CURRENT_TO_MA, path=Path("x.csv"), column="I/kA", line=3)


def test_find_column_by_name_and_unit() -> None:
    headers = ["DataPoint", "Current(A)", "Voltage(V)", "Capacity(Ah)", "Spec. Cap.(mAh/g)"]
    assert find_column(headers, ("current",)) == 1
    assert find_column(headers, ("Voltage",)) == 2
    assert find_column(headers, ("capacity",), units=CAPACITY_TO_MAH) == 3
    assert find_column(headers, ("spec. cap.",), units=CAPACITY_TO_MAH) is None
    assert find_column(["Test_Time(s)"], ("test time",)) == 0
    assert find_column(["  CURRENT (mA) "], ("current",)) == 0


def test_decode_bytes() -> None:
    assert decode_bytes("Zeit;Strom/µA".encode()) == ("Zeit;Strom/µA", "utf-8")
    assert decode_bytes(b"\xef\xbb\xbfI/mA") == ("I/mA", "utf-8-sig")
    text, enc = decode_bytes("Capacitance/µF €".encode("cp1252"))
    assert (text, enc) == ("Capacitance/µF €", "cp1252")
    assert decode_bytes(b"\x81\x8d")[1] == "latin-1"  # undefined in cp1252
    # a multi-byte character cut at the end of a head is not an error
    assert decode_bytes("µµ".encode()[:3], partial=True) == ("µ", "utf-8")


def test_lines_and_offsets() -> None:
    assert split_lines("a\r\nb\nc\rd\r\n") == ["a", "b", "c", "d"]
    assert split_lines("a\x0cb\n") == ["a\x0cb"]  # form feeds are not line ends
    assert first_nonblank(["", "  ", "x"]) == 2
    data = b"ab\r\ncd\nef\rgh"
    assert line_offsets(data, 10) == [0, 4, 7, 10]
    assert line_offsets(b"a\nb\n", 5) == [0, 2, 4]


def test_delimiter_and_decimal_detection() -> None:
    assert detect_delimiter(["a\tb\tc", "1\t2\t3"]) == "\t"
    assert detect_delimiter(["Zeit;Strom", "0,5;1,2", "1,0;1,3"]) == ";"
    assert detect_delimiter(["t,I,V", "0.5,1.2,3", "1,2,3"]) == ","
    assert detect_delimiter(["t  I  V", "1  2  3"]) == " "
    assert detect_decimal(["0,5;1,2E-003", "1;2"], ";") == ","
    assert detect_decimal(["0.5;1.2"], ";") == "."
    assert detect_decimal(["0,5,1"], ",") == "."


def test_parse_durations() -> None:
    got = parse_durations(
        [
            "00:00:10",
            "144:02:18",
            "1-02:00:00",
            "0d 00:00:5.05",
            "2d 02:52:51.57",
            "01:02:03.250",
            "1 day, 01:00:00",
            "12:30",
            "42.5",
            "",
            None,
            "abc",
            timedelta(minutes=2),
            time(1, 2, 3),
            7.0,
        ]  # fmt: skip
    )
    expected = [10, 518538, 93600, 5.05, 2 * 86400 + 10371.57, 3723.25, 90000, 750, 42.5,
                np.nan, np.nan, np.nan, 120, 3723, 7]  # fmt: skip
    np.testing.assert_allclose(got, expected, equal_nan=True)


def test_looks_binary() -> None:
    assert looks_binary(b"\x89PNG\r\n\x1a\n....") == "a PNG image"
    assert looks_binary(b"PK\x03\x04...") is not None
    assert looks_binary(b"a,b\x00c") == "a binary file"
    assert looks_binary(b"time/s\tEwe/V\r\n") is None


def test_locate_table_after_a_preamble(tmp_path: Path) -> None:
    p = tmp_path / "t.txt"
    raw = b"Instrument: X\r\nOperator; me\r\n\r\nt/s;U/V;I/mA\r\n0;3,5;0\r\n1;3,6;0,1\r\n"
    p.write_bytes(raw)
    t = locate_table(p, raw, lambda f: "U/V" in f)
    assert t is not None
    assert (t.header_line, t.first_data_line, t.delimiter, t.decimal) == (4, 5, ";", ",")
    assert t.names == ["t/s", "U/V", "I/mA"]
    assert raw[t.data_offset :].startswith(b"0;3,5")
    assert t.preamble[0] == "Instrument: X"
    assert t.column_kind("t/s") == "number"


def test_xlsx_sheet_names_from_head_and_fast_reader(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Record & more"
    ws.append(["t", "I", "note"])
    ws.append([1.5, -2, "x<y"])
    ws.append([None, 3e-5, True])
    wb.create_sheet("Cycle")
    p = tmp_path / "w.xlsx"
    wb.save(p)
    assert sheet_names_from_head(p.read_bytes()[:65536]) == ["Record & more", "Cycle"]
    with XlsxBook(p) as book:
        cells = book.read_sheet("Record & more")
    assert cells.row_values(0) == ["t", "I", "note"]
    vals, bad = cells.numeric_column(1, 1)
    np.testing.assert_array_equal(vals, [-2.0, 3e-5])
    assert bad is None
    t, _ = cells.numeric_column(0, 1)
    assert t[0] == 1.5 and np.isnan(t[1])
    _, bad = cells.numeric_column(2, 1)
    assert bad == 1  # "x<y" on sheet row 2 (0-based 1) is not a number
    assert list(cells.object_column(2, 1)) == ["x<y", True]
