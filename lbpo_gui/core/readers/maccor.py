"""Maccor text exports (several incompatible layouts, all TAB- or comma-separated).

Layouts seen (field notes, section 2.4):

1. "Today's Date" export: one preamble line (``Today's Date 01/15/2025  Date of Test:\\t...
   Filename: ... Procedure: ...``), then ``Rec# Cyc# Step Test (Min) Step (Min) Amp-hr Watt-hr
   Amps Volts State ES DPt Time`` (times in minutes, ``DPt Time`` as time of day only).
2. 3-line preamble (``Today's Date:``, ``Filename:``/``Tester Channel:``, ``Procedure:``), then
   ``Rec# Cyc# Step TestTime StepTime Amp-hr Watt-hr Amps Volts State ES DPt Time ...`` with
   times like ``0d 00:00:5.05`` and ``DPt Time`` as ``12/11/2020 12:22:12``.
3. MIMS client: ``key: value`` preamble, blank line, ``Rec, Cycle P, Cycle C, Step, TestTime,
   StepTime, Cap. [Ah], Ener. [Wh], Current [A], Voltage [V], Md, ES, DPT Time``.
4. CSV: ``Test Time (sec)``, ``Current (A)``, ``Voltage (V)``, ``Capacity (Ah)``...

The header line is found by its names wherever the preamble ends. Mapping: test time (unit from
the header: ``(Min)``, ``(sec)``, or ``d hh:mm:ss`` strings) -> ``time_s``; ``Volts`` ->
``voltage_V``; ``Amps`` is **unsigned**: its sign comes from ``State``/``Md`` (``C`` charge ->
+, ``D`` discharge -> -, ``R``/``O``/``S`` and anything else -> 0), unless the file already holds
negative currents (then it is taken as signed); ``Amp-hr`` (per step, unsigned) ->
``capacity_mAh``; ``Cyc#`` -> ``source_cycle`` (0-based in the samples); ``Step`` ->
``step_index`` (schedule step).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ReaderError
from .cycling_table import build_cycling, iso
from .registry import reader
from .text import (
    CAPACITY_TO_MAH,
    CURRENT_TO_MA,
    TIME_TO_S,
    VOLTAGE_TO_V,
    column_factor,
    find_column,
    find_header_fields,
    head_lines,
    parse_datetimes,
    read_table_columns,
    require_table,
    seconds_from_column,
)

NAME = "maccor_txt"

RECORD_NAMES = ("rec#", "rec", "record")
TIME_NAMES = ("testtime", "test time", "test")
CURRENT_NAMES = ("amps", "current")
VOLTAGE_NAMES = ("volts", "voltage")
STATE_NAMES = ("state", "md")
CAPACITY_NAMES = ("amp-hr", "cap.", "capacity")
CYCLE_NAMES = ("cyc#", "cycle c", "cycle p", "cycle", "cycle index")
STEP_NAMES = ("step",)
DATE_NAMES = ("dpt time", "dpttime", "dpt")


def _is_header(fields: list[str]) -> bool:
    return (
        find_column(fields, CURRENT_NAMES) is not None
        and find_column(fields, VOLTAGE_NAMES) is not None
        and find_column(fields, TIME_NAMES) is not None
        and (
            find_column(fields, RECORD_NAMES) is not None
            or find_column(fields, STATE_NAMES) is not None
        )
        and find_column(fields, STEP_NAMES) is not None
    )


def sniff(head: bytes, filename: str) -> float:
    """Score a text head: ``Today's Date`` preamble or a Rec#/Amps/Volts/State header line."""
    fields = find_header_fields(
        head_lines(head, 40), _is_header, delimiters=("\t", ","), min_fields=5
    )
    if fields is None:
        return 0.0
    return 0.9 if find_column(fields, STATE_NAMES) is not None else 0.6


def _preamble_metadata(lines: list[str]) -> dict[str, Any]:
    text = "\t".join(lines)
    meta: dict[str, Any] = {}
    patterns = {
        "date_of_test": r"Date of Test:\s*([^\t]+?)\s*(?:\t|$)",
        "filename": r"Filename:\s*([^\t]+?)(?:\s+Procedure:|\t|$)",
        "procedure": r"Procedure:\s*([^\t]+?)\s*(?:\t|$)",
        "channel": r"(?:Tester\s+)?Channel:\s*([^\t]+?)\s*(?:\t|$)",
    }
    for key, pat in patterns.items():
        m = re.search(pat, text)
        if m and m.group(1).strip():
            meta[key] = m.group(1).strip()
    for ln in lines:  # MIMS "key: value" lines
        m = re.match(r"^\s*(Name|Channel|Procedure)\s*:\s*(.+?)\s*$", ln)
        if m:
            meta.setdefault(m.group(1).lower() if m.group(1) != "Name" else "name", m.group(2))
    return meta


