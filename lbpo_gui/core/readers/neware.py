"""Neware BTS/BTSDA exports: record CSV, nested "regular export" CSV, xlsx, and binary nda/ndax.

(a) record CSV: one header line ``DataPoint,Cycle Index,Step Index,Step Type,Time,Total Time
(or Cumulative Time),Current(A),Voltage(V),Capacity(Ah),...``; times are ``h:mm:ss`` durations
whose hours may exceed 24.

(b) nested 3-level CSV: line 1 is the cycle header (``Cycle Index,Chg. Cap.(Ah),...``), line 2
the step header (``,Step Index,Step Number,Step Type,...``), line 3 the record header
(``,,DataPoint,Time,Total Time,Current(A),Voltage(V),Capacity(Ah),...``); each row's leading
commas say which level it is. The first cycle row also carries the first step row after its own
fields. Records get the cycle and step of the rows above them.

(c) BTSDA xlsx: sheets ``unit, test, cycle, step, record``; the ``record`` sheet (and any
``record...`` continuation sheets, in order) has the record-CSV columns.

(d) binary ``.nda``/``.ndax`` through fastnda (BSD-3, imported lazily), falling back to
NewareNDA when fastnda fails.

Mapping: total time -> ``time_s``; ``Voltage`` -> ``voltage_V``; ``Current`` (unit from the
header, negative on discharge) -> ``current_mA``; ``Cycle Index`` -> ``source_cycle`` (1-based);
the step counter -> ``step_index`` (``metadata['step_index_semantics']`` says whether it is the
schedule step or a global counter); ``Capacity`` -> ``capacity_mAh`` (resets every step:
``capacity_semantics = 'per_step'``; unsigned in the text exports, signed in fastnda's output).
When the export has specific-capacity columns, the active mass is recovered as capacity /
specific capacity (``metadata['active_mass_source']`` says so).
"""

from __future__ import annotations

import contextlib
import io
import logging
import warnings
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
    decode_bytes,
    dedupe_names,
    find_column,
    find_header_fields,
    head_lines,
    looks_binary,
    parse_datetimes,
    parse_durations,
    read_all,
    read_head,
    read_table_columns,
    require_table,
    require_text,
    seconds_from_column,
    split_fields,
    split_lines,
)
from .xlsx import XlsxBook, find_header_row, is_zip, sheet_names_from_head

NAME_CSV = "neware_csv"
NAME_NESTED = "neware_nested_csv"
NAME_XLSX = "neware_xlsx"
NAME_NDA = "neware_nda"

RECORD_NAMES = ("datapoint", "data point", "record id", "record index")
CYCLE_NAMES = ("cycle index", "cycle id", "cycle")
STEP_NAMES = ("step index", "step id")
STEP_TYPE_NAMES = ("step type", "status")
TOTAL_TIME_NAMES = ("total time", "cumulative time", "test time", "time(h:min:s.ms)")
STEP_TIME_NAMES = ("time", "step time")
CURRENT_NAMES = ("current",)
VOLTAGE_NAMES = ("voltage",)
CAPACITY_NAMES = ("capacity", "cap.", "capacitance")
SPEC_CAP_NAMES = ("spec. cap.", "specific capacity")
DATE_NAMES = ("date", "realtime", "absolute time")


def _is_record_header(fields: list[str]) -> bool:
    return (
        find_column(fields, RECORD_NAMES) is not None
        and find_column(fields, CURRENT_NAMES, units=CURRENT_TO_MA) is not None
        and find_column(fields, VOLTAGE_NAMES, units=VOLTAGE_TO_V) is not None
        and (
            find_column(fields, STEP_TYPE_NAMES) is not None
            or find_column(fields, STEP_NAMES) is not None
        )
    )


