"""What a reader returns: one or more tables of one technique, in the common schema.

Common column names (units are part of every name):

- cycling: ``time_s``, ``voltage_V``, ``current_mA`` (positive = charge of the cell, i.e. oxidation
  of a cathode), optional ``step_index``, ``source_cycle``, ``capacity_mAh`` (vendor's, for
  cross-checks), ``energy_Wh``.
- impedance: ``frequency_Hz``, ``z_real_ohm``, ``z_imag_ohm`` (Z = Z' + j Z'', Z'' negative for a
  capacitive response).
- xps: ``binding_energy_eV``, ``counts_per_s``.
- eds_profile: ``distance_nm`` plus one column per element named by its symbol (``Ni``, ``Co``...),
  in counts or at.% (``metadata['signal_unit']`` says which).
- eds_map: element maps of a STEM-EDS spectrum image, one 2-D float array (rows = y, columns =
  x) per element symbol, plus optional same-sized images named by detector (``HAADF``...).
  ``metadata['elements']`` and ``metadata['images']`` list which arrays are which,
  ``metadata['pixel_size_nm']`` is the (square) pixel size, ``metadata['signal_unit']`` the nature
  of the map values. No column is required (element names vary); a map becomes an
  ``eds_profile`` through :func:`lbpo_gui.core.eds.line_profile`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

DATASET_KINDS: tuple[str, ...] = ("cycling", "impedance", "xps", "eds_profile", "eds_map")

REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "cycling": ("time_s", "voltage_V", "current_mA"),
    "impedance": ("frequency_Hz", "z_real_ohm", "z_imag_ohm"),
    "xps": ("binding_energy_eV", "counts_per_s"),
    "eds_profile": ("distance_nm",),
    "eds_map": (),
}

#: The x column of each kind (``lbpo info`` reports its range).
X_COLUMNS: dict[str, str] = {
    "cycling": "time_s",
    "impedance": "frequency_Hz",
    "xps": "binding_energy_eV",
    "eds_profile": "distance_nm",
}


def main_signal(kind: str, arrays: dict[str, np.ndarray]) -> np.ndarray | None:
    """The signal whose maximum ``lbpo info`` reports the x of: the voltage of cycling data,
    -Z'' (the arc apex) of impedance, the count rate of XPS, the first element of an EDS profile.
    None when the table has no such column."""
    if kind == "cycling":
        return arrays.get("voltage_V")
    if kind == "impedance":
        zi = arrays.get("z_imag_ohm")
        return None if zi is None else -np.asarray(zi, dtype=float)
    if kind == "xps":
        return arrays.get("counts_per_s")
    if kind == "eds_profile":
        elements = [k for k in arrays if k != X_COLUMNS[kind]]
        return arrays[elements[0]] if elements else None
    return None


def x_summary(kind: str, arrays: dict[str, np.ndarray]) -> dict[str, float | None]:
    """``x_min``, ``x_max`` and ``x_at_max`` (x where :func:`main_signal` peaks) of a table,
    in the kind's x unit (time_s, frequency_Hz, binding_energy_eV, distance_nm); NaNs ignored."""
    out: dict[str, float | None] = {"x_min": None, "x_max": None, "x_at_max": None}
    x = arrays.get(X_COLUMNS.get(kind, ""))
    if x is None or len(x) == 0:
        return out
    x = np.asarray(x, dtype=float)
    finite = np.isfinite(x)
    if not finite.any():
        return out
    out["x_min"] = float(np.min(x[finite]))
    out["x_max"] = float(np.max(x[finite]))
    y = main_signal(kind, arrays)
    if y is not None and len(y) == len(x):
        y = np.asarray(y, dtype=float)
        ok = finite & np.isfinite(y)
        if ok.any():
            idx = np.flatnonzero(ok)
            out["x_at_max"] = float(x[idx[np.argmax(y[idx])]])
    return out


@dataclass
class ImportedData:
    """One table read from a file: arrays in the common schema plus metadata.

    ``metadata`` must be JSON-serialisable (str, int, float, bool, None, lists and dicts of these).
    Typical keys: ``active_mass_mg``, ``channel``, ``start_time`` (ISO 8601), ``photon_energy_eV``,
    ``pass_energy_eV``, ``dwell_s``, ``etch_level``, ``region``, ``signal_unit``, ``technique``.
    """

    kind: str
    label: str
    arrays: dict[str, np.ndarray]
    metadata: dict[str, Any] = field(default_factory=dict)
    reader: str = ""

    def __post_init__(self) -> None:
        if self.kind not in DATASET_KINDS:
            raise ValueError(f"unknown dataset kind {self.kind!r}; expected one of {DATASET_KINDS}")
        self.arrays = {str(k): np.asarray(v) for k, v in self.arrays.items()}

    @property
    def n_points(self) -> int:
        """Number of rows (length of the longest array)."""
        return max((len(a) for a in self.arrays.values()), default=0)

    def x_summary(self) -> dict[str, float | None]:
        """``x_min``, ``x_max``, ``x_at_max`` of this table (see :func:`x_summary`)."""
        return x_summary(self.kind, self.arrays)

    def missing_columns(self) -> list[str]:
        """Required columns of this kind that are absent."""
        return [c for c in REQUIRED_COLUMNS[self.kind] if c not in self.arrays]
