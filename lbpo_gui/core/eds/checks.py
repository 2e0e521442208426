"""Warnings where the physics says an EDS thickness is unsafe.

Each check returns :class:`EdsWarning` items (a stable ``code`` for the GUI and a one-line
``message`` for people). X-ray energies are from exSpy's element table (keV).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: Lines an SDD (~130 eV at Mn Ka) cannot separate from P Ka 2.013 keV.
P_KA_KEV = 2.013
P_NEIGHBOURS_KEV = {"Pt": ("Pt Ma", 2.051), "Zr": ("Zr La", 2.042)}
QUANTIFIED_UNITS = ("at.%", "wt.%")


@dataclass(frozen=True)
class EdsWarning:
    """One warning: ``code`` (stable, for the GUI) and ``message`` (one line)."""

    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


def p_overlap(markers: Iterable[str], present: Iterable[str] = ()) -> list[EdsWarning]:
    """P Ka next to Pt Ma (FIB protective cap) and Zr La whenever P is a marker."""
    if "P" not in set(markers):
        return []
    found = [name for el, (name, _) in P_NEIGHBOURS_KEV.items() if el in set(present)]
    where = f" ({', '.join(found)} is in this profile)" if found else ""
    return [
        EdsWarning(
            "p_overlap",
            f"P Ka ({P_KA_KEV} keV) overlaps Pt Ma (2.051 keV, FIB cap) and Zr La (2.042 keV)"
            f"{where}: an SDD cannot separate them; S Ka is the safer electrolyte marker",
        )
    ]


def p_in_coating(electrolyte: Sequence[str], coating_contains_p: bool | None) -> list[EdsWarning]:
    """P used as an electrolyte marker for a sample whose coating contains P (LPO, LBPO)."""
    if "P" in electrolyte and coating_contains_p:
        return [
            EdsWarning(
                "p_in_coating",
                "P marks the electrolyte, but the coating contains P (Li3PO4): P is not an "
                "electrolyte-only marker for this sample; use S (and Cl)",
            )
        ]
    return []


def quantified(signal_unit: str | None) -> list[EdsWarning]:
    """Quantified (at.% / wt.%) input: closure couples the elements, Poisson weights do not apply."""
    if signal_unit in QUANTIFIED_UNITS:
        return [
            EdsWarning(
                "quantified_input",
                f"the profile is quantified ({signal_unit}): closure to 100 % couples the "
                "elements and the thin-film quantification assumes a homogeneous foil; fit net "
                "counts where possible (weights here come from the scatter, not Poisson)",
            )
        ]
    return []


def short_plateau(
    side: str,
    center_nm: float,
    sigma_nm: float,
    x_min_nm: float,
    x_max_nm: float,
    min_plateau_nm: float,
) -> list[EdsWarning]:
    """Less than ``3 sigma + min_plateau_nm`` of profile on either side of an edge."""
    out = []
    for where, room in (("start", center_nm - x_min_nm), ("end", x_max_nm - center_nm)):
        need = 3 * sigma_nm + min_plateau_nm
        if room < need:
            out.append(
                EdsWarning(
                    "short_plateau",
                    f"the {side} edge at {center_nm:.1f} nm is {room:.1f} nm from the profile "
                    f"{where}, less than 3 sigma + {min_plateau_nm:g} nm ({need:.1f} nm): its "
                    "plateau (and so its background or amplitude) is poorly defined",
                )
            )
    return out


def not_perpendicular(angle_deg: float | None, max_angle_deg: float = 10.0) -> list[EdsWarning]:
    """A line that is not perpendicular to the interface (angle from the map tool)."""
    if angle_deg is None or angle_deg <= max_angle_deg:
        return []
    import math

    stretch = 1 / max(math.cos(math.radians(angle_deg)), 1e-9)
    return [
        EdsWarning(
            "not_perpendicular",
            f"the line is {angle_deg:.0f} deg off the interface normal: distances along it are "
            f"stretched by {stretch:.2f}x; draw it across the interface at right angles",
        )
    ]


def map_prefilter(map_filter: dict | None, pixel_nm: float | None) -> list[EdsWarning]:
    """Velox's map pre-filter (e.g. a 3-pixel mean) broadens every edge."""
    if not map_filter or not map_filter.get("enabled"):
        return []
    k = int(map_filter.get("kernelSize") or 0)
    extra = ""
    if k > 1 and pixel_nm:
        extra = f" (adds sigma = {pixel_nm * ((k * k - 1) / 12) ** 0.5:.2f} nm)"
    return [
        EdsWarning(
            "map_prefilter",
            f"the maps were pre-filtered by Velox ({map_filter.get('filter')}, {k} px){extra}; "
            "include it in the instrumental broadening",
        )
    ]
