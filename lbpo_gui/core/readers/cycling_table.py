"""Assemble and check one cycling table (the last step of every cycling reader).

Conventions enforced here for all cycling readers:

- ``time_s`` is float64 seconds **from the first row** (the first value is 0); the vendor's own
  time of that first row is kept as ``metadata['time_offset_s']`` (e.g. EC-Lab counts from the
  acquisition start of the whole sequence).
- ``voltage_V`` and ``current_mA`` are float64; current is signed, positive = charge
  (oxidation of the working electrode), negative = discharge.
- integer side columns (``step_index``, ``source_cycle``, ``half_cycle``, ``ox_red``) are int64.
- required values must be finite: a NaN in the last row only (a file cut while it was written)
  drops that row with a warning in ``metadata['warnings']``; a NaN anywhere else is an error
  naming the file line (when the reader knows where the data rows start).
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ReaderError
from .base import ImportedData

#: Columns that are converted to int64 when present.
INT_COLUMNS: tuple[str, ...] = ("step_index", "source_cycle", "half_cycle", "ox_red")


def build_cycling(
    path: Path,
    *,
    time_s: np.ndarray,
    voltage_V: np.ndarray,
    current_mA: np.ndarray,
    extras: dict[str, np.ndarray] | None = None,
    metadata: dict[str, Any] | None = None,
    label: str | None = None,
    reader: str = "",
    first_data_line: int | None = None,
    row_lines: np.ndarray | None = None,
) -> ImportedData:
    """Check the arrays and wrap them in an :class:`ImportedData` of kind ``"cycling"``.

    ``first_data_line`` (1-based file line of row 0) or ``row_lines`` (file line of every row)
    lets error messages name the offending line.
    """
    meta: dict[str, Any] = dict(metadata or {})
    cols: dict[str, np.ndarray] = {
        "time_s": np.asarray(time_s, dtype=np.float64),
        "voltage_V": np.asarray(voltage_V, dtype=np.float64),
        "current_mA": np.asarray(current_mA, dtype=np.float64),
    }
    for k, v in (extras or {}).items():
        if v is None:
            continue
        arr = np.asarray(v)
        if arr.dtype.kind in "fiub":
            arr = arr.astype(np.float64, copy=False)
        cols[k] = arr
    for k, v in cols.items():
        if not v.flags.writeable:  # e.g. a read-only view of a pandas column
            cols[k] = v.copy()
    n = len(cols["time_s"])
    for k, v in cols.items():
        if len(v) != n:
            raise ReaderError(path, f"column {k} has {len(v)} values but time has {n}")
    if n == 0:
        raise ReaderError(
            path, "no data rows", line=first_data_line, expected="at least one data row"
        )

    def line_of(i: int) -> int | None:
        if row_lines is not None and i < len(row_lines):
            return int(row_lines[i])
        if first_data_line is not None:
            return first_data_line + i
        return None

    required = ("time_s", "voltage_V", "current_mA")
    bad = np.zeros(n, dtype=bool)
    for k in required:
        bad |= ~np.isfinite(cols[k])
    if bad.any():
        idx = np.flatnonzero(bad)
        if len(idx) == 1 and idx[0] == n - 1 and n > 1:
            meta.setdefault("warnings", []).append(
                f"last data row (line {line_of(n - 1)}) is incomplete and was dropped"
                if line_of(n - 1)
                else "last data row is incomplete and was dropped"
            )
            cols = {k: v[:-1] for k, v in cols.items()}
            n -= 1
        else:
            i = int(idx[0])
            which = [k for k in required if not np.isfinite(cols[k][i])]
            raise ReaderError(
                path,
                f"data row {i + 1} has no valid value for {', '.join(which)}",
                line=line_of(i),
                expected="a number in every time, voltage and current field",
            )

    for k in INT_COLUMNS:
        if k in cols:
            v = cols[k]
            if v.dtype.kind == "f":
                v = np.where(np.isfinite(v), v, -1)
                v = np.rint(v)
            cols[k] = v.astype(np.int64)

    t = cols["time_s"]
    if n > 2:
        dt = np.diff(t)
        repeated = int(np.count_nonzero(dt == 0))
        if repeated > 0.05 * n:
            pos = dt[dt > 0]
            res = f"{float(pos.min()):.6g} s" if len(pos) else "unknown"
            meta.setdefault("warnings", []).append(
                f"{repeated} of {n} rows repeat the previous time stamp "
                f"(the export's time resolution is about {res})"
            )
        backwards = int(np.count_nonzero(dt < 0))
        if backwards:
            k = int(np.flatnonzero(dt < 0)[0]) + 1  # the row whose time is below its predecessor's
            where = f"line {line_of(k)}" if line_of(k) else f"data row {k + 1}"
            meta.setdefault("warnings", []).append(
                f"{path.name}: time goes backwards at {backwards} row{'s' * (backwards > 1)}, "
                f"first on {where}: {float(t[k]):.10g} s after {float(t[k - 1]):.10g} s"
                + (f" on line {line_of(k - 1)}" if line_of(k - 1) else "")
            )
    offset = float(t[0])
    if offset != 0.0:
        cols["time_s"] = t - offset
    meta.setdefault("time_offset_s", offset)
    meta.setdefault("source_file", path.name)
    if row_lines is None and first_data_line is not None:
        meta.setdefault("first_data_line", int(first_data_line))
    meta.setdefault("n_rows", int(n))
    return ImportedData(
        kind="cycling", label=label or path.stem, arrays=cols, metadata=meta, reader=reader
    )


def iso(dt: Any) -> str | None:
    """ISO 8601 text of a datetime-like value (None stays None)."""
    if dt is None:
        return None
    pandas = sys.modules.get("pandas")  # NaT only exists once pandas is loaded
    if pandas is not None and dt is pandas.NaT:
        return None
    if isinstance(dt, datetime | date):
        return dt.isoformat()
    try:
        import pandas as pd

        ts = pd.Timestamp(dt)
        if ts is pd.NaT:
            return None
        return ts.isoformat()
    except (TypeError, ValueError):
        return None