def _mass_from_specific(cap_mAh: np.ndarray, spec_mAh_g: np.ndarray) -> float | None:
    """Active mass (mg) = capacity / specific capacity at the row with the largest capacity."""
    ok = np.isfinite(cap_mAh) & np.isfinite(spec_mAh_g) & (np.abs(spec_mAh_g) > 0)
    if not ok.any():
        return None
    i = np.flatnonzero(ok)[np.argmax(np.abs(cap_mAh[ok]))]
    if cap_mAh[i] == 0:
        return None
    mass = abs(cap_mAh[i] / spec_mAh_g[i]) * 1000.0
    return float(f"{mass:.4g}")


# --------------------------------------------------------------------------------------------
# (a) record CSV
# --------------------------------------------------------------------------------------------


def sniff_csv(head: bytes, filename: str) -> float:
    """Score a text head: a Neware record header (DataPoint, Step Type, Current, Voltage)."""
    lines = head_lines(head, 10)
    if lines and _nested_headers(lines) is not None:
        return 0.0  # the nested export has its own reader
    return 0.9 if find_header_fields(lines, _is_record_header) is not None else 0.0


@reader(
    NAME_CSV,
    kinds=("cycling",),
    patterns=(),
    sniff=sniff_csv,
    description="Neware BTSDA record-layer CSV export",
)
def read_csv(path: Path) -> list:
    """Read a Neware record CSV (see the module docstring, (a))."""
    path = Path(path)
    table = require_table(
        path,
        _is_record_header,
        expected="a Neware record CSV export",
        missing="no Neware record header (DataPoint, Step Type, Current, Voltage)",
    )
    names = table.names
    idx = _record_columns(path, names, table.header_line)
    numeric = [
        names[idx[k]]
        for k in ("current", "voltage", "cycle", "step", "cap", "spec")
        if idx.get(k) is not None
    ]
    text_cols: list[str] = []
    time_kind = table.column_kind(names[idx["time"]])
    (numeric if time_kind == "number" else text_cols).append(names[idx["time"]])
    df = read_table_columns(table, numeric, text_cols)
    if len(df) == 0:
        raise ReaderError(path, "no data rows", line=table.first_data_line, expected="data rows")
    time_s = seconds_from_column(
        df[names[idx["time"]]],
        time_kind,
        factor=column_factor(names, idx["time"], TIME_TO_S, path=path, default="s"),
        path=path,
        column=names[idx["time"]],
        first_data_line=table.first_data_line,
    )
    meta = {
        "source_format": "Neware BTSDA record CSV",
        "encoding": table.encoding,
        "decimal_separator": table.decimal,
        "time_column": names[idx["time"]],
    }
    return [
        _assemble(
            path,
            names,
            idx,
            {
                **{k: df[names[j]] for k, j in idx.items() if j is not None and names[j] in df},
                "date": [
                    table.first_value(names[idx["date"]]) if idx["date"] is not None else None
                ],
            },
            time_s,
            meta,
            NAME_CSV,
            first_data_line=table.first_data_line,
        )
    ]


def _record_columns(path: Path, names: list[str], line: int | None) -> dict[str, int | None]:
    idx: dict[str, int | None] = {
        "time": find_column(names, TOTAL_TIME_NAMES),
        "current": find_column(names, CURRENT_NAMES, units=CURRENT_TO_MA),
        "voltage": find_column(names, VOLTAGE_NAMES, units=VOLTAGE_TO_V),
        "cycle": find_column(names, CYCLE_NAMES),
        "step": find_column(names, STEP_NAMES),
        "cap": find_column(names, CAPACITY_NAMES, units=CAPACITY_TO_MAH),
        "spec": find_column(names, SPEC_CAP_NAMES),
        "date": find_column(names, DATE_NAMES),
    }
    if idx["time"] is None:
        idx["time"] = find_column(names, STEP_TIME_NAMES)
    for key, what in (("time", "time"), ("current", "current"), ("voltage", "voltage")):
        if idx[key] is None:
            raise ReaderError(
                path,
                f"no {what} column",
                line=line,
                expected="Total Time (or Cumulative Time), Current(..) and Voltage(..) columns",
            )
    return idx


