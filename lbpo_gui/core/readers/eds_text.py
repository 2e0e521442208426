"""Tolerant reader of EDS line profiles written as delimited text (CSV/TXT, Velox export...).

No vendor documents its profile export (see the notes, section 3.2), so this reader assumes
little: any preamble, then a header line and numeric rows. It sniffs the delimiter (``,`` ``;``
tab, blanks) and a decimal comma, decodes UTF-8 (with or without BOM), UTF-16 (with a BOM or by
its NUL pattern), cp1252 and latin-1, and reads CRLF, LF and CR line ends.

Columns: the distance column by name (``Distance (nm)``, ``Position/um``, ``x [Å]``,
``distance_nm``; unit nm, um or Å, nm assumed when none is written) or, when no header names
one, the first strictly monotonic non-element column; element columns from headers such as
``Ni``, ``Ni K``, ``Ni_Ka``, ``NiK``, ``Ni (at%)`` (see :mod:`.eds_columns`). Other columns
(``Point``, ``Total``, ``HAADF``) are ignored and listed in ``metadata['ignored_columns']``.

Output (kind ``eds_profile``): ``distance_nm`` (ascending) and one float column per element
symbol; metadata ``signal_unit`` (``counts``, ``cps``, ``at.%`` or ``wt.%``; from the headers,
the preamble, else ``counts``), ``signal_units`` per element, ``xray_lines``, ``distance_unit``,
``step_nm``, ``preamble`` (``key: value`` lines of the preamble).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import ReaderError
from .base import ImportedData
from .eds_columns import parse_distance_header, parse_element_header, signal_unit_from_text
from .registry import reader
from .text import (
    decode_bytes,
    detect_decimal,
    detect_delimiter,
    is_number,
    parse_number,
    read_all,
    split_fields,
    split_lines,
)

#: Symbols that are more likely electrical quantities than elements (I, V, P, Q, W, E, U).
_ELECTRICAL = frozenset(["I", "V", "U", "P", "Q", "W", "E"])
_NOT_DISTANCE = re.compile(r"time|date|cycle|step|volt|curr|freq|energy|ev|temp", re.I)
EXPECTED = "an EDS line profile: a distance column and at least two element columns"
_MAX_HEADER_LINES = 200


def decode_any(data: bytes, *, partial: bool = False) -> tuple[str, str]:
    """Decode text that may be UTF-16 (BOM or NUL pattern) as well as UTF-8/cp1252/latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        enc = "utf-16"
    else:
        sample = data[:4096]
        if len(sample) >= 4 and sample[1::2].count(0) > 0.4 * len(sample) / 2:
            enc = "utf-16-le"
        elif len(sample) >= 4 and sample[0::2].count(0) > 0.4 * len(sample) / 2:
            enc = "utf-16-be"
        else:
            return decode_bytes(data, partial=partial)
    if partial and len(data) % 2:
        data = data[:-1]
    return data.decode(enc, errors="replace"), enc


@dataclass
class ProfileLayout:
    """Where the table of a profile export sits and what its columns are."""

    header_line: int  # 1-based
    delimiter: str
    decimal: str
    names: list[str]
    distance: int | None  # column index, None when found by monotonicity later
    distance_factor: float | None
    elements: dict[int, tuple[str, str, str | None]]  # column -> (symbol, line, unit)
    index_columns: list[int] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)
    data_start: int = -1  # 0-based index of the first line after the header (and units row)

    def __post_init__(self) -> None:
        if self.data_start < 0:
            self.data_start = self.header_line


def _is_data_row(fields: list[str], decimal: str) -> bool:
    return len(fields) >= 2 and sum(is_number(f, decimal) for f in fields) >= 2


