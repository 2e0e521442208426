"""What an XPS fit is made of: components, spin-orbit doublets, links, the background and the
region. Plain dataclasses that round-trip through JSON-able dicts (templates, the project).

Conventions:

- energies are binding energies in eV; areas are full analytic areas in cps eV;
- a component's ``area`` is the area of the *whole* component: both lines of a doublet. With
  area ratio r = A(j-1/2) / A(j+1/2) (0.5 for p, 2/3 for d, 3/4 for f), the j+1/2 line carries
  A / (1 + r) and the j-1/2 line A r / (1 + r);
- ``position_eV`` of a doublet is that of the j+1/2 line (2p3/2, 3d5/2 ...); the j-1/2 line sits
  ``splitting_eV`` higher in binding energy, with ``fwhm_ratio`` x the FWHM;
- a :class:`Link` ties a component's position, FWHM or area to another component's (by name) as
  ``ref + value`` (``mode="offset"``) or ``ref x value`` (``mode="ratio"``). Links are data: the
  fit turns them into a re-parametrisation, nothing is ever evaluated as text.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from .lineshapes import parse_shape

LINK_MODES = ("offset", "ratio")
BACKGROUND_KINDS = ("none", "linear", "shirley", "active_shirley", "tougaard")


@dataclass
class Link:
    """``quantity = ref's quantity + value`` (offset) or ``x value`` (ratio)."""

    ref: str
    mode: str = "offset"
    value: float = 0.0

    def __post_init__(self) -> None:
        if self.mode not in LINK_MODES:
            raise ValueError(f"link mode {self.mode!r}; expected one of {LINK_MODES}")
        self.value = float(self.value)


@dataclass
class Doublet:
    """Spin-orbit doublet: the j-1/2 line ``splitting_eV`` above the j+1/2 line in BE, with
    ``area_ratio`` x its area and ``fwhm_ratio`` x its FWHM."""

    splitting_eV: float
    area_ratio: float = 0.5
    fwhm_ratio: float = 1.0

    def __post_init__(self) -> None:
        if not self.area_ratio >= 0 or not self.fwhm_ratio > 0:
            raise ValueError("doublet area ratio must be >= 0 and FWHM ratio > 0")


#: Spin-orbit defaults per core level (editable per element: pass your own Doublet). S 2p 1.18 eV
#: (xpsfitting.com; HarwellXPS and Thermo give 1.16), P 2p 0.86 eV (Thermo 0.87), area 2:1.
DOUBLET_DEFAULTS: dict[str, Doublet] = {
    "S 2p": Doublet(1.18, 0.5),
    "P 2p": Doublet(0.86, 0.5),
    "Cl 2p": Doublet(1.60, 0.5),
    "Si 2p": Doublet(0.63, 0.5),
    "Ni 2p": Doublet(17.3, 0.5),
    "Co 2p": Doublet(15.0, 0.5),
    "Mn 2p": Doublet(11.6, 0.5),
    "Fe 2p": Doublet(13.1, 0.5),
    "Mo 3d": Doublet(3.13, 2.0 / 3.0),
    "Pt 4f": Doublet(3.33, 0.75),
    "W 4f": Doublet(2.18, 0.75),
}


def default_doublet(region: str) -> Doublet | None:
    """A copy of the default doublet of ``region`` (e.g. ``"S 2p"``), or None (singlet)."""
    d = DOUBLET_DEFAULTS.get(region)
    return copy.copy(d) if d else None


