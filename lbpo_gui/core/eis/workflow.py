"""One call from a spectrum to a labelled fit: what the CLI, the stored analysis and the
Impedance tab use.

:func:`fit_spectrum` parses the circuit (``"auto"`` = the study's ``R(QR)(QR)W``), takes start
values from the spectrum unless told otherwise (:mod:`.start`), fits from that start and a few
variations keeping the lowest chi-square (:mod:`.fit`), and labels the arcs (:mod:`.arcs`).
:func:`fit_summary` turns the result into the JSON of ``lbpo eis`` (DESIGN.md).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .arcs import ArcResult, circuit_arcs, series_resistances
from .cdc import parse_circuit, to_cdc, to_extended
from .circuit import Circuit
from .fit import FitResult, fit_circuit, prepare_data
from .start import auto_start, start_candidates
from .weighting import DEFAULT_WEIGHTING

#: The study's circuit: R_SE,bulk - (R_SE,gb || CPE) - (R_electrode/SE || CPE) - W.
STUDY_CIRCUIT = "R(QR)(QR)W"


@dataclass
class SpectrumFit:
    """A fit with its arcs (R-Q/R-C pairs) and the labelled series resistors."""

    fit: FitResult
    arcs: list[ArcResult]
    series: list[ArcResult]
    start: Circuit
    warnings: list[str] = field(default_factory=list)

    @property
    def circuit(self) -> Circuit:
        return self.fit.circuit


def resolve_circuit(circuit: str | Circuit) -> Circuit:
    """A circuit from text (``"auto"`` = :data:`STUDY_CIRCUIT`) or as given."""
    if isinstance(circuit, Circuit):
        return circuit
    text = STUDY_CIRCUIT if circuit.strip().lower() == "auto" else circuit
    return parse_circuit(text)


def fit_spectrum(
    circuit: str | Circuit,
    freq_Hz: Sequence[float],
    z: Sequence[complex],
    *,
    weighting: str = DEFAULT_WEIGHTING,
    fmin: float | None = None,
    fmax: float | None = None,
    mask: Sequence[bool] | None = None,
    auto: bool = True,
    n_starts: int = 4,
    extra_starts: Sequence[Sequence[float]] = (),
) -> SpectrumFit:
    """Fit ``circuit`` to Z(f) (complex ohm). ``auto``: start values from the spectrum, else the
    circuit's own values; ``n_starts``: total starts tried (``extra_starts`` first, then
    :func:`.start.start_candidates`), the lowest chi-square kept."""
    c = resolve_circuit(circuit)
    f, zd = prepare_data(freq_Hz, z, fmin, fmax, mask)
    start = auto_start(c, f, zd) if auto else c
    starts = [list(s) for s in extra_starts]
    starts += start_candidates(start, max(n_starts - 1 - len(starts), 0))
    result = fit_circuit(start, f, zd, weighting=weighting, starts=starts[: max(n_starts - 1, 0)])
    arcs = circuit_arcs(result.circuit)
    return SpectrumFit(result, arcs, series_resistances(result.circuit, arcs), start)


def _finite(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def json_safe(obj):
    """``obj`` with every NaN or infinite float replaced by None (JSON has no NaN)."""
    if isinstance(obj, dict):
        return {k: json_safe(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [json_safe(v) for v in obj]
    if isinstance(obj, float | np.floating):
        return float(obj) if math.isfinite(obj) else None
    return obj


def fit_summary(sf: SpectrumFit) -> dict:
    """The ``lbpo eis`` JSON of a fit: ``circuit``, ``weighting``, ``parameters`` (circuit
    order), ``chi_square``, ``reduced_chi_square``, ``arcs``, ``series_resistances``,
    ``warnings``, ``circuit_extended``."""
    r = sf.fit
    return json_safe(
        {
            "circuit": to_cdc(r.circuit),
            "circuit_extended": to_extended(r.circuit),
            "weighting": r.weighting,
            "parameters": [p.to_dict() for p in r.parameters],
            "chi_square": r.chi_square,
            "reduced_chi_square": r.reduced_chi_square,
            "n_points": r.n_points,
            "arcs": [{**a.to_dict(), "capacitance_F": _finite(a.capacitance_F)} for a in sf.arcs],
            "series_resistances": [
                {
                    "elements": a.elements,
                    "resistance_ohm": a.resistance_ohm,
                    "assignment": a.assignment,
                    "reason": a.reason,
                }
                for a in sf.series
            ],
            "correlation": {
                "parameters": r.free_names,
                "matrix": [[_finite(v) for v in row] for row in np.asarray(r.correlation)],
            },
            "warnings": list(r.warnings),
        }
    )


def study_resistances(sf: SpectrumFit) -> dict[str, float | None]:
    """R_SE_bulk_ohm, R_SE_gb_ohm, R_electrode_SE_ohm, R_total_ohm from the labelled fit
    (None for a class the circuit does not have)."""
    out: dict[str, float | None] = {
        "R_SE_bulk_ohm": None,
        "R_SE_gb_ohm": None,
        "R_electrode_SE_ohm": None,
    }
    keys = {
        "bulk": "R_SE_bulk_ohm",
        "grain boundary": "R_SE_gb_ohm",
        "electrode interface": "R_electrode_SE_ohm",
    }
    for a in sf.series + sf.arcs:
        key = keys.get(a.assignment)
        if key is not None:
            out[key] = (out[key] or 0.0) + a.resistance_ohm
    vals = [v for v in out.values() if v is not None]
    out["R_total_ohm"] = sum(vals) if vals else None
    return out
