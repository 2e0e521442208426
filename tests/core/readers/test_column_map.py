"""The generic column-mapping importer: preview, guess, JSON round trip and reading."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from lbpo_gui.core.errors import ReaderError
from lbpo_gui.core.readers.column_map import (
    ColumnMapping,
    guess_mapping,
    preview_table,
    read_with_mapping,
)

GERMAN = (
    "Messung: Zelle 7 (Ladung/Entladung)\r\n"
    "\r\n"
    "Zeit/s;Spannung/V;Strom/mA;Zyklus\r\n"
    "0;3,501;0;1\r\n"
    "10,5;3,602;0,25;1\r\n"
    "20;3,700;0,25;1\r\n"
    "30;3,650;-0,25;1\r\n"
    "40;3,600;-0,25;2\r\n"
)


@pytest.fixture
def german_csv(tmp_path: Path) -> Path:
    p = tmp_path / "zelle7.csv"
    p.write_bytes(GERMAN.encode("cp1252"))
    return p


def test_preview_detects_layout(german_csv: Path) -> None:
    p = preview_table(german_csv)
    assert p.kind == "text"
    assert (p.delimiter, p.decimal, p.header_line, p.first_data_line) == (";", ",", 3, 4)
    assert p.columns == ["Zeit/s", "Spannung/V", "Strom/mA", "Zyklus"]
    assert p.rows[1] == ["10,5", "3,602", "0,25", "1"]
    assert p.units == {"Zeit/s": "s", "Spannung/V": "V", "Strom/mA": "mA"}
    assert p.roles == {
        "time": "Zeit/s",
        "voltage": "Spannung/V",
        "current": "Strom/mA",
        "cycle": "Zyklus",
    }
    assert p.lines[0].startswith("Messung")


def test_german_csv_round_trip(german_csv: Path) -> None:
    """Write a semicolon/decimal-comma CSV, map it, save the mapping as JSON, read it back."""
    m = guess_mapping(german_csv)
    assert (m.time_column, m.voltage_column, m.current_column) == (
        "Zeit/s",
        "Spannung/V",
        "Strom/mA",
    )
    assert (m.time_unit, m.voltage_unit, m.current_unit) == ("s", "V", "mA")
    assert m.cycle_column == "Zyklus" and m.current_sign == "signed"
    m.active_mass_mg = 1.25
    saved = json.dumps(m.to_dict())
    m2 = ColumnMapping.from_dict(json.loads(saved))
    assert m2 == m
    assert ColumnMapping.from_json(m.to_json()) == m
    (d,) = read_with_mapping(german_csv, m2)
    assert d.kind == "cycling" and d.reader == "column_map"
    np.testing.assert_array_equal(d.arrays["time_s"], [0.0, 10.5, 20.0, 30.0, 40.0])
    np.testing.assert_array_equal(d.arrays["voltage_V"], [3.501, 3.602, 3.7, 3.65, 3.6])
    np.testing.assert_array_equal(d.arrays["current_mA"], [0.0, 0.25, 0.25, -0.25, -0.25])
    np.testing.assert_array_equal(d.arrays["source_cycle"], [1, 1, 1, 1, 2])
    assert d.metadata["active_mass_mg"] == 1.25
    assert "capacity_semantics" not in d.metadata  # no capacity column mapped
    assert d.metadata["mapping"]["time_column"] == "Zeit/s"
    json.dumps(d.metadata)  # metadata stays JSON-serialisable


def test_explicit_units_and_inverted_current(german_csv: Path) -> None:
    m = ColumnMapping(
        delimiter=";",
        decimal=",",
        header_line=3,
        time_column="Zeit/s",
        time_unit="min",
        voltage_column="Spannung/V",
        voltage_unit="mV",
        current_column="Strom/mA",
        current_unit="A",
        invert_current=True,
    )
    (d,) = read_with_mapping(german_csv, m)
    np.testing.assert_allclose(d.arrays["time_s"], [0, 630, 1200, 1800, 2400])
    np.testing.assert_allclose(d.arrays["voltage_V"], [0.003501, 0.003602, 0.0037, 0.00365, 0.0036])
    np.testing.assert_allclose(d.arrays["current_mA"], [0, -250, -250, 250, 250])


def test_unsigned_current_with_state_and_durations(tmp_path: Path) -> None:
    p = tmp_path / "cycler.txt"
    p.write_text(
        "Time\tVolt\tAmps\tStatus\tAh\n"
        "00:00:00\t3.0\t0.000\tRest\t0\n"
        "00:01:00\t3.5\t0.002\tCharge\t0.00003\n"
        "01:00:00.5\t3.4\t0.002\tDischarge\t0.00001\n"
    )
    m = guess_mapping(p)
    assert m.time_format == "duration"
    assert m.state_column == "Status" and m.current_sign == "unsigned_with_state"
    assert m.charge_codes == ["Charge"] and m.discharge_codes == ["Discharge"]
    assert m.current_unit == "A"  # "Amps"
    m.voltage_column = "Volt"
    m.capacity_column, m.capacity_unit, m.capacity_semantics = "Ah", "Ah", "per_step"
    (d,) = read_with_mapping(p, m)
    np.testing.assert_allclose(d.arrays["time_s"], [0, 60, 3600.5])
    np.testing.assert_allclose(d.arrays["current_mA"], [0, 2.0, -2.0])
    np.testing.assert_allclose(d.arrays["capacity_mAh"], [0, 0.03, 0.01])
    assert d.metadata["capacity_semantics"] == "per_step"


def test_datetime_time_column(tmp_path: Path) -> None:
    p = tmp_path / "dt.csv"
    p.write_text("Date,U (V),I (mA)\n2024-05-06 07:08:09,3.1,0.1\n2024-05-06 07:09:09.5,3.2,0.1\n")
    m = guess_mapping(p)
    assert m.time_format == "datetime" and m.time_column == "Date"
    (d,) = read_with_mapping(p, m)
    np.testing.assert_allclose(d.arrays["time_s"], [0, 60.5])
    assert d.metadata["start_time"] == "2024-05-06T07:08:09"


def test_file_without_header(tmp_path: Path) -> None:
    p = tmp_path / "raw.dat"
    p.write_text("0 3.1 0.5\n1 3.2 0.5\n2 3.3 -0.5\n")
    prev = preview_table(p)
    assert prev.header_line == 0 and prev.columns == ["Column 1", "Column 2", "Column 3"]
    m = ColumnMapping(
        header_line=0,
        time_column="Column 1",
        voltage_column="Column 2",
        current_column="Column 3",
    )
    (d,) = read_with_mapping(p, m)
    np.testing.assert_array_equal(d.arrays["current_mA"], [0.5, 0.5, -0.5])


def test_units_row_skipped(tmp_path: Path) -> None:
    p = tmp_path / "units.csv"
    p.write_text("time,voltage,current\ns,V,uA\n0,3.0,100\n5,3.1,100\n")
    m = ColumnMapping(
        header_line=1,
        skip_rows=1,
        time_column="time",
        voltage_column="voltage",
        current_column="current",
        current_unit="uA",
    )
    (d,) = read_with_mapping(p, m)
    np.testing.assert_allclose(d.arrays["current_mA"], [0.1, 0.1])
    np.testing.assert_array_equal(d.arrays["time_s"], [0, 5])


def test_xlsx_with_mapping(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Daten"
    ws.append(["Versuch 3"])
    ws.append(["Zeit (h)", "Spannung (V)", "Strom (µA)"])
    ws.append([0.0, 3.0, 0])
    ws.append([0.5, 3.5, 50])
    ws.append([1.0, 3.4, -50])
    p = tmp_path / "versuch.xlsx"
    wb.save(p)
    m = guess_mapping(p)
    assert m.sheet == "Daten" and m.header_line == 2
    assert (m.time_unit, m.current_unit) == ("h", "uA")
    (d,) = read_with_mapping(p, m)
    np.testing.assert_allclose(d.arrays["time_s"], [0, 1800, 3600])
    np.testing.assert_allclose(d.arrays["current_mA"], [0, 0.05, -0.05])


def test_mapping_errors(german_csv: Path) -> None:
    m = guess_mapping(german_csv)
    m.current_column = "Strom/A"
    with pytest.raises(ReaderError) as err:
        read_with_mapping(german_csv, m)
    assert "zelle7.csv, line 3" in str(err.value) and "'Strom/A'" in str(err.value)
    bad = ColumnMapping(time_column="t", voltage_column="", current_column="I", current_sign="x")
    assert "no voltage column chosen" in bad.problems()
    with pytest.raises(ReaderError, match="incomplete"):
        read_with_mapping(german_csv, bad)
    with pytest.raises(ValueError, match="skip_rows must be an integer"):
        ColumnMapping.from_dict({"skip_rows": "2"})
    with pytest.raises(ValueError, match="not a column mapping"):
        ColumnMapping.from_dict({"format": "something-else"})
    with pytest.raises(ValueError, match="not valid JSON"):
        ColumnMapping.from_json("{'time_column': __import__('os')}")


def test_garbage_value_names_the_line(german_csv: Path) -> None:
    german_csv.write_bytes(GERMAN.replace("3,700", "3,7?0").encode("cp1252"))
    m = guess_mapping(german_csv)
    with pytest.raises(ReaderError) as err:
        read_with_mapping(german_csv, m)
    assert "zelle7.csv, line 6" in str(err.value) and "'3,7?0'" in str(err.value)
