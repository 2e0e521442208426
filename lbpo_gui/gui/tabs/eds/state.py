"""What the EDS views render: the selected dataset, its thickness analysis and the profile it
was computed from, gathered by the tab through the core (nothing is computed here).

The analysis is the dataset's stored ``eds_thickness`` (profiles) or ``eds_map_thickness``
(maps: the line is in the settings); without a stored one it is computed with the core's
default settings and shown, not stored, until the user changes a setting.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ....core.errors import AnalysisError
from ....core.project import Analysis, Dataset, Project, Sample, rules
from ....core.report.eds import (
    ANALYSIS_NAME,
    MAP_ANALYSIS_NAME,
    METHODS,
    default_settings,
    profile_of,
)

KINDS = ("eds_profile", "eds_map")
SIDES = ("cathode", "electrolyte", "ignore")
METHOD_TEXT = {
    "T50": "T50 (50 % points, fit)",
    "T_theta_fit": "T\u03b8 from the fit",
    "T_theta_read": "T\u03b8 read from the profile",
}
DEFAULT_METHOD = "T_theta_fit"


def analysis_name(dataset: Dataset) -> str:
    """The stored analysis of a dataset: ``eds_map_thickness`` for maps, else
    ``eds_thickness``."""
    return MAP_ANALYSIS_NAME if dataset.kind == "eds_map" else ANALYSIS_NAME


def elements_of(dataset: Dataset) -> list[str]:
    """The element signals of a dataset (maps: the metadata's ``elements``)."""
    if dataset.kind == "eds_map":
        return [e for e in dataset.metadata.get("elements") or [] if e in dataset.arrays]
    return [k for k in dataset.arrays if k != "distance_nm"]


def images_of(dataset: Dataset) -> list[str]:
    """The non-element images of a map dataset (HAADF...)."""
    return [i for i in dataset.metadata.get("images") or [] if i in dataset.arrays]


def settings_of(dataset: Dataset) -> dict[str, Any]:
    """The stored settings, else the core's defaults (plus the tab's ``method``)."""
    stored = dataset.analyses.get(analysis_name(dataset))
    s = dict(stored.settings) if stored is not None and stored.settings else {}
    if not s:
        try:
            s = default_settings(dataset)
        except (AnalysisError, KeyError, ValueError):
            s = {}
    s.setdefault("method", DEFAULT_METHOD)
    return s


def side_of(settings: Mapping[str, Any], element: str) -> str:
    """'cathode', 'electrolyte' or 'ignore' for ``element`` in ``settings``."""
    if element in (settings.get("cathode") or []):
        return "cathode"
    if element in (settings.get("electrolyte") or []):
        return "electrolyte"
    return "ignore"


def settings_key(settings: Mapping[str, Any]) -> str:
    return json.dumps(settings, sort_keys=True, default=str)


@dataclass
class Profile:
    """The profile the thickness was computed from (a map's is drawn along the line)."""

    distance_nm: np.ndarray
    signals: dict[str, np.ndarray]
    line_angle_deg: float | None = None
    error: str = ""


def profile_for(dataset: Dataset, settings: Mapping[str, Any]) -> Profile:
    """The dataset's profile with ``settings`` (the core draws the map line)."""
    try:
        x, signals, meta = profile_of(dataset, settings)
    except (AnalysisError, KeyError, ValueError) as exc:
        return Profile(np.zeros(0), {}, None, str(exc))
    angle = meta.get("line_angle_deg")
    return Profile(
        np.asarray(x, dtype=float),
        {k: np.asarray(v, dtype=float) for k, v in signals.items()},
        None if angle is None else float(angle),
    )


class AnalysisCache:
    """Analyses computed for display (not stored) and drawn profiles, by settings."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._analyses: dict[tuple, Analysis] = {}
        self._profiles: dict[tuple, Profile] = {}

    def clear(self) -> None:
        self._analyses.clear()
        self._profiles.clear()

    def _trim(self, store: dict) -> None:
        while len(store) > self.size:
            store.pop(next(iter(store)))

    def analysis(self, sample: Sample, dataset: Dataset, settings: Mapping[str, Any]) -> Analysis:
        """The core's analysis of ``dataset`` with ``settings`` (cached)."""
        key = (dataset.id, id(dataset.arrays), settings_key(settings), sample.lpo_wt_pct)
        hit = self._analyses.get(key)
        if hit is None:
            hit = rules.compute_analysis(sample, dataset, analysis_name(dataset), dict(settings))
            self._analyses[key] = hit
            self._trim(self._analyses)
        return hit

    def profile(self, dataset: Dataset, settings: Mapping[str, Any]) -> Profile:
        """The drawn profile (cached)."""
        key = (dataset.id, id(dataset.arrays), settings_key(settings.get("line")))
        hit = self._profiles.get(key)
        if hit is None:
            hit = profile_for(dataset, settings)
            self._profiles[key] = hit
            self._trim(self._profiles)
        return hit


def current_analysis(
    cache: AnalysisCache, sample: Sample, dataset: Dataset, settings: Mapping[str, Any]
) -> tuple[Analysis, bool]:
    """(the analysis shown, whether it is the stored one)."""
    stored = dataset.analyses.get(analysis_name(dataset))
    if (
        stored is not None
        and stored.settings
        and settings_key(stored.settings) == settings_key(settings)
    ):
        return stored, True
    return cache.analysis(sample, dataset, settings), False


@dataclass
class EdsState:
    """Everything the EDS views show, gathered once per refresh by the tab."""

    project: Project | None = None
    sample: Sample | None = None
    datasets: list[Dataset] = field(default_factory=list)
    dataset: Dataset | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    analysis: Analysis | None = None
    stored: bool = False
    profile: Profile | None = None
    cache: AnalysisCache | None = None

    @property
    def results(self) -> dict[str, Any]:
        return dict(self.analysis.results) if self.analysis is not None else {}

    @property
    def error(self) -> str:
        return str(self.results.get("error") or "")

    @property
    def method(self) -> str:
        m = str(self.settings.get("method") or DEFAULT_METHOD)
        return m if m in METHODS else DEFAULT_METHOD

    def dataset_problem(self) -> tuple[str, bool, bool] | None:
        """Why nothing can be drawn (message, no action, not busy), or None."""
        if self.project is not None and not self.project.samples:
            return (
                "This project has no samples yet.\n\nAdd one in the Samples panel, or drop "
                "EDS files (line-profile CSV, Velox .emd, HyperSpy .hspy maps) on the window.",
                False,
                False,
            )
        if self.sample is None:
            return ("Select a sample in the tree on the left to see its EDS data.", False, False)
        if self.dataset is None:
            return (
                f"\u201c{self.sample.name}\u201d has no EDS data yet.\n\nUse File \u25b8 Import "
                "data\u2026 (Ctrl+I) or drop line-profile CSVs, Velox .emd or .hspy maps here.",
                False,
                False,
            )
        return None


def headline(results: Mapping[str, Any], method: str) -> tuple[str, float | None, tuple | None]:
    """(label such as ``T50 = 7.0 +- 0.3 nm``, value, band (start, end) nm) of ``method``."""
    if not results or results.get("error"):
        return "", None, None
    pm = "\u00b1"
    if method == "T50":
        v, se = results.get("thickness_nm"), results.get("thickness_stderr_nm")
        band = results.get("band_nm")
        code = "T50"
    else:
        t = results.get("t_theta") or {}
        code = str(t.get("code") or "T\u03b8")
        if method == "T_theta_fit":
            v, se, band = t.get("fit_nm"), t.get("fit_stderr_nm"), t.get("fit_band_nm")
        else:
            r = t.get("reading") or {}
            v, se = t.get("read_nm"), t.get("read_stderr_nm")
            band = (r.get("start_nm"), r.get("end_nm"))
            code = f"{code} (read)"
    if v is None or not np.isfinite(v):
        return f"{code}: no value", None, None
    text = f"{code} = {v:.1f} {pm} {se:.1f} nm" if se is not None else f"{code} = {v:.1f} nm"
    ok_band = (
        tuple(float(b) for b in band)
        if band is not None and all(b is not None and np.isfinite(b) for b in band)
        else None
    )
    return text, float(v), ok_band


def definition_of(results: Mapping[str, Any], method: str) -> str:
    """The definition sentence that goes with the headlined number."""
    if not results or results.get("error"):
        return ""
    if method == "T50":
        return str(results.get("definition") or "")
    t = results.get("t_theta") or {}
    text = str(t.get("definition") or "")
    if method == "T_theta_read":
        r = t.get("reading") or {}
        text = (
            f"{t.get('code', 'T')} read directly: width over which the smoothed, "
            f"plateau-normalised profiles (sigma {r.get('smoothing_nm', 0):g} nm) of both sides "
            f"are >= {float(t.get('theta', 0)):.0%} of their bulk levels"
        )
    return text
