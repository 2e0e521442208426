"""XPS results of a project: the component table and the B 1s depth profile.

Every number comes from the stored ``xps_fit`` analysis of a dataset when it is up to date, else
it is computed now with the stored (or default) settings without being stored.

- :func:`xps_component_rows`: ``xps_components.csv``, one row per fitted S 2p / P 2p component
  of every sample and state, in the columns of ``../shared/reference/xps_components.csv``
  (region, component, peak_2p3_2_eV, peak_2p1_2_eV, origin) followed by sample, state,
  fwhm_eV, area_cps_eV, area_pct, area_pct_stderr and reduced_chi_square;
- :func:`depth_profiles`: per sample, a region's component areas against etch level/time (the
  study's B 1s profile).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..analyses.xps import ANALYSIS_NAME
from ..project.model import Dataset, Project, Sample
from .current import current_analysis

COLUMNS = ["region", "component", "peak_2p3_2_eV", "peak_2p1_2_eV", "origin"]
EXTRA_COLUMNS = [
    "sample",
    "state",
    "fwhm_eV",
    "area_cps_eV",
    "area_pct",
    "area_pct_stderr",
    "reduced_chi_square",
]
TABLE_REGIONS = ("S 2p", "P 2p")


def xps_results(project: Project, sample: Sample, dataset: Dataset) -> dict[str, Any]:
    """The ``xps_fit`` results of a dataset: stored when current, else computed now."""
    return current_analysis(sample, dataset, ANALYSIS_NAME).results


def _r(v: Any, nd: int) -> Any:
    return None if v is None else round(float(v), nd)


def xps_component_rows(project: Project) -> tuple[list[str], list[dict[str, Any]]]:
    """Rows of ``xps_components.csv`` (see the module docstring)."""
    rows: list[dict[str, Any]] = []
    for sample, dataset in project.datasets("xps"):
        region = str(dataset.metadata.get("region", ""))
        if region not in TABLE_REGIONS:
            continue
        res = xps_results(project, sample, dataset)
        if "components" not in res:
            continue
        origins = res.get("origins", {})
        for c in res["components"]:
            d = c.get("doublet") or {}
            rows.append(
                {
                    "region": region,
                    "component": c["name"],
                    "peak_2p3_2_eV": _r(c["position_eV"], 2),
                    "peak_2p1_2_eV": _r(d.get("position_j_minus_eV"), 2),
                    "origin": origins.get(c["name"], ""),
                    "sample": sample.name,
                    "state": dataset.metadata.get("state", dataset.label),
                    "fwhm_eV": _r(c["fwhm_eV"], 2),
                    "area_cps_eV": _r(c["area"], 1),
                    "area_pct": _r(c["area_pct"], 2),
                    "area_pct_stderr": _r(c.get("stderr", {}).get("area_pct"), 2),
                    "reduced_chi_square": _r(res.get("reduced_chi_square"), 3),
                }
            )
    return COLUMNS + EXTRA_COLUMNS, rows


def depth_profiles(
    project: Project, region: str = "B 1s", samples: Iterable[Sample] | None = None
) -> list[dict[str, Any]]:
    """Per sample (of ``samples``, default all) with an etch series of ``region``: ``{"sample",
    "etch_time_s", "etch_level", "total_area", "components": {name: [area per level]}}``, levels
    in etch order."""
    out = []
    for sample in project.samples if samples is None else samples:
        series = [
            d
            for d in sample.datasets_of("xps")
            if d.metadata.get("region") == region and d.metadata.get("etch_level") is not None
        ]
        if not series:
            continue
        series.sort(
            key=lambda d: (float(d.metadata.get("etch_time_s") or 0), d.metadata["etch_level"])
        )
        levels, times, totals = [], [], []
        comps: dict[str, list[float]] = {}
        for d in series:
            res = xps_results(project, sample, d)
            if "components" not in res:
                continue
            levels.append(d.metadata.get("etch_level"))
            times.append(d.metadata.get("etch_time_s"))
            totals.append(sum(c["area"] for c in res["components"]))
            for c in res["components"]:
                comps.setdefault(c["name"], []).append(c["area"])
        out.append(
            {
                "sample": sample.name,
                "etch_level": levels,
                "etch_time_s": times,
                "total_area": totals,
                "components": comps,
            }
        )
    return out
