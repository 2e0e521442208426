"""Fast read-only access to ``.xlsx`` worksheets for the readers, plus head-only sniffing.

An ``.xlsx`` is a zip of XML parts (``xl/workbook.xml`` names the sheets, each sheet is
``xl/worksheets/sheetN.xml``, text cells point into ``xl/sharedStrings.xml``). Cycler exports
are large, plain grids of numbers, so :class:`XlsxBook` scans a sheet's XML with one regular
expression (about 4x faster than openpyxl's read-only mode on a 62,000-row Landt sheet) and keeps
the cells as numpy arrays. Anything unusual (cells without ``r`` references, a damaged part)
falls back to ``openpyxl`` (``read_only=True, values_only=True``).

Conventions: rows and columns are 0-based here (sheet row 1 is row 0); cell values are floats,
str, bool or (openpyxl fallback only) datetime objects. Dates stored as numbers stay Excel serial
days (:func:`excel_serial_to_datetime` converts them); styles are not read.

:func:`sheet_names_from_head` lets sniffers read the sheet names from the first bytes of the
file when ``xl/workbook.xml`` lies within them (it usually comes first in the zip).
"""

from __future__ import annotations

import html
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import numpy as np

from ..errors import ReaderError
from .files import read_head

ZIP_MAGIC = b"PK\x03\x04"
_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

_CELL = re.compile(
    rb'<(?:[A-Za-z_][\w.\-]*:)?c\s+r="([A-Z]{1,3})(\d+)"([^>]*?)(?:/>|>(.*?)</(?:[A-Za-z_][\w.\-]*:)?c>)',
    re.S,
)
_CELL_OPEN = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?c[\s>/]")
_TYPE = re.compile(rb'\bt="(\w+)"')
_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?v>(.*?)</(?:[A-Za-z_][\w.\-]*:)?v>", re.S)
_TEXT = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?t(?:\s[^>]*)?>(.*?)</(?:[A-Za-z_][\w.\-]*:)?t>", re.S)

#: Cell kinds in :class:`SheetCells`.
NUMBER, TEXT, BOOL, ERROR, OTHER = 0, 1, 2, 3, 4


def is_zip(head: bytes) -> bool:
    """Whether ``head`` starts a zip archive (xlsx, ndax, ...)."""
    return head.startswith(ZIP_MAGIC)


def require_xlsx(path: Path, expected: str) -> None:
    """Raise :class:`ReaderError` unless ``path`` starts like a zip (an xlsx workbook).

    ``expected`` names the export in the message (e.g. ``"a Landt .xlsx export"``); an empty file
    and a non-zip file get their own reasons.
    """
    head = read_head(path, len(ZIP_MAGIC))
    if not head:
        raise ReaderError(path, "file is empty", expected=expected)
    if not is_zip(head):
        raise ReaderError(path, "not an xlsx workbook", expected=expected)


def _zip_entries_in_head(head: bytes) -> dict[str, bytes]:
    """Decompressed zip members whose data lie entirely within ``head`` (local headers only)."""
    out: dict[str, bytes] = {}
    pos = 0
    while pos + 30 <= len(head) and head[pos : pos + 4] == ZIP_MAGIC:
        (_, _, flags, method, _, _, _, csize, _, nlen, xlen) = struct.unpack_from(
            "<IHHHHHIIIHH", head, pos
        )
        name = head[pos + 30 : pos + 30 + nlen].decode("utf-8", "replace")
        start = pos + 30 + nlen + xlen
        if flags & 0x08:  # sizes in a trailing data descriptor: deflate ends by itself
            if method != 8:
                break
            d = zlib.decompressobj(-15)
            try:
                data = d.decompress(head[start:])
            except zlib.error:
                break
            if not d.eof:
                break
            out[name] = data
            pos = len(head) - len(d.unused_data)
            if head[pos : pos + 4] == b"PK\x07\x08":
                pos += 4
            pos += 12  # crc32, compressed size, uncompressed size (zip32)
            continue
        end = start + csize
        if end > len(head):
            break
        raw = head[start:end]
        try:
            if method == 8:
                out[name] = zlib.decompress(raw, -15)
            elif method == 0:
                out[name] = raw
        except zlib.error:
            break
        pos = end
    return out


