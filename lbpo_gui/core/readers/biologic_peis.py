"""BioLogic EC-Lab ``.mpt`` exports of impedance techniques (PEIS, GEIS, SPEIS ...).

Layout as for cycling exports (see :mod:`.biologic_mpt`): ``EC-Lab ASCII FILE``, ``Nb header
lines : N``, the technique name on line 4 ("Potentio Electrochemical Impedance Spectroscopy"),
the column line N, TAB-separated rows (decimal comma possible, latin-1). Exports without the
preamble (the column line first) are read too.

Columns by name (never by position; EC-Lab 11.62 reorders them): ``freq/Hz``, ``Re(Z)/Ohm``,
``-Im(Z)/Ohm`` (**-Im(Z) is stored: negated on import**), optional ``time/s``, ``<Ewe>/V``
(or ``Ewe/V``), ``<I>/mA`` (or ``I/mA``, in A here), ``cycle number``. Several spectra in one
file are split by ``cycle number``, and within one cycle where the sweep restarts.

:func:`impedance_tables` is shared with the Modulo Bat part of :mod:`.biologic_mpt`, whose PEIS
loops become impedance tables.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from ..errors import ReaderError
from .biologic_mpt import (
    _NB_HEADER,
    MAGIC_LINES,
    _columns_of,
    _read_header_bytes,
    parse_header,
)
from .impedance_table import impedance_data, split_by_values, split_sweeps
from .registry import reader
from .text import (
    CURRENT_TO_MA,
    VOLTAGE_TO_V,
    column_factor,
    decode_bytes,
    dedupe_names,
    detect_decimal,
    find_column,
    first_nonblank,
    line_offsets,
    looks_binary,
    read_numeric_block,
    require_text,
    split_lines,
)

NAME = "biologic_peis"
_EXPECTED = "an EC-Lab ASCII export of PEIS/GEIS with freq/Hz, Re(Z)/Ohm and -Im(Z)/Ohm"


def _impedance_names(columns: list[str]) -> bool:
    return "freq/Hz" in columns and "Re(Z)/Ohm" in columns and "-Im(Z)/Ohm" in columns


def sniff(head: bytes, filename: str) -> float:
    """EC-Lab ASCII with freq/Hz, Re(Z), -Im(Z) columns (not a Modulo Bat file: the cycling
    reader takes those and returns their impedance loops too)."""
    if looks_binary(head):
        return 0.0
    lines = split_lines(head.decode("latin-1"))
    i = first_nonblank(lines)
    if i >= len(lines):
        return 0.0
    if lines[i].strip() in MAGIC_LINES:
        m = _NB_HEADER.match(lines[i + 1]) if i + 1 < len(lines) else None
        if not m:
            return 0.0
        n = int(m.group(1))
        technique = lines[i + 3].strip().lower() if i + 3 < len(lines) else ""
        if "modulo bat" in technique:
            return 0.0
        if i + n - 1 < len(lines) and _impedance_names(_columns_of(lines[i + n - 1])):
            return 0.95
        # an impedance technique without the columns: claim it so read() explains
        return 0.5 if "impedance" in technique else 0.0
    return 0.8 if _impedance_names(_columns_of(lines[i])) else 0.0


def impedance_tables(
    path: Path,
    arrays: dict[str, np.ndarray],
    meta: dict,
    *,
    label: str,
    first_line: int,
    reader_name: str,
) -> list:
    """Impedance tables from EC-Lab columns already read (``freq``, ``re``, ``mim`` and
    optional ``time_s``, ``potential_V``, ``current_A``, ``cycle``): one per cycle number and
    sweep."""
    f, z = arrays["freq"], arrays["re"] - 1j * arrays["mim"]
    extras_all = {
        k: arrays[k] for k in ("time_s", "potential_V", "current_A", "cycle") if k in arrays
    }
    groups = split_by_values(arrays["cycle"]) if "cycle" in arrays else [np.arange(f.size)]
    parts = []
    for idx in groups:
        for sl in split_sweeps(f[idx]):
            parts.append(idx[sl])
    out = []
    for k, idx in enumerate(parts, start=1):
        extra = {n: v[idx] for n, v in extras_all.items()}
        m = {**meta, "spectrum": k}
        if "cycle" in extra and extra["cycle"].size:
            m["cycle"] = int(extra["cycle"][0])
        name = label if len(parts) == 1 else f"{label} spectrum {k}"
        out.append(
            impedance_data(
                path,
                f[idx],
                z[idx],
                label=name,
                metadata=m,
                reader=reader_name,
                extras=extra,
                line=first_line,
            )
        )
    return out


def eclab_impedance_columns(columns: list[str]) -> dict[str, int]:
    """Indices of the impedance columns of an EC-Lab column list (absent ones left out)."""
    idx = {
        "freq": find_column(columns, ("freq/Hz",)),
        "re": find_column(columns, ("Re(Z)/Ohm",)),
        "mim": find_column(columns, ("-Im(Z)/Ohm",)),
        "time_s": find_column(columns, ("time/s",)),
        "potential_V": find_column(columns, ("<Ewe>", "Ewe"), units=VOLTAGE_TO_V),
        "current_A": find_column(columns, ("<I>", "I"), units=CURRENT_TO_MA),
        "cycle": find_column(columns, ("cycle number",)),
    }
    return {k: v for k, v in idx.items() if v is not None}


@reader(
    NAME,
    kinds=("impedance",),
    patterns=("*.mpt",),
    sniff=sniff,
    priority=-1,  # by name alone an .mpt is cycling data
    description="BioLogic EC-Lab ASCII export (.mpt) of PEIS/GEIS impedance",
)
def read(path: Path) -> list:
    """Read an EC-Lab impedance ``.mpt`` (see the module docstring)."""
    path = Path(path)
    head = _read_header_bytes(path, None)
    require_text(path, head, _EXPECTED)
    lines = split_lines(decode_bytes(head, partial=True)[0])
    start = first_nonblank(lines)
    if lines[start].strip() in MAGIC_LINES:
        m = _NB_HEADER.match(lines[start + 1]) if start + 1 < len(lines) else None
        if not m:
            raise ReaderError(
                path,
                "the 'Nb header lines : N' line is missing",
                line=start + 2,
                expected="'Nb header lines : N' after the file title",
            )
        column_line = start + int(m.group(1))
    else:
        column_line = start + 1
    raw = _read_header_bytes(path, column_line + 1)
    offsets = line_offsets(raw, column_line + 1)
    lines = split_lines(decode_bytes(raw, partial=True)[0])
    if len(lines) < column_line:
        raise ReaderError(
            path,
            "the file ends inside its header",
            line=len(lines),
            expected=f"the column-name line at line {column_line}",
        )
    meta = parse_header(lines[start:column_line]) if column_line > start + 1 else {}
    columns = dedupe_names(_columns_of(lines[column_line - 1]))
    idx = eclab_impedance_columns(columns)
    for key, name in (("freq", "freq/Hz"), ("re", "Re(Z)/Ohm"), ("mim", "-Im(Z)/Ohm")):
        if key not in idx:
            raise ReaderError(path, f"no {name} column", line=column_line, expected=_EXPECTED)
    if len(offsets) <= column_line:
        raise ReaderError(
            path,
            "no data rows after the column-name line",
            line=column_line + 1,
            expected="TAB-separated data rows",
        )
    rows = [ln for ln in lines[column_line : column_line + 20] if ln.strip()]
    decimal = detect_decimal(rows, "\t") if rows else "."
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        df = read_numeric_block(
            path,
            offset=offsets[column_line],
            first_line=column_line + 1,
            names=columns,
            usecols=[columns[i] for i in idx.values()],
            delimiter="\t",
            decimal=decimal,
            encoding="latin-1",
            light=True,  # only len and columns .to_numpy() are used below
        )
    if len(df) == 0:
        raise ReaderError(
            path,
            "no data rows after the column-name line",
            line=column_line + 1,
            expected="TAB-separated data rows",
        )
    arrays = {k: df[columns[i]].to_numpy(dtype=float) for k, i in idx.items()}
    if "current_A" in arrays:
        arrays["current_A"] = arrays["current_A"] * (
            column_factor(columns, idx["current_A"], CURRENT_TO_MA, path=path) / 1e3
        )
    if "potential_V" in arrays:
        arrays["potential_V"] = arrays["potential_V"] * column_factor(
            columns, idx["potential_V"], VOLTAGE_TO_V, path=path
        )
    meta.update({"source_format": "BioLogic EC-Lab ASCII (.mpt)", "decimal_separator": decimal})
    return impedance_tables(
        path, arrays, meta, label=path.stem, first_line=column_line + 1, reader_name=NAME
    )
