"""Shared helpers for every text-export reader (cycling now, impedance and XPS later).

What is here:

- files: :func:`read_head` and :func:`read_all` (from :mod:`.files`) turn OS errors into
  :class:`ReaderError`; :func:`require_text` refuses empty and binary heads;
- decoding: :func:`decode_bytes` tries UTF-8 (with or without BOM), then cp1252, then latin-1 and
  says which one worked; :func:`looks_binary` spots files that are not text at all;
- lines: :func:`split_lines` handles CRLF, LF and lone CR; :func:`first_nonblank` skips leading
  blank lines; :func:`line_offsets` maps line numbers to byte offsets (so pandas can start
  reading right at the data block, whatever the header holds);
- table layout: :func:`detect_delimiter`, :func:`detect_decimal`, :func:`split_fields`;
- header names and units: :func:`parse_unit` (``"Current(mA)" -> ("Current", "mA")``,
  ``"I/mA" -> ("I", "mA")``), :func:`normalize_unit`, :func:`find_column`, and the unit tables
  :data:`CURRENT_TO_MA`, :data:`VOLTAGE_TO_V`, :data:`TIME_TO_S`, :data:`CAPACITY_TO_MAH`,
  :data:`MASS_TO_MG`, :data:`ENERGY_TO_WH` with :func:`unit_factor` and :func:`column_factor`;
- values: :func:`parse_durations` (``hh:mm:ss(.fff)``, ``d-hh:mm:ss``, ``0d 00:00:5.05``,
  ``144:02:18``), :func:`parse_datetimes`, :func:`parse_number`;
- tables: :func:`locate_table` finds the header line below any preamble and returns a
  :class:`TextTable` (:func:`require_table`: the same from a file, or a :class:`ReaderError`) (delimiter, decimal, byte offset of the data); :func:`read_table_columns`
  and :func:`read_numeric_block` parse only the wanted columns of the data block (polars when
  importable, else the pandas C parser; about 0.4 s / 0.9 s for 1 M rows x 18 columns) and turn
  every parse failure into a :class:`ReaderError` naming the file line;
  :func:`seconds_from_column` converts a time column of any kind to seconds.

Line numbers in messages are 1-based, counted in the file as a text editor shows them.
"""

from __future__ import annotations

import csv
import io
import mmap
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import numpy as np

from ..errors import ReaderError
from .files import read_all as read_all  # re-exported for the readers
from .files import read_head as read_head
from .light_frame import LightFrame, read_block_numpy

if TYPE_CHECKING:
    import pandas as pd

# --------------------------------------------------------------------------------------------
# bytes and decoding
# --------------------------------------------------------------------------------------------

#: Encodings tried in order by :func:`decode_bytes` (latin-1 never fails, so it comes last).
TEXT_ENCODINGS: tuple[str, ...] = ("utf-8-sig", "cp1252", "latin-1")

_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a zip archive (xlsx, ndax, ...)"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (xls/doc)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BIO-LOGIC MODULAR FILE", "a BioLogic binary .mpr file"),
    (b"\x89HDF", "an HDF5 file"),
)


def looks_binary(head: bytes) -> str | None:
    """What kind of binary file ``head`` starts (e.g. ``"a PNG image"``), or None for text.

    Text files never hold NUL bytes in the 8-bit encodings readers parse; UTF-16 exports are
    decoded to UTF-8 by the registry (:func:`.files.utf16_encoding`) before a reader sees them.
    """
    for magic, what in _BINARY_MAGIC:
        if head.startswith(magic):
            return what
    if b"\x00" in head[:8192]:
        return "a binary file"
    return None


def require_text(path: Path, head: bytes, expected: str) -> None:
    """Raise :class:`ReaderError` when ``head`` is empty or binary."""
    if not head.strip():
        raise ReaderError(path, "file is empty", line=1, expected=expected)
    what = looks_binary(head)
    if what:
        raise ReaderError(path, f"is {what}, not a text export", line=1, expected=expected)


