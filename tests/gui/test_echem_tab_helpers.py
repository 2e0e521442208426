"""Text helpers of the Electrochemistry tab (no window needed)."""

from __future__ import annotations

import pytest

from lbpo_gui.gui.tabs.echem.formatting import (
    CycleListError,
    every_nth,
    format_cycles,
    parse_cycles,
    report_header,
    spread_cycles,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,7,12,17", [1, 7, 12, 17]),
        ("1-5, 10", [1, 2, 3, 4, 5, 10]),
        (" 17 ; 1 ", [1, 17]),
        ("3 to 5", [3, 4, 5]),
        ("5\u20133", [3, 4, 5]),
        ("", []),
        ("0, 1", [0, 1]),
    ],
)
def test_parse_cycles(text, expected):
    assert parse_cycles(text) == expected


@pytest.mark.parametrize("text", ["1, x", "1-", "-3", "2.5", "1-1000000"])
def test_parse_cycles_refuses(text):
    with pytest.raises(CycleListError):
        parse_cycles(text)


def test_format_cycles():
    assert format_cycles([1, 2, 3, 7, 9, 10]) == "1-3, 7, 9, 10"
    assert format_cycles([]) == ""
    assert parse_cycles(format_cycles(range(1, 21))) == list(range(1, 21))


def test_default_cycle_picks():
    assert spread_cycles(list(range(1, 101))) == [1, 30, 60, 100]
    assert spread_cycles([1, 2, 3]) == [1, 2, 3]
    assert every_nth(list(range(0, 21))) == [1, 10, 20]


def test_report_headers_carry_units():
    assert report_header("cap_17_mAh_g_cycle1") == "17 mA/g\ncycle 1\n(mAh/g)"
    assert report_header("retention_340_vs_17_pct") == "Retention\n340 vs 17\n(%)"
    assert report_header("cycle100_discharge_mAh_g") == "Cycle 100\ndischarge\n(mAh/g)"
    assert report_header("lbo_wt_pct") == "LBO\n(wt%)"
