"""Real EC-Lab exports (../shared/data, skipped when absent): our cycles vs the vendor's columns.

The .mpt files are parsed here with a few lines of pandas so that these tests depend on the
analysis only, not on the project's readers.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lbpo_gui.core.echem.summary import summarise_cycling
from tests.conftest import require_shared_file


def read_mpt(path: Path) -> pd.DataFrame:
    with path.open(encoding="latin-1") as handle:
        handle.readline()
        n_header = int(re.findall(r"\d+", handle.readline())[0])
    frame = pd.read_csv(path, sep="\t", skiprows=n_header - 1, encoding="latin-1")
    if frame["time/s"].dtype.kind != "f":  # decimal comma
        frame = pd.read_csv(path, sep="\t", skiprows=n_header - 1, encoding="latin-1", decimal=",")
    return frame


def vendor_half_cycles(frame: pd.DataFrame) -> np.ndarray:
    """End-of-half-cycle |Q charge/discharge| per EC-Lab half cycle."""
    q = frame["Q charge/discharge/mA.h"].abs()
    return q.groupby(frame["half cycle"]).max().to_numpy()


@pytest.mark.parametrize("name", ["gcpl.issue_211.mpt", "gcpl.issue_149.mpt", "gcpl.pr_182.1.mpt"])
def test_ec_lab_gcpl_matches_vendor_capacities(shared_data, name):
    path = shared_data / "echem" / "yadg-eclab" / name
    require_shared_file(path)
    frame = read_mpt(path)
    summary = summarise_cycling(
        frame["time/s"].to_numpy(),
        frame["Ewe/V"].to_numpy(),
        frame["<I>/mA"].to_numpy(),
        active_mass_mg=1.0,
        vendor_capacity_mAh=frame["Q charge/discharge/mA.h"].to_numpy(),
        capacity_semantics="per_half_cycle",
        integration="interval",  # <I>/mA is the average over the interval ending at each row
    )
    # pr_182.1 is an anode (mean voltage ~0.15 V, opens with a long lithiation): the sanity
    # checks suggest the anode convention and flag > 300 mAh/g for a cathode.
    expected_warnings = {
        "gcpl.pr_182.1.mpt": ("the record starts with a long discharge", "exceed 300 mAh/g"),
    }.get(name, ())
    assert len(summary.warnings) == len(expected_warnings), summary.warnings
    for got, want in zip(summary.warnings, expected_warnings, strict=True):
        assert want in got
    expected = vendor_half_cycles(frame)
    np.testing.assert_allclose(summary.half_cycles.capacity_mAh, expected, rtol=1e-3)


def test_ec_lab_first_cycle_ce(shared_data):
    path = shared_data / "echem" / "yadg-eclab" / "gcpl.issue_211.mpt"
    require_shared_file(path)
    frame = read_mpt(path)
    summary = summarise_cycling(
        frame["time/s"].to_numpy(),
        frame["Ewe/V"].to_numpy(),
        frame["<I>/mA"].to_numpy(),
        active_mass_mg=0.790,  # "Mass of active material : 0.790 mg" in the header
        integration="interval",
    )
    # charge first: half cycles 0 (+0.0575 mAh) and 1 (-0.0534 mAh) are cycle 1
    assert summary.cycles[0].cycle == 1
    assert summary.first_cycle_ce_pct == pytest.approx(0.05339 / 0.05751 * 100, abs=0.05)


def test_ec_lab_file_starting_with_a_discharge(shared_data):
    path = shared_data / "echem" / "yadg-eclab" / "gcpl.pr_182.1.mpt"
    require_shared_file(path)
    frame = read_mpt(path)
    summary = summarise_cycling(
        frame["time/s"].to_numpy(),
        frame["Ewe/V"].to_numpy(),
        frame["<I>/mA"].to_numpy(),
        active_mass_mg=1.0,
        integration="interval",
    )
    q = vendor_half_cycles(frame)  # half cycles 0 (discharge), 1 (charge), 2 (discharge), ...
    assert summary.cycles[0].cycle == 0 and summary.cycles[0].charge_half_cycle is None
    assert summary.first_cycle_ce_pct == pytest.approx(q[2] / q[1] * 100, abs=0.05)
