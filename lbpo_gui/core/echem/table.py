"""Run the cycling analysis on a table in the common schema (what readers and the project hold).

This is the one path from a cycling table to a :class:`~.summary.CyclingSummary` used by the
command line, the Electrochemistry tab and the reports. It takes plain arrays and a metadata dict
(no project model) and picks what the vendor's columns need: the vendor capacity and its reset
semantics for the cross-check, and interval integration for EC-Lab's interval-averaged ``<I>/mA``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

import numpy as np

from ..errors import AnalysisError
from .summary import CyclingSummary, summarise_cycling

CONVENTIONS = ("cathode", "anode")
REPRESENTATIVES = ("study", "first", "second", "last", "mean")


@dataclass(frozen=True)
class CyclingSettings:
    """User settings of the cycling analysis, stored with the result.

    ``active_mass_mg`` overrides the sample's and the file's mass when set (mg).
    ``rest_threshold_mA`` None means automatic. ``integration`` None means automatic (interval
    integration for interval-averaged currents, trapezoid otherwise).
    """

    convention: str = "cathode"
    representative: str = "study"
    active_mass_mg: float | None = None
    rest_threshold_mA: float | None = None
    integration: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any] | None) -> CyclingSettings:
        """Settings from a stored dict; unknown keys are ignored, bad values refused."""
        d = dict(d or {})
        kwargs = {f.name: d[f.name] for f in fields(cls) if f.name in d}
        s = cls(**kwargs)
        if s.convention not in CONVENTIONS:
            raise AnalysisError(f"convention must be one of {CONVENTIONS}, not {s.convention!r}")
        if s.representative not in REPRESENTATIVES:
            raise AnalysisError(
                f"representative cycle must be one of {REPRESENTATIVES}, not {s.representative!r}"
            )
        return s


def integration_for(metadata: Mapping[str, Any]) -> str:
    """'interval' for interval-averaged currents (EC-Lab ``<I>/mA``), else 'trapezoid'."""
    column = str(metadata.get("current_column", "") or metadata.get("current_source", ""))
    return "interval" if column.strip().startswith("<I>") else "trapezoid"


def resolve_active_mass_mg(
    settings: CyclingSettings,
    sample_mass_mg: float | None,
    metadata: Mapping[str, Any],
    *,
    hint: str = "set the sample's masses (composite mass and active fraction, or an active mass)",
) -> tuple[float, str]:
    """The active mass to use and where it came from ('setting', 'sample' or 'file header').

    ``hint`` finishes the "no active mass" message with what the caller's user can do.
    """
    if settings.active_mass_mg is not None:
        return float(settings.active_mass_mg), "setting"
    if sample_mass_mg is not None:
        return float(sample_mass_mg), "sample"
    header = metadata.get("active_mass_mg")
    if isinstance(header, int | float) and header > 0:
        return float(header), "file header"
    raise AnalysisError(f"no active mass: {hint}")


def summarise_table(
    arrays: Mapping[str, np.ndarray],
    metadata: Mapping[str, Any],
    *,
    active_mass_mg: float,
    settings: CyclingSettings | None = None,
) -> CyclingSummary:
    """Summarise a cycling table (``time_s``, ``voltage_V``, ``current_mA`` ...)."""
    settings = settings or CyclingSettings()
    missing = [c for c in ("time_s", "voltage_V", "current_mA") if c not in arrays]
    if missing:
        raise AnalysisError(f"the table has no {', '.join(missing)} column")
    check_time_order(arrays["time_s"], metadata)
    vendor = arrays.get("capacity_mAh")
    semantics = metadata.get("capacity_semantics") if vendor is not None else None
    summary = summarise_cycling(
        arrays["time_s"],
        arrays["voltage_V"],
        arrays["current_mA"],
        active_mass_mg=active_mass_mg,
        convention=settings.convention,
        vendor_capacity_mAh=vendor if semantics else None,
        capacity_semantics=semantics,
        vendor_step_index=arrays.get("step_index") if semantics == "per_step" else None,
        representative=settings.representative,
        rest_threshold_mA=settings.rest_threshold_mA,
        integration=settings.integration or integration_for(metadata),
    )
    reader_warnings = [str(w) for w in metadata.get("warnings", ()) or ()]
    if reader_warnings:
        summary = replace(summary, warnings=(*reader_warnings, *summary.warnings))
    return summary


def check_time_order(time_s: np.ndarray, metadata: Mapping[str, Any]) -> None:
    """``AnalysisError`` naming the file, the line and the two times (as written in the file)
    where time goes backwards; the analysis needs rows in time order."""
    t = np.asarray(time_s, dtype=np.float64)
    back = np.flatnonzero(np.diff(t) < 0)
    if not back.size:
        return
    k = int(back[0]) + 1
    offset = float(metadata.get("time_offset_s", 0.0) or 0.0)
    first_line = metadata.get("first_data_line")
    where = f"line {first_line + k}" if isinstance(first_line, int) else f"data row {k + 1}"
    before = f"line {first_line + k - 1}" if isinstance(first_line, int) else f"row {k}"
    source = metadata.get("source_file")
    raise AnalysisError(
        (f"{source}, " if source else "")
        + f"{where}: time goes backwards, {t[k] + offset:.15g} s after {t[k - 1] + offset:.15g} s "
        f"on {before} ({back.size} such row{'s' * (back.size > 1)}): rows must be in time order"
    )
