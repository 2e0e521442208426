"""What the XPS views share: the tab state, the editable fit specification of a dataset and how
it is stored (the ``xps_fit`` analysis settings), and dataset captions.

The editable specification of a dataset is the template dict of its stored ``xps_fit`` settings
(a built-in name is loaded); when the stored fit is current, its fitted positions, FWHMs and areas
are written in, so a drag after a fit starts from the fitted model. Every edit stores the new
dict as the settings (one undo step) and clears the results until the next fit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ....core.analyses.xps import ANALYSIS_NAME, default_xps_settings
from ....core.project import Dataset, Project, Sample
from ....core.project.model import Analysis
from ....core.xps.model import Background, FitSpec
from ....core.xps.sample_quant import RegionInput, charge_shift_of, corrected_binding_energy
from ....core.xps.templates import load_template, template_names

#: Monte Carlo refits offered first.
DEFAULT_MC = 100


def region_of(dataset: Dataset) -> str:
    """The dataset's region label (e.g. ``"S 2p"``), else its label."""
    return str(dataset.metadata.get("region") or dataset.label)


def level_text(dataset: Dataset) -> str:
    """``"etch 30 s (level 1)"``, or "" when the dataset has no etch information."""
    meta = dataset.metadata
    time_s, level = meta.get("etch_time_s"), meta.get("etch_level")
    parts = []
    if isinstance(time_s, int | float):
        parts.append(f"etch {time_s:g} s")
    if isinstance(level, int | float):
        parts.append(f"level {level:g}")
    return " (".join(parts) + (")" if len(parts) == 2 else "")


def caption(dataset: Dataset) -> str:
    """Region, state and etch level for titles and tooltips."""
    bits = [region_of(dataset)]
    state = dataset.metadata.get("state")
    if state:
        bits.append(str(state))
    lv = level_text(dataset)
    if lv:
        bits.append(lv)
    return ", ".join(bits)


def stored_fit(dataset: Dataset) -> Analysis | None:
    """The dataset's stored ``xps_fit`` analysis."""
    return dataset.analyses.get(ANALYSIS_NAME)


def has_fit(analysis: Analysis | None) -> bool:
    """Whether ``analysis`` holds fitted components (not an error, not cleared by an edit)."""
    return bool(analysis is not None and analysis.results.get("components") and analysis.arrays)


def settings_spec(settings: dict[str, Any] | None, dataset: Dataset) -> FitSpec:
    """The specification of stored ``settings`` (template name or dict); when there is none, the
    CasaXPS fit the file carries, else the region's built-in template; an empty Shirley fit
    when the region has none of these."""
    template = (settings or {}).get("template") or default_xps_settings(dataset)["template"]
    if template:
        try:
            return load_template(template)
        except (KeyError, ValueError):
            pass
    return FitSpec(region_of(dataset), [], Background("shirley"))


def editable_spec(dataset: Dataset) -> FitSpec:
    """The specification a user edits (see the module docstring)."""
    analysis = stored_fit(dataset)
    spec = settings_spec(analysis.settings if analysis else None, dataset)
    if has_fit(analysis):
        fitted = {c["name"]: c for c in analysis.results["components"]}
        for c in spec.components:
            r = fitted.get(c.name)
            if r is not None:
                c.position_eV, c.fwhm_eV, c.area = r["position_eV"], r["fwhm_eV"], r["area"]
    return spec


def settings_for(spec: FitSpec, dataset: Dataset, mc: int = 0) -> dict[str, Any]:
    """The ``xps_fit`` settings that store ``spec`` (as a template dict)."""
    analysis = stored_fit(dataset)
    seed = int((analysis.settings if analysis else {}).get("seed") or 0)
    return {"template": spec.to_dict(), "mc": int(mc), "seed": seed}


#: Component fields that are starting values, not part of what a template says.
START_VALUES = ("position_eV", "fwhm_eV", "area")


def same_model(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two template dicts describe the same model (starting values aside)."""

    def strip(d: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in d.items() if k not in ("components", "description")}
        out["components"] = [
            {k: v for k, v in c.items() if k not in START_VALUES} for c in d.get("components", [])
        ]
        return out

    return strip(a) == strip(b)


def user_templates(project: Project | None) -> dict[str, dict[str, Any]]:
    """Named templates saved in the project (the named template dicts of its ``xps_fit``
    settings that are not built in), by name."""
    out: dict[str, dict[str, Any]] = {}
    if project is None:
        return out
    builtin = set(template_names())
    for _, dataset in project.datasets("xps"):
        analysis = stored_fit(dataset)
        template = (analysis.settings if analysis else {}).get("template")
        if isinstance(template, dict) and template.get("name") and template["name"] not in builtin:
            out.setdefault(str(template["name"]), template)
    return out


@dataclass
class XpsState:
    """The selected sample, its XPS datasets, the one shown and its editable fit."""

    project: Project | None = None
    sample: Sample | None = None
    datasets: list[Dataset] = field(default_factory=list)
    dataset: Dataset | None = None
    spec: FitSpec | None = None
    analysis: Analysis | None = None

    @property
    def fitted(self) -> bool:
        return has_fit(self.analysis)

    def dataset_problem(self) -> tuple[str, bool, bool] | None:
        """Why nothing can be drawn (message, no action, not busy), or None."""
        if self.project is not None and not self.project.samples:
            return (
                "This project has no samples yet: add one, or drop XPS files here.",
                False,
                False,
            )
        if self.sample is None:
            return ("Select a sample in the tree on the left to see its XPS spectra.", False, False)
        if self.dataset is None:
            return (
                f"\u201c{self.sample.name}\u201d has no XPS data yet.\n\n"
                "Use File \u25b8 Import data\u2026 (Ctrl+I) or drop VAMAS / Avantage files here.",
                False,
                False,
            )
        return None


def acquisition_text(d: Dataset, with_specimen: bool = False) -> str:
    """``"before cycling, etch 30 s (level 1)"`` (the specimen first when asked)."""
    keys = ("specimen", "state") if with_specimen else ("state",)
    bits = [str(d.metadata.get(k)) for k in keys if d.metadata.get(k)]
    lv = level_text(d)
    if lv:
        bits.append(lv)
    return ", ".join(bits) or "all spectra"


def quant_inputs(spectra: list[Dataset]) -> list[RegionInput]:
    """What :func:`~lbpo_gui.core.xps.sample_quant.quantify` needs of ``spectra``: their
    charge-corrected axes, CPS, photon energy, transmission and stored fitted components."""
    out = []
    for d in spectra:
        analysis = stored_fit(d)
        t = d.arrays.get("transmission")
        out.append(
            RegionInput(
                region=region_of(d),
                label=d.label,
                binding_energy_eV=corrected_binding_energy(d.arrays, d.metadata),
                counts_per_s=np.asarray(d.arrays["counts_per_s"], dtype=float),
                photon_energy_eV=float(d.metadata.get("photon_energy_eV") or 1486.6),
                transmission=np.asarray(t, dtype=float) if t is not None else None,
                components=analysis.results["components"] if has_fit(analysis) else None,
                charge_shift_eV=charge_shift_of(d.metadata),
            )
        )
    return out
