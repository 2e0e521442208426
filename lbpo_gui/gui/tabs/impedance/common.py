"""What the Impedance tab's views share: the state, the dataset's spectrum and circuit, and the
live preview curve of a circuit (compiled once per circuit shape, evaluated on a fixed grid)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ....core.analyses.eis import ANALYSIS_NAME, default_settings
from ....core.eis.cdc import parse_circuit, to_cdc
from ....core.eis.circuit import Circuit, CircuitError
from ....core.eis.model import compile_circuit
from ....core.eis.workflow import STUDY_CIRCUIT
from ....core.project import Dataset, Project, Sample

#: Preview curve points per decade of frequency.
PREVIEW_PER_DECADE = 20


@dataclass
class ImpedanceState:
    """The selected sample, its impedance datasets and the one shown."""

    project: Project | None = None
    sample: Sample | None = None
    datasets: list[Dataset] = field(default_factory=list)
    dataset: Dataset | None = None

    def dataset_problem(self) -> tuple[str, bool, bool] | None:
        if self.project is not None and not self.project.samples:
            return ("This project has no samples yet.", False, False)
        if self.sample is None:
            return (
                "Select a sample in the Samples panel to see its impedance spectra.",
                False,
                False,
            )
        if self.dataset is None:
            return (
                f"\u201c{self.sample.name}\u201d has no impedance spectrum yet.\n\n"
                "Use File \u25b8 Import data\u2026 or drop impedance files on the window.",
                False,
                False,
            )
        if spectrum(self.dataset) is None:
            return (
                f"{self.dataset.label} has no frequency_Hz / z_real_ohm / z_imag_ohm.",
                False,
                False,
            )
        return None


def spectrum(dataset: Dataset) -> tuple[np.ndarray, np.ndarray] | None:
    """(frequency Hz, complex Z ohm) of an impedance dataset, or None."""
    a = dataset.arrays
    if not {"frequency_Hz", "z_real_ohm", "z_imag_ohm"} <= set(a):
        return None
    f = np.asarray(a["frequency_Hz"], dtype=float)
    z = np.asarray(a["z_real_ohm"], dtype=float) + 1j * np.asarray(a["z_imag_ohm"], dtype=float)
    return f, z


def fit_settings(dataset: Dataset) -> dict[str, Any]:
    """The dataset's ``eis_fit`` settings (stored, else the defaults)."""
    stored = dataset.analyses.get(ANALYSIS_NAME)
    return {**default_settings(dataset), **(dict(stored.settings) if stored else {})}


def fit_results(dataset: Dataset) -> dict[str, Any]:
    """The stored fit's results ({} when there is none or it failed)."""
    stored = dataset.analyses.get(ANALYSIS_NAME)
    if stored is None or not stored.results or "error" in stored.results:
        return {}
    return dict(stored.results)


def fit_error(dataset: Dataset) -> str:
    stored = dataset.analyses.get(ANALYSIS_NAME)
    return str(stored.results.get("error", "")) if stored is not None and stored.results else ""


def dataset_circuit(dataset: Dataset) -> Circuit:
    """The circuit in the dataset's settings (the study's when absent or unreadable)."""
    text = fit_settings(dataset).get("circuit")
    if text is not None and not str(text).strip():
        return Circuit()  # every element removed in the editor
    try:
        return parse_circuit(str(text or STUDY_CIRCUIT))
    except CircuitError:
        return parse_circuit(STUDY_CIRCUIT)


def annotations(results: dict[str, Any]) -> dict[str, dict]:
    """Per element: fit errors (% of the value) and its arc label, from stored fit results."""
    out: dict[str, dict] = {}
    for p in results.get("parameters", []):
        err = p.get("stderr")
        v = p.get("value")
        pct = abs(100.0 * err / v) if err is not None and v else math.nan
        out.setdefault(p["element"], {"errors": {}, "label": ""})["errors"][p["name"]] = pct
    for a in results.get("arcs", []) + results.get("series_resistances", []):
        for el in a.get("elements", []):
            if el in out and a.get("assignment"):
                out[el]["label"] = str(a["assignment"])
    return out


def preview_frequencies(f: np.ndarray) -> np.ndarray:
    """A log grid over the measured range (high to low), :data:`PREVIEW_PER_DECADE`/decade."""
    f = f[np.isfinite(f) & (f > 0)]
    lo, hi = (np.log10(f.min()), np.log10(f.max())) if f.size else (-1.0, 6.0)
    n = max(int(round((hi - lo) * PREVIEW_PER_DECADE)) + 1, 2)
    return np.logspace(hi, lo, n)


class PreviewModel:
    """The curve of a circuit on a fixed frequency grid; the compiled model is reused while
    the circuit's shape (its CDC) stays the same, so a value change costs one evaluation."""

    def __init__(self) -> None:
        self._shape = ""
        self._fn: Any = None
        self._grid: np.ndarray | None = None

    def curve(self, circuit: Circuit, grid: np.ndarray) -> np.ndarray | None:
        """Z (complex ohm) on ``grid``, or None for an empty or unusable circuit."""
        if not len(circuit):
            return None
        shape = to_cdc(circuit)
        if shape != self._shape or self._grid is not grid:
            self._fn = compile_circuit(circuit).bind(grid)
            self._shape, self._grid = shape, grid
        values = [p.value for _, p in circuit.parameters()]
        with np.errstate(all="ignore"):
            z = np.asarray(self._fn(values), dtype=complex)
        return z if np.all(np.isfinite(z)) else None
