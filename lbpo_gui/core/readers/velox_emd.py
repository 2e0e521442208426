"""Thermo Fisher Velox ``.emd`` (HDF5, Velox's own EMD variant; checked on version 11 files).

Read with h5py, nothing else: ``/Data/Image/<uuid>/Data`` holds (H, W, frames) images, each with
a ``Metadata`` JSON (uint8, NUL padded, one column per frame) whose ``BinaryResult`` gives the
detector (``HAADF``, ``SuperXG2``...) and ``PixelSize`` in metres. The name of each image (the
element of an EDS map, or ``HAADF``) is the title of the display that shows it
(``/Displays/ImageDisplay/*`` -> ``/SharedProperties/ImageSeriesDataReference/*`` -> dataPath).
Element maps are summed over frames (counts), other images averaged. Spectrum streams and the
compressed spectrum image are not decoded (optional in the brief; the maps are what the line tool
needs); their presence is noted in the metadata.

Output (kind ``eds_map``): one 2-D array per element and per same-sized image; metadata
``elements``, ``images``, ``pixel_size_nm``, ``signal_unit`` (``counts``; Velox maps are
net-count maps unless quantified), ``velox_version``, ``map_filter`` (Velox's pre-filter of the
maps, e.g. ``{"enabled": true, "filter": "Mean", "kernelSize": 3}``), ``beam_energy_keV``,
``skipped_images`` (images of another size).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ReaderError
from .base import ImportedData
from .eds_columns import parse_element_header
from .files import open_hdf5
from .registry import reader

EXPECTED = "a Velox .emd file with element maps"
HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"


def _json(ds: Any, column: int = 0) -> dict[str, Any]:
    """A Velox JSON value: an object (string) dataset, or a uint8 NUL-padded column."""
    raw = ds[()]
    if raw.dtype.kind == "O":
        item = raw.reshape(-1)[0]
        text = item.decode("utf-8", "replace") if isinstance(item, bytes) else str(item)
    else:
        arr = np.asarray(raw)
        col = arr[:, column] if arr.ndim == 2 else arr
        text = col.tobytes().split(b"\x00", 1)[0].decode("utf-8", "replace")
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def _titles(f: Any) -> dict[str, str]:
    """``{"/Data/Image/<uuid>": display title}`` from the display definitions."""
    refs: dict[str, str] = {}
    shared = f.get("SharedProperties/ImageSeriesDataReference")
    if shared is not None:
        for key, ds in shared.items():
            path = _json(ds).get("dataPath")
            if isinstance(path, str):
                refs[f"/SharedProperties/ImageSeriesDataReference/{key}"] = path
    out: dict[str, str] = {}
    displays = f.get("Displays/ImageDisplay")
    if displays is not None:
        for ds in displays.values():
            doc = _json(ds)
            data_path = refs.get(str(doc.get("data", "")))
            title = doc.get("title")
            if data_path and isinstance(title, str) and data_path not in out:
                out[data_path] = title
    return out


def _float(text: Any) -> float | None:
    try:
        v = float(text)
    except (TypeError, ValueError):
        return None
    return v if np.isfinite(v) else None


_TO_NM = {"m": 1e9, "mm": 1e6, "um": 1e3, "µm": 1e3, "nm": 1.0, "pm": 1e-3}


def _pixel_size_nm(meta: dict[str, Any]) -> tuple[float | None, float | None]:
    br = meta.get("BinaryResult") or {}
    size = br.get("PixelSize") or {}
    fx = _TO_NM.get(str(br.get("PixelUnitX", "m")))
    fy = _TO_NM.get(str(br.get("PixelUnitY", "m")))
    w, h = _float(size.get("width")), _float(size.get("height"))
    return (w * fx if w and fx else None), (h * fy if h and fy else None)


def _first_json(f: Any, group: str) -> dict[str, Any] | None:
    g = f.get(group)
    if g is None:
        return None
    for ds in g.values():
        return _json(ds)
    return None


def read_velox(path: Path) -> list[ImportedData]:
    """Element maps and same-sized images of a Velox ``.emd`` (see the module doc)."""
    f = open_hdf5(path, EXPECTED)
    with f:
        version = _json(f["Version"]) if "Version" in f else {}
        if version.get("format") not in ("Velox", None) or "Data" not in f:
            raise ReaderError(path, "is an HDF5 file but not a Velox EMD", expected=EXPECTED)
        images = f.get("Data/Image")
        if images is None or not len(images):
            raise ReaderError(path, "holds no images or element maps", expected=EXPECTED)
        titles = _titles(f)
        maps: dict[str, np.ndarray] = {}
        others: dict[str, np.ndarray] = {}
        lines: dict[str, str] = {}
        pixel: tuple[float | None, float | None] = (None, None)
        beam_kev = None
        detectors: dict[str, str] = {}
        for key, grp in images.items():
            if "Data" not in grp:
                continue
            meta = _json(grp["Metadata"]) if "Metadata" in grp else {}
            detector = str((meta.get("BinaryResult") or {}).get("Detector", ""))
            title = titles.get(f"/Data/Image/{key}", detector or key)
            data = np.asarray(grp["Data"][()], dtype=np.float64)
            if data.ndim == 2:
                data = data[:, :, None]
            if data.ndim != 3:
                continue
            element = parse_element_header(title)
            if element is not None and not detector.upper().startswith(("HAADF", "BF", "DF")):
                name = element[0]
                if name in maps:
                    continue
                maps[name] = data.sum(axis=2)
                lines[name] = element[1]
                pixel = _pixel_size_nm(meta) if pixel == (None, None) else pixel
            else:
                name = title if title not in others else f"{title} ({key[:6]})"
                others[name] = data.mean(axis=2)
            detectors[name] = detector
            hv = _float((meta.get("Optics") or {}).get("AccelerationVoltage"))
            beam_kev = beam_kev or (hv / 1000.0 if hv else None)
        if not maps:
            raise ReaderError(
                path,
                f"holds images ({', '.join(others) or 'none'}) but no element maps",
                expected=EXPECTED,
            )
        shape = next(iter(maps.values())).shape
        kept = {k: v for k, v in others.items() if v.shape == shape}
        skipped = [k for k in others if k not in kept]
        filt = _first_json(f, "SharedProperties/UnaryImageFilterSettings")
        quant = _first_json(f, "SharedProperties/EDSSpectrumQuantificationSettings") or {}
        has_si = "Data/SpectrumImage" in f or "Data/SpectrumStream" in f
    px, py = pixel
    if px is None:
        raise ReaderError(path, "the element maps carry no pixel size", expected=EXPECTED)
    meta_out: dict[str, Any] = {
        "technique": "STEM-EDS maps",
        "format": "Velox EMD",
        "velox_version": str(version.get("version", "")),
        "elements": list(maps),
        "images": list(kept),
        "xray_lines": lines,
        "detectors": detectors,
        "pixel_size_nm": px,
        "pixel_size_x_nm": px,
        "pixel_size_y_nm": py if py is not None else px,
        "signal_unit": "counts",
        "shape": list(shape),
        "map_filter": {k: filt[k] for k in ("enabled", "filter", "kernelSize") if k in filt}
        if filt
        else None,
        "beam_energy_keV": beam_kev,
        "element_selection_Z": quant.get("elementSelection"),
        "spectrum_image": "present, not decoded" if has_si else "absent",
        "skipped_images": skipped,
    }
    arrays = {**maps, **kept}
    return [ImportedData("eds_map", f"{path.stem} maps", arrays, meta_out)]


def sniff_velox(head: bytes, filename: str) -> float:
    """HDF5 content with the ``.emd`` extension (Velox writes no marker in the first 64 KiB)."""
    if not head.startswith(HDF5_MAGIC):
        return 0.0
    return 0.9 if filename.endswith(".emd") else 0.0


@reader(
    "velox-emd",
    kinds=("eds_map",),
    patterns=("*.emd",),
    sniff=sniff_velox,
    description="Thermo Fisher Velox EMD: element maps and HAADF (h5py)",
)
def read_velox_emd(path: Path) -> list[ImportedData]:
    """Read a Velox ``.emd`` file."""
    return read_velox(Path(path))
