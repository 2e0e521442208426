"""The constraints of one XPS component as the constraints dialog edits them, and their
application to a fit specification (no Qt here).

Each of position, FWHM and area is *free* (within a window for position and FWHM), *fixed* at
its value, or *linked* to another component: ``= ref + value`` (offset, eV for position and
FWHM, cps.eV for area) or ``= ref x value`` (ratio). CasaXPS writes these as ``A+1.18`` or
``B*0.5``; here they are numbers in fields, never text that is evaluated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from ....core.xps.model import Component, Doublet, FitSpec, Link

#: The three constrained quantities: (key, Component attribute, link attribute, vary attribute).
QUANTITIES = (
    ("position", "position_eV", "position_link", "vary_position"),
    ("fwhm", "fwhm_eV", "fwhm_link", "vary_fwhm"),
    ("area", "area", "area_link", "vary_area"),
)
MODES = ("free", "fixed", "offset", "ratio")


@dataclass(frozen=True)
class Rule:
    """How one quantity is set: ``mode`` one of :data:`MODES`; ``ref`` and ``value`` for a link;
    ``lo``/``hi`` the window of a free position or FWHM (None = unbounded position)."""

    mode: str = "free"
    ref: str | None = None
    value: float = 0.0
    lo: float | None = None
    hi: float | None = None


@dataclass(frozen=True)
class Constraints:
    """Everything the dialog edits for one component."""

    position: Rule
    fwhm: Rule
    area: Rule
    doublet: Doublet | None


def constraints_of(c: Component) -> Constraints:
    """The constraints ``c`` carries now."""

    def rule(link: Link | None, vary: bool, lo: float | None, hi: float | None) -> Rule:
        if link is not None:
            return Rule(link.mode, link.ref, link.value, lo, hi)
        return Rule("free" if vary else "fixed", None, 0.0, lo, hi)

    return Constraints(
        position=rule(c.position_link, c.vary_position, c.position_min_eV, c.position_max_eV),
        fwhm=rule(c.fwhm_link, c.vary_fwhm, c.fwhm_min_eV, c.fwhm_max_eV),
        area=rule(c.area_link, c.vary_area, None, None),
        doublet=replace(c.doublet) if c.doublet is not None else None,
    )


def current_link_value(spec: FitSpec, index: int, quantity: str, mode: str, ref: str) -> float:
    """The offset or ratio that links component ``index``'s ``quantity`` to ``ref`` without
    moving it (what the dialog proposes when a link is chosen); 1.0 for a ratio to zero."""
    attr = dict((q, a) for q, a, _, _ in QUANTITIES)[quantity]
    value = float(getattr(spec.components[index], attr))
    ref_value = float(getattr(spec.component(ref), attr))
    if mode == "offset":
        return value - ref_value
    return value / ref_value if ref_value != 0 else 1.0


def with_constraints(spec: FitSpec, index: int, cons: Constraints) -> FitSpec:
    """``spec`` with component ``index`` constrained by ``cons`` (a new spec; the input is not
    changed). A linked value is set from its reference so the preview shows it where the fit
    will start. Raises ValueError on a bad rule: an unknown or self reference, a cycle of
    links, a non-finite number, an empty window, a ratio <= 0 for a FWHM or an area."""
    out = spec.copy()
    c = out.components[index]
    for (key, _attr, link_attr, vary_attr), rule in zip(
        QUANTITIES, (cons.position, cons.fwhm, cons.area), strict=True
    ):
        _check_rule(out, c.name, key, rule)
        if rule.mode in ("offset", "ratio"):
            setattr(c, link_attr, Link(str(rule.ref), rule.mode, rule.value))
            setattr(c, vary_attr, True)
        else:
            setattr(c, link_attr, None)
            setattr(c, vary_attr, rule.mode == "free")
    c.position_min_eV, c.position_max_eV = cons.position.lo, cons.position.hi
    if cons.fwhm.lo is not None:
        c.fwhm_min_eV = cons.fwhm.lo
    if cons.fwhm.hi is not None:
        c.fwhm_max_eV = cons.fwhm.hi
    if cons.doublet is not None:
        _check_doublet(cons.doublet)
    c.doublet = replace(cons.doublet) if cons.doublet is not None else None
    for key, _attr, link_attr, _ in QUANTITIES:
        _check_acyclic(out, c.name, key, link_attr)
    _apply_links(out, c)
    _check_windows(c)
    return out


def _check_rule(spec: FitSpec, name: str, key: str, rule: Rule) -> None:
    if rule.mode not in MODES:
        raise ValueError(f"{key}: unknown rule {rule.mode!r}")
    for bound in (rule.lo, rule.hi):
        if bound is not None and not math.isfinite(bound):
            raise ValueError(f"{key}: the window must be finite numbers")
    if rule.mode not in ("offset", "ratio"):
        return
    if rule.ref == name:
        raise ValueError(f"{key} of {name!r} cannot be linked to itself")
    if rule.ref not in {o.name for o in spec.components}:
        raise ValueError(f"{key}: no component named {rule.ref!r} to link to")
    if not math.isfinite(rule.value):
        raise ValueError(f"{key}: the link value must be a finite number")
    if rule.mode == "ratio" and key in ("fwhm", "area") and not rule.value > 0:
        raise ValueError(f"{key}: a ratio must be > 0")


def _check_doublet(d: Doublet) -> None:
    if not (math.isfinite(d.splitting_eV) and d.splitting_eV > 0):
        raise ValueError("the doublet splitting must be > 0 eV")


def _check_acyclic(spec: FitSpec, start: str, key: str, link_attr: str) -> None:
    """Follow the links of ``key`` from ``start``; a return to a visited component is a cycle."""
    seen = [start]
    link = getattr(spec.component(start), link_attr)
    while link is not None:
        if link.ref in seen:
            chain = " -> ".join([*seen, link.ref])
            raise ValueError(f"the {key} links form a cycle: {chain}")
        seen.append(link.ref)
        link = getattr(spec.component(link.ref), link_attr)


def _apply_links(spec: FitSpec, c: Component) -> None:
    for _, attr, link_attr, _ in QUANTITIES:
        link = getattr(c, link_attr)
        if link is None:
            continue
        ref = float(getattr(spec.component(link.ref), attr))
        setattr(c, attr, ref + link.value if link.mode == "offset" else ref * link.value)


def _check_windows(c: Component) -> None:
    lo, hi = c.position_min_eV, c.position_max_eV
    if lo is not None and hi is not None and not lo < hi:
        raise ValueError(f"the position window {lo:g}-{hi:g} eV is empty")
    if not 0 < c.fwhm_min_eV < c.fwhm_max_eV:
        raise ValueError(
            f"the FWHM window {c.fwhm_min_eV:g}-{c.fwhm_max_eV:g} eV must be > 0 and not empty"
        )
    if not c.fwhm_eV > 0:
        raise ValueError("the linked FWHM would be <= 0")
    if c.area < 0:
        raise ValueError("the linked area would be < 0")
    outside = (lo is not None and c.position_eV < lo) or (hi is not None and c.position_eV > hi)
    if c.position_link is None and c.vary_position and outside:
        raise ValueError(f"the position {c.position_eV:.2f} eV is outside its window")
    if c.fwhm_link is None and c.vary_fwhm:
        c.fwhm_eV = min(max(c.fwhm_eV, c.fwhm_min_eV), c.fwhm_max_eV)