def sheet_names_from_head(head: bytes) -> list[str] | None:
    """Sheet names of an xlsx from its first bytes, or None when ``xl/workbook.xml`` is not there."""
    if not is_zip(head):
        return None
    entries = _zip_entries_in_head(head)
    wb = entries.get("xl/workbook.xml")
    if wb is None:
        return None
    return [html.unescape(m.decode("utf-8", "replace")) for m in _sheet_names_re.findall(wb)]


_sheet_names_re = re.compile(rb'<(?:[A-Za-z_][\w.\-]*:)?sheet\b[^>]*?\bname="([^"]*)"')


def head_members_text(head: bytes) -> dict[str, str]:
    """Text of every zip member lying entirely within ``head`` (name -> decoded XML)."""
    if not is_zip(head):
        return {}
    return {k: v.decode("utf-8", "replace") for k, v in _zip_entries_in_head(head).items()}


def excel_serial_to_datetime(serial: float) -> datetime:
    """Excel's serial day number (1900 date system) as a datetime."""
    ms = round(float(serial) * 86_400_000.0)  # Excel stores ~15 digits: keep milliseconds
    return datetime(1899, 12, 30) + timedelta(milliseconds=ms)


@dataclass
class SheetCells:
    """The non-empty cells of one worksheet, as parallel arrays (0-based rows/columns)."""

    name: str
    rows: np.ndarray
    cols: np.ndarray
    kinds: np.ndarray
    values: list[Any]
    _numeric: np.ndarray | None = field(default=None, repr=False)

    @property
    def n_rows(self) -> int:
        """Number of rows up to the last non-empty one."""
        return int(self.rows.max()) + 1 if len(self.rows) else 0

    @property
    def n_cols(self) -> int:
        """Number of columns up to the last non-empty one."""
        return int(self.cols.max()) + 1 if len(self.cols) else 0

    def row_values(self, row: int) -> list[Any]:
        """The values of one row as a list (None for empty cells)."""
        idx = np.flatnonzero(self.rows == row)
        out: list[Any] = [None] * (int(self.cols[idx].max()) + 1 if len(idx) else 0)
        for i in idx:
            out[int(self.cols[i])] = self._value(int(i))
        return out

    def head_rows(self, n: int) -> list[list[Any]]:
        """The first ``n`` rows (for header detection and previews)."""
        return [self.row_values(r) for r in range(min(n, self.n_rows))]

    def _value(self, i: int) -> Any:
        k = self.kinds[i]
        v = self.values[i]
        if k == NUMBER and not isinstance(v, float):
            return float(v)
        return v

    def _numbers(self) -> np.ndarray:
        if self._numeric is None:
            num = np.full(len(self.kinds), np.nan)
            m = self.kinds == NUMBER
            if m.any():
                raw = [self.values[i] for i in np.flatnonzero(m)]
                if raw and isinstance(raw[0], bytes):
                    num[m] = np.array(raw, dtype="S").astype(np.float64)
                else:
                    num[m] = np.asarray(raw, dtype=np.float64)
            self._numeric = num
        return self._numeric

    def numeric_column(
        self, col: int, first_row: int, n_rows: int | None = None
    ) -> tuple[np.ndarray, int | None]:
        """Float values of column ``col`` from ``first_row`` on (NaN where empty).

        Returns ``(values, bad_row)``: ``bad_row`` is the 0-based sheet row of the first cell
        holding text that is not a number (such cells are NaN), or None.
        """
        end = self.n_rows if n_rows is None else first_row + n_rows
        out = np.full(max(end - first_row, 0), np.nan)
        m = (self.cols == col) & (self.rows >= first_row) & (self.rows < end)
        idx = np.flatnonzero(m)
        if not len(idx):
            return out, None
        pos = self.rows[idx] - first_row
        num = self._numbers()[idx]
        bad_row = None
        text = self.kinds[idx] != NUMBER
        if text.any():
            for j in np.flatnonzero(text):
                v = self.values[int(idx[j])]
                k = self.kinds[idx[j]]
                if k == BOOL:
                    num[j] = float(bool(v))
                    continue
                if k == OTHER:
                    continue  # datetimes etc.: not numbers, callers convert them
                s = str(v).strip()
                if not s:
                    continue
                try:
                    num[j] = float(s.replace(",", ".") if s.count(",") == 1 else s)
                except ValueError:
                    if bad_row is None:
                        bad_row = int(self.rows[idx[j]])
        out[pos] = num
        return out, bad_row

    def object_column(self, col: int, first_row: int, n_rows: int | None = None) -> np.ndarray:
        """Values of column ``col`` from ``first_row`` on as an object array (None where empty)."""
        end = self.n_rows if n_rows is None else first_row + n_rows
        out = np.full(max(end - first_row, 0), None, dtype=object)
        m = (self.cols == col) & (self.rows >= first_row) & (self.rows < end)
        idx = np.flatnonzero(m)
        if not len(idx):
            return out
        num = self._numbers()
        for i in idx:
            k = self.kinds[i]
            out[int(self.rows[i]) - first_row] = num[i] if k == NUMBER else self.values[int(i)]
        return out


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n - 1


