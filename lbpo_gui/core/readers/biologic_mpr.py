"""BioLogic EC-Lab binary ``.mpr`` files of cycling techniques, via the optional galvani package.

galvani is GPL-3: it is never bundled nor imported at module load. ``read`` imports it lazily and,
when it is missing, raises a :class:`ReaderError` telling the user how to install it or to export
the file as ``.mpt`` instead.

Mapping: ``time/s`` -> ``time_s`` (from the first row; the EC-Lab time of that row is
``metadata['time_offset_s']``), ``Ewe/V`` | ``Ecell/V`` | ``<Ewe>/V`` -> ``voltage_V``,
``I/mA`` | ``<I>/mA`` -> ``current_mA``. Many GCPL ``.mpr`` files store no current column; the
current is then EC-Lab's ``<I>`` = ``dq / dt`` (``dq/mA.h`` over the time step, 0 on the first
row and where dt = 0), which is exactly what the ``.mpt`` export writes as ``<I>/mA``
(``metadata['current_source']`` says which was used). ``half cycle`` -> ``half_cycle``,
``cycle number`` -> ``source_cycle``, ``Ns`` -> ``step_index``, ``ox/red`` flag -> ``ox_red``,
``Q charge/discharge/mA.h`` (per half cycle, signed) or ``(Q-Qo)/mA.h`` (cumulative) ->
``capacity_mAh``.

galvani does not decode the settings module, so the active mass is not reported for ``.mpr``
files (export the ``.mpt`` or enter the mass by hand). Impedance ``.mpr`` files (``freq/Hz``,
galvani column ID 32) are refused.
"""

from __future__ import annotations

import re
import struct
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ReaderError
from .cycling_table import build_cycling, iso
from .files import read_head
from .registry import reader

NAME = "biologic_mpr"
MAGIC = b"BIO-LOGIC MODULAR FILE"
INSTALL_HINT = (
    ".mpr files need the optional 'galvani' package (GPL, not bundled): pip install galvani, "
    "or export the file as .mpt from EC-Lab"
)
#: galvani column IDs of impedance data (freq/Hz and Re(Z)).
_IMPEDANCE_COLUMN_IDS = frozenset({32, 33})
#: Technique byte of the settings module, verified on paired .mpr/.mpt files.
TECHNIQUES: dict[int, str] = {
    0x04: "Galvanostatic Cycling with Potential Limitation",
    0x88: "Battery Capacity Determination",
}


