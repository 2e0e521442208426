"""BioLogic EC-Lab / BT-Lab ASCII export (``.mpt``) of cycling techniques (GCPL, BCD, MB, ...).

Layout (see the field notes, section 2.1):

- line 1 ``EC-Lab ASCII FILE`` or ``BT-Lab ASCII FILE``; line 2 ``Nb header lines : N`` where N
  counts every line up to **and including** the column-name line (``N = 3``: no header block);
  exports without these two lines (the column line first) are read too;
- ``key : value`` header lines (``Acquisition started on : 05/28/2025 14:23:16.145``, month
  first; ``Mass of active material : 0.790 mg``; ``Characteristic mass : 0.001 g``; ``Device``;
  ``Run on channel``), the technique name on line 4;
- TAB-separated data; the column line ends with a TAB the data lines lack; the decimal separator
  follows the Windows locale (``0,5``); cp1252 text (``µ`` = 0xB5); CRLF or LF.

Mapping: ``time/s`` -> ``time_s`` (from the first row; the EC-Lab time of that row is
``metadata['time_offset_s']``), ``Ewe/V`` | ``Ecell/V`` | ``<Ewe>/V`` -> ``voltage_V``,
``I/mA`` | ``<I>/mA`` (any current unit) -> ``current_mA`` (EC-Lab sign: positive = oxidation),
``half cycle`` -> ``half_cycle`` (0-based), ``cycle number`` -> ``source_cycle`` (0-based),
``Ns`` -> ``step_index`` (sequence index), ``ox/red`` -> ``ox_red`` (1 = oxidation),
``Q charge/discharge/mA.h`` -> ``capacity_mAh`` (signed, resets every half cycle) or else
``(Q-Qo)/mA.h`` (signed, cumulative).

EC-Lab writes ``0.001`` as the mass when none was entered; such placeholder masses are not
reported as ``active_mass_mg`` (the raw header text is kept in ``metadata['header_masses']``).
Impedance exports (a PEIS/GEIS technique, or a ``freq/Hz`` column without the cycling columns
``ox/red``, ``half cycle``, ``Q charge/discharge``) are refused: an impedance reader handles them.
A **Modulo Bat** export mixing galvanostatic and impedance steps (a ``freq/Hz`` column beside the
cycling columns) is cycling data: its rows with a frequency are left out of the cycling table
(counted in ``metadata['impedance_rows']``, with a warning) and become one impedance table per
PEIS loop (:func:`.biologic_peis.impedance_tables`; split by cycle number and sweep).
"""

from __future__ import annotations

import re
import warnings
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ReaderError
from .cycling_table import build_cycling, iso
from .registry import reader
from .text import (
    CAPACITY_TO_MAH,
    CURRENT_TO_MA,
    MASS_TO_MG,
    TIME_TO_S,
    VOLTAGE_TO_V,
    column_factor,
    decode_bytes,
    dedupe_names,
    detect_decimal,
    find_column,
    first_nonblank,
    line_offsets,
    looks_binary,
    normalize_unit,
    read_numeric_block,
    require_text,
    split_lines,
)

NAME = "biologic_mpt"
MAGIC_LINES: tuple[str, ...] = ("EC-Lab ASCII FILE", "BT-Lab ASCII FILE")
_NB_HEADER = re.compile(r"^\s*Nb header lines\s*:\s*(\d+)\s*$", re.IGNORECASE)
_KEY_VALUE = re.compile(r"^\s*(?P<key>[^:\t]+?)\s*:\s*(?P<value>.*?)\s*$")
_MAX_HEADER_BYTES = 8 * 1024 * 1024

VOLTAGE_NAMES: tuple[str, ...] = ("Ewe", "Ecell", "<Ewe>", "<Ecell>", "Ewe-Ece")
CURRENT_NAMES: tuple[str, ...] = ("I", "<I>")
CYCLING_HINTS: tuple[str, ...] = (
    "galvanostatic",
    "battery",
    "modulo bat",
    "cycling",
    "chronopotentiometry",
    "titration",
    "constant current",
    "constant power",
    "constant load",
    "charge",
)


