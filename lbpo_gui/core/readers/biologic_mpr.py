"""BioLogic EC-Lab / BT-Lab binary ``.mpr`` files, decoded by our own reader (no GPL package).

The modules are decoded in :mod:`.biologic_mpr_format`. The mapping to the cycling schema is
the one of the ``.mpt`` reader, so that an ``.mpr`` and its ``.mpt`` export give the same table:
``time/s`` -> ``time_s`` (from the first row; EC-Lab's time of that row is
``metadata['time_offset_s']``), ``Ewe/V`` | ``Ecell/V`` | ``<Ewe>/V`` -> ``voltage_V``,
``I/mA`` | ``<I>/mA`` -> ``current_mA`` (positive = oxidation). Many GCPL ``.mpr`` files store no
current column; the current is then EC-Lab's ``<I>`` = ``dq / dt`` (``dq/mA.h`` over the time
step, 0 on the first row and where dt = 0), which is what the ``.mpt`` export writes as
``<I>/mA`` (``metadata['current_source']`` says which was used). ``half cycle`` ->
``half_cycle``, ``cycle number`` -> ``source_cycle``, ``Ns`` -> ``step_index``, ``ox/red`` ->
``ox_red``, ``Q charge/discharge/mA.h`` (per half cycle, signed) or ``(Q-Qo)/mA.h``
(cumulative) -> ``capacity_mAh``.

The active mass, electrode area, comments and technique come from the settings module and the
acquisition start from the log module (same metadata keys as the ``.mpt`` reader).

Impedance: a PEIS/GEIS file (a ``freq/Hz`` column, no cycling technique) is returned as one
table of kind ``impedance`` (``frequency_Hz``, ``z_real_ohm`` = Re(Z), ``z_imag_ohm`` =
-(-Im(Z)), negative for a capacitive response, ``time_s``). A Modulo Bat file mixing
galvanostatic and impedance steps is cycling data: its rows with a frequency (the impedance
steps) are left out of the cycling table and counted in ``metadata['impedance_rows']``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ReaderError
from .base import ImportedData
from .biologic_mpr_format import (
    MAGIC,
    decode_data,
    decode_log,
    decode_settings,
    find_module,
    read_modules,
)
from .cycling_table import build_cycling, iso
from .registry import reader

NAME = "biologic_mpr"
VOLTAGE_COLUMNS: tuple[str, ...] = ("Ewe/V", "<Ewe>/V", "Ewe-Ece/V")
CURRENT_COLUMNS: tuple[str, ...] = ("I/mA", "<I>/mA")
#: Techniques whose Ewe column the export calls Ecell (battery testers, BT-Lab).
_ECELL_TECHNIQUES = frozenset({"Battery Capacity Determination"})
_IMPEDANCE_TECHNIQUES = ("impedance",)


def sniff(head: bytes, filename: str) -> float:
    """Score: the BioLogic magic (cycling and impedance techniques are both read)."""
    return 0.95 if head.startswith(MAGIC) else 0.0


def _first(cols: dict[str, np.ndarray], names: tuple[str, ...]) -> str | None:
    return next((n for n in names if n in cols), None)


def _file_metadata(path: Path, modules: list) -> dict[str, Any]:
    meta: dict[str, Any] = {"source_format": "BioLogic EC-Lab binary (.mpr)"}
    settings = find_module(modules, "VMP Set")
    if settings is not None:
        meta.update(decode_settings(settings))
    log = find_module(modules, "VMP LOG")
    if log is not None:
        meta.update(decode_log(log))
    return meta


def _start_time(meta: dict[str, Any], t0: float) -> None:
    start = meta.get("acquisition_start")
    if start:
        meta["start_time"] = iso(datetime.fromisoformat(start) + timedelta(seconds=t0))


@reader(
    NAME,
    kinds=("cycling", "impedance"),
    patterns=("*.mpr",),
    sniff=sniff,
    description="BioLogic EC-Lab/BT-Lab binary (.mpr): GCPL, BCD, Modulo Bat ... and PEIS/GEIS",
)
def read(path: Path) -> list[ImportedData]:
    """Read one ``.mpr`` file (see the module docstring)."""
    path = Path(path)
    blob = path.read_bytes()
    if not blob:
        raise ReaderError(path, "file is empty", line=1, expected="a BioLogic .mpr file")
    modules = read_modules(path, blob)
    data_mod = find_module(modules, "VMP data")
    if data_mod is None:
        raise ReaderError(path, "no data module in the file", expected="a 'VMP data' module")
    table = decode_data(path, data_mod)
    cols = table.columns
    meta = _file_metadata(path, modules)
    meta["mpr_version"] = table.version
    meta["mpr_columns"] = [n for n in cols]
    if table.unknown_ids:
        meta["mpr_unknown_column_ids"] = table.unknown_ids
    if "time/s" not in cols:
        raise ReaderError(
            path,
            f"no time/s column (columns: {', '.join(cols)})",
            expected="a time/s column (column ID 4)",
        )
    technique = str(meta.get("technique", ""))
    freq = cols.get("freq/Hz")
    if freq is not None and (
        any(h in technique.lower() for h in _IMPEDANCE_TECHNIQUES) or bool(np.all(freq > 0))
    ):
        return [_impedance(path, cols, meta)]
    keep = None
    if freq is not None:
        keep = ~(freq > 0)
        meta["impedance_rows"] = int(np.count_nonzero(~keep))
        cols = {k: v[keep] for k, v in cols.items()}
        if not len(cols["time/s"]):
            raise ReaderError(path, "no galvanostatic rows outside the impedance steps")
    return [_cycling(path, cols, meta, technique)]


def _current(
    path: Path, cols: dict[str, np.ndarray], time: np.ndarray, meta: dict[str, Any]
) -> np.ndarray:
    name = _first(cols, CURRENT_COLUMNS)
    if name is not None:
        meta["current_source"] = name
        return np.asarray(cols[name], dtype=np.float64)
    dq_name = _first(cols, ("dq/mA.h", "dQ/mA.h"))
    if dq_name is None:
        raise ReaderError(
            path,
            f"no current column (I/mA, <I>/mA) and no dq/mA.h to derive it from "
            f"(columns: {', '.join(cols)})",
            expected="a current column",
        )
    dq = np.asarray(cols[dq_name], dtype=np.float64)
    dt = np.diff(time, prepend=time[0])
    current = np.zeros(len(time))
    ok = dt > 0
    current[ok] = dq[ok] / dt[ok] * 3600.0
    meta["current_source"] = f"<I> derived as {dq_name} / dt (EC-Lab definition)"
    return current


def _cycling(
    path: Path, cols: dict[str, np.ndarray], meta: dict[str, Any], technique: str
) -> ImportedData:
    v_name = _first(cols, VOLTAGE_COLUMNS)
    if v_name is None:
        raise ReaderError(
            path,
            f"no Ewe/V or Ecell/V column (columns: {', '.join(cols)})",
            expected="time/s and Ewe/V (or Ecell/V) columns",
        )
    time = np.asarray(cols["time/s"], dtype=np.float64)
    voltage = np.asarray(cols[v_name], dtype=np.float64)
    current = _current(path, cols, time, meta)
    extras: dict[str, np.ndarray] = {}
    for key, name in (
        ("half_cycle", "half cycle"),
        ("source_cycle", "cycle number"),
        ("step_index", "Ns"),
        ("ox_red", "ox/red"),
    ):
        if name in cols:
            extras[key] = cols[name]
    for q_name, semantics in (
        ("Q charge/discharge/mA.h", "per_half_cycle"),
        ("(Q-Qo)/mA.h", "cumulative"),
    ):
        if q_name in cols:
            extras["capacity_mAh"] = np.asarray(cols[q_name], dtype=np.float64)
            meta.update(capacity_semantics=semantics, capacity_signed=True, capacity_column=q_name)
            break
    _start_time(meta, float(time[0]))
    voltage_column = "Ecell/V" if v_name == "Ewe/V" and technique in _ECELL_TECHNIQUES else v_name
    meta.update(voltage_column=voltage_column, cycle_numbering="0-based (EC-Lab cycle number)")
    if "step_index" in extras:
        meta["step_index_semantics"] = "sequence (Ns)"
    if meta.get("impedance_rows"):
        meta.setdefault("warnings", []).append(
            f"{meta['impedance_rows']} rows of impedance steps (freq/Hz > 0) are not cycling "
            "data and were left out"
        )
    return build_cycling(
        path,
        time_s=time,
        voltage_V=voltage,
        current_mA=current,
        extras=extras,
        metadata=meta,
        label=path.stem,
        reader=NAME,
    )


def _impedance(path: Path, cols: dict[str, np.ndarray], meta: dict[str, Any]) -> ImportedData:
    missing = [n for n in ("Re(Z)/Ohm", "-Im(Z)/Ohm") if n not in cols]
    if missing:
        raise ReaderError(
            path,
            f"impedance data without {', '.join(missing)}",
            expected="freq/Hz, Re(Z)/Ohm and -Im(Z)/Ohm columns",
        )
    time = np.asarray(cols["time/s"], dtype=np.float64)
    arrays = {
        "frequency_Hz": np.asarray(cols["freq/Hz"], dtype=np.float64),
        "z_real_ohm": np.asarray(cols["Re(Z)/Ohm"], dtype=np.float64),
        "z_imag_ohm": -np.asarray(cols["-Im(Z)/Ohm"], dtype=np.float64),
        "time_s": time - time[0],
    }
    for key, name in (("cycle", "cycle number"), ("step_index", "Ns")):
        if name in cols:
            arrays[key] = np.asarray(cols[name]).astype(np.int64)
    meta["time_offset_s"] = float(time[0])
    _start_time(meta, float(time[0]))
    meta["sign_convention"] = "z_imag_ohm = Im(Z) (negative for a capacitive response)"
    return ImportedData(
        kind="impedance", label=path.stem, arrays=arrays, metadata=meta, reader=NAME
    )
