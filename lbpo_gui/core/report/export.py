"""Export of result tables: CSV, tab-separated text for the clipboard, and XLSX.

Text cells that a spreadsheet would take for a formula (starting with ``=``, ``+``, ``-``, ``@``)
are prefixed with an apostrophe, so a sample called ``=HYPERLINK(...)`` stays text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..project.atomic import atomic_write_bytes

Table = tuple[Sequence[str], Sequence[Mapping[str, Any]]]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value as written to a file: None as empty, formula-like text neutralised."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def table_text(columns: Sequence[str], rows: Sequence[Mapping[str, Any]], sep: str = ",") -> str:
    """The table as delimited text with a header line (CSV by default, TSV with ``sep='\\t'``)."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(row.get(c)) for c in columns])
    return buf.getvalue()


def write_csv(
    path: str | Path,
    columns: Sequence[str],
    rows: Sequence[Mapping[str, Any]],
    *,
    durable: bool = True,
) -> Path:
    """Write a UTF-8 CSV (atomically; ``durable=False``: without fsync); returns the path."""
    path = Path(path)
    data = table_text(columns, rows).encode("utf-8")
    atomic_write_bytes(path, data, backup=False, durable=durable)
    return path


def write_xlsx(path: str | Path, sheets: Mapping[str, Table]) -> Path:
    """Write one worksheet per table (atomically); returns the path."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for name, (columns, rows) in sheets.items():
        ws = wb.create_sheet(title=name[:31])
        ws.append(list(columns))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([safe_cell(row.get(c)) for c in columns])
        for i, col in enumerate(columns, start=1):
            width = max([len(str(col))] + [len(str(r.get(col, ""))) for r in rows]) + 2
            ws.column_dimensions[ws.cell(1, i).column_letter].width = min(width, 40)
    buf = io.BytesIO()
    wb.save(buf)
    path = Path(path)
    atomic_write_bytes(path, buf.getvalue(), backup=False)
    return path