#: ``<Ewe/V>``, as some EC-Lab 11.5x exports write the averaged potential: read as ``<Ewe>/V``.
_AVERAGE_MISPLACED = re.compile(r"^<([^<>/]+)/([^<>/]+)>$")


def _columns_of(line: str) -> list[str]:
    cols = [c.strip() for c in line.rstrip("\r\n").split("\t")]
    while cols and cols[-1] == "":
        cols.pop()
    return [_AVERAGE_MISPLACED.sub(r"<\1>/\2", c) for c in cols]


#: Columns only cycling techniques write (a Modulo Bat file with PEIS steps has them too).
CYCLING_ONLY_COLUMNS: tuple[str, ...] = ("ox/red", "half cycle", "Q charge/discharge/mA.h")


def _is_modulo_bat(technique: str) -> bool:
    return "modulo bat" in technique.lower()


def _is_impedance(columns: list[str], technique: str) -> bool:
    """An impedance-only export (a Modulo Bat file with PEIS loops is cycling + impedance)."""
    if _is_modulo_bat(technique):
        return False
    if "impedance" in technique.lower():
        return True
    return "freq/Hz" in columns and not any(c in columns for c in CYCLING_ONLY_COLUMNS)


def _current_index(columns: list[str]) -> int | None:
    return find_column(columns, CURRENT_NAMES, units=CURRENT_TO_MA)


def _voltage_index(columns: list[str]) -> int | None:
    return find_column(columns, VOLTAGE_NAMES, units=VOLTAGE_TO_V)


def sniff(head: bytes, filename: str) -> float:
    """Score a file head: EC-Lab/BT-Lab ASCII with time, voltage and current columns."""
    if looks_binary(head):
        return 0.0
    text = head.decode("latin-1")
    lines = split_lines(text)
    i = first_nonblank(lines)
    if i >= len(lines):
        return 0.0
    first = lines[i].strip()
    if first in MAGIC_LINES:
        m = _NB_HEADER.match(lines[i + 1]) if i + 1 < len(lines) else None
        if not m:
            return 0.3  # looks like EC-Lab but the header is damaged: let read() explain
        n = int(m.group(1))
        technique = lines[i + 3].strip() if n > 4 and i + 3 < len(lines) else ""
        if "impedance" in technique.lower() and not _is_modulo_bat(technique):
            return 0.0
        if i + n - 1 < len(lines) - 1 or (i + n - 1 < len(lines) and text.endswith("\n")):
            cols = _columns_of(lines[i + n - 1])
            if _is_impedance(cols, technique) or _current_index(cols) is None:
                return 0.0
            if _voltage_index(cols) is None or "time/s" not in cols:
                return 0.0
        if not technique or any(h in technique.lower() for h in CYCLING_HINTS):
            return 0.95
        return 0.6
    # exports without the two-line preamble: the column line comes first
    cols = _columns_of(lines[i])
    if (
        len(cols) > 2
        and "time/s" in cols
        and not _is_impedance(cols, "")
        and _current_index(cols) is not None
        and _voltage_index(cols) is not None
    ):
        return 0.6
    return 0.0


def _read_header_bytes(path: Path, n_lines: int | None) -> bytes:
    """Enough bytes from the start of ``path`` to hold ``n_lines`` lines (or 64 kB)."""
    size = 64 * 1024
    with path.open("rb") as fh:
        data = fh.read(size)
        if n_lines is None:
            return data
        while len(line_offsets(data, n_lines + 2)) < n_lines + 2 and len(data) < _MAX_HEADER_BYTES:
            more = fh.read(size)
            if not more:
                break
            data += more
            size *= 2
    return data


def _parse_float(text: str) -> float | None:
    m = re.search(r"[-+]?\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?", text)
    if not m:
        return None
    try:
        return float(m.group(0).replace(",", "."))
    except ValueError:
        return None


def _parse_quantity(text: str) -> tuple[float, str] | None:
    m = re.match(r"\s*([-+]?\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?)\s*(\S*)", text)
    if not m:
        return None
    return float(m.group(1).replace(",", ".")), m.group(2)