def decode_bytes(data: bytes, *, partial: bool = False) -> tuple[str, str]:
    """Decode ``data`` and report the encoding used.

    Order: UTF-8 (``"utf-8-sig"`` when a BOM is present, else ``"utf-8"``), cp1252 (Windows
    exports: ``µ`` is byte 0xB5), latin-1 (always succeeds). With ``partial=True`` a multi-byte
    UTF-8 character cut at the end of ``data`` (a file head) does not count as an error.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        body = data[3:]
        try:
            return _decode_utf8(body, partial), "utf-8-sig"
        except UnicodeDecodeError:
            data = body  # a BOM followed by non-UTF-8 bytes: fall through on the rest
    try:
        return _decode_utf8(data, partial), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _decode_utf8(data: bytes, partial: bool) -> str:
    if not partial:
        return data.decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3:  # a character cut by the head boundary
            return data[: exc.start].decode("utf-8")
        raise


# --------------------------------------------------------------------------------------------
# lines
# --------------------------------------------------------------------------------------------

_NEWLINE = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """Split on CRLF, LF or lone CR (not on the other characters ``str.splitlines`` uses)."""
    lines = _NEWLINE.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def first_nonblank(lines: Sequence[str], start: int = 0) -> int:
    """Index of the first line at or after ``start`` that holds more than whitespace.

    Returns ``len(lines)`` when there is none.
    """
    i = start
    while i < len(lines) and not lines[i].strip():
        i += 1
    return i


def line_offsets(data: bytes, n_lines: int) -> list[int]:
    """Byte offsets of the starts of the first ``n_lines`` lines of ``data`` (CRLF/LF/CR aware).

    The list may be shorter than ``n_lines`` when ``data`` ends first; its last entry may then be
    ``len(data)`` when ``data`` ends with a newline.
    """
    offsets = [0]
    pos = 0
    n = len(data)
    while len(offsets) < n_lines:
        lf = data.find(b"\n", pos)
        cr = data.find(b"\r", pos)
        if lf < 0 and cr < 0:
            break
        if cr >= 0 and (lf < 0 or cr < lf):
            pos = cr + 2 if data[cr + 1 : cr + 2] == b"\n" else cr + 1
        else:
            pos = lf + 1
        if pos >= n:
            offsets.append(n)
            break
        offsets.append(pos)
    return offsets


# --------------------------------------------------------------------------------------------
# delimiters, decimal separator, fields
# --------------------------------------------------------------------------------------------

#: Candidate delimiters in order of preference when counts tie. ``" "`` means "runs of blanks".
DELIMITERS: tuple[str, ...] = ("\t", ";", ",", "|")
_NUMBER_DOT = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_NUMBER_COMMA = re.compile(r"^[+-]?(\d+,\d*|,\d+)([eE][+-]?\d+)?$")
_INTEGER = re.compile(r"^[+-]?\d+$")


def detect_delimiter(lines: Iterable[str]) -> str:
    """The field delimiter of a block of table lines: tab, ``;``, ``,``, ``|`` or ``" "``.

    The delimiter that splits the most lines into the same number (> 1) of fields wins; ties go
    to the earlier entry of :data:`DELIMITERS`. ``" "`` (runs of spaces) is the fallback.
    """
    sample = [ln for ln in lines if ln.strip()][:200]
    if not sample:
        return ","
    best: tuple[int, int, str] | None = None
    for rank, delim in enumerate(DELIMITERS):
        counts = Counter(ln.rstrip(delim + " ").count(delim) for ln in sample)
        n_fields, n_lines = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
        if n_fields == 0:
            continue
        score = (n_lines, n_fields, -rank)
        if best is None or score > (best[0], best[1], -DELIMITERS.index(best[2])):
            best = (n_lines, n_fields, delim)
    if best is not None:
        return best[2]
    return " "


def split_fields(line: str, delimiter: str) -> list[str]:
    """Split one line into stripped fields (``" "`` splits on runs of whitespace)."""
    if delimiter == " ":
        return line.split()
    return [f.strip() for f in line.split(delimiter)]


def head_lines(head: bytes, n_lines: int) -> list[str]:
    """The first ``n_lines`` lines of a file head for a sniffer; ``[]`` when empty or binary."""
    if not head or looks_binary(head):
        return []
    text, _ = decode_bytes(head, partial=True)
    return split_lines(text)[:n_lines]


def find_header_fields(
    lines: Iterable[str],
    is_header: Callable[[list[str]], bool],
    *,
    delimiters: Sequence[str] = (",", "\t", ";"),
    min_fields: int = 4,
) -> list[str] | None:
    """The stripped fields of the first line that ``is_header`` accepts, or None.

    Each line is split on each of ``delimiters`` in turn (:func:`split_fields`); a split with
    fewer than ``min_fields`` fields is not offered to ``is_header``.
    """
    for ln in lines:
        for d in delimiters:
            fields = split_fields(ln, d)
            if len(fields) >= min_fields and is_header(fields):
                return fields
    return None


def detect_decimal(lines: Iterable[str], delimiter: str) -> str:
    """``","`` when numbers in the fields use a decimal comma (``0,5`` / ``1,2E-003``), else ``"."``.

    With ``,`` as delimiter the decimal separator is necessarily ``"."``.
    """
    if delimiter == ",":
        return "."
    n_comma = n_dot = 0
    for ln in lines:
        for f in split_fields(ln, delimiter):
            if _NUMBER_COMMA.match(f):
                n_comma += 1
            elif _NUMBER_DOT.match(f) and not _INTEGER.match(f):
                n_dot += 1
    return "," if n_comma > n_dot else "."


def is_number(text: str, decimal: str = ".") -> bool:
    """Whether ``text`` (stripped) is a plain number in the given decimal convention."""
    text = text.strip()
    if decimal == ",":
        return bool(_NUMBER_COMMA.match(text) or _INTEGER.match(text))
    return bool(_NUMBER_DOT.match(text))


def parse_number(text: str, decimal: str = ".") -> float:
    """``float(text)`` after swapping a decimal comma; ValueError when it is not a number."""
    text = text.strip()
    if decimal == ",":
        text = text.replace(".", "").replace(",", ".") if text.count(",") == 1 else text
    return float(text)


# --------------------------------------------------------------------------------------------
# header names and units
# --------------------------------------------------------------------------------------------

_UNIT_ALIASES: dict[str, str] = {
    "ma.h": "mAh",
    "a.h": "Ah",
    "ua.h": "uAh",
    "mah": "mAh",
    "ah": "Ah",
    "uah": "uAh",
    "na.h": "nAh",
    "w.h": "Wh",
    "mw.h": "mWh",
    "wh": "Wh",
    "mwh": "mWh",
    "kwh": "kWh",
    "sec": "s",
    "secs": "s",
    "second": "s",
    "seconds": "s",
    "s": "s",
    "ms": "ms",
    "min": "min",
    "mins": "min",
    "minute": "min",
    "minutes": "min",
    "h": "h",
    "hr": "h",
    "hrs": "h",
    "hour": "h",
    "hours": "h",
    "d": "d",
    "day": "d",
    "days": "d",
    "a": "A",
    "ma": "mA",
    "ua": "uA",
    "na": "nA",
    "amps": "A",
    "amp": "A",
    "v": "V",
    "mv": "mV",
    "uv": "uV",
    "volts": "V",
    "volt": "V",
    "g": "g",
    "mg": "mg",
    "ug": "ug",
    "kg": "kg",
    "c": "C",
    "mc": "mC",
    "uc": "uC",
}

#: Multiply a current in the key unit by the value to get mA.
CURRENT_TO_MA: dict[str, float] = {"A": 1e3, "mA": 1.0, "uA": 1e-3, "nA": 1e-6}
#: Multiply a potential in the key unit by the value to get V.
VOLTAGE_TO_V: dict[str, float] = {"V": 1.0, "mV": 1e-3, "uV": 1e-6}
#: Multiply a time in the key unit by the value to get s.
TIME_TO_S: dict[str, float] = {"s": 1.0, "ms": 1e-3, "min": 60.0, "h": 3600.0, "d": 86400.0}
#: Multiply a charge in the key unit by the value to get mAh (1 C = 1/3.6 mAh).
CAPACITY_TO_MAH: dict[str, float] = {
    "Ah": 1e3,
    "mAh": 1.0,
    "uAh": 1e-3,
    "nAh": 1e-6,
    "C": 1 / 3.6,
    "mC": 1e-3 / 3.6,
    "uC": 1e-6 / 3.6,
}
#: Multiply a mass in the key unit by the value to get mg.
MASS_TO_MG: dict[str, float] = {"kg": 1e6, "g": 1e3, "mg": 1.0, "ug": 1e-3}
#: Multiply an energy in the key unit by the value to get Wh.
ENERGY_TO_WH: dict[str, float] = {"kWh": 1e3, "Wh": 1.0, "mWh": 1e-3, "uWh": 1e-6}

_KNOWN_UNITS = (
    set(CURRENT_TO_MA)
    | set(VOLTAGE_TO_V)
    | set(TIME_TO_S)
    | set(CAPACITY_TO_MAH)
    | set(MASS_TO_MG)
    | set(ENERGY_TO_WH)
)
_DENOMINATORS = {"g", "kg", "mg", "cm2", "cm²", "m2", "V", "s", "h", "min", "cm3", "L"}
_BRACKETED_UNIT = re.compile(r"^(?P<name>.*?)\s*[\(\[](?P<unit>[^\(\)\[\]]*)[\)\]]\s*$")


def normalize_unit(unit: str) -> str:
    """Canonical spelling of a unit: ``µA``/``μA`` -> ``uA``, ``mA.h`` -> ``mAh``, ``sec`` -> ``s``.

    Units not in the alias table come back stripped but otherwise unchanged (``"mAh/g"``, ``"%"``).
    """
    u = unit.strip().replace("µ", "u").replace("μ", "u")
    return _UNIT_ALIASES.get(u.lower(), u)


def _is_unit(text: str) -> bool:
    u = normalize_unit(text)
    if u in _KNOWN_UNITS or u in {"%", "Ohm", "W", "mW", "degC", "°C", "Hz"}:
        return True
    # compound units such as mAh/g, mA/cm2, mAh/V, Wh/kg, V/s, Ohm.cm2 (not "V/mA": a choice)
    if "/" in u:
        num, _, den = u.partition("/")
        return normalize_unit(num) in _KNOWN_UNITS | {"Ohm", "W"} and den in _DENOMINATORS
    if "." in u:
        return all(normalize_unit(p) in _KNOWN_UNITS | {"Ohm", "cm2", "cm²"} for p in u.split("."))
    return False


def parse_unit(header: str) -> tuple[str, str]:
    """Split a column header into (name, unit); unit ``""`` when there is none.

    Understands ``Current(mA)``, ``Current (A)``, ``Cap. [Ah]``, ``I/mA``, ``<I>/mA``,
    ``Ewe/V``, ``control/V/mA`` (-> ``("control/V", "mA")``), ``Q charge/discharge/mA.h``
    (-> ``("Q charge/discharge", "mA.h")``), ``Charge-SCap/mAh/g`` (-> ``"mAh/g"``),
    ``Capacitance charge/µF``. The unit is returned as written (see :func:`normalize_unit`).
    """
    text = header.strip()
    m = _BRACKETED_UNIT.match(text)
    if m and m.group("name"):
        return m.group("name").strip(), m.group("unit").strip()
    # slash forms: try the longest unit first (split at the leftmost slash that leaves a unit)
    positions = [i for i, ch in enumerate(text) if ch == "/"]
    for i in positions:
        name, unit = text[:i].strip(), text[i + 1 :].strip()
        if name and unit and _is_unit(unit):
            return name, unit
    if positions:
        i = positions[-1]
        unit = text[i + 1 :].strip()
        # e.g. "Capacitance charge/µF", "Phase(Z)/deg": a short token that is not a word
        if (
            text[:i].strip()
            and unit
            and re.fullmatch(r"[A-Za-zµμ°%]{1,4}[0-9]?", unit)
            and unit.lower() not in {"red", "ox", "dis", "chg"}
        ):
            return text[:i].strip(), unit
    return text, ""


def normalize_name(name: str) -> str:
    """Lower-case, whitespace-collapsed, ``µ``-free form of a header for comparisons."""
    n = name.strip().lower().replace("µ", "u").replace("μ", "u").replace("_", " ")
    return re.sub(r"\s+", " ", n)


def find_column(
    headers: Sequence[str], candidates: Iterable[str], *, units: Iterable[str] | None = None
) -> int | None:
    """Index of the first header matching one of ``candidates`` (in candidate order), or None.

    A candidate matches a header when their :func:`normalize_name` forms are equal, either for
    the whole header (``"Ewe/V"``) or for its name part without the unit (``"current"`` matches
    ``"Current(mA)"`` and ``"Current (A)"``). With ``units``, the header's unit must be one of
    them after :func:`normalize_unit` (e.g. only current units for a current column).
    """
    full = [normalize_name(h) for h in headers]
    parsed = [parse_unit(h) for h in headers]
    names = [normalize_name(p[0]) for p in parsed]
    allowed = None if units is None else {normalize_unit(u) for u in units}
    for cand in candidates:
        c = normalize_name(cand)
        for i in range(len(headers)):
            if full[i] == c or names[i] == c:
                if allowed is not None and normalize_unit(parsed[i][1]) not in allowed:
                    continue
                return i
    return None


def unit_factor(
    unit: str,
    table: dict[str, float],
    *,
    path: Path,
    column: str,
    line: int | None = None,
    default: str | None = None,
) -> float:
    """Factor from ``unit`` to the schema unit of ``table``; ReaderError for an unknown unit.

    ``default`` is used when the header carries no unit at all.
    """
    u = normalize_unit(unit) if unit else (default or "")
    if u in table:
        return table[u]
    raise ReaderError(
        path,
        f"column {column!r} has unit {unit or '(none)'!r}, which is not understood",
        line=line,
        expected=f"one of {', '.join(table)}",
    )


def column_factor(
    headers: Sequence[str],
    i: int,
    table: dict[str, float],
    *,
    path: Path,
    default: str | None = None,
) -> float:
    """Factor that converts column ``headers[i]`` to the schema unit of ``table`` (multiply).

    The unit comes from the header (:func:`parse_unit`, e.g. ``"Current(A)"`` with
    :data:`CURRENT_TO_MA` gives 1000.0); ``default`` is the unit assumed when the header has
    none. :class:`ReaderError` names the column when its unit is not in ``table``.
    """
    return unit_factor(
        parse_unit(headers[i])[1], table, path=path, column=headers[i], default=default
    )


# --------------------------------------------------------------------------------------------
# values
# --------------------------------------------------------------------------------------------

_DURATION_PATTERN = (
    r"^\s*(?:(?P<d>\d+)\s*(?:days|day|d|-|\.|,|\s)\s*,?\s*)?"
    r"(?P<h>\d+):(?P<m>\d{1,2}):(?P<s>\d{1,2}(?:[.,]\d*)?)\s*$"
)
_DURATION = re.compile(_DURATION_PATTERN)
_DURATION_MS = re.compile(r"^\s*(?P<m>\d+):(?P<s>\d{1,2}(?:[.,]\d*)?)\s*$")


def parse_durations(values: Sequence[object] | np.ndarray | pd.Series) -> np.ndarray:
    """Seconds from duration strings; NaN where a value does not parse.

    Accepted: ``hh:mm:ss``, ``hh:mm:ss.fff`` (hours may exceed 24: ``144:02:18``),
    ``d-hh:mm:ss``, ``d.hh:mm:ss``, ``0d 00:00:5.05`` (Maccor), ``1 day, 02:03:04``, ``mm:ss``,
    plain numbers (taken as seconds) and ``datetime.timedelta``/``datetime.time`` objects.
    Columns of strings are parsed vectorised (polars when available: ~0.3 s per million).
    """
    import pandas as pd

    s = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    inferred = pd.api.types.infer_dtype(s, skipna=True)
    if inferred in ("string", "empty"):
        return _durations_from_strings(s)
    if inferred in ("floating", "integer", "mixed-integer-float", "decimal"):
        return pd.to_numeric(s, errors="coerce").to_numpy(float, copy=True)
    out = np.full(len(s), np.nan)
    kinds = s.map(type)
    import datetime as _dt

    is_td = kinds.map(lambda k: issubclass(k, _dt.timedelta)).to_numpy(bool)
    if is_td.any():
        out[is_td] = [v.total_seconds() for v in s[is_td]]
    is_time = kinds.map(lambda k: k is _dt.time).to_numpy(bool)
    if is_time.any():
        out[is_time] = [
            v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6 for v in s[is_time]
        ]
    is_num = kinds.map(lambda k: issubclass(k, (int, float, np.integer, np.floating))).to_numpy(
        bool
    ) & ~kinds.map(lambda k: k is bool).to_numpy(bool)
    if is_num.any():
        out[is_num] = s[is_num].astype(float).to_numpy()
    is_str = kinds.map(lambda k: issubclass(k, str)).to_numpy(bool)
    if is_str.any():
        out[is_str] = _durations_from_strings(s[is_str])
    return out


def _durations_from_strings(s: pd.Series) -> np.ndarray:
    """Seconds from a Series of duration strings (None/NaN -> NaN)."""
    import pandas as pd

    vals: np.ndarray | None = None
    try:
        import polars as pl

        ps = pl.Series("v", s.to_numpy(dtype=object), dtype=pl.String, strict=False)
        # Fast path for plain h:mm:ss(.fff); rows it cannot read go through the full pattern.
        sp = ps.str.strip_chars().str.split_exact(":", 2)

        def field(i: int) -> pl.Series:
            f = sp.struct.field(f"field_{i}").str.replace(",", ".", literal=True)
            return f.cast(pl.Float64, strict=False)

        vals = (field(0) * 3600 + field(1) * 60 + field(2)).to_numpy().astype(np.float64)
        slow = np.isnan(vals)
        if slow.any():
            g = ps.filter(pl.Series(slow)).str.extract_groups(_DURATION_PATTERN)

            def part(name: str) -> pl.Series:
                return g.struct.field(name).str.replace(",", ".").cast(pl.Float64, strict=False)

            total = part("d").fill_null(0.0) * 86400 + part("h") * 3600 + part("m") * 60 + part("s")
            vals[slow] = total.to_numpy().astype(np.float64)
    except ImportError:
        pass
    strs = s.astype(str) if vals is None else None
    if vals is None:
        parts = strs.str.extract(_DURATION)
        d = pd.to_numeric(parts["d"], errors="coerce").fillna(0.0)
        h = pd.to_numeric(parts["h"], errors="coerce")
        m = pd.to_numeric(parts["m"], errors="coerce")
        sec = pd.to_numeric(parts["s"].str.replace(",", ".", regex=False), errors="coerce")
        vals = (d * 86400 + h * 3600 + m * 60 + sec).to_numpy(float, copy=True)
    missing = np.isnan(vals)
    if missing.any():  # mm:ss or plain numbers (few rows: the slow path is fine)
        rest = s[missing].astype(str)
        p2 = rest.str.extract(_DURATION_MS)
        m2 = pd.to_numeric(p2["m"], errors="coerce")
        s2 = pd.to_numeric(p2["s"].str.replace(",", ".", regex=False), errors="coerce")
        vals2 = (m2 * 60 + s2).to_numpy(float, copy=True)
        still = np.isnan(vals2)
        if still.any():
            vals2[still] = pd.to_numeric(
                rest[still].str.replace(",", ".", regex=False), errors="coerce"
            ).to_numpy(float)
        vals[missing] = vals2
    return vals


def parse_datetimes(values: Sequence[object] | np.ndarray | pd.Series) -> pd.Series:
    """Datetimes from strings or datetime objects (NaT where a value does not parse).

    ISO-like and ``mm/dd/yyyy hh:mm:ss`` strings are read; ambiguous day/month orders follow
    pandas' month-first default unless the first field exceeds 12.
    """
    import pandas as pd

    s = pd.Series(values, dtype=object) if not isinstance(values, pd.Series) else values
    try:
        return pd.to_datetime(s, errors="coerce", format="mixed")
    except (TypeError, ValueError):
        return pd.to_datetime(s.astype(str), errors="coerce", format="mixed")


def first_bad_index(numeric: np.ndarray, raw: Sequence[object] | None = None) -> int | None:
    """Index of the first NaN in ``numeric`` whose raw value was not blank, or None."""
    nan = np.flatnonzero(np.isnan(numeric))
    if raw is None:
        return int(nan[0]) if len(nan) else None
    for i in nan:
        v = raw[i]
        if v is not None and str(v).strip() not in ("", "nan", "NaN"):
            return int(i)
    return None


# --------------------------------------------------------------------------------------------
# the fast numeric block reader
# --------------------------------------------------------------------------------------------

_PANDAS_LINE = re.compile(r"line (\d+)")


@dataclass(frozen=True)
class _Block:
    """Where a delimited data block sits in a file and how it is written.

    The arguments of :func:`read_numeric_block` (see there) bundled for its helpers: ``offset``
    is the byte offset of the first data row, ``first_line`` its 1-based file line.
    """

    path: Path
    offset: int
    first_line: int
    names: Sequence[str]
    usecols: Sequence[str]
    delimiter: str
    decimal: str
    encoding: str
    text_columns: Sequence[str]
    quoted: bool


def read_numeric_block(
    path: Path,
    *,
    offset: int,
    first_line: int,
    names: Sequence[str],
    usecols: Sequence[str],
    delimiter: str,
    decimal: str = ".",
    encoding: str = "latin-1",
    text_columns: Sequence[str] = (),
    quoted: bool = False,
    light: bool = False,
) -> pd.DataFrame | LightFrame:
    """Read the data block of a delimited text file (polars when possible, else pandas' C parser).

    ``offset`` is the byte offset where the data rows start and ``first_line`` their 1-based line
    number. ``names`` are all column names of the block in order (passing them sidesteps the
    trailing delimiter some exports put only on the header line); only ``usecols`` are parsed,
    as float64 except ``text_columns`` (str). ``quoted`` allows ``"..."`` around fields (CSV);
    without it quotes are ordinary characters (EC-Lab). Every failure raises
    :class:`ReaderError` with the file line of the offending value, except a bad value on an
    unterminated last line (a file cut while it was written): that row comes back as NaN, and
    :func:`.cycling_table.build_cycling` drops it with a warning.

    ``light``: the caller only uses ``len``, ``frame[name].to_numpy()`` and boolean masks, so a
    small plain numeric block may come back as a :class:`~.light_frame.LightFrame` read by numpy
    alone (no pandas import; see :mod:`.light_frame`).
    """
    block = _Block(
        path, offset, first_line, names, usecols, delimiter, decimal, encoding, text_columns, quoted
    )
    refuse_long_rows(block)  # before any parser: polars skips the extra fields of the
    # columns it does not read, pandas' tokenizer needs ~200x the bytes of a long row
    small = _block_bytes(block) < POLARS_MIN_BYTES
    if light and small and decimal == "." and not text_columns and not quoted:
        frame = read_block_numpy(path, offset, names, usecols, delimiter, encoding)
        if frame is not None:
            return frame
    if USE_POLARS and not small and delimiter != " " and len(delimiter) == 1:
        fast = _read_block_polars(block, light)
        if fast is not None:
            return fast
    return _read_block_pandas(block)


def _block_bytes(block: _Block) -> int:
    """Size of the data block, bytes (the file from the block's offset on)."""
    try:
        return max(0, block.path.stat().st_size - block.offset)
    except OSError:
        return 0


def _read_block_pandas(block: _Block, cut_last_line: int | None = None) -> pd.DataFrame:
    """The pandas path of :func:`read_numeric_block` (names the file line of any failure).

    ``cut_last_line`` is the byte offset where an unterminated last line starts: the retry reads
    only up to there.
    """
    import pandas as pd

    path, usecols, text_columns = block.path, block.usecols, block.text_columns
    dtypes: dict[str, object] = {c: np.float64 for c in usecols if c not in text_columns}
    dtypes.update({c: str for c in text_columns})
    sep = r"\s+" if block.delimiter == " " else block.delimiter
    source: Any = path
    cut_last = False
    try:
        with path.open("rb") as fh:
            fh.seek(block.offset)
            if cut_last_line is not None:  # retry without a cut-off last line
                source = io.BytesIO(fh.read(cut_last_line - block.offset))
                cut_last = True
            df = pd.read_csv(
                source if cut_last else fh,
                sep=sep,
                header=None,
                names=list(block.names),
                usecols=list(usecols),
                dtype=dtypes,
                decimal=block.decimal,
                encoding=block.encoding,
                engine="c",
                index_col=False,
                quoting=csv.QUOTE_MINIMAL if block.quoted else csv.QUOTE_NONE,
                skip_blank_lines=True,
                keep_default_na=False,
                na_values=["", "NaN", "nan"],
                on_bad_lines="error",
                low_memory=False,
            )
    except pd.errors.EmptyDataError:
        return pd.DataFrame({c: np.array([], dtype=float) for c in usecols})
    except pd.errors.ParserError as exc:
        m = _PANDAS_LINE.search(str(exc))
        line = block.first_line + int(m.group(1)) - 1 if m else None
        detail = str(exc).split("C error:")[-1].strip()
        detail = _PANDAS_LINE.sub("this line", detail)
        raise ReaderError(
            path, f"malformed data row: {detail}", line=line, expected=f"{len(block.names)} fields"
        ) from None
    except (ValueError, TypeError):
        bad = _locate_bad_value(block)
        if bad is None:
            raise ReaderError(
                path, "the data block cannot be parsed as numbers", line=block.first_line
            ) from None
        line, column, value, is_last_unterminated, last_start = bad
        if is_last_unterminated and cut_last_line is None:
            # a file cut while it was written: keep the complete rows, mark the last one missing
            df = _read_block_pandas(block, cut_last_line=last_start)
            nan_row = pd.DataFrame({c: [np.nan] for c in df.columns})
            return pd.concat([df, nan_row], ignore_index=True)
        raise ReaderError(
            path,
            f"value {value!r} in column {column!r} is not a number",
            line=line,
            expected="a number" + (" with a decimal comma" if block.decimal == "," else ""),
        ) from None
    return df


#: Parse data blocks with polars when it is importable (about 2x faster than the pandas C
#: parser on 1 M rows); any polars failure falls back to pandas, which names the bad line.
USE_POLARS = True
#: Blocks smaller than this are parsed by pandas alone: for a few MB its C parser is as quick,
#: and a fresh ``lbpo`` process then does not import polars too (~0.1 s).
POLARS_MIN_BYTES = 4 * 1024 * 1024


def _read_block_polars(block: _Block, light: bool = False) -> pd.DataFrame | LightFrame | None:
    """The polars fast path of :func:`read_numeric_block`; None when it cannot be used. With
    ``light`` and no text columns the result is a :class:`LightFrame` (no pandas import)."""
    try:
        import polars as pl
    except ImportError:
        return None
    with block.path.open("rb") as fh:
        fh.seek(block.offset)
        chunk = fh.read(64 * 1024)
    if not chunk.strip() or chunk.count(b"\r") != chunk.count(b"\r\n"):
        return None  # empty block or old-Mac CR line ends: pandas handles both
    if block.decimal == "," and block.delimiter == ",":
        return None
    names, usecols, text_columns = block.names, block.usecols, block.text_columns
    schema = {
        f"column_{k + 1}": (pl.String if (n in text_columns or n not in usecols) else pl.Float64)
        for k, n in enumerate(names)
    }
    wanted = [f"column_{names.index(c) + 1}" for c in usecols]
    try:
        df = pl.read_csv(
            block.path,
            separator=block.delimiter,
            has_header=False,
            skip_lines=block.first_line - 1,
            columns=wanted,
            schema=schema,
            quote_char='"' if block.quoted else None,
            truncate_ragged_lines=False,  # a ragged row: pandas names its line (or refuses it)
            encoding="utf8-lossy",
            decimal_comma=block.decimal == ",",
            raise_if_empty=False,
        )
    except Exception:  # any polars error: the pandas path explains it with a line number
        return None
    if df.height and len(wanted):
        empty = df.select(pl.all_horizontal(pl.col(wanted).is_null())).to_series()
        if empty.any():  # filtering copies every column: only when there is a row to drop
            df = df.filter(~empty)
    if light and not text_columns:
        return LightFrame(
            {
                c: df.get_column(w).to_numpy().astype(np.float64, copy=False)
                for c, w in zip(usecols, wanted, strict=True)
            }
        )
    import pandas as pd

    out = {}
    for c, w in zip(usecols, wanted, strict=True):
        col = df.get_column(w)
        if c in text_columns:
            out[c] = pd.Series(col.to_numpy(), dtype=object)
        else:
            out[c] = col.to_numpy().astype(np.float64, copy=False)
    return pd.DataFrame(out, copy=False)


#: A data row longer than this many times the longest of the first rows (and than
#: :data:`LONG_ROW_MIN_BYTES`) has its fields counted before any parser sees it.
LONG_ROW_FACTOR = 32
LONG_ROW_MIN_BYTES = 64 * 1024
_COUNT_CHUNK = 1 << 24


def refuse_long_rows(block: _Block) -> None:
    """Raise :class:`ReaderError` naming the line of a data row with far more fields than the
    header (more than twice as many, plus 8).

    Every row longer than ``limit`` (:data:`LONG_ROW_FACTOR` x the longest of the first rows,
    at least :data:`LONG_ROW_MIN_BYTES`) holds a whole aligned window of ``limit / 2`` bytes
    without a line break; one ``find`` per window on a memory map spots it while touching a
    page per window (about 7,000 for 235 MB: milliseconds, nothing held in memory). Only such
    long rows have their fields counted. A 200 MB single row used to cost a parser 22 GB.
    """
    size = block.path.stat().st_size
    if size <= block.offset:
        return
    with block.path.open("rb") as fh:
        try:
            mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # not mappable (a pipe, a special file): nothing to scan
            return
        with mm:
            _scan_rows(block, mm, size)


def _scan_rows(block: _Block, mm: mmap.mmap, size: int) -> None:
    """The window scan of :func:`refuse_long_rows` on the mapped file."""
    sample = mm[block.offset : block.offset + 64 * 1024]
    newline = b"\n" if b"\n" in sample or b"\r" not in sample else b"\r"
    rows = sample.split(newline)[:-1] or [sample]
    limit = max(LONG_ROW_MIN_BYTES, LONG_ROW_FACTOR * max(len(r) for r in rows))
    half = limit // 2
    w = block.offset
    while w + half <= size:
        if mm.find(newline, w, w + half) >= 0:
            w += half
            continue
        start = mm.rfind(newline, block.offset, w) + 1 or block.offset
        end = mm.find(newline, w)
        end = size if end < 0 else end
        _refuse_if_ragged(block, mm, start, end, newline)
        w = end + 1


def _refuse_if_ragged(block: _Block, mm: mmap.mmap, start: int, end: int, newline: bytes) -> None:
    """Count the fields of the (long) row ``mm[start:end]``; refuse it when far too many."""
    n_names = len(block.names)
    delim = b"\t" if block.delimiter == " " else block.delimiter.encode("latin-1")
    fields = 1 + sum(
        mm[a : min(a + _COUNT_CHUNK, end)].count(delim) for a in range(start, end, _COUNT_CHUNK)
    )
    if fields <= 2 * n_names + 8:
        return
    line = block.first_line + sum(
        mm[a : min(a + _COUNT_CHUNK, start)].count(newline)
        for a in range(block.offset, start, _COUNT_CHUNK)
    )
    raise ReaderError(
        block.path,
        f"data row of {end - start:,} bytes has {fields:,} fields, the header names {n_names}",
        line=line,
        expected=f"{n_names} fields per data row",
    )


def _locate_bad_value(block: _Block) -> tuple[int, str, str, bool, int] | None:
    """The first non-numeric value in the block (slow path).

    Returns (line, column, value, on an unterminated last line, byte offset of that line).
    """
    idx = [(block.names.index(c), c) for c in block.usecols if c not in block.text_columns]
    with block.path.open("rb") as fh:
        fh.seek(block.offset)
        pos = block.offset
        for k, raw_bytes in enumerate(_iter_lines(fh)):
            start, pos = pos, pos + len(raw_bytes)
            raw = raw_bytes.decode(block.encoding, errors="replace")
            line = raw.rstrip("\r\n")
            unterminated = not raw.endswith(("\n", "\r"))
            if not line.strip():
                continue
            fields = split_fields(line, block.delimiter)
            if block.quoted:
                fields = [f.strip('"') for f in fields]
            for j, col in idx:
                if j >= len(fields):
                    continue
                v = fields[j]
                if v == "":
                    continue
                try:
                    parse_number(v, block.decimal) if block.decimal == "," else float(v)
                except ValueError:
                    return block.first_line + k, col, v, unterminated, start
    return None


def _iter_lines(fh: IO[bytes]) -> Iterable[bytes]:
    """Lines of a binary stream with their endings, splitting on CRLF, LF and lone CR."""
    rest = b""
    while True:
        chunk = fh.read(1 << 20)
        if not chunk:
            break
        data = rest + chunk
        start = 0
        for m in re.finditer(rb"\r\n|\n|\r(?!$)", data):
            yield data[start : m.end()]
            start = m.end()
        rest = data[start:]
    if rest:
        yield rest


def open_text(path: Path, encoding: str) -> IO[str]:
    """A text stream over ``path`` with universal newlines."""
    return path.open("r", encoding=encoding, errors="replace", newline=None)


# --------------------------------------------------------------------------------------------
# a delimited table inside a text file (header line somewhere near the top, then data rows)
# --------------------------------------------------------------------------------------------


@dataclass
class TextTable:
    """Where the table of a delimited text export sits and how it is written.

    ``header_line`` and ``first_data_line`` are 1-based file lines; ``data_offset`` is the byte
    offset of the first data line; ``preamble`` holds the lines above the header (metadata);
    ``sample`` the first data rows split into fields (for column kinds and previews).
    """

    path: Path
    encoding: str
    delimiter: str
    decimal: str
    header_line: int
    names: list[str]
    data_offset: int
    first_data_line: int
    preamble: list[str] = field(default_factory=list)
    sample: list[list[str]] = field(default_factory=list)

    def index(self, name: str) -> int:
        """Position of column ``name``."""
        return self.names.index(name)

    def first_value(self, name: str) -> str | None:
        """The first non-empty value of column ``name`` among the sample rows."""
        j = self.index(name)
        return next((r[j] for r in self.sample if j < len(r) and r[j].strip()), None)

    def column_kind(self, name: str) -> str:
        """``"number"``, ``"duration"`` (``hh:mm:ss``-like), ``"datetime"`` or ``"text"``.

        Judged from the sample rows (the first non-empty values of the column).
        """
        j = self.index(name)
        vals = [r[j] for r in self.sample if j < len(r) and r[j].strip()][:20]
        if not vals:
            return "number"
        if all(is_number(v, self.decimal) for v in vals):
            return "number"
        if all(re.search(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}", v) for v in vals):
            return "datetime"
        if not np.isnan(parse_durations(vals)).any():
            return "duration"
        return "text"


def dedupe_names(names: Sequence[str]) -> list[str]:
    """Make column names unique (``"x"``, ``"x (2)"``...) and name empty ones ``"Column k"``."""
    seen: dict[str, int] = {}
    out = []
    for k, n in enumerate(names, start=1):
        n = n or f"Column {k}"
        if n in seen:
            seen[n] += 1
            out.append(f"{n} ({seen[n]})")
        else:
            seen[n] = 1
            out.append(n)
    return out


def locate_table(
    path: Path,
    head: bytes,
    is_header: Callable[[list[str]], bool],
    *,
    delimiter: str | None = None,
    max_lines: int = 300,
) -> TextTable | None:
    """Find the header line (the first line whose fields satisfy ``is_header``) in ``head``.

    The delimiter is detected on the lines below the header unless given. Returns None when no
    line within the first ``max_lines`` of ``head`` qualifies.
    """
    text, encoding = decode_bytes(head, partial=True)
    lines = split_lines(text)
    complete = lines if head.endswith((b"\n", b"\r")) else lines[:-1] or lines
    offsets = line_offsets(head, min(len(lines), max_lines) + 2)
    for i, ln in enumerate(complete[:max_lines]):
        if not ln.strip():
            continue
        delims = [delimiter] if delimiter else [*DELIMITERS, " "]
        for d in delims:
            fields = split_fields(ln, d)
            if len(fields) < 2 or not is_header(fields):
                continue
            body = [x for x in complete[i + 1 : i + 60] if x.strip()]
            d_used = delimiter or (detect_delimiter([ln, *body[:20]]) if body else d)
            if d_used != d and not delimiter:
                fields2 = split_fields(ln, d_used)
                if len(fields2) >= 2 and is_header(fields2):
                    d, fields = d_used, fields2
            while fields and fields[-1] == "":
                fields.pop()
            decimal = detect_decimal(body[:50], d) if body else "."
            data_offset = len(head) if i + 1 >= len(offsets) else offsets[i + 1]
            sample = [split_fields(x, d) for x in body[:50]]
            return TextTable(
                path=path,
                encoding=encoding,
                delimiter=d,
                decimal=decimal,
                header_line=i + 1,
                names=dedupe_names(fields),
                data_offset=data_offset,
                first_data_line=i + 2,
                preamble=lines[:i],
                sample=sample,
            )
    return None


def require_table(
    path: Path,
    is_header: Callable[[list[str]], bool],
    *,
    expected: str,
    missing: str,
    head_bytes: int = 256 * 1024,
) -> TextTable:
    """:func:`locate_table` on the first ``head_bytes`` of ``path``, or :class:`ReaderError`.

    ``expected`` describes the export (e.g. ``"a Maccor text export"``) for an empty, binary or
    header-less file; ``missing`` is the reason given when no line passes ``is_header`` (the error
    points at line 1).
    """
    head = read_head(path, head_bytes)
    require_text(path, head, expected)
    table = locate_table(path, head, is_header)
    if table is None:
        raise ReaderError(path, missing, line=1, expected=expected)
    return table


def read_table_columns(
    table: TextTable, numeric: Sequence[str], text: Sequence[str] = ()
) -> pd.DataFrame:
    """Parse the chosen columns of ``table``: ``numeric`` as float64, ``text`` as str."""
    usecols = list(dict.fromkeys([*numeric, *text]))
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read_numeric_block(
            table.path,
            offset=table.data_offset,
            first_line=table.first_data_line,
            names=table.names,
            usecols=usecols,
            delimiter=table.delimiter,
            decimal=table.decimal,
            encoding=table.encoding if table.encoding != "utf-8-sig" else "utf-8",
            text_columns=[c for c in text if c not in numeric],
            quoted=table.delimiter != "\t",
        )


def seconds_from_column(
    values: pd.Series | np.ndarray,
    kind: str,
    *,
    factor: float = 1.0,
    path: Path,
    column: str,
    first_data_line: int | None = None,
) -> np.ndarray:
    """Seconds from a time column of the given kind (see :meth:`TextTable.column_kind`).

    ``number`` values are multiplied by ``factor`` (the column unit); ``duration`` strings are
    parsed; ``datetime`` values become seconds since the first one. Unparseable non-blank values
    raise :class:`ReaderError` naming the data row's line.
    """
    import pandas as pd

    if kind == "number":
        return np.asarray(values, dtype=np.float64) * factor
    raw = pd.Series(values, dtype=object) if not isinstance(values, pd.Series) else values
    if kind == "datetime":
        dt = parse_datetimes(raw)
        secs = (
            (dt - dt.dropna().iloc[0]).dt.total_seconds().to_numpy(float)
            if dt.notna().any()
            else np.full(len(raw), np.nan)
        )
    else:
        secs = parse_durations(raw)
    bad = first_bad_index(secs, raw.to_numpy(object))
    if bad is not None and bad == len(secs) - 1 and bad > 0:
        bad = None  # a cut-off last row: build_cycling drops it with a warning
    if bad is not None:
        raise ReaderError(
            path,
            f"value {raw.iloc[bad]!r} in column {column!r} is not a time",
            line=None if first_data_line is None else first_data_line + bad,
            expected="seconds, hh:mm:ss or a date and time",
        )
    return secs