@dataclass
class Component:
    """One component (a line or a spin-orbit doublet) of a fit.

    ``position_min_eV``/``position_max_eV`` bound the position (a window); ``vary_*`` False fixes
    a value; a ``*_link`` replaces the free value by a tie to another component.
    """

    name: str
    position_eV: float
    fwhm_eV: float = 1.0
    area: float = 0.0
    shape: str = "GL(30)"
    doublet: Doublet | None = None
    position_min_eV: float | None = None
    position_max_eV: float | None = None
    fwhm_min_eV: float = 0.05
    fwhm_max_eV: float = 10.0
    vary_position: bool = True
    vary_fwhm: bool = True
    vary_area: bool = True
    position_link: Link | None = None
    fwhm_link: Link | None = None
    area_link: Link | None = None
    rsf: float | None = None
    #: Free text: what the component is assigned to (e.g. "Li6PS5Cl electrolyte").
    origin: str | None = None

    def __post_init__(self) -> None:
        parse_shape(self.shape)  # refuse unknown shapes early
        if not self.fwhm_eV > 0:
            raise ValueError(f"component {self.name!r}: FWHM must be > 0")

    @property
    def is_doublet(self) -> bool:
        return self.doublet is not None

    def lines(self) -> list[tuple[float, float, float]]:
        """``(position offset eV, area fraction, FWHM factor)`` of each line."""
        if self.doublet is None:
            return [(0.0, 1.0, 1.0)]
        r = self.doublet.area_ratio
        return [
            (0.0, 1.0 / (1.0 + r), 1.0),
            (self.doublet.splitting_eV, r / (1.0 + r), self.doublet.fwhm_ratio),
        ]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict (None fields left out)."""
        return {k: v for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Component:
        """Inverse of :meth:`to_dict`; unknown keys are refused."""
        known = {f.name for f in fields(cls)}
        bad = set(d) - known
        if bad:
            raise ValueError(f"unknown component field(s) {sorted(bad)}")
        kw = dict(d)
        if isinstance(kw.get("doublet"), dict):
            kw["doublet"] = Doublet(**kw["doublet"])
        for key in ("position_link", "fwhm_link", "area_link"):
            if isinstance(kw.get(key), dict):
                kw[key] = Link(**kw[key])
        return cls(**kw)


@dataclass
class Background:
    """The background of a region.

    ``kind``: ``none``, ``linear``, ``shirley`` (iterative, static), ``active_shirley`` (fitted
    with the peaks: B = b_lo [+ s (E - E_lo)] + k integral of the peaks) or ``tougaard``
    (static, ``tougaard_kind`` U2 or U3 with ``tougaard_b`` (None = scaled to the end points),
    ``tougaard_c``, ``tougaard_d``). ``average_points``: end-point averaging; ``slope``: add a
    free linear slope to the active Shirley background.
    """

    kind: str = "shirley"
    average_points: int = 5
    start_offset_pct: float = 0.0
    end_offset_pct: float = 0.0
    slope: bool = False
    tougaard_kind: str = "U3"
    tougaard_b: float | None = None
    tougaard_c: float = 551.0
    tougaard_d: float = 436.0

    def __post_init__(self) -> None:
        if self.kind not in BACKGROUND_KINDS:
            raise ValueError(f"background {self.kind!r}; expected one of {BACKGROUND_KINDS}")

    @property
    def label(self) -> str:
        """A name for reports, e.g. ``"active Shirley + slope"``, ``"Tougaard U3"``."""
        if self.kind == "tougaard":
            return f"Tougaard {self.tougaard_kind}"
        text = {"active_shirley": "active Shirley", "none": "none"}.get(self.kind, self.kind)
        return text + (" + slope" if self.slope and self.kind == "active_shirley" else "")


@dataclass
class FitSpec:
    """Everything a fit of one region needs besides the data (also the form of a template).

    ``start_eV``/``end_eV``: the fitted window (None = the whole spectrum).
    """

    region: str
    components: list[Component]
    background: Background = field(default_factory=Background)
    start_eV: float | None = None
    end_eV: float | None = None
    name: str = ""
    description: str = ""

    def component(self, name: str) -> Component:
        for c in self.components:
            if c.name == name:
                return c
        raise KeyError(f"no component named {name!r}")

    def copy(self) -> FitSpec:
        return copy.deepcopy(self)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict (what a template file holds)."""
        out = {
            "name": self.name,
            "description": self.description,
            "region": self.region,
            "start_eV": self.start_eV,
            "end_eV": self.end_eV,
            "background": asdict(self.background),
            "components": [c.to_dict() for c in self.components],
        }
        return {k: v for k, v in out.items() if v is not None}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> FitSpec:
        """Inverse of :meth:`to_dict`."""
        bg = d.get("background") or {}
        return cls(
            region=str(d.get("region", "")),
            components=[Component.from_dict(c) for c in d.get("components", [])],
            background=Background(**bg) if isinstance(bg, dict) else Background(str(bg)),
            start_eV=d.get("start_eV"),
            end_eV=d.get("end_eV"),
            name=str(d.get("name", "")),
            description=str(d.get("description", "")),
        )


def area_for_height(component: Component, height_cps: float) -> float:
    """The component area (cps eV, both lines of a doublet) that gives its (j+1/2) line a
    height of ``height_cps`` at its FWHM (e.g. after dragging the apex on the plot)."""
    first_fraction = component.lines()[0][1]
    per_height = parse_shape(component.shape).height_to_area(component.fwhm_eV)
    return float(height_cps) * per_height / first_fraction


def new_component(
    region: str,
    name: str,
    position_eV: float,
    height_cps: float,
    *,
    fwhm_eV: float = 1.0,
    shape: str = "GL(30)",
    window_eV: float | None = 0.5,
) -> Component:
    """A component added at a point of the plot: the region's default doublet
    (:data:`DOUBLET_DEFAULTS`, singlet when none), the area that gives ``height_cps``, and a
    position window of +-``window_eV`` (None: no window)."""
    c = Component(
        name,
        float(position_eV),
        float(fwhm_eV),
        0.0,
        shape,
        default_doublet(region),
        position_min_eV=None if window_eV is None else position_eV - window_eV,
        position_max_eV=None if window_eV is None else position_eV + window_eV,
    )
    c.area = area_for_height(c, height_cps)
    return c
