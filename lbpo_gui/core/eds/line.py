"""From element maps to a line profile: a line with a width, and the interface direction.

Coordinates are in nm in the map's frame: the centre of pixel (row ``r``, column ``c``) sits at
``(x, y) = (c * pixel_nm, r * pixel_nm)``. A line runs from ``start`` to ``end``; its profile is
sampled every ``step_nm`` (default one pixel) along it and, at each position, at
``n_across = round(width_nm / pixel_nm)`` points spread evenly across the width (bilinear
interpolation, :func:`scipy.ndimage.map_coordinates`). The samples across are summed (the
default, so count maps keep Poisson statistics: the profile is the counts in the band per step)
or averaged. Samples outside the map are left out and the sum rescaled by ``n_across / n_inside``;
positions with fewer than half their samples inside are dropped.

:func:`interface_normal` estimates the interface direction from the maps (the structure tensor
of the smoothed, range-normalised maps: gradients of rising and falling elements add up), and
:func:`line_normal_angle_deg` the angle between a line and that normal (0 = perpendicular to the
interface, as a profile should be; a profile at angle beta stretches distances by 1/cos beta).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.ndimage import gaussian_filter, map_coordinates

from ..errors import AnalysisError

Point = tuple[float, float]


@dataclass
class LineProfile:
    """A profile drawn on maps: distances along the line and one signal per element."""

    distance_nm: np.ndarray
    signals: dict[str, np.ndarray]
    start_nm: Point
    end_nm: Point
    width_nm: float
    step_nm: float
    n_across: int
    reduce: str
    metadata: dict[str, object] = field(default_factory=dict)

    def arrays(self) -> dict[str, np.ndarray]:
        """The ``eds_profile`` arrays: ``distance_nm`` and one column per element."""
        return {"distance_nm": self.distance_nm, **self.signals}

    def settings(self) -> dict[str, object]:
        """The line as JSON (enough to draw it again on the same maps)."""
        return {
            "start_nm": list(self.start_nm),
            "end_nm": list(self.end_nm),
            "width_nm": self.width_nm,
            "step_nm": self.step_nm,
            "reduce": self.reduce,
        }


def _as_maps(maps: Mapping[str, np.ndarray], elements: Sequence[str] | None) -> dict:
    names = list(elements) if elements is not None else list(maps)
    out = {}
    shape = None
    for n in names:
        if n not in maps:
            raise AnalysisError(f"no {n} map")
        a = np.asarray(maps[n], dtype=float)
        if a.ndim != 2:
            raise AnalysisError(f"the {n} map is not 2-D")
        if shape is not None and a.shape != shape:
            raise AnalysisError(f"the {n} map is {a.shape}, the others {shape}")
        shape = a.shape
        out[n] = a
    if not out:
        raise AnalysisError("no maps given")
    return out


def line_profile(
    maps: Mapping[str, np.ndarray],
    pixel_nm: float,
    start: Point,
    end: Point,
    width_nm: float,
    *,
    step_nm: float | None = None,
    reduce: str = "sum",
    elements: Sequence[str] | None = None,
) -> LineProfile:
    """The profile of ``maps`` along the line ``start`` -> ``end`` (nm) of width ``width_nm``.

    ``reduce`` is ``"sum"`` (counts in the band per step; keeps Poisson weights valid) or
    ``"mean"``. ``elements`` limits the maps used (default all).
    """
    if not pixel_nm > 0:
        raise AnalysisError("the pixel size must be positive")
    if reduce not in ("sum", "mean"):
        raise AnalysisError("reduce must be 'sum' or 'mean'")
    data = _as_maps(maps, elements)
    p0, p1 = np.asarray(start, float), np.asarray(end, float)
    length = float(np.hypot(*(p1 - p0)))
    step = float(step_nm or pixel_nm)
    if length < 3 * step:
        raise AnalysisError(f"the line is {length:.3g} nm long: draw it across the interface")
    u = (p1 - p0) / length
    v = np.array([-u[1], u[0]])
    n_along = int(np.floor(length / step + 1e-9)) + 1
    n_across = max(1, int(round(width_nm / pixel_nm)))
    s = np.arange(n_along) * step
    t = ((np.arange(n_across) + 0.5) / n_across - 0.5) * (
        n_across * pixel_nm if width_nm > 0 else 0
    )
    pts = p0[None, None, :] + s[:, None, None] * u + t[None, :, None] * v  # (along, across, 2)
    rows = pts[..., 1] / pixel_nm
    cols = pts[..., 0] / pixel_nm
    shape = next(iter(data.values())).shape
    inside = (rows >= -0.5) & (rows <= shape[0] - 0.5) & (cols >= -0.5) & (cols <= shape[1] - 0.5)
    n_in = inside.sum(axis=1)
    keep = n_in * 2 >= n_across
    if keep.sum() < 3:
        raise AnalysisError("the line lies outside the maps")
    coords = np.stack([rows.ravel(), cols.ravel()])
    signals = {}
    for name, a in data.items():
        vals = map_coordinates(a, coords, order=1, mode="nearest").reshape(rows.shape)
        vals = np.where(inside, vals, 0.0)
        total = vals.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            prof = total * (n_across / n_in) if reduce == "sum" else total / n_in
        signals[name] = prof[keep]
    return LineProfile(
        distance_nm=s[keep],
        signals=signals,
        start_nm=(float(p0[0]), float(p0[1])),
        end_nm=(float(p1[0]), float(p1[1])),
        width_nm=float(width_nm),
        step_nm=step,
        n_across=n_across,
        reduce=reduce,
        metadata={"pixel_size_nm": float(pixel_nm), "line_length_nm": length},
    )


def _band_mask(shape, pixel_nm: float, start: Point, end: Point, half_width_nm: float):
    r, c = np.mgrid[0 : shape[0], 0 : shape[1]]
    p = np.stack([c * pixel_nm, r * pixel_nm], axis=-1) - np.asarray(start, float)
    d = np.asarray(end, float) - np.asarray(start, float)
    length = float(np.hypot(*d))
    u = d / length
    along = p @ u
    across = np.abs(p @ np.array([-u[1], u[0]]))
    return (along >= 0) & (along <= length) & (across <= half_width_nm)


def interface_normal(
    maps: Mapping[str, np.ndarray],
    pixel_nm: float,
    *,
    elements: Sequence[str] | None = None,
    smoothing_px: float = 1.5,
    mask: np.ndarray | None = None,
) -> tuple[np.ndarray, float]:
    """(unit normal (nx, ny) of the interface, coherence 0..1) from the maps.

    Each map is smoothed (Gaussian, ``smoothing_px``) and scaled to its own range so that weak
    and strong lines count alike; the structure tensor of their gradients, summed over ``mask``
    (default: the whole map), has the interface normal as its main axis. A coherence near 1
    means one clear direction; near 0, none (no interface in the region).
    """
    data = _as_maps(maps, elements)
    J = np.zeros((2, 2))
    for a in data.values():
        sm = gaussian_filter(a, smoothing_px, mode="nearest")
        span = float(np.ptp(sm))
        if not span > 0:
            continue
        gy, gx = np.gradient(sm / span)
        if mask is not None:
            gx, gy = gx[mask], gy[mask]
        J += np.array([[np.sum(gx * gx), np.sum(gx * gy)], [np.sum(gx * gy), np.sum(gy * gy)]])
    w, vecs = np.linalg.eigh(J)
    if not w[1] > 0:
        raise AnalysisError("the maps show no interface (no gradient)")
    coherence = float((w[1] - w[0]) / (w[1] + w[0]))
    return vecs[:, 1], coherence


def line_normal_angle_deg(
    maps: Mapping[str, np.ndarray],
    pixel_nm: float,
    start: Point,
    end: Point,
    width_nm: float,
    *,
    elements: Sequence[str] | None = None,
) -> tuple[float, float]:
    """(angle in degrees between the line and the local interface normal, coherence).

    The normal is estimated in the band the line samples (at least 5 pixels wide), else on the
    whole map. 0 deg: the line crosses the interface at right angles.
    """
    shape = next(iter(_as_maps(maps, elements).values())).shape
    mask = _band_mask(shape, pixel_nm, start, end, max(width_nm, 5 * pixel_nm) / 2)
    if mask.sum() < 9:
        mask = None
    n, coherence = interface_normal(maps, pixel_nm, elements=elements, mask=mask)
    d = np.asarray(end, float) - np.asarray(start, float)
    cosang = abs(float(d @ n)) / float(np.hypot(*d))
    return float(np.degrees(np.arccos(min(1.0, cosang)))), coherence


def auto_line(
    maps: Mapping[str, np.ndarray],
    pixel_nm: float,
    *,
    elements: Sequence[str] | None = None,
) -> tuple[Point, Point, float]:
    """(start, end, width) of a line across the whole map along the interface normal through the
    map centre, as wide as the map allows (a starting line for the line tool and the CLI)."""
    data = _as_maps(maps, elements)
    shape = next(iter(data.values())).shape
    n, _ = interface_normal(data, pixel_nm)
    if n[0] < 0 or (n[0] == 0 and n[1] < 0):
        n = -n
    h, w = (shape[0] - 1) * pixel_nm, (shape[1] - 1) * pixel_nm
    centre = np.array([w / 2, h / 2])

    # half-length: to the map border along n; half-width: to the border along the tangent
    def reach(direction: np.ndarray) -> float:
        lims = []
        for k, size in ((0, w), (1, h)):
            if abs(direction[k]) > 1e-12:
                lims.append((size / 2) / abs(direction[k]))
        return min(lims)

    half = reach(n)
    tangent = np.array([-n[1], n[0]])
    width = 2 * reach(tangent)
    start, end = centre - half * n, centre + half * n
    return (float(start[0]), float(start[1])), (float(end[0]), float(end[1])), float(width)