class XlsxBook:
    """A read-only xlsx workbook: sheet names and fast cell access (use as a context manager)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise ReaderError(
                self.path,
                f"cannot be opened as an xlsx workbook, damaged or truncated ({exc})",
                expected="a complete .xlsx file",
            ) from None
        self._shared: list[str] | None = None
        try:
            self._sheets = self._read_workbook()
        except (KeyError, ElementTree.ParseError) as exc:
            self._zip.close()
            raise ReaderError(
                self.path, f"not an xlsx workbook (no valid xl/workbook.xml: {exc})"
            ) from None

    def __enter__(self) -> XlsxBook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the underlying zip file."""
        self._zip.close()

    @property
    def sheet_names(self) -> list[str]:
        """Sheet names in workbook order."""
        return [name for name, _ in self._sheets]

    def _read_workbook(self) -> list[tuple[str, str]]:
        wb = ElementTree.fromstring(self._zip.read("xl/workbook.xml"))
        rels: dict[str, str] = {}
        try:
            rel_root = ElementTree.fromstring(self._zip.read("xl/_rels/workbook.xml.rels"))
            for rel in rel_root.iter(f"{{{_NS_PKG_REL}}}Relationship"):
                target = rel.get("Target", "")
                if target.startswith("/"):
                    target = target[1:]
                elif not target.startswith("xl/"):
                    target = "xl/" + target
                rels[rel.get("Id", "")] = target
        except KeyError:
            pass
        sheets = []
        for k, sh in enumerate(wb.iter(f"{{{_NS_MAIN}}}sheet"), start=1):
            rid = sh.get(f"{{{_NS_REL}}}id", "")
            sheets.append(
                (sh.get("name", f"Sheet{k}"), rels.get(rid, f"xl/worksheets/sheet{k}.xml"))
            )
        return sheets

    def _shared_strings(self) -> list[str]:
        if self._shared is None:
            self._shared = []
            try:
                root = ElementTree.fromstring(self._zip.read("xl/sharedStrings.xml"))
            except KeyError:
                return self._shared
            for si in root.iter(f"{{{_NS_MAIN}}}si"):
                self._shared.append("".join(t.text or "" for t in si.iter(f"{{{_NS_MAIN}}}t")))
        return self._shared

    def read_sheet(self, name: str) -> SheetCells:
        """All cells of sheet ``name``."""
        part = dict(self._sheets).get(name)
        if part is None:
            raise ReaderError(self.path, f"no sheet named {name!r}", expected=str(self.sheet_names))
        try:
            xml = self._zip.read(part)
        except KeyError:
            return self._read_sheet_openpyxl(name)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise ReaderError(
                self.path,
                f"sheet {name!r} cannot be unpacked: the workbook is damaged or truncated ({exc})",
                expected="a complete .xlsx file",
            ) from None
        cells = self._parse_fast(name, xml)
        return cells if cells is not None else self._read_sheet_openpyxl(name)

    def _parse_fast(self, name: str, xml: bytes) -> SheetCells | None:
        matches = _CELL.findall(xml)
        n_open = xml.count(b"<c ") + xml.count(b"<c>") + xml.count(b"<c/>")
        if n_open != len(matches) and len(_CELL_OPEN.findall(xml)) != len(matches):
            return None
        n = len(matches)
        if n == 0:
            return SheetCells(name, np.zeros(0, int), np.zeros(0, int), np.zeros(0, np.uint8), [])
        letters = [m[0] for m in matches]
        rows = np.array([m[1] for m in matches], dtype="S").astype(np.int64) - 1
        uniq = {c: _col_index(c) for c in set(letters)}
        cols = np.fromiter((uniq[c] for c in letters), dtype=np.int64, count=n)
        kinds = np.zeros(n, dtype=np.uint8)
        values: list[Any] = [None] * n
        shared = None
        for i, (_, _, attrs, inner) in enumerate(matches):
            t = _TYPE.search(attrs) if b"t=" in attrs else None
            typ = t.group(1) if t else b"n"
            if inner.startswith(b"<v>") and inner.endswith(b"</v>"):
                v = inner[3:-4]
            else:
                vm = _VALUE.search(inner) if inner else None
                v = vm.group(1) if vm else None
            if typ == b"n":
                if v is None or v == b"":
                    kinds[i] = OTHER
                    continue
                values[i] = v
            elif typ == b"s":
                if shared is None:
                    shared = self._shared_strings()
                kinds[i] = TEXT
                try:
                    values[i] = shared[int(v)]
                except (TypeError, ValueError, IndexError):
                    values[i] = ""
            elif typ == b"inlineStr":
                kinds[i] = TEXT
                values[i] = html.unescape(
                    "".join(x.decode("utf-8", "replace") for x in _TEXT.findall(inner))
                )
            elif typ == b"b":
                kinds[i] = BOOL
                values[i] = v == b"1"
            elif typ == b"e":
                kinds[i] = ERROR
                values[i] = (v or b"").decode("utf-8", "replace")
            else:  # "str" (formula text), "d" (ISO date)
                kinds[i] = TEXT
                values[i] = html.unescape((v or b"").decode("utf-8", "replace"))
        keep = np.array([v is not None for v in values], dtype=bool)
        if not keep.all():
            idx = np.flatnonzero(keep)
            rows, cols, kinds = rows[idx], cols[idx], kinds[idx]
            values = [values[i] for i in idx]
        return SheetCells(name, rows, cols, kinds, values)

    def _read_sheet_openpyxl(self, name: str) -> SheetCells:
        try:
            import openpyxl
        except ImportError:  # pragma: no cover - openpyxl is a hard dependency
            raise ReaderError(self.path, "openpyxl is not installed") from None
        try:
            wb = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types on damaged files
            raise ReaderError(self.path, f"cannot open the workbook ({exc})") from None
        try:
            ws = wb[name]
            rows: list[int] = []
            cols: list[int] = []
            kinds: list[int] = []
            values: list[Any] = []
            for r, row in enumerate(ws.iter_rows(values_only=True)):
                for c, v in enumerate(row):
                    if v is None or v == "":
                        continue
                    rows.append(r)
                    cols.append(c)
                    if isinstance(v, bool):
                        kinds.append(BOOL)
                    elif isinstance(v, (int, float)):
                        kinds.append(NUMBER)
                        v = float(v)
                    elif isinstance(v, str):
                        kinds.append(TEXT)
                    else:
                        kinds.append(OTHER)
                    values.append(v)
        finally:
            wb.close()
        return SheetCells(
            name,
            np.asarray(rows, dtype=np.int64),
            np.asarray(cols, dtype=np.int64),
            np.asarray(kinds, dtype=np.uint8),
            values,
        )


def find_header_row(
    cells: SheetCells, required: list[tuple[str, ...]], *, max_rows: int = 50
) -> tuple[int, list[str]] | None:
    """The first of the top ``max_rows`` rows whose text cells satisfy every group in ``required``.

    Each group is a tuple of alternative normalized names (see :func:`.text.find_column`). Returns
    ``(row, headers)`` with headers as strings ("" for empty cells), or None.
    """
    from .text import find_column

    for r in range(min(max_rows, cells.n_rows)):
        vals = cells.row_values(r)
        headers = ["" if v is None else str(v).strip() for v in vals]
        if sum(1 for h in headers if h) < 2:
            continue
        if all(find_column(headers, group) is not None for group in required):
            return r, headers
    return None