@reader(
    NAME,
    kinds=("cycling",),
    patterns=(),
    sniff=sniff,
    description="Maccor text export (Rec#, Cyc#, Step, Amps, Volts, State)",
)
def read(path: Path) -> list:
    """Read a Maccor text export (see the module docstring)."""
    path = Path(path)
    table = require_table(
        path,
        _is_header,
        expected="a Maccor text export",
        missing="no Maccor header line (Rec#, Step, Test Time, Amps, Volts, State)",
    )
    names = table.names
    i_t = find_column(names, TIME_NAMES)
    i_i = find_column(names, CURRENT_NAMES)
    i_v = find_column(names, VOLTAGE_NAMES)
    assert i_t is not None and i_i is not None and i_v is not None
    opt = {
        "cap": find_column(names, CAPACITY_NAMES),
        "cycle": find_column(names, CYCLE_NAMES),
        "step": find_column(names, STEP_NAMES),
    }
    i_state = find_column(names, STATE_NAMES)
    i_date = find_column(names, DATE_NAMES)
    time_kind = table.column_kind(names[i_t])
    numeric = [names[i_i], names[i_v]] + [names[j] for j in opt.values() if j is not None]
    text_cols = [names[i_state]] if i_state is not None else []
    (numeric if time_kind == "number" else text_cols).append(names[i_t])
    df = read_table_columns(table, numeric, text_cols)
    if len(df) == 0:
        raise ReaderError(path, "no data rows", line=table.first_data_line, expected="data rows")

    time_s = seconds_from_column(
        df[names[i_t]],
        time_kind,
        factor=column_factor(names, i_t, TIME_TO_S, path=path, default="s"),
        path=path,
        column=names[i_t],
        first_data_line=table.first_data_line,
    )
    amps = df[names[i_i]].to_numpy(np.float64) * column_factor(
        names, i_i, CURRENT_TO_MA, path=path, default="A"
    )
    meta: dict[str, Any] = {
        "source_format": "Maccor text export",
        "encoding": table.encoding,
        "decimal_separator": table.decimal,
        "step_index_semantics": "schedule step (Maccor Step)",
        "cycle_numbering": "0-based (Maccor Cyc#)",
    }
    if np.nanmin(amps) < 0 or i_state is None:
        current = amps
        meta["current_sign"] = "signed in the file"
    else:
        state = df[names[i_state]].fillna("").astype(str).str.strip().str.upper().str[:1]
        sign = np.where(state == "C", 1.0, np.where(state == "D", -1.0, 0.0))
        zeroed = int(np.count_nonzero((sign == 0) & np.isfinite(amps) & (amps != 0)))
        current = np.abs(amps) * sign
        meta["current_sign"] = f"from {names[i_state]}: C -> +, D -> -, other states -> 0"
        if zeroed:
            meta.setdefault("warnings", []).append(
                f"{zeroed} rows with a non-zero current in a rest/other state were set to 0"
            )
    extras: dict[str, np.ndarray] = {}
    if opt["cycle"] is not None:
        extras["source_cycle"] = df[names[opt["cycle"]]].to_numpy(np.float64)
    if opt["step"] is not None:
        extras["step_index"] = df[names[opt["step"]]].to_numpy(np.float64)
    if opt["cap"] is not None:
        extras["capacity_mAh"] = df[names[opt["cap"]]].to_numpy(np.float64) * column_factor(
            names, opt["cap"], CAPACITY_TO_MAH, path=path, default="Ah"
        )
        meta["capacity_semantics"] = "per_step"
        meta["capacity_signed"] = False
    meta.update(_preamble_metadata(table.preamble))
    first_date = table.first_value(names[i_date]) if i_date is not None else None
    start = _start_time(first_date or "", meta.get("date_of_test"))
    if start:
        meta["start_time"] = start
    return [
        build_cycling(
            path,
            time_s=time_s,
            voltage_V=df[names[i_v]].to_numpy(np.float64)
            * column_factor(names, i_v, VOLTAGE_TO_V, path=path, default="V"),
            current_mA=current,
            extras=extras,
            metadata=meta,
            label=path.stem,
            reader=NAME,
            first_data_line=table.first_data_line,
        )
    ]


def _start_time(first: str, date_of_test: Any) -> Any:
    """ISO start time from the first ``DPt Time`` value and/or the preamble's test date."""
    import pandas as pd

    first = first.strip()
    if first and re.search(r"\d[-/.]\d", first):
        dt = parse_datetimes(pd.Series([first]))
        if dt.notna().iloc[0]:
            return iso(dt.iloc[0])
    if date_of_test:
        text = str(date_of_test)
        if first and ":" in first and not re.search(r"\d{1,2}:\d{2}", text):
            text = f"{text} {first}"  # a date-only preamble plus the first time of day
        dt = parse_datetimes(pd.Series([text.replace(",", "")]))
        if dt.notna().iloc[0]:
            return iso(dt.iloc[0])
    return None