def find_layout(lines: list[str]) -> ProfileLayout | None:
    """The header line and its columns: the first line of >= 2 fields, with at least one element
    header, followed by a numeric row. None when there is none in the first lines."""
    for i, ln in enumerate(lines[:_MAX_HEADER_LINES]):
        if not ln.strip():
            continue
        body = [x for x in lines[i + 1 : i + 40] if x.strip()]
        if not body:
            return None
        delim = detect_delimiter(body[:20])
        names = split_fields(ln, delim)
        while names and names[-1] == "":
            names.pop()
        if len(names) < 2:
            continue
        decimal = detect_decimal(body[:20], delim)
        data_start = i + 1
        if not _is_data_row(split_fields(body[0], delim), decimal):
            # a row of units under the names ("nm", "counts", ...), then numbers
            units = [u.strip().strip('"').strip() for u in split_fields(body[0], delim)]
            if len(body) < 2 or len(units) != len(names) or any(is_number(u) for u in units):
                continue
            if not _is_data_row(split_fields(body[1], delim), decimal):
                continue
            names = [f"{n} ({u})" if u else n for n, u in zip(names, units, strict=True)]
            data_start = next(k for k in range(i + 1, len(lines)) if lines[k].strip()) + 1
        names = [n.strip().strip('"').strip() for n in names]
        elements: dict[int, tuple[str, str, str | None]] = {}
        distance = factor = None
        index_cols: list[int] = []
        for j, name in enumerate(names):
            d = parse_distance_header(name)
            if d is not None and d[0] == "distance" and distance is None:
                distance, factor = j, d[1]
                continue
            if d is not None and d[0] == "index":
                index_cols.append(j)
                continue
            el = parse_element_header(name)
            if el is not None:
                elements[j] = el
        if not elements:
            continue
        return ProfileLayout(
            i + 1,
            delim,
            decimal,
            names,
            distance,
            factor,
            elements,
            index_cols,
            lines[:i],
            data_start,
        )
    return None


