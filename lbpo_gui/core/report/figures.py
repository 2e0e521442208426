"""The study's figure set: the panels of chosen samples as data, and as SVG.

:func:`figure_panels` returns :class:`FigurePanel` objects (series as numpy arrays, axis labels
with units, a caption with the definitions used), so the GUI renders the very same panels to PNG
with pyqtgraph and :func:`panel_svg` writes them as SVG (:mod:`.svg`, no Qt here). Panels, in
order: rate capability; first-cycle V-Q profiles; Nyquist plots with the fitted circuit; one panel
per S 2p / P 2p spectrum with its fit; the B 1s depth profile; one panel per EDS profile with the
interlayer band. Every number comes from a current analysis (:func:`.current.current_analysis`):
the stored one when up to date, else computed now.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..project.atomic import atomic_write_bytes
from ..project.model import Dataset, Project, Sample
from .current import current_analysis
from .eds import TABLE_DEFINITION, profile_of
from .impedance import DEFINITION as IMPEDANCE_DEFINITION
from .study import first_cycle_profiles, rate_capability_series, study_cycling
from .svg import PALETTE, Band, Series, line_chart, thin
from .xps import TABLE_REGIONS, depth_profiles

#: Points per drawn curve in the SVG (the panel data keep every point).
MAX_SVG_POINTS = 400
FIGURES_DIR = "figures"
#: What a PNG of a panel should be (the GUI renders them with pyqtgraph): inches and dots per inch.
PANEL_SIZE_IN = (7.6, 4.2)
PNG_DPI = 300


def png_size_px(dpi: int = PNG_DPI) -> tuple[int, int]:
    """(width, height) in pixels of a panel's PNG at ``dpi`` (>= 300 for print)."""
    return round(PANEL_SIZE_IN[0] * dpi), round(PANEL_SIZE_IN[1] * dpi)


@dataclass(frozen=True)
class PanelSeries:
    """One legend entry: ``segments`` are (x, y) array pairs drawn as separate runs."""

    name: str
    segments: list[tuple[np.ndarray, np.ndarray]]
    line: bool = True
    markers: bool = False
    dash: bool = False
    colour: str | None = None


@dataclass(frozen=True)
class PanelBand:
    """A shaded x range (the EDS interlayer) with its label."""

    x0: float
    x1: float
    label: str
    colour: str = "#F0C05A"


@dataclass
class FigurePanel:
    """One figure of the study: what to draw and how to label it.

    ``key`` is the file stem (``rate_capability``, ``xps_s2p_<sample>_<state>`` ...),
    ``samples`` the sample names shown, ``datasets`` the dataset ids the data came from.
    """

    key: str
    title: str
    x_label: str
    y_label: str
    series: list[PanelSeries]
    caption: str
    log_x: bool = False
    invert_x: bool = False
    include_zero_y: bool = False
    bands: list[PanelBand] = field(default_factory=list)
    samples: list[str] = field(default_factory=list)
    datasets: list[str] = field(default_factory=list)


def _slug(*parts: str) -> str:
    text = "_".join(parts).lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def _arr(values) -> np.ndarray:
    return np.asarray(values, dtype=float)


def _points(pts: Sequence[tuple[float, float]]) -> tuple[np.ndarray, np.ndarray]:
    return _arr([p[0] for p in pts]), _arr([p[1] for p in pts])


def _chosen(project: Project, samples: Sequence[str] | None) -> list[Sample]:
    """The samples named (by id or name) in ``samples``, in project order; all when None."""
    if samples is None:
        return list(project.samples)
    wanted = set(samples)
    return [s for s in project.samples if s.id in wanted or s.name in wanted]


def _cycling_panels(project: Project, chosen: list[Sample]) -> list[FigurePanel]:
    studies = study_cycling(project, chosen)
    panels = []
    rate = rate_capability_series(studies)
    if rate:
        panels.append(
            FigurePanel(
                "rate_capability",
                "Rate capability",
                "Current density (mA/g)",
                "Discharge capacity (mAh/g)",
                [PanelSeries(n, [_points(p)], markers=True) for n, p in rate],
                "Discharge capacity of each rate step's representative cycle (the study's cycles "
                "1, 7, 12, 17 by default) against the current density, log scale; capacity "
                "integrated from current and time and divided by the active mass.",
                log_x=True,
                include_zero_y=True,
                samples=[n for n, _ in rate],
                datasets=[st.rate.dataset.id for st in studies if st.rate],
            )
        )
    profiles = first_cycle_profiles(studies)
    if profiles:
        series = [
            PanelSeries(name, [(_arr(q), _arr(v)) for q, v in branches])
            for name, branches in profiles
        ]
        panels.append(
            FigurePanel(
                "vq_profiles_cycle1",
                "First-cycle voltage profiles",
                "Specific capacity (mAh/g)",
                "Voltage (V vs Li/Li+)",
                series,
                "Charge and discharge of cycle 1 (the first charge and the discharge after it) "
                "of each sample's rate test at 17 mA/g; capacity counted from the start of each "
                "half cycle, per gram of active material.",
                samples=[n for n, _ in profiles],
                datasets=[st.rate.dataset.id for st in studies if st.rate],
            )
        )
    return panels


