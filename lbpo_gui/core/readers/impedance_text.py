"""Impedance spectra in delimited text: CSV/TSV/semicolon/space, decimal commas, any header.

One parser serves several exports whose layout is "a header line naming the columns, then
numeric rows" (the field notes, section 5, and impedance.py's example files):

- generic CSV/TSV (comma, semicolon, tab, blanks; decimal comma), header names such as ``f,
  Z', Z''``, ``freq, Zre, -Zim``, ``frequency, real, imaginary``, ``frequency, |Z|, -phase``;
  headerless three-column files are read as f, Z', Z'' (impedance.py's convention);
- ZView/ZPlot ``.z`` (``ZPLOT2 ASCII`` ... ``Freq(Hz) Ampl Bias Time(Sec) Z'(a) Z''(b) ...`` ...
  ``End Comments``, then rows; Z'' signed; the header's ``Data Points`` may exceed the rows),
  and the ZPlotW / Z60W variants with a quoted header line (Autolab's ZView-format export);
- CH Instruments text (``Freq/Hz, Z'/ohm, Z"/ohm, Z/ohm, Phase/deg``, Z" signed);
- Parstat / VersaStudio copied text (``Frequency (Hz) Zre (ohms) Zim (ohms)``; rows with f = 0
  before the sweep are dropped) and PowerSuite (``Frequency Zre Zimg``);
- ``.xlsx`` workbooks: one spectrum per sheet with such a header row.

Several sweeps in one table are split where the frequency restarts (:func:`.split_sweeps`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import ReaderError
from .impedance_table import (
    ColumnMap,
    complex_from,
    impedance_columns,
    impedance_data,
    normalise_header,
    read_bounded,
    split_sweeps,
)
from .registry import reader
from .text import decode_bytes, looks_binary, split_lines
from .xlsx import XlsxBook, is_zip, sheet_names_from_head

NAME = "impedance_text"
ZPLOT_NAME = "zplot"
_HEADER_SCAN = 400
_ZPLOT_MAGIC = ("ZPLOT2 ASCII", '"ZPlotW Data File', '"Z60W Data File', "ZPlotW Data File")
_NUM = re.compile(r"^[+-]?((\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?|nan|NaN|inf|Inf)$")
_EXPECTED = "a header line naming frequency and Z' / Z'' (or |Z| / phase) columns"


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    return decode_bytes(data, partial=True)[0]


def _header_fields(line: str) -> list[list[str]]:
    """Ways of splitting a candidate header line into names."""
    out = []
    for d in ("\t", ";", ","):
        if d in line:
            out.append([f.strip().strip('"').strip() for f in line.rstrip(d + " \t").split(d)])
    out.append(_merge_units(line.strip().strip('"').split()))
    return out


def _merge_units(words: list[str]) -> list[str]:
    """Blank-separated names: a lone unit (``(Hz)``, ``/ohm``) belongs to the name before it."""
    out: list[str] = []
    for w in words:
        if out and (w.startswith("(") or w.startswith("[") or w.startswith("/")):
            out[-1] += " " + w
        else:
            out.append(w)
    return out


def find_header(lines: list[str]) -> tuple[int, list[str], ColumnMap] | None:
    """(0-based line, names, column map) of the first header line within the scan window."""
    for i, ln in enumerate(lines[:_HEADER_SCAN]):
        if not ln.strip() or _is_numeric_row(ln):
            continue
        for names in _header_fields(ln):
            cols = impedance_columns(names)
            if cols is not None:
                return i, names, cols
    return None


def _split_row(line: str, delimiter: str) -> list[str]:
    if delimiter == " ":
        return line.split()
    return [f.strip() for f in line.strip().rstrip(delimiter).split(delimiter)]


def _is_numeric_row(line: str) -> bool:
    for d in ("\t", ";", ",", " "):
        fields = [f for f in _split_row(line, d) if f]
        if len(fields) >= 2 and all(_NUM.match(f.strip('"')) for f in fields):
            return True
    return False


def _data_layout(rows: list[str], n_needed: int) -> tuple[str, str]:
    """(delimiter, decimal) of the data rows."""
    for d in ("\t", ";", ",", " "):
        split = [_split_row(r, d) for r in rows]
        if all(len(s) >= n_needed and all(_NUM.match(f.strip('"')) for f in s if f) for s in split):
            uses_comma = d != "," and any("," in f for s in split for f in s)
            return d, "," if uses_comma else "."
    raise ValueError("no delimiter splits the rows into numbers")


@dataclass
class _Block:
    first_line: int  # 1-based file line of the first data row
    rows: list[list[float]]
    last_line: int


def _numeric_block(path: Path, lines: list[str], start: int, n_needed: int) -> _Block:
    i = start
    while i < len(lines) and not _is_numeric_row(lines[i]):
        i += 1
    first = i
    rows_text: list[str] = []
    while i < len(lines):
        ln = lines[i]
        if not ln.strip():
            i += 1
            continue
        if not _is_numeric_row(ln):
            nxt = next((x for x in lines[i + 1 : i + 4] if x.strip()), "")
            if rows_text and nxt and _is_numeric_row(nxt):
                raise ReaderError(
                    path,
                    f"not a number in {ln.strip()[:40]!r}",
                    line=i + 1,
                    expected="numeric fields",
                )
            break
        rows_text.append(ln)
        i += 1
    if not rows_text:
        raise ReaderError(
            path, "no numeric rows after the header", line=start + 1, expected="rows of numbers"
        )
    try:
        delimiter, decimal = _data_layout(rows_text[:50], n_needed)
    except ValueError:
        raise ReaderError(
            path,
            "the data rows do not split into numbers",
            line=first + 1,
            expected=f"at least {n_needed} numeric fields per row",
        ) from None
    rows: list[list[float]] = []
    line_no = first
    for k, ln in enumerate(rows_text):
        fields = _split_row(ln, delimiter)
        try:
            vals = [
                float(f.strip('"').replace(",", ".") if decimal == "," else f.strip('"'))
                if f
                else np.nan
                for f in fields
            ]
        except ValueError:
            raise ReaderError(
                path,
                f"not a number in {ln.strip()[:40]!r}",
                line=first + k + 1,
                expected="numeric fields",
            ) from None
        if len(vals) < n_needed:
            raise ReaderError(
                path,
                f"{len(vals)} fields, fewer than the {n_needed} needed",
                line=first + k + 1,
                expected=f"{n_needed} fields per row",
            )
        rows.append(vals[:n_needed] + [np.nan] * 0)
        line_no = first + k + 1
    return _Block(first + 1, rows, line_no)


_TIME = ("time(sec)", "time", "elapsedtime", "elapsedtime(s)", "time/s", "t")
_POTENTIAL = ("potential", "potential(v)", "e(v)", "bias", "vdc", "e", "<ewe>")
_CURRENT = ("current", "current(a)", "i(a)", "idc")


def _optional(names: list[str], wanted: tuple[str, ...]) -> int | None:
    norm = [normalise_header(n) for n in names]
    for w in wanted:
        if w in norm:
            return norm.index(w)
    return None


def parse_table(path: Path, lines: list[str], *, source: str, reader_name: str) -> list:
    """Tables (one per sweep) from text ``lines`` holding a header and numeric rows."""
    found = find_header(lines)
    meta: dict = {"source_format": source}
    if found is None:
        start = next((i for i, ln in enumerate(lines) if ln.strip()), len(lines))
        if start >= len(lines) or not _is_numeric_row(lines[start]):
            raise ReaderError(
                path, "no impedance column names found", line=start + 1, expected=_EXPECTED
            )
        names = ["frequency", "z'", "z''"]
        cols = ColumnMap(0, 1, 2, False, 1.0, 1.0)
        meta["columns_assumed"] = (
            "frequency_Hz, Z' (ohm), Z'' (ohm, signed): the file has no header"
        )
        header_line = start - 1
    else:
        header_line, names, cols = found
        meta["columns"] = names
    extras_idx = {
        "time_s": _optional(names, _TIME),
        "potential_V": _optional(names, _POTENTIAL),
        "current_A": _optional(names, _CURRENT),
    }
    needed = (
        max(
            [
                cols.frequency,
                cols.first,
                cols.second,
                *[i for i in extras_idx.values() if i is not None],
            ]
        )
        + 1
    )
    block = _numeric_block(path, lines, header_line + 1, max(needed, cols.second + 1))
    data = np.array(block.rows, dtype=float)
    f = data[:, cols.frequency]
    keep = f > 0
    if not keep.all():
        meta["rows_without_frequency_dropped"] = int((~keep).sum())
    if not keep.any():
        raise ReaderError(
            path,
            "no row has a frequency above 0 Hz",
            line=block.first_line,
            expected="impedance rows (frequency > 0)",
        )
    data = data[keep]
    f = data[:, cols.frequency]
    z = complex_from(cols, data[:, cols.first], data[:, cols.second])
    extras = {k: data[:, i] for k, i in extras_idx.items() if i is not None}
    sweeps = split_sweeps(f)
    out = []
    for k, sl in enumerate(sweeps, start=1):
        label = path.stem if len(sweeps) == 1 else f"{path.stem} spectrum {k}"
        out.append(
            impedance_data(
                path,
                f[sl],
                z[sl],
                label=label,
                metadata={**meta, "spectrum": k},
                reader=reader_name,
                extras={n: v[sl] for n, v in extras.items()},
                line=block.first_line,
            )
        )
    return out


def _read_text(path: Path) -> list[str]:
    data = read_bounded(path, "an impedance export")
    if not data.strip():
        raise ReaderError(path, "file is empty", line=1, expected="an impedance export")
    if looks_binary(data[:8192]) and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReaderError(
            path, "is a binary file, not a text export", line=1, expected="an impedance text export"
        )
    return split_lines(_decode(data))


def _head_text(head: bytes) -> str | None:
    if not head or (looks_binary(head) and not head.startswith((b"\xff\xfe", b"\xfe\xff"))):
        return None
    try:
        return _decode(head)
    except UnicodeDecodeError:
        return None


_OTHER_FORMATS = ("EC-Lab ASCII FILE", "BT-Lab ASCII FILE", "EXPLAIN", "<Application>")


def sniff(head: bytes, filename: str) -> float:
    """Header naming frequency and impedance columns: 0.6; headerless 3+ numeric columns in a
    .csv/.txt: 0.2; xlsx with such a header row: 0.5."""
    if is_zip(head):
        if filename.endswith(".xlsx") or sheet_names_from_head(head):
            return 0.3
        return 0.0
    text = _head_text(head)
    if text is None:
        return 0.0
    lines = split_lines(text)
    first = next((ln.strip() for ln in lines if ln.strip()), "")
    if first.startswith(_OTHER_FORMATS) or first.startswith(_ZPLOT_MAGIC):
        return 0.0
    if find_header(lines[:-1] if len(lines) > 1 else lines) is not None:
        return 0.6
    n_fields = len(first.replace(";", ",").replace("\t", ",").split(","))
    if filename.endswith((".csv", ".txt", ".tsv")) and _is_numeric_row(first) and n_fields >= 3:
        return 0.2
    return 0.0


def _read_xlsx(path: Path) -> list:
    out = []
    with XlsxBook(path) as book:
        for sheet in book.sheet_names:
            cells = book.read_sheet(sheet)
            rows = [
                "\t".join("" if v is None else str(v) for v in cells.row_values(r))
                for r in range(cells.n_rows)
            ]
            try:
                tables = parse_table(path, rows, source="xlsx workbook", reader_name=NAME)
            except ReaderError:
                continue  # a sheet without a spectrum
            for t in tables:
                t.label = f"{path.stem} {sheet}" + (
                    f" spectrum {t.metadata['spectrum']}" if len(tables) > 1 else ""
                )
                t.metadata["sheet"] = sheet
            out.extend(tables)
    if not out:
        raise ReaderError(path, "no sheet holds an impedance table", line=1, expected=_EXPECTED)
    return out


@reader(
    NAME,
    kinds=("impedance",),
    # content only: a .csv or .txt of another kind must stay unclaimed (the column-map dialog)
    patterns=(),
    sniff=sniff,
    description="impedance spectra in CSV/TSV/text (CH Instruments, Parstat, PowerSuite) or xlsx",
)
def read(path: Path) -> list:
    """Read a delimited-text or xlsx impedance table (see the module docstring)."""
    path = Path(path)
    head = path.open("rb").read(8) if path.is_file() else b""
    if is_zip(head):
        return _read_xlsx(path)
    lines = _read_text(path)
    return parse_table(path, lines, source="impedance text table", reader_name=NAME)


def sniff_zplot(head: bytes, filename: str) -> float:
    """ZPlot/ZView ``.z`` (``ZPLOT2 ASCII``, ``"ZPlotW Data File``) and Z60W exports."""
    text = _head_text(head)
    if text is None:
        return 0.0
    first = text.lstrip("\ufeff").lstrip()
    return 0.95 if first.startswith(_ZPLOT_MAGIC) else 0.0


@reader(
    ZPLOT_NAME,
    kinds=("impedance",),
    patterns=("*.z",),
    sniff=sniff_zplot,
    description="ZView/ZPlot .z (ZPLOT2 ASCII, ZPlotW) and Autolab's Z60W ZView-format export",
)
def read_zplot(path: Path) -> list:
    """Read a ZPlot/ZView ``.z`` file (rows after ``End Comments`` or the quoted header)."""
    path = Path(path)
    lines = _read_text(path)
    tables = parse_table(path, lines, source="ZView/ZPlot .z", reader_name=ZPLOT_NAME)
    for ln in lines[:200]:
        m = re.match(r"\s*Data Points:\s*(\d+)", ln)
        if m:
            for t in tables:
                t.metadata["header_data_points"] = int(m.group(1))
    return tables
