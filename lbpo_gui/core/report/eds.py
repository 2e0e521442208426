"""EDS results of a project: the stored ``eds_thickness`` analysis and the study's table.

The thickness of every EDS dataset is computed from its stored arrays with its stored settings
(defaults when none) by :func:`analyse_dataset`; the sample's coating tells whether P may mark the
electrolyte (LPO/LBPO coatings contain P). Maps (``eds_map``) are analysed along the stored line
(``line: {start_nm, end_nm, width_nm}``; default: across the map centre along the interface
normal), so the number can be reproduced from the map by anyone who opens the project.

Table ``eds_interlayer_thickness.csv`` (columns of ``../shared/reference``): ``sample``,
``state``, ``interlayer_thickness_nm``, ``elements``. The thickness is the study's reading,
**T10**: the width over which cathode and electrolyte signals are both >= 10 % of their bulk
levels, ``T50 + 1.2816 (sigma_c + sigma_e)`` from the joint erf fit (the instrument's broadening
included, as in a reading by eye); several profiles of one sample and state are averaged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..eds import (
    STUDY_THETA,
    ThicknessResult,
    analyse_profile,
    auto_line,
    fit_element_edges,
    line_normal_angle_deg,
)
from ..eds import line_profile as draw_line
from ..eds.thickness import EdsSettings, default_sides
from ..errors import AnalysisError
from ..project.model import Dataset, Project, Sample
from ..project.rules import fingerprint

ANALYSIS_NAME = "eds_thickness"
MAP_ANALYSIS_NAME = "eds_map_thickness"
TABLE_DEFINITION = (
    "T10: width over which cathode and electrolyte signals are both >= 10 % of their bulk "
    "levels (joint erf fit, T50 + 1.28 (sigma_c + sigma_e))"
)
COLUMNS = ["sample", "state", "interlayer_thickness_nm", "elements"]
#: Settings keys that are not thickness settings: the map line (drawn into a profile first) and
#: ``method``, the definition the EDS tab headlines (``T50``, ``T_theta_fit``, ``T_theta_read``;
#: every definition is in the results whatever it is).
VIEW_KEYS = ("line", "method")
METHODS = ("T50", "T_theta_fit", "T_theta_read")


def _elements(dataset: Dataset) -> list[str]:
    if dataset.kind == "eds_map":
        return list(dataset.metadata.get("elements") or [])
    return [k for k in dataset.arrays if k != "distance_nm"]


def default_settings(dataset: Dataset) -> dict[str, Any]:
    """First-run settings: the default markers present, theta 0.1 (and a line for maps)."""
    cathode, electrolyte = default_sides(_elements(dataset))
    out = EdsSettings(cathode=cathode, electrolyte=electrolyte).to_dict()
    out.pop("line_angle_deg")
    out["coating_contains_p"] = None  # from the sample's coating
    if dataset.kind == "eds_map":
        px = float(dataset.metadata["pixel_size_nm"])
        maps = {e: dataset.arrays[e] for e in _elements(dataset)}
        start, end, width = auto_line(maps, px)
        out["line"] = {"start_nm": list(start), "end_nm": list(end), "width_nm": width}
    return out


def coating_contains_p(sample: Sample) -> bool:
    """Whether the sample's coating holds P (any Li3PO4: LPO and LBPO coatings)."""
    return bool(sample.lpo_wt_pct)


def profile_of(dataset: Dataset, settings: Mapping[str, Any]) -> tuple[np.ndarray, dict, dict]:
    """(distance_nm, signals, metadata for the checks) of a profile or of the stored map line."""
    meta = dict(dataset.metadata)
    if dataset.kind != "eds_map":
        x = np.asarray(dataset.arrays["distance_nm"], dtype=float)
        return x, {k: v for k, v in dataset.arrays.items() if k != "distance_nm"}, meta
    line = settings.get("line")
    if not isinstance(line, Mapping):
        raise AnalysisError("draw a line on the maps first (settings have no 'line')")
    px = float(meta["pixel_size_nm"])
    maps = {e: dataset.arrays[e] for e in _elements(dataset)}
    start, end = tuple(line["start_nm"]), tuple(line["end_nm"])
    width = float(line["width_nm"])
    prof = draw_line(maps, px, start, end, width)
    meta["line_angle_deg"] = line_normal_angle_deg(maps, px, start, end, width)[0]
    return prof.distance_nm, prof.signals, meta