def _preamble_metadata(preamble: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for ln in preamble:
        m = re.match(r"^\s*#?\s*([^:=,;\t]{1,60}?)\s*[:=,;\t]\s*(.*?)\s*$", ln)
        if m and m.group(2):
            out[m.group(1).strip()] = m.group(2).strip().strip('"')
    return out


def _parse_rows(
    path: Path, lines: list[str], layout: ProfileLayout, columns: list[int]
) -> np.ndarray:
    """The numeric values of ``columns`` of every data row (rows x columns), NaN for blanks."""
    rows: list[list[float]] = []
    for k in range(layout.data_start, len(lines)):
        ln = lines[k]
        if not ln.strip():
            continue
        fields = [f.strip('"').strip() for f in split_fields(ln, layout.delimiter)]
        values = []
        for j in columns:
            v = fields[j] if j < len(fields) else ""
            if v == "":
                values.append(np.nan)
                continue
            try:
                values.append(parse_number(v, layout.decimal))
            except ValueError:
                raise ReaderError(
                    path,
                    f"value {v!r} in column {layout.names[j]!r} is not a number",
                    line=k + 1,
                    expected="a number"
                    + (" with a decimal comma" if layout.decimal == "," else ""),
                ) from None
        rows.append(values)
    return np.asarray(rows, dtype=float).reshape(len(rows), len(columns))


def _monotonic(x: np.ndarray) -> bool:
    d = np.diff(x[np.isfinite(x)])
    return len(d) > 0 and (bool(np.all(d > 0)) or bool(np.all(d < 0)))


def read_profile_text(path: Path, *, fmt: str = "EDS profile text") -> list[ImportedData]:
    """Read a delimited-text EDS profile into the ``eds_profile`` schema (see the module doc)."""
    data = read_all(path)
    if not data.strip():
        raise ReaderError(path, "file is empty", line=1, expected=EXPECTED)
    text, encoding = decode_any(data)
    lines = split_lines(text)
    layout = find_layout(lines)
    if layout is None:
        raise ReaderError(
            path,
            "no header line with element columns above numeric rows",
            line=1,
            expected=EXPECTED,
        )
    preamble = _preamble_metadata(layout.preamble)
    element_cols = list(layout.elements)
    candidates = [
        j
        for j in range(len(layout.names))
        if j not in layout.elements and j not in layout.index_columns
    ]
    all_cols = sorted({*element_cols, *candidates, *layout.index_columns})
    values = _parse_rows(path, lines, layout, all_cols)
    col = {j: values[:, k] for k, j in enumerate(all_cols)}
    first_data = layout.data_start + 1
    if len(values) < 3:
        raise ReaderError(path, f"only {len(values)} data rows", line=first_data, expected=EXPECTED)
    distance, factor = layout.distance, layout.distance_factor
    how = "header"
    if distance is None:
        mono = [j for j in candidates if _monotonic(col[j])]
        if not mono:
            raise ReaderError(
                path,
                "no distance column: no header names one (Distance, Position, x) and no other "
                "column increases steadily",
                line=layout.header_line,
                expected="a column such as 'Distance (nm)'",
            )
        distance, how = mono[0], "monotonic"
    if factor is not None and not np.isfinite(factor):
        raise ReaderError(
            path,
            f"distance column {layout.names[distance]!r} has a unit that is not understood",
            line=layout.header_line,
            expected="nm, um or Å",
        )
    x = col[distance] * (factor if factor is not None else 1.0)
    bad = np.flatnonzero(~np.isfinite(x))
    if len(bad):
        raise ReaderError(
            path,
            f"column {layout.names[distance]!r} has an empty distance",
            line=_row_line(lines, layout, int(bad[0])),
            expected="a distance on every row",
        )
    if not _monotonic(x):
        k = int(np.flatnonzero(np.diff(x) * np.sign(x[-1] - x[0]) <= 0)[0]) + 1
        raise ReaderError(
            path,
            f"distance {x[k]:g} nm does not continue the steady run of the rows above",
            line=_row_line(lines, layout, k),
            expected="distances that increase (or decrease) from row to row",
        )
    symbols: dict[str, int] = {}
    duplicates: list[str] = []
    for j, (sym, _line, _unit) in layout.elements.items():
        if sym in symbols:
            duplicates.append(layout.names[j])
        else:
            symbols[sym] = j
    if len(symbols) < 2:
        only = ", ".join(symbols) or "none"
        raise ReaderError(
            path,
            f"only one element column ({only}); an interface needs markers of both sides",
            line=layout.header_line,
            expected="at least two element columns such as 'Ni K' and 'S K'",
        )
    units = {sym: layout.elements[j][2] for sym, j in symbols.items()}
    file_unit = _unit_from_preamble(preamble)
    resolved = {s: (u or file_unit or "counts") for s, u in units.items()}
    distinct = sorted(set(resolved.values()))
    order = np.argsort(x, kind="stable")
    arrays: dict[str, np.ndarray] = {"distance_nm": x[order]}
    for sym, j in symbols.items():
        arrays[sym] = col[j][order]
    step = float(np.median(np.diff(arrays["distance_nm"])))
    ignored = [layout.names[j] for j in candidates if j != distance] + duplicates
    ignored += [layout.names[j] for j in layout.index_columns]
    meta = {
        "technique": "STEM-EDS line profile",
        "format": fmt,
        "signal_unit": distinct[0] if len(distinct) == 1 else "mixed",
        "signal_units": resolved,
        "xray_lines": {s: layout.elements[j][1] for s, j in symbols.items()},
        "distance_column": layout.names[distance],
        "distance_found_by": how,
        "distance_unit": _unit_name(factor),
        "step_nm": step,
        "encoding": encoding,
        "ignored_columns": ignored,
        "preamble": preamble,
    }
    return [ImportedData("eds_profile", path.stem, arrays, meta)]


def _row_line(lines: list[str], layout: ProfileLayout, row: int) -> int:
    """1-based file line of data row ``row`` (blank lines skipped as in :func:`_parse_rows`)."""
    n = -1
    for k in range(layout.data_start, len(lines)):
        if lines[k].strip():
            n += 1
            if n == row:
                return k + 1
    return layout.data_start + 1


def _unit_from_preamble(preamble: dict[str, str]) -> str | None:
    for key, value in preamble.items():
        if re.search(r"unit|quant|signal|type", key, re.I):
            u = signal_unit_from_text(value)
            if u:
                return u
    return None


def _unit_name(factor: float | None) -> str:
    if factor is None:
        return "nm (assumed: the header gives no unit)"
    return {1.0: "nm", 1e3: "um", 0.1: "A", 1e-3: "pm", 1e6: "mm", 1e9: "m"}.get(factor, "nm")


def sniff_profile_text(head: bytes, filename: str) -> float:
    """Confidence that ``head`` is a delimited EDS profile: a header with a distance column (or a
    leading monotonic column) and at least two element columns, above numeric rows."""
    if not head.strip() or head.startswith((b"\x89HDF", b"PK\x03\x04")):
        return 0.0
    text, _ = decode_any(head, partial=True)
    lines = split_lines(text)
    if not head.endswith((b"\n", b"\r")):
        lines = lines[:-1]
    layout = find_layout(lines)
    if layout is None:
        return 0.0
    symbols = {e[0] for e in layout.elements.values()}
    if len(symbols) < 2:
        return 0.0
    others = len(layout.names) - len(layout.elements) - len(layout.index_columns)
    if layout.distance is not None:
        return 0.85 if others <= 2 else 0.6
    # no named distance: one plain column and element columns, and not "Time, I, V"
    other = next(n for j, n in enumerate(layout.names) if j not in layout.elements)
    if others != 1 or symbols <= _ELECTRICAL or _NOT_DISTANCE.search(other):
        return 0.0
    return 0.3


@reader(
    "eds-profile-text",
    kinds=("eds_profile",),
    patterns=(),  # content only: a .csv no sniffer knows goes to the column mapping
    sniff=sniff_profile_text,
    description="EDS line profile as delimited text (Velox/any export: distance + elements)",
)
def read_eds_profile_text(path: Path) -> list[ImportedData]:
    """Read a delimited-text EDS line profile (see the module doc)."""
    return read_profile_text(Path(path))
