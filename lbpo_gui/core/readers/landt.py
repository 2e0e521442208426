"""Landt / Lanhe (LANDdt, CT2001) Excel exports.

Two layouts (field notes, section 2.5; navani ``old_land_processing``/``new_land_processing``):

- multi-sheet: ``Record`` (data), ``Mode`` (steps), ``Cycle`` (per-cycle summary); long
  records continue on ``Record1``, ``Record2``... sheets, possibly without a header row;
- single sheet: a few title rows, then the header row (starting with ``Index``) and the data.

Record columns: ``Index``, ``TestTime/h``, ``StepTime/h``, ``Voltage/V``, ``Current/mA``,
``Capacity/mAh``, ``State`` (``R``, ``C_CC``, ``D_CC``, ``C_CV``...), or their Chinese
equivalents (``序号``, ``测试时间``, ``电压/V``, ``电流/mA``, ``容量/mAh``, ``状态``). Units come from
the headers.

Mapping: test time -> ``time_s``; voltage -> ``voltage_V``; current (signed in the export,
negative on discharge) -> ``current_mA``; capacity (per step, unsigned) -> ``capacity_mAh``;
a cycle column, when present, -> ``source_cycle``. The ``Cycle`` sheet's capacity and specific
capacity give the active mass (``metadata['active_mass_source']``; only as precise as the
export's rounding, which is stated in ``metadata['active_mass_note']``).

Sniffing: an xlsx whose sheet names include ``Record`` and ``Mode``/``Cycle`` (and no Neware
``step`` sheet). The single-sheet layout can only be recognised when the text cells are visible
in the file head; otherwise use the column-mapping importer.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ReaderError
from .cycling_table import build_cycling
from .registry import reader
from .text import (
    CAPACITY_TO_MAH,
    CURRENT_TO_MA,
    TIME_TO_S,
    VOLTAGE_TO_V,
    column_factor,
    find_column,
    parse_durations,
    parse_unit,
)
from .xlsx import (
    XlsxBook,
    find_header_row,
    head_members_text,
    is_zip,
    require_xlsx,
    sheet_names_from_head,
)

NAME = "landt_xlsx"

TIME_NAMES = ("testtime", "test time", "测试时间", "总时间", "time", "time /s")
CURRENT_NAMES = ("current", "电流")
VOLTAGE_NAMES = ("voltage", "电压")
CAPACITY_NAMES = ("capacity", "容量")
CYCLE_NAMES = ("cycle", "循环", "循环号", "cycle index")
STATE_NAMES = ("state", "状态")
_CURRENT_HEADER = re.compile(r">(?:Current|电流)/(?:m|u|µ|μ)?A<")
_VOLTAGE_HEADER = re.compile(r">(?:Voltage|电压)/m?V<")


def _record_sheets(names: list[str]) -> list[str]:
    return [n for n in names if n.lower().startswith("record") or n.startswith("记录")]


def sniff(head: bytes, filename: str) -> float:
    """Score an xlsx: Landt sheet names, or Landt column names in the shared strings."""
    if not is_zip(head):
        return 0.0
    names = sheet_names_from_head(head)
    if names is None:
        return 0.0
    low = {n.lower() for n in names}
    if "step" in low:
        return 0.0  # Neware BTSDA workbook
    if _record_sheets(names) and ({"mode", "cycle"} & low):
        return 0.9
    if len(names) == 1:
        strings = "".join(
            text
            for member, text in head_members_text(head).items()
            if member.startswith(("xl/sharedStrings", "xl/worksheets/"))
        )
        if _CURRENT_HEADER.search(strings) and _VOLTAGE_HEADER.search(strings):
            return 0.7
    return 0.0


@reader(
    NAME,
    kinds=("cycling",),
    patterns=(),
    sniff=sniff,
    description="Landt/Lanhe Excel export (Record sheets or single-sheet layout)",
)
def read(path: Path) -> list:
    """Read a Landt xlsx export (see the module docstring)."""
    path = Path(path)
    require_xlsx(path, "a Landt .xlsx export")
    with XlsxBook(path) as book:
        sheets = _record_sheets(book.sheet_names)
        layout = "multi-sheet (Record/Mode/Cycle)"
        if not sheets:
            if len(book.sheet_names) != 1:
                raise ReaderError(
                    path,
                    f"no Record sheet (sheets: {', '.join(book.sheet_names)})",
                    expected="a Landt export with a Record sheet or a single data sheet",
                )
            sheets = book.sheet_names
            layout = "single sheet"
        headers, cols = _read_records(path, book, sheets)
        cycle_sheet = next((n for n in book.sheet_names if n.lower() == "cycle"), None)
        mass = _mass_from_cycle_sheet(book, cycle_sheet) if cycle_sheet else None

    i_t = find_column(headers, TIME_NAMES)
    i_v = find_column(headers, VOLTAGE_NAMES, units=VOLTAGE_TO_V)
    i_i = find_column(headers, CURRENT_NAMES, units=CURRENT_TO_MA)
    assert i_t is not None and i_v is not None and i_i is not None

    time = cols["time"]
    if isinstance(time, np.ndarray) and time.dtype == object:
        time_s = parse_durations(time)
    else:
        time_s = time * column_factor(headers, i_t, TIME_TO_S, path=path)
    extras: dict[str, np.ndarray] = {}
    meta: dict[str, Any] = {"source_format": f"Landt Excel export ({layout})", "sheets": sheets}
    i_q = find_column(headers, CAPACITY_NAMES, units=CAPACITY_TO_MAH)
    if i_q is not None and "cap" in cols:
        extras["capacity_mAh"] = cols["cap"] * column_factor(
            headers, i_q, CAPACITY_TO_MAH, path=path, default="mAh"
        )
        meta["capacity_semantics"] = "per_step"
        meta["capacity_signed"] = bool(np.nanmin(extras["capacity_mAh"]) < 0)
    if "cycle" in cols:
        extras["source_cycle"] = cols["cycle"]
    if mass:
        meta.update(mass)
    return [
        build_cycling(
            path,
            time_s=time_s,
            voltage_V=cols["voltage"]
            * column_factor(headers, i_v, VOLTAGE_TO_V, path=path, default="V"),
            current_mA=cols["current"]
            * column_factor(headers, i_i, CURRENT_TO_MA, path=path, default="mA"),
            extras=extras,
            metadata=meta,
            label=path.stem,
            reader=NAME,
        )
    ]


def _read_records(
    path: Path, book: XlsxBook, sheets: list[str]
) -> tuple[list[str], dict[str, np.ndarray]]:
    headers: list[str] | None = None
    parts: dict[str, list[np.ndarray]] = {}
    for sheet in sheets:
        cells = book.read_sheet(sheet)
        if cells.n_rows == 0:
            continue
        found = find_header_row(cells, [CURRENT_NAMES, VOLTAGE_NAMES, TIME_NAMES], max_rows=50)
        if found:
            row, hdrs = found
            if headers is None:
                headers = hdrs
            first = row + 1
        elif headers is not None:
            first = 0  # continuation sheet without a header row
        else:
            raise ReaderError(
                path,
                f"sheet {sheet!r} has no header row with time, Voltage/V and Current/mA",
                expected="Landt column names (TestTime/h, Voltage/V, Current/mA ...)",
            )
        assert headers is not None
        idx = {
            "time": find_column(headers, TIME_NAMES),
            "voltage": find_column(headers, VOLTAGE_NAMES, units=VOLTAGE_TO_V),
            "current": find_column(headers, CURRENT_NAMES, units=CURRENT_TO_MA),
            "cap": find_column(headers, CAPACITY_NAMES, units=CAPACITY_TO_MAH),
            "cycle": find_column(headers, CYCLE_NAMES),
        }
        for key in ("voltage", "current"):
            if idx[key] is None:
                raise ReaderError(
                    path,
                    f"sheet {sheet!r}: no {key} column with a unit",
                    line=first,
                    expected="Voltage/V and Current/mA (or A, uA) columns",
                )
        n = cells.n_rows - first
        for key, j in idx.items():
            if j is None:
                continue
            vals, bad = cells.numeric_column(j, first, n)
            if bad is not None and key == "time":
                vals = parse_durations(cells.object_column(j, first, n))
                vals = vals.astype(object) if np.isnan(vals).all() else vals
                bad = None
            if bad is not None:
                raise ReaderError(
                    path,
                    f"sheet {sheet!r}: value in column {headers[j]!r} is not a number",
                    line=bad + 1,
                    expected="numbers in every data row (line = sheet row)",
                )
            parts.setdefault(key, []).append(vals)
    if headers is None:
        raise ReaderError(path, "the record sheets are empty", expected="data rows")
    cols = {k: np.concatenate(v) for k, v in parts.items()}
    keep = ~(np.isnan(cols["current"]) & np.isnan(cols["voltage"]))
    return headers, {k: v[keep] for k, v in cols.items()}


def _mass_from_cycle_sheet(book: XlsxBook, sheet: str) -> dict[str, Any] | None:
    """Active mass (mg) from the Cycle sheet: capacity / specific capacity of the largest cycle."""
    cells = book.read_sheet(sheet)
    found = find_header_row(cells, [("discharge-cap", "charge-cap")], max_rows=5)
    if not found:
        return None
    row, headers = found
    best: tuple[float, float, str] | None = None
    for cap_name, spec_name in (
        ("Discharge-Cap", "Discharge-SCap"),
        ("Charge-Cap", "Charge-SCap"),
    ):
        i_c = find_column(headers, (cap_name,))
        i_s = find_column(headers, (spec_name,))
        if i_c is None or i_s is None:
            continue
        cap, _ = cells.numeric_column(i_c, row + 1)
        spec, _ = cells.numeric_column(i_s, row + 1)
        cap_unit = parse_unit(headers[i_c])[1]
        if CAPACITY_TO_MAH.get(cap_unit.replace("µ", "u")) is None:
            continue
        cap_mAh = cap * CAPACITY_TO_MAH[cap_unit.replace("µ", "u")]
        ok = np.isfinite(cap_mAh) & np.isfinite(spec) & (spec > 0) & (cap_mAh > 0)
        if not ok.any():
            continue
        k = np.flatnonzero(ok)[np.argmax(cap_mAh[ok])]
        if best is None or cap_mAh[k] > best[0]:
            best = (float(cap_mAh[k]), float(spec[k]), f"{headers[i_c]} / {headers[i_s]}")
    if best is None:
        return None
    cap, spec, cols = best
    mass = cap / spec * 1000.0
    # relative rounding error of the two printed values (last printed digit of each)
    rel = _last_digit(cap) / cap + _last_digit(spec) / spec
    return {
        "active_mass_mg": float(f"{mass:.3g}"),
        "active_mass_source": f"derived from the Cycle sheet: {cols}",
        "active_mass_note": f"about ±{rel * 100:.1f} % from the export's rounding",
    }


def _last_digit(x: float) -> float:
    text = f"{x:.10g}"
    if "." not in text or "e" in text:
        return 0.5
    return 0.5 * 10 ** -(len(text.split(".")[1]))