def parse_eclab_datetime(text: str) -> datetime | None:
    """``05/28/2025 14:23:16.145`` (month first; ``.``/``-`` separators and ``hh.mm.ss`` too)."""
    m = re.match(
        r"\s*(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})\s+(\d{1,2})[:.](\d{1,2})[:.](\d{1,2})"
        r"(?:[.,](\d+))?",
        text,
    )
    if not m:
        return None
    a, b, c, hh, mm, ss, frac = m.groups()
    try:
        if len(a) == 4:  # yyyy/mm/dd
            year, month, day = int(a), int(b), int(c)
        else:
            month, day, year = int(a), int(b), int(c)
            if month > 12 and day <= 12:
                month, day = day, month
            if year < 100:
                year += 2000
        micro = int((frac or "0")[:6].ljust(6, "0"))
        return datetime(year, month, day, int(hh), int(mm), int(ss), micro)
    except ValueError:
        return None


def parse_header(lines: list[str]) -> dict[str, Any]:
    """Metadata from the EC-Lab header lines (everything before the column line)."""
    meta: dict[str, Any] = {}
    masses: dict[str, str] = {}
    comments: list[str] = []
    if len(lines) > 3 and lines[3].strip() and ":" not in lines[3]:
        meta["technique"] = lines[3].strip()
    for ln in lines[2:]:
        low = ln.strip().lower()
        if (" for windows " in low) and "(software)" in low:
            meta["software"] = ln.strip().replace(" (software)", "")
            continue
        m = _KEY_VALUE.match(ln)
        if not m:
            continue
        key, value = m.group("key").strip(), m.group("value").strip()
        k = key.lower()
        if k == "acquisition started on":
            dt = parse_eclab_datetime(value)
            meta["acquisition_start"] = dt.isoformat() if dt else value
        elif k == "device":
            meta["device"] = value
        elif k == "run on channel":
            meta["channel"] = value.split("(")[0].strip() or value
        elif k in ("mass of active material", "characteristic mass"):
            masses[key] = value
        elif k == "electrode surface area":
            q = _parse_quantity(value)
            if q and q[0] > 0 and q[0] != 0.001:
                unit = q[1].replace("²", "2")
                factor = {"cm2": 1.0, "mm2": 0.01, "m2": 1e4}.get(unit)
                if factor:
                    meta["electrode_area_cm2"] = q[0] * factor
        elif k == "battery capacity":
            q = _parse_quantity(value)
            if q:
                unit = normalize_unit(q[1])
                if unit in CAPACITY_TO_MAH:
                    meta["battery_capacity_mAh"] = q[0] * CAPACITY_TO_MAH[unit]
        elif k == "comments" and value:
            comments.append(value)
        elif k == "electrode material" and value:
            meta["electrode_material"] = value
        elif k == "electrolyte" and value:
            meta["electrolyte"] = value
    if comments:
        meta["comments"] = comments
    if masses:
        meta["header_masses"] = masses
        for key in ("Mass of active material", "Characteristic mass"):
            value = next((v for k, v in masses.items() if k.lower() == key.lower()), None)
            q = _parse_quantity(value) if value else None
            if not q:
                continue
            unit = normalize_unit(q[1])
            if unit not in MASS_TO_MG or q[0] <= 0 or q[0] == 0.001:
                continue  # 0.001 (in any unit) is EC-Lab's "not entered" default
            meta["active_mass_mg"] = q[0] * MASS_TO_MG[unit]
            meta["active_mass_source"] = key
            break
    return meta


