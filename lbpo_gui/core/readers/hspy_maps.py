"""HyperSpy ``.hspy`` element maps (HDF5, read with h5py; HyperSpy itself is GPL and not used).

A ``.hspy`` file holds ``/Experiments/<title>/data`` with ``axis-0`` and ``axis-1`` groups whose
attributes give ``scale`` and ``units``, and ``metadata/Sample/_list_xray_lines`` (e.g.
``Y_Ka``). An element map is a 2-D signal with its X-ray line named in the metadata (or in the
title, or the file name). Several files of one map set (``Y_Ka.hspy``, ``Sr_Ka.hspy``...) are
combined by :func:`read_hspy_maps` given a list of paths; the registered reader reads one file.

Output (kind ``eds_map``): one 2-D array per element (rows = axis-0, columns = axis-1); metadata
``elements``, ``images`` (empty), ``pixel_size_nm``, ``signal_unit`` (``counts``),
``xray_lines``, ``beam_energy_keV``, ``title``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ReaderError
from .base import ImportedData
from .eds_columns import parse_element_header
from .files import open_hdf5
from .registry import reader
from .velox_emd import HDF5_MAGIC

EXPECTED = "a HyperSpy .hspy file with a 2-D element map"
_TO_NM = {"nm": 1.0, "µm": 1e3, "um": 1e3, "Å": 0.1, "A": 0.1, "pm": 1e-3, "m": 1e9}


def _text(v: Any) -> str:
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if isinstance(v, np.ndarray) and v.size:
        return _text(v.reshape(-1)[0])
    return str(v)


def _read_one(path: Path) -> tuple[str, str, np.ndarray, float, dict[str, Any]]:
    f = open_hdf5(path, EXPECTED)
    with f:
        if _text(f.attrs.get("file_format", "")) != "HyperSpy" or "Experiments" not in f:
            raise ReaderError(path, "is an HDF5 file but not a HyperSpy file", expected=EXPECTED)
        experiments = list(f["Experiments"].values())
        if not experiments:
            raise ReaderError(path, "holds no signal", expected=EXPECTED)
        g = experiments[0]
        data = np.asarray(g["data"][()], dtype=np.float64)
        if data.ndim != 2:
            raise ReaderError(
                path, f"holds a {data.ndim}-D signal, not a 2-D map", expected=EXPECTED
            )
        scales = []
        for k in (0, 1):
            ax = g.get(f"axis-{k}")
            attrs = ax.attrs if ax is not None else {}
            unit = _text(attrs.get("units", "nm"))
            scale = float(attrs.get("scale", 1.0))
            factor = _TO_NM.get(unit)
            if factor is None:
                raise ReaderError(
                    path, f"axis {k} has unit {unit!r}", expected="a map calibrated in nm or um"
                )
            scales.append(scale * factor)
        line_names = []
        sample = g.get("metadata/Sample")
        if sample is not None and "_list_xray_lines" in sample:
            line_names = [_text(x) for x in np.asarray(sample["_list_xray_lines"][()]).reshape(-1)]
        title = (
            _text(g["metadata/General"].attrs.get("title", "")) if "metadata/General" in g else ""
        )
        candidates = [*line_names, *title.replace(":", " ").split(), path.stem]
        element = next((e for e in map(parse_element_header, candidates) if e), None)
        if element is None:
            raise ReaderError(path, "names no element or X-ray line", expected=EXPECTED)
        tem = g.get("metadata/Acquisition_instrument/TEM")
        beam = (
            float(tem.attrs["beam_energy"])
            if tem is not None and "beam_energy" in tem.attrs
            else None
        )
    if not np.isclose(scales[0], scales[1], rtol=1e-3):
        raise ReaderError(
            path, f"pixels are not square ({scales[0]:g} x {scales[1]:g} nm)", expected=EXPECTED
        )
    return element[0], element[1], data, scales[0], {"beam_energy_keV": beam, "title": title}


def _one_table(path: Path) -> ImportedData:
    symbol, line, data, px, info = _read_one(path)
    meta = {
        "technique": "STEM-EDS maps",
        "format": "HyperSpy hspy",
        "elements": [symbol],
        "images": [],
        "xray_lines": {symbol: line},
        "pixel_size_nm": float(px),
        "pixel_size_x_nm": float(px),
        "pixel_size_y_nm": float(px),
        "signal_unit": "counts",
        "shape": list(data.shape),
        "beam_energy_keV": info.get("beam_energy_keV"),
        "title": info.get("title", ""),
        "map_filter": None,
    }
    return ImportedData("eds_map", path.stem, {symbol: data}, meta)


def read_hspy_maps(paths: Sequence[str | Path], label: str | None = None) -> ImportedData:
    """Combine single-element ``.hspy`` maps of one acquisition into one ``eds_map`` table.

    Every map must have the same shape and pixel size (ReaderError naming the odd file).
    """
    paths = [Path(p) for p in paths]
    if not paths:
        raise ValueError("no .hspy files given")
    tables = [_one_table(p) for p in paths]
    for k in range(1, len(tables)):
        try:
            merge_map_tables([tables[0], tables[k]])
        except ValueError as exc:
            raise ReaderError(paths[k], str(exc), expected="maps of one acquisition") from None
    merged = merge_map_tables(tables, label or paths[0].stem)
    merged.metadata.pop("merged_from")
    return merged


def merge_map_tables(tables: Sequence[ImportedData], label: str | None = None) -> ImportedData:
    """One ``eds_map`` table from several of one acquisition (e.g. one ``.hspy`` per element,
    imported one by one): same shape and pixel size required (ValueError naming the odd one);
    the first table of an element wins."""
    if not tables:
        raise ValueError("no map tables given")
    first = tables[0]
    px = float(first.metadata["pixel_size_nm"])
    shape = tuple(first.metadata.get("shape") or next(iter(first.arrays.values())).shape)
    arrays: dict[str, np.ndarray] = {}
    elements: list[str] = []
    images: list[str] = []
    lines: dict[str, str] = {}
    for t in tables:
        if t.kind != "eds_map":
            raise ValueError(f"{t.label} is {t.kind} data, not element maps")
        t_px = float(t.metadata["pixel_size_nm"])
        for name, a in t.arrays.items():
            if a.shape != shape or not np.isclose(t_px, px, rtol=1e-3):
                raise ValueError(
                    f"{t.label}: {name} is {a.shape} at {t_px:g} nm, the others {shape} at {px:g} nm"
                )
            if name in arrays:
                continue
            arrays[name] = a
            (elements if name in t.metadata.get("elements", []) else images).append(name)
        lines.update(
            {k: v for k, v in (t.metadata.get("xray_lines") or {}).items() if k not in lines}
        )
    meta = {
        **first.metadata,
        "elements": elements,
        "images": images,
        "xray_lines": lines,
        "merged_from": [t.label for t in tables],
    }
    return ImportedData("eds_map", label or first.label, arrays, meta, reader=first.reader)


def sniff_hspy(head: bytes, filename: str) -> float:
    """HDF5 content that names HyperSpy as its format in the file head."""
    if not head.startswith(HDF5_MAGIC):
        return 0.0
    if b"HyperSpy" in head:
        return 0.9
    return 0.5 if filename.endswith((".hspy", ".hdf5")) else 0.0


@reader(
    "hyperspy-hspy",
    kinds=("eds_map",),
    patterns=("*.hspy",),
    sniff=sniff_hspy,
    description="HyperSpy .hspy element map (h5py)",
)
def read_hspy(path: Path) -> list[ImportedData]:
    """Read one ``.hspy`` element map."""
    return [read_hspy_maps([path])]
