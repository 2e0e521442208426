"""Write small BioLogic ``.mpr`` files for reader tests (the layout of biologic_mpr_format)."""

from __future__ import annotations

import struct
from datetime import datetime
from pathlib import Path

import numpy as np

from lbpo_gui.core.readers.biologic_mpr_format import COLUMNS, FLAGS, MAGIC


def _module(short: str, data: bytes, version: int, new_header: bool = True) -> bytes:
    name = short.encode().ljust(10) + b"VMP module".ljust(25)
    if new_header:
        head = struct.pack("<IIII", 0xFFFFFFFF, len(data), version, 0) + b"08/04/25"
    else:
        head = struct.pack("<II", len(data), version) + b"08/04/25"
    return b"MODULE" + name + head + data


def settings_bytes(technique: int, mass_mg: float = 0.001, char_mass: float = 0.001) -> bytes:
    d = bytearray(0x300)
    d[0] = technique
    struct.pack_into("<f", d, 0x107, mass_mg)
    struct.pack_into("<f", d, 0x24C, char_mass)
    d[0x250], d[0x251] = 2, 2  # cm², mg
    return bytes(d)


def log_bytes(start: datetime) -> bytes:
    d = bytearray(0x400)
    days = (start - datetime(1899, 12, 30)).total_seconds() / 86400.0
    struct.pack_into("<d", d, 0x249, days)
    return bytes(d)


def data_bytes(ids: list[int], values: dict[int, np.ndarray], extra: dict[int, str]) -> bytes:
    """A version-0 (EC-Lab >= 11.50) data module; ``extra`` gives the numpy type of IDs that
    are not in COLUMNS (new or unknown IDs)."""
    n = len(next(iter(values.values())))
    fields: list[tuple[str, str]] = []
    for cid in ids:
        if cid in FLAGS:
            if ("flags", "u1") not in fields:
                fields.append(("flags", "u1"))
        else:
            fields.append((f"c{cid}", extra.get(cid) or COLUMNS[cid][1]))
    rows = np.zeros(n, dtype=np.dtype(fields))
    for cid in ids:
        if cid in FLAGS:
            mask = FLAGS[cid][1]
            shift = (mask & -mask).bit_length() - 1
            rows["flags"] |= (np.asarray(values[cid], dtype=np.uint8) << shift) & mask
        else:
            rows[f"c{cid}"] = values[cid]
    head = bytearray(1007)
    struct.pack_into("<IH", head, 0, n, len(ids))
    struct.pack_into(f"<{len(ids)}H", head, 6, *ids)
    return bytes(head) + rows.tobytes()


def write_mpr(
    path: Path,
    ids: list[int],
    values: dict[int, np.ndarray],
    *,
    technique: int = 0x04,
    mass_mg: float = 0.001,
    start: datetime = datetime(2025, 8, 4, 9, 35, 26, 748000),
    extra: dict[int, str] | None = None,
) -> Path:
    """An EC-Lab 11.6x-like file: settings, data (version 0, u2 IDs) and log modules."""
    blob = (MAGIC + b"\x1a").ljust(48) + bytes(4)
    blob += _module("VMP Set", settings_bytes(technique, mass_mg), 0)
    blob += _module("VMP data", data_bytes(ids, values, extra or {}), 0)
    blob += _module("VMP LOG", log_bytes(start), 0)
    path.write_bytes(blob)
    return path