def _assemble(
    path: Path,
    names: list[str],
    idx: dict[str, int | None],
    values: dict[str, Any],
    time_s: np.ndarray,
    meta: dict[str, Any],
    reader_name: str,
    *,
    first_data_line: int | None = None,
    row_lines: np.ndarray | None = None,
    step_semantics: str = "schedule step (Neware Step Index)",
) -> Any:
    import pandas as pd

    def num(key: str) -> np.ndarray:
        return np.asarray(pd.to_numeric(pd.Series(values[key]), errors="coerce"), dtype=np.float64)

    current = num("current") * column_factor(
        names, idx["current"], CURRENT_TO_MA, path=path, default="mA"
    )
    voltage = num("voltage") * column_factor(
        names, idx["voltage"], VOLTAGE_TO_V, path=path, default="V"
    )
    if find_column(names, TOTAL_TIME_NAMES) is None and "step" in values:
        time_s = _total_from_step_time(time_s, num("step"))
        meta["time_note"] = "total time rebuilt from step times"
    extras: dict[str, np.ndarray] = {}
    if idx.get("cycle") is not None and "cycle" in values:
        extras["source_cycle"] = num("cycle")
        meta["cycle_numbering"] = "1-based (Neware Cycle Index)"
    if idx.get("step") is not None and "step" in values:
        extras["step_index"] = num("step")
        meta["step_index_semantics"] = step_semantics
    if idx.get("cap") is not None and "cap" in values:
        cap = num("cap") * column_factor(
            names, idx["cap"], CAPACITY_TO_MAH, path=path, default="mAh"
        )
        extras["capacity_mAh"] = cap
        meta["capacity_semantics"] = "per_step"
        meta["capacity_signed"] = bool(np.nanmin(cap) < 0) if len(cap) else False
        if idx.get("spec") is not None and "spec" in values:
            mass = _mass_from_specific(cap, num("spec"))
            if mass:
                meta["active_mass_mg"] = mass
                meta["active_mass_source"] = f"derived: {names[idx['cap']]} / {names[idx['spec']]}"
    if idx.get("date") is not None and "date" in values:
        first = parse_datetimes(pd.Series(values["date"]).iloc[:1])
        if len(first) and first.notna().iloc[0]:
            meta["start_time"] = iso(first.iloc[0])
    return build_cycling(
        path,
        time_s=time_s,
        voltage_V=voltage,
        current_mA=current,
        extras=extras,
        metadata=meta,
        label=path.stem,
        reader=reader_name,
        first_data_line=first_data_line,
        row_lines=row_lines,
    )


def _total_from_step_time(step_time: np.ndarray, step: np.ndarray) -> np.ndarray:
    """Total time from step times that restart at every step change."""
    out = step_time.astype(float).copy()
    starts = np.flatnonzero(np.diff(step) != 0) + 1
    offset = 0.0
    prev = 0
    for s in [*starts, len(out)]:
        out[prev:s] += offset
        if s > prev:
            offset = out[s - 1]
        prev = s
    return out


# --------------------------------------------------------------------------------------------
# (b) nested 3-level CSV
# --------------------------------------------------------------------------------------------


def _nested_headers(lines: list[str]) -> tuple[list[str], list[str], list[str]] | None:
    """The cycle, step and record headers of a nested export, or None."""
    if len(lines) < 3:
        return None
    l1, l2, l3 = lines[0], lines[1], lines[2]
    if (
        l1.startswith(",")
        or not l2.startswith(",")
        or l2.startswith(",,")
        or not l3.startswith(",,")
    ):
        return None
    c, s, r = (split_fields(x, ",") for x in (l1, l2, l3))
    if find_column(c, CYCLE_NAMES) is None or find_column(s[1:], STEP_NAMES) is None:
        return None
    if find_column(r, CURRENT_NAMES, units=CURRENT_TO_MA) is None:
        return None
    return c, s, r


