"""XPS spectra as delimited text: two columns (binding energy, intensity) with a header, such as
CasaXPS "column" exports (``B.E.`` and ``CPS`` columns, next to ``K.E.`` and ``Counts``) or a
spreadsheet saved as CSV.

The energy column is found by name: ``Binding Energy`` / ``B.E.`` / ``BE`` (eV); the intensity
column: ``CPS`` / ``Counts per second`` / ``Counts / s`` / ``Intensity`` (taken as counts per
second). Output ``binding_energy_eV`` ascending and ``counts_per_s``.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from ..errors import ReaderError
from .base import ImportedData
from .registry import reader
from .text import head_lines, normalize_name, read_table_columns, require_table
from .xps_labels import region_name

EXPECTED = "a text table with a binding energy column and a counts-per-second column"
_BE_NAMES = ("binding energy", "binding energy (ev)", "binding energy (e)", "b.e.", "be", "be (ev)")
_CPS_NAMES = (
    "cps",
    "counts per second",
    "counts / s",
    "counts/s",
    "intensity (cps)",
    "intensity",
    "counts",
)


def _find(fields: list[str], names: tuple[str, ...]) -> int | None:
    norm = [normalize_name(f) for f in fields]
    for n in names:
        if n in norm:
            return norm.index(n)
    return None


def _is_header(fields: list[str]) -> bool:
    return _find(fields, _BE_NAMES) is not None and _find(fields, _CPS_NAMES) is not None


def _sniff(head: bytes, name: str) -> float:
    for ln in head_lines(head, 60):
        fields = [f for f in re.split(r"\t|;|,", ln)]
        if len(fields) >= 2 and _is_header([f.strip() for f in fields]):
            return 0.6
    return 0.0


@reader(
    "xps_text",
    kinds=("xps",),
    patterns=(),  # generic extensions: chosen by content only
    sniff=_sniff,
    description="XPS spectrum as delimited text (binding energy, counts per second)",
)
def read_xps_text(path: Path) -> list[ImportedData]:
    """One XPS table from a text file with a binding-energy and a counts-per-second column."""
    path = Path(path)
    table = require_table(
        path, _is_header, expected=EXPECTED, missing="no binding energy and counts columns"
    )
    be_col = table.names[_find(table.names, _BE_NAMES)]
    cps_col = table.names[_find(table.names, _CPS_NAMES)]
    frame = read_table_columns(table, [be_col, cps_col])
    be = frame[be_col].to_numpy(float)
    cps = frame[cps_col].to_numpy(float)
    ok = np.isfinite(be) & np.isfinite(cps)
    if ok.sum() < 3:
        raise ReaderError(
            path, "fewer than 3 numeric rows", line=table.first_data_line, expected=EXPECTED
        )
    be, cps = be[ok], cps[ok]
    order = np.argsort(be, kind="stable")
    label = path.stem
    for ln in table.preamble[:3]:
        if ln.strip():
            label = ln.strip().split(":")[-1] or label
            break
    meta = {"technique": "XPS", "region": region_name(label), "columns": [be_col, cps_col]}
    return [
        ImportedData(
            "xps",
            label,
            {"binding_energy_eV": be[order], "counts_per_s": cps[order]},
            meta,
            reader="xps_text",
        )
    ]
