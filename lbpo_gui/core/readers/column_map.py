"""Generic importer for "any other delimited text or xlsx": a user-edited column mapping.

Workflow (the GUI dialog drives it; nothing here imports Qt):

1. :func:`preview_table` shows the first lines/rows, the detected layout (encoding, delimiter,
   decimal separator, header line, sheets) and a guessed role for each column;
2. :func:`guess_mapping` proposes a :class:`ColumnMapping` from the header names (English,
   German, French and Chinese names, units from the headers such as ``Strom/mA`` or
   ``Current (A)``);
3. the user corrects it; :func:`read_with_mapping` reads the file into the cycling schema.

A mapping is plain data: :meth:`ColumnMapping.to_dict` / :meth:`ColumnMapping.from_dict` (and the
``to_json``/``from_json`` shortcuts) round-trip it through JSON for saved templates; nothing is
ever evaluated.

Conventions: ``header_line`` is the 1-based line (text) or row (xlsx) of the column names,
``0`` when the file has none (columns are then ``Column 1``, ``Column 2``...), ``None`` to detect
it; ``skip_rows`` counts rows between the header and the first data row (e.g. a units row).
``current_sign='signed'`` takes the current as written (``invert_current`` flips instruments
that write charge as negative); ``'unsigned_with_state'`` takes ``|I|`` and gives it the sign of
the state column (``charge_codes`` -> +, ``discharge_codes`` -> -, anything else -> 0).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ReaderError
from .base import ImportedData
from .cycling_table import build_cycling
from .text import (
    CAPACITY_TO_MAH,
    CURRENT_TO_MA,
    DELIMITERS,
    TIME_TO_S,
    VOLTAGE_TO_V,
    decode_bytes,
    dedupe_names,
    detect_decimal,
    detect_delimiter,
    find_column,
    is_number,
    line_offsets,
    normalize_name,
    normalize_unit,
    parse_datetimes,
    parse_durations,
    parse_unit,
    read_head,
    read_numeric_block,
    require_text,
    split_fields,
    split_lines,
)
from .xlsx import XlsxBook, is_zip

NAME = "column_map"
MAPPING_FORMAT = "lbpo-column-mapping"
MAPPING_VERSION = 1
TIME_FORMATS: tuple[str, ...] = ("seconds", "duration", "datetime")
CURRENT_SIGNS: tuple[str, ...] = ("signed", "unsigned_with_state")
CAPACITY_SEMANTICS: tuple[str, ...] = (
    "unknown",
    "per_step",
    "per_half_cycle",
    "cumulative",
)

#: Header names (normalized, without units) suggesting each role, best first.
ROLE_ALIASES: dict[str, tuple[str, ...]] = {
    "time": (
        "test time",
        "testtime",
        "total time",
        "cumulative time",
        "time",
        "elapsed time",
        "run time",
        "test",
        "t",
        "zeit",
        "gesamtzeit",
        "messzeit",
        "temps",
        "tiempo",
        "测试时间",
        "总时间",
        "时间",
        "date time",
        "datetime",
        "timestamp",
        "date",
        "datum",
        "realtime",
        "absolute time",
        "dpt time",
    ),
    "voltage": (
        "voltage",
        "cell voltage",
        "volts",
        "potential",
        "ewe",
        "ecell",
        "<ewe>",
        "e",
        "u",
        "spannung",
        "potenzial",
        "tension",
        "电压",
    ),
    "current": ("current", "amps", "i", "<i>", "strom", "courant", "corriente", "电流"),
    "capacity": (
        "capacity",
        "amp-hr",
        "q charge/discharge",
        "q",
        "charge",
        "ladung",
        "kapazität",
        "kapazitat",
        "capacité",
        "容量",
    ),
    "step": ("step index", "step", "step number", "ns", "schritt", "工步", "步骤"),
    "cycle": (
        "cycle index",
        "cycle number",
        "cycle",
        "cyc#",
        "zyklus",
        "cycle p",
        "循环",
        "循环号",
    ),
    "state": ("state", "status", "md", "step type", "zustand", "mode", "状态"),
}

_DEFAULT_UNITS = {"time": "s", "voltage": "V", "current": "mA", "capacity": "mAh"}
_TABLES = {
    "time": TIME_TO_S,
    "voltage": VOLTAGE_TO_V,
    "current": CURRENT_TO_MA,
    "capacity": CAPACITY_TO_MAH,
}


@dataclass
class ColumnMapping:
    """How to read one delimited-text or xlsx file into the cycling schema (JSON-safe)."""

    name: str = ""
    delimiter: str | None = None
    decimal: str | None = None
    header_line: int | None = None
    skip_rows: int = 0
    encoding: str | None = None
    sheet: str | None = None
    time_column: str = ""
    time_unit: str = "s"
    time_format: str = "seconds"
    datetime_format: str | None = None
    voltage_column: str = ""
    voltage_unit: str = "V"
    current_column: str = ""
    current_unit: str = "mA"
    current_sign: str = "signed"
    invert_current: bool = False
    state_column: str | None = None
    charge_codes: list[str] = field(default_factory=lambda: ["C"])
    discharge_codes: list[str] = field(default_factory=lambda: ["D"])
    step_column: str | None = None
    cycle_column: str | None = None
    capacity_column: str | None = None
    capacity_unit: str = "mAh"
    capacity_semantics: str = "unknown"
    active_mass_mg: float | None = None

    def problems(self) -> list[str]:
        """What makes this mapping unusable (empty list = fine)."""
        out = []
        for role in ("time", "voltage", "current"):
            if not getattr(self, f"{role}_column"):
                out.append(f"no {role} column chosen")
        if self.delimiter is not None and self.delimiter not in (*DELIMITERS, " "):
            out.append(f"delimiter {self.delimiter!r} is not one of tab ; , | or space")
        if self.decimal not in (None, ".", ","):
            out.append(f"decimal separator {self.decimal!r} is not '.' or ','")
        if self.header_line is not None and self.header_line < 0:
            out.append("header line must be 0 (none) or a line number")
        if self.skip_rows < 0:
            out.append("rows to skip cannot be negative")
        if self.time_format not in TIME_FORMATS:
            out.append(f"time format {self.time_format!r} is not one of {TIME_FORMATS}")
        if self.time_format == "seconds" and normalize_unit(self.time_unit) not in TIME_TO_S:
            out.append(f"time unit {self.time_unit!r} is not one of {tuple(TIME_TO_S)}")
        if normalize_unit(self.voltage_unit) not in VOLTAGE_TO_V:
            out.append(f"voltage unit {self.voltage_unit!r} is not one of {tuple(VOLTAGE_TO_V)}")
        if normalize_unit(self.current_unit) not in CURRENT_TO_MA:
            out.append(f"current unit {self.current_unit!r} is not one of {tuple(CURRENT_TO_MA)}")
        if self.capacity_column and normalize_unit(self.capacity_unit) not in CAPACITY_TO_MAH:
            out.append(
                f"capacity unit {self.capacity_unit!r} is not one of {tuple(CAPACITY_TO_MAH)}"
            )
        if self.current_sign not in CURRENT_SIGNS:
            out.append(f"current sign {self.current_sign!r} is not one of {CURRENT_SIGNS}")
        if self.current_sign == "unsigned_with_state":
            if not self.state_column:
                out.append("an unsigned current needs a state column")
            if not self.charge_codes or not self.discharge_codes:
                out.append("an unsigned current needs charge and discharge codes")
        if self.capacity_semantics not in CAPACITY_SEMANTICS:
            out.append(
                f"capacity semantics {self.capacity_semantics!r} is not one of {CAPACITY_SEMANTICS}"
            )
        if self.active_mass_mg is not None and not self.active_mass_mg > 0:
            out.append("active mass must be positive")
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable dict (with a format tag and version)."""
        d = asdict(self)
        d["charge_codes"] = list(self.charge_codes)
        d["discharge_codes"] = list(self.discharge_codes)
        return {"format": MAPPING_FORMAT, "version": MAPPING_VERSION, **d}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ColumnMapping:
        """Build a mapping from :meth:`to_dict` output; ValueError on wrong types.

        Unknown keys are ignored (templates from newer versions still load).
        """
        if not isinstance(data, dict):
            raise ValueError("a column mapping must be a JSON object")
        if data.get("format", MAPPING_FORMAT) != MAPPING_FORMAT:
            raise ValueError(f"not a column mapping (format {data.get('format')!r})")
        kwargs: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            v = data[f.name]
            kwargs[f.name] = _check_type(f.name, v)
        return cls(**kwargs)

    def to_json(self) -> str:
        """JSON text of :meth:`to_dict`."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str) -> ColumnMapping:
        """Parse JSON text written by :meth:`to_json` (plain ``json.loads``, never eval)."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not valid JSON: {exc}") from None
        return cls.from_dict(data)


