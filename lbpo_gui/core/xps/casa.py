"""CasaXPS fits read from VAMAS block comments, as a :class:`~.model.FitSpec`.

The reader (:func:`lbpo_gui.core.readers.vamas.parse_casa_comments`) turns the ``CASA region``
and ``CASA comp`` records into plain data in binding energy; this maps that data onto our
model. Nothing in the records is evaluated: CasaXPS stores a link as a reference index with a
factor (area, FWHM) or an offset (position), which become :class:`~.model.Link` objects.

Mapping: background ``Shirley`` -> iterative Shirley, ``Linear`` -> linear, ``U 2 Tougaard`` /
``U 3 Tougaard`` -> Tougaard with CasaXPS's B, C, D; shapes ``GL(p)``, ``SGL(p)``, ``LA(a,b,m)``
as such; ``LF(a,b,w,m)`` -> ``LA(a,b,m)`` without the tail damping w (a warning says so).
"""

from __future__ import annotations

import re
from typing import Any

from .lineshapes import LineShape
from .model import Background, Component, FitSpec, Link

_LF = re.compile(r"^\s*LF\(([^,]+),([^,]+),([^,]+),([^)]+)\)\s*$", re.I)


def _background(region: dict[str, Any], warnings: list[str]) -> Background:
    name = str(region.get("background", "")).lower().replace(" ", "")
    avg = max(1, int(round(region.get("average_width") or 1)))
    params = list(region.get("background_parameters") or [])
    if "tougaard" in name:
        kind = "U2" if name.startswith("u2") else "U3"
        b = params[0] if params else None
        c = params[1] if len(params) > 1 else (1643.0 if kind == "U2" else 551.0)
        d = params[2] if len(params) > 2 else 436.0
        return Background(
            "tougaard", avg, tougaard_kind=kind, tougaard_b=b, tougaard_c=c, tougaard_d=d
        )
    if name.startswith("shirley"):
        return Background(
            "shirley",
            avg,
            start_offset_pct=region.get("start_offset_pct") or 0.0,
            end_offset_pct=region.get("end_offset_pct") or 0.0,
        )
    if name.startswith("linear"):
        return Background("linear", avg)
    warnings.append(f"background {region.get('background')!r} read as Shirley")
    return Background("shirley", avg)


def _shape(text: str, warnings: list[str], name: str) -> str:
    m = _LF.match(text)
    if m:
        a, b, _w, g = m.groups()
        warnings.append(f"{name}: {text} read as LA({a},{b},{g}) (no tail damping)")
        return LineShape.parse(f"LA({a},{b},{g})").name
    try:
        return LineShape.parse(text).name
    except ValueError:
        warnings.append(f"{name}: line shape {text!r} read as GL(30)")
        return "GL(30)"


_LINK_MODES = (("position", "offset"), ("fwhm", "ratio"), ("area", "ratio"))


def _link(c: dict[str, Any], q: str, mode: str, names: list[str], name: str) -> Link | None:
    """CasaXPS's reference index and factor/offset of quantity ``q`` as a Link (None: free)."""
    ref = c.get(f"{q}_ref", -1)
    key = f"{q}_offset_eV" if mode == "offset" else f"{q}_factor"
    if ref is None or ref < 0 or ref >= len(names) or names[ref] == name:
        return None
    return Link(names[ref], mode, float(c.get(key) or (0.0 if mode == "offset" else 1.0)))


def spec_from_casa(casa_fit: dict[str, Any], region: int = 0) -> tuple[FitSpec, list[str]]:
    """``(spec, warnings)`` of CasaXPS region ``region`` and its components. Component names
    are made unique (``"Fe 2p"``, ``"Fe 2p (2)"``...)."""
    warnings: list[str] = []
    regions = casa_fit.get("regions") or []
    reg = regions[region] if region < len(regions) else {}
    raw = list(casa_fit.get("components") or [])
    names: list[str] = []
    for c in raw:
        base = str(c.get("name") or "component")
        n, k = base, 1
        while n in names:
            k += 1
            n = f"{base} ({k})"
        names.append(n)
    comps = []
    for c, name in zip(raw, names, strict=True):
        links = {q: _link(c, q, mode, names, name) for q, mode in _LINK_MODES}
        comps.append(
            Component(
                name=name,
                position_eV=float(c["position_eV"]),
                fwhm_eV=float(c.get("fwhm_eV") or 1.0),
                area=float(c.get("area") or 0.0),
                shape=_shape(str(c.get("line_shape", "GL(30)")), warnings, name),
                position_min_eV=c.get("position_min"),
                position_max_eV=c.get("position_max"),
                fwhm_min_eV=float(c.get("fwhm_min") or 0.05),
                fwhm_max_eV=float(c.get("fwhm_max") or 10.0),
                position_link=links["position"],
                fwhm_link=links["fwhm"],
                area_link=links["area"],
                rsf=c.get("rsf"),
            )
        )
    spec = FitSpec(
        region=str(reg.get("name", "")),
        components=comps,
        background=_background(reg, warnings) if reg else Background("shirley"),
        start_eV=reg.get("start_eV"),
        end_eV=reg.get("end_eV"),
        name="CasaXPS fit",
    )
    return spec, warnings


def casa_spec_of(metadata: dict[str, Any], region: str = "") -> FitSpec | None:
    """The CasaXPS fit a VAMAS block carries (its ``casa_fit`` metadata) as a spec, or None when
    the block has no CasaXPS components; ``region`` names it when CasaXPS's region has no name."""
    casa = metadata.get("casa_fit")
    if not isinstance(casa, dict) or not casa.get("components"):
        return None
    try:
        spec, _ = spec_from_casa(casa)
    except (KeyError, TypeError, ValueError):
        return None
    spec.region = region or spec.region
    return spec
