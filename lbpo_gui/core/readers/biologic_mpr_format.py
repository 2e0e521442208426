"""Binary layout of BioLogic EC-Lab / BT-Lab ``.mpr`` files (our own decoder, no GPL code).

An ``.mpr`` file is the 52-byte magic ``BIO-LOGIC MODULAR FILE`` followed by modules. Each
module starts with ``MODULE``, a 10-byte short name (``VMP Set``, ``VMP data``, ``VMP LOG``,
``VMP loop``, ``VMP ExtDev``), a 25-byte long name and then either

- (EC-Lab < 11.50) ``length`` u4, ``version`` u4, an 8-byte ASCII date, or
- (EC-Lab >= 11.50) ``0xFFFFFFFF``, ``length`` u4, ``version`` u4, a u4 we skip, the date;

``length`` bytes of module data follow. Facts on the module contents below were taken from the
public descriptions of the format (the documentation of the yadg extractor, the galvani sources,
read only for layout facts) and checked on paired ``.mpr``/``.mpt`` files of EC-Lab 11.12-11.61
and BT-Lab 1.79:

- **data module**: ``n_points`` u4 at 0; then either (version 0, old) ``n_columns`` u1 at 4 and
  one-byte column IDs from 5, or (version 0 since EC-Lab 11.50) ``n_columns`` u2 at 4 and u2
  column IDs from 6, or (versions 2 and 3) ``n_columns`` u1 at 4 and u2 IDs from 5. The rows
  start at byte 100 / 1007 / 405 / 406 (old v0 / new v0 / v2 / v3) and are packed records
  whose fields follow the column IDs (:data:`COLUMNS`); the flag IDs (:data:`FLAGS`) share one
  byte. galvani reads the new-v0 IDs one byte at a time, which is why it reports ID 115 (the
  low byte of 883, ``Energy ce charge``) as unknown.
- **settings module** (``VMP Set``): the technique ID byte at 0; the comments (a Pascal string,
  one length byte) at 0x07; float32 ``Mass of active material`` in mg at 0x107; the electrode
  material at 0x11E, the electrolyte at 0x1C0 (Pascal strings); the float32 electrode area at
  0x211 with its unit byte at 0x250; the float32 characteristic mass at 0x24C with its unit byte
  at 0x251.
- **log module** (``VMP LOG``): the acquisition start as an OLE date (float64 days since
  1899-12-30) at 0x249 (some versions: 465, 469 or 473), the EC-Lab version (Pascal) at 0x3B7.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from ..errors import ReaderError

MAGIC = b"BIO-LOGIC MODULAR FILE"
_HEADER_BYTES = 0x34
_MODULE = b"MODULE"

#: Flag column IDs: (name as in the .mpt export, bit mask in the shared flags byte).
FLAGS: dict[int, tuple[str, int]] = {
    1: ("mode", 0x03),
    2: ("ox/red", 0x04),
    3: ("error", 0x08),
    21: ("control changes", 0x10),
    31: ("Ns changes", 0x20),
    65: ("counter inc.", 0x80),
}

#: Data column IDs: (name as in the .mpt export, little-endian numpy type).
COLUMNS: dict[int, tuple[str, str]] = {
    4: ("time/s", "<f8"),
    5: ("control/V/mA", "<f4"),
    6: ("Ewe/V", "<f4"),
    7: ("dq/mA.h", "<f8"),
    8: ("I/mA", "<f4"),
    9: ("Ece/V", "<f4"),
    11: ("<I>/mA", "<f8"),
    13: ("(Q-Qo)/mA.h", "<f8"),
    16: ("Analog IN 1/V", "<f4"),
    17: ("Analog IN 2/V", "<f4"),
    19: ("control/V", "<f4"),
    20: ("control/mA", "<f4"),
    23: ("dQ/mA.h", "<f8"),
    24: ("cycle number", "<f8"),
    26: ("Rapp/Ohm", "<f4"),
    27: ("Ewe-Ece/V", "<f4"),
    32: ("freq/Hz", "<f4"),
    33: ("|Ewe|/V", "<f4"),
    34: ("|I|/A", "<f4"),
    35: ("Phase(Z)/deg", "<f4"),
    36: ("|Z|/Ohm", "<f4"),
    37: ("Re(Z)/Ohm", "<f4"),
    38: ("-Im(Z)/Ohm", "<f4"),
    39: ("I Range", "<u2"),
    69: ("R/Ohm", "<f4"),
    70: ("P/W", "<f4"),
    74: ("|Energy|/W.h", "<f8"),
    75: ("Analog OUT/V", "<f4"),
    76: ("<I>/mA", "<f4"),
    77: ("<Ewe>/V", "<f4"),
    78: ("Cs-2/µF-2", "<f4"),
    96: ("|Ece|/V", "<f4"),
    98: ("Phase(Zce)/deg", "<f4"),
    99: ("|Zce|/Ohm", "<f4"),
    100: ("Re(Zce)/Ohm", "<f4"),
    101: ("-Im(Zce)/Ohm", "<f4"),
    123: ("Energy charge/W.h", "<f8"),
    124: ("Energy discharge/W.h", "<f8"),
    125: ("Capacitance charge/µF", "<f8"),
    126: ("Capacitance discharge/µF", "<f8"),
    131: ("Ns", "<u2"),
    163: ("|Estack|/V", "<f4"),
    168: ("Rcmp/Ohm", "<f4"),
    169: ("Cs/µF", "<f4"),
    172: ("Cp/µF", "<f4"),
    173: ("Cp-2/µF-2", "<f4"),
    174: ("<Ewe>/V", "<f4"),
    178: ("(Q-Qo)/C", "<f4"),
    179: ("dQ/C", "<f4"),
    182: ("step time/s", "<f8"),
    430: ("Phase(Zwe-ce)/deg", "<f4"),
    431: ("|Zwe-ce|/Ohm", "<f4"),
    432: ("Re(Zwe-ce)/Ohm", "<f4"),
    433: ("-Im(Zwe-ce)/Ohm", "<f4"),
    434: ("(Q-Qo)/C", "<f4"),
    435: ("dQ/C", "<f4"),
    438: ("step time/s", "<f8"),
    441: ("<Ece>/V", "<f4"),
    462: ("Temperature/°C", "<f4"),
    467: ("Q charge/discharge/mA.h", "<f8"),
    468: ("half cycle", "<u4"),
    469: ("z cycle", "<u4"),
    471: ("<Ece>/V", "<f4"),
    473: ("THD Ewe/%", "<f4"),
    474: ("THD I/%", "<f4"),
    476: ("NSD Ewe/%", "<f4"),
    477: ("NSD I/%", "<f4"),
    479: ("NSR Ewe/%", "<f4"),
    480: ("NSR I/%", "<f4"),
    **{486 + k: (f"|Ewe h{k + 2}|/V", "<f4") for k in range(6)},
    **{492 + k: (f"|I h{k + 2}|/A", "<f4") for k in range(6)},
    880: ("Energy we/W.h", "<f8"),
    883: ("Energy ce charge/W.h", "<f8"),
    884: ("Energy ce discharge/W.h", "<f8"),
}

#: Technique byte of the settings module -> technique name as the .mpt export writes it.
TECHNIQUES: dict[int, str] = {
    0x04: "Galvanostatic Cycling with Potential Limitation",
    0x06: "Cyclic Voltammetry",
    0x0B: "Open Circuit Voltage",
    0x18: "Chronoamperometry / Chronocoulometry",
    0x19: "Chronopotentiometry",
    0x1C: "Wait",
    0x1D: "Potentio Electrochemical Impedance Spectroscopy",
    0x1E: "Galvano Electrochemical Impedance Spectroscopy",
    0x6C: "Linear Sweep Voltammetry",
    0x7F: "Modulo Bat",
    0x88: "Battery Capacity Determination",
}

#: Unit bytes of the settings module (checked against the .mpt header of the same run).
MASS_UNIT_TO_MG: dict[int, float] = {1: 1000.0, 2: 1.0}
AREA_UNIT_TO_CM2: dict[int, float] = {2: 1.0, 3: 0.01}

_PLACEHOLDER = 0.001  # what EC-Lab stores when a quantity was never entered
_OLE_EPOCH = datetime(1899, 12, 30)


@dataclass(frozen=True)
class Module:
    """One module of an ``.mpr`` file: its short name, version, ASCII date and data bytes."""

    name: str
    version: int
    date: str
    data: bytes


@dataclass
class DataTable:
    """The decoded data module: one array per column (named as in the .mpt export)."""

    columns: dict[str, np.ndarray]
    column_ids: list[int]
    unknown_ids: list[int]
    version: int


def read_modules(path: Path, blob: bytes) -> list[Module]:
    """Split the file into its modules; a truncated or damaged file raises ReaderError."""
    if not blob.startswith(MAGIC):
        raise ReaderError(
            path,
            "not a BioLogic binary file",
            expected="a file starting with 'BIO-LOGIC MODULAR FILE'",
        )
    out: list[Module] = []
    p = _HEADER_BYTES
    while p < len(blob):
        if blob[p : p + 6] != _MODULE:
            raise ReaderError(
                path,
                f"damaged .mpr: no module header at byte {p}",
                expected="'MODULE' after the previous module",
            )
        q = p + 6 + 35
        if blob[q : q + 4] == b"\xff\xff\xff\xff":
            head_end = q + 24
            fields = blob[q + 4 : q + 12]
        else:
            head_end = q + 16
            fields = blob[q : q + 8]
        if head_end > len(blob):
            raise ReaderError(path, f"the file is truncated in the module header at byte {p}")
        length, version = struct.unpack("<II", fields)
        name = blob[p + 6 : p + 16].decode("latin-1").strip(" \x00")
        if head_end + length > len(blob):
            raise ReaderError(
                path,
                f"the file is truncated: module {name!r} announces {length} bytes, "
                f"{len(blob) - head_end} remain",
                expected="a complete .mpr file",
            )
        date = blob[head_end - 8 : head_end].decode("latin-1", "replace").strip(" \x00")
        out.append(Module(name, int(version), date, blob[head_end : head_end + length]))
        p = head_end + length
    return out


def find_module(modules: list[Module], name: str) -> Module | None:
    """The first module named ``name`` (``VMP Set``, ``VMP data``, ``VMP LOG``...)."""
    return next((m for m in modules if m.name == name), None)


def _column_ids(path: Path, mod: Module) -> tuple[list[int], int]:
    """Column IDs and the byte where the rows start, by data-module version."""
    d = mod.data
    if len(d) < 8:
        raise ReaderError(path, "damaged .mpr: the data module is too short")
    if mod.version == 0 and d[5] != 0:  # old layout: one byte per ID
        n = d[4]
        return list(d[5 : 5 + n]), 100
    if mod.version == 0:
        (n,) = struct.unpack_from("<H", d, 4)
        return list(struct.unpack_from(f"<{n}H", d, 6)), 1007
    if mod.version in (2, 3):
        n = d[4]
        return list(struct.unpack_from(f"<{n}H", d, 5)), 405 if mod.version == 2 else 406
    raise ReaderError(
        path,
        f"unsupported data module version {mod.version}",
        expected="an .mpr of EC-Lab 10.x-11.x or BT-Lab (data module version 0, 2 or 3)",
    )


def _record_dtype(
    path: Path, ids: list[int], record_size: int
) -> tuple[np.dtype, dict[str, int], list[int]]:
    """The packed record type of the column IDs; the widths of unknown IDs are inferred from
    the record size (one unknown: its width; several: all 4 or all 8 bytes)."""
    known = 0
    has_flags = any(i in FLAGS for i in ids)
    unknown = [i for i in ids if i not in FLAGS and i not in COLUMNS]
    known = int(has_flags) + sum(np.dtype(COLUMNS[i][1]).itemsize for i in ids if i in COLUMNS)
    rest = record_size - known
    if unknown:
        if rest % len(unknown) or rest // len(unknown) not in (1, 2, 4, 8):
            raise ReaderError(
                path,
                f"unknown column IDs {unknown} whose widths cannot be inferred "
                f"({rest} bytes for {len(unknown)} columns)",
                expected="column IDs of EC-Lab 10.x-11.x",
            )
        width = rest // len(unknown)
        unknown_type = {1: "u1", 2: "<u2", 4: "<f4", 8: "<f8"}[width]
    elif rest != 0:
        raise ReaderError(
            path,
            f"damaged .mpr: rows of {record_size} bytes, columns of {known}",
            expected="rows as wide as their columns",
        )
    fields: list[tuple[str, str]] = []
    masks: dict[str, int] = {}
    seen: set[str] = set()
    for cid in ids:
        if cid in FLAGS:
            if "flags" not in seen:
                fields.append(("flags", "u1"))
                seen.add("flags")
            masks[FLAGS[cid][0]] = FLAGS[cid][1]
            continue
        name, typ = COLUMNS.get(cid, (f"column ID {cid}", unknown_type if unknown else ""))
        base, k = name, 2
        while name in seen:  # a repeated name (e.g. two <Ewe>/V) keeps every column
            name = f"{base} {k}"
            k += 1
        seen.add(name)
        fields.append((name, typ))
    return np.dtype(fields), masks, unknown


def decode_data(path: Path, mod: Module) -> DataTable:
    """Decode the data module into columns named as in the .mpt export."""
    ids, start = _column_ids(path, mod)
    (n_points,) = struct.unpack_from("<I", mod.data, 0)
    body = len(mod.data) - start
    if n_points == 0:
        raise ReaderError(path, "no data points in the file", expected="data points")
    if body < 0 or body % n_points:
        raise ReaderError(
            path,
            f"damaged .mpr: {body} data bytes do not hold {n_points} rows",
            expected="a complete data module",
        )
    dtype, masks, unknown = _record_dtype(path, ids, body // n_points)
    rows = np.frombuffer(mod.data, dtype=dtype, count=n_points, offset=start)
    cols: dict[str, np.ndarray] = {}
    for name in dtype.names or ():
        if name == "flags":
            flags = rows["flags"]
            for flag, mask in masks.items():
                shift = (mask & -mask).bit_length() - 1
                cols[flag] = ((flags & mask) >> shift).astype(np.int64)
        else:
            cols[name] = rows[name].copy()
    return DataTable(cols, ids, unknown, mod.version)


def _pascal(data: bytes, offset: int) -> str | None:
    if offset >= len(data):
        return None
    n = data[offset]
    text = data[offset + 1 : offset + 1 + n].decode("cp1252", "replace").strip()
    return text or None


def _float32(data: bytes, offset: int) -> float | None:
    if offset + 4 > len(data):
        return None
    (v,) = struct.unpack_from("<f", data, offset)
    return float(v) if np.isfinite(v) else None


def _entered(value: float | None) -> bool:
    """Whether a stored quantity was entered (EC-Lab stores 0.001 when it was not)."""
    return value is not None and value > 0 and abs(value - _PLACEHOLDER) > 1e-9


def decode_settings(mod: Module) -> dict[str, object]:
    """Technique, comments, active mass, electrode material/electrolyte and area of the
    settings module, with the same keys and placeholder rules as the .mpt header reader."""
    d = mod.data
    meta: dict[str, object] = {}
    if not d:
        return meta
    tech = d[0]
    meta["technique_id"] = int(tech)
    if tech in TECHNIQUES:
        meta["technique"] = TECHNIQUES[tech]
    comments = _pascal(d, 0x07)
    if comments:  # one entry per line, as the .mpt export writes one 'Comments :' line each
        meta["comments"] = [c.strip() for c in comments.splitlines() if c.strip()]
    for key, off in (("electrode_material", 0x11E), ("electrolyte", 0x1C0)):
        text = _pascal(d, off)
        if text:
            meta[key] = text
    mass = _float32(d, 0x107)
    char_mass = _float32(d, 0x24C)
    mass_unit = MASS_UNIT_TO_MG.get(d[0x251]) if len(d) > 0x251 else None
    if _entered(mass):
        meta["active_mass_mg"] = round(mass, 6)
        meta["active_mass_source"] = "Mass of active material"
    elif _entered(char_mass) and mass_unit is not None:
        meta["active_mass_mg"] = round(char_mass * mass_unit, 6)
        meta["active_mass_source"] = "Characteristic mass"
    area = _float32(d, 0x211)
    area_unit = AREA_UNIT_TO_CM2.get(d[0x250]) if len(d) > 0x250 else None
    if _entered(area) and area_unit is not None:
        meta["electrode_area_cm2"] = area * area_unit
    return meta


def decode_log(mod: Module) -> dict[str, object]:
    """Acquisition start (ISO 8601) and EC-Lab version of the log module."""
    d = mod.data
    meta: dict[str, object] = {}
    for off in (0x249, 465, 469, 473):
        if off + 8 > len(d):
            continue
        (days,) = struct.unpack_from("<d", d, off)
        if 32874.0 < days < 73051.0:  # 1990 .. 2100
            start = _OLE_EPOCH + timedelta(microseconds=round(days * 86400e6))
            meta["acquisition_start"] = start.isoformat()
            break
    version = _pascal(d, 0x3B7)
    if version and version[:1].isdigit():
        meta["software_version"] = version
    return meta