def sniff_nested(head: bytes, filename: str) -> float:
    """Score: the three header lines of a nested Neware export."""
    if not head or looks_binary(head):
        return 0.0
    text, _ = decode_bytes(head, partial=True)
    return 0.95 if _nested_headers(split_lines(text)[:3]) else 0.0


@reader(
    NAME_NESTED,
    kinds=("cycling",),
    patterns=(),
    sniff=sniff_nested,
    description="Neware BTSDA nested (cycle/step/record) CSV export",
)
def read_nested(path: Path) -> list:
    """Read a nested Neware CSV (see the module docstring, (b))."""
    import pandas as pd

    path = Path(path)
    data = read_all(path)
    require_text(path, data[:65536], "a nested Neware CSV export")
    text, encoding = decode_bytes(data)
    del data
    lines = split_lines(text)
    del text
    hdrs = _nested_headers(lines[:3])
    if hdrs is None:
        raise ReaderError(
            path,
            "not a nested Neware export (cycle, step and record header lines)",
            line=1,
            expected="'Cycle Index,...', ',Step Index,...', ',,DataPoint,...' on lines 1-3",
        )
    cycle_hdr, step_hdr, rec_hdr = hdrs
    body = lines[3:]
    if not body:
        raise ReaderError(path, "no data rows", line=4, expected="cycle, step and record rows")
    kinds = np.fromiter(
        (2 if ln.startswith(",,") else 1 if ln.startswith(",") else 0 for ln in body),
        dtype=np.int8,
        count=len(body),
    )
    blank = np.fromiter((not ln.strip(",\t ") for ln in body), dtype=bool, count=len(body))
    kinds[blank] = -1
    rec_pos = np.flatnonzero(kinds == 2)
    if not len(rec_pos):
        raise ReaderError(path, "no record rows (lines starting with ',,')", line=4)
    names = dedupe_names(rec_hdr[2:])
    rec_text = "\n".join(body[i][2:] for i in rec_pos)
    idx = _record_columns(path, names, 3)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            df = pd.read_csv(
                io.StringIO(rec_text),
                header=None,
                names=names,
                index_col=False,
                dtype=str,
                usecols=[names[j] for k, j in idx.items() if j is not None],
                engine="c",
            )
    except (ValueError, pd.errors.ParserError) as exc:
        raise ReaderError(path, f"record rows cannot be parsed ({exc})") from None
    del rec_text
    row_lines = rec_pos + 4  # file line of every record
    # step and cycle of every record: from the nearest step / cycle row above it
    step_col = find_column(step_hdr[1:], ("step number",))
    step_sem = "global step counter (Neware Step Number)"
    if step_col is None:
        step_col = find_column(step_hdr[1:], STEP_NAMES)
        step_sem = "schedule step (Neware Step Index)"
    cyc_col = find_column(cycle_hdr, CYCLE_NAMES)
    step_pos, step_val, cyc_pos, cyc_val = [], [], [], []
    n_cycle_fields = len(cycle_hdr)
    for k in np.flatnonzero((kinds == 0) | (kinds == 1)):
        fields = body[k].split(",")
        if kinds[k] == 0:
            cyc_pos.append(k)
            cyc_val.append(_to_float(fields[cyc_col]) if cyc_col is not None else np.nan)
            step_fields = fields[n_cycle_fields:]  # a first step row glued to the cycle row
            if step_col is not None and len(step_fields) > step_col:
                step_pos.append(k)
                step_val.append(_to_float(step_fields[step_col]))
        elif step_col is not None and len(fields) > step_col + 1:
            step_pos.append(k)
            step_val.append(_to_float(fields[step_col + 1]))
    values: dict[str, Any] = {k: df[names[j]] for k, j in idx.items() if j is not None}
    if step_pos:
        where = np.searchsorted(np.asarray(step_pos), rec_pos, side="right") - 1
        values["step"] = np.where(where >= 0, np.asarray(step_val)[np.maximum(where, 0)], np.nan)
        idx["step"] = -1
    if cyc_pos:
        where = np.searchsorted(np.asarray(cyc_pos), rec_pos, side="right") - 1
        values["cycle"] = np.where(where >= 0, np.asarray(cyc_val)[np.maximum(where, 0)], np.nan)
        idx["cycle"] = -1
    t_raw = df[names[idx["time"]]]
    kind = "number" if pd.to_numeric(t_raw.iloc[:20], errors="coerce").notna().all() else "duration"
    time_s = seconds_from_column(
        t_raw if kind != "number" else pd.to_numeric(t_raw, errors="coerce"),
        kind,
        factor=column_factor(names, idx["time"], TIME_TO_S, path=path, default="s"),
        path=path,
        column=names[idx["time"]],
    )
    for key in ("current", "voltage"):
        v = pd.to_numeric(df[names[idx[key]]], errors="coerce")
        bad = np.flatnonzero(v.isna().to_numpy() & df[names[idx[key]]].notna().to_numpy())
        if len(bad):
            raise ReaderError(
                path,
                f"value {df[names[idx[key]]].iloc[bad[0]]!r} in column {names[idx[key]]!r} "
                "is not a number",
                line=int(row_lines[bad[0]]),
                expected="a number",
            )
    meta = {
        "source_format": "Neware BTSDA nested CSV (cycle/step/record)",
        "encoding": encoding,
        "decimal_separator": ".",
        "time_column": names[idx["time"]],
        "n_cycle_rows": len(cyc_pos),
        "n_step_rows": len(step_pos),
    }
    return [
        _assemble(
            path,
            names,
            idx,
            values,
            time_s,
            meta,
            NAME_NESTED,
            row_lines=row_lines,
            step_semantics=step_sem,
        )
    ]