_STR_FIELDS = {
    "name",
    "time_column",
    "time_unit",
    "time_format",
    "voltage_column",
    "voltage_unit",
    "current_column",
    "current_unit",
    "current_sign",
    "capacity_unit",
    "capacity_semantics",
}
_OPT_STR_FIELDS = {
    "delimiter",
    "decimal",
    "encoding",
    "sheet",
    "datetime_format",
    "state_column",
    "step_column",
    "cycle_column",
    "capacity_column",
}


def _check_type(name: str, v: Any) -> Any:
    if name in _STR_FIELDS:
        if not isinstance(v, str):
            raise ValueError(f"{name} must be text, not {type(v).__name__}")
        return v
    if name in _OPT_STR_FIELDS:
        if v is not None and not isinstance(v, str):
            raise ValueError(f"{name} must be text or null, not {type(v).__name__}")
        return v
    if name in ("header_line",):
        if v is not None and (isinstance(v, bool) or not isinstance(v, int)):
            raise ValueError(f"{name} must be an integer or null")
        return v
    if name == "skip_rows":
        if isinstance(v, bool) or not isinstance(v, int):
            raise ValueError("skip_rows must be an integer")
        return v
    if name == "invert_current":
        if not isinstance(v, bool):
            raise ValueError("invert_current must be true or false")
        return v
    if name in ("charge_codes", "discharge_codes"):
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise ValueError(f"{name} must be a list of text codes")
        return list(v)
    if name == "active_mass_mg":
        if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))):
            raise ValueError("active_mass_mg must be a number or null")
        return None if v is None else float(v)
    return v  # pragma: no cover - every field is handled above