def _nyquist_panel(chosen: list[Sample]) -> FigurePanel | None:
    series, names, ids = [], [], []
    for sample in chosen:
        dataset = next((d for d in sample.datasets if d.kind == "impedance"), None)
        if dataset is None:
            continue
        colour = PALETTE[len(names) % len(PALETTE)]
        a = dataset.arrays
        series.append(
            PanelSeries(
                f"{sample.name} data",
                [(_arr(a["z_real_ohm"]), -_arr(a["z_imag_ohm"]))],
                line=False,
                markers=True,
                colour=colour,
            )
        )
        fit = current_analysis(sample, dataset)
        if fit is not None and "curve_real_ohm" in fit.arrays:
            series.append(
                PanelSeries(
                    f"{sample.name} fit",
                    [(_arr(fit.arrays["curve_real_ohm"]), -_arr(fit.arrays["curve_imag_ohm"]))],
                    colour=colour,
                )
            )
        names.append(sample.name)
        ids.append(dataset.id)
    if not series:
        return None
    caption = (
        "Nyquist plots (markers: measured; lines: fitted equivalent circuit over the fitted "
        "frequency range). " + re.sub(r"<[^>]+>", "", IMPEDANCE_DEFINITION)
    )
    caption = caption.replace("&omega;", "ω").replace("&amp;", "&")
    return FigurePanel(
        "nyquist",
        "Impedance (Nyquist) with fits",
        "Z' (ohm)",
        "-Z'' (ohm)",
        series,
        caption,
        include_zero_y=True,
        samples=names,
        datasets=ids,
    )


def _xps_fit_panel(sample: Sample, dataset: Dataset) -> FigurePanel | None:
    fit = current_analysis(sample, dataset)
    if fit is None or "components" not in fit.results:
        return None
    a, res = fit.arrays, fit.results
    be = _arr(a["binding_energy_eV"])
    region = str(res.get("region") or dataset.metadata.get("region"))
    state = str(dataset.metadata.get("state") or dataset.label)
    series = [
        PanelSeries(
            "data", [(be, _arr(a["counts_per_s"]))], line=False, markers=True, colour="#555555"
        ),
        PanelSeries("envelope", [(be, _arr(a["envelope_cps"]))], colour="#000000"),
        PanelSeries("background", [(be, _arr(a["background_cps"]))], dash=True, colour="#7F7F7F"),
    ]
    for k, c in enumerate(res["components"]):
        key = f"component_{k}_cps"
        if key in a:
            series.append(
                PanelSeries(
                    f"{c['name']} ({c['area_pct']:.1f} %)",
                    [(be, _arr(a[key]))],
                    colour=PALETTE[k % len(PALETTE)],
                )
            )
    doublet = any(c.get("doublet") for c in res["components"])
    caption = (
        f"{region} of {sample.name}, {state}: template {res.get('template')}, "
        f"{res.get('background')} background, reduced chi-square "
        f"{res.get('reduced_chi_square', float('nan')):.2f}. Components drawn on the background; "
        "percentages are shares of the total component area"
        + (" (both spin-orbit peaks of each doublet)." if doublet else ".")
    )
    return FigurePanel(
        _slug("xps", region, sample.name, state),
        f"{region}: {sample.name}, {state}",
        "Binding energy (eV)",
        "Intensity (counts/s)",
        series,
        caption,
        invert_x=True,
        samples=[sample.name],
        datasets=[dataset.id],
    )


def _depth_panel(project: Project, chosen: list[Sample]) -> FigurePanel | None:
    profiles = depth_profiles(project, samples=chosen)
    series = []
    for prof in profiles:
        t = _arr([x or 0.0 for x in prof["etch_time_s"]])
        comps = prof["components"]
        if len(comps) > 1:
            series.append(
                PanelSeries(
                    f"{prof['sample']} total", [(t, _arr(prof["total_area"]))], markers=True
                )
            )
        for name, areas in comps.items():
            label = prof["sample"] if len(comps) == 1 else f"{prof['sample']}: {name}"
            series.append(PanelSeries(label, [(t, _arr(areas))], markers=True))
    if not series:
        return None
    return FigurePanel(
        "xps_b1s_depth_profile",
        "B 1s depth profile",
        "Ar+ etch time (s)",
        "B 1s area (counts/s eV)",
        series,
        "Fitted B 1s peak area (background removed) of the coated powder after each Ar+ etch "
        "step; the boron of the LBO coating falls off with depth.",
        include_zero_y=True,
        samples=[p["sample"] for p in profiles],
    )


