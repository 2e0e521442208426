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

from ..eds import STUDY_THETA, ThicknessResult, analyse_profile, auto_line, line_normal_angle_deg
from ..eds import line_profile as draw_line
from ..eds.thickness import EdsSettings, default_sides
from ..errors import AnalysisError
from ..project.model import Dataset, Project, Sample

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


def eds_thickness_rows(project: Project) -> tuple[list[str], list[dict[str, Any]]]:
    """The rows of ``eds_interlayer_thickness.csv``: T10 per sample and state (mean over the
    sample's profiles in that state); datasets that cannot be analysed are left out (their
    stored result carries the error)."""
    groups: dict[tuple[str, str], list[ThicknessResult]] = {}
    for sample, dataset in project.datasets():
        if dataset.kind not in ("eds_profile", "eds_map"):
            continue
        stored = dataset.analyses.get(_name(dataset))
        settings = dict(stored.settings) if stored else default_settings(dataset)
        settings["theta"] = STUDY_THETA
        try:
            result = analyse_dataset(sample, dataset, settings)
        except (AnalysisError, KeyError, ValueError):
            continue
        groups.setdefault((sample.name, _state(dataset)), []).append(result)
    rows = []
    for (name, state), results in groups.items():
        c, e = results[0].fit.cathode.elements, results[0].fit.electrolyte.elements
        rows.append(
            {
                "sample": name,
                "state": state,
                "interlayer_thickness_nm": round(
                    float(np.mean([r.t_theta_nm for r in results])), 2
                ),
                "elements": f"{','.join(c)} (cathode) vs {','.join(e)} (electrolyte)",
            }
        )
    return list(COLUMNS), rows
