"""The quantification table of one sample (one etch level): atomic % of its regions or of
their fitted components, as CasaXPS's and Avantage's quantification reports give them, and the
charge shift that puts a chosen component at its reference energy.

A region's area is the sum of its fitted components' full areas (cps eV) when it is fitted;
otherwise the area above an iterative Shirley background over the whole spectrum ("Shirley"
in the ``source`` column). The kinetic energy of a region is taken at its largest component
(or at the maximum above the background). RSFs, transmission and the KE^n correction follow
:mod:`.quantification`; a region whose RSF the library lacks is left out with a warning.

Charge correction (:data:`CHARGE_SHIFT_KEY` in a dataset's metadata, eV): added to every
binding energy of the spectrum before it is fitted or plotted, so templates keep their
reference positions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .backgrounds import shirley_background
from .quantification import C1S_REFERENCE_EV, QuantPeak, atomic_percent, rsf, transmission_at

#: Metadata key of a spectrum's charge correction, eV (added to the recorded binding energies).
CHARGE_SHIFT_KEY = "charge_shift_eV"
BY = ("regions", "components")


def charge_shift_of(metadata: Mapping[str, Any]) -> float:
    """The charge shift stored in a dataset's metadata, eV (0 when none or not a number)."""
    try:
        value = float(metadata.get(CHARGE_SHIFT_KEY) or 0.0)
    except (TypeError, ValueError):
        return 0.0
    return value if np.isfinite(value) else 0.0


def corrected_binding_energy(arrays: Mapping[str, Any], metadata: Mapping[str, Any]) -> np.ndarray:
    """The binding energies of a spectrum with its charge shift applied, eV."""
    be = np.asarray(arrays["binding_energy_eV"], dtype=float)
    shift = charge_shift_of(metadata)
    return be + shift if shift else be


def acquisition_key(metadata: Mapping[str, Any]) -> tuple[str, str, float]:
    """Which spectra are quantified together: the same specimen, state and etch time (or
    level); spectra without etch information count as level 0."""
    level = metadata.get("etch_time_s", metadata.get("etch_level"))
    try:
        lv = float(level) if level is not None else 0.0
    except (TypeError, ValueError):
        lv = 0.0
    return (str(metadata.get("specimen") or ""), str(metadata.get("state") or ""), lv)


def shift_to_reference(
    measured_eV: float, current_shift_eV: float, reference_eV: float = C1S_REFERENCE_EV
) -> float:
    """The new total charge shift that moves a component fitted at ``measured_eV`` (on the
    already shifted axis) to ``reference_eV``."""
    return float(current_shift_eV + (reference_eV - measured_eV))


@dataclass
class RegionInput:
    """One spectrum of the sample: ``region`` (``"S 2p"``), its label, the (charge-corrected)
    ascending or descending axis and CPS, the photon energy, an optional transmission column
    and the fitted components (dicts with ``name``, ``position_eV``, ``area``) or None."""

    region: str
    label: str
    binding_energy_eV: np.ndarray
    counts_per_s: np.ndarray
    photon_energy_eV: float = 1486.6
    transmission: np.ndarray | None = None
    components: list[dict[str, Any]] | None = None
    charge_shift_eV: float = 0.0


@dataclass
class QuantTable:
    """Rows (dicts, keys of :data:`COLUMNS`) and warnings of a quantification."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


#: Columns of a quantification row (units in the names).
COLUMNS = (
    "name",
    "region",
    "source",
    "position_eV",
    "area_cps_eV",
    "rsf",
    "transmission",
    "ke_eV",
    "corrected_area",
    "atomic_pct",
    "charge_shift_eV",
)


def _shirley_area(be: np.ndarray, cps: np.ndarray) -> tuple[float, float]:
    """(area above an iterative Shirley background, BE of the largest excess) of a spectrum."""
    order = np.argsort(be)
    x, y = be[order], cps[order]
    bg = shirley_background(x, y).background
    excess = y - bg
    area = float(np.sum(0.5 * (excess[1:] + excess[:-1]) * np.diff(x)))
    return area, float(x[int(np.argmax(excess))])


def _peaks_of(inp: RegionInput, by: str) -> list[tuple[str, str, float, float]]:
    """(name, source, area, position) of the region or of each fitted component."""
    if inp.components:
        if by == "components":
            return [
                (f"{inp.region} {c['name']}", "fit", float(c["area"]), float(c["position_eV"]))
                for c in inp.components
            ]
        main = max(inp.components, key=lambda c: float(c["area"]))
        area = float(sum(float(c["area"]) for c in inp.components))
        return [(inp.region, "fit", area, float(main["position_eV"]))]
    area, pos = _shirley_area(
        np.asarray(inp.binding_energy_eV, float), np.asarray(inp.counts_per_s, float)
    )
    return [(inp.region, "Shirley", area, pos)]


def quantify(
    inputs: Sequence[RegionInput],
    *,
    library: str = "althermo1",
    ke_exponent: float = 0.6,
    by: str = "regions",
) -> QuantTable:
    """Atomic % of ``inputs`` (one spectrum per region; ``by`` "regions" or "components")."""
    if by not in BY:
        raise ValueError(f"by must be one of {BY}")
    out = QuantTable()
    seen: set[str] = set()
    peaks: list[QuantPeak] = []
    rows: list[dict[str, Any]] = []
    for inp in inputs:
        if inp.region in seen:
            out.warnings.append(f"{inp.label}: a second {inp.region} spectrum, left out")
            continue
        seen.add(inp.region)
        try:
            factor = rsf(inp.region, library)
        except KeyError:
            out.warnings.append(f"{inp.label}: no {library} RSF for {inp.region!r}, left out")
            continue
        for name, source, area, pos in _peaks_of(inp, by):
            if not area > 0:
                out.warnings.append(f"{name}: area <= 0 above the background, left out")
                continue
            t = 1.0
            if inp.transmission is not None:
                t = transmission_at(
                    np.asarray(inp.binding_energy_eV, float), np.asarray(inp.transmission), pos
                )
            ke = inp.photon_energy_eV - pos
            peaks.append(QuantPeak(name, area, factor, pos, t))
            rows.append(
                {
                    "name": name,
                    "region": inp.region,
                    "source": source,
                    "position_eV": pos,
                    "area_cps_eV": area,
                    "rsf": factor,
                    "transmission": t,
                    "ke_eV": ke,
                    "corrected_area": area / (factor * t * ke**ke_exponent) if ke > 0 else 0.0,
                    "charge_shift_eV": inp.charge_shift_eV,
                }
            )
    if not peaks:
        out.warnings.append("nothing to quantify")
        return out
    photon = {inp.photon_energy_eV for inp in inputs}
    if len(photon) > 1:
        out.warnings.append(
            f"spectra of different photon energies {sorted(photon)}: not comparable"
        )
        return out
    try:
        at = atomic_percent(peaks, photon_energy_eV=photon.pop(), ke_exponent=ke_exponent)
    except ValueError as exc:
        out.warnings.append(str(exc))
        return out
    for r in rows:
        r["atomic_pct"] = at[r["name"]]
    out.rows = rows
    return out
