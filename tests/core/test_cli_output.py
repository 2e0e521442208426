"""`lbpo` text output (without --json): rounded values, aligned tables, generic for any command."""

from __future__ import annotations

import json
import re

import pytest

from lbpo_gui.cli import main
from lbpo_gui.cli.output import format_human, format_number, format_table

JDB11 = "echem/navani/jdb11-1_c3_gcpl_5cycles_2V-3p8V_C-24_data_C09.mpr"


@pytest.mark.parametrize(
    "value,text",
    [
        (178.70234, "178.7"), (76.37123, "76.37"), (0.0575123, "0.05751"), (17.0, "17"),
        (88246.5172643693, "88247"), (1.2e-6, "1.200e-06"), (3, "3"), (float("nan"), "-"),
        (0.0, "0"), (2.5e7, "2.500e+07"),
    ],
)  # fmt: skip
def test_format_number(value, text) -> None:
    assert format_number(value) == text


def _column_starts(line: str) -> list[int]:
    return [m.start() for m in re.finditer(r"(?<=  )\S|^\S", line)]


def test_table_is_aligned_and_rounded_per_column() -> None:
    rows = [
        {"cycle": 1, "discharge_mAh_g": 178.70234, "coulombic_efficiency_pct": 76.37123},
        {"cycle": 2, "discharge_mAh_g": 82.1, "coulombic_efficiency_pct": None},
        {"cycle": 10, "discharge_mAh_g": 129.3, "coulombic_efficiency_pct": 99.0},
    ]
    lines = format_table(rows)
    assert lines[0].split() == ["cycle", "discharge_mAh_g", "coulombic_efficiency_pct"]
    assert set(lines[1]) == {"-", " "}
    assert lines[2].split() == ["1", "178.7", "76.37"]
    assert lines[3].split() == ["2", "82.1", "-"]  # None -> "-"
    assert lines[4].split() == ["10", "129.3", "99.00"]
    # numbers are right-aligned under their header: every row ends each column at one place
    ends = {tuple(m.end() for m in re.finditer(r"\S+", ln)) for ln in lines[2:]}
    assert len(ends) == 1 and len({len(ln) for ln in lines}) == 1


def test_mixed_magnitudes_in_a_column_keep_their_digits() -> None:
    """EIS parameters: ohms and farads in one value column."""
    rows = [
        {"element": "R1", "value": 12.3456, "stderr": 0.0123, "unit": "ohm"},
        {"element": "Q1", "value": 1.2e-6, "stderr": 3e-8, "unit": "F s^(a-1)"},
        {"element": "Q1", "value": 0.87, "stderr": None, "unit": ""},
    ]
    text = "\n".join(format_table(rows))
    assert "1.200e-06" in text and "3.000e-08" in text and "12.3456" in text and "0.8700" in text


def test_dict_of_dicts_and_lists_print_as_tables_and_items() -> None:
    eds = {
        "thickness_nm": 12.3456,
        "definition": "T50",
        "edges": {
            "cathode": {"center_nm": 10.2345, "sigma_nm": 1.5},
            "electrolyte": {"center_nm": 22.1, "sigma_nm": 2.0},
        },
        "warnings": ["one", "two"],
        "files": [],
    }
    text = format_human(eds)
    assert re.search(r"^thickness_nm  12\.35$", text, re.M)
    assert re.search(r"^  cathode\s+10\.23\s+1\.500$", text, re.M)
    assert "warnings:\n  - one\n  - two" in text and "files: (none)" in text


def test_lbpo_echem_text_is_a_rounded_table(shared_data, capsys) -> None:
    assert main(["echem", str(shared_data / JDB11), "--active-mass-mg", "1"]) == 0
    out, _ = capsys.readouterr()
    assert "None" not in out and not re.search(r"\d\.\d{7,}", out)  # no 15-digit floats
    lines = out.splitlines()
    i = lines.index("cycles:")
    assert lines[i + 1].split()[:4] == [
        "cycle", "charge_mAh_g", "discharge_mAh_g", "coulombic_efficiency_pct",
    ]  # fmt: skip
    cycle1 = lines[i + 4].split()
    assert cycle1[:4] == ["1", "986.8", "852.9", "86.43"]
    assert "rate_steps:" in lines and "first_cycle_ce_pct  86.43" in out


def test_json_output_is_unchanged(shared_data, capsys) -> None:
    """--json prints the full-precision contract object, not the rounded text."""
    assert main(["echem", str(shared_data / JDB11), "--active-mass-mg", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr()[0])
    assert out["cycles"][1]["coulombic_efficiency_pct"] == pytest.approx(86.43, abs=0.01)
    assert len(repr(out["cycles"][1]["charge_mAh_g"])) > 10  # not rounded


def test_warnings_print_in_full() -> None:
    long = "the record starts with a long discharge (498.8 mAh/g, 153 % of a typical one), " * 2
    assert format_human({"warnings": [long]}) == f"warnings:\n  - {long.strip()}"