def _to_float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return np.nan


# --------------------------------------------------------------------------------------------
# (c) BTSDA xlsx
# --------------------------------------------------------------------------------------------


def _record_sheets(names: list[str]) -> list[str]:
    return [n for n in names if n.lower().startswith("record")]


def sniff_xlsx(head: bytes, filename: str) -> float:
    """Score an xlsx by its sheet names: ``record`` plus ``step`` (Landt has ``Mode``)."""
    if not is_zip(head):
        return 0.0
    names = sheet_names_from_head(head)
    if names is None:
        return 0.0
    low = {n.lower() for n in names}
    if _record_sheets(names) and "step" in low:
        return 0.9
    return 0.0


@reader(
    NAME_XLSX,
    kinds=("cycling",),
    patterns=(),
    sniff=sniff_xlsx,
    description="Neware BTSDA Excel export (record sheet)",
)
def read_xlsx(path: Path) -> list:
    """Read the record sheet(s) of a Neware BTSDA workbook (see the module docstring, (c))."""
    path = Path(path)
    parts: dict[str, list[Any]] = {}
    names: list[str] | None = None
    idx: dict[str, int | None] = {}
    with XlsxBook(path) as book:
        sheets = _record_sheets(book.sheet_names)
        if not sheets:
            raise ReaderError(
                path,
                f"no 'record' sheet (sheets: {', '.join(book.sheet_names)})",
                expected="a Neware BTSDA workbook with a record sheet",
            )
        for sheet in sheets:
            cells = book.read_sheet(sheet)
            found = find_header_row(cells, [CURRENT_NAMES, VOLTAGE_NAMES], max_rows=10)
            if found:
                hrow, hdrs = found
                if names is None:
                    names = hdrs
                    idx = _record_columns(path, names, hrow + 1)
                first = hrow + 1
            elif names is not None:
                first = 0
            else:
                raise ReaderError(
                    path,
                    f"sheet {sheet!r} has no header row with Current and Voltage columns",
                    expected="Neware record columns",
                )
            n = cells.n_rows - first
            for key, j in idx.items():
                if j is None:
                    continue
                if key in ("time", "date"):
                    parts.setdefault(key, []).append(cells.object_column(j, first, n))
                    continue
                vals, bad = cells.numeric_column(j, first, n)
                if bad is not None:
                    raise ReaderError(
                        path,
                        f"sheet {sheet!r}: value in column {names[j]!r} is not a number",
                        line=bad + 1,
                        expected="numbers (line = sheet row)",
                    )
                parts.setdefault(key, []).append(vals)
    assert names is not None
    values = {k: np.concatenate(v) for k, v in parts.items()}
    t = values["time"]
    numeric = np.array([isinstance(v, (int, float)) for v in t[: min(len(t), 50)]])
    if len(numeric) and numeric.all():
        time_s = np.asarray(t, dtype=float) * 86400.0  # Excel time-of-day serial (days)
    else:
        time_s = parse_durations(t)
    keep = ~(np.isnan(values["current"]) & np.isnan(values["voltage"]))
    values = {k: v[keep] for k, v in values.items()}
    time_s = time_s[keep]
    meta = {
        "source_format": "Neware BTSDA Excel export (.xlsx)",
        "sheets": sheets,
        "time_column": names[idx["time"]],
    }
    return [_assemble(path, names, idx, values, time_s, meta, NAME_XLSX)]