def analyse_dataset(
    sample: Sample, dataset: Dataset, settings: Mapping[str, Any] | None = None
) -> ThicknessResult:
    """The thickness of one EDS dataset with ``settings`` (stored, else defaults)."""
    if dataset.kind not in ("eds_profile", "eds_map"):
        raise AnalysisError(f"{dataset.label} is {dataset.kind} data, not an EDS profile")
    if settings is None:
        stored = dataset.analyses.get(_name(dataset))
        settings = stored.settings if stored else default_settings(dataset)
    s = dict(settings)
    x, signals, meta = profile_of(dataset, s)
    for key in VIEW_KEYS:
        s.pop(key, None)
    if s.get("coating_contains_p") is None:
        s["coating_contains_p"] = coating_contains_p(sample)
    unit = str(meta.get("signal_unit") or "counts")
    return analyse_profile(x, signals, s, signal_unit=unit, metadata=meta)


def haadf_control(dataset: Dataset, settings: Mapping[str, Any]) -> dict[str, Any] | None:
    """The HAADF edge along the stored line of a map dataset (the notes' geometric control: a
    tilted interface blurs the HAADF as much as the element maps). None without a HAADF image
    or when it shows no edge."""
    line = settings.get("line")
    images = dataset.metadata.get("images") or []
    if dataset.kind != "eds_map" or "HAADF" not in images or not isinstance(line, Mapping):
        return None
    px = float(dataset.metadata["pixel_size_nm"])
    prof = draw_line(
        {"HAADF": dataset.arrays["HAADF"]},
        px,
        tuple(line["start_nm"]),
        tuple(line["end_nm"]),
        float(line["width_nm"]),
        reduce="mean",
    )
    try:
        edge = fit_element_edges(prof.distance_nm, prof.signals, ["HAADF"], weighting="uniform")
    except AnalysisError:
        return None
    e = edge["HAADF"]
    return {
        "center_nm": e.center_nm,
        "sigma_nm": e.sigma_nm,
        "width_10_90_nm": e.width_10_90_nm,
        "definition": "10-90 % width of an erf fitted to the HAADF along the same line",
    }


def _name(dataset: Dataset) -> str:
    return MAP_ANALYSIS_NAME if dataset.kind == "eds_map" else ANALYSIS_NAME


def stored_result(result: ThicknessResult) -> dict[str, Any]:
    """The JSON kept in the project (the ``lbpo eds`` keys and more)."""
    return result.to_dict()


def result_arrays(result: ThicknessResult) -> dict[str, np.ndarray]:
    """Curves for the views: ``distance_nm`` and the fitted model ``fit_<element>``."""
    out = {"distance_nm": np.asarray(result.fit.x_nm, dtype=float)}
    out.update({f"fit_{el}": np.asarray(m, dtype=float) for el, m in result.fit.model.items()})
    return out


def _state(dataset: Dataset) -> str:
    return str(dataset.metadata.get("state") or dataset.label)


def _study_reading(sample: Sample, dataset: Dataset) -> tuple[float, list[str], list[str]]:
    """(T10 nm, cathode elements, electrolyte elements) of one dataset: from the stored analysis
    when it is current, error-free and read at the study's theta; else computed now."""
    name = _name(dataset)
    stored = dataset.analyses.get(name)
    if stored is not None and "error" not in stored.results:
        tt = stored.results.get("t_theta") or {}
        edges = stored.results.get("edges") or {}
        current = stored.inputs == fingerprint(name, sample, dataset, stored.settings)
        if current and tt.get("theta") == STUDY_THETA and {"cathode", "electrolyte"} <= set(edges):
            return (
                float(tt["fit_nm"]),
                list(edges["cathode"]["elements"]),
                list(edges["electrolyte"]["elements"]),
            )
    settings = dict(stored.settings) if stored else default_settings(dataset)
    settings["theta"] = STUDY_THETA
    result = analyse_dataset(sample, dataset, settings)
    return (
        result.t_theta_nm,
        list(result.fit.cathode.elements),
        list(result.fit.electrolyte.elements),
    )


def eds_thickness_rows(project: Project) -> tuple[list[str], list[dict[str, Any]]]:
    """The rows of ``eds_interlayer_thickness.csv``: T10 per sample and state (mean over the
    sample's profiles in that state); datasets that cannot be analysed are left out (their
    stored result carries the error). A current stored analysis read at T10 is not refitted."""
    groups: dict[tuple[str, str], list[tuple[float, list[str], list[str]]]] = {}
    for sample, dataset in project.datasets():
        if dataset.kind not in ("eds_profile", "eds_map"):
            continue
        try:
            reading = _study_reading(sample, dataset)
        except (AnalysisError, KeyError, ValueError):
            continue
        groups.setdefault((sample.name, _state(dataset)), []).append(reading)
    rows = []
    for (name, state), readings in groups.items():
        _, c, e = readings[0]
        rows.append(
            {
                "sample": name,
                "state": state,
                "interlayer_thickness_nm": round(float(np.mean([r[0] for r in readings])), 2),
                "elements": f"{','.join(c)} (cathode) vs {','.join(e)} (electrolyte)",
            }
        )
    return list(COLUMNS), rows
