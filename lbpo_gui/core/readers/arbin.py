"""Arbin exports: MITS Pro Excel workbooks (``Channel_*`` sheets) and MITS Pro / MITS 8 CSV.

xlsx: data sheets are named ``Channel_<channel>_<n>`` (e.g. ``Channel_11_1``, ``Channel_1-1_2``);
a channel whose data fill one sheet continues on ``..._2``, ``..._3`` ...: these are concatenated
in order (a repeated header row on a continuation sheet is skipped). ``Channel_Chart`` is a chart
sheet and ignored; ``Global_Info`` gives the start date, schedule and software. One table is
returned per channel.

CSV: one header line with ``Test Time (s)`` / ``Test_Time(s)``, ``Current (A)``, ``Voltage (V)``,
``Cycle Index``, ``Step Index``, ``Charge Capacity (Ah)``, ``Discharge Capacity (Ah)`` (MITS Pro
and MITS 8, with ``Data Point`` first: scored above the Neware record reader, whose header also
has a data point and a step index), or channel tables without units in the names
(``Test_Time``, ``Current``, ``Voltage``, ``Charge_Capacity``...: s, A, V, Ah).

Mapping: test time -> ``time_s``, ``Voltage`` -> ``voltage_V``, ``Current`` -> ``current_mA``
(Arbin current is signed, negative on discharge), ``Step_Index`` -> ``step_index`` (schedule
step), ``Cycle_Index`` -> ``source_cycle`` (1-based, advances only when the schedule says so),
``charge_capacity_mAh`` / ``discharge_capacity_mAh`` as written (both accumulate, unsigned, until
the cycle index changes) and ``capacity_mAh`` = charge - discharge (signed, same semantics:
``metadata['capacity_semantics'] = 'cumulative'``).
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
    parse_durations,
    read_table_columns,
    require_table,
    seconds_from_column,
)
from .xlsx import (
    XlsxBook,
    excel_serial_to_datetime,
    find_header_row,
    is_zip,
    require_xlsx,
    sheet_names_from_head,
)

NAME_XLSX = "arbin_xlsx"
NAME_CSV = "arbin_csv"

TIME_NAMES = ("test time", "testtime")
CURRENT_NAMES = ("current",)
VOLTAGE_NAMES = ("voltage",)
STEP_NAMES = ("step index",)
CYCLE_NAMES = ("cycle index",)
CHARGE_CAP_NAMES = ("charge capacity",)
DISCHARGE_CAP_NAMES = ("discharge capacity",)
DATE_NAMES = ("date time", "datetime")
#: Units accepted in the headers; "" = a channel table without units in its names
#: (``Test_Time``, ``Current``, ``Voltage``, ``Charge_Capacity``: SI units, as BEEP and other
#: battery tools export Arbin data).
CURRENT_UNITS: tuple[str, ...] = (*CURRENT_TO_MA, "")
VOLTAGE_UNITS: tuple[str, ...] = (*VOLTAGE_TO_V, "")
CAPACITY_UNITS: tuple[str, ...] = (*CAPACITY_TO_MAH, "")
#: Column names Arbin writes and Neware does not (Neware: ``Chg. Cap.``, ``Time``, ``Step Type``).
ARBIN_ONLY_NAMES: tuple[str, ...] = ("test time", "charge capacity", "discharge capacity")
_SHEET = re.compile(r"^Channel_(?P<ch>.+?)(?:_(?P<n>\d+))?$", re.IGNORECASE)


def channel_sheets(names: list[str]) -> dict[str, list[str]]:
    """Data sheets grouped by channel, each group in continuation order."""
    groups: dict[str, list[tuple[int, int, str]]] = {}
    for pos, name in enumerate(names):
        if "chart" in name.lower():
            continue
        m = _SHEET.match(name)
        if not m:
            continue
        n = int(m.group("n")) if m.group("n") else 0
        groups.setdefault(m.group("ch"), []).append((n, pos, name))
    return {ch: [name for _, _, name in sorted(v)] for ch, v in groups.items()}


def _is_arbin_header(fields: list[str]) -> bool:
    return (
        find_column(fields, TIME_NAMES) is not None
        and find_column(fields, CURRENT_NAMES, units=CURRENT_UNITS) is not None
        and find_column(fields, VOLTAGE_NAMES, units=VOLTAGE_UNITS) is not None
        and (
            find_column(fields, CYCLE_NAMES) is not None
            or find_column(fields, STEP_NAMES) is not None
        )
    )


def _is_quoted_arbin_header(fields: list[str]) -> bool:
    """:func:`_is_arbin_header` on fields that may still carry CSV double quotes."""
    return _is_arbin_header([f.strip('"') for f in fields])


def sniff_xlsx(head: bytes, filename: str) -> float:
    """Score an xlsx by its sheet names (``Channel_*`` data sheets, ``Global_Info``)."""
    if not is_zip(head):
        return 0.0
    names = sheet_names_from_head(head)
    if names is None:
        return 0.2 if filename.endswith(".xlsx") and "channel" in filename else 0.0
    if not channel_sheets(names):
        return 0.0
    return 0.9 if any(n.lower() == "global_info" for n in names) else 0.75


def sniff_csv(head: bytes, filename: str) -> float:
    """Score a text head: a header line with test time, current, voltage and cycle/step index."""
    found = find_header_fields(head_lines(head, 10), _is_quoted_arbin_header)
    if found is None:
        return 0.0
    fields = [f.strip('"') for f in found]
    arbin_only = sum(find_column(fields, (n,)) is not None for n in ARBIN_ONLY_NAMES)
    return 0.95 if arbin_only >= 2 else 0.85


def _global_info(book: XlsxBook) -> dict[str, dict[str, Any]]:
    """Per-channel rows of the ``Global_Info`` sheet (keys: header names)."""
    name = next((n for n in book.sheet_names if n.lower() == "global_info"), None)
    if name is None:
        return {}
    cells = book.read_sheet(name)
    out: dict[str, dict[str, Any]] = {}
    found = find_header_row(cells, [("channel",), ("start datetime", "start date time")])
    if not found:
        return {}
    row, headers = found
    i_ch = find_column(headers, ("channel",))
    for r in range(row + 1, cells.n_rows):
        vals = cells.row_values(r)
        if i_ch is None or i_ch >= len(vals) or vals[i_ch] is None:
            continue
        ch = vals[i_ch]
        key = str(int(ch)) if isinstance(ch, float) and ch.is_integer() else str(ch).strip()
        out[key] = {h: (vals[j] if j < len(vals) else None) for j, h in enumerate(headers) if h}
    return out


def _as_datetime(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return excel_serial_to_datetime(value)
    return value


@reader(
    NAME_XLSX,
    kinds=("cycling",),
    patterns=(),
    sniff=sniff_xlsx,
    description="Arbin MITS Pro Excel export (Channel_* sheets)",
)
def read_xlsx(path: Path) -> list:
    """Read every channel of an Arbin MITS Pro workbook (see the module docstring)."""
    path = Path(path)
    require_xlsx(path, "an Arbin .xlsx export")
    out = []
    with XlsxBook(path) as book:
        groups = channel_sheets(book.sheet_names)
        if not groups:
            raise ReaderError(
                path,
                f"no Channel_* data sheet (sheets: {', '.join(book.sheet_names)})",
                expected="an Arbin export with Channel_<n>_<k> sheets",
            )
        info = _global_info(book)
        for ch, sheets in groups.items():
            out.append(_read_channel(path, book, ch, sheets, info.get(ch, {})))
    return out


def _read_channel(
    path: Path, book: XlsxBook, channel: str, sheets: list[str], info: dict[str, Any]
) -> Any:
    headers: list[str] | None = None
    parts: dict[str, list[np.ndarray]] = {}
    date0: Any = None
    for sheet in sheets:
        cells = book.read_sheet(sheet)
        found = find_header_row(
            cells, [TIME_NAMES, CURRENT_NAMES, VOLTAGE_NAMES], max_rows=5 if headers else 50
        )
        if found:
            hrow, hdrs = found
            if headers is None:
                headers = hdrs
            first = hrow + 1
        elif headers is not None:
            first = 0  # a continuation sheet without its own header row
        else:
            raise ReaderError(
                path,
                f"sheet {sheet!r} has no header row with Test_Time(s), Current(A) and Voltage(V)",
                expected="Arbin column names in the first rows",
            )
        assert headers is not None
        idx = {
            "time": find_column(headers, TIME_NAMES),
            "current": find_column(headers, CURRENT_NAMES, units=CURRENT_UNITS),
            "voltage": find_column(headers, VOLTAGE_NAMES, units=VOLTAGE_UNITS),
            "step": find_column(headers, STEP_NAMES),
            "cycle": find_column(headers, CYCLE_NAMES),
            "qc": find_column(headers, CHARGE_CAP_NAMES, units=CAPACITY_UNITS),
            "qd": find_column(headers, DISCHARGE_CAP_NAMES, units=CAPACITY_UNITS),
        }
        n = cells.n_rows - first
        for key, j in idx.items():
            if j is None:
                continue
            vals, bad = cells.numeric_column(j, first, n)
            if bad is not None and key == "time":
                raw = cells.object_column(j, first, n)
                vals = parse_durations(raw)
                bad = None if not np.isnan(vals).any() else bad
            if bad is not None:
                raise ReaderError(
                    path,
                    f"sheet {sheet!r}: value in column {headers[j]!r} is not a number",
                    line=bad + 1,
                    expected="numbers in every data row (line = sheet row)",
                )
            parts.setdefault(key, []).append(vals)
        j_date = find_column(headers, DATE_NAMES)
        if date0 is None and j_date is not None and n > 0:
            date0 = _as_datetime(cells.object_column(j_date, first, 1)[0])
    assert headers is not None
    cols = {k: np.concatenate(v) for k, v in parts.items()}
    i_t, i_i, i_v = (
        find_column(headers, TIME_NAMES),
        find_column(headers, CURRENT_NAMES, units=CURRENT_UNITS),
        find_column(headers, VOLTAGE_NAMES, units=VOLTAGE_UNITS),
    )
    assert i_t is not None and i_i is not None and i_v is not None
    keep = ~(np.isnan(cols["time"]) & np.isnan(cols["current"]) & np.isnan(cols["voltage"]))
    cols = {k: v[keep] for k, v in cols.items()}
    extras: dict[str, np.ndarray] = {}
    if "step" in cols:
        extras["step_index"] = cols["step"]
    if "cycle" in cols:
        extras["source_cycle"] = cols["cycle"]
    meta: dict[str, Any] = {
        "source_format": "Arbin MITS Pro Excel export (.xlsx)",
        "channel": channel,
        "sheets": sheets,
        "step_index_semantics": "schedule step",
        "cycle_numbering": "1-based (Arbin Cycle_Index)",
    }
    _capacity(path, headers, cols, extras, meta)
    if date0 is not None:
        meta["start_time"] = iso(date0)
    elif info.get("Start DateTime") is not None:
        meta["start_time"] = iso(_as_datetime(info["Start DateTime"]))
    for key, meta_key in (("Schedule File Name", "schedule"), ("Software Version", "software")):
        if info.get(key):
            meta[meta_key] = str(info[key])
    return build_cycling(
        path,
        time_s=cols["time"] * column_factor(headers, i_t, TIME_TO_S, path=path, default="s"),
        voltage_V=cols["voltage"]
        * column_factor(headers, i_v, VOLTAGE_TO_V, path=path, default="V"),
        current_mA=cols["current"]
        * column_factor(headers, i_i, CURRENT_TO_MA, path=path, default="A"),
        extras=extras,
        metadata=meta,
        label=f"{path.stem} ch {channel}" if channel else path.stem,
        reader=NAME_XLSX,
    )


def _capacity(
    path: Path,
    headers: list[str],
    cols: dict[str, np.ndarray],
    extras: dict[str, np.ndarray],
    meta: dict[str, Any],
) -> None:
    i_qc = find_column(headers, CHARGE_CAP_NAMES, units=CAPACITY_UNITS)
    i_qd = find_column(headers, DISCHARGE_CAP_NAMES, units=CAPACITY_UNITS)
    if "qc" in cols and "qd" in cols and i_qc is not None and i_qd is not None:
        qc = cols["qc"] * column_factor(headers, i_qc, CAPACITY_TO_MAH, path=path, default="Ah")
        qd = cols["qd"] * column_factor(headers, i_qd, CAPACITY_TO_MAH, path=path, default="Ah")
        extras["charge_capacity_mAh"] = qc
        extras["discharge_capacity_mAh"] = qd
        extras["capacity_mAh"] = qc - qd
        meta["capacity_semantics"] = "cumulative"
        meta["capacity_signed"] = True
        meta["capacity_note"] = (
            "charge - discharge; Arbin accumulates both until the cycle index changes"
        )


@reader(
    NAME_CSV,
    kinds=("cycling",),
    patterns=(),
    sniff=sniff_csv,
    description="Arbin MITS Pro / MITS 8 CSV export",
)
def read_csv(path: Path) -> list:
    """Read an Arbin CSV export (see the module docstring)."""
    import pandas as pd

    path = Path(path)
    table = require_table(
        path,
        _is_quoted_arbin_header,
        expected="an Arbin CSV export",
        missing="no header line with Test Time (s), Current (A), Voltage (V) and Cycle/Step Index",
    )
    names = [n.strip('"') for n in table.names]
    table.names = names
    i_t = find_column(names, TIME_NAMES)
    i_i = find_column(names, CURRENT_NAMES, units=CURRENT_UNITS)
    i_v = find_column(names, VOLTAGE_NAMES, units=VOLTAGE_UNITS)
    assert i_t is not None and i_i is not None and i_v is not None
    optional = {
        "step": find_column(names, STEP_NAMES),
        "cycle": find_column(names, CYCLE_NAMES),
        "qc": find_column(names, CHARGE_CAP_NAMES, units=CAPACITY_UNITS),
        "qd": find_column(names, DISCHARGE_CAP_NAMES, units=CAPACITY_UNITS),
    }
    time_kind = table.column_kind(names[i_t])
    numeric = [names[i_i], names[i_v]] + [names[j] for j in optional.values() if j is not None]
    text_cols = []
    if time_kind == "number":
        numeric.append(names[i_t])
    else:
        text_cols.append(names[i_t])
    i_date = find_column(names, DATE_NAMES)
    df = read_table_columns(table, numeric, text_cols)
    if len(df) == 0:
        raise ReaderError(
            path, "no data rows", line=table.first_data_line, expected="data rows below the header"
        )
    time_s = seconds_from_column(
        df[names[i_t]],
        time_kind,
        factor=column_factor(names, i_t, TIME_TO_S, path=path, default="s"),
        path=path,
        column=names[i_t],
        first_data_line=table.first_data_line,
    )
    cols = {k: df[names[j]].to_numpy(np.float64) for k, j in optional.items() if j is not None}
    extras: dict[str, np.ndarray] = {}
    if "step" in cols:
        extras["step_index"] = cols["step"]
    if "cycle" in cols:
        extras["source_cycle"] = cols["cycle"]
    meta: dict[str, Any] = {
        "source_format": "Arbin CSV export",
        "encoding": table.encoding,
        "decimal_separator": table.decimal,
        "step_index_semantics": "schedule step",
        "cycle_numbering": "1-based (Arbin Cycle Index)",
    }
    _capacity(path, names, cols, extras, meta)
    if i_date is not None:
        from .text import parse_datetimes

        first = parse_datetimes(pd.Series([table.first_value(names[i_date])]))
        if len(first) and first.notna().iloc[0]:
            meta["start_time"] = iso(first.iloc[0])
    return [
        build_cycling(
            path,
            time_s=time_s,
            voltage_V=df[names[i_v]].to_numpy(np.float64)
            * column_factor(names, i_v, VOLTAGE_TO_V, path=path, default="V"),
            current_mA=df[names[i_i]].to_numpy(np.float64)
            * column_factor(names, i_i, CURRENT_TO_MA, path=path, default="A"),
            extras=extras,
            metadata=meta,
            label=path.stem,
            reader=NAME_CSV,
            first_data_line=table.first_data_line,
        )
    ]