# --------------------------------------------------------------------------------------------
# (d) binary nda / ndax
# --------------------------------------------------------------------------------------------


def sniff_nda(head: bytes, filename: str) -> float:
    """Score: ``NEWARE`` magic (.nda) or a zip holding ``.ndc`` members (.ndax)."""
    if head.startswith(b"NEWARE"):
        return 0.95
    if is_zip(head) and (b".ndc" in head or (b"Step.xml" in head and b"TestInfo.xml" in head)):
        return 0.95
    if is_zip(head) and filename.endswith(".ndax"):
        return 0.5
    return 0.0


@reader(
    NAME_NDA,
    kinds=("cycling",),
    patterns=("*.nda", "*.ndax"),
    sniff=sniff_nda,
    description="Neware binary .nda/.ndax (fastnda, NewareNDA fallback)",
)
def read_nda(path: Path) -> list:
    """Read a Neware ``.nda``/``.ndax`` file (see the module docstring, (d))."""
    path = Path(path)
    head = read_head(path, 4096)
    if not head:
        raise ReaderError(path, "file is empty", line=1, expected="a Neware .nda/.ndax file")
    if not (head.startswith(b"NEWARE") or is_zip(head)):
        raise ReaderError(
            path, "not a Neware binary file", expected="an .nda (NEWARE...) or .ndax (zip) file"
        )
    suffix = ".ndax" if is_zip(head) else ".nda"
    errors: list[str] = []
    try:
        return [_read_fastnda(path, suffix)]
    except ReaderError:
        raise
    except Exception as exc:  # fastnda raises many types on unknown versions
        errors.append(f"fastnda: {exc}")
    try:
        return [_read_newarenda(path)]
    except ImportError:
        errors.append("NewareNDA is not installed")
    except Exception as exc:
        errors.append(f"NewareNDA: {exc}")
    raise ReaderError(
        path,
        f"cannot decode this Neware file ({'; '.join(errors)})",
        expected="an .nda/.ndax version fastnda or NewareNDA supports, or a BTSDA CSV export",
    )


def _link_or_copy(path: Path, suffix: str) -> tuple[Path, Any]:
    """A path with the right suffix for libraries that dispatch on it (temp copy if needed)."""
    if path.suffix.lower() == suffix:
        return path, None
    import shutil
    import tempfile

    tmp = tempfile.TemporaryDirectory()
    target = Path(tmp.name) / (path.stem + suffix)
    shutil.copyfile(path, target)
    return target, tmp


