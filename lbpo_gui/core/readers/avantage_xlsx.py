"""Thermo Avantage "Export to Excel" workbooks (K-Alpha): one XPS table per region sheet.

Layout (seen in Avantage 5.x exports): a sheet per region named ``"<Region> Scan"``; on it row 7
``Axis | Energy | Elements= N``, row 9 the source ``.VGD`` path, then a header row whose first cell
is ``Binding Energy (E)`` followed by the counts column, one column per fitted component,
``Backgnd.``, ``Envelope`` and ``Residuals``; a units row (``eV``, ``Counts / s``) and the data,
binding energy descending. Extra sheets: ``Peak Table``, ``Titles`` (file list, normalisation,
``Carbon BE``) and ``Quantifications`` (Name, Peak BE, FWHM eV, Area (P) CPS.eV, Atomic %). The
``Titles`` sheet marks the export.

Tables: ``binding_energy_eV`` ascending, ``counts_per_s``; the exported fit curves as
``background_cps``, ``envelope_cps`` and ``component_<k>_cps`` (names in ``metadata
['components']``). Metadata: ``region``, ``species``, ``transition``, ``sheet``, ``source_file``
(the VGD path), ``carbon_be_eV``, the ``quantification`` rows of this region and the file's
``peak_table``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ReaderError
from .base import ImportedData
from .files import read_head
from .registry import reader
from .xlsx import SheetCells, XlsxBook, is_zip, require_xlsx, sheet_names_from_head
from .xps_labels import region_name, split_region

EXPECTED = "a Thermo Avantage Excel export (region sheets and a Titles sheet)"
_SPECIAL = ("Peak Table", "Titles", "Quantifications")


def _header_row(cells: SheetCells) -> int | None:
    for r in range(min(40, cells.n_rows)):
        row = cells.row_values(r)
        if row and isinstance(row[0], str) and row[0].strip().lower().startswith("binding energy"):
            return r
    return None


def _rows(cells: SheetCells) -> list[list[Any]]:
    return [cells.row_values(r) for r in range(cells.n_rows)]


def _titles(book: XlsxBook) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "Titles" not in book.sheet_names:
        return out
    for row in _rows(book.read_sheet("Titles")):
        if len(row) >= 2 and isinstance(row[0], str):
            key = row[0].strip().lower()
            if key == "carbon be" and isinstance(row[1], float):
                out["carbon_be_eV"] = row[1]
            elif key == "normalisation":
                out["normalisation"] = [v for v in row[1:] if v is not None]
    return out


def _quantifications(book: XlsxBook) -> list[dict[str, Any]]:
    if "Quantifications" not in book.sheet_names:
        return []
    rows = _rows(book.read_sheet("Quantifications"))
    if not rows:
        return []
    head = [str(v).strip() if v is not None else "" for v in rows[0]]
    keys = {
        "Name": "name",
        "Peak BE": "peak_be_eV",
        "FWHM eV": "fwhm_eV",
        "Area (P) CPS.eV": "area_cps_eV",
        "Atomic %": "atomic_pct",
    }
    out = []
    for row in rows[1:]:
        item = {}
        for j, h in enumerate(head):
            if h in keys and j < len(row) and row[j] is not None:
                v = row[j]
                item[keys[h]] = v.strip() if isinstance(v, str) else float(v)
        if item.get("name"):
            out.append(item)
    return out


def _peak_table(book: XlsxBook) -> list[dict[str, Any]]:
    """The ``Peak Table`` sheet: ``[{"name", "peak_be_eV"}]`` (the peaks Avantage identified)."""
    if "Peak Table" not in book.sheet_names:
        return []
    out = []
    for full in _rows(book.read_sheet("Peak Table"))[2:]:
        row = [v for v in full if v is not None]  # exports leave empty columns between values
        if len(row) >= 2 and isinstance(row[0], str) and isinstance(row[1], float):
            out.append({"name": row[0].strip(), "peak_be_eV": row[1]})
    return out


def _sheet_table(path: Path, book: XlsxBook, name: str, extra: dict[str, Any]) -> ImportedData:
    cells = book.read_sheet(name)
    hr = _header_row(cells)
    if hr is None:
        raise ReaderError(
            path, f"sheet {name!r} has no 'Binding Energy (E)' header", expected=EXPECTED
        )
    headers = [str(v).strip() if v is not None else "" for v in cells.row_values(hr)]
    units = [str(v).strip() if v is not None else "" for v in cells.row_values(hr + 1)]
    headers += [""] * (len(units) - len(headers))
    first = hr + 2  # the units row follows the header
    be, bad = cells.numeric_column(0, first)
    if bad is not None:
        raise ReaderError(
            path, f"sheet {name!r}: text in the energy column", line=bad + 1, expected="numbers"
        )
    # The measured counts sit under an empty header with a 'Counts / s' unit; fitted curves
    # have a header each.
    cps_col = next(
        (j for j in range(1, len(units)) if not headers[j] and "count" in units[j].lower()), None
    )
    if cps_col is None:
        raise ReaderError(
            path, f"sheet {name!r} has no 'Counts / s' column", line=hr + 2, expected=EXPECTED
        )
    cps, _ = cells.numeric_column(cps_col, first, len(be))
    ok = np.isfinite(be) & np.isfinite(cps)
    arrays: dict[str, np.ndarray] = {"binding_energy_eV": be[ok], "counts_per_s": cps[ok]}
    components = []
    for j, h in enumerate(headers):
        if j <= cps_col or not h:
            continue
        col, _ = cells.numeric_column(j, first, len(be))
        low = h.lower()
        if low.startswith("backgnd"):
            arrays["background_cps"] = col[ok]
        elif low.startswith("envelope"):
            arrays["envelope_cps"] = col[ok]
        elif not low.startswith("residual"):
            arrays[f"component_{len(components)}_cps"] = col[ok]
            components.append(h)
    order = np.argsort(arrays["binding_energy_eV"], kind="stable")
    arrays = {k: v[order] for k, v in arrays.items()}
    label = name[:-5].strip() if name.lower().endswith(" scan") else name
    species, transition = split_region(label)
    region = region_name(label)
    source = ""
    for r in range(hr):
        row = cells.row_values(r)
        if row and isinstance(row[0], str) and row[0].lower().endswith(".vgd"):
            source = row[0]
    key = label.replace(" ", "").lower()
    quant = [
        q for q in extra["quantification"] if q["name"].replace(" ", "").lower().startswith(key)
    ]
    meta = {
        "technique": "XPS",
        "region": region,
        "species": species,
        "transition": transition,
        "sheet": name,
        "source_file": source,
        "components": components,
        "quantification": quant,
        "carbon_be_eV": extra.get("carbon_be_eV"),
        "peak_table": extra["peak_table"],
    }
    return ImportedData("xps", label, arrays, meta, reader="avantage_xlsx")


def _sniff(head: bytes, name: str) -> float:
    if not is_zip(head):
        return 0.0
    sheets = sheet_names_from_head(head)
    if sheets is None:
        return 0.1 if name.endswith(".xlsx") else 0.0
    if "Titles" in sheets and any(s.lower().endswith(" scan") for s in sheets):
        return 0.95
    return 0.0


@reader(
    "avantage_xlsx",
    kinds=("xps",),
    patterns=(),  # chosen by content (a Titles sheet and "<Region> Scan" sheets)
    sniff=_sniff,
    description="Thermo Avantage Excel export (XPS region sheets)",
)
def read_avantage_xlsx(path: Path) -> list[ImportedData]:
    """Every region sheet of an Avantage Excel export."""
    path = Path(path)
    if not read_head(path, 4):
        raise ReaderError(path, "file is empty", line=1, expected=EXPECTED)
    require_xlsx(path, EXPECTED)
    with XlsxBook(path) as book:
        names = book.sheet_names
        if "Titles" not in names:
            raise ReaderError(path, "no 'Titles' sheet", expected=EXPECTED)
        extra = _titles(book)
        extra["quantification"] = _quantifications(book)
        extra["peak_table"] = _peak_table(book)
        tables = [
            _sheet_table(path, book, n, extra)
            for n in names
            if n not in _SPECIAL and n.lower().endswith(" scan")
        ]
    if not tables:
        raise ReaderError(path, "no region sheets ('<Region> Scan')", expected=EXPECTED)
    return tables