# --------------------------------------------------------------------------------------------
# preview
# --------------------------------------------------------------------------------------------


@dataclass
class TablePreview:
    """What the import dialog shows: the raw top of the file and the table as detected."""

    kind: str  # "text" or "xlsx"
    columns: list[str]
    rows: list[list[str]]
    header_line: int
    first_data_line: int
    lines: list[str] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None
    decimal: str | None = None
    sheets: list[str] = field(default_factory=list)
    sheet: str | None = None
    units: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)


def _is_numeric_row(fields_: list[str], decimal: str) -> bool:
    vals = [f for f in fields_ if f.strip()]
    return bool(vals) and sum(is_number(f, decimal) for f in vals) >= max(1, len(vals) // 2)


def _detect_header(rows: list[list[str]], decimal: str) -> tuple[int, int]:
    """(header index or -1, first data index) in a list of split rows (0-based)."""
    n = len(rows)
    for i in range(n):
        if len(rows[i]) < 2 or not _is_numeric_row(rows[i], decimal):
            continue
        nxt = [r for r in rows[i + 1 : i + 4] if any(x.strip() for x in r)]
        if nxt and not all(len(r) == len(rows[i]) and _is_numeric_row(r, decimal) for r in nxt):
            continue
        # walk up over blank rows to the closest text row with as many fields
        j = i - 1
        while j >= 0 and not any(x.strip() for x in rows[j]):
            j -= 1
        if j < 0 or len(rows[j]) < len(rows[i]) or _is_numeric_row(rows[j], decimal):
            return -1, i
        return j, i
    return -1, 0


def _text_rows(path: Path, mapping: ColumnMapping | None, max_lines: int = 300):
    head = read_head(path, 512 * 1024)
    require_text(path, head, "a delimited text file")
    if mapping and mapping.encoding:
        try:
            text = head.decode(mapping.encoding, errors="strict")
            encoding = mapping.encoding
        except (UnicodeDecodeError, LookupError):
            text, encoding = decode_bytes(head, partial=True)
    else:
        text, encoding = decode_bytes(head, partial=True)
    lines = split_lines(text)
    if not head.endswith((b"\n", b"\r")) and len(head) == 512 * 1024 and lines:
        lines = lines[:-1]
    lines = lines[:max_lines]
    body = [ln for ln in lines if ln.strip()]
    delimiter = (mapping.delimiter if mapping and mapping.delimiter else None) or detect_delimiter(
        body[len(body) // 3 :] or body
    )
    decimal = (mapping.decimal if mapping and mapping.decimal else None) or detect_decimal(
        body[len(body) // 3 :], delimiter
    )
    rows = [split_fields(ln, delimiter) if ln.strip() else [] for ln in lines]
    return head, encoding, lines, delimiter, decimal, rows


def preview_table(
    path: str | Path, n_rows: int = 20, mapping: ColumnMapping | None = None
) -> TablePreview:
    """The top of ``path`` as a table, with layout detected unless ``mapping`` fixes it."""
    path = Path(path)
    head = read_head(path, 8)
    if not head:
        raise ReaderError(path, "file is empty", line=1, expected="a delimited text or xlsx file")
    if is_zip(head):
        return _preview_xlsx(path, n_rows, mapping)
    _, encoding, lines, delimiter, decimal, rows = _text_rows(path, mapping)
    if mapping is not None and mapping.header_line is not None:
        h = mapping.header_line - 1
        first = (h + 1 if h >= 0 else 0) + mapping.skip_rows
    else:
        h, first = _detect_header(rows, decimal)
    width = max((len(r) for r in rows[first : first + 50]), default=0)
    if h >= 0 and h < len(rows):
        columns = dedupe_names(rows[h] + [""] * max(0, width - len(rows[h])))
        while columns and rows[h][-1:] == [""] and len(columns) > width:
            columns.pop()
    else:
        columns = [f"Column {k}" for k in range(1, width + 1)]
    data = [r for r in rows[first:] if r][:n_rows]
    return _finish_preview(
        TablePreview(
            kind="text",
            columns=columns,
            rows=[[*r, *[""] * (len(columns) - len(r))][: len(columns)] for r in data],
            header_line=h + 1,
            first_data_line=first + 1,
            lines=lines[:60],
            encoding=encoding,
            delimiter=delimiter,
            decimal=decimal,
        )
    )


def _preview_xlsx(path: Path, n_rows: int, mapping: ColumnMapping | None) -> TablePreview:
    with XlsxBook(path) as book:
        sheets = book.sheet_names
        sheet = mapping.sheet if mapping and mapping.sheet else None
        if sheet is None:
            sizes = {s: book.read_sheet(s).n_rows for s in sheets}
            sheet = max(sheets, key=lambda s: sizes[s]) if sheets else None
        if sheet is None or sheet not in sheets:
            raise ReaderError(path, f"no sheet {sheet!r}", expected=f"one of {sheets}")
        cells = book.read_sheet(sheet)
        raw = cells.head_rows(300)
    rows = [["" if v is None else _cell_text(v) for v in r] for r in raw]
    if mapping is not None and mapping.header_line is not None:
        h = mapping.header_line - 1
        first = (h + 1 if h >= 0 else 0) + mapping.skip_rows
    else:
        h, first = _detect_header(rows, ".")
    width = max((len(r) for r in rows[first : first + 50]), default=0)
    columns = (
        dedupe_names(rows[h] + [""] * max(0, width - len(rows[h])))
        if 0 <= h < len(rows)
        else [f"Column {k}" for k in range(1, width + 1)]
    )
    data = [r for r in rows[first:] if any(x for x in r)][:n_rows]
    return _finish_preview(
        TablePreview(
            kind="xlsx",
            columns=columns,
            rows=[[*r, *[""] * (len(columns) - len(r))][: len(columns)] for r in data],
            header_line=h + 1,
            first_data_line=first + 1,
            sheets=sheets,
            sheet=sheet,
            decimal=".",
        )
    )


def _cell_text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _finish_preview(p: TablePreview) -> TablePreview:
    p.units = {c: parse_unit(c)[1] for c in p.columns if parse_unit(c)[1]}
    used: set[int] = set()
    for role, aliases in ROLE_ALIASES.items():
        units = _TABLES.get(role)
        j = find_column(p.columns, aliases, units=units) if units else None
        if j is None or j in used:
            j = find_column(p.columns, aliases)
        if j is not None and j not in used:
            p.roles[role] = p.columns[j]
            used.add(j)
    return p


def guess_mapping(path: str | Path) -> ColumnMapping:
    """A mapping suggested from the file's header names, units and first values."""
    path = Path(path)
    p = preview_table(path, n_rows=500)
    m = ColumnMapping(
        name=path.stem,
        delimiter=p.delimiter,
        decimal=p.decimal,
        header_line=p.header_line,
        skip_rows=max(0, p.first_data_line - p.header_line - 1) if p.header_line else 0,
        encoding=p.encoding,
        sheet=p.sheet,
    )
    for role in ("time", "voltage", "current", "capacity", "step", "cycle", "state"):
        col = p.roles.get(role)
        if col is None:
            continue
        setattr(m, f"{role}_column", col)
        if role in _DEFAULT_UNITS:
            unit = normalize_unit(p.units.get(col, ""))
            if unit.lower() in ("amps",):
                unit = "A"
            table = _TABLES[role]
            default = _DEFAULT_UNITS[role]
            if normalize_name(col) in ("amps", "amp-hr", "volts"):
                default = {"amps": "A", "amp-hr": "Ah", "volts": "V"}[normalize_name(col)]
            setattr(m, f"{role}_unit", unit if unit in table else default)
    if m.time_column:
        j = p.columns.index(m.time_column)
        vals = [r[j] for r in p.rows if j < len(r) and r[j].strip()][:20]
        if vals and not all(is_number(v, p.decimal or ".") for v in vals):
            if all(re.search(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}", v) for v in vals):
                m.time_format = "datetime"
            elif not np.isnan(parse_durations(vals)).any():
                m.time_format = "duration"
    if m.current_column and m.state_column:
        j = p.columns.index(m.current_column)
        vals = [r[j] for r in p.rows if j < len(r)]
        nums = [float(v.replace(",", ".")) for v in vals if is_number(v, p.decimal or ".")]
        if nums and min(nums) >= 0:
            k = p.columns.index(m.state_column)
            codes = {r[k].strip() for r in p.rows if k < len(r) and r[k].strip()}
            charge, discharge = _guess_codes(codes)
            if charge and discharge:
                m.current_sign = "unsigned_with_state"
                m.charge_codes, m.discharge_codes = charge, discharge
    return m


def _guess_codes(codes: set[str]) -> tuple[list[str], list[str]]:
    charge, discharge = [], []
    for c in sorted(codes):
        low = c.lower()
        if low.startswith("d") or "dchg" in low or "discharge" in low or "放" in c:
            discharge.append(c)
        elif low.startswith("c") or "chg" in low or "charge" in low or "充" in c:
            charge.append(c)
    return charge, discharge


# --------------------------------------------------------------------------------------------
# reading
# --------------------------------------------------------------------------------------------


def _resolve(
    path: Path, columns: list[str], name: str | None, role: str, line: int | None
) -> str | None:
    if not name:
        return None
    if name in columns:
        return name
    j = find_column(columns, (name,))
    if j is None:
        norm = normalize_name(name)
        j = next((k for k, c in enumerate(columns) if normalize_name(c) == norm), None)
    if j is None:
        raise ReaderError(
            path,
            f"column {name!r} (mapped to {role}) is not in the file",
            line=line,
            expected=f"one of {columns}",
        )
    return columns[j]


def read_with_mapping(path: str | Path, mapping: ColumnMapping) -> list[ImportedData]:
    """Read ``path`` into one cycling table as ``mapping`` says (see the module docstring)."""
    path = Path(path)
    problems = mapping.problems()
    if problems:
        raise ReaderError(path, "the column mapping is incomplete: " + "; ".join(problems))
    head = read_head(path, 8)
    if not head:
        raise ReaderError(path, "file is empty", line=1, expected="a delimited text or xlsx file")
    if is_zip(head):
        return [_read_xlsx(path, mapping)]
    return [_read_text(path, mapping)]


def _read_text(path: Path, mapping: ColumnMapping) -> ImportedData:
    raw_head, encoding, lines, delimiter, decimal, rows = _text_rows(path, mapping)
    if mapping.header_line is None:
        h, first = _detect_header(rows, decimal)
    else:
        h = mapping.header_line - 1
        first = (h + 1 if h >= 0 else 0) + mapping.skip_rows
    if h >= len(lines):
        raise ReaderError(
            path,
            f"file has {len(lines)} lines, fewer than the header line {h + 1}",
            line=len(lines),
            expected=f"column names on line {h + 1}",
        )
    sample = [r for r in rows[first : first + 50] if r]
    width = max((len(r) for r in sample), default=0)
    if h >= 0:
        names = list(rows[h])
        while names and names[-1] == "" and len(names) > width:
            names.pop()
        names = dedupe_names(names + [""] * max(0, width - len(names)))
    else:
        names = [f"Column {k}" for k in range(1, width + 1)]
    if not sample:
        raise ReaderError(
            path, "no data rows", line=first + 1, expected="data rows below the header"
        )
    cols = _mapped_columns(path, mapping, names, h + 1 if h >= 0 else None)
    offsets = line_offsets(raw_head, first + 1)
    if len(offsets) <= first:
        raise ReaderError(path, "the data rows start beyond the first 512 kB", line=first + 1)
    numeric = [cols[r] for r in ("voltage", "current", "step", "cycle", "capacity") if cols.get(r)]
    text_cols = [cols["state"]] if cols.get("state") else []
    (numeric if mapping.time_format == "seconds" else text_cols).append(cols["time"])
    df = read_numeric_block(
        path,
        offset=offsets[first],
        first_line=first + 1,
        names=names,
        usecols=list(dict.fromkeys(numeric + text_cols)),
        delimiter=delimiter,
        decimal=decimal,
        encoding="utf-8" if encoding in ("utf-8", "utf-8-sig") else encoding,
        text_columns=text_cols,
        quoted=delimiter != "\t",
    )
    values = {role: df[c] for role, c in cols.items() if c}
    meta = {
        "source_format": "delimited text via column mapping",
        "encoding": encoding,
        "delimiter": delimiter,
        "decimal_separator": decimal,
    }
    return _assemble(path, mapping, values, meta, first_data_line=first + 1)


def _read_xlsx(path: Path, mapping: ColumnMapping) -> ImportedData:
    import pandas as pd

    with XlsxBook(path) as book:
        sheet = mapping.sheet or (book.sheet_names[0] if book.sheet_names else None)
        if sheet not in book.sheet_names:
            raise ReaderError(path, f"no sheet {sheet!r}", expected=f"one of {book.sheet_names}")
        cells = book.read_sheet(sheet)
    rows = [["" if v is None else _cell_text(v) for v in r] for r in cells.head_rows(300)]
    if mapping.header_line is None:
        h, first = _detect_header(rows, ".")
    else:
        h = mapping.header_line - 1
        first = (h + 1 if h >= 0 else 0) + mapping.skip_rows
    width = cells.n_cols
    names = (
        dedupe_names(rows[h] + [""] * max(0, width - len(rows[h])))
        if 0 <= h < len(rows)
        else [f"Column {k}" for k in range(1, width + 1)]
    )
    cols = _mapped_columns(path, mapping, names, h + 1 if h >= 0 else None)
    n = cells.n_rows - first
    if n <= 0:
        raise ReaderError(path, f"sheet {sheet!r} has no data rows", line=first + 1)
    values: dict[str, Any] = {}
    for role, c in cols.items():
        if not c:
            continue
        j = names.index(c)
        if role == "state" or (role == "time" and mapping.time_format != "seconds"):
            obj = cells.object_column(j, first, n)
            if role == "time" and mapping.time_format == "datetime":
                nums = pd.to_numeric(pd.Series(obj), errors="coerce")
                if nums.notna().all():  # Excel serial days
                    obj = pd.Series((nums - nums.iloc[0]) * 86400.0)
                    values["time_seconds"] = obj.to_numpy(float)
            values[role] = pd.Series(obj)
            continue
        vals, bad = cells.numeric_column(j, first, n)
        if bad is not None:
            raise ReaderError(
                path,
                f"sheet {sheet!r}: value in column {c!r} is not a number",
                line=bad + 1,
                expected="numbers (line = sheet row)",
            )
        values[role] = pd.Series(vals)
    keep = ~(values["voltage"].isna() & values["current"].isna()).to_numpy()
    values = {
        k: (v[keep].reset_index(drop=True) if isinstance(v, pd.Series) else v[keep])
        for k, v in values.items()
    }
    meta = {"source_format": "xlsx via column mapping", "sheet": sheet}
    return _assemble(path, mapping, values, meta, first_data_line=first + 1)


def _mapped_columns(
    path: Path, mapping: ColumnMapping, names: list[str], header_line: int | None
) -> dict[str, str | None]:
    return {
        role: _resolve(path, names, getattr(mapping, f"{role}_column"), role, header_line)
        for role in ("time", "voltage", "current", "step", "cycle", "capacity", "state")
    }


@dataclass
class MappedColumns:
    """The columns of a mapped table in the cycling schema (before the cycling checks).

    ``bad_time_row``: index of the first row whose time could not be read (None when all
    could, or only the last, e.g. a truncated final row).
    """

    time_s: np.ndarray
    voltage_V: np.ndarray
    current_mA: np.ndarray
    extras: dict[str, np.ndarray]
    start_time: str | None = None
    bad_time_row: int | None = None


def convert_mapped(mapping: ColumnMapping, values: dict[str, Any]) -> MappedColumns:
    """Apply ``mapping`` to the raw column ``values`` (role -> numbers, or text for the time
    of ``duration``/``datetime`` formats and for the state column): units to s, V, mA and mAh,
    the date format, the charge/discharge state codes and the current's sign.

    The import and the column-mapping dialog's preview both call this, so the preview shows
    the numbers the import gives.
    """
    import pandas as pd

    def num(role: str) -> np.ndarray:
        return np.asarray(pd.to_numeric(values[role], errors="coerce"), dtype=np.float64)

    start_time = None
    if "time_seconds" in values:
        time_s = values["time_seconds"]
    elif mapping.time_format == "seconds":
        time_s = num("time") * TIME_TO_S[normalize_unit(mapping.time_unit)]
    elif mapping.time_format == "duration":
        time_s = parse_durations(values["time"])
    else:
        raw = pd.Series(values["time"])
        if mapping.datetime_format:
            dt = pd.to_datetime(raw, format=mapping.datetime_format, errors="coerce")
        else:
            dt = parse_datetimes(raw)
        first = dt.dropna()
        time_s = (
            (dt - first.iloc[0]).dt.total_seconds().to_numpy(float)
            if len(first)
            else np.full(len(dt), np.nan)
        )
        if len(first):
            start_time = first.iloc[0].isoformat()
    time_s = np.asarray(time_s, dtype=float)
    bad = np.flatnonzero(np.isnan(time_s))
    bad_row = None
    if len(bad) and not (len(bad) == 1 and bad[0] == len(time_s) - 1):
        bad_row = int(bad[0])
    current = num("current") * CURRENT_TO_MA[normalize_unit(mapping.current_unit)]
    if mapping.current_sign == "unsigned_with_state":
        state = pd.Series(values["state"]).fillna("").astype(str).str.strip().str.lower()
        charge = {c.strip().lower() for c in mapping.charge_codes}
        discharge = {c.strip().lower() for c in mapping.discharge_codes}
        sign = np.where(state.isin(charge), 1.0, np.where(state.isin(discharge), -1.0, 0.0))
        current = np.abs(current) * sign
    elif mapping.invert_current:
        current = -current
    extras: dict[str, np.ndarray] = {}
    if mapping.step_column:
        extras["step_index"] = num("step")
    if mapping.cycle_column:
        extras["source_cycle"] = num("cycle")
    if mapping.capacity_column:
        extras["capacity_mAh"] = (
            num("capacity") * CAPACITY_TO_MAH[normalize_unit(mapping.capacity_unit)]
        )
    voltage = num("voltage") * VOLTAGE_TO_V[normalize_unit(mapping.voltage_unit)]
    return MappedColumns(time_s, voltage, current, extras, start_time, bad_row)


def _assemble(
    path: Path,
    mapping: ColumnMapping,
    values: dict[str, Any],
    meta: dict[str, Any],
    *,
    first_data_line: int,
) -> ImportedData:
    import pandas as pd

    mapped = convert_mapped(mapping, values)
    if mapped.start_time is not None:
        meta["start_time"] = mapped.start_time
    if mapped.bad_time_row is not None:
        raw = pd.Series(values["time"]).iloc[mapped.bad_time_row]
        raise ReaderError(
            path,
            f"value {raw!r} in time column {mapping.time_column!r} is not a {mapping.time_format} time",
            line=first_data_line + mapped.bad_time_row,
            expected={
                "seconds": "a number",
                "duration": "hh:mm:ss",
                "datetime": mapping.datetime_format or "a date and time",
            }[mapping.time_format],
        )
    if mapping.capacity_column and mapping.capacity_semantics != "unknown":
        meta["capacity_semantics"] = mapping.capacity_semantics  # analyses refuse unknown
    if mapping.active_mass_mg:
        meta["active_mass_mg"] = float(mapping.active_mass_mg)
        meta["active_mass_source"] = "column mapping"
    meta["mapping"] = mapping.to_dict()
    return build_cycling(
        path,
        time_s=mapped.time_s,
        voltage_V=mapped.voltage_V,
        current_mA=mapped.current_mA,
        extras=mapped.extras,
        metadata=meta,
        label=mapping.name or path.stem,
        reader=NAME,
        first_data_line=first_data_line,
    )
