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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

DATASET_KINDS: tuple[str, ...] = ("cycling", "impedance", "xps", "eds_profile")

REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "cycling": ("time_s", "voltage_V", "current_mA"),
    "impedance": ("frequency_Hz", "z_real_ohm", "z_imag_ohm"),
    "xps": ("binding_energy_eV", "counts_per_s"),
    "eds_profile": ("distance_nm",),
}


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

    def missing_columns(self) -> list[str]:
        """Required columns of this kind that are absent."""
        return [c for c in REQUIRED_COLUMNS[self.kind] if c not in self.arrays]