def _eds_panel(sample: Sample, dataset: Dataset) -> FigurePanel | None:
    fit = current_analysis(sample, dataset)
    if fit is None or "edges" not in fit.results:
        return None
    res = fit.results
    x, signals, _ = profile_of(dataset, fit.settings)
    series = []
    for k, (el, sig) in enumerate(signals.items()):
        colour = PALETTE[k % len(PALETTE)]
        series.append(
            PanelSeries(el, [(_arr(x), _arr(sig))], line=False, markers=True, colour=colour)
        )
        if f"fit_{el}" in fit.arrays:
            series.append(
                PanelSeries(
                    f"{el} fit",
                    [(_arr(fit.arrays["distance_nm"]), _arr(fit.arrays[f"fit_{el}"]))],
                    colour=colour,
                )
            )
    bands = []
    tt = res.get("t_theta") or {}
    if tt.get("fit_band_nm"):
        lo, hi = tt["fit_band_nm"]
        bands.append(PanelBand(lo, hi, f"{tt.get('code', 'T')} = {tt['fit_nm']:.1f} nm"))
    if res.get("band_nm"):
        lo, hi = res["band_nm"]
        bands.append(PanelBand(lo, hi, f"T50 = {res['thickness_nm']:.1f} nm", colour="#D55E00"))
    state = str(dataset.metadata.get("state") or dataset.label)
    unit = str(res.get("signal_unit") or "counts")
    caption = (
        f"STEM-EDS line profile of {sample.name}, {state} (markers: signal; lines: joint erf "
        f"fit). Shaded: the interlayer, {tt.get('definition') or TABLE_DEFINITION}; darker: "
        f"{res.get('definition', 'T50')}."
    )
    return FigurePanel(
        _slug("eds", sample.name, state),
        f"EDS profile: {sample.name}, {state}",
        "Distance (nm)",
        f"Signal ({unit})",
        series,
        caption,
        include_zero_y=True,
        bands=bands,
        samples=[sample.name],
        datasets=[dataset.id],
    )


def figure_panels(project: Project, samples: Sequence[str] | None = None) -> list[FigurePanel]:
    """The study's panels for ``samples`` (ids or names; all when None), in report order."""
    chosen = _chosen(project, samples)
    panels = _cycling_panels(project, chosen)
    nyquist = _nyquist_panel(chosen)
    if nyquist is not None:
        panels.append(nyquist)
    for region in TABLE_REGIONS:
        for sample in chosen:
            for d in sample.datasets_of("xps"):
                if d.metadata.get("region") == region:
                    panel = _xps_fit_panel(sample, d)
                    if panel is not None:
                        panels.append(panel)
    depth = _depth_panel(project, chosen)
    if depth is not None:
        panels.append(depth)
    for sample in chosen:
        for d in sample.datasets:
            if d.kind in ("eds_profile", "eds_map"):
                panel = _eds_panel(sample, d)
                if panel is not None:
                    panels.append(panel)
    return panels


def panel_svg(panel: FigurePanel, max_points: int = MAX_SVG_POINTS) -> str:
    """The panel as one ``<svg>`` element (curves thinned to ``max_points`` per run)."""
    series = [
        Series(
            s.name,
            [thin(x, y, max_points) for x, y in s.segments],
            line=s.line,
            markers=s.markers,
            colour=s.colour,
            dash=s.dash,
            marker_radius=2.0 if not s.line else 3.0,
        )
        for s in panel.series
    ]
    xs = [float(v) for s in panel.series for x, _ in s.segments for v in x if v > 0]
    ticks = None
    if panel.log_x:
        distinct = sorted({round(v, 6) for v in xs})
        ticks = distinct if 0 < len(distinct) <= 8 else None
    return line_chart(
        series,
        title=panel.title,
        x_label=panel.x_label,
        y_label=panel.y_label,
        log_x=panel.log_x,
        x_ticks=ticks,
        include_zero_y=panel.include_zero_y,
        invert_x=panel.invert_x,
        bands=[Band(b.x0, b.x1, b.label, b.colour) for b in panel.bands],
    )


def standalone_svg(svg: str) -> bytes:
    """An SVG element as a file (XML declaration added)."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + svg + "\n").encode("utf-8")


def write_figure_set(
    panels: Sequence[FigurePanel], out_dir: str | Path
) -> list[tuple[Path, FigurePanel, str]]:
    """Write every panel as ``out_dir/<key>.svg`` (folder created); returns (path, panel, svg)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    used: set[str] = set()
    for panel in panels:
        stem, n = panel.key, 2
        while stem in used:
            stem, n = f"{panel.key}_{n}", n + 1
        used.add(stem)
        svg = panel_svg(panel)
        path = out_dir / f"{stem}.svg"
        atomic_write_bytes(path, standalone_svg(svg), backup=False, durable=False)
        written.append((path, panel, svg))
    return written