@reader(
    NAME,
    kinds=("cycling", "impedance"),
    patterns=("*.mpt",),
    sniff=sniff,
    description="BioLogic EC-Lab/BT-Lab ASCII export (.mpt) of GCPL, BCD, MB and similar",
)
def read(path: Path) -> list:
    """Read one EC-Lab/BT-Lab cycling ``.mpt`` export (see the module docstring)."""
    path = Path(path)
    expected_file = "an EC-Lab/BT-Lab ASCII export starting with 'EC-Lab ASCII FILE'"
    head = _read_header_bytes(path, None)
    require_text(path, head, expected_file)
    text, encoding = decode_bytes(head, partial=True)
    lines = split_lines(text)
    start = first_nonblank(lines)
    first = lines[start].strip()
    if first in MAGIC_LINES:
        if start + 1 >= len(lines) or not _NB_HEADER.match(lines[start + 1]):
            raise ReaderError(
                path,
                "the 'Nb header lines : N' line is missing",
                line=start + 2,
                expected="'Nb header lines : N' on the line after the file title",
            )
        n_header = int(_NB_HEADER.match(lines[start + 1]).group(1))
        if n_header < 3:
            raise ReaderError(
                path,
                f"'Nb header lines : {n_header}' is too small",
                line=start + 2,
                expected="at least 3 header lines",
            )
        column_line = start + n_header  # 1-based line number of the column-name line
    else:
        cols = _columns_of(first)
        if "time/s" not in cols:
            raise ReaderError(
                path, "not an EC-Lab/BT-Lab ASCII export", line=start + 1, expected=expected_file
            )
        column_line = start + 1

    raw = _read_header_bytes(path, column_line + 1)
    offsets = line_offsets(raw, column_line + 1)
    text, encoding = decode_bytes(raw, partial=True)
    lines = split_lines(text)
    if len(lines) < column_line:
        raise ReaderError(
            path,
            f"file ends at line {len(lines)} but its header announces {column_line - start} "
            f"header lines (column names on line {column_line}): the file is truncated",
            line=len(lines),
            expected=f"the column-name line at line {column_line}",
        )
    header_lines = lines[start:column_line]
    meta = parse_header(header_lines) if first in MAGIC_LINES else {}
    columns = dedupe_names(_columns_of(lines[column_line - 1]))
    technique = meta.get("technique", "")
    if _is_impedance(columns, technique):
        raise ReaderError(
            path,
            f"holds impedance data ({technique or 'freq/Hz column'}), not cycling data",
            line=column_line,
            expected="a cycling technique export (GCPL, BCD, MB ...)",
        )
    expected_cols = "columns time/s, Ewe/V (or Ecell/V) and I/mA (or <I>/mA)"
    i_time = find_column(columns, ("time",), units=TIME_TO_S)
    i_volt = _voltage_index(columns)
    i_curr = _current_index(columns)
    for idx, what_col in ((i_time, "time"), (i_volt, "voltage"), (i_curr, "current")):
        if idx is None:
            raise ReaderError(
                path,
                f"no {what_col} column among the {len(columns)} column names",
                line=column_line,
                expected=expected_cols,
            )
    optional = {
        "half_cycle": find_column(columns, ("half cycle",)),
        "source_cycle": find_column(columns, ("cycle number",)),
        "step_index": find_column(columns, ("Ns",)),
        "ox_red": find_column(columns, ("ox/red",)),
    }
    i_cap = find_column(columns, ("Q charge/discharge",), units=CAPACITY_TO_MAH)
    cap_semantics = "per_half_cycle"
    if i_cap is None:
        i_cap = find_column(columns, ("(Q-Qo)",), units=CAPACITY_TO_MAH)
        cap_semantics = "cumulative"

    if len(lines) <= column_line or len(offsets) <= column_line:
        raise ReaderError(
            path,
            "no data rows after the column-name line",
            line=column_line + 1,
            expected="TAB-separated data rows",
        )
    data_start = offsets[column_line]
    first_rows = [ln for ln in lines[column_line : column_line + 20] if ln.strip()]
    decimal = detect_decimal(first_rows, "\t") if first_rows else "."

    i_freq = find_column(columns, ("freq/Hz",))
    peis_idx: dict[str, int] = {}
    if i_freq is not None:
        from .biologic_peis import eclab_impedance_columns

        peis_idx = eclab_impedance_columns(columns)
        if not {"freq", "re", "mim"} <= set(peis_idx):
            peis_idx = {}
    wanted = [i_time, i_volt, i_curr, i_cap, i_freq, *optional.values(), *peis_idx.values()]
    usecols = [columns[i] for i in dict.fromkeys(i for i in wanted if i is not None)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        df = read_numeric_block(
            path,
            offset=data_start,
            first_line=column_line + 1,
            names=columns,
            usecols=usecols,
            delimiter="\t",
            decimal=decimal,
            encoding="latin-1",
            light=True,  # only len, columns .to_numpy() and row masks are used below
        )
    if len(df) == 0:
        raise ReaderError(
            path,
            "no data rows after the column-name line",
            line=column_line + 1,
            expected="TAB-separated data rows",
        )

    row_lines = None
    peis_tables: list = []
    if i_freq is not None:  # Modulo Bat with impedance steps: keep the galvanostatic rows
        freq = df[columns[i_freq]].to_numpy(dtype=np.float64)
        keep = ~(freq > 0)
        meta["impedance_rows"] = int(np.count_nonzero(~keep))
        if peis_idx and meta["impedance_rows"]:
            peis_tables = _peis_loops(path, df[~keep], columns, peis_idx, column_line, meta)
        if not keep.any():
            if peis_tables:
                return peis_tables
            raise ReaderError(
                path,
                "every data row belongs to an impedance step (freq/Hz > 0)",
                line=column_line + 1,
                expected="galvanostatic rows (freq/Hz = 0)",
            )
        if meta["impedance_rows"]:
            row_lines = column_line + 1 + np.flatnonzero(keep)
            df = df[keep]
            meta.setdefault("warnings", []).append(
                f"{meta['impedance_rows']} rows of impedance steps (freq/Hz > 0) are not "
                "cycling data: they were left out of the cycling table"
                + (f" and read as {len(peis_tables)} impedance spectra" if peis_tables else "")
            )

    def col(i: int) -> np.ndarray:
        return df[columns[i]].to_numpy(dtype=np.float64)

    def factor(i: int, table: dict[str, float]) -> float:
        return column_factor(columns, i, table, path=path)

    time_s = col(i_time) * factor(i_time, TIME_TO_S)
    voltage = col(i_volt) * factor(i_volt, VOLTAGE_TO_V)
    current = col(i_curr) * factor(i_curr, CURRENT_TO_MA)
    extras: dict[str, np.ndarray] = {k: col(i) for k, i in optional.items() if i is not None}
    if i_cap is not None:
        extras["capacity_mAh"] = col(i_cap) * factor(i_cap, CAPACITY_TO_MAH)
        meta["capacity_semantics"] = cap_semantics
        meta["capacity_signed"] = True
        meta["capacity_column"] = columns[i_cap]
    meta.update(
        {
            "source_format": "BioLogic EC-Lab ASCII (.mpt)",
            "encoding": encoding,
            "decimal_separator": decimal,
            "voltage_column": columns[i_volt],
            "current_column": columns[i_curr],
            "step_index_semantics": "sequence (Ns)" if optional["step_index"] is not None else None,
            "cycle_numbering": "0-based (EC-Lab cycle number)",
        }
    )
    meta = {k: v for k, v in meta.items() if v is not None}
    if "acquisition_start" in meta:
        dt = parse_eclab_datetime(meta["acquisition_start"].replace("T", " "))
        if dt is not None:
            from datetime import timedelta

            meta["start_time"] = iso(dt + timedelta(seconds=float(time_s[0])))
    table = build_cycling(
        path,
        time_s=time_s,
        voltage_V=voltage,
        current_mA=current,
        extras=extras,
        metadata=meta,
        label=path.stem,
        reader=NAME,
        first_data_line=column_line + 1,
        row_lines=row_lines,
    )
    return [table, *peis_tables]


def _peis_loops(
    path: Path, df, columns: list[str], idx: dict[str, int], column_line: int, meta: dict
) -> list:
    """The impedance tables of the PEIS rows of a Modulo Bat file."""
    from .biologic_peis import impedance_tables

    arrays = {k: df[columns[i]].to_numpy(dtype=np.float64) for k, i in idx.items()}
    if "current_A" in arrays:
        arrays["current_A"] = arrays["current_A"] * (
            column_factor(columns, idx["current_A"], CURRENT_TO_MA, path=path) / 1e3
        )
    keep = ("technique", "device", "channel", "acquisition_start", "electrode_area_cm2")
    peis_meta = {k: meta[k] for k in keep if k in meta}
    peis_meta["source_format"] = "BioLogic EC-Lab ASCII (.mpt), Modulo Bat PEIS loop"
    return impedance_tables(
        path,
        arrays,
        peis_meta,
        label=f"{path.stem} PEIS",
        first_line=column_line + 1,
        reader_name=NAME,
    )
