"""A tiny, dependency-free SVG line/marker chart writer for the HTML report.

``line_chart(series, title=..., x_label=..., y_label=...)`` returns one ``<svg>`` element as text:
title, axis labels (with units, given by the caller), ticks at nice numbers (1, 2, 5 x 10^k; on a
log axis the 1-2-5 decades or caller-given ticks), a legend and several series coloured from a
palette, each a polyline and/or markers. Every text that goes into the SVG is escaped
(``html.escape``): series names come from files. Non-finite points (and points <= 0 on a log axis)
are dropped and break the line there.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

#: Colour-blind-friendly palette (Okabe-Ito, then a few tab10 colours).
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#000000",
    "#8C564B",
    "#7F7F7F",
    "#BCBD22",
)
MARKERS: tuple[str, ...] = ("circle", "square", "triangle", "diamond")

Point = tuple[float, float]


@dataclass(frozen=True)
class Series:
    """One named series: ``segments`` are runs of (x, y) points drawn as separate lines (e.g. the
    charge and the discharge branch of a cycle)."""

    name: str
    segments: Sequence[Sequence[Point]]
    line: bool = True
    markers: bool = True
    extra: dict[str, str] = field(default_factory=dict)
    colour: str | None = None
    dash: bool = False
    marker_radius: float = 3.0


@dataclass(frozen=True)
class Band:
    """A shaded x range ``x0..x1`` (e.g. the EDS interlayer) with a legend label."""

    x0: float
    x1: float
    label: str
    colour: str = "#F0C05A"
    opacity: float = 0.35


def esc(text: object) -> str:
    """Text escaped for XML/HTML content and attribute values."""
    return html.escape(str(text), quote=True)


def thin(x: Sequence[float], y: Sequence[float], max_points: int = 400) -> list[Point]:
    """At most ``max_points`` evenly spaced (by index) points of a curve, first and last kept."""
    xa = np.asarray(x, dtype=float)
    ya = np.asarray(y, dtype=float)
    n = min(xa.size, ya.size)
    if n > max_points >= 2:
        idx = np.unique(np.linspace(0, n - 1, max_points).round().astype(int))
    else:
        idx = np.arange(n)
    return [(float(xa[i]), float(ya[i])) for i in idx]


def nice_number(x: float, round_: bool) -> float:
    """A 1, 2, 5 x 10^k number near ``x`` (Heckbert's nice numbers)."""
    if x <= 0 or not math.isfinite(x):
        return 1.0
    exp = math.floor(math.log10(x))
    f = x / 10**exp
    if round_:
        nf = 1 if f < 1.5 else 2 if f < 3 else 5 if f < 7 else 10
    else:
        nf = 1 if f <= 1 else 2 if f <= 2 else 5 if f <= 5 else 10
    return nf * 10**exp


def nice_ticks(lo: float, hi: float, n: int = 6) -> tuple[float, float, list[float], float]:
    """``(axis_lo, axis_hi, ticks, step)``: a linear axis covering ``lo..hi`` with nice ticks."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        lo, hi = 0.0, 1.0
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        d = abs(lo) * 0.1 or 1.0
        lo, hi = lo - d, hi + d
    step = nice_number(nice_number(hi - lo, False) / max(n - 1, 1), True)
    start = math.floor(lo / step + 1e-9) * step
    stop = math.ceil(hi / step - 1e-9) * step
    count = int(round((stop - start) / step))
    ticks = [start + i * step for i in range(count + 1)]
    return start, stop, ticks, step


def log_ticks(lo: float, hi: float) -> tuple[float, float, list[float]]:
    """``(axis_lo, axis_hi, ticks)`` of a log axis over ``lo..hi`` (> 0), padded by 8 %."""
    llo, lhi = math.log10(lo), math.log10(hi)
    if lhi == llo:
        llo, lhi = llo - 0.5, lhi + 0.5
    pad = 0.08 * (lhi - llo)
    a, b = 10 ** (llo - pad), 10 ** (lhi + pad)
    for mantissas in ((1,), (1, 2, 5), tuple(range(1, 10))):
        ticks = [
            m * 10.0**e
            for e in range(math.floor(llo - pad) - 1, math.ceil(lhi + pad) + 1)
            for m in mantissas
            if a <= m * 10.0**e <= b
        ]
        if len(ticks) >= 3:
            break
    return a, b, ticks


def _fmt(value: float, step: float | None) -> str:
    if step is None or step <= 0:
        return f"{value:g}"
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    text = f"{value:.{decimals}f}"
    return "0" if text.strip("-0.") == "" else text


def _marker(kind: str, x: float, y: float, colour: str, r: float = 3.0) -> str:
    if kind == "square":
        return (
            f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" '
            f'fill="{colour}"/>'
        )
    if kind == "triangle":
        pts = (
            f"{x:.1f},{y - r * 1.2:.1f} {x - r * 1.1:.1f},{y + r:.1f} {x + r * 1.1:.1f},{y + r:.1f}"
        )
        return f'<polygon points="{pts}" fill="{colour}"/>'
    if kind == "diamond":
        pts = f"{x:.1f},{y - r * 1.3:.1f} {x + r:.1f},{y:.1f} {x:.1f},{y + r * 1.3:.1f} {x - r:.1f},{y:.1f}"
        return f'<polygon points="{pts}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colour}"/>'


def _clean(segment: Sequence[Point], log_x: bool) -> list[list[Point]]:
    """Split a segment at unusable points (non-finite, or x <= 0 on a log axis)."""
    runs: list[list[Point]] = [[]]
    for x, y in segment:
        ok = x is not None and y is not None and math.isfinite(x) and math.isfinite(y)
        if ok and log_x and x <= 0:
            ok = False
        if ok:
            runs[-1].append((float(x), float(y)))
        elif runs[-1]:
            runs.append([])
    return [r for r in runs if r]


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    x_label: str,
    y_label: str,
    log_x: bool = False,
    x_ticks: Sequence[float] | None = None,
    include_zero_y: bool = False,
    invert_x: bool = False,
    bands: Sequence[Band] = (),
    width: int = 760,
    height: int = 420,
    max_legend_chars: int = 44,
) -> str:
    """One ``<svg>`` element with the chart (text, no XML declaration).

    ``invert_x`` draws x decreasing to the right (XPS binding energy); ``bands`` are shaded x
    ranges drawn under the series and listed in the legend after them. A series' ``colour``
    overrides the palette (so a fit can share its data's colour), ``dash`` draws a dashed line.
    """
    cleaned = [[run for seg in s.segments for run in _clean(seg, log_x)] for s in series]
    xs = [p[0] for runs in cleaned for run in runs for p in run]
    ys = [p[1] for runs in cleaned for run in runs for p in run]
    longest = max([len(s.name) for s in series] + [len(b.label) for b in bands] + [0])
    # the legend column grows with the longest (capped) label; the plot keeps its width
    right = max(200, 48 + int(6.8 * min(longest, max_legend_chars)))
    width += right - 200
    left, top, bottom = 70, 40, 55
    legend_h = top + 22 * (len(series) + len(bands)) + 10
    height = max(height, legend_h)
    pw, ph = width - left - right, height - top - bottom

    if xs:
        xlo, xhi = min(xs), max(xs)
    else:
        xlo, xhi = (1.0, 10.0) if log_x else (0.0, 1.0)
    if log_x:
        ax_lo, ax_hi, xt = log_ticks(xlo, xhi)
        if x_ticks:
            xt = [t for t in x_ticks if t > 0]
        x_step = None

        def sx(v: float) -> float:
            return left + pw * (math.log10(v) - math.log10(ax_lo)) / (
                math.log10(ax_hi) - math.log10(ax_lo)
            )
    else:
        ax_lo, ax_hi, xt, x_step = nice_ticks(xlo, xhi)
        if x_ticks:
            xt, x_step = [float(t) for t in x_ticks], None

        def sx(v: float) -> float:
            frac = (v - ax_lo) / (ax_hi - ax_lo)
            return left + pw * (1 - frac if invert_x else frac)

    ylo, yhi = (min(ys), max(ys)) if ys else (0.0, 1.0)
    if include_zero_y:
        ylo, yhi = min(ylo, 0.0), max(yhi, 0.0)
    ay_lo, ay_hi, yt, y_step = nice_ticks(ylo, yhi)

    def sy(v: float) -> float:
        return top + ph * (1 - (v - ay_lo) / (ay_hi - ay_lo))

    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" class="chart" '
        f'font-family="Helvetica, Arial, sans-serif" font-size="12">',
        f"<title>{esc(title)}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{left + pw / 2:.1f}" y="22" text-anchor="middle" font-size="15" '
        f'font-weight="bold">{esc(title)}</text>',
    ]
    # grid and ticks
    for t in xt:
        if not (min(ax_lo, ax_hi) - 1e-12 <= t <= max(ax_lo, ax_hi) + 1e-12):
            continue
        x = sx(t)
        out.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + ph}" stroke="#e3e3e3"/>'
            f'<line x1="{x:.1f}" y1="{top + ph}" x2="{x:.1f}" y2="{top + ph + 5}" stroke="#333"/>'
            f'<text x="{x:.1f}" y="{top + ph + 18}" text-anchor="middle">{esc(_fmt(t, x_step))}'
            "</text>"
        )
    for t in yt:
        y = sy(t)
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + pw}" y2="{y:.1f}" stroke="#e3e3e3"/>'
            f'<line x1="{left - 5}" y1="{y:.1f}" x2="{left}" y2="{y:.1f}" stroke="#333"/>'
            f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">{esc(_fmt(t, y_step))}</text>'
        )
    for b in bands:
        xa, xb = sorted((sx(min(max(b.x0, ax_lo), ax_hi)), sx(min(max(b.x1, ax_lo), ax_hi))))
        out.append(
            f'<rect x="{xa:.1f}" y="{top}" width="{max(xb - xa, 0.5):.1f}" height="{ph}" '
            f'fill="{esc(b.colour)}" fill-opacity="{b.opacity:g}"><title>{esc(b.label)}</title>'
            "</rect>"
        )
    out.append(f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#333"/>')
    out.append(
        f'<text x="{left + pw / 2:.1f}" y="{height - 12}" text-anchor="middle">'
        f"{esc(x_label)}</text>"
    )
    cy = top + ph / 2
    out.append(
        f'<text x="0" y="0" text-anchor="middle" transform="translate(18 {cy:.1f}) rotate(-90)">'
        f"{esc(y_label)}</text>"
    )
    if not xs:
        out.append(
            f'<text x="{left + pw / 2:.1f}" y="{cy:.1f}" text-anchor="middle" fill="#777">'
            "no data</text>"
        )
    # series
    for i, (s, runs) in enumerate(zip(series, cleaned, strict=True)):
        colour = esc(s.colour) if s.colour else PALETTE[i % len(PALETTE)]
        dash = ' stroke-dasharray="6 4"' if s.dash else ""
        marker = MARKERS[(i // len(PALETTE) + i) % len(MARKERS)]
        parts = [f'<g class="series" data-index="{i}"><title>{esc(s.name)}</title>']
        for run in runs:
            if s.line and len(run) > 1:
                pts = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in run)
                parts.append(
                    f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="1.6" '
                    f'stroke-linejoin="round"{dash}/>'
                )
            if s.markers:
                r = s.marker_radius
                parts.extend(_marker(marker, sx(x), sy(y), colour, r) for x, y in run)
        parts.append("</g>")
        out.append("".join(parts))
        # legend entry
        ly = top + 10 + 22 * i
        lx = left + pw + 16
        name = s.name if len(s.name) <= max_legend_chars else s.name[: max_legend_chars - 1] + "…"
        entry = [f'<g class="legend"><title>{esc(s.name)}</title>']
        if s.line:
            entry.append(
                f'<line x1="{lx}" y1="{ly}" x2="{lx + 22}" y2="{ly}" stroke="{colour}" '
                f'stroke-width="2"{dash}/>'
            )
        if s.markers or not s.line:
            entry.append(_marker(marker, lx + 11, ly, colour))
        entry.append(f'<text x="{lx + 30}" y="{ly + 4}">{esc(name)}</text></g>')
        out.append("".join(entry))
    for j, b in enumerate(bands):
        ly = top + 10 + 22 * (len(series) + j)
        lx = left + pw + 16
        label = (
            b.label if len(b.label) <= max_legend_chars else b.label[: max_legend_chars - 1] + "…"
        )
        out.append(
            f'<g class="legend"><title>{esc(b.label)}</title>'
            f'<rect x="{lx}" y="{ly - 6}" width="22" height="12" fill="{esc(b.colour)}" '
            f'fill-opacity="{b.opacity:g}"/><text x="{lx + 30}" y="{ly + 4}">{esc(label)}</text></g>'
        )
    out.append("</svg>")
    return "\n".join(out)
