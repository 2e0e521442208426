"""Write a cycling table as a Neware BTS "record" CSV (the layout of cellpy's neware_uio.csv).

Used only by the benchmarks, so that cellpy (which cannot read EC-Lab .mpt) can be timed on the
same 1,000,000 rows as our importer.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

COLUMNS = [
    "DataPoint",
    "Cycle Index",
    "Step Index",
    "Step Type",
    "Time",
    "Cumulative Time",
    "Current(A)",
    "Voltage(V)",
    "Capacity(Ah)",
    "Spec. Cap.(mAh/g)",
    "Chg. Cap.(Ah)",
    "Chg. Spec. Cap.(mAh/g)",
    "DChg. Cap.(Ah)",
    "DChg. Spec. Cap.(mAh/g)",
    "Energy(Wh)",
    "Spec. Energy(mWh/g)",
    "Chg. Energy(Wh)",
    "Chg. Spec. Energy(mWh/g)",
    "DChg. Energy(Wh)",
    "DChg. Spec. Energy(mWh/g)",
    "Date",
    "Power(W)",
    "dQ/dV(mAh/V)",
    "dQm/dV(mAh/V.g)",
    "Contact resistance(mO)",
    "Module start-stop switch",
]


def _hms(seconds: np.ndarray) -> np.ndarray:
    s = np.floor(seconds).astype(np.int64)
    h, rem = np.divmod(s, 3600)
    m, sec = np.divmod(rem, 60)
    return np.char.add(
        np.char.add(
            np.char.add(np.char.zfill(h.astype(str), 2), ":"),
            np.char.add(np.char.zfill(m.astype(str), 2), ":"),
        ),
        np.char.zfill(sec.astype(str), 2),
    )


def write_neware_record_csv(path: Path, time_s, voltage_V, current_mA, mass_mg: float) -> Path:
    """Write the table; steps change with the current's state, cycles with each new charge."""
    t = np.asarray(time_s, float)
    i_a = np.asarray(current_mA, float) / 1000.0
    threshold = 0.005 * np.max(np.abs(i_a))
    state = np.where(i_a > threshold, 1, np.where(i_a < -threshold, -1, 0))
    new_step = np.r_[True, state[1:] != state[:-1]]
    step = np.cumsum(new_step)
    starts = np.flatnonzero(new_step)
    step_start_t = t[starts][step - 1]
    charge_start = new_step & (state == 1)
    cycle = np.maximum(np.cumsum(charge_start), 1)
    dt = np.r_[0.0, np.diff(t)]
    dq = np.abs(i_a) * dt / 3600.0
    dq[new_step] = 0.0
    cum = np.cumsum(dq)
    cap = cum - cum[starts][step - 1]
    kind = np.where(state == 1, "CC Chg", np.where(state == -1, "CC DChg", "Rest"))
    zeros = np.zeros(t.size)
    spec = cap * 1000.0 / (mass_mg / 1000.0)
    date = (pd.Timestamp("2026-01-01") + pd.to_timedelta(np.floor(t), unit="s")).strftime(
        "%Y-%m-%d %H:%M:%S"
    )
    frame = pd.DataFrame(
        {
            "DataPoint": np.arange(1, t.size + 1),
            "Cycle Index": cycle,
            "Step Index": step,
            "Step Type": kind,
            "Time": _hms(t - step_start_t),
            "Cumulative Time": _hms(t),
            "Current(A)": np.round(i_a, 8),
            "Voltage(V)": np.round(np.asarray(voltage_V, float), 4),
            "Capacity(Ah)": np.round(cap, 8),
            "Spec. Cap.(mAh/g)": np.round(spec, 2),
            "Chg. Cap.(Ah)": np.round(np.where(state == 1, cap, 0.0), 8),
            "Chg. Spec. Cap.(mAh/g)": np.round(np.where(state == 1, spec, 0.0), 2),
            "DChg. Cap.(Ah)": np.round(np.where(state == -1, cap, 0.0), 8),
            "DChg. Spec. Cap.(mAh/g)": np.round(np.where(state == -1, spec, 0.0), 2),
            "Energy(Wh)": zeros,
            "Spec. Energy(mWh/g)": zeros,
            "Chg. Energy(Wh)": zeros,
            "Chg. Spec. Energy(mWh/g)": zeros,
            "DChg. Energy(Wh)": zeros,
            "DChg. Spec. Energy(mWh/g)": zeros,
            "Date": date,
            "Power(W)": np.round(i_a * np.asarray(voltage_V, float), 8),
            "dQ/dV(mAh/V)": zeros,
            "dQm/dV(mAh/V.g)": zeros,
            "Contact resistance(mO)": np.zeros(t.size, dtype=int),
            "Module start-stop switch": "Close",
        },
        columns=COLUMNS,
    )
    frame.to_csv(path, index=False)
    return Path(path)