def _data_column_ids(head: bytes) -> list[int] | None:
    """Column IDs of the ``VMP data`` module when its header lies within ``head``."""
    i = head.find(b"MODULEVMP data  ")
    if i < 0:
        return None
    # shortname (10) + longname (25), then either v1: length(4) version(4) date(8)
    # or v2 (EC-Lab >= 11.50): 0xFFFFFFFF length(4) version(4) unknown(4) date(8)
    p = i + 6 + 10 + 25
    if head[p : p + 4] == b"\xff\xff\xff\xff":
        version = struct.unpack_from("<I", head, p + 8)[0]
        data = p + 4 + 4 + 4 + 4 + 8
    else:
        version = struct.unpack_from("<I", head, p + 4)[0]
        data = p + 4 + 4 + 8
    if len(head) < data + 5:
        return None
    n_cols = head[data + 4]
    if version == 0:
        if head[data + 5]:
            ids = list(head[data + 5 : data + 5 + n_cols])
        else:
            ids = list(head[data + 5 : data + 5 + 2 * n_cols])[1::2]
    else:
        raw = head[data + 5 : data + 5 + 2 * n_cols]
        ids = [v for (v,) in struct.iter_unpack("<H", raw[: len(raw) // 2 * 2])]
    return ids


def _technique_id(head: bytes) -> int | None:
    i = head.find(b"MODULEVMP Set   ")
    if i < 0:
        return None
    m = re.compile(rb"\d\d[/\-.]\d\d[/\-.]\d\d").search(head, i + 6 + 35, i + 6 + 35 + 40)
    if not m or m.end() >= len(head):
        return None
    return head[m.end()]


def sniff(head: bytes, filename: str) -> float:
    """Score: the BioLogic magic, and no impedance columns in the data module header."""
    if not head.startswith(MAGIC):
        return 0.0
    ids = _data_column_ids(head)
    if ids is not None and _IMPEDANCE_COLUMN_IDS & set(ids):
        return 0.0
    return 0.95


def _field(names: tuple[str, ...], *candidates: str) -> str | None:
    for c in candidates:
        if c in names:
            return c
    return None


@reader(
    NAME,
    kinds=("cycling",),
    patterns=("*.mpr",),
    sniff=sniff,
    description="BioLogic EC-Lab binary (.mpr), cycling techniques; needs the optional galvani",
)
def read(path: Path) -> list:
    """Read a cycling ``.mpr`` with galvani (see the module docstring)."""
    path = Path(path)
    head = read_head(path, 64 * 1024)
    if not head:
        raise ReaderError(path, "file is empty", line=1, expected="a BioLogic .mpr file")
    if not head.startswith(MAGIC):
        raise ReaderError(
            path,
            "not a BioLogic binary file",
            expected="a file starting with 'BIO-LOGIC MODULAR FILE'",
        )
    try:
        from galvani import BioLogic  # GPL: optional, imported only here
    except ImportError:
        raise ReaderError(path, INSTALL_HINT) from None

    try:
        with path.open("rb") as fh:
            mpr = BioLogic.MPRfile(fh)
    except NotImplementedError as exc:
        raise ReaderError(
            path,
            f"galvani cannot decode this EC-Lab version ({exc})",
            expected="an .mpr galvani understands; export the file as .mpt from EC-Lab",
        ) from None
    except (ValueError, OSError, AssertionError, struct.error) as exc:
        raise ReaderError(
            path, f"damaged or unsupported .mpr file ({exc or type(exc).__name__})"
        ) from None

    data = mpr.data
    names: tuple[str, ...] = tuple(data.dtype.names or ())
    if "freq/Hz" in names:
        raise ReaderError(
            path,
            "holds impedance data (freq/Hz column), not cycling data",
            expected="a cycling technique (GCPL, BCD, MB ...)",
        )
    n = len(data)
    if n == 0:
        raise ReaderError(path, "no data points in the file", expected="data points")
    t_name = _field(names, "time/s")
    v_name = _field(names, "Ewe/V", "Ecell/V", "<Ewe>/V", "<Ecell>/V")
    if t_name is None or v_name is None:
        raise ReaderError(
            path,
            f"no {'time/s' if t_name is None else 'Ewe/V or Ecell/V'} column "
            f"(columns: {', '.join(names)})",
            expected="time/s and Ewe/V (or Ecell/V) columns",
        )
    time = np.asarray(data[t_name], dtype=np.float64)
    voltage = np.asarray(data[v_name], dtype=np.float64)
    meta: dict[str, Any] = {}
    i_name = _field(names, "I/mA", "<I>/mA")
    if i_name is not None:
        current = np.asarray(data[i_name], dtype=np.float64)
        meta["current_source"] = i_name
    else:
        dq_name = _field(names, "dq/mA.h", "dQ/mA.h")
        if dq_name is None:
            raise ReaderError(
                path,
                f"no current column (I/mA, <I>/mA) and no dq/mA.h to derive it from "
                f"(columns: {', '.join(names)})",
                expected="a current column",
            )
        dq = np.asarray(data[dq_name], dtype=np.float64)
        dt = np.diff(time, prepend=time[0])
        current = np.zeros(n)
        ok = dt > 0
        current[ok] = dq[ok] / dt[ok] * 3600.0
        meta["current_source"] = f"<I> derived as {dq_name} / dt (EC-Lab definition)"

    extras: dict[str, np.ndarray] = {}
    for key, cands in (
        ("half_cycle", ("half cycle",)),
        ("source_cycle", ("cycle number",)),
        ("step_index", ("Ns",)),
    ):
        f = _field(names, *cands)
        if f is not None:
            extras[key] = np.asarray(data[f])
    if "ox/red" in getattr(mpr, "flags_dict", {}):
        extras["ox_red"] = np.asarray(mpr.get_flag("ox/red"), dtype=np.int64)
    q_name = _field(names, "Q charge/discharge/mA.h")
    if q_name is not None:
        extras["capacity_mAh"] = np.asarray(data[q_name], dtype=np.float64)
        meta["capacity_semantics"] = "per_half_cycle"
    else:
        q_name = _field(names, "(Q-Qo)/mA.h")
        if q_name is not None:
            extras["capacity_mAh"] = np.asarray(data[q_name], dtype=np.float64)
            meta["capacity_semantics"] = "cumulative"
    if q_name is not None:
        meta["capacity_signed"] = True
        meta["capacity_column"] = q_name

    tech = _technique_id(head)
    if tech is not None:
        meta["technique_id"] = int(tech)
        if tech in TECHNIQUES:
            meta["technique"] = TECHNIQUES[tech]
    start = getattr(mpr, "timestamp", None)
    if isinstance(start, datetime):
        meta["acquisition_start"] = start.isoformat()
        meta["start_time"] = iso(start + timedelta(seconds=float(time[0])))
    meta.update(
        {
            "source_format": "BioLogic EC-Lab binary (.mpr)",
            "voltage_column": v_name,
            "mpr_columns": list(names),
            "mpr_version": int(getattr(mpr, "version", 0)),
            "step_index_semantics": "sequence (Ns)" if "step_index" in extras else None,
            "cycle_numbering": "0-based (EC-Lab cycle number)",
        }
    )
    meta = {k: v for k, v in meta.items() if v is not None}
    return [
        build_cycling(
            path,
            time_s=time,
            voltage_V=voltage,
            current_mA=current,
            extras=extras,
            metadata=meta,
            label=path.stem,
            reader=NAME,
        )
    ]
