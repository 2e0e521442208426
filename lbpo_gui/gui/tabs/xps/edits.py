"""Edits of a fit specification made on the plot or in the table; each returns a new
:class:`~lbpo_gui.core.xps.model.FitSpec` (the input is never changed)."""

from __future__ import annotations

from ....core.xps.lineshapes import parse_shape
from ....core.xps.model import Component, FitSpec, Link, area_for_height, new_component
from .table import parse_number

#: Smallest component height a drag may leave, cps.
MIN_HEIGHT_CPS = 1e-6


def with_window(spec: FitSpec, a_eV: float, b_eV: float) -> FitSpec:
    """``spec`` with the background end points (the fit window) at ``a_eV`` and ``b_eV``."""
    out = spec.copy()
    out.start_eV, out.end_eV = float(min(a_eV, b_eV)), float(max(a_eV, b_eV))
    return out


def moved_component(spec: FitSpec, index: int, position_eV: float, height_cps: float) -> FitSpec:
    """``spec`` with component ``index`` at ``position_eV`` with (j+1/2) height ``height_cps``;
    its position window moves with it (same half-widths). A position or area linked to another
    component keeps the link with a new offset or ratio (the reference stays where it is)."""
    out = spec.copy()
    c = out.components[index]
    shift = float(position_eV) - c.position_eV
    c.position_eV = float(position_eV)
    if c.position_min_eV is not None:
        c.position_min_eV += shift
    if c.position_max_eV is not None:
        c.position_max_eV += shift
    c.area = area_for_height(c, max(float(height_cps), MIN_HEIGHT_CPS))
    _relink(out, c.position_link, c.position_eV, "position_eV")
    _relink(out, c.area_link, c.area, "area")
    return out


def _relink(spec: FitSpec, link: Link | None, value: float, attr: str) -> None:
    """Set ``link``'s offset or ratio so that it gives ``value`` from its reference now."""
    if link is None:
        return
    try:
        ref = float(getattr(spec.component(link.ref), attr))
    except KeyError:
        return
    if link.mode == "offset":
        link.value = value - ref
    elif ref != 0:
        link.value = value / ref


def unique_name(spec: FitSpec, stem: str) -> str:
    """``stem`` or ``stem 2``, ``stem 3``... not used by a component of ``spec``."""
    names = {c.name for c in spec.components}
    if stem not in names:
        return stem
    k = 2
    while f"{stem} {k}" in names:
        k += 1
    return f"{stem} {k}"


def added_component(spec: FitSpec, position_eV: float, height_cps: float) -> FitSpec:
    """``spec`` with a new component at ``position_eV`` of height ``height_cps`` (the region's
    default doublet, the shape and FWHM of the first component, a +-0.5 eV window)."""
    out = spec.copy()
    first = out.components[0] if out.components else None
    name = unique_name(out, f"{out.region or 'Peak'} {position_eV:.1f}")
    c = new_component(
        out.region,
        name,
        float(position_eV),
        max(float(height_cps), MIN_HEIGHT_CPS),
        fwhm_eV=first.fwhm_eV if first else 1.0,
        shape=first.shape if first else "GL(30)",
    )
    out.components.append(c)
    return out


def removed_component(spec: FitSpec, index: int) -> FitSpec:
    """``spec`` without component ``index`` (links to it are dropped)."""
    out = spec.copy()
    gone = out.components.pop(index).name
    for c in out.components:
        for key in ("position_link", "fwhm_link", "area_link"):
            link = getattr(c, key)
            if link is not None and link.ref == gone:
                setattr(c, key, None)
    return out


def edited_cell(spec: FitSpec, index: int, key: str, text: str) -> FitSpec:
    """``spec`` with the table cell ``key`` of component ``index`` set from ``text``; raises
    ValueError on a bad value."""
    out = spec.copy()
    c: Component = out.components[index]
    text = text.strip()
    if key == "name":
        if not text:
            raise ValueError("a component needs a name")
        if text != c.name and text in {o.name for o in out.components}:
            raise ValueError(f"another component is named {text!r}")
        for o in out.components:
            for lk in ("position_link", "fwhm_link", "area_link"):
                link = getattr(o, lk)
                if link is not None and link.ref == c.name:
                    link.ref = text
        c.name = text
    elif key == "shape":
        parse_shape(text)
        c.shape = text
    elif key == "position_eV":
        return moved_component(spec, index, parse_number(text), _height(c))
    elif key == "fwhm_eV":
        value = parse_number(text)
        if not value > 0:
            raise ValueError("the FWHM must be > 0")
        c.fwhm_eV = value
        c.fwhm_min_eV = min(c.fwhm_min_eV, value)
        c.fwhm_max_eV = max(c.fwhm_max_eV, value)
    elif key == "area":
        value = parse_number(text)
        if value < 0:
            raise ValueError("the area must be >= 0")
        c.area = value
    else:
        raise ValueError(f"column {key!r} is not editable")
    return out


def _height(c: Component) -> float:
    """The (j+1/2) line height of ``c`` from its area, cps."""
    per_area = area_for_height(c, 1.0)
    return c.area / per_area if per_area > 0 else 0.0
