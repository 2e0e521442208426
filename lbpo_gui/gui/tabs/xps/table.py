"""The component table of a fit: rows for display and export (values, covariance and Monte
Carlo errors, constraints in words), and the parsing of edited cells."""

from __future__ import annotations

import math
from typing import Any

from ....core.xps.model import Component, FitSpec

#: (key, header) of the displayed table; units in the headers.
DISPLAY_COLUMNS = (
    ("name", "Name"),
    ("shape", "Shape"),
    ("position_eV", "Position (eV)"),
    ("fwhm_eV", "FWHM (eV)"),
    ("area", "Area (cps\u00b7eV)"),
    ("area_pct", "Area (%)"),
    ("constraints", "Constraints"),
)
#: The columns a user may edit (the others are computed or described).
EDITABLE = ("name", "shape", "position_eV", "fwhm_eV", "area")
DIGITS = {"position_eV": 3, "fwhm_eV": 3, "area": 1, "area_pct": 2}
EXPORT_COLUMNS = [
    "name",
    "shape",
    "position_eV",
    "position_stderr_eV",
    "fwhm_eV",
    "fwhm_stderr_eV",
    "area_cps_eV",
    "area_stderr_cps_eV",
    "area_pct",
    "area_pct_stderr",
    "area_pct_mc_sd",
    "mc_refits",
    "constraints",
]


def constraints_text(c: Component) -> str:
    """The component's ties in words, e.g. ``"doublet +1.18 eV, 0.5:1; 161.3-161.9 eV"``."""
    parts = []
    if c.doublet is not None:
        d = c.doublet
        parts.append(f"doublet \u0394{d.splitting_eV:g} eV \u00d7{d.area_ratio:.3g}")
    if c.position_link is not None:
        parts.append(_link_text("position", c.position_link))
    elif not c.vary_position:
        parts.append("position fixed")
    elif c.position_min_eV is not None or c.position_max_eV is not None:
        lo = "" if c.position_min_eV is None else f"{c.position_min_eV:.2f}"
        hi = "" if c.position_max_eV is None else f"{c.position_max_eV:.2f}"
        parts.append(f"position {lo}\u2013{hi} eV")
    if c.fwhm_link is not None:
        parts.append(_link_text("FWHM", c.fwhm_link))
    elif not c.vary_fwhm:
        parts.append("FWHM fixed")
    if c.area_link is not None:
        parts.append(_link_text("area", c.area_link))
    elif not c.vary_area:
        parts.append("area fixed")
    return "; ".join(parts)


def _link_text(what: str, link: Any) -> str:
    op = "+" if link.mode == "offset" else "\u00d7"
    return f"{what} = {link.ref} {op} {link.value:g}"


def _fmt(value: float, err: float | None, digits: int) -> str:
    if value is None or not math.isfinite(value):
        return ""
    text = f"{value:.{digits}f}"
    if err is not None and math.isfinite(err) and err > 0:
        text += f" \u00b1 {err:.{digits}f}"
    return text


def fitted_by_name(results: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """The fitted components of stored results, by name."""
    return {c["name"]: c for c in (results or {}).get("components", [])}


def display_rows(
    spec: FitSpec,
    results: dict[str, Any] | None,
    preview_pct: list[float] | None = None,
    preview_areas: list[float] | None = None,
) -> list[dict[str, str]]:
    """One row of display texts per component (errors shown after a fit; MC sd in brackets);
    before a fit, the previewed model's areas and shares."""
    fitted = fitted_by_name(results)
    rows = []
    for k, c in enumerate(spec.components):
        r = fitted.get(c.name)
        err = r.get("stderr", {}) if r else {}
        mc = (r.get("mc") or {}) if r else {}
        pct = r["area_pct"] if r else (preview_pct[k] if preview_pct else math.nan)
        area = c.area if r or not preview_areas else preview_areas[k]
        row = {
            "name": c.name,
            "shape": c.shape,
            "position_eV": _fmt(c.position_eV, err.get("position_eV"), 3),
            "fwhm_eV": _fmt(c.fwhm_eV, err.get("fwhm_eV"), 3),
            "area": _fmt(area, err.get("area"), 1),
            "area_pct": _fmt(pct, err.get("area_pct"), 2),
            "constraints": constraints_text(c),
        }
        sd = (mc.get("area_pct") or {}).get("sd")
        if sd is not None:
            row["area_pct"] += f" (MC \u00b1 {sd:.2f})"
        rows.append(row)
    return rows


def export_rows(spec: FitSpec, results: dict[str, Any] | None) -> tuple[list[str], list[dict]]:
    """Columns and rows for CSV/XLSX: numbers in their own columns (blank when not fitted)."""
    fitted = fitted_by_name(results)
    rows = []
    for c in spec.components:
        r = fitted.get(c.name) or {}
        err = r.get("stderr", {})
        mc = r.get("mc") or {}
        rows.append(
            {
                "name": c.name,
                "shape": c.shape,
                "position_eV": r.get("position_eV", c.position_eV),
                "position_stderr_eV": err.get("position_eV"),
                "fwhm_eV": r.get("fwhm_eV", c.fwhm_eV),
                "fwhm_stderr_eV": err.get("fwhm_eV"),
                "area_cps_eV": r.get("area", c.area),
                "area_stderr_cps_eV": err.get("area"),
                "area_pct": r.get("area_pct"),
                "area_pct_stderr": err.get("area_pct"),
                "area_pct_mc_sd": (mc.get("area_pct") or {}).get("sd"),
                "mc_refits": ((results or {}).get("mc") or {}).get("n"),
                "constraints": constraints_text(c),
            }
        )
    return list(EXPORT_COLUMNS), rows


def parse_number(text: str) -> float:
    """The leading number of an edited cell (``"161.6 \u00b1 0.01"`` -> 161.6); ValueError."""
    head = text.replace("\u00b1", " ").replace(",", ".").split()
    if not head:
        raise ValueError("empty")
    value = float(head[0])
    if not math.isfinite(value):
        raise ValueError("not finite")
    return value