class _LogCapture(logging.Handler):
    """Collects a library's log messages (warnings and worse) for the metadata."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record.getMessage())


def _read_fastnda(path: Path, suffix: str) -> Any:
    import fastnda  # BSD-3, imported only here

    src, tmp = _link_or_copy(path, suffix)
    messages = _LogCapture()
    log = logging.getLogger("fastnda")
    log.addHandler(messages)
    propagate, log.propagate = log.propagate, False
    try:
        df = fastnda.read(src, cycle_mode="raw")
        try:
            info = fastnda.read_metadata(src)
        except Exception:
            info = {}
    finally:
        log.removeHandler(messages)
        log.propagate = propagate
        if tmp is not None:
            tmp.cleanup()

    def col(name: str) -> np.ndarray | None:
        return df[name].to_numpy().astype(np.float64) if name in df.columns else None

    time = col("total_time_s")
    if time is None:
        raise ValueError("no total_time_s column")
    extras = {
        "step_index": col("step_count"),
        "source_cycle": col("cycle_count"),
        "capacity_mAh": col("capacity_mAh"),
        "energy_Wh": None if col("energy_mWh") is None else col("energy_mWh") / 1000.0,
    }
    meta: dict[str, Any] = {
        "source_format": f"Neware binary ({suffix}) via fastnda",
        "step_index_semantics": "global step counter (fastnda step_count)",
        "cycle_numbering": "1-based (Neware cycle, raw)",
        "capacity_semantics": "per_step",
        "capacity_signed": True,
    }
    meta.update(_nda_metadata(info))
    if messages.records:
        meta["library_messages"] = messages.records  # e.g. unix_time_s jumps (not used here)
    return build_cycling(
        path,
        time_s=time,
        voltage_V=col("voltage_V"),
        current_mA=col("current_mA"),
        extras={k: v for k, v in extras.items() if v is not None},
        metadata=meta,
        label=path.stem,
        reader=NAME_NDA,
    )


def _nda_metadata(info: dict[str, Any]) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    if not isinstance(info, dict):
        return meta
    mass = info.get("active_mass_mg")
    if isinstance(mass, (int, float)) and mass > 0:
        meta["active_mass_mg"] = float(mass)
        meta["active_mass_source"] = "nda header"
    test = info.get("TestInfo", {}).get("TestInfo", {}) if "TestInfo" in info else {}
    start = info.get("start_time") or test.get("StartTime")
    if start:
        meta["start_time"] = iso(start) or str(start)
    if test:
        ids = [test.get(k) for k in ("DevID", "UnitID", "ChlID")]
        if all(i is not None for i in ids):
            meta["channel"] = "-".join(str(i) for i in ids)
        if test.get("StepName"):
            meta["schedule"] = str(test["StepName"])
    version = info.get("client_version") or (
        info.get("VersionInfo", {}).get("ZwjVersion", {}).get("CurrClientVer")
        if "VersionInfo" in info
        else None
    )
    if version:
        meta["software"] = str(version)
    return meta


def _read_newarenda(path: Path) -> Any:
    import NewareNDA  # BSD-3, imported only here

    df = NewareNDA.read(str(path))
    step = df["Step"].to_numpy(np.float64)
    t = _total_from_step_time(df["Time"].to_numpy(np.float64), step)
    cap = (df["Charge_Capacity(mAh)"] - df["Discharge_Capacity(mAh)"]).to_numpy(np.float64)
    meta: dict[str, Any] = {
        "source_format": "Neware binary via NewareNDA",
        "step_index_semantics": "global step counter (NewareNDA Step)",
        "cycle_numbering": "1-based (NewareNDA Cycle)",
        "capacity_semantics": "per_step",
        "capacity_signed": True,
        "time_note": "total time rebuilt from step times",
    }
    with contextlib.suppress(Exception):
        meta.update(_nda_metadata(NewareNDA.read_metadata(str(path))))
    if "start_time" not in meta and "Timestamp" in df:
        meta["start_time"] = iso(df["Timestamp"].iloc[0])
    return build_cycling(
        path,
        time_s=t,
        voltage_V=df["Voltage"].to_numpy(np.float64),
        current_mA=df["Current(mA)"].to_numpy(np.float64),
        extras={
            "step_index": step,
            "source_cycle": df["Cycle"].to_numpy(np.float64),
            "capacity_mAh": cap,
        },
        metadata=meta,
        label=path.stem,
        reader=NAME_NDA,
    )
